//===- ChildBM.cpp - What a job in a worker child costs ---------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// neuropt-size runs each candidate in a forked child (ChildJobs) instead of
// on a thread. The fixed cost of that, as a function of the host's size:
// fork() copies the page tables of every mapped page, and while the child
// runs, each page that the parent (clang, running its own -Oz) or the child
// writes first is copied. Each benchmark runs one job that answers 64 KB
// (about a median candidate's bitcode) from a host with Arg(0) MB of
// touched heap; "ParentWrites" also has the parent write Arg(1)% of that
// heap while the child runs. BM_Thread is the same job on a thread.
//
//   build/bench/ChildBM --benchmark_repetitions=3
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/ChildProcess.h"

#include "llvm/Support/Error.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace neuropt;

namespace {

/// The host's heap: Arg(0) MB, every page touched, as a compiler's is.
std::vector<char> hostHeap(size_t MB) {
  std::vector<char> H(MB << 20);
  for (size_t I = 0; I < H.size(); I += 4096)
    H[I] = char(I);
  return H;
}

std::string job(unsigned) { return std::string(64 << 10, 'b'); }

void writePages(std::vector<char> &H, unsigned Percent) {
  size_t End = H.size() / 100 * Percent;
  for (size_t I = 0; I < End; I += 4096)
    H[I] ^= 1;
}

void BM_ChildJob(benchmark::State &State) {
  std::vector<char> Heap = hostHeap(size_t(State.range(0)));
  unsigned Percent = unsigned(State.range(1));
  for (auto _ : State) {
    ChildJobs Jobs(1, job);
    if (llvm::Error E = Jobs.spawn(1)) {
      State.SkipWithError(llvm::toString(std::move(E)).c_str());
      return;
    }
    writePages(Heap, Percent);
    if (llvm::Error E = Jobs.wait(std::chrono::steady_clock::now() +
                                      std::chrono::seconds(30),
                                  1)) {
      State.SkipWithError(llvm::toString(std::move(E)).c_str());
      return;
    }
    benchmark::DoNotOptimize(Jobs.answer(0).size());
  }
}
BENCHMARK(BM_ChildJob)
    ->ArgNames({"heapMB", "parentWrites%"})
    ->Args({0, 0})
    ->Args({100, 0})
    ->Args({400, 0})
    ->Args({100, 50})
    ->Args({400, 50})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Thread(benchmark::State &State) {
  std::vector<char> Heap = hostHeap(size_t(State.range(0)));
  unsigned Percent = unsigned(State.range(1));
  for (auto _ : State) {
    std::string Answer;
    std::thread T([&] { Answer = job(0); });
    writePages(Heap, Percent);
    T.join();
    benchmark::DoNotOptimize(Answer.size());
  }
}
BENCHMARK(BM_Thread)
    ->ArgNames({"heapMB", "parentWrites%"})
    ->Args({100, 0})
    ->Args({100, 50})
    ->Args({400, 50})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace

BENCHMARK_MAIN();
