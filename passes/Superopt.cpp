//===- Superopt.cpp - neuropt-synth superopt: fill the synthesis cache -*- C++ -*-===//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the neuropt-superopt pass. For each interesting
// integer root of each function it harvests the DAG, looks its canonical hash
// up in the synthesis cache (and, in synthesize mode, asks the synthesis
// engine on a miss and stores the answer), and splices a proved, strictly
// cheaper right-hand side in place of the root.
//
// Nothing read from the cache is trusted blindly: the RHS text must parse,
// have @lhs's signature and contain only DAG instructions, the entry must
// carry a certificate, and with -neuropt-superopt-reverify (the default in
// assertion builds) the refinement is proved again before the first use and
// every rewritten function is checked once more against its original.
//
// Cost accounting is for what the rewrite really removes: interior nodes of
// the LHS that have users outside it stay alive, so only the instructions
// that die with the root are weighed against the RHS. When the whole DAG
// gives no such saving, the part that dies with the root is tried as a DAG
// of its own, with the shared nodes as leaves (Synth/CutDAG.h).
//
//===----------------------------------------------------------------------===//

#include "neuropt/Passes/Superopt.h"
#include "neuropt/Cache/Cache.h"
#include "neuropt/Search/PipelineEvaluator.h"
#include "neuropt/Synth/CutDAG.h"
#include "neuropt/Synth/Harvest.h"
#include "neuropt/Synth/Synthesize.h"
#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/Local.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

#include <optional>
#include <unordered_map>

using namespace llvm;
using namespace neuropt;

#define DEBUG_TYPE "neuropt-superopt"

// Always enabled: Debian's LLVM is built without assertions, which
// compiles plain STATISTICs out (the plugin prints them for -stats).
ALWAYS_ENABLED_STATISTIC(NumDAGs, "Integer DAGs looked at");
ALWAYS_ENABLED_STATISTIC(NumHits, "Cache hits");
ALWAYS_ENABLED_STATISTIC(NumMisses, "Cache misses");
ALWAYS_ENABLED_STATISTIC(NumSynthesized, "DAGs sent to the synthesis engine");
ALWAYS_ENABLED_STATISTIC(NumRewrites, "Rewrites applied");
ALWAYS_ENABLED_STATISTIC(NumRejected, "Rewrite candidates rejected");
ALWAYS_ENABLED_STATISTIC(NumUndone,
                         "Rewrites undone because their function's code grew");
ALWAYS_ENABLED_STATISTIC(NumInstsSaved,
                         "IR instructions removed by rewrites (net)");

namespace {
enum class SuperoptMode { Off, Cache, Synthesize };
} // namespace

static cl::opt<SuperoptMode> ModeOpt(
    "neuropt-superopt-mode", cl::init(SuperoptMode::Cache),
    cl::desc("What neuropt-superopt does (in clang it runs at the end of the "
             "optimizer unless this is 'off')"),
    cl::values(clEnumValN(SuperoptMode::Cache, "cache",
                          "apply proved rewrites found in the cache only"),
               clEnumValN(SuperoptMode::Synthesize, "synthesize",
                          "also synthesize on cache misses and store the "
                          "results"),
               clEnumValN(SuperoptMode::Off, "off", "do nothing")));
static cl::opt<std::string> CacheSpec(
    "neuropt-cache", cl::init(""), cl::value_desc("PATH|sqlite:PATH|redis://HOST:PORT"),
    cl::desc("Synthesis cache used by neuropt-superopt (default: "
             "$NEUROPT_CACHE_DIR/synthesis.sqlite or "
             "~/.cache/neuropt/synthesis.sqlite)"));
static cl::opt<unsigned> BudgetMs(
    "neuropt-superopt-budget-ms", cl::init(1000),
    cl::desc("Synthesis budget per DAG in nominal milliseconds (synthesize "
             "mode), counted in deterministic work units (2000 per ms), so "
             "that the result does not depend on the machine's load; the "
             "wall clock is a guard at 4x plus one second"));
static cl::opt<unsigned> TotalBudgetMs(
    "neuropt-superopt-total-budget-ms", cl::init(60000),
    cl::desc("Synthesis budget per module in nominal milliseconds (work "
             "units, as -neuropt-superopt-budget-ms); past it the pass stops "
             "synthesizing, with a remark (0: no limit)"));
static cl::opt<unsigned> MaxRHSInsts(
    "neuropt-superopt-max-rhs-insts", cl::init(SynthOptions().MaxRHSInsts),
    cl::desc("Most instructions in a synthesized right-hand side"));
static cl::opt<unsigned> MaxSize(
    "neuropt-superopt-max-size", cl::init(HarvestOptions().MaxSize),
    cl::desc("Most instructions in one harvested DAG"));
static cl::opt<unsigned> SolverTimeoutMs(
    "neuropt-superopt-solver-timeout-ms", cl::init(2000),
    cl::desc("Solver limit per query when synthesizing or re-verifying, in "
             "nominal milliseconds (Z3's resource units, 2000 per ms; the "
             "wall clock is a guard at 4x)"));
