//===- Synthesize.h - Cost-ordered, verified synthesis of cheaper DAGs -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The synthesis engine of neuropt-superopt. Given a harvested integer DAG
// (the left-hand side), find a replacement (right-hand side) that is cheaper
// under the cost model and that the verifier proves is a refinement of the
// left-hand side. Candidates are enumerated bottom-up over LLVM's integer
// instructions and intrinsics in cost order; constants are found by CEGIS,
// or, where the candidate can be run backwards from the target's values,
// solved on the concrete inputs without the solver;
// each candidate is first filtered on concrete inputs (filter::filterCPU or
// filterCUDA), then proved by lib/Verify's SMT verifier (the proving layer
// of verifyRefinement; its differential-execution layer adds nothing after
// the filter), in a forked child killed at the deadline. The proof assumes
// the leaves' facts (known bits, ranges) as a precondition, since they hold
// wherever the harvested DAG runs. An optional learned guide reorders the
// enumeration.
//
// The budget is counted in work units, not in time, so that the same problem
// gives the same result on every run and machine, however loaded: Z3's
// resource count for the solver (CEGIS and proofs), and fixed charges for
// the enumerator's nodes, filtered candidates and forked children, fitted so
// that one unit is about 0.5 us on the development machine (Z3 counts about
// SynthWorkUnitsPerMs per ms there). The wall clock is only a guard against
// work nothing counts.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SYNTH_SYNTHESIZE_H
#define NEUROPT_SYNTH_SYNTHESIZE_H

#include "neuropt/Synth/Harvest.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Module;
class TargetTransformInfo;
} // namespace llvm

