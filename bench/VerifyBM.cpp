//===- VerifyBM.cpp - Verified pairs per second on the suite ----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the verifier benchmarks: pairs of the .srctgt.ll
// suite verified per second, split by category (expected verdict x kind of
// IR), for the SMT verifier alone, differential execution alone, and the
// layered stack (differential execution first, then SMT), which shows what
// the first line saves on wrong transformations and costs on correct ones,
// and the SMT verifier without its forked child (smt-inproc); and how the
// check of stores to a write-only global scales with their number.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Verify/Verifier.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <benchmark/benchmark.h>

#include <map>

using namespace llvm;
using namespace neuropt;

namespace {

struct Pair {
  std::string Name;
  std::unique_ptr<LLVMContext> Ctx;
  std::unique_ptr<Module> M;
};

/// "proved/int", "refuted/memory", ... from the file name and its text.
std::string categoryOf(StringRef Name, StringRef Text) {
  std::string Verdict = Name.starts_with("p-")   ? "proved"
                        : Name.starts_with("r-") ? "refuted"
                                                 : "bounded";
  std::string Kind = "int";
  if (Text.contains("load ") || Text.contains("store ") || Text.contains("alloca") ||
      Text.contains("@llvm.mem"))
    Kind = "memory";
  else if (Text.contains("float") || Text.contains("half") || Text.contains("double"))
    Kind = "fp";
  else if (Text.contains("br ") || Text.contains("switch "))
    Kind = "cfg";
  else if (Text.contains("@llvm."))
    Kind = "intrinsic";
  return Verdict + "/" + Kind;
}

std::map<std::string, std::vector<Pair>> &suite() {
  static std::map<std::string, std::vector<Pair>> S;
  return S;
}

enum class Engine { SMT, SMTInProcess, DiffExec, Layered };

void BM_Verify(benchmark::State &State, const std::string &Cat, Engine E) {
  auto &Pairs = suite()[Cat];
  std::unique_ptr<Verifier> V = E == Engine::DiffExec ? createDiffExecVerifier()
                                : E == Engine::Layered ? createDefaultVerifier()
                                                       : createSMTVerifier();
  VerifyOptions Opts;
  // smt-inproc: the same solver without the forked child (no hang guard),
  // to show what process isolation costs.
  Opts.Isolate = E != Engine::SMTInProcess;
  unsigned Decided = 0;
  for (auto _ : State) {
    Decided = 0;
    for (Pair &P : Pairs) {
      VerifyResult R = V->verify(*P.M->getFunction("src"), *P.M->getFunction("tgt"), Opts);
      Decided += R.V == Verdict::Proved || R.V == Verdict::Refuted || R.V == Verdict::Bounded;
      benchmark::DoNotOptimize(R);
    }
  }
  State.SetItemsProcessed(State.iterations() * Pairs.size());
  State.counters["pairs"] = Pairs.size();
  State.counters["decided"] = Decided;
}

/// A source that stores N times to a global its module never reads, and a
/// target that stores once: each store asks whether its global is only
/// ever stored to, which walks the global's N uses, so without the
/// encoder's facts cache (GlobalFactsScope) the check grows with N^2. The
/// time per store should stay flat as N grows.
void BM_WriteOnlyGlobalStores(benchmark::State &State) {
  unsigned N = unsigned(State.range(0));
  std::string IR = "@g = internal global i32 0\ndefine void @src() {\n";
  for (unsigned I = 0; I < N; ++I)
    IR += "  store i32 " + std::to_string(I % 7) + ", ptr @g\n";
  IR += "  ret void\n}\ndefine void @tgt() {\n  store i32 1, ptr @g\n"
        "  ret void\n}\n";
  LLVMContext Ctx;
  SMDiagnostic Err;
  std::unique_ptr<Module> M =
      parseIR(MemoryBufferRef(IR, "write-only"), Err, Ctx);
  if (!M) {
    State.SkipWithError("cannot parse the generated module");
    return;
  }
  std::unique_ptr<Verifier> V = createSMTVerifier();
  VerifyOptions Opts;
  Opts.Isolate = false;
  for (auto _ : State) {
    VerifyResult R =
        V->verify(*M->getFunction("src"), *M->getFunction("tgt"), Opts);
    if (R.V != Verdict::Proved)
      State.SkipWithError("the dead stores were not proved");
    benchmark::DoNotOptimize(R);
  }
  State.SetItemsProcessed(State.iterations() * N);
}

} // namespace

int main(int argc, char **argv) {
  std::error_code EC;
  std::vector<std::string> Files;
  for (sys::fs::directory_iterator It(NEUROPT_VERIFY_SUITE, EC), End; It != End && !EC;
       It.increment(EC))
    if (StringRef(It->path()).ends_with(".srctgt.ll"))
      Files.push_back(It->path());
  std::sort(Files.begin(), Files.end());
  for (const std::string &F : Files) {
    Pair P;
    P.Name = sys::path::filename(F).str();
    P.Ctx = std::make_unique<LLVMContext>();
    SMDiagnostic Err;
    P.M = parseIRFile(F, Err, *P.Ctx);
    if (!P.M) {
      errs() << "VerifyBM: cannot parse " << F << "\n";
      return 1;
    }
    std::string Text;
    raw_string_ostream OS(Text);
    P.M->print(OS, nullptr);
    std::string Cat = categoryOf(P.Name, OS.str());
    suite()[Cat].push_back(std::move(P));
  }
  for (auto &[Cat, Pairs] : suite()) {
    if (Pairs.empty())
      continue;
    for (auto [E, Name] : {std::pair{Engine::SMT, "smt"}, std::pair{Engine::SMTInProcess, "smt-inproc"},
                           std::pair{Engine::DiffExec, "diffexec"},
                           std::pair{Engine::Layered, "layered"}})
      benchmark::RegisterBenchmark(("BM_Verify/" + Cat + "/" + Name).c_str(), BM_Verify, Cat, E)
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1)
          ->UseRealTime();
  }
  benchmark::RegisterBenchmark("BM_WriteOnlyGlobalStores",
                               BM_WriteOnlyGlobalStores)
      ->RangeMultiplier(4)
      ->Range(256, 16384)
      ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