static cl::opt<bool> Reverify(
    "neuropt-superopt-reverify",
#ifndef NDEBUG
    cl::init(true),
#else
    cl::init(false),
#endif
    cl::desc("Prove each cached rewrite again before its first use, and check "
             "each rewritten function against its original (on by default "
             "in assertion builds)"));
static cl::opt<int> FirstRewrite(
    "neuropt-superopt-first-rewrite", cl::init(0),
    cl::desc("Apply only rewrites with index >= N (bisection)"));
static cl::opt<int> LastRewrite(
    "neuropt-superopt-last-rewrite", cl::init(-1),
    cl::desc("Apply only rewrites with index <= N; -1: no limit (bisection)"));
static cl::opt<std::string> SkipFunctions(
    "neuropt-superopt-skip-functions", cl::init(""), cl::value_desc("regex"),
    cl::desc("Leave functions whose name matches this regular expression "
             "alone"));
enum class MeasureMode { None, Size, All };
static cl::opt<MeasureMode> MeasureWhat(
    "neuropt-superopt-measure", cl::init(MeasureMode::None),
    cl::desc("Generate code for each rewritten function before and after its "
             "rewrites, and undo them unless its code shrinks by at least "
             "-neuropt-superopt-min-bytes-saved (ELF targets)"),
    cl::values(
        clEnumValN(MeasureMode::Size, "size",
                   "functions optimized for size (optsize, minsize: -Os, -Oz)"),
        clEnumValN(MeasureMode::All, "all", "every rewritten function"),
        clEnumValN(MeasureMode::None, "none",
                   "none: trust the cost model (default: generating a "
                   "function twice cost 11-41% more compile time in the "
                   "modules where it ran, for a few bytes)")));
static cl::opt<unsigned> MeasureMaxInsts(
    "neuropt-superopt-measure-max-insts", cl::init(2000),
    cl::desc("Measure only rewritten functions of at most this many IR "
             "instructions (generating one twice costs about twice its "
             "share of code generation); above it, rewrites rest on the "
             "cost model (0: no limit)"));
static cl::opt<bool> RewriteBranchConditions(
    "neuropt-superopt-rewrite-branch-conditions", cl::init(true),
    cl::desc("Rewrite an i1 DAG that feeds a branch into a non-constant RHS "
             "in functions whose code is measured. Codegen lowers and/or of "
             "compares there into branch chains, so the IR cost does not "
             "predict code size: elsewhere they are left alone"));
static cl::opt<int> MinBytesSaved(
    "neuropt-superopt-min-bytes-saved", cl::init(0),
    cl::desc("Bytes of code a function's rewrites must save to be kept "
             "(0: never larger than without them)"));
static cl::opt<bool> DebugRewrites(
    "neuropt-superopt-debug",
    cl::desc("Print every rewrite candidate with its index, and every DAG "
             "sent to synthesis, to stderr"));
static cl::opt<bool> PrintStats(
    "neuropt-superopt-stats",
    cl::desc("Print a summary line per module to stderr"));

namespace neuropt {

bool SuperoptPass::isEnabled() { return ModeOpt != SuperoptMode::Off; }

namespace {

/// What this module run knows about one LHS hash.
struct Known {
  enum Kind { Nothing, NoCheaper, Rewrite } K = Nothing;
  std::string RHS, Certificate;
  /// Cache mode with re-verification: whether the proof was redone, and
  /// its outcome.
  bool Reverified = false, ReverifyOK = false;
  /// A reason that rules the entry out for the whole run (unparsable RHS,
  /// wrong signature, no certificate).
  std::string Bad;
  /// The cache or the engine answered (rewrite or no cheaper form).
  bool Answered = false;
};

/// Counters of one pass run, printed by -neuropt-superopt-stats.
struct RunStats {
  uint64_t DAGs = 0, Hits = 0, Misses = 0, Synthesized = 0, Found = 0,
           NoneCheaper = 0, BudgetOuts = 0, Unsupported = 0, SynthErrors = 0,
           Rewrites = 0, Rejected = 0, Skipped = 0, Cuts = 0, Undone = 0,
           Measured = 0;
  int64_t InstsSaved = 0, CostSaved = 0;
};

/// A parsed, checked right-hand side.
struct ParsedRHS {
  std::unique_ptr<Module> M;
  Function *F = nullptr;
  /// The instructions to clone, operands first (empty when @rhs returns an
  /// argument or a constant).
  SmallVector<const Instruction *, 8> Insts;
  const Value *Ret = nullptr;
  unsigned Cost = 0;
};

/// Limits of a re-verification: Z3's resource units, so that the verdict
/// is the same on every run, with the wall clock as a guard.
static VerifyOptions reverifyOptions() {
  VerifyOptions VO;
  VO.ResourceLimit = uint64_t(SolverTimeoutMs) * SynthWorkUnitsPerMs;
  VO.TimeoutMs = 4 * SolverTimeoutMs;
  return VO;
}

class SuperoptRun {
public:
  SuperoptRun(Module &M, FunctionAnalysisManager &FAM) : M(M), FAM(FAM) {}
  bool run();

private:
  Module &M;
  FunctionAnalysisManager &FAM;
  std::unique_ptr<SynthesisCache> Cache;
  bool Synthesizing = false;
  /// Keyed by LHS hash; references stay valid while it grows.
  std::unordered_map<uint64_t, Known> Memo;
  RunStats S;
  int NextIndex = 0;
  uint64_t SynthUnits = 0; ///< Work units the engine spent in this module.
  bool BudgetRemarked = false;
  std::unique_ptr<Verifier> Proof;
  /// Code generation for -neuropt-superopt-measure, created on first use.
  std::unique_ptr<PipelineEvaluator> Eval;
  bool EvalTried = false;
  std::string EvalError;

