//===- SynthFilterBM.cpp - Synthesis candidate filter benchmarks ----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Throughput of the concrete-input filter in candidate x input evaluations
// per second: 4096 random candidates of 1-3 instructions with constants, at
// widths 8, 32 and 64, over 1024 inputs, on the CPU with 1 and 2 threads and
// on CUDA (both layouts; skipped when no GPU answers). Two targets:
//   * Full: the target is poison on every input, so no candidate exits
//     early and every (candidate, input) pair is evaluated: the cost of the
//     survivors, the filter's worst case, and the number for peak fractions.
//   * Target: a real target (one random program of the same shape), so most
//     candidates fail on their first inputs: candidates filtered per second.
// Counters: evals/s (Full only: candidate x input pairs over wall time,
// uploads included for CUDA), items_per_second (candidates/s),
// int32_ops/eval (filter::int32OpsPerEvaluation averaged), and for CUDA in
// Full mode kernel_evals/s (the kernel alone, by CUDA events) and
// int32_peak_frac = kernel_evals/s x int32_ops/eval / (SMs x 64 int32 lanes
// x SM clock): the fraction of the device's int32 peak doing useful work.
// Results: bench/results/synth-filter.md.
//
//===----------------------------------------------------------------------===//

#include "RandomPrograms.h"
#include "neuropt/Kernels/SynthFilter.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>

using namespace neuropt::filter;

namespace {
constexpr unsigned NumPrograms = 4096;
constexpr unsigned NumInputs = 1024;

enum Backend { CPU1, CPU2, CudaWarp, CudaBlock };
enum Mode { Full, Target };

struct Problem {
  ProgramSet Set;
  InputBatch Batch;
  double Int32OpsPerEval = 0;
};

/// Two W-bit variables, a W-bit result, 1-3 instructions; deterministic.
const Problem &problem(unsigned W, Mode M) {
  static Problem Cache[65][2];
  Problem &P = Cache[W][M];
  if (!P.Set.Programs.empty())
    return P;
  std::mt19937_64 Rng(1000 + W);
  std::vector<uint8_t> Widths = {uint8_t(W), uint8_t(W)};
  for (unsigned I = 0; I < NumPrograms; ++I)
    testing::addRandomProgram(Rng, P.Set, Widths, W, 1 + unsigned(Rng() % 3));
  P.Batch = testing::randomBatch(Rng, Widths, W, NumInputs);
  if (M == Target)
    testing::setTarget(P.Set, 0, P.Batch);
  double Ops = 0;
  for (unsigned I = 0; I < NumPrograms; ++I)
    Ops += int32OpsPerEvaluation(P.Set, I);
  P.Int32OpsPerEval = Ops / NumPrograms;
  return P;
}

void BM_SynthFilter(benchmark::State &State) {
  unsigned W = unsigned(State.range(0));
  Backend B = Backend(State.range(1));
  Mode M = Mode(State.range(2));
  const Problem &P = problem(W, M);
  std::vector<uint8_t> Pass;
  CudaFilterStats Stats;
  double KernelMs = 0;
  if (B == CudaWarp || B == CudaBlock) {
    if (Status E = cudaFilterAvailable()) {
      State.SkipWithError(E.message().c_str());
      return;
    }
  }
  auto Run = [&]() -> Status {
    switch (B) {
    case CPU1:
      return filterCPU(P.Set, P.Batch, Pass, 1);
    case CPU2:
      return filterCPU(P.Set, P.Batch, Pass, 2);
    case CudaWarp:
      return filterCUDA(P.Set, P.Batch, Pass, CudaLayout::WarpPerProgram,
                        &Stats);
    case CudaBlock:
      return filterCUDA(P.Set, P.Batch, Pass, CudaLayout::BlockPerProgram,
                        &Stats);
    }
    return Status::error("unknown backend");
  };
  if (Status E = Run()) { // warm-up: threads, module load, buffers
    State.SkipWithError(E.message().c_str());
    return;
  }
  for (auto _ : State) {
    if (Status E = Run()) {
      State.SkipWithError(E.message().c_str());
      return;
    }
    KernelMs += Stats.KernelMs;
    benchmark::DoNotOptimize(Pass.data());
  }
  size_t Passed = 0;
  for (uint8_t X : Pass)
    Passed += X;
  double Evals = double(NumPrograms) * NumInputs;
  State.SetItemsProcessed(int64_t(State.iterations()) * NumPrograms);
  // In Target mode most pairs are never evaluated (early exit): report
  // candidates/s (items_per_second) only.
  if (M == Full)
    State.counters["evals/s"] = benchmark::Counter(
        Evals * double(State.iterations()), benchmark::Counter::kIsRate);
  State.counters["int32_ops/eval"] = P.Int32OpsPerEval;
  State.counters["passed"] = double(Passed);
  if ((B == CudaWarp || B == CudaBlock) && KernelMs > 0 && M == Full) {
    double KernelS = KernelMs / 1000.0 / double(State.iterations());
    double KernelEvals = Evals / KernelS;
    double Peak = double(Stats.SMs) * 64.0 * double(Stats.ClockKHz) * 1e3;
    State.counters["kernel_evals/s"] = KernelEvals;
    if (Peak > 0)
      State.counters["int32_peak_frac"] =
          KernelEvals * P.Int32OpsPerEval / Peak;
  }
  if (B == CudaWarp || B == CudaBlock)
    State.SetLabel(Stats.Device + ", " + std::to_string(Stats.SMs) +
                   " SMs at " + std::to_string(Stats.ClockKHz / 1000) +
                   " MHz");
}

void args(benchmark::internal::Benchmark *B) {
  B->ArgNames({"width", "backend", "mode"});
  for (int M : {Full, Target})
    for (int Be : {CPU1, CPU2, CudaWarp, CudaBlock})
      for (int W : {8, 32, 64})
        B->Args({W, Be, M});
}
} // namespace

// backend: 0 CPU 1 thread, 1 CPU 2 threads, 2 CUDA warp/program, 3 CUDA
// block/program; mode: 0 full (target all poison), 1 real target.
// Wall time is what a caller waits; the CPU column sums every thread's
// time (MeasureProcessCPUTime), the cost on a shared machine.
BENCHMARK(BM_SynthFilter)
    ->Apply(args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

BENCHMARK_MAIN();
