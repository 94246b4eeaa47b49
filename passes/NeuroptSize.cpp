//===- NeuroptSize.cpp - Learned pass ordering for code size ---------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements neuropt-size. Per translation unit:
//  1. the stock result is the module clang's -Oz produced (or, in opt, -Oz
//     run here on the input), measured by real code generation;
//  2. the size model scores every coreset sequence for the unoptimized
//     module; without a usable model the coreset's own order (greedy
//     coverage order, best first) is the fallback;
//  3. the top k sequences each run on a fresh copy of the unoptimized module
//     in a context of their own, must pass the LLVM verifier, and are
//     measured; with more than one thread (-neuropt-size-threads) they
//     start on background threads at the pipeline's start (clang) and run
//     beside -Oz's own optimization and measurement; with
//     -neuropt-size-extension one more candidate runs a short pipeline on a
//     copy of -Oz's result, beside -Oz's measurement; by default
//     (-neuropt-size-isolate) all of this runs in forked child processes,
//     so a pass that crashes costs one candidate and the budget is a hard
//     deadline (ChildJobs in Support/ChildProcess.h);
//  4. candidates smaller than stock, smallest first, go to the refinement
//     verifier, function by function against the unoptimized source: one
//     refuted function rejects the candidate;
//  5. the first candidate that survives replaces the module's contents (by
//     moving its globals, so the measured module is the emitted module).
// With -neuropt-size-cache, step 3 starts with the pipeline an earlier
// compilation of the same unoptimized module found, and tries it alone (or
// nothing, if that compilation found nothing smaller) when that compilation
// tried at least what this one would (SizeCache.h).
// A wall-clock budget bounds the whole; every decision is a remark.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Passes/NeuroptSize.h"

#include "neuropt/IR/InlineHelpers.h"
#include "neuropt/IR/SameFunction.h"
#include "neuropt/Passes/ModelSupport.h"
#include "neuropt/Search/ModuleSwap.h"
#include "neuropt/Search/PassSearch.h"
#include "neuropt/Search/PipelineEvaluator.h"
#include "neuropt/Search/SizeCache.h"
#include "neuropt/Search/SizeModel.h"
#include "neuropt/Support/ChildProcess.h"
#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Pass.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

using namespace llvm;
using namespace neuropt;

#define DEBUG_TYPE "neuropt-size"

// The pass's decisions as statistics (clang -save-stats, -Xclang
// -stats-file=F). Always enabled: Debian's LLVM is built without
// assertions, which compiles plain STATISTICs out.
ALWAYS_ENABLED_STATISTIC(NumApplied,
                         "Translation units given a candidate's result");
ALWAYS_ENABLED_STATISTIC(NumKeptStock, "Translation units that kept -Oz's result");
ALWAYS_ENABLED_STATISTIC(NumOutOfBudget,
                         "Translation units whose budget ran out");
ALWAYS_ENABLED_STATISTIC(NumCandidates, "Candidates measured against -Oz");
ALWAYS_ENABLED_STATISTIC(NumFailed,
                         "Candidates that failed (a crash, an error or the "
                         "time limit) before they were measured");
ALWAYS_ENABLED_STATISTIC(NumRejectedVerify,
                         "Smaller candidates rejected by verification");
ALWAYS_ENABLED_STATISTIC(NumRejectedUnwind,
                         "Smaller candidates rejected because the unwind "
                         "tables grew by more");
ALWAYS_ENABLED_STATISTIC(StockBytes, "Objective bytes (.text + .rodata + "
                                     ".data) of -Oz's results");
ALWAYS_ENABLED_STATISTIC(SavedBytes, "Objective bytes saved against -Oz");
ALWAYS_ENABLED_STATISTIC(FnsSame, "Functions of applied candidates that are "
                                  "-Oz's own");
ALWAYS_ENABLED_STATISTIC(FnsProved, "Functions of applied candidates proved");
ALWAYS_ENABLED_STATISTIC(FnsBounded, "Functions of applied candidates proved "
                                     "up to the unroll bound");
ALWAYS_ENABLED_STATISTIC(FnsDefinedInputs,
                         "Functions of applied candidates proved or bounded "
                         "for inputs without undef bits only");
ALWAYS_ENABLED_STATISTIC(FnsUnknown, "Functions of applied candidates the "
                                     "verifier could not decide");
ALWAYS_ENABLED_STATISTIC(FnsUnchecked, "Functions of applied candidates not "
                                       "checked (no counterpart, or no budget "
                                       "left)");
ALWAYS_ENABLED_STATISTIC(FnsInlined, "Functions of applied candidates checked "
                                     "inlined in their callers");

static cl::opt<bool> EnableInClang(
    "neuropt-size",
    cl::desc("Run neuropt-size at the end of the -Oz pipeline (clang -Oz "
             "with the plugin)"),
    cl::init(true));
static cl::opt<unsigned>
    SizeK("neuropt-size-k",
          cl::desc("Candidates (top-k coreset sequences) measured per "
                   "translation unit"),
          cl::init(1));
static cl::opt<unsigned> BudgetMs(
    "neuropt-size-budget-ms",
    cl::desc("Wall-clock budget per translation unit in ms; candidates "
             "and the search stop a tenth of it (at most 2 s) earlier, so "
             "that the smallest one measured can still be verified; when "
             "it runs out the pass keeps the best verified result so far"),
    cl::init(30000));
static cl::opt<float> CandidateTimeFactor(
    "neuropt-size-candidate-time-factor",
    cl::desc("Stop a candidate's pipeline (and drop the candidate) once it "
             "has run this many times as long as measuring -Oz's result by "
             "code generation took, at least 50 ms (0: only the budget "
             "-neuropt-size-budget-ms stops it)"),
    cl::init(0.0f));
static cl::opt<unsigned> SizeThreads(
    "neuropt-size-threads",
    cl::desc("Threads for the candidates and -Oz's measurement: with more "
             "than one, the candidates start at the pipeline's start on "
             "background threads, beside -Oz's own optimization (0: one "
             "per available core; 1: everything one after the other at the "
             "end, as in a build that already keeps every core busy)"),
    cl::init(0));
static cl::opt<bool> Isolate(
    "neuropt-size-isolate", cl::init(true),
    cl::desc("Run the candidates' pipelines and code generation in forked "
             "child processes: a pass that crashes or aborts on a candidate "
             "costs that candidate, not the compilation, and the budget "
             "(-neuropt-size-budget-ms) is a hard deadline at which the "
             "children are killed, and each candidate allocates from a "
             "fresh malloc arena, so its code does not depend on the heap's "
             "layout (LLVM 22's gvn-sink orders users by address). Needs "
             "Linux and a single-threaded host process; otherwise the "
             "candidates run in this process"));

static cl::opt<std::string> SizeModelName(
    "neuropt-size-model",
    cl::desc("Size model in -neuropt-model-dir, or 'off' to rank the "
             "coreset without a model (its stored order)"),
    cl::init("size"));
static cl::opt<float> MinPredicted(
    "neuropt-size-min-predicted",
    cl::desc("Skip candidates whose model score is below this (an MLP's "
             "predicted gain in percent over the coreset's median sequence, "
             "a graph model's predicted chance in percent that the sequence "
             "is the smallest); the default tries all k"),
    cl::init(-100.0f));
enum class RankMode { Hybrid, Model };
static cl::opt<RankMode> RankWith(
    "neuropt-size-rank", cl::desc("How the model's scores order candidates"),
    cl::values(clEnumValN(RankMode::Hybrid, "hybrid",
                          "interleave the coreset's order and the model's, "
                          "the coreset's first"),
               clEnumValN(RankMode::Model, "model", "the model's order")),
    cl::init(RankMode::Hybrid));
// Off by default: on held-out modules it adds about as much gain per unit
// of compile time as a second coreset candidate (k = 2), and either takes
// the median translation unit past twice -Oz's compile time
// (bench/results/size.md, session 11).
static cl::opt<std::string> SizeExtension(
    "neuropt-size-extension",
    cl::desc("One more candidate beside the top k: a pipeline run on a copy "
             "of -Oz's result ('on': the one in <model>.extension.txt beside "
             "the model; 'off': none; else the pipeline itself)"),
    cl::init("off"));
// Off by default: each evaluation costs about one more candidate, so the
// search is for builds that trade compile time for size (bench/results/
// size.md, session 17, gives the curve).
static cl::opt<unsigned> SearchEvals(
    "neuropt-size-search",
    cl::desc("Pipeline evaluations of a greedy search per translation unit "
             "after the top k: random edits (steps drawn from the "
             "coreset's) of the smallest candidate's sequence, kept when "
             "smaller; every result is verified like a candidate (0: no "
             "search)"),
    cl::init(0));
static cl::opt<unsigned> SearchBatch(
    "neuropt-size-search-batch",
    cl::desc("Edited sequences per round of the search, measured in "
             "parallel; the smallest of a round replaces the incumbent if "
             "it is smaller. Results depend on it, not on the thread count"),
    cl::init(4));
static cl::opt<uint64_t>
    SearchSeed("neuropt-size-search-seed",
               cl::desc("Seed of the search's random edits"), cl::init(1));
static cl::opt<std::string> SizeCacheSpec(
    "neuropt-size-cache",
    cl::desc("Remember each translation unit's smallest pipeline, and what "
             "was tried to find it, in this cache (a SQLite file, "
             "sqlite:PATH or redis://HOST[:PORT][/DB]); a later compilation "
             "of the same module tries that pipeline first, and alone when "
             "the earlier one tried at least as much (default: no cache)"));
static cl::opt<bool> SizeCacheUpdate(
    "neuropt-size-cache-update",
    cl::desc("Write what this compilation found to -neuropt-size-cache "
             "(false: only read it)"),
    cl::init(true));
static cl::opt<bool> SizeCacheReplay(
    "neuropt-size-cache-replay",
    cl::desc("Take each translation unit's record in -neuropt-size-cache as "
             "it is, however little the compilations that wrote it tried: "
             "its pipeline alone (measured and verified like any "
             "candidate), or -Oz when they found nothing smaller; nothing "
             "is searched and nothing written. A tuned build reproduced at "
             "a fixed cost: a module without a record, or with one made "
             "for another coreset or unwind rule, gets the full run"),
    cl::init(false));
enum class EarlierVersionMode { Off, First, Alone };
static cl::opt<EarlierVersionMode> SizeCacheEarlierVersions(
    "neuropt-size-cache-earlier-versions",
    cl::desc("When -neuropt-size-cache has no record of this module (a file "
             "just edited), try the pipeline kept for the last version of "
             "the same source file (its path and the target), "
             "measured and verified like any candidate"),
    cl::values(clEnumValN(EarlierVersionMode::Off, "off", "not at all"),
               clEnumValN(EarlierVersionMode::First, "first",
                          "first, beside the top k (one more candidate)"),
               clEnumValN(EarlierVersionMode::Alone, "alone",
                          "instead of the top k, unless the run searches "
                          "(-neuropt-size-search); where it is no smaller "
                          "than -Oz on this version, -Oz stays")),
    cl::init(EarlierVersionMode::Alone));