namespace neuropt {

enum class FilterBackend { CPU, CUDA, Auto };

/// Per-opcode prior weights from the learned guide, indexed by
/// filter::Op; higher means "try earlier". Empty: unguided.
struct SynthGuide {
  std::vector<float> OpcodeWeights;
  /// Probability the replacement needs a synthesized constant.
  float ConstantProb = 0.5f;
};

/// Work units per nominal millisecond (see the file comment).
constexpr uint64_t SynthWorkUnitsPerMs = 2000;

struct SynthOptions {
  /// Nominal budget for this problem in milliseconds: BudgetMs *
  /// SynthWorkUnitsPerMs work units, unless BudgetUnits is set.
  unsigned BudgetMs = 1000;
  uint64_t BudgetUnits = 0; ///< Work units for this problem; 0: from BudgetMs.
  /// Wall-clock guard for this problem in milliseconds; 0: 4 * BudgetMs
  /// (nominal, from the units) + 1000. Only work the units do not count
  /// should ever reach it; when it fires the result depends on the load.
  unsigned GuardMs = 0;
  unsigned MaxRHSInsts = 3;     ///< Instructions in a candidate RHS.
  /// Nominal limit of one verifier call in milliseconds (counted in units
  /// like BudgetMs; 4x as a wall-clock guard).
  unsigned SolverTimeoutMs = 2000;
  unsigned NumInputs = 256;     ///< Concrete inputs for the filter.
  FilterBackend Filter = FilterBackend::Auto;
  uint64_t Seed = 1;            ///< Deterministic input generation.
  SynthGuide Guide;
  /// Optional target cost model; the built-in x86-64 table is used when null.
  const llvm::TargetTransformInfo *TTI = nullptr;
  /// Threads for filter::filterCPU (0: all cores).
  unsigned FilterThreads = 1;
  /// Constant holes in one candidate.
  unsigned MaxHoles = 2;
};

enum class SynthStatus {
  Found,        ///< A cheaper, proved RHS.
  NoneCheaper,  ///< The space up to MaxRHSInsts instructions and MaxHoles
                ///< constants was exhausted: nothing cheaper exists there
                ///< (candidates skipped as structural duplicates or pruned
                ///< by dependence and known bits cannot be replacements).
  Budget,       ///< The budget ran out first.
  Unsupported,  ///< The LHS uses something synthesis does not model.
};

struct SynthStats {
  uint64_t Enumerated = 0;   ///< Candidates built.
  uint64_t Pruned = 0;       ///< Dropped before evaluation: the LHS depends
                             ///< on a leaf the candidate does not read, or
                             ///< known bits contradict.
  uint64_t Filtered = 0;     ///< Dropped on the concrete inputs: by the
                             ///< filter, or CEGIS found no constants.
  uint64_t SolverCalls = 0;  ///< verifyRefinement and CEGIS queries.
  double Seconds = 0;
  /// Work units spent: the same on every run (see the file comment).
  uint64_t Units = 0;
  uint64_t Proofs = 0;       ///< Verifier calls (part of SolverCalls).
  uint64_t Refuted = 0;      ///< Filter survivors the verifier refuted.
  uint64_t Undecided = 0;    ///< Verifier or CEGIS queries over their limit.
  uint64_t Inputs = 0;       ///< Concrete inputs at the end (with CEXs).
  /// One-constant candidates whose constant was solved by running them
  /// backwards from the target's value, without CEGIS.
  uint64_t Inverted = 0;
  /// One-constant candidates with few useful constants (a hole of at most 8
  /// bits, or read only as a shift amount), every one of them tried and
  /// none proved, without CEGIS.
  uint64_t Exhausted = 0;
  /// The filter back end that ran ("cpu" or "cuda").
  std::string Backend;
};

struct SynthResult {
  SynthStatus Status = SynthStatus::Budget;
  /// When Found: the RHS as a textual IR module with one function @rhs of
  /// the same signature as toFunction(LHS)'s @lhs.
  std::string RHSText;
  unsigned LHSCost = 0, RHSCost = 0;
  /// When Found: a certificate of the proof (the verifier's report, with
  /// the SMT-LIB query's hash) that the cache stores beside the RHS.
  std::string Certificate;
  /// Unsupported: what synthesis does not model; Budget: what ran out.
  std::string Reason;
  SynthStats Stats;
};

/// "found", "none-cheaper", "budget" or "unsupported".
const char *synthStatusName(SynthStatus S);

/// The work units of \p Opts' budget (BudgetUnits, or BudgetMs converted).
uint64_t synthBudgetUnits(const SynthOptions &Opts);

/// Cost of a DAG / function body under the cost model (code size and
/// latency combined, as documented in CostModel.cpp).
unsigned dagCost(const HarvestedDAG &DAG,
                 const llvm::TargetTransformInfo *TTI = nullptr);

/// The function the engine proves replacements against: toFunction(DAG)'s
/// @lhs, with the leaves' facts as a precondition (the result is poison
/// where a leaf is outside its range or contradicts its known bits; the
/// verifier does not read range attributes) and `noundef` on the leaves
/// that can be neither undef nor poison. A found RHS carries the same
/// parameter attributes. Re-checking a RHS against a weaker source (plain
/// toFunction) can fail where the engine's proof holds.
std::unique_ptr<llvm::Module> synthesisSource(const HarvestedDAG &DAG);

/// Synthesizes a cheaper replacement for \p LHS.
llvm::Expected<SynthResult> synthesize(const HarvestedDAG &LHS,
                                       const SynthOptions &Opts);

//===-- The learned guide -----------------------------------------------===//

/// Width of the guide's statistics vector (GuideFeatures.def, then one count
/// per filter opcode).
unsigned numGuideFeatures();
/// Name of guide feature \p I.
std::string guideFeatureName(unsigned I);
/// Hash of the guide's feature list; a model records it in its card.
std::string guideManifestHash();
/// The statistics vector of \p DAG.
std::vector<int64_t> guideFeatures(const HarvestedDAG &DAG);
/// Guide classes: one per filter opcode, then guideNoInstClass() for a
/// replacement without instructions (a leaf or a constant).
unsigned numGuideClasses();
unsigned guideNoInstClass();
/// The classes a found replacement uses: the opcodes of @rhs in \p RHS, or
/// {guideNoInstClass()} when it has none.
std::vector<unsigned> guideLabels(const llvm::Module &RHS);

/// The learned guide: an MLP over guideFeatures() with one output per
/// class, run by lib/Model's integer CPU runner. Its softmax becomes
/// SynthGuide::OpcodeWeights.
class SynthGuideModel {
public:
  ~SynthGuideModel();
  /// The default model name inside a guide directory.
  static constexpr const char *DefaultName = "synth-guide";
  /// Loads <Dir>/<Name>.safetensors and its card; an error names the file
  /// and the problem (missing, corrupt, trained for other features).
  static llvm::Expected<std::unique_ptr<SynthGuideModel>>
  load(const std::string &Dir, const std::string &Name = DefaultName);
  /// Per-opcode weights for \p DAG.
  llvm::Expected<SynthGuide> predict(const HarvestedDAG &DAG);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
  SynthGuideModel();
};

} // namespace neuropt

#endif // NEUROPT_SYNTH_SYNTHESIZE_H