  bool openCache();
  bool runOnFunction(Function &F);
  /// Looks \p D up (and synthesizes it in synthesize mode) and, if a proved
  /// cheaper RHS exists, splices it in place of \p Root with \p Leaves as
  /// its arguments. Returns whether it rewrote.
  bool tryRewrite(Function &F, const HarvestedDAG &D, ArrayRef<Value *> Leaves,
                  Instruction *Root, bool Cut, OptimizationRemarkEmitter &ORE,
                  SmallPtrSetImpl<const Value *> &Erased, Function *&Original);
  Known &lookup(const HarvestedDAG &D, OptimizationRemarkEmitter &ORE);
  Expected<ParsedRHS> parseRHS(const Known &K, const HarvestedDAG &D);
  bool reverify(Known &K, const HarvestedDAG &D, const ParsedRHS &R);
  /// Moves \p Original's body back into \p F, undoing F's rewrites.
  static void restoreBody(Function &F, Function &Original);
  /// Code bytes of \p Original and \p F (before and after the rewrites),
  /// generated side by side; none, with a remark, where they cannot be
  /// measured (no target, not ELF).
  std::optional<std::pair<uint64_t, uint64_t>>
  codeBytes(const Function &F, const Function &Original,
            OptimizationRemarkEmitter &ORE);
  /// Whether \p F is small enough to be measured.
  static bool smallEnough(const Function &F) {
    return !MeasureMaxInsts || F.getInstructionCount() <= MeasureMaxInsts;
  }
  /// Whether -neuropt-superopt-measure asks for \p F to be measured.
  static bool measuredKind(const Function &F) {
    return MeasureWhat == MeasureMode::All ||
           (MeasureWhat == MeasureMode::Size && F.hasOptSize());
  }
  /// Whether the code of \p F, once rewritten, will be measured: it is of
  /// a kind measured, small enough, and the target can generate an ELF
  /// object (the code generator is created on first use).
  bool measured(const Function &F) {
    return measuredKind(F) && smallEnough(F) && canMeasure();
  }
  /// Whether rewritten functions can be measured at all.
  bool canMeasure();
  void printStats() const;
};

} // namespace

static void warn(const Twine &Msg) {
  WithColor::warning(errs(), "neuropt-superopt") << Msg << '\n';
}

bool SuperoptRun::openCache() {
  std::string Spec = CacheSpec.empty() ? getDefaultCachePath() : CacheSpec;
  StringRef Path = Spec;
  bool IsFile = !Path.contains("://");
  if (IsFile)
    Path.consume_front("sqlite:");
  // Cache mode only reads: a missing file means there is nothing to apply,
  // and creating one in every compile would be a side effect.
  if (!Synthesizing && IsFile && !sys::fs::exists(Path))
    return false;
  CacheOptions Opts;
  // A compile in cache mode only reads, and must stay cheap: the full-file
  // integrity check is left to synthesize mode and the offline driver.
  // Damage is still caught by the header checks on open and by the
  // per-entry checksums.
  Opts.CheckIntegrityOnOpen = Synthesizing;
  Expected<std::unique_ptr<SynthesisCache>> C = createCache(Spec, Opts);
  if (!C) {
    warn("cannot use the cache '" + Spec + "': " + toString(C.takeError()) +
         "; continuing without it");
    return Synthesizing;
  }
  Cache = std::move(*C);
  if (!Synthesizing) {
    // An empty cache cannot change anything: do not even harvest.
    Expected<uint64_t> N = Cache->size();
    if (!N) {
      warn("cannot read the cache '" + Cache->describe() +
           "': " + toString(N.takeError()) + "; continuing without it");
      return false;
    }
    if (*N == 0)
      return false;
  }
  return true;
}

/// Every non-terminator of \p F's single block must be a DAG instruction
/// reachable from the return; returns why not, or "".
static std::string checkRHSShape(const Function &F, const HarvestedDAG &D) {
  if (F.arg_size() != D.Leaves.size())
    return "@rhs takes " + std::to_string(F.arg_size()) + " arguments, @lhs " +
           std::to_string(D.Leaves.size());
  if (F.getReturnType() != D.Root->getType())
    return "@rhs returns a different type";
  for (unsigned A = 0, E = F.arg_size(); A != E; ++A)
    if (F.getArg(A)->getType() != D.Leaves[A].V->getType())
      return "argument " + std::to_string(A) + " of @rhs has a different type";
  if (F.size() != 1)
    return "@rhs is not a single block";
  for (const Instruction &I : F.front()) {
    if (I.isTerminator())
      continue;
    if (!isHarvestableInst(I))
      return "@rhs contains an instruction that is not an integer DAG node";
  }
  if (!isa<ReturnInst>(F.front().getTerminator()))
    return "@rhs does not end in ret";
  return "";
}

Expected<ParsedRHS> SuperoptRun::parseRHS(const Known &K,
                                          const HarvestedDAG &D) {
  ParsedRHS R;
  SMDiagnostic Diag;
  // clang's context discards value names, and the IR parser refuses to
  // read named values into such a context.
  LLVMContext &Ctx = M.getContext();
  bool Discard = Ctx.shouldDiscardValueNames();
  Ctx.setDiscardValueNames(false);
  R.M = parseAssemblyString(K.RHS, Diag, Ctx);
  Ctx.setDiscardValueNames(Discard);
  if (!R.M)
    return createStringError(inconvertibleErrorCode(),
                             "the cached RHS does not parse (line %d: %s)",
                             Diag.getLineNo(), Diag.getMessage().str().c_str());
  if (verifyModule(*R.M))
    return createStringError(inconvertibleErrorCode(),
                             "the cached RHS is not valid IR");
  R.F = R.M->getFunction("rhs");
  if (!R.F || R.F->isDeclaration())
    return createStringError(inconvertibleErrorCode(),
                             "the cached RHS has no @rhs function");
  std::string Why = checkRHSShape(*R.F, D);
  if (!Why.empty())
    return createStringError(inconvertibleErrorCode(), "the cached RHS: %s",
                             Why.c_str());
  R.Ret = cast<ReturnInst>(R.F->front().getTerminator())->getReturnValue();
  if (const auto *RI = dyn_cast<Instruction>(R.Ret)) {
    HarvestOptions All;
    All.MaxSize = MaxHarvestSize;
    All.LeafFacts = false;
    HarvestedDAG RD = extractDAG(*RI, All);
    R.Insts.assign(RD.Insts.begin(), RD.Insts.end());
    R.Cost = dagCost(RD);
  }
  return R;
}

Known &SuperoptRun::lookup(const HarvestedDAG &D,
                           OptimizationRemarkEmitter &ORE) {
  auto [It, New] = Memo.try_emplace(D.Hash);
  Known &K = It->second;
  if (!New)
    return K;
  std::string Hash = D.hashHex();
  if (Cache) {
    Expected<std::optional<CacheEntry>> E = Cache->get(Hash);
    if (!E) {
      warn("cache lookup failed: " + toString(E.takeError()) +
           "; continuing without the cache");
      Cache.reset();
    } else if (*E) {
      ++S.Hits;
      ++NumHits;
      K.Answered = true;
      if ((*E)->isRewrite()) {
        K.K = Known::Rewrite;
        K.RHS = (*E)->RHS;
        K.Certificate = (*E)->Certificate;
      } else {
        K.K = Known::NoCheaper;
      }
      return K;
    }
  }
  ++S.Misses;
  ++NumMisses;
  if (!Synthesizing)
    return K;
  if (TotalBudgetMs &&
      SynthUnits >= uint64_t(TotalBudgetMs) * SynthWorkUnitsPerMs) {
    if (!BudgetRemarked) {
      BudgetRemarked = true;
      ORE.emit([&] {
        return OptimizationRemarkAnalysis(DEBUG_TYPE, "TotalBudget", D.Root)
               << "total synthesis budget of "
               << ore::NV("BudgetMs", TotalBudgetMs.getValue()) << " ms ("
               << ore::NV("BudgetUnits",
                          uint64_t(TotalBudgetMs) * SynthWorkUnitsPerMs)
               << " work units) used up; no more synthesis in this module";
      });
    }
    return K;
  }

  SynthOptions SO;
  SO.BudgetMs = BudgetMs;
  SO.MaxRHSInsts = MaxRHSInsts;
  SO.SolverTimeoutMs = SolverTimeoutMs;
  ++S.Synthesized;
  ++NumSynthesized;
  if (DebugRewrites)
    errs() << "neuropt-superopt: synthesizing DAG " << Hash << " (" << D.size()
           << " instructions)\n"
           << D.Canonical;
  Expected<SynthResult> R = synthesize(D, SO);
  if (R)
    SynthUnits += R->Stats.Units;
  if (!R) {
    ++S.SynthErrors;
    std::string Msg = toString(R.takeError());
    ORE.emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE, "SynthesisError", D.Root)
             << "synthesis failed for DAG " << Hash << ": " << Msg;
    });
    return K;
  }
  std::optional<CacheEntry> Store;
  switch (R->Status) {
  case SynthStatus::Found:
    ++S.Found;
    K.Answered = true;
    K.K = Known::Rewrite;
    K.RHS = R->RHSText;
    K.Certificate = R->Certificate;
    // The engine has just proved it.
    K.Reverified = K.ReverifyOK = true;
    Store = CacheEntry::rewrite(R->RHSText, R->Certificate,
                                int64_t(R->LHSCost) - int64_t(R->RHSCost),
                                "neuropt-superopt/1");
    break;
  case SynthStatus::NoneCheaper:
    ++S.NoneCheaper;
    K.Answered = true;
    K.K = Known::NoCheaper;
    Store = CacheEntry::noCheaperForm(R->Certificate, "neuropt-superopt/1");
    break;
  case SynthStatus::Budget:
    // Not stored: a larger budget may still succeed.
    ++S.BudgetOuts;
    break;
  case SynthStatus::Unsupported:
    ++S.Unsupported;
    break;
  }
  if (R->Status == SynthStatus::Budget ||
      R->Status == SynthStatus::Unsupported)
    ORE.emit([&] {
      return OptimizationRemarkAnalysis(DEBUG_TYPE, "NotSynthesized", D.Root)
             << "DAG " << ore::NV("LHSHash", Hash) << ": "
             << synthStatusName(R->Status)
             << (R->Reason.empty() ? "" : ": ") << R->Reason;
    });
  if (Store && Cache) {
    Expected<bool> Put = Cache->put(Hash, *Store);
    if (!Put) {
      warn("cannot store in the cache: " + toString(Put.takeError()) +
           "; continuing without the cache");
      Cache.reset();
    }
  }
  return K;
}