static cl::opt<std::string> CoresetFile(
    "neuropt-size-coreset",
    cl::desc("Coreset file to use when -neuropt-size-model=off (default: "
             "the one beside the model)"));
enum class VerifyMode { Off, SMT, Layered };
static cl::opt<VerifyMode> VerifyWith(
    "neuropt-size-verify", cl::desc("Refinement check of each candidate"),
    cl::values(clEnumValN(VerifyMode::Off, "off", "LLVM verifier only"),
               clEnumValN(VerifyMode::SMT, "smt", "SMT refinement per function"),
               clEnumValN(VerifyMode::Layered, "layered",
                          "differential execution, then SMT")),
    cl::init(VerifyMode::SMT));
// The verification budget is counted in the solver's resource units (Z3's
// rlimit), not in time, so that the verdicts (and the remarks that report
// them, and the choice under -neuropt-size-require-proof) are the same on
// every run whatever the machine's load. The time limits only guard against
// steps the solver does not count.
// The default verification budget: about what the earlier time budget (as
// long as -Oz's code generation of the module, 20 to 100 ms) spent, on
// training modules on the development machine (bench/results/size.md,
// session 9).
constexpr uint64_t kUnitsPerInstruction = 40;
constexpr uint64_t kMinUnits = 16000, kMaxUnits = 100000;
static cl::opt<uint64_t> VerifyRlimit(
    "neuropt-size-verify-rlimit",
    cl::desc("Solver resource units (Z3 rlimit) for verifying one "
             "candidate; functions not reached stay unchecked (0: 40 "
             "per IR instruction of -Oz's result, at least 16000 and at most "
             "100000)"),
    cl::init(0));
static cl::opt<uint64_t> VerifyFunctionRlimit(
    "neuropt-size-verify-function-rlimit",
    cl::desc("Solver resource units (Z3 rlimit) for one function (its "
             "encoding's simplifications and its queries)"),
    cl::init(25000));
static cl::opt<unsigned>
    VerifyTimeoutMs("neuropt-size-verify-timeout-ms",
                    cl::desc("Wall-clock guard per solver query in ms"),
                    cl::init(500));
static cl::opt<unsigned> VerifyBudgetMs(
    "neuropt-size-verify-budget-ms",
    cl::desc("Wall-clock guard for verifying one candidate in ms (0: eight "
             "times as long as measuring -Oz's result by code generation "
             "took, at least 250 and at most 2000 ms)"),
    cl::init(0));
static cl::opt<bool> RequireProof(
    "neuropt-size-require-proof",
    cl::desc("Keep a candidate only if every changed function is proved, "
             "and its globals and symbols are -Oz's "
             "(default: reject only refuted candidates)"),
    cl::init(false));
static cl::opt<bool> VerifyDefinedInputs(
    "neuropt-size-verify-defined-inputs",
    cl::desc("Verify each function for inputs without undef bits only (its "
             "arguments, the memory at entry and what callees write), as "
             "Alive2's --disable-undef-input does for arguments: more "
             "functions are proved within the budget, and their verdicts "
             "say so"),
    cl::init(false));
static cl::opt<bool> Recheck(
    "neuropt-size-recheck",
    cl::desc("Measure the module again after installing the winner and "
             "restore -Oz's result unless it is smaller"),
    cl::init(false));
static cl::opt<bool> TryMachineOutliner(
    "neuropt-size-machine-outliner",
    cl::desc("Generate the chosen module also with LLVM's machine outliner "
             "(-enable-machine-outliner, which x86-64 runs only when asked) "
             "and keep it for clang's code generation when that is smaller; "
             "the IR the pass leaves is the same either way. Only in clang "
             "(opt emits no code), and not when -enable-machine-outliner is "
             "given"),
    cl::init(false));
static cl::opt<bool> UnwindGuard(
    "neuropt-size-unwind-guard",
    cl::desc("Keep a candidate only if the objective plus the unwind tables "
             "(.eh_frame, and 8 bytes of .eh_frame_hdr per entry once "
             "linked) does not grow either: each function a pipeline makes "
             "(the IR outliner, function merging) adds an unwind table "
             "entry, and each stack frame it adds unwind instructions, "
             "loaded with the program although the objective does not "
             "count them (default: on)"),
    cl::init(true));
static cl::opt<bool> PrintSummary(
    "neuropt-size-print",
    cl::desc("Print one summary line per translation unit to stderr"),
    cl::init(false));
static cl::opt<bool> PrintVerdicts(
    "neuropt-size-print-verdicts",
    cl::desc("Print each checked function's verdict and its reason to "
             "stderr"),
    cl::init(false), cl::Hidden);

bool NeuroptSizePass::enabledInDefaultPipeline() { return EnableInClang; }

static unsigned threadCount() {
  // -ftime-report / -time-passes keep global timers that only one thread
  // may use.
  if (TimePassesIsEnabled)
    return 1;
  if (SizeThreads)
    return SizeThreads;
  return std::max(1u, hardware_concurrency().compute_thread_count());
}

/// The model's name; "size" stands for the coreset when the model is off.
static StringRef modelName() {
  return SizeModelName == "off" ? StringRef("size") : StringRef(SizeModelName);
}

/// A size model and its coreset live in <model-dir>/<name>/.
static std::string sizeModelDir() {
  SmallString<256> P(getModelDir());
  sys::path::append(P, modelName());
  return std::string(P);
}

namespace {
using Clock = std::chrono::steady_clock;

/// What clang's -Oz pipeline runs after the optimizer-last extension point
/// (LLVM 22). Every measurement includes it, because clang applies it to
/// whichever module the pass leaves behind.
constexpr const char *TailPipeline =
    "globaldce,constmerge,cg-profile,rel-lookup-table-converter";

struct Candidate {
  /// Runs on -Oz's result (the extension, or a cached pipeline that was an
  /// extension) rather than on the source.
  bool Extension = false;
  /// The pipeline an earlier compilation found (-neuropt-size-cache).
  bool Cached = false;
  /// ... of an earlier version of the source file, not of this module.
  bool EarlierVersion = false;
  /// A search result whose start was the cached pipeline.
  bool EditedCached = false;
  /// The pipeline that made the candidate.
  std::string Pipeline;
  /// Found by the search (-neuropt-size-search) at evaluation Evaluation,
  /// with this pipeline.
  bool Searched = false;
  unsigned Evaluation = 0;
  PassSequence Sequence;
  unsigned Index = 0;     ///< Coreset index.
  float Predicted = 0;    ///< Model output: predicted reduction in percent.
  /// The pipeline's output (before clang's tail), as bitcode with use-list
  /// order; parsed into the module's context only if it wins.
  std::string Bitcode;
  std::unique_ptr<Module> M;
  uint64_t Objective = 0;
  ObjectSize Object;
  /// Object with the machine outliner (-neuropt-size-machine-outliner).
  std::optional<ObjectSize> Outlined;
  /// The extension's pipeline left -Oz's result as it was (bitcode for
  /// bitcode): the candidate is -Oz's result, so it is not measured.
  bool Unchanged = false;
  /// The budget (-neuropt-size-budget-ms) stopped the pipeline although
  /// the candidate had at least 90% of it.
  bool OutOfTime = false;
};

struct VerifySummary {
  /// Same: instruction for instruction the function -Oz produced.
  unsigned Same = 0, Proved = 0, Bounded = 0, Unknown = 0, Refuted = 0,
           Unchecked = 0;
  /// Of Proved and Bounded: those that hold for inputs without undef bits
  /// only (-neuropt-size-verify-defined-inputs).
  unsigned DefinedInputs = 0;
  /// Functions the pipeline created, checked inlined into their callers
  /// (inlineHelpers) rather than on their own.
  unsigned Inlined = 0;
  std::string FirstRefuted;
  /// What the function checks leave out (globals' initial values, linkage,
  /// the definitions other modules see) where it differs from -Oz's result
  /// (moduleDifference): wrong (refuted), or unknown.
  std::optional<ModuleDifference> ModuleDiff;
  std::string str() const {
    std::string Assumed =
        DefinedInputs ? formatv(" ({0} of them for inputs without undef bits "
                                "only)",
                                DefinedInputs)
                            .str()
                      : "";
    std::string S =
        formatv("same as -Oz {0}, proved {1}, bounded {2}{6}, "
                "unknown {3}, refuted {4}, unchecked {5}",
                Same, Proved, Bounded, Unknown, Refuted, Unchecked, Assumed);
    if (Inlined)
      S += formatv(", checked inlined in their callers {0}", Inlined).str();
    if (!FirstRefuted.empty())
      S += " (refuted: @" + FirstRefuted + ")";
    if (ModuleDiff)
      S += formatv("; module: {0} ({1})",
                   ModuleDiff->Wrong ? "refuted" : "unknown", ModuleDiff->Why)
               .str();
    return S;
  }
};

class SizeDriver {
public:
  /// \p RunTail: whether the pass must run TailPipeline itself on an
  /// installed candidate (opt, where no -Oz pipeline follows).
  SizeDriver(Module &M, std::string Source, bool RunTail)
      : M(M), Source(std::move(Source)), RunTail(RunTail), Start(Clock::now()) {
  }
  ~SizeDriver() { joinWorkers(); }
  bool isFor(const Module &Mod) const { return &M == &Mod; }

