//===- SynthBM.cpp - Synthesis engine benchmarks --------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Time of one synthesize() call on fixed problems, from a found replacement
// with no constant (x*2), through one that needs CEGIS (merged masks) and an
// idiom (abs), to exhausting the space (a single add, nothing cheaper).
// Items processed are candidates enumerated, so the rate is candidates/s.
// Wall-clock time: CEGIS and proofs run in forked children, whose CPU time
// the parent's clock does not see.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Synth/Synthesize.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"

#include <benchmark/benchmark.h>

using namespace llvm;
using namespace neuropt;

namespace {

struct Case {
  const char *Name;
  const char *IR;
};

const Case Cases[] = {
    {"mul2", "define i32 @f(i32 %x) {\n  %r = mul i32 %x, 2\n  ret i32 %r\n}\n"},
    {"masks",
     "define i32 @f(i32 %x) {\n  %a = and i32 %x, 240\n  %b = and i32 %x, "
     "780\n  %r = or i32 %a, %b\n  ret i32 %r\n}\n"},
    {"abs",
     "define i32 @f(i32 %x) {\n  %c = icmp slt i32 %x, 0\n  %n = sub i32 0, "
     "%x\n  %r = select i1 %c, i32 %n, i32 %x\n  ret i32 %r\n}\n"},
    {"add-none",
     "define i32 @f(i32 %a, i32 %b) {\n  %r = add i32 %a, %b\n  ret i32 "
     "%r\n}\n"},
};

void BM_Synthesize(benchmark::State &State) {
  const Case &C = Cases[State.range(0)];
  LLVMContext Ctx;
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseAssemblyString(C.IR, Err, Ctx);
  if (!M) {
    State.SkipWithError("bad IR");
    return;
  }
  Function *F = M->getFunction("f");
  auto *Ret = cast<ReturnInst>(F->back().getTerminator());
  HarvestedDAG DAG = extractDAG(*cast<Instruction>(Ret->getReturnValue()));
  SynthOptions Opts;
  Opts.BudgetMs = 20000;
  Opts.Filter = FilterBackend::CPU;
  uint64_t Candidates = 0;
  for (auto _ : State) {
    Expected<SynthResult> R = synthesize(DAG, Opts);
    if (!R) {
      State.SkipWithError(toString(R.takeError()).c_str());
      return;
    }
    Candidates += R->Stats.Enumerated;
    benchmark::DoNotOptimize(R->RHSText.data());
  }
  State.SetLabel(C.Name);
  State.SetItemsProcessed(Candidates);
}

} // namespace

BENCHMARK(BM_Synthesize)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);

BENCHMARK_MAIN();