bool SuperoptRun::reverify(Known &K, const HarvestedDAG &D,
                           const ParsedRHS &R) {
  if (K.Reverified)
    return K.ReverifyOK;
  K.Reverified = true;
  // The source the engine proved against: @lhs with the leaves' facts as
  // a precondition (plain toFunction() would drop them).
  std::unique_ptr<Module> LHS = synthesisSource(D);
  if (!Proof)
    Proof = createSMTVerifier();
  VerifyResult V =
      Proof->verify(*LHS->getFunction("lhs"), *R.F, reverifyOptions());
  K.ReverifyOK = V.proved();
  if (!K.ReverifyOK)
    K.Bad = "re-verification of the cached RHS failed: " + verdictLine(V);
  return K.ReverifyOK;
}

/// Clones \p R's body before \p Root, with \p Leaves as its arguments, and
/// returns the value that replaces the root.
static Value *splice(const ParsedRHS &R, ArrayRef<Value *> Leaves,
                     Instruction *Root, Module &M, unsigned &NumNew) {
  ValueToValueMapTy VM;
  for (unsigned A = 0, E = R.F->arg_size(); A != E; ++A)
    VM[R.F->getArg(A)] = Leaves[A];
  for (const Instruction *RI : R.Insts) {
    Instruction *NI = RI->clone();
    RemapInstruction(NI, VM,
                     RF_NoModuleLevelChanges | RF_IgnoreMissingLocals);
    if (auto *Call = dyn_cast<CallInst>(NI)) {
      // The intrinsic's declaration lives in the RHS module.
      Function *Callee = Call->getCalledFunction();
      Call->setCalledFunction(M.getOrInsertFunction(
          Callee->getName(), Callee->getFunctionType(),
          Callee->getAttributes()));
    }
    NI->dropUnknownNonDebugMetadata();
    NI->setDebugLoc(Root->getDebugLoc());
    NI->insertBefore(Root->getIterator());
    VM[RI] = NI;
    ++NumNew;
  }
  Value *New;
  if (const auto *A = dyn_cast<Argument>(R.Ret))
    New = Leaves[A->getArgNo()];
  else if (isa<Constant>(R.Ret))
    New = const_cast<Value *>(R.Ret); // Same context: uniqued.
  else
    New = VM.lookup(R.Ret);
  if (auto *NI = dyn_cast<Instruction>(New); NI && !R.Insts.empty() &&
                                             NI->getParent() == Root->getParent())
    NI->takeName(Root);
  return New;
}