  /// Loads the coreset, ranks it for the unoptimized module and starts the
  /// candidates on background threads (with more than one thread). In
  /// clang this runs at the pipeline's start, so the candidates' pipelines
  /// run beside -Oz's own optimization of M.
  void start();
  /// Reads the extension: -neuropt-size-extension, or the model's file.
  void loadExtension();
  /// Called with M optimized by -Oz: measures it, collects the candidates,
  /// verifies and decides.
  void finish(PipelineEvaluator &Eval);

private:
  unsigned elapsedMs() const { return msSince(Start); }
  /// Runs candidate \p I's pipeline on a copy of the source (the extension,
  /// I == K: on a copy of -Oz's result) and measures it.
  void runCandidate(PipelineEvaluator &E, unsigned I);
  /// Sets candidate \p I's pipeline and what it is (coreset sequence,
  /// cached pipeline, extension), before it runs anywhere.
  void prepareCandidate(unsigned I);
  /// Jobs that run candidates First..First+N-1 (runCandidate) in children.
  std::unique_ptr<ChildJobs> slotJobs(unsigned First, unsigned N);
  /// Takes what children reported for those candidates.
  void collectSlots(ChildJobs &Jobs, unsigned First);
  /// Job \p J's outcome into \p C, \p Why and \p Ran, as if it had run here.
  void fromChild(const ChildJobs &Jobs, unsigned J, Candidate &C,
                 std::string &Why, bool &Ran);
  /// Waits for \p Jobs until the hard deadline with up to \p Threads
  /// threads; if no child can be made, runs the jobs not started here.
  void waitSlots(ChildJobs &Jobs, unsigned First, unsigned Threads,
                 PipelineEvaluator &E);
  /// When children still running are killed (-neuropt-size-isolate): the
  /// candidates' part of the budget, and a little more for a pipeline that
  /// stops there by itself to say so.
  Clock::time_point hardDeadline() const {
    return Start + std::chrono::milliseconds(
                       uint64_t(candidateBudgetMs()) +
                       std::clamp(candidateBudgetMs() / 50, 100u, 1000u));
  }
  /// Runs \p P on a copy of \p Input (bitcode) in a context of its own and
  /// measures it with clang's tail into \p Cand, keeping the pipeline's
  /// output as bitcode; \p SkipUnchanged: an output equal to the input is
  /// marked Unchanged and not measured. Returns why it failed, or "".
  std::string measurePipeline(PipelineEvaluator &E, StringRef Input,
                              StringRef P, bool SkipUnchanged,
                              Candidate &Cand);
  /// The greedy search after the top k (-neuropt-size-search): starts from
  /// the smallest measured coreset candidate in \p Cands and appends each
  /// sequence that improved on it. Returns false if the budget ran out
  /// first.
  bool search(PipelineEvaluator &Eval, std::vector<Candidate> &Cands);
  /// Runs the candidates from the source until none is left.
  void runCandidates(PipelineEvaluator &E) {
    for (unsigned I; (I = NextCandidate.fetch_add(1)) < NSource;)
      runCandidate(E, I);
  }
  /// Runs the candidates from -Oz's result, in order.
  void runStockCandidates(PipelineEvaluator &E) {
    for (unsigned I = NSource; I < Tried.size(); ++I)
      runCandidate(E, I);
  }
  /// -neuropt-size-cache: opens the cache, looks the module up and decides
  /// what this run tries (sets Plan and Record).
  void consultCache();
  /// Writes what this run found, unless it adds nothing to the record.
  /// This module's record in the cache now: none when there is no entry or
  /// it does not decode (with a warning if \p Warn); an error only when the
  /// store cannot be read.
  Expected<std::optional<SizeCacheRecord>> readRecord(StringRef Key,
                                                      bool Warn);
  /// Without a record of this module, the one kept for the source file's
  /// last version, reduced to its pipeline: what was tried on another
  /// module counts for nothing here.
  void consultEarlierVersion();
  /// Keeps \p New as the source file's last version's record, if it has a
  /// pipeline (a version where nothing was smaller leaves the last one
  /// that had one).
  void updateFileRecord(const SizeCacheRecord &New);
  void updateCache(uint64_t StockObj, const Candidate *Chosen,
                   const std::vector<Candidate> &Cands);
  void dropCache(const Twine &Why) {
    warn("size cache '" + Cache->describe() + "': " + Why +
         "; continuing without it");
    Cache.reset();
  }
  void joinWorkers() {
    for (std::thread &W : Workers)
      W.join();
    Workers.clear();
  }
  bool budgetLeft() const { return elapsedMs() < BudgetMs; }
  /// The candidates and the search stop this much before the budget, so
  /// that the smallest of those measured can still be verified: a tenth
  /// of the budget, at most the verification guard's 2 s.
  static unsigned verifyReserveMs() {
    return std::min(unsigned(BudgetMs) / 10, 2000u);
  }
  /// Until when candidates and the search may run.
  static unsigned candidateBudgetMs() {
    return unsigned(BudgetMs) - verifyReserveMs();
  }
  bool candidateTimeLeft() const { return elapsedMs() < candidateBudgetMs(); }
  /// Whether each measurement is made with the machine outliner too:
  /// asked for, in clang (code generation follows in this process), and
  /// not set by the user.
  bool tryOutliner() const {
    return TryMachineOutliner && !RunTail && MachineOutliner::available();
  }
  /// Measures -Oz's result (the module as it is now) with clang's tail,
  /// and with the machine outliner too when tryOutliner().
  Expected<SizeMeasurement> measureStock(PipelineEvaluator &Eval) {
    StockInstructions = M.getInstructionCount();
    Eval.setAlsoOutlined(tryOutliner());
    Expected<SizeMeasurement> Stock = Eval.evaluate(M, TailPipeline);
    Eval.setAlsoOutlined(false);
    return Stock;
  }
  /// Decides the machine outliner for clang's code generation of the
  /// chosen module (-Oz's result when \p Chosen is null), from its
  /// measurements with (\p Outlined) and without it (\p Plain).
  void decideOutliner(const ObjectSize &Plain,
                      const std::optional<ObjectSize> &Outlined,
                      const Candidate *Chosen);
  /// Whether a candidate that the budget stopped, with \p LimitMs of the
  /// candidates' part left when it started, counts as out of time for the
  /// cache: it had at least 90% of that part, and no candidate time factor
  /// cut it shorter.
  bool hadMostOfBudget(unsigned LimitMs) const {
    return CandidateTimeFactor == 0 &&
           uint64_t(LimitMs) * 10 >= uint64_t(candidateBudgetMs()) * 9;
  }
  /// Names candidate \p C in a remark.
  template <typename RemarkT> static void name(RemarkT &R, const Candidate &C) {
    if (C.Cached)
      R << ore::NV("Sequence", "cached") << " pipeline of an earlier "
        << (C.EarlierVersion ? "version of this file" : "compilation")
        << (C.Extension ? " (on -Oz's result)" : "");
    else if (C.Extension)
      R << ore::NV("Sequence", "extension") << " of -Oz's result";
    else if (C.Searched && C.EditedCached)
      R << ore::NV("Sequence", "search") << " result of evaluation "
        << ore::NV("Evaluation", C.Evaluation) << " (the cached pipeline "
        << "edited)";
    else if (C.Searched)
      R << ore::NV("Sequence", "search") << " result of evaluation "
        << ore::NV("Evaluation", C.Evaluation) << " (sequence "
        << ore::NV("From", C.Index) << " edited)";
    else
      R << "sequence " << ore::NV("Sequence", C.Index);
  }
  /// The remark for a candidate that could not be measured or parsed.
  void rejected(const Candidate &C, StringRef Why) {
    emit<OptimizationRemarkMissed>("Rejected", [&](auto &R) {
      name(R, C);
      R << " rejected: " << ore::NV("Reason", Why);
    });
  }
  Function *anchor() const {
    for (Function &F : M)
      if (!F.isDeclaration())
        return &F;
    return nullptr;
  }
  template <typename RemarkT> void emit(StringRef Name,
                                        function_ref<void(RemarkT &)> Fill) {
    Function *F = anchor();
    if (!F)
      return;
    OptimizationRemarkEmitter ORE(F);
    ORE.emit([&] {
      RemarkT R(DEBUG_TYPE, Name, F);
      Fill(R);
      return R;
    });
  }
  void warn(const Twine &Msg) {
    M.getContext().diagnose(
        DiagnosticInfoGeneric("neuropt-size: " + Msg, DS_Warning));
  }

  /// Coreset order plus model scores; empty when no coreset is available.
  std::vector<std::pair<unsigned, float>> rank(const Coreset &C,
                                                 const Module &Unopt,
                                                 bool &UsedModel);
  VerifySummary verifyCandidate(const Module &Unopt, const Module &Cand);
  const Function *referenceFor(const Function &Tgt,
                               const Module &Unopt) const;

  unsigned msSince(Clock::time_point T) const {
    return unsigned(std::chrono::duration_cast<std::chrono::milliseconds>(
                        Clock::now() - T)
                        .count());
  }
  /// Where the time went, for -neuropt-size-print.
  std::string phases() const {
    return formatv("rank {0} ms, -Oz measurement {1} ms and the candidates "
                   "not done by then {2} ms ({3} thread(s){7}), verify {4} ms "
                   "({5} solver units; -Oz's result {6} IR instructions)",
                   RankMs, StockMs, MeasureMs - std::min(MeasureMs, StockMs),
                   ThreadsUsed, VerifyMs, VerifyUnits,
                   StockInstructions.value_or(M.getInstructionCount()),
                   Isolated ? "" : ", in this process")
               .str() +
           (Cache || Record ? ", cache: " + planName() : std::string()) +
           OutlinerNote +
           (SearchEvals ? formatv(", search {0} ms ({1} evaluations, {2} "
                                  "improvements)",
                                  SearchMs, SearchDone, SearchImproved)
                              .str()
                        : std::string());
  }

  Module &M;
  std::string Source;
  bool RunTail;
  Clock::time_point Start;
  /// What start() prepared: finish() keeps -Oz without it.
  bool Started = false;
  std::optional<Coreset> CS;
  std::unique_ptr<Module> Unopt;
  std::vector<std::pair<unsigned, float>> Order;
  bool UsedModel = false;
  unsigned K = 0; ///< Candidates to try: the top K of Order.
  /// The extension's pipeline (empty: none) and, in finish(), its input:
  /// -Oz's result as bitcode.
  std::string Extension, StockBitcode;
  /// -neuropt-size-cache: the store, this module's key and record, what
  /// this run would try without it, and the plan.
  std::unique_ptr<SynthesisCache> Cache;
  std::string CacheKey;
  std::optional<SizeCacheRecord> Record;
  std::vector<unsigned> EffortSequences;
  SizeCacheEffort Effort;
  SizeCachePlan Plan = SizeCachePlan::Full;
  /// Record is the source file's earlier version's (FileKey), not this
  /// module's (CacheKey).
  bool EarlierVersion = false;
  std::string FileKey;
  std::string planName() const {
    switch (Plan) {
    case SizeCachePlan::Full:
      return Record ? "record does not cover this run" : "miss";
    case SizeCachePlan::CachedFirst:
      return EarlierVersion ? "miss; an earlier version's pipeline first"
                            : "cached pipeline first";
    case SizeCachePlan::CachedOnly:
      return EarlierVersion    ? "miss; an earlier version's pipeline alone"
             : SizeCacheReplay ? "cached pipeline alone (replayed)"
                               : "cached pipeline alone";
    case SizeCachePlan::KeepStock:
      return SizeCacheReplay ? "nothing smaller known (replayed)"
                             : "nothing smaller known";
    }
    return "";
  }
  /// Candidates from the source (the cached pipeline, if it is one, then
  /// the top K) come first in Tried, and NSource counts them; then those
  /// from -Oz's result (the cached pipeline, if it is one, then the
  /// extension), whose pipelines StockPipelines holds.
  unsigned NSource = 0;
  std::vector<std::string> StockPipelines;
  /// Per candidate, in that order, written only by the thread that runs
  /// it: the result, why it failed, and whether it ran (not if the budget
  /// was out).
  std::vector<Candidate> Tried;
  std::vector<std::string> Failed;
  std::vector<char> Ran;
  std::atomic<unsigned> NextCandidate{0};
  std::vector<std::thread> Workers;
  /// -neuropt-size-isolate: the candidates run in children, from the
  /// source (SourceJobs) and from -Oz's result (StockJobs).
  bool Isolated = false;
  /// The search could not run a round in children: the rest run here.
  bool SearchForkFailed = false;
  std::unique_ptr<ChildJobs> SourceJobs, StockJobs;
  unsigned RankMs = 0, StockMs = 0, MeasureMs = 0, VerifyMs = 0;
  unsigned SearchMs = 0, SearchDone = 0, SearchImproved = 0;
  uint64_t VerifyUnits = 0;
  unsigned ThreadsUsed = 1;
  /// IR instructions of -Oz's result when it was measured, for
  /// -neuropt-size-print (M holds the chosen candidate by the time it
  /// prints; unmeasured, M is -Oz's result).
  std::optional<unsigned> StockInstructions;
  /// ", machine outliner ..." for -neuropt-size-print.
  std::string OutlinerNote;
  /// What the model's scores mean (SizeModelScores::Unit).
  const char *PredictedUnit = "";
};
} // namespace

