//===- ModelBM.cpp - Model runtime benchmarks -----------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Scoring throughput for batches of 1 to 65,536 candidates (MLP over the
// 82-feature statistics vector, GNN over program graphs), single-function
// latency, training samples per second, the hand-written GEMM against
// OpenBLAS at our shapes, and, when a GPU answers, the CUDA runner and
// cuBLAS alone on the same shapes. Results: bench/results/model.md.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/CudaOps.h"
#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/Quantize.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Model/Train.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <memory>

using namespace neuropt::model;

namespace {
/// The shapes neuropt ships: 82 statistics features (Features.def), two
/// hidden layers of 64; a GNN over 64 node types and 3 edge kinds, width 32,
/// two rounds.
constexpr unsigned NumFeatures = 82;
constexpr unsigned NumNodeTypes = 64;

ModelConfig mlpConfig() {
  ModelConfig C;
  C.NumFeatures = NumFeatures;
  C.Hidden = {64, 64};
  return C;
}

ModelConfig gnnConfig() {
  ModelConfig C;
  C.Kind = ModelKind::GNN;
  C.NumNodeTypes = NumNodeTypes;
  C.EmbedDim = 32;
  C.Rounds = 2;
  C.NumEdgeKinds = 3; // control, data, call, as lib/IR's program graphs
  C.Hidden = {64};
  return C;
}

std::vector<int64_t> randomCounts(size_t N, uint64_t Seed) {
  Rng R(Seed);
  std::vector<int64_t> C(N * NumFeatures);
  for (int64_t &X : C)
    X = int64_t(std::exp2(R.uniform() * 12.0)) - 1;
  return C;
}

/// A random graph of \p Nodes nodes with about 2 edges per node: a chain of
/// control edges (kind 0) plus random data (kind 1) and call (kind 2) edges.
GraphBatch randomGraph(Rng &R, unsigned Nodes) {
  GraphBatch G;
  for (unsigned I = 0; I < Nodes; ++I) {
    G.NodeType.push_back(uint32_t(R.below(NumNodeTypes)));
    if (I + 1 < Nodes) {
      G.Col.push_back(I + 1);
      G.EdgeKind.push_back(0);
    }
    G.Col.push_back(uint32_t(R.below(Nodes)));
    G.EdgeKind.push_back(R.below(5) ? 1 : 2);
    G.RowPtr.push_back(uint32_t(G.Col.size()));
  }
  G.GraphPtr = {0, Nodes};
  return G;
}

/// \p N graphs of 4..36 nodes (about 20 on average).
GraphBatch randomGraphs(size_t N, uint64_t Seed) {
  Rng R(Seed);
  GraphBatch All;
  for (size_t I = 0; I < N; ++I)
    All.append(randomGraph(R, 4 + unsigned(R.below(33))));
  return All;
}

/// Quantizes a seeded (untrained) model, calibrated on random inputs:
/// scoring cost does not depend on what the weights learned.
std::shared_ptr<const QuantModel> makeQuant(bool GNN) {
  StatusOr<FloatModel> M = FloatModel::create(GNN ? gnnConfig() : mlpConfig(), 1);
  std::vector<int64_t> Counts = randomCounts(512, 2);
  GraphBatch Graphs = randomGraphs(512, 3);
  ModelInput In;
  In.BatchSize = 512;
  In.Counts = Counts.data();
  In.Graphs = &Graphs;
  StatusOr<QuantModel> Q = quantizeModel(*M, In);
  if (!Q) {
    std::fprintf(stderr, "quantization failed: %s\n", Q.status().message().c_str());
    std::abort();
  }
  return std::make_shared<const QuantModel>(std::move(*Q));
}

void scoreBatches(benchmark::State &State, ModelRunner &R, bool GNN) {
  size_t B = size_t(State.range(0));
  std::vector<int64_t> Counts = randomCounts(B, 4);
  GraphBatch Graphs = randomGraphs(GNN ? B : 0, 5);
  ModelInput In;
  In.BatchSize = B;
  In.Counts = Counts.data();
  In.Graphs = GNN ? &Graphs : nullptr;
  for (auto _ : State) {
    StatusOr<Scores> S = R.evaluate(In);
    if (!S) {
      State.SkipWithError(S.status().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(S->Raw.data());
  }
  State.SetItemsProcessed(int64_t(State.iterations()) * int64_t(B));
  if (GNN)
    State.counters["nodes/graph"] = double(Graphs.numNodes()) / double(B);
}

void BM_ScoreMLP_CPU(benchmark::State &State) {
  std::unique_ptr<ModelRunner> R = createCPURunner(makeQuant(false));
  scoreBatches(State, *R, false);
}
BENCHMARK(BM_ScoreMLP_CPU)->RangeMultiplier(16)->Range(1, 65536)->Unit(benchmark::kMicrosecond);

void BM_ScoreGNN_CPU(benchmark::State &State) {
  std::unique_ptr<ModelRunner> R = createCPURunner(makeQuant(true));
  scoreBatches(State, *R, true);
}
BENCHMARK(BM_ScoreGNN_CPU)->RangeMultiplier(16)->Range(1, 65536)->Unit(benchmark::kMicrosecond);

/// The float32 model on the CPU (training-side forward), for comparison with
/// the deployed integer path.
void BM_ScoreMLPFloat_CPU(benchmark::State &State) {
  StatusOr<FloatModel> M = FloatModel::create(mlpConfig(), 1);
  size_t B = size_t(State.range(0));
  std::vector<int64_t> Counts = randomCounts(B, 4);
  ModelInput In;
  In.BatchSize = B;
  In.Counts = Counts.data();
  for (auto _ : State)
    benchmark::DoNotOptimize(M->forward(In).data());
  State.SetItemsProcessed(int64_t(State.iterations()) * int64_t(B));
}
BENCHMARK(BM_ScoreMLPFloat_CPU)->RangeMultiplier(16)->Range(1, 65536)->Unit(benchmark::kMicrosecond);

/// Compile-time cost of one decision: one function's statistics vector, or
/// one function's program graph of Arg nodes (target: under 50 us).
void BM_FunctionLatency_CPU(benchmark::State &State) {
  bool GNN = State.range(0) != 0;
  std::unique_ptr<ModelRunner> R = createCPURunner(makeQuant(GNN));
  std::vector<int64_t> Counts = randomCounts(1, 6);
  Rng Rg(7);
  GraphBatch G = randomGraph(Rg, unsigned(GNN ? State.range(0) : 1));
  ModelInput In;
  In.BatchSize = 1;
  In.Counts = Counts.data();
  In.Graphs = GNN ? &G : nullptr;
  for (auto _ : State) {
    StatusOr<Scores> S = R->evaluate(In);
    benchmark::DoNotOptimize(S->Raw.data());
  }
  State.SetItemsProcessed(int64_t(State.iterations()));
}
// Arg 0: the MLP; Arg N > 0: the GNN on an N-node function graph.
BENCHMARK(BM_FunctionLatency_CPU)->Arg(0)->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMicrosecond);

/// Training samples per second (float32 on the CPU, batch 64, one epoch of
/// 4096 samples per iteration).
void BM_Train_CPU(benchmark::State &State) {
  bool GNN = State.range(0) != 0;
  Dataset D = makeSyntheticDataset(GNN ? ModelKind::GNN : ModelKind::MLP,
                                   HeadKind::Regression, 4096, 8, NumFeatures);
  ModelConfig C = GNN ? gnnConfig() : mlpConfig();
  C.NumNodeTypes = D.NumNodeTypes;
  StatusOr<FloatModel> M = FloatModel::create(C, 1);
  fitInputNormalization(*M, D);
  TrainOptions O;
  O.Epochs = 1;
  O.BatchSize = 64;
  for (auto _ : State) {
    StatusOr<std::vector<double>> L = trainModel(*M, D, O);
    benchmark::DoNotOptimize(L->data());
  }
  State.SetItemsProcessed(int64_t(State.iterations()) * int64_t(D.size()));
}
BENCHMARK(BM_Train_CPU)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

/// Float GEMM [M, K] x [N, K]^T at our layer shapes: hand-written (Arg 0)
/// against OpenBLAS single-threaded (Arg 1).
void BM_GemmF32(benchmark::State &State) {
  cpu::GemmImpl Impl = State.range(0) ? cpu::GemmImpl::Blas : cpu::GemmImpl::Native;
  if (Impl == cpu::GemmImpl::Blas && !cpu::haveBlas()) {
    State.SkipWithError("built without OpenBLAS");
    return;
  }
  size_t M = size_t(State.range(1)), N = 64, K = size_t(State.range(2));
  std::vector<float> A(M * K, 0.5f), W(N * K, 0.25f), C(M * N);
  for (auto _ : State) {
    cpu::gemm(false, true, M, N, K, 1.0f, A.data(), K, W.data(), K, 0.0f,
              C.data(), N, Impl);
    benchmark::DoNotOptimize(C.data());
  }
  State.counters["GFLOP/s"] = benchmark::Counter(
      double(State.iterations()) * 2.0 * double(M * N * K) / 1e9,
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GemmF32)
    ->ArgsProduct({{0, 1}, {1, 8, 64, 512, 4096}, {64, 82}})
    ->ArgNames({"blas", "M", "K"});

/// The int8 GEMM of the deployed path (exact int32 accumulation).
void BM_GemmS8S32(benchmark::State &State) {
  size_t M = size_t(State.range(0)), N = 64, K = 96;
  std::vector<int8_t> A(M * K, 3), W(N * K, -2);
  std::vector<int32_t> C(M * N);
  for (auto _ : State) {
    cpu::gemmS8S32(M, N, K, A.data(), W.data(), C.data());
    benchmark::DoNotOptimize(C.data());
  }
  State.counters["GOP/s"] = benchmark::Counter(
      double(State.iterations()) * 2.0 * double(M * N * K) / 1e9,
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GemmS8S32)->Arg(1)->Arg(64)->Arg(4096);

//===-- GPU variants: registered only when a GPU answers -----------------===//

void registerGpuBenchmarks() {
  StatusOr<std::unique_ptr<CudaOps>> Ops = createCudaOps();
  if (!Ops) {
    std::fprintf(stderr, "ModelBM: GPU benchmarks not registered: %s\n",
                 Ops.status().message().c_str());
    return;
  }
  std::fprintf(stderr, "ModelBM: GPU: %s\n", (*Ops)->deviceDescription().c_str());
  std::shared_ptr<CudaOps> Shared(std::move(*Ops));
  for (bool GNN : {false, true}) {
    auto Bench = [GNN](benchmark::State &State) {
      StatusOr<std::unique_ptr<ModelRunner>> R = createCUDARunner(makeQuant(GNN));
      if (!R) {
        State.SkipWithError(R.status().message().c_str());
        return;
      }
      scoreBatches(State, **R, GNN);
    };
    benchmark::RegisterBenchmark(GNN ? "BM_ScoreGNN_CUDA" : "BM_ScoreMLP_CUDA",
                                 Bench)
        ->RangeMultiplier(16)
        ->Range(1, 65536)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
  }
  // cuBLAS alone on the scoring shapes (M = batch, N = 64, K = 96 as in
  // the MLP's first layer after padding) and a large square reference.
  for (bool Int8 : {true, false}) {
    auto Bench = [Shared, Int8](benchmark::State &State) {
      size_t M = size_t(State.range(0)), N = size_t(State.range(1)),
             K = size_t(State.range(2));
      // One iteration = one timeGemm call: operand upload, a warm-up and
      // GemmsPerCall products timed with events. The manual time is those
      // products' time (not one product's: the benchmark would then run
      // about GemmsPerCall times as many iterations, each mostly upload).
      constexpr unsigned GemmsPerCall = 20;
      double Seconds = 0;
      for (auto _ : State) {
        StatusOr<double> T = Shared->timeGemm(Int8, M, N, K, GemmsPerCall);
        if (!T) {
          State.SkipWithError(T.status().message().c_str());
          return;
        }
        State.SetIterationTime(*T * GemmsPerCall);
        Seconds = *T;
      }
      State.counters["us/gemm"] = Seconds * 1e6;
      State.counters[Int8 ? "TOP/s" : "TFLOP/s"] =
          2.0 * double(M * N * K) / Seconds / 1e12;
    };
    benchmark::RegisterBenchmark(Int8 ? "BM_CublasGemmS8S32" : "BM_CublasSgemm",
                                 Bench)
        ->Args({65536, 64, 96})
        ->Args({65536, 64, 64})
        ->Args({8192, 8192, 8192})
        ->Iterations(10)
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
  }
}
} // namespace

int main(int Argc, char **Argv) {
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  registerGpuBenchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