bool SuperoptRun::tryRewrite(Function &F, const HarvestedDAG &D,
                             ArrayRef<Value *> Leaves, Instruction *Root,
                             bool Cut, OptimizationRemarkEmitter &ORE,
                             SmallPtrSetImpl<const Value *> &Erased,
                             Function *&Original) {
  Known &K = lookup(D, ORE);
  if (K.K != Known::Rewrite)
    return false;
  std::string Hash = D.hashHex();
  StringRef Kind = Cut ? "cut DAG " : "DAG ";
  auto Reject = [&](const Twine &Why) {
    ++S.Rejected;
    ++NumRejected;
    std::string Text = Why.str();
    ORE.emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE, "Rejected", Root)
             << Kind << ore::NV("LHSHash", Hash) << " not rewritten: " << Text;
    });
    return false;
  };
  if (!K.Bad.empty())
    return Reject(K.Bad);
  if (K.Certificate.empty()) {
    K.Bad = "the cache entry has no certificate";
    return Reject(K.Bad);
  }
  Expected<ParsedRHS> R = parseRHS(K, D);
  if (!R) {
    K.Bad = toString(R.takeError());
    return Reject(K.Bad);
  }
  // The hash does not say which leaves are never undef or poison, but a
  // proof may have assumed it (`noundef` on @rhs's parameters): check it
  // here, where the leaves are known.
  for (unsigned A = 0, E = R->F->arg_size(); A != E; ++A)
    if (R->F->hasParamAttribute(A, Attribute::NoUndef) &&
        !isGuaranteedNotToBeUndefOrPoison(Leaves[A]))
      return Reject("the cached RHS assumes that leaf " + Twine(A) +
                    " is never undef or poison, which is not known here");
  // A cut DAG dies whole with its root; a harvested one may keep nodes
  // alive that other code uses.
  SmallPtrSet<const Instruction *, 16> Dying = dyingInsts(D);
  HarvestedDAG Removed = D;
  Removed.Insts.clear();
  Removed.Swapped.clear();
  for (auto [I, Sw] : zip_equal(D.Insts, D.Swapped))
    if (Dying.contains(I)) {
      Removed.Insts.push_back(I);
      Removed.Swapped.push_back(Sw);
    }
  unsigned LHSCost = dagCost(D), RemovedCost = dagCost(Removed);
  if (R->Cost >= RemovedCost)
    return Reject("not cheaper here: the RHS costs " + Twine(R->Cost) +
                  ", the instructions it would remove cost " +
                  Twine(RemovedCost) + " (LHS " + Twine(LHSCost) +
                  "; shared nodes stay alive)");
  if (!(RewriteBranchConditions && measured(F)) &&
      Root->getType()->isIntegerTy(1) && !isa<Constant>(R->Ret) &&
      !Root->use_empty() &&
      any_of(Root->users(), [](const User *U) { return isa<BranchInst>(U); }))
    return Reject("it is a branch condition, which codegen lowers on its own "
                  "(rewritten only where the code is measured: "
                  "-neuropt-superopt-measure, "
                  "-neuropt-superopt-rewrite-branch-conditions)");
  if (Reverify && !reverify(K, D, *R)) // Fresh results count as proved.
    return Reject(K.Bad);
  int Index = NextIndex++;
  bool InRange =
      Index >= FirstRewrite && (LastRewrite < 0 || Index <= LastRewrite);
  if (DebugRewrites)
    errs() << "neuropt-superopt: rewrite " << Index << " @" << F.getName()
           << " " << Kind << Hash << " cost " << RemovedCost << " -> "
           << R->Cost
           << (InRange ? "" : " (skipped: outside "
                              "-neuropt-superopt-first-rewrite/-last-rewrite)")
           << '\n';
  LLVM_DEBUG(dbgs() << "neuropt-superopt: rewrite " << Index << " hash "
                    << Hash << '\n');
  if (!InRange) {
    ++S.Skipped;
    return false;
  }

  if ((Reverify || measuredKind(F)) && !Original) {
    ValueToValueMapTy VMap;
    Original = CloneFunction(&F, VMap);
    Original->setLinkage(GlobalValue::PrivateLinkage);
  }
  unsigned NumNew = 0, NumErased = 0;
  Value *New = splice(*R, Leaves, Root, M, NumNew);
  ORE.emit([&] {
    return OptimizationRemark(DEBUG_TYPE, "Rewrote", Root)
           << "rewrote " << Kind << ore::NV("LHSHash", Hash) << " ("
           << ore::NV("LHSInsts", D.size()) << " instructions, "
           << ore::NV("Removed", unsigned(Removed.Insts.size()))
           << " removed, cost " << ore::NV("LHSCost", RemovedCost)
           << ") into " << ore::NV("RHSInsts", unsigned(R->Insts.size()))
           << " instructions of cost " << ore::NV("RHSCost", R->Cost);
  });
  Root->replaceAllUsesWith(New);
  RecursivelyDeleteTriviallyDeadInstructions(
      Root, /*TLI=*/nullptr, /*MSSAU=*/nullptr, [&](Value *V) {
        Erased.insert(V);
        ++NumErased;
      });
  ++S.Rewrites;
  ++NumRewrites;
  S.CostSaved += int64_t(RemovedCost) - int64_t(R->Cost);
  int64_t Saved = int64_t(NumErased) - int64_t(NumNew);
  S.InstsSaved += Saved;
  if (Saved > 0)
    NumInstsSaved += Saved;
  return true;
}

