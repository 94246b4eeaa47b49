//===- GVNSinkBM.cpp - gvn-sink on a fresh copy against gvn-sink in place --===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// PipelineEvaluator runs every `function(gvn-sink)` element on a copy of the
// module read from its bitcode where nothing else has laid out the heap, so
// that what LLVM's GVNSink sinks does not follow the heap (it orders users
// by address). This measures what the copy costs, on the same modules:
//
//   (1) LLVM's gvn-sink in place, on the module as the coreset sequence has
//       made it up to its first gvn-sink element;
//   (2) the evaluator's element on the same modules (bitcode written, read
//       and sunk in a child forked for it, written back and read again),
//       as in a process that is not a worker child;
//   (3) the same in a forked child, as neuropt-size's candidates and
//       neuropt-eval's measurements run it: the copy is read on a thread of
//       the child's own, without a fork (timed in the child);
//   (4) the whole sequence through the evaluator, for scale.
//
//   build/bench/GVNSinkBM --inputs=DIR [--coreset=FILE] [--sequence=N]
//
// DIR holds unoptimized bitcode (clang -Oz -Xclang -disable-llvm-passes);
// FILE defaults to models/size/size.coreset.txt and N to 4, the coreset's
// sequence whose gvn-sink follows the most work.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/PipelineEvaluator.h"
#include "neuropt/Support/ChildProcess.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Transforms/Scalar/GVN.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>

using namespace llvm;
using namespace neuropt;

