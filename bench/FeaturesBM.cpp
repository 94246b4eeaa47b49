//===- FeaturesBM.cpp - Featurization cost against the -Oz pipeline --------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Measures, on the same modules, (1) the statistics vector, (2) the program
// graph, (3) both for every function, (4) the module vector and module graph,
// and (5) LLVM's own -Oz module pipeline. The
// feature cost target is < 2% of -Oz time. Inputs are unoptimized bitcode or
// .ll files as clang emits them with `-Oz -Xclang -disable-llvm-passes`:
//
//   build/bench/FeaturesBM --inputs=DIR [google-benchmark flags]
//
// scripts/bench-features.sh prepares DIR from examples/ and runs this.
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/Features.h"
#include "neuropt/IR/ProgramGraph.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <iostream>

using namespace llvm;
using namespace neuropt;

namespace {
struct Corpus {
  LLVMContext Ctx;
  std::vector<std::unique_ptr<Module>> Modules;
  size_t NumFunctions = 0;
  size_t NumInstructions = 0;
};

Corpus &getCorpus() {
  static Corpus C;
  return C;
}

bool loadCorpus(StringRef Dir) {
  Corpus &C = getCorpus();
  std::error_code EC;
  std::vector<std::string> Paths;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    StringRef Ext = sys::path::extension(It->path());
    if (Ext == ".bc" || Ext == ".ll")
      Paths.push_back(It->path());
  }
  if (EC) {
    errs() << "FeaturesBM: cannot read '" << Dir << "': " << EC.message() << "\n";
    return false;
  }
  std::sort(Paths.begin(), Paths.end());
  for (const std::string &P : Paths) {
    SMDiagnostic Err;
    auto M = parseIRFile(P, Err, C.Ctx);
    if (!M) {
      Err.print("FeaturesBM", errs());
      return false;
    }
    for (Function &F : *M)
      if (!F.isDeclaration()) {
        ++C.NumFunctions;
        C.NumInstructions += F.getInstructionCount();
      }
    C.Modules.push_back(std::move(M));
  }
  if (C.Modules.empty()) {
    errs() << "FeaturesBM: no .bc or .ll files in '" << Dir << "'\n";
    return false;
  }
  return true;
}

void setCounters(benchmark::State &State) {
  const Corpus &C = getCorpus();
  State.SetItemsProcessed(State.iterations() * C.NumFunctions);
  State.counters["modules"] = C.Modules.size();
  State.counters["functions"] = C.NumFunctions;
  State.counters["insts"] = C.NumInstructions;
}

void BM_StatsFeatures(benchmark::State &State) {
  for (auto _ : State)
    for (auto &M : getCorpus().Modules)
      for (Function &F : *M)
        if (!F.isDeclaration())
          benchmark::DoNotOptimize(computeFunctionFeatures(F));
  setCounters(State);
}

void BM_ProgramGraph(benchmark::State &State) {
  for (auto _ : State)
    for (auto &M : getCorpus().Modules)
      for (Function &F : *M)
        if (!F.isDeclaration())
          benchmark::DoNotOptimize(buildProgramGraph(F));
  setCounters(State);
}

/// What a per-function decision needs: both vectors for every function.
void BM_StatsAndGraph(benchmark::State &State) {
  for (auto _ : State)
    for (auto &M : getCorpus().Modules)
      for (Function &F : *M)
        if (!F.isDeclaration()) {
          benchmark::DoNotOptimize(computeFunctionFeatures(F));
          benchmark::DoNotOptimize(buildProgramGraph(F));
        }
  setCounters(State);
}

/// What a per-module decision needs: the module vector and module graph.
void BM_ModuleStatsAndGraph(benchmark::State &State) {
  for (auto _ : State)
    for (auto &M : getCorpus().Modules) {
      benchmark::DoNotOptimize(computeModuleFeatures(*M));
      benchmark::DoNotOptimize(buildModuleGraph(*M));
    }
  setCounters(State);
}

/// LLVM's -Oz module pipeline on fresh clones; cloning is excluded.
void BM_OzPipeline(benchmark::State &State) {
  for (auto _ : State) {
    State.PauseTiming();
    std::vector<std::unique_ptr<Module>> Clones;
    for (auto &M : getCorpus().Modules)
      Clones.push_back(CloneModule(*M));
    State.ResumeTiming();
    for (auto &M : Clones) {
      LoopAnalysisManager LAM;
      FunctionAnalysisManager FAM;
      CGSCCAnalysisManager CGAM;
      ModuleAnalysisManager MAM;
      PassBuilder PB;
      PB.registerModuleAnalyses(MAM);
      PB.registerCGSCCAnalyses(CGAM);
      PB.registerFunctionAnalyses(FAM);
      PB.registerLoopAnalyses(LAM);
      PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
      ModulePassManager MPM =
          PB.buildPerModuleDefaultPipeline(OptimizationLevel::Oz);
      MPM.run(*M, MAM);
    }
    State.PauseTiming();
    Clones.clear();
    State.ResumeTiming();
  }
  setCounters(State);
}
} // namespace

BENCHMARK(BM_StatsFeatures)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ProgramGraph)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StatsAndGraph)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ModuleStatsAndGraph)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OzPipeline)->Unit(benchmark::kMillisecond);

int main(int argc, char **argv) {
  std::string Inputs;
  std::vector<char *> Rest;
  for (int I = 0; I < argc; ++I) {
    if (std::strncmp(argv[I], "--inputs=", 9) == 0)
      Inputs = argv[I] + 9;
    else
      Rest.push_back(argv[I]);
  }
  if (Inputs.empty()) {
    std::cerr << "usage: FeaturesBM --inputs=DIR [benchmark flags]\n";
    return 2;
  }
  if (!loadCorpus(Inputs))
    return 1;
  int RestArgc = Rest.size();
  benchmark::Initialize(&RestArgc, Rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
