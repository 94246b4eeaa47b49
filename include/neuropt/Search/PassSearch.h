//===- PassSearch.h - Search over pass pipelines for smaller code -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The label generator and the autotuning ceiling of neuropt-size: for one
// module, random search plus greedy refinement over pass sequences, each
// sequence measured with PipelineEvaluator (real x86-64 code generation).
//
// A sequence is a list of steps, each a valid top-level new-PM pipeline
// element. The step vocabulary is derived at run time from LLVM's own -Oz
// pipeline: module passes stay as they are, each pass of a function group
// becomes its own `function(...)` step, and the CGSCC inliner group stays
// whole. Optional extra steps add passes -Oz does not run (mergefunc,
// iroutliner, gvn-sink, gvn-hoist, ...).
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SEARCH_PASSSEARCH_H
#define NEUROPT_SEARCH_PASSSEARCH_H

#include "neuropt/Search/PipelineEvaluator.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neuropt {

/// A pass sequence, rendered as a pipeline by joining steps with commas.
struct PassSequence {
  std::vector<std::string> Steps;
  std::string str() const;
};

/// The -Oz pipeline as a flat step list, in -Oz's order.
std::vector<std::string> getOzSteps();

/// Steps for passes that -Oz does not run but that can shrink code.
std::vector<std::string> getExtraSteps();

/// The distinct steps of getOzSteps(), plus getExtraSteps() if asked.
std::vector<std::string> getStepVocabulary(bool WithExtras);

/// The step that inlines `always_inline` functions. Every candidate sequence
/// keeps it: always_inline is a contract with the programmer (code that
/// needs a constant argument of a builtin, or must not have a call frame,
/// depends on it), not a size trade-off for the search to drop.
constexpr const char *AlwaysInlineStep = "always-inline";

/// Adds AlwaysInlineStep in front of \p S unless \p S already runs it.
void requireAlwaysInline(PassSequence &S);

/// SplitMix64: a small, fast generator that gives the same stream on every
/// platform, unlike the standard distributions.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t Seed) : State(Seed) {}
  uint64_t next() {
    uint64_t Z = (State += 0x9e3779b97f4a7c15ULL);
    Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    Z = (Z ^ (Z >> 27)) * 0x94d049bb133111ebULL;
    return Z ^ (Z >> 31);
  }
  /// Uniform in [0, N).
  size_t below(size_t N) { return N ? next() % N : 0; }

private:
  uint64_t State;
};

/// One move of the greedy refinement: 1 to 3 random edits of \p In, each
/// deleting, inserting, replacing (with a step of \p Vocab) or swapping two
/// neighbouring steps. Deterministic for a given state of \p R.
PassSequence mutateSequence(const PassSequence &In,
                            llvm::ArrayRef<std::string> Vocab, SplitMix64 &R);

/// The distinct top-level steps of \p Pipelines, in first-seen order.
std::vector<std::string> stepsOf(llvm::ArrayRef<std::string> Pipelines);

struct SearchOptions {
  unsigned Budget = 300;       ///< Pipeline evaluations, baseline included.
  uint64_t Seed = 1;           ///< Fixed seed: the search is deterministic.
  unsigned RandomSamples = 60; ///< Of the budget, how many are random sequences.
  unsigned MinLength = 8, MaxLength = 48; ///< Random sequence lengths.
  bool WithExtras = true;      ///< Use getExtraSteps() too.
  /// Each candidate runs in a forked child with this limit, so a crashing
  /// or hanging pass sequence is only a failed candidate.
  unsigned CandidateTimeoutMs = 20000;
};

struct SearchResult {
  SizeMeasurement Baseline; ///< default<Oz>.
  SizeMeasurement Best;     ///< Equal to Baseline when nothing beat it.
  std::string BestPipeline; ///< "default<Oz>" when nothing beat it.
  unsigned Evaluations = 0;
  unsigned Failures = 0;    ///< Sequences that failed to run or verify.
  /// Objective of the best sequence after each evaluation (for curves).
  std::vector<uint64_t> BestSoFar;
};

/// Searches pass sequences for \p M under \p Opts. Each candidate runs on a
/// fresh copy of \p M and must pass the IR verifier; failures are counted
/// and skipped. Ties are broken by fewer steps, then by evaluation order.
llvm::Expected<SearchResult> searchPassSequences(PipelineEvaluator &Eval,
                                                 const llvm::Module &M,
                                                 const SearchOptions &Opts);

} // namespace neuropt

#endif // NEUROPT_SEARCH_PASSSEARCH_H