bool SuperoptRun::runOnFunction(Function &F) {
  OptimizationRemarkEmitter &ORE =
      FAM.getResult<OptimizationRemarkEmitterAnalysis>(F);
  HarvestOptions HO;
  HO.MaxSize = MaxSize;
  std::vector<HarvestedDAG> DAGs = harvestFunction(F, HO);
  // Instructions deleted so far: a DAG that contains one was changed under
  // its feet and is extracted again from its root.
  SmallPtrSet<const Value *, 32> Erased;
  Function *Original = nullptr;
  uint64_t RewritesBefore = S.Rewrites;
  int64_t CostSavedBefore = S.CostSaved, InstsSavedBefore = S.InstsSaved;
  uint64_t InstsSavedStatBefore = NumInstsSaved;

  for (HarvestedDAG &D : DAGs) {
    if (!Erased.empty()) {
      if (Erased.contains(D.Root))
        continue;
      bool Stale = any_of(D.Insts,
                          [&](const Instruction *I) { return Erased.contains(I); }) ||
                   any_of(D.Leaves,
                          [&](const LeafInfo &L) { return Erased.contains(L.V); });
      if (Stale)
        D = extractDAG(*D.Root, HO);
    }
    ++S.DAGs;
    ++NumDAGs;
    SmallVector<Value *, 8> Leaves;
    for (const LeafInfo &L : D.Leaves)
      Leaves.push_back(const_cast<Value *>(L.V));
    auto *Root = const_cast<Instruction *>(D.Root);
    if (tryRewrite(F, D, Leaves, Root, /*Cut=*/false, ORE, Erased, Original))
      continue;
    // Interior nodes used elsewhere stay alive whatever replaces the root:
    // try the part that dies with it, as a DAG of its own. The driver
    // stores a DAG's cut right after the DAG, so in cache mode a DAG the
    // cache has never seen is not worth the cost of building its cut.
    if (!Synthesizing && !Memo[D.Hash].Answered)
      continue;
    std::optional<CutDAG> C = cutDAG(D);
    if (!C)
      continue;
    ++S.Cuts;
    tryRewrite(F, C->DAG, C->Sources, Root, /*Cut=*/true, ORE, Erased,
               Original);
  }
  bool Changed = S.Rewrites != RewritesBefore;
  if (!Original)
    return Changed;

  std::optional<std::string> UndoWhy;
  if (Reverify) {
    // One more check of the whole function: every rewrite was proved on its
    // own, so a refutation here means a bug in splicing or accounting.
    std::unique_ptr<Verifier> V = createDefaultVerifier();
    VerifyResult VR = V->verify(*Original, F, reverifyOptions());
    if (VR.refuted()) {
      warn("rewritten @" + F.getName() + " does not refine the original (" +
           verdictLine(VR) + "); its rewrites are undone");
      UndoWhy = "the function failed re-verification";
    } else {
      ORE.emit([&] {
        return OptimizationRemarkAnalysis(DEBUG_TYPE, "Reverified", &F)
               << "rewritten @" << F.getName() << " re-verified: "
               << verdictLine(VR);
      });
    }
  }
  // The cost model judges IR; the code is what users get. A function whose
  // rewrites do not pay off in its generated code gets its original back.
  if (!UndoWhy && Changed && measuredKind(F))
    if (std::optional<std::pair<uint64_t, uint64_t>> Bytes =
            codeBytes(F, *Original, ORE)) {
      ++S.Measured;
      auto [Before, After] = *Bytes;
      int64_t Saved = int64_t(Before) - int64_t(After);
      if (Saved < MinBytesSaved)
        UndoWhy = formatv("its code would {0} from {1} to {2} bytes{3}",
                          Saved < 0 ? "grow" : "only go", Before, After,
                          MinBytesSaved ? formatv(" (-neuropt-superopt-min-"
                                                  "bytes-saved={0})",
                                                  int(MinBytesSaved))
                                              .str()
                                        : std::string())
                      .str();
      else
        ORE.emit([&] {
          return OptimizationRemarkAnalysis(DEBUG_TYPE, "Measured", &F)
                 << "rewritten @" << F.getName() << " ("
                 << ore::NV("Instructions", F.getInstructionCount())
                 << " instructions): " << ore::NV("BytesBefore", Before)
                 << " -> " << ore::NV("BytesAfter", After) << " bytes of code";
        });
    }
  if (UndoWhy) {
    restoreBody(F, *Original);
    uint64_t N = S.Rewrites - RewritesBefore;
    S.Undone += N;
    NumUndone += N;
    S.Rewrites = RewritesBefore;
    NumRewrites -= N;
    S.CostSaved = CostSavedBefore;
    S.InstsSaved = InstsSavedBefore;
    NumInstsSaved = InstsSavedStatBefore;
    ORE.emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE, "Undone", &F)
             << "rewrites of @" << F.getName() << " undone: " << *UndoWhy;
    });
  }
  Original->eraseFromParent();
  return Changed;
}