namespace {
struct Inputs {
  LLVMContext Ctx;
  std::unique_ptr<PipelineEvaluator> Eval;
  std::string Sequence;
  std::vector<std::unique_ptr<Module>> Source; ///< unoptimized
  std::vector<std::unique_ptr<Module>> Before; ///< up to the first gvn-sink
  size_t Instructions = 0; ///< in Before
};

Inputs &getInputs() {
  static Inputs I;
  return I;
}

bool load(StringRef Dir, StringRef Coreset, unsigned Index) {
  Inputs &In = getInputs();
  auto Eval = PipelineEvaluator::create();
  if (!Eval) {
    errs() << "GVNSinkBM: " << toString(Eval.takeError()) << "\n";
    return false;
  }
  In.Eval = std::move(*Eval);
  auto Buf = MemoryBuffer::getFile(Coreset);
  if (!Buf) {
    errs() << "GVNSinkBM: cannot read '" << Coreset << "'\n";
    return false;
  }
  SmallVector<StringRef, 32> Lines;
  (*Buf)->getBuffer().split(Lines, '\n', -1, false);
  std::vector<StringRef> Seqs;
  for (StringRef L : Lines)
    if (!L.trim().empty() && !L.trim().starts_with("#"))
      Seqs.push_back(L.trim());
  if (Index >= Seqs.size()) {
    errs() << "GVNSinkBM: '" << Coreset << "' has no sequence " << Index
           << "\n";
    return false;
  }
  In.Sequence = Seqs[Index].str();
  SmallVector<StringRef, 16> Elements = splitPipelineElements(In.Sequence);
  auto First = llvm::find(Elements, "function(gvn-sink)");
  if (First == Elements.end()) {
    errs() << "GVNSinkBM: sequence " << Index << " has no gvn-sink\n";
    return false;
  }
  std::string Prefix;
  for (auto It = Elements.begin(); It != First; ++It)
    Prefix += (Prefix.empty() ? "" : ",") + It->str();

  std::error_code EC;
  std::vector<std::string> Paths;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (sys::path::extension(It->path()) == ".bc")
      Paths.push_back(It->path());
  std::sort(Paths.begin(), Paths.end());
  for (const std::string &P : Paths) {
    SMDiagnostic Err;
    std::unique_ptr<Module> M = parseIRFile(P, Err, In.Ctx);
    if (!M) {
      Err.print("GVNSinkBM", errs());
      return false;
    }
    std::unique_ptr<Module> B = CloneModule(*M);
    if (!Prefix.empty())
      if (Error E = In.Eval->runPipeline(*B, Prefix)) {
        errs() << "GVNSinkBM: " << P << ": " << toString(std::move(E)) << "\n";
        return false;
      }
    for (Function &F : *B)
      In.Instructions += F.getInstructionCount();
    In.Source.push_back(std::move(M));
    In.Before.push_back(std::move(B));
  }
  if (In.Source.empty()) {
    errs() << "GVNSinkBM: no .bc files in '" << Dir << "'\n";
    return false;
  }
  return true;
}

void setCounters(benchmark::State &State) {
  State.counters["modules"] = getInputs().Source.size();
  State.counters["insts"] = getInputs().Instructions;
}

/// Runs \p Body on fresh clones of \p Modules; cloning is not timed.
template <typename BodyT>
void onClones(benchmark::State &State,
              const std::vector<std::unique_ptr<Module>> &Modules,
              BodyT Body) {
  for (auto _ : State) {
    State.PauseTiming();
    std::vector<std::unique_ptr<Module>> Clones;
    for (const auto &M : Modules)
      Clones.push_back(CloneModule(*M));
    State.ResumeTiming();
    for (auto &M : Clones)
      Body(*M);
    State.PauseTiming();
    Clones.clear();
    State.ResumeTiming();
  }
  setCounters(State);
}

void BM_GVNSinkInPlace(benchmark::State &State) {
  onClones(State, getInputs().Before, [](Module &M) {
    FunctionAnalysisManager FAM; // GVNSink asks for no analyses
    for (Function &F : M)
      if (!F.isDeclaration())
        GVNSinkPass().run(F, FAM);
  });
}

void BM_GVNSinkOnCopy(benchmark::State &State) {
  onClones(State, getInputs().Before, [](Module &M) {
    cantFail(getInputs().Eval->runPipeline(M, "function(gvn-sink)"));
  });
}

void BM_GVNSinkOnCopyInChild(benchmark::State &State) {
  for (auto _ : State) {
    Expected<ChildOutcome> C = runInChild(
        [](int Fd) {
          std::vector<std::unique_ptr<Module>> Clones;
          for (const auto &M : getInputs().Before)
            Clones.push_back(CloneModule(*M));
          auto Start = std::chrono::steady_clock::now();
          for (auto &M : Clones)
            cantFail(getInputs().Eval->runPipeline(*M, "function(gvn-sink)"));
          double Seconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - Start)
                               .count();
          writeAll(Fd, StringRef(reinterpret_cast<const char *>(&Seconds),
                                 sizeof(Seconds)));
        },
        600000);
    double Seconds = 0;
    if (!C || C->Output.size() != sizeof(Seconds)) {
      State.SkipWithError("the child did not answer");
      if (!C)
        consumeError(C.takeError());
      break;
    }
    std::memcpy(&Seconds, C->Output.data(), sizeof(Seconds));
    State.SetIterationTime(Seconds);
  }
  setCounters(State);
}

void BM_WholeSequence(benchmark::State &State) {
  onClones(State, getInputs().Source, [](Module &M) {
    cantFail(getInputs().Eval->runPipeline(M, getInputs().Sequence));
  });
}
} // namespace

BENCHMARK(BM_GVNSinkInPlace)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GVNSinkOnCopy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GVNSinkOnCopyInChild)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WholeSequence)->Unit(benchmark::kMillisecond);

int main(int argc, char **argv) {
  std::string Dir, Coreset = "models/size/size.coreset.txt";
  unsigned Index = 4;
  std::vector<char *> Rest;
  for (int I = 0; I < argc; ++I) {
    if (!std::strncmp(argv[I], "--inputs=", 9))
      Dir = argv[I] + 9;
    else if (!std::strncmp(argv[I], "--coreset=", 10))
      Coreset = argv[I] + 10;
    else if (!std::strncmp(argv[I], "--sequence=", 11))
      Index = unsigned(std::atoi(argv[I] + 11));
    else
      Rest.push_back(argv[I]);
  }
  if (Dir.empty()) {
    std::cerr << "usage: GVNSinkBM --inputs=DIR [--coreset=FILE] "
                 "[--sequence=N] [benchmark flags]\n";
    return 2;
  }
  if (!load(Dir, Coreset, Index))
    return 1;
  int N = int(Rest.size());
  benchmark::Initialize(&N, Rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