std::vector<std::pair<unsigned, float>>
SizeDriver::rank(const Coreset &C, const Module &Unopt, bool &UsedModel) {
  std::vector<std::pair<unsigned, float>> Order;
  for (unsigned I = 0; I < C.size(); ++I)
    Order.push_back({I, 0});
  UsedModel = false;
  if (SizeModelName == "off")
    return Order;
  std::string Dir = sizeModelDir();
  std::unique_ptr<model::ModelRunner> Runner = loadPassModel(
      SizeModelName, M,
      getSizeModelManifest(C, peekSizeModelKind(Dir, SizeModelName)), Dir);
  if (!Runner || !Runner->isUsable())
    return Order; // loadPassModel warned; fall back to the coreset order.
  Expected<SizeModelScores> S = scoreSizeModel(*Runner, Unopt, C);
  if (!S) {
    warn("model '" + SizeModelName + "' failed to score (" +
         toString(S.takeError()) + "); using the coreset order");
    return Order;
  }
  Order.clear();
  std::vector<size_t> Ranked = S->Order;
  if (RankWith == RankMode::Hybrid)
    Ranked = interleaveWithCoresetOrder(Ranked);
  for (size_t I : Ranked)
    Order.push_back({unsigned(I), S->Value[I]});
  PredictedUnit = S->Unit;
  UsedModel = true;
  return Order;
}

/// What a candidate's function is checked against: -Oz's own version of it
/// when it has the same signature (the candidate must then refine what clang
/// would have emitted), else the unoptimized function; null when neither
/// matches (functions a sequence created, or whose interface it changed).
/// The rule is the same for internal functions as for the others, so that
/// the checks compose: a call is matched only against a call of the same
/// function with the same signature, so a caller checked against -Oz's
/// version calls functions that are checked against -Oz's versions too.
/// Checking an internal function against the source instead, as sessions
/// 3-36 did, does not compose: -Oz may have specialised its version to its
/// own callers (IPSCCP), and a caller that refines -Oz's caller may pass
/// what only -Oz's callee ignores (test/verify/reference-composition.test).
/// -Oz's versions are also smaller than the source's, so they cost less to
/// check (bench/results/size.md, session 37).
const Function *SizeDriver::referenceFor(const Function &Tgt,
                                         const Module &Unopt) const {
  for (const Module *Ref : {static_cast<const Module *>(&M), &Unopt}) {
    const Function *F = Ref->getFunction(Tgt.getName());
    if (F && !F->isDeclaration() && checkSignatures(*F, Tgt).empty())
      return F;
  }
  return nullptr;
}

VerifySummary SizeDriver::verifyCandidate(const Module &Unopt,
                                          const Module &Cand) {
  VerifySummary Sum;
  // Functions the candidate's pipeline created (outlined regions, merged
  // bodies under new names) have no reference, and calls to them hide
  // their code from the check of their callers: check a copy of the
  // candidate with them inlined into their callers instead.
  auto IsHelper = [&](const Function &F) {
    return F.hasLocalLinkage() && !M.getFunction(F.getName()) &&
           !Unopt.getFunction(F.getName());
  };
  std::unique_ptr<Module> Inlined;
  SmallPtrSet<const Function *, 16> Covered;
  const Module *Checked = &Cand;
  if (any_of(Cand, [&](const Function &F) {
        return !F.isDeclaration() && IsHelper(F);
      })) {
    Inlined = CloneModule(Cand);
    inlineHelpers(*Inlined, IsHelper, Covered);
    Checked = Inlined.get();
  }
  // The function checks compose only if the candidate's globals start out
  // as -Oz's and it defines the same symbols. Which functions are only
  // called is read from the inlined copy, whose functions the checks
  // compare: a function the outliner passed to its helpers is called there.
  Sum.ModuleDiff = moduleDifference(M, Cand, Inlined.get());
  if (PrintVerdicts && Sum.ModuleDiff)
    errs() << "neuropt-size: verify the module: "
           << (Sum.ModuleDiff->Wrong ? "refuted: " : "unknown: ")
           << Sum.ModuleDiff->Why << "\n";
  if (Sum.ModuleDiff && Sum.ModuleDiff->Wrong)
    return Sum; // rejected whatever its functions do
  std::unique_ptr<Verifier> V;
  if (VerifyWith == VerifyMode::SMT)
    V = createSMTVerifier();
  else
    V = createDefaultVerifier();
  VerifyOptions Opts;
  Opts.TimeoutMs = VerifyTimeoutMs;
  Opts.ResourceLimit = VerifyFunctionRlimit;
  // Not the cheaper encoding of calls: the budget stands for time here,
  // and on the held-out modules that encoding took the median module past
  // 2x CPU for no more proofs (bench/results/verify.md, session 45).
  Opts.CheapCallEncoding = false;
  Opts.AssumeDefinedInputs = VerifyDefinedInputs;
  // By default verification may cost about one more code generation of the
  // module, which grows with its size.
  Opts.BatchResourceLimit =
      VerifyRlimit
          ? uint64_t(VerifyRlimit)
          : std::clamp<uint64_t>(kUnitsPerInstruction * M.getInstructionCount(),
                                 kMinUnits, kMaxUnits);
  unsigned Guard = VerifyBudgetMs ? unsigned(VerifyBudgetMs)
                                  : std::clamp(8 * StockMs, 250u, 2000u);
  std::vector<std::pair<const Function *, const Function *>> Pairs;
  for (const Function &Tgt : *Checked) {
    if (Tgt.isDeclaration())
      continue;
    if (Covered.count(&Tgt)) {
      ++Sum.Inlined;
      continue;
    }
    const Function *Src = referenceFor(Tgt, Unopt);
    if (!Src) {
      ++Sum.Unchecked;
      continue;
    }
    if (Src->getParent() == &M && isSameFunction(*Src, Tgt)) {
      ++Sum.Same;
      continue;
    }
    Pairs.push_back({Src, &Tgt});
  }
  if (Pairs.empty())
    return Sum;
  // Smallest functions first: one function that runs into the solver's
  // timeout then leaves the budget to as few others as possible.
  std::stable_sort(
      Pairs.begin(), Pairs.end(), [](const auto &A, const auto &B) {
        return A.first->getInstructionCount() +
                   A.second->getInstructionCount() <
               B.first->getInstructionCount() + B.second->getInstructionCount();
      });
  // One batch (one child process for the SMT verifier) within the budget;
  // functions it does not reach stay unchecked.
  unsigned Left = budgetLeft() ? unsigned(BudgetMs) - elapsedMs() : 0;
  std::vector<VerifyResult> Rs =
      V->verifyAll(Pairs, Opts, std::min(Guard, Left));
  for (size_t I = 0; I < Pairs.size(); ++I) {
    const VerifyResult &R = Rs[I];
    VerifyUnits += R.Resources;
    if (PrintVerdicts) // one line per checked function
      errs() << formatv("neuropt-size: verify @{0}: {1}{2}{3} ({4} units)\n",
                        Pairs[I].second->getName(), verdictName(R.V),
                        R.Reason.empty() ? "" : ": ", R.Reason, R.Resources);
    if (R.V == Verdict::Unknown && R.Reason == Verifier::kNotReached) {
      ++Sum.Unchecked;
      continue;
    }
    if (R.Reason == Verifier::kDefinedInputs)
      ++Sum.DefinedInputs;
    switch (R.V) {
    case Verdict::Proved:
      ++Sum.Proved;
      break;
    case Verdict::Bounded:
      ++Sum.Bounded;
      break;
    case Verdict::Refuted:
      if (!Sum.Refuted++)
        Sum.FirstRefuted = Pairs[I].second->getName().str();
      break;
    default:
      ++Sum.Unknown;
    }
  }
  return Sum;
}