void SuperoptRun::restoreBody(Function &F, Function &Original) {
  for (BasicBlock &BB : F)
    BB.dropAllReferences();
  while (!F.empty())
    F.begin()->eraseFromParent();
  F.splice(F.end(), &Original);
  for (unsigned A = 0, E = F.arg_size(); A != E; ++A)
    Original.getArg(A)->replaceAllUsesWith(F.getArg(A));
}

bool SuperoptRun::canMeasure() {
  if (MeasureWhat == MeasureMode::None)
    return false;
  if (!EvalTried) {
    EvalTried = true;
    const Triple &T = M.getTargetTriple();
    CodegenConfig Config;
    if (!T.str().empty())
      Config.Triple = T.str();
    Config.PIC = M.getPICLevel() != PICLevel::NotPIC;
    if (!Triple(Config.Triple).isOSBinFormatELF()) {
      EvalError = "only ELF objects are measured";
    } else {
      Expected<std::unique_ptr<PipelineEvaluator>> E =
          PipelineEvaluator::create(Config);
      if (E)
        Eval = std::move(*E);
      else
        EvalError = toString(E.takeError());
    }
  }
  return Eval != nullptr;
}

std::optional<std::pair<uint64_t, uint64_t>>
SuperoptRun::codeBytes(const Function &F, const Function &Original,
                       OptimizationRemarkEmitter &ORE) {
  auto Unmeasured = [&](const Twine &Why) {
    ORE.emit([&] {
      return OptimizationRemarkAnalysis(DEBUG_TYPE, "Unmeasured", &F)
             << "rewrites of @" << F.getName()
             << " kept without measuring their code: " << Why.str();
    });
    return std::nullopt;
  };
  if (!canMeasure())
    return Unmeasured(EvalError);
  if (!smallEnough(F))
    return Unmeasured(formatv("it has {0} instructions "
                              "(-neuropt-superopt-measure-max-insts={1})",
                              F.getInstructionCount(),
                              unsigned(MeasureMaxInsts))
                          .str());
  // A module that defines only the two versions, under names of their own
  // (either may be internal or unnamed): everything else is declared, so
  // both are generated in the same surroundings.
  ValueToValueMapTy VMap;
  std::unique_ptr<Module> Pair =
      CloneModule(M, VMap, [&](const GlobalValue *GV) {
        return GV == &F || GV == &Original;
      });
  auto *New = cast<Function>(VMap[&F]);
  auto *Old = cast<Function>(VMap[&Original]);
  for (Function *Fn : {New, Old}) {
    Fn->setLinkage(GlobalValue::ExternalLinkage);
    Fn->setVisibility(GlobalValue::DefaultVisibility);
  }
  New->setName("__neuropt_superopt_rewritten");
  Old->setName("__neuropt_superopt_original");
  std::string NewName = New->getName().str(), OldName = Old->getName().str();
  Expected<SizeMeasurement> Size = Eval->evaluateInPlace(*Pair, "");
  if (!Size)
    return Unmeasured(toString(Size.takeError()));
  std::optional<uint64_t> Before, After;
  for (const auto &[Name, Bytes] : Size->Object.FunctionBytes) {
    if (Name == OldName)
      Before = Bytes;
    else if (Name == NewName)
      After = Bytes;
  }
  if (!Before || !After)
    return Unmeasured("a function symbol is missing from the object");
  return std::make_pair(*Before, *After);
}

