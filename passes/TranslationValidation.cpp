//===- TranslationValidation.cpp - neuropt-tv<PIPELINE> ---------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the neuropt-tv<PIPELINE> pass: it keeps a copy of the
// module, runs PIPELINE on each function, and verifies each changed function
// against its copy with the neuropt verifier. Verdicts are optimization
// remarks (-pass-remarks-analysis=neuropt-tv) and statistics (-stats).
//
//===----------------------------------------------------------------------===//

#include "neuropt/Passes/TranslationValidation.h"
#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

using namespace llvm;

#define DEBUG_TYPE "neuropt-tv"

// Always enabled: Debian's LLVM is built without assertions, which
// compiles plain STATISTICs out (the plugin prints them for -stats).
ALWAYS_ENABLED_STATISTIC(NumProved,
                         "Functions whose transformation was proved");
ALWAYS_ENABLED_STATISTIC(NumRefuted,
                         "Functions whose transformation was refuted");
ALWAYS_ENABLED_STATISTIC(NumUnknown,
                         "Functions whose transformation stayed unknown");
ALWAYS_ENABLED_STATISTIC(NumBounded,
                         "Functions proved only up to the unroll bound");
ALWAYS_ENABLED_STATISTIC(NumUnchanged, "Functions the pipeline left unchanged");
ALWAYS_ENABLED_STATISTIC(NumSkipped,
                         "Functions skipped by -neuropt-tv-first/-last");

namespace {
enum class TVEngine { SMT, DiffExec, Layered };
} // namespace

static cl::opt<unsigned>
    TVTimeoutMs("neuropt-tv-timeout-ms", cl::init(5000),
                cl::desc("Solver time limit per query for neuropt-tv"));
static cl::opt<uint64_t> TVRlimit(
    "neuropt-tv-rlimit", cl::init(0),
    cl::desc("Solver resource units (Z3 rlimit) per function for neuropt-tv; "
             "unlike -neuropt-tv-timeout-ms, the same on every run and "
             "machine, so the verdicts are too (0: unlimited)"));
static cl::opt<unsigned>
    TVUnroll("neuropt-tv-unroll", cl::init(4),
             cl::desc("Loop unrolling bound for neuropt-tv"));
static cl::opt<TVEngine> TVEngineOpt(
    "neuropt-tv-engine", cl::init(TVEngine::SMT),
    cl::desc("Verifier stack used by neuropt-tv"),
    cl::values(clEnumValN(TVEngine::SMT, "smt", "SMT refinement check"),
               clEnumValN(TVEngine::DiffExec, "diffexec", "differential execution"),
               clEnumValN(TVEngine::Layered, "layered", "differential execution, then SMT")));
static cl::opt<bool>
    TVSummary("neuropt-tv-summary", cl::init(false),
              cl::desc("Print neuropt-tv's verdict counts to stderr after each module"));
static cl::opt<unsigned>
    TVFirst("neuropt-tv-first", cl::init(0),
            cl::desc("Validate only functions with index >= N (bisection)"));
static cl::opt<unsigned>
    TVLast("neuropt-tv-last", cl::init(~0u),
           cl::desc("Validate only functions with index <= N (bisection)"));

namespace neuropt {

static std::string printed(const Function &F) {
  std::string S;
  raw_string_ostream OS(S);
  F.print(OS);
  return OS.str();
}

PreservedAnalyses TranslationValidationPass::run(Module &M,
                                                 ModuleAnalysisManager &MAM) {
  // The original module, untouched by the inner pipeline.
  ValueToValueMapTy VMap;
  std::unique_ptr<Module> Orig = CloneModule(M, VMap);
  FunctionAnalysisManager &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();

  std::unique_ptr<Verifier> V;
  switch (TVEngineOpt) {
  case TVEngine::SMT:
    V = createSMTVerifier();
    break;
  case TVEngine::DiffExec:
    V = createDiffExecVerifier();
    break;
  case TVEngine::Layered:
    V = createDefaultVerifier();
    break;
  }
  VerifyOptions Opts;
  Opts.TimeoutMs = TVTimeoutMs;
  Opts.ResourceLimit = TVRlimit;
  Opts.UnrollBound = TVUnroll;

  bool Changed = false;
  unsigned Index = 0;
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    unsigned Idx = Index++;
    auto *OrigF = cast<Function>(VMap[&F]);
    PreservedAnalyses PA = Inner.run(F, FAM);
    FAM.invalidate(F, PA);
    OptimizationRemarkEmitter &ORE = FAM.getResult<OptimizationRemarkEmitterAnalysis>(F);
    if (printed(F) == printed(*OrigF)) {
      ++NumUnchanged;
      ORE.emit([&] {
        return OptimizationRemarkAnalysis(DEBUG_TYPE, "neuropt-tv", &F)
               << "@" << F.getName() << ": unchanged by " << PipelineText;
      });
      continue;
    }
    Changed = true;
    if (Idx < TVFirst || Idx > TVLast) {
      ++NumSkipped;
      continue;
    }
    VerifyResult R = V->verify(*OrigF, F, Opts);
    switch (R.V) {
    case Verdict::Proved:
      ++NumProved;
      break;
    case Verdict::Refuted:
      ++NumRefuted;
      break;
    case Verdict::Bounded:
      ++NumBounded;
      break;
    case Verdict::Unknown:
      ++NumUnknown;
      break;
    }
    ORE.emit([&] {
      OptimizationRemarkAnalysis Rem(DEBUG_TYPE, "neuropt-tv", &F);
      Rem << "@" << F.getName() << ": " << PipelineText << ": "
          << verdictLine(R);
      if (R.CEX) {
        Rem << "; counterexample:";
        for (auto &[Name, Val] : R.CEX->Inputs)
          Rem << " " << Name << " = " << Val << ";";
        Rem << " src: " << R.CEX->SrcValue << "; tgt: " << R.CEX->TgtValue;
        if (!R.CEX->Note.empty())
          Rem << "; " << R.CEX->Note;
      }
      return Rem;
    });
  }
  if (TVSummary)
    errs() << "neuropt-tv: " << M.getModuleIdentifier() << ": " << NumProved
           << " proved, " << NumRefuted << " refuted, " << NumUnknown
           << " unknown, " << NumBounded << " bounded, " << NumUnchanged
           << " unchanged (cumulative)\n";
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace neuropt