void SizeDriver::start() {
  Triple T(M.getTargetTriple());
  if (!T.isX86() || !T.isArch64Bit() || !T.isOSLinux()) {
    emit<OptimizationRemarkMissed>("Unsupported", [&](auto &R) {
      R << "neuropt-size measures x86-64 Linux code only; target "
        << ore::NV("Triple", M.getTargetTriple().str()) << " keeps -Oz";
    });
    return;
  }
  // The coreset: beside the model, or given explicitly.
  std::string CoresetPath = CoresetFile.empty()
                                ? getCoresetPath(sizeModelDir(), modelName())
                                : CoresetFile.getValue();
  Expected<Coreset> C = loadCoreset(CoresetPath);
  if (!C) {
    warn(toString(C.takeError()) + "; keeping -Oz");
    return;
  }
  CS = std::move(*C);
  Expected<std::unique_ptr<Module>> U =
      readModuleBitcode(Source, M.getContext());
  if (!U) {
    warn("cannot read the unoptimized module: " + toString(U.takeError()));
    return;
  }
  Unopt = std::move(*U);
  auto PhaseStart = Clock::now();
  Order = rank(*CS, *Unopt, UsedModel);
  RankMs = msSince(PhaseStart);
  // How many of the top k are tried: the model may rule out the rest.
  K = std::min<unsigned>(SizeK, Order.size());
  for (unsigned I = 0; I < K; ++I) {
    if (UsedModel && Order[I].second < MinPredicted) {
      emit<OptimizationRemarkAnalysis>("Skipped", [&](auto &R) {
        R << "sequence " << ore::NV("Sequence", Order[I].first)
          << " and the rest not tried: predicted "
          << ore::NV("PredictedGain",
                     formatv("{0:F2}", Order[I].second).str())
          << PredictedUnit << " is below -neuropt-size-min-predicted";
      });
      K = I;
      break;
    }
  }
  loadExtension();
  consultCache();
  bool CachedHere = Plan == SizeCachePlan::CachedFirst ||
                    Plan == SizeCachePlan::CachedOnly;
  if (Plan == SizeCachePlan::CachedOnly || Plan == SizeCachePlan::KeepStock) {
    K = 0;
    Extension.clear();
  } else if (Record) {
    // What earlier compilations measured is not measured again: it was no
    // smaller than the record's pipeline (or than -Oz). Coreset sequences
    // are skipped only when that pipeline is there to start a search from.
    if (CachedHere && !Record->FromStock &&
        sizeCacheComparable(*Record, Effort)) {
      uint64_t Done = sizeCacheDone(*Record, BudgetMs);
      auto Untried = std::stable_partition(
          Order.begin(), Order.begin() + K, [&](const auto &O) {
            return O.first >= 64 || !(Done >> O.first & 1);
          });
      K = unsigned(Untried - Order.begin());
    }
    if (!Extension.empty() && Record->UnwindGuard == Effort.UnwindGuard &&
        Record->Extension == Effort.Extension)
      Extension.clear();
  }
  NSource = K + (CachedHere && !Record->FromStock);
  if (CachedHere && Record->FromStock)
    StockPipelines.push_back(Record->Pipeline);
  if (!Extension.empty())
    StockPipelines.push_back(Extension);
  unsigned Slots = NSource + StockPipelines.size();
  Tried.resize(Slots);
  Failed.resize(Slots);
  Ran.assign(Slots, 0);
  for (unsigned I = 0; I < Slots; ++I)
    prepareCandidate(I);
  Started = true;
  Isolated = Isolate && isSingleThreaded();
  if (Isolate && !Isolated)
    emit<OptimizationRemarkAnalysis>("InProcess", [&](auto &R) {
      R << "candidates run in this process, not in child processes: the "
           "host process has other threads (-neuropt-size-isolate)";
    });
  // The candidates are independent of -Oz's result (each has its own
  // context and starts from the source), so with more than one thread they
  // start now on background threads, leaving the calling thread to -Oz:
  // in clang, -Oz's optimization still has to run. Results do not depend
  // on the thread count: each candidate's outcome is stored at its own
  // index and reported in order. A candidate time factor needs -Oz's
  // measurement first, so the candidates then wait for finish().
  unsigned Threads = threadCount();
  if (Threads < 2 || !NSource || CandidateTimeFactor > 0)
    return;
  if (Isolated) {
    // Once, before any child's threads make their evaluators.
    PipelineEvaluator::initializeTargets();
    SourceJobs = slotJobs(0, NSource);
    unsigned T = std::min(Threads - 1, NSource);
    if (Error Err = SourceJobs->spawn(T))
      consumeError(std::move(Err)); // finish() makes children, or runs here
    else
      ThreadsUsed = T + 1;
    return;
  }
  // Each worker gets its own evaluator (target machine), made here: the
  // first one also initializes the targets, which must not race with the
  // main thread.
  for (unsigned I = 0; I < std::min(Threads - 1, NSource); ++I) {
    Expected<std::unique_ptr<PipelineEvaluator>> E =
        PipelineEvaluator::create();
    if (!E) {
      consumeError(E.takeError()); // finish() runs what no worker takes
      break;
    }
    Workers.emplace_back([this, E = std::move(*E)] { runCandidates(*E); });
  }
  ThreadsUsed = Workers.size() + 1;
}

void SizeDriver::loadExtension() {
  if (SizeExtension == "off")
    return;
  if (SizeExtension != "on") {
    Extension = SizeExtension;
    return;
  }
  Expected<std::string> E =
      neuropt::loadExtension(getExtensionPath(sizeModelDir(), modelName()));
  if (!E) {
    warn(toString(E.takeError()) + "; no extension candidate");
    return;
  }
  Extension = std::move(*E);
}

void SizeDriver::consultCache() {
  if (SizeCacheSpec.empty())
    return;
  for (unsigned I = 0; I < K; ++I)
    EffortSequences.push_back(Order[I].first);
  Effort.Coreset = getSizeModelManifestHash(*CS);
  Effort.Sequences = EffortSequences;
  Effort.SearchEvaluations = SearchEvals;
  Effort.Extension = Extension.empty() ? "" : hashSizePipeline(Extension);
  Effort.BudgetMs = BudgetMs;
  Effort.UnwindGuard = UnwindGuard;
  CacheOptions Opts;
  Opts.RedisKeyPrefix = "neuropt:";
  Opts.Warn = [this](StringRef Msg) { warn("size cache: " + Msg); };
  Expected<std::unique_ptr<SynthesisCache>> C = createCache(SizeCacheSpec, Opts);
  if (!C) {
    warn("cannot open the size cache: " + toString(C.takeError()) +
         "; continuing without it");
    return;
  }
  Cache = std::move(*C);
  CacheKey = getSizeCacheKey(*Unopt);
  FileKey = getSizeCacheFileKey(*Unopt);
  Expected<std::optional<SizeCacheRecord>> R = readRecord(CacheKey, /*Warn=*/true);
  if (!R)
    return dropCache(toString(R.takeError()));
  Record = std::move(*R);
  Plan = planSizeRun(Record, Effort);
  if (SizeCacheReplay && Record && sizeCacheComparable(*Record, Effort))
    Plan = Record->Pipeline.empty() ? SizeCachePlan::KeepStock
                                    : SizeCachePlan::CachedOnly;
  if (!Record && !SizeCacheReplay &&
      SizeCacheEarlierVersions != EarlierVersionMode::Off && (K || SearchEvals))
    consultEarlierVersion();
  if (!Cache)
    return;
  emit<OptimizationRemarkAnalysis>("Cache", [&](auto &R) {
    R << "cache: " << ore::NV("CachePlan", planName());
    if (EarlierVersion)
      R << " (kept by a compilation of "
        << ore::NV("EarlierVersionOf", Unopt->getSourceFileName())
        << " that made "
        << ore::NV("CachedObjective", Record->Objective) << " bytes of -Oz's "
        << ore::NV("CachedStockObjective", Record->StockObjective) << ")";
    else if (Record)
      R << " (earlier compilations tried "
        << ore::NV("CachedSequences", unsigned(popcount(Record->Tried)))
        << " coreset sequences and "
        << ore::NV("CachedSearch", Record->SearchEvaluations)
        << " search evaluations; best "
        << ore::NV("CachedObjective", Record->Objective) << " bytes, -Oz "
        << ore::NV("CachedStockObjective", Record->StockObjective) << ")";
  });
}

void SizeDriver::consultEarlierVersion() {
  if (FileKey.empty())
    return;
  Expected<std::optional<SizeCacheRecord>> R = readRecord(FileKey, /*Warn=*/true);
  if (!R)
    return dropCache(toString(R.takeError()));
  if (!*R || (*R)->Pipeline.empty())
    return;
  SizeCacheRecord Earlier;
  Earlier.Pipeline = std::move((*R)->Pipeline);
  Earlier.FromStock = (*R)->FromStock;
  Earlier.Objective = (*R)->Objective;
  Earlier.StockObjective = (*R)->StockObjective;
  Earlier.Coreset = Effort.Coreset;
  Earlier.UnwindGuard = Effort.UnwindGuard;
  Record = std::move(Earlier);
  EarlierVersion = true;
  Plan = SizeCacheEarlierVersions == EarlierVersionMode::Alone && !SearchEvals
             ? SizeCachePlan::CachedOnly
             : SizeCachePlan::CachedFirst;
}

void SizeDriver::updateFileRecord(const SizeCacheRecord &New) {
  if (FileKey.empty() || New.Pipeline.empty())
    return;
  Expected<std::optional<SizeCacheRecord>> Old =
      readRecord(FileKey, /*Warn=*/false);
  if (!Old)
    return dropCache("cannot read the source file's entry: " +
                     toString(Old.takeError()));
  if (*Old && **Old == New)
    return;
  Expected<bool> Put =
      Cache->put(FileKey, encodeSizeRecord(New), OverwritePolicy::Replace);
  if (!Put)
    dropCache("cannot store the source file's entry: " +
              toString(Put.takeError()));
}

Expected<std::optional<SizeCacheRecord>>
SizeDriver::readRecord(StringRef Key, bool Warn) {
  Expected<std::optional<CacheEntry>> E = Cache->get(Key);
  if (!E)
    return E.takeError();
  if (!*E)
    return std::nullopt;
  Expected<SizeCacheRecord> R = decodeSizeRecord(**E);
  if (R)
    return std::optional<SizeCacheRecord>(std::move(*R));
  if (Warn)
    warn("size cache: ignoring this module's entry (" +
         toString(R.takeError()) + ")");
  else
    consumeError(R.takeError());
  return std::nullopt;
}

void SizeDriver::updateCache(uint64_t StockObj, const Candidate *Chosen,
                             const std::vector<Candidate> &Cands) {
  if (!Cache || !SizeCacheUpdate || SizeCacheReplay ||
      Plan == SizeCachePlan::KeepStock)
    return;
  // What this run tried: the coreset sequences and the extension that were
  // measured (a candidate stopped by the budget does not count).
  std::vector<unsigned> Seqs;
  for (unsigned I = NSource - K; I < NSource; ++I)
    if (Ran[I] && Failed[I].empty())
      Seqs.push_back(Order[I - (NSource - K)].first);
  bool ExtensionTried = !Extension.empty() && Ran.back() && Failed.back().empty();
  SizeCacheEffort Now{Effort.Coreset, Seqs, 0,
                      ExtensionTried ? Effort.Extension : std::string(),
                      BudgetMs, Effort.UnwindGuard};
  // Coreset sequences the budget stopped although each had most of it.
  std::vector<unsigned> OutOfTime;
  for (unsigned I = NSource - K; I < NSource; ++I)
    if (Ran[I] && Tried[I].OutOfTime)
      OutOfTime.push_back(Order[I - (NSource - K)].first);
  // The record is built upon only if this run confirmed its pipeline: it
  // won, or something at least as small did.
  bool UsedCached = Plan == SizeCachePlan::CachedFirst ||
                    Plan == SizeCachePlan::CachedOnly;
  const Candidate *CachedCand = nullptr;
  for (const Candidate &C : Cands)
    if (C.Cached)
      CachedCand = &C;
  bool Confirmed = Chosen && (Chosen->Cached ||
                              (CachedCand && Chosen->Objective <= CachedCand->Objective));
  std::optional<SizeCacheRecord> Base = Record;
  if ((UsedCached && !Confirmed) || EarlierVersion)
    Base.reset();
  SizeCacheRecord Best;
  Best.StockObjective = Best.Objective = StockObj;
  if (Chosen) {
    Best.Pipeline = Chosen->Pipeline;
    Best.FromStock = Chosen->Extension;
    Best.Objective = Chosen->Objective;
  }
  SizeCacheRecord New = mergeSizeRecord(Base, Now, SearchDone, std::move(Best),
                                        OutOfTime, BudgetMs);
  updateFileRecord(New);
  if (!Cache)
    return;
  if (!EarlierVersion && Record && New == *Record)
    return;
  // Another compilation of this module may have stored a record since this
  // one read it; the smaller result stays (a read and a write, not atomic,
  // but the window is that of the write, not of the compilation).
  // A garbled entry is replaced below.
  Expected<std::optional<SizeCacheRecord>> Current =
      readRecord(CacheKey, /*Warn=*/false);
  if (!Current)
    return dropCache("cannot read this module's entry again: " +
                     toString(Current.takeError()));
  if (!shouldStoreSizeRecord(*Current,
                             EarlierVersion ? std::nullopt : Record, New)) {
    emit<OptimizationRemarkAnalysis>("CacheKept", [&](auto &R) {
      R << "cache: kept the entry another compilation stored meanwhile ("
        << ore::NV("CachedObjective", (*Current)->Objective)
        << " bytes; this one found "
        << ore::NV("Objective", New.Objective) << ")";
    });
    return;
  }
  Expected<bool> Put =
      Cache->put(CacheKey, encodeSizeRecord(New), OverwritePolicy::Replace);
  if (!Put)
    dropCache("cannot store this module's result: " + toString(Put.takeError()));
}

