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
// instructions and intrinsics in cost order; constants are found by CEGIS;
// each candidate is first filtered on concrete inputs (filter::filterCPU or
// filterCUDA), then proved with neuropt::verifyRefinement. An optional
// learned guide reorders the enumeration.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SYNTH_SYNTHESIZE_H
#define NEUROPT_SYNTH_SYNTHESIZE_H

#include "neuropt/Synth/Harvest.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
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

struct SynthOptions {
  unsigned BudgetMs = 1000;     ///< Wall-clock budget for this problem.
  unsigned MaxRHSInsts = 3;     ///< Instructions in a candidate RHS.
  unsigned SolverTimeoutMs = 2000; ///< Per verifier call.
  unsigned NumInputs = 256;     ///< Concrete inputs for the filter.
  FilterBackend Filter = FilterBackend::Auto;
  uint64_t Seed = 1;            ///< Deterministic input generation.
  SynthGuide Guide;
  /// Optional target cost model; the built-in x86-64 table is used when null.
  const llvm::TargetTransformInfo *TTI = nullptr;
};

enum class SynthStatus {
  Found,        ///< A cheaper, proved RHS.
  NoneCheaper,  ///< The space up to MaxRHSInsts was exhausted: nothing
                ///< cheaper exists there.
  Budget,       ///< The budget ran out first.
  Unsupported,  ///< The LHS uses something synthesis does not model.
};

struct SynthStats {
  uint64_t Enumerated = 0;   ///< Candidates built.
  uint64_t Pruned = 0;       ///< Dropped by dataflow (known bits) pruning.
  uint64_t Filtered = 0;     ///< Dropped by the concrete-input filter.
  uint64_t SolverCalls = 0;  ///< verifyRefinement and CEGIS queries.
  double Seconds = 0;
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
  SynthStats Stats;
};

/// Cost of a DAG / function body under the cost model (code size and
/// latency combined, as documented in CostModel.cpp).
unsigned dagCost(const HarvestedDAG &DAG,
                 const llvm::TargetTransformInfo *TTI = nullptr);

/// Synthesizes a cheaper replacement for \p LHS.
llvm::Expected<SynthResult> synthesize(const HarvestedDAG &LHS,
                                       const SynthOptions &Opts);

} // namespace neuropt

#endif // NEUROPT_SYNTH_SYNTHESIZE_H