void SuperoptRun::printStats() const {
  errs() << "neuropt-superopt: " << M.getModuleIdentifier() << ": " << S.DAGs
         << " DAGs (+" << S.Cuts << " cut), " << S.Hits << " cache hits, "
         << S.Misses << " misses, " << S.Synthesized << " synthesized ("
         << S.Found << " found, " << S.NoneCheaper << " none cheaper, "
         << S.BudgetOuts << " over budget, " << S.Unsupported
         << " unsupported, " << S.SynthErrors << " errors), " << S.Rewrites
         << " rewrites, " << S.Rejected << " rejected, " << S.Undone
         << " undone (" << S.Measured << " functions measured), " << S.Skipped
         << " skipped by bisection, " << S.InstsSaved
         << " instructions saved, cost saved " << S.CostSaved << "\n";
}

bool SuperoptRun::run() {
  Synthesizing = ModeOpt == SuperoptMode::Synthesize;
  if (!openCache()) {
    if (PrintStats)
      printStats();
    return false;
  }
  std::optional<Regex> Skip;
  if (!SkipFunctions.empty()) {
    Skip.emplace(SkipFunctions);
    std::string Err;
    if (!Skip->isValid(Err)) {
      warn("bad -neuropt-superopt-skip-functions '" + SkipFunctions +
           "': " + Err + "; no function is skipped");
      Skip.reset();
    }
  }
  // Collected first: re-verification clones functions into the module.
  SmallVector<Function *, 32> Fns;
  for (Function &F : M)
    if (!F.isDeclaration() && !(Skip && Skip->match(F.getName())))
      Fns.push_back(&F);
  bool Changed = false;
  for (Function *F : Fns) {
    if (runOnFunction(*F)) {
      Changed = true;
      FAM.invalidate(*F, PreservedAnalyses::none());
    }
  }
  if (PrintStats)
    printStats();
  return Changed;
}

PreservedAnalyses SuperoptPass::run(Module &M, ModuleAnalysisManager &MAM) {
  if (ModeOpt == SuperoptMode::Off)
    return PreservedAnalyses::all();
  FunctionAnalysisManager &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  SuperoptRun Run(M, FAM);
  if (!Run.run())
    return PreservedAnalyses::all();
  PreservedAnalyses PA;
  PA.preserveSet<CFGAnalyses>();
  return PA;
}

} // namespace neuropt