void SizeDriver::prepareCandidate(unsigned I) {
  Candidate &Cand = Tried[I];
  unsigned CachedSlots = NSource - K;
  if (I < CachedSlots) {
    Cand.Cached = true;
    Cand.EarlierVersion = EarlierVersion;
    Cand.Pipeline = Record->Pipeline;
  } else if (I < NSource) {
    Cand.Index = Order[I - CachedSlots].first;
    Cand.Predicted = Order[I - CachedSlots].second;
    Cand.Pipeline = CS->Pipelines[Cand.Index];
  } else {
    Cand.Extension = true;
    Cand.Cached = I == NSource && Record && Record->FromStock &&
                  (Plan == SizeCachePlan::CachedFirst ||
                   Plan == SizeCachePlan::CachedOnly);
    Cand.Pipeline = StockPipelines[I - NSource];
  }
}

void SizeDriver::runCandidate(PipelineEvaluator &E, unsigned I) {
  if (!candidateTimeLeft())
    return;
  Ran[I] = 1;
  Candidate &Cand = Tried[I];
  Failed[I] = measurePipeline(E, Cand.Extension ? StockBitcode : Source,
                              Cand.Pipeline,
                              /*SkipUnchanged=*/Cand.Extension, Cand);
}

/// An ObjectSize's section families as a child sends them.
constexpr size_t kEncodedSizeBytes = 5 * sizeof(uint64_t);

/// What a child sends back for a measured candidate: whether it ran, the
/// measurement (and the one with the machine outliner, if made), why it
/// failed, and the pipeline's output as bitcode.
static std::string encodeMeasured(const Candidate &C, StringRef Why,
                                  bool Ran) {
  std::string S;
  S += char(Ran);
  S += char(C.Unchanged);
  S += char(C.OutOfTime);
  auto Put = [&](auto V) {
    S.append(reinterpret_cast<const char *>(&V), sizeof(V));
  };
  auto PutSize = [&](const ObjectSize &O) {
    Put(O.Text);
    Put(O.ROData);
    Put(O.Data);
    Put(O.EHFrame);
    Put(O.UnwindEntries);
  };
  PutSize(C.Object);
  Put(uint64_t(C.Objective));
  S += char(C.Outlined.has_value());
  PutSize(C.Outlined.value_or(ObjectSize()));
  Put(uint32_t(Why.size()));
  S += Why;
  S += C.Bitcode;
  return S;
}

/// Reads what encodeMeasured() wrote into \p C; false if it is malformed.
static bool decodeMeasured(StringRef S, Candidate &C, std::string &Why,
                           bool &Ran) {
  if (S.size() < 3 + 2 * kEncodedSizeBytes + 8 + 1 + 4)
    return false;
  Ran = S[0];
  C.Unchanged = S[1];
  C.OutOfTime = S[2];
  size_t Pos = 3;
  auto Get = [&](auto &V) {
    std::memcpy(&V, S.data() + Pos, sizeof(V));
    Pos += sizeof(V);
  };
  auto GetSize = [&](ObjectSize &O) {
    Get(O.Text);
    Get(O.ROData);
    Get(O.Data);
    Get(O.EHFrame);
    Get(O.UnwindEntries);
  };
  GetSize(C.Object);
  Get(C.Objective);
  bool HasOutlined = S[Pos++];
  ObjectSize Outlined;
  GetSize(Outlined);
  C.Outlined.reset();
  if (HasOutlined)
    C.Outlined = std::move(Outlined);
  uint32_t N;
  Get(N);
  if (S.size() - Pos < N)
    return false;
  Why = S.substr(Pos, N).str();
  C.Bitcode = S.drop_front(Pos + N).str();
  return true;
}

void SizeDriver::fromChild(const ChildJobs &Jobs, unsigned J, Candidate &C,
                           std::string &Why, bool &Ran) {
  switch (Jobs.status(J)) {
  case ChildJobs::Status::Answered:
    if (!decodeMeasured(Jobs.answer(J), C, Why, Ran)) {
      Ran = true;
      Why = "malformed answer from its child process";
    }
    return;
  case ChildJobs::Status::Crashed:
    Ran = true;
    Why = "crashed in its child process (" + Jobs.why(J) + ")";
    return;
  case ChildJobs::Status::Killed: {
    Ran = true;
    unsigned StartedMs = unsigned(std::max<int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(
               Jobs.started(J) - Start)
               .count()));
    unsigned LimitMs = candidateBudgetMs() > StartedMs
                           ? candidateBudgetMs() - StartedMs
                           : 1;
    // Ended by its deadline, or killed at it (the children stop by
    // themselves even while this process is still busy with -Oz).
    Clock::time_point End = std::min(Clock::now(), hardDeadline());
    Why = formatv("killed at the time limit of {0} ms after {1} ms", LimitMs,
                  std::max<int64_t>(
                      0, std::chrono::duration_cast<std::chrono::milliseconds>(
                             End - Jobs.started(J))
                             .count()));
    // As a pipeline stopped by the budget (measurePipeline).
    C.OutOfTime = hadMostOfBudget(LimitMs);
    return;
  }
  case ChildJobs::Status::NotStarted:
  case ChildJobs::Status::Running:
    Ran = false;
    return;
  }
}

std::unique_ptr<ChildJobs> SizeDriver::slotJobs(unsigned First, unsigned N) {
  return std::make_unique<ChildJobs>(
      N,
      [this, First](unsigned J) {
    unsigned I = First + J;
    Expected<std::unique_ptr<PipelineEvaluator>> E =
        PipelineEvaluator::create();
    if (!E) {
      Ran[I] = 1;
      Failed[I] = toString(E.takeError());
    } else {
      runCandidate(**E, I);
    }
    return encodeMeasured(Tried[I], Failed[I], Ran[I]);
      },
      hardDeadline());
}

void SizeDriver::waitSlots(ChildJobs &Jobs, unsigned First, unsigned Threads,
                           PipelineEvaluator &E) {
  if (Error Err = Jobs.wait(hardDeadline(), std::max(1u, Threads))) {
    warn("cannot run the candidates in child processes (" +
         toString(std::move(Err)) + "); running them in this process");
    collectSlots(Jobs, First);
    for (unsigned J = 0; J < Jobs.size(); ++J)
      if (Jobs.status(J) == ChildJobs::Status::NotStarted)
        runCandidate(E, First + J);
    return;
  }
  collectSlots(Jobs, First);
}

void SizeDriver::collectSlots(ChildJobs &Jobs, unsigned First) {
  for (unsigned J = 0; J < Jobs.size(); ++J) {
    bool R = false;
    fromChild(Jobs, J, Tried[First + J], Failed[First + J], R);
    Ran[First + J] = R;
  }
}

std::string SizeDriver::measurePipeline(PipelineEvaluator &E, StringRef Input,
                                        StringRef P, bool SkipUnchanged,
                                        Candidate &Cand) {
  // The candidate lives in its own context and is measured in place; what
  // is kept is its bitcode, so a losing candidate costs no second parse.
  LLVMContext CandCtx;
  E.setAlsoOutlined(tryOutliner());
  Expected<std::unique_ptr<Module>> Copy = readModuleBitcode(Input, CandCtx);
  if (!Copy)
    return toString(Copy.takeError());
  // A candidate never runs past the translation unit's budget less the
  // verification's reserve, nor past -neuropt-size-candidate-time-factor
  // times the -Oz measurement.
  unsigned LimitMs = candidateBudgetMs() > elapsedMs()
                         ? candidateBudgetMs() - elapsedMs()
                         : 1;
  if (CandidateTimeFactor > 0)
    LimitMs = std::min(LimitMs,
                       std::max(50u, unsigned(CandidateTimeFactor * StockMs)));
  Expected<SizeMeasurement> Size = [&]() -> Expected<SizeMeasurement> {
    // The extension's pipeline often changes nothing in -Oz's result; then
    // the candidate is -Oz's result and its code generation would only
    // repeat the stock measurement. The copy is written before and after,
    // with use-list order, from the same module and context (the context
    // writes its metadata kinds too, so the stock bitcode from clang's
    // context is not comparable): equal bytes mean the same module.
    std::string Before;
    if (SkipUnchanged)
      Before = writeModuleBitcode(**Copy);
    if (Error Err = E.runPipeline(**Copy, P, LimitMs)) {
      // Stopped by the budget with (nearly) all of it: remembered in the
      // cache, so that a rebuild with no more time does not pay again.
      if (!candidateTimeLeft() && hadMostOfBudget(LimitMs))
        Cand.OutOfTime = true;
      return Err;
    }
    Cand.Bitcode = writeModuleBitcode(**Copy);
    if (SkipUnchanged && Cand.Bitcode == Before) {
      Cand.Unchanged = true;
      Cand.Bitcode.clear();
      return SizeMeasurement();
    }
    return E.evaluateInPlace(**Copy, TailPipeline);
  }();
  if (!Size)
    return toString(Size.takeError());
  if (Cand.Unchanged)
    return ""; // nothing measured: finish() reports it and passes it over
  Cand.Object = Size->Object;
  Cand.Objective = Size->Object.objective();
  Cand.Outlined = Size->Outlined;
  return "";
}

bool SizeDriver::search(PipelineEvaluator &Eval, std::vector<Candidate> &Cands) {
  // The start: the smallest candidate from the source (a coreset sequence
  // or the cached pipeline; the first in rank order among equals), not one
  // that starts from -Oz's result.
  const Candidate *Best = nullptr;
  for (const Candidate &C : Cands)
    if (!C.Extension && (!Best || C.Objective < Best->Objective))
      Best = &C;
  if (!Best)
    return true;
  std::vector<std::string> Vocab = stepsOf(CS->Pipelines);
  PassSequence Incumbent;
  for (StringRef E : splitPipelineElements(Best->Pipeline))
    Incumbent.Steps.push_back(E.str());
  uint64_t IncumbentObj = Best->Objective;
  unsigned From = Best->Index;
  bool FromCached = Best->Cached;
  // A search that continues earlier compilations' (-neuropt-size-cache)
  // draws other edits than they did.
  uint64_t Earlier = Record ? Record->SearchEvaluations : 0;
  SplitMix64 R(SearchSeed ^ (Earlier * 0x9E3779B97F4A7C15ULL));
  unsigned Batch = std::max(1u, unsigned(SearchBatch));
  // One evaluator per extra thread, made once for all rounds.
  std::vector<std::unique_ptr<PipelineEvaluator>> Evals;
  for (unsigned I = 1; I < std::min(threadCount(), Batch); ++I) {
    Expected<std::unique_ptr<PipelineEvaluator>> E = PipelineEvaluator::create();
    if (!E) {
      consumeError(E.takeError());
      break;
    }
    Evals.push_back(std::move(*E));
  }
  auto PhaseStart = Clock::now();
  while (SearchDone < SearchEvals && candidateTimeLeft()) {
    // A round: Batch edits of the incumbent, drawn before any is measured,
    // so the round's sequences do not depend on the thread count.
    unsigned N = std::min(Batch, unsigned(SearchEvals) - SearchDone);
    std::vector<Candidate> Round(N);
    std::vector<std::string> Why(N);
    for (unsigned I = 0; I < N; ++I) {
      Round[I].Searched = true;
      Round[I].Index = From;
      Round[I].EditedCached = FromCached;
      Round[I].Evaluation = SearchDone + I + 1;
      Round[I].Sequence = mutateSequence(Incumbent, Vocab, R);
      requireAlwaysInline(Round[I].Sequence);
      Round[I].Pipeline = Round[I].Sequence.str();
    }
    bool InProcess = !Isolated || SearchForkFailed;
    if (!InProcess) {
      ChildJobs Jobs(N, [&](unsigned I) {
        std::string W = "budget";
        bool Measured = false;
        if (candidateTimeLeft()) {
          Measured = true;
          Expected<std::unique_ptr<PipelineEvaluator>> E =
              PipelineEvaluator::create();
          W = E ? measurePipeline(**E, Source, Round[I].Pipeline,
                                  /*SkipUnchanged=*/false, Round[I])
                : toString(E.takeError());
        }
        return encodeMeasured(Round[I], W, Measured);
      }, hardDeadline());
      if (Error Err = Jobs.wait(hardDeadline(), std::min(threadCount(), Batch))) {
        // Once: the later rounds run here too, without trying again.
        warn("cannot run the search in child processes (" +
             toString(std::move(Err)) + "); running it in this process");
        InProcess = SearchForkFailed = true;
      } else {
        for (unsigned I = 0; I < N; ++I) {
          bool Measured = false;
          fromChild(Jobs, I, Round[I], Why[I], Measured);
          if (!Measured)
            Why[I] = "budget";
        }
      }
    }
    std::atomic<unsigned> Next{0};
    auto Work = [&](PipelineEvaluator &E) {
      for (unsigned I; (I = Next.fetch_add(1)) < N;)
        if (candidateTimeLeft())
          Why[I] = measurePipeline(E, Source, Round[I].Pipeline,
                                   /*SkipUnchanged=*/false, Round[I]);
        else
          Why[I] = "budget";
    };
    if (InProcess) {
      std::vector<std::thread> Threads;
      for (unsigned T = 0; T < Evals.size() && T + 1 < N; ++T)
        Threads.emplace_back([&, T] { Work(*Evals[T]); });
      Work(Eval);
      for (std::thread &T : Threads)
        T.join();
    }
    SearchDone += N;
    // The smallest of the round (the first among equals) replaces the
    // incumbent if it is smaller, or as small with fewer steps.
    int Winner = -1;
    for (unsigned I = 0; I < N; ++I) {
      if (!Why[I].empty())
        continue;
      const Candidate &C = Round[I];
      if (C.Objective < IncumbentObj ||
          (C.Objective == IncumbentObj &&
           C.Sequence.Steps.size() < Incumbent.Steps.size()))
        if (Winner < 0 || C.Objective < Round[Winner].Objective)
          Winner = int(I);
    }
    if (Winner < 0)
      continue;
    Candidate &W = Round[Winner];
    Incumbent = W.Sequence;
    if (W.Objective < IncumbentObj) {
      IncumbentObj = W.Objective;
      ++SearchImproved;
      Cands.push_back(std::move(W));
    }
  }
  SearchMs = msSince(PhaseStart);
  return SearchDone >= SearchEvals;
}

void SizeDriver::decideOutliner(const ObjectSize &PlainSize,
                                const std::optional<ObjectSize> &Outlined,
                                const Candidate *Chosen) {
  if (!tryOutliner() || !Outlined)
    return;
  // Each outlined function gets its own unwind table entry: the outliner
  // wins only if the objective shrinks by more than the unwind tables grow,
  // so that it does not just move bytes out of the sections counted.
  // (Without unwind tables, -fno-asynchronous-unwind-tables, they stay
  // empty.)
  uint64_t Plain = PlainSize.objective(), With = Outlined->objective();
  uint64_t PlainUnwind = PlainSize.unwindBytes(),
           WithUnwind = Outlined->unwindBytes();
  bool On = With + WithUnwind < Plain + PlainUnwind;
  MachineOutliner::setForCodegen(On);
  OutlinerNote =
      formatv(", machine outliner {0} ({1} bytes and unwind tables {2} with "
              "it, unwind tables {3} without)",
              On ? "on" : "off", With, WithUnwind, PlainUnwind)
          .str();
  auto Describe = [&](auto &R) {
    R << "code generation of ";
    if (Chosen)
      name(R, *Chosen);
    else
      R << "-Oz's result";
  };
  if (On)
    emit<OptimizationRemark>("MachineOutliner", [&](auto &R) {
      Describe(R);
      R << " with the machine outliner: " << ore::NV("Objective", Plain)
        << " -> " << ore::NV("OutlinedObjective", With)
        << " bytes, unwind tables " << ore::NV("Unwind", PlainUnwind) << " -> "
        << ore::NV("OutlinedUnwind", WithUnwind);
    });
  else
    emit<OptimizationRemarkAnalysis>("MachineOutliner", [&](auto &R) {
      Describe(R);
      R << " without the machine outliner: "
        << ore::NV("OutlinedObjective", With) << " bytes and unwind tables "
        << ore::NV("OutlinedUnwind", WithUnwind) << " with it, "
        << ore::NV("Objective", Plain) << " and "
        << ore::NV("Unwind", PlainUnwind) << " without";
    });
}

void SizeDriver::finish(PipelineEvaluator &Eval) {
  if (!Started)
    return;
  // The children answered long ago; their exits are counted with this
  // compilation's.
  scope_exit Reap([] { reapChildren(); });
  if (Plan == SizeCachePlan::KeepStock) {
    emit<OptimizationRemarkMissed>("KeptStock", [&](auto &R) {
      R << "kept -Oz (" << ore::NV("StockObjective", Record->StockObjective)
        << " bytes when cached): earlier compilations of this module found "
        << "nothing smaller";
      if (Record->OutOfTime)
        R << " or ran out of time on "
          << ore::NV("OutOfTime", unsigned(popcount(Record->OutOfTime)))
          << " sequences with a budget of "
          << ore::NV("OutOfTimeMs", Record->OutOfTimeMs)
          << " ms (a larger -neuropt-size-budget-ms tries them again)";
      R << " (-neuropt-size-cache)";
    });
    ++NumKeptStock;
    StockBytes += Record->StockObjective;
    // The record says nothing of code generation: -Oz's result is measured
    // with and without the machine outliner as without a cache.
    if (tryOutliner()) {
      Expected<SizeMeasurement> Stock = measureStock(Eval);
      if (Stock)
        decideOutliner(Stock->Object, Stock->Outlined, nullptr);
      else
        warn("cannot measure the -Oz result: " + toString(Stock.takeError()));
    }
    if (PrintSummary)
      errs() << formatv("neuropt-size: {0}: kept -Oz, {1} bytes when cached, "
                        "0 candidates, {2} ms ({3})\n",
                        M.getModuleIdentifier(), Record->StockObjective,
                        elapsedMs(), phases());
    return;
  }
  LLVMContext &Ctx = M.getContext();
  // -Oz's measurement (here: M is -Oz's result only now), then whatever
  // candidates the workers have not taken yet. The extension starts from a
  // copy of -Oz's result, so it can start only now; with more than one
  // thread it runs beside the measurement (a candidate time factor needs
  // the measurement first).
  auto PhaseStart = Clock::now();
  // Whether this thread still has to run the candidates from -Oz's result.
  bool StockHere = !StockPipelines.empty();
  bool StockSpawned = false;
  if (StockHere) {
    StockBitcode = writeModuleBitcode(M);
    if (Isolated) {
      StockJobs = slotJobs(NSource, unsigned(StockPipelines.size()));
      if (threadCount() > 1 && CandidateTimeFactor <= 0) {
        if (Error Err = StockJobs->spawn(1))
          consumeError(std::move(Err)); // waitSlots() makes one, or runs here
        else
          StockSpawned = true;
      }
      StockHere = false;
    } else if (threadCount() > 1 && CandidateTimeFactor <= 0) {
      Expected<std::unique_ptr<PipelineEvaluator>> E =
          PipelineEvaluator::create();
      if (E) {
        Workers.emplace_back(
            [this, E = std::move(*E)] { runStockCandidates(*E); });
        StockHere = false;
      } else {
        consumeError(E.takeError()); // run below, after the measurement
      }
    }
  }
  Expected<SizeMeasurement> Stock = measureStock(Eval);
  StockMs = msSince(PhaseStart);
  if (Isolated) {
    // The stock child, if it runs already, has one of the threads.
    unsigned Threads = threadCount() - (StockSpawned ? 1 : 0);
    if (NSource) {
      if (!SourceJobs) {
        // Made only now: this thread has nothing else to do meanwhile.
        SourceJobs = slotJobs(0, NSource);
        ThreadsUsed = std::min(Threads, NSource);
      }
      waitSlots(*SourceJobs, 0, Threads, Eval);
    }
    if (StockJobs)
      waitSlots(*StockJobs, NSource, 1, Eval);
  } else {
    runCandidates(Eval);
    if (StockHere)
      runStockCandidates(Eval);
    joinWorkers();
  }
  MeasureMs = msSince(PhaseStart);

  if (!Stock) {
    warn("cannot measure the -Oz result: " + toString(Stock.takeError()));
    return;
  }
  uint64_t StockObj = Stock->Object.objective();
  uint64_t StockUW = Stock->Object.unwindBytes();
  std::vector<Candidate> Cands;
  bool OutOfBudget = false;
  for (unsigned I = 0; I < Ran.size(); ++I) {
    if (!Ran[I]) {
      OutOfBudget = true;
      continue; // the extension may have run all the same
    }
    if (!Failed[I].empty()) {
      ++NumFailed;
      rejected(Tried[I], Failed[I]);
      continue;
    }
    if (Tried[I].Unchanged) {
      emit<OptimizationRemarkAnalysis>("Unchanged", [&](auto &R) {
        name(R, Tried[I]);
        R << " is -Oz's result unchanged: not measured";
      });
      continue;
    }
    Cands.push_back(std::move(Tried[I]));
  }
  // A record that covers this run covers its search too.
  if (SearchEvals && Plan != SizeCachePlan::CachedOnly && !search(Eval, Cands))
    OutOfBudget = true;
  PhaseStart = Clock::now();
  NumCandidates += Cands.size();
  StockBytes += StockObj;
  // Smallest first; ties keep the model's order.
  std::stable_sort(Cands.begin(), Cands.end(),
                   [](const Candidate &A, const Candidate &B) {
                     return A.Objective < B.Objective;
                   });
  auto Pct = [&](uint64_t Obj) {
    return formatv("{0:F2}", 100.0 * (double(StockObj) - double(Obj)) /
                                 double(StockObj ? StockObj : 1))
        .str();
  };
  const Candidate *Chosen = nullptr;
  VerifySummary ChosenSum;
  for (Candidate &Cand : Cands) {
    if (Cand.Objective >= StockObj)
      break;
    // Smaller on the objective, but the bytes went to the unwind tables:
    // not smaller in the program. A later, larger candidate may still win.
    uint64_t CandUW = Cand.Object.unwindBytes();
    if (UnwindGuard && Cand.Objective + CandUW > StockObj + StockUW) {
      ++NumRejectedUnwind;
      emit<OptimizationRemarkMissed>("Rejected", [&](auto &R) {
        name(R, Cand);
        R << " (" << ore::NV("MeasuredGain", Pct(Cand.Objective))
          << "% smaller) rejected: "
          << ore::NV("Reason", "the unwind tables grow by more than the "
                               "objective shrinks")
          << " (.eh_frame and its .eh_frame_hdr entries: "
          << ore::NV("Unwind", StockUW) << " -> "
          << ore::NV("CandidateUnwind", CandUW) << " bytes)";
      });
      continue;
    }
    if (!budgetLeft()) {
      OutOfBudget = true;
      break;
    }
    Expected<std::unique_ptr<Module>> Parsed = readModuleBitcode(Cand.Bitcode, Ctx);
    if (!Parsed) {
      std::string Why = toString(Parsed.takeError());
      rejected(Cand, Why);
      continue;
    }
    Cand.M = std::move(*Parsed);
    Cand.Bitcode.clear();
    VerifySummary Sum;
    if (VerifyWith != VerifyMode::Off)
      Sum = verifyCandidate(*Unopt, *Cand.M);
    bool Reject =
        Sum.Refuted > 0 || (Sum.ModuleDiff && Sum.ModuleDiff->Wrong) ||
        (RequireProof &&
         (Sum.Unknown || Sum.Unchecked || Sum.Bounded || Sum.ModuleDiff));
    if (Reject) {
      ++NumRejectedVerify;
      emit<OptimizationRemarkMissed>("Rejected", [&](auto &R) {
        name(R, Cand);
        R << " (" << ore::NV("MeasuredGain", Pct(Cand.Objective))
          << "% smaller) rejected by verification: "
          << ore::NV("Verdict", Sum.str());
      });
      continue;
    }
    Chosen = &Cand;
    ChosenSum = Sum;
    break;
  }

  VerifyMs = msSince(PhaseStart);
  NumOutOfBudget += OutOfBudget;
  if (OutOfBudget)
    emit<OptimizationRemarkAnalysis>("Budget", [&](auto &R) {
      R << "budget of " << ore::NV("BudgetMs", unsigned(BudgetMs))
        << " ms ran out after " << ore::NV("Candidates", unsigned(Cands.size()))
        << " candidates";
    });

  if (!Chosen) {
    ++NumKeptStock;
    emit<OptimizationRemarkMissed>("KeptStock", [&](auto &R) {
      R << "kept -Oz (" << ore::NV("StockObjective", StockObj)
        << " bytes): no verified candidate of "
        << ore::NV("Candidates", unsigned(Cands.size())) << " is smaller"
        << (UsedModel ? "" : " (no model: coreset order)");
    });
    updateCache(StockObj, nullptr, Cands);
    decideOutliner(Stock->Object, Stock->Outlined, nullptr);
    if (PrintSummary)
      errs() << formatv("neuropt-size: {0}: kept -Oz, {1} bytes, {2} "
                        "candidates, {3} ms ({4})\n",
                        M.getModuleIdentifier(), StockObj, Cands.size(),
                        elapsedMs(), phases());
    return;
  }

  if (Recheck && StockBitcode.empty())
    StockBitcode = writeModuleBitcode(M);
  float Predicted = Chosen->Predicted;
  uint64_t ChosenObj = Chosen->Objective;
  replaceModuleContents(M, *Chosen->M);
  if (RunTail)
    if (Error E = Eval.runPipeline(M, TailPipeline))
      report_fatal_error(Twine("neuropt-size: ") + toString(std::move(E)));
  if (Recheck) {
    Expected<SizeMeasurement> After =
        RunTail ? Eval.measure(M) : Eval.evaluate(M, TailPipeline);
    if (!After || After->Object.objective() != ChosenObj) {
      std::string Why = After ? formatv("measured {0} bytes, expected {1}",
                                        After->Object.objective(), ChosenObj)
                                    .str()
                              : toString(After.takeError());
      warn("installed module differs from the measured candidate (" + Why +
           "); restoring -Oz's result");
      Expected<std::unique_ptr<Module>> Back = readModuleBitcode(StockBitcode, Ctx);
      if (!Back)
        report_fatal_error(Twine("neuropt-size: cannot restore -Oz's result: ") +
                           toString(Back.takeError()));
      replaceModuleContents(M, **Back);
      ++NumKeptStock;
      return;
    }
  }
  updateCache(StockObj, Chosen, Cands);
  ++NumApplied;
  SavedBytes += StockObj - ChosenObj;
  FnsSame += ChosenSum.Same;
  FnsProved += ChosenSum.Proved;
  FnsBounded += ChosenSum.Bounded;
  FnsDefinedInputs += ChosenSum.DefinedInputs;
  FnsUnknown += ChosenSum.Unknown;
  FnsUnchecked += ChosenSum.Unchecked;
  FnsInlined += ChosenSum.Inlined;
  std::string Gain = Pct(ChosenObj);
  std::string Pred = formatv("{0:F2}", Predicted);
  std::string Verdict = VerifyWith == VerifyMode::Off
                            ? std::string("LLVM verifier only")
                            : ChosenSum.str();
  emit<OptimizationRemark>("Applied", [&](auto &R) {
    R << "applied ";
    name(R, *Chosen);
    R << ": " << ore::NV("MeasuredGain", Gain) << "% smaller than -Oz ("
      << ore::NV("StockObjective", StockObj) << " -> "
      << ore::NV("Objective", ChosenObj) << " bytes), predicted ";
    if (Chosen->Extension || Chosen->Searched || Chosen->Cached)
      R << ore::NV("PredictedGain", "n/a") << " (not ranked)";
    else if (UsedModel)
      R << ore::NV("PredictedGain", Pred) << PredictedUnit;
    else
      R << ore::NV("PredictedGain", "n/a") << " (no model: coreset order)";
    R << "; verification: " << ore::NV("Verdict", Verdict);
  });
  decideOutliner(Chosen->Object, Chosen->Outlined, Chosen);
  if (PrintSummary)
    errs() << formatv(
        "neuropt-size: {0}: {1}, {2} -> {3} bytes "
        "({4}%), {5}, {6} ms ({7})\n",
        M.getModuleIdentifier(),
        Chosen->Cached      ? std::string("cached pipeline")
        : Chosen->Extension ? std::string("extension of -Oz's result")
        : Chosen->Searched
            ? formatv("search result of evaluation {0} ({1})",
                      Chosen->Evaluation, Chosen->Sequence.str())
                  .str()
            : formatv("sequence {0}", Chosen->Index).str(),
        StockObj, ChosenObj, Gain, Verdict, elapsedMs(), phases());
}

namespace neuropt {
struct SizeEarlyStart {
  std::unique_ptr<SizeDriver> D;
};
} // namespace neuropt

PreservedAnalyses NeuroptSizeStashPass::run(Module &M,
                                            ModuleAnalysisManager &) {
  if (SizeK == 0)
    return PreservedAnalyses::all();
  Stash->ModuleID = M.getModuleIdentifier();
  Stash->Early.reset();
  if (threadCount() < 2 || CandidateTimeFactor > 0) {
    Stash->Bitcode = writeModuleBitcode(M);
    return PreservedAnalyses::all();
  }
  // The candidates start now, beside clang's own -Oz pipeline.
  auto D = std::make_unique<SizeDriver>(M, writeModuleBitcode(M),
                                        /*RunTail=*/false);
  D->start();
  Stash->Early = std::make_shared<SizeEarlyStart>(SizeEarlyStart{std::move(D)});
  return PreservedAnalyses::all();
}

PreservedAnalyses NeuroptSizePass::run(Module &M, ModuleAnalysisManager &) {
  // The machine outliner starts off for this translation unit: the plugin's
  // pipeline-start callback (passes/Plugin.cpp), which every clang pipeline
  // with this pass runs first, undid what an earlier one decided. Without
  // clang (opt) the pass never sets it.
  if (SizeK == 0 && Stash)
    return PreservedAnalyses::all();
  Expected<std::unique_ptr<PipelineEvaluator>> Eval = PipelineEvaluator::create();
  if (!Eval) {
    M.getContext().diagnose(DiagnosticInfoGeneric(
        "neuropt-size: " + toString(Eval.takeError()) + "; keeping -Oz",
        DS_Warning));
    return PreservedAnalyses::all();
  }
  if (Stash && Stash->Early && Stash->Early->D->isFor(M) &&
      Stash->ModuleID == M.getModuleIdentifier()) {
    std::unique_ptr<SizeDriver> D = std::move(Stash->Early->D);
    Stash->Early.reset();
    D->finish(**Eval);
    return PreservedAnalyses::none();
  }
  std::string Source;
  bool UsedStash = false;
  if (Stash && Stash->ModuleID == M.getModuleIdentifier() &&
      !Stash->Bitcode.empty()) {
    Source = std::move(Stash->Bitcode);
    Stash->Bitcode.clear();
    UsedStash = true;
  } else {
    // opt: the input is the unoptimized module; -Oz runs here.
    Source = writeModuleBitcode(M);
    if (Error E = (*Eval)->runPipeline(M, "default<Oz>")) {
      M.getContext().diagnose(DiagnosticInfoGeneric(
          "neuropt-size: -Oz failed: " + toString(std::move(E)), DS_Error));
      return PreservedAnalyses::none();
    }
  }
  if (SizeK == 0)
    return PreservedAnalyses::none(); // opt: -Oz alone.
  SizeDriver D(M, std::move(Source), /*RunTail=*/!UsedStash);
  D.start();
  D.finish(**Eval);
  return PreservedAnalyses::none();
}
