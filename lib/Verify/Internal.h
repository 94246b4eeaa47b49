//===- Internal.h - Helpers shared inside lib/Verify ------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Private to lib/Verify; free of solver types so that the exception-free
// files (DiffExec.cpp) can include it.
//
//===----------------------------------------------------------------------===//
#ifndef NEUROPT_LIB_VERIFY_INTERNAL_H
#define NEUROPT_LIB_VERIFY_INTERNAL_H

#include "neuropt/Verify/Verifier.h"

#include <algorithm>

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <vector>

namespace neuropt {
namespace verify {

/// Runs the SMT check with every argument fixed to a defined value (raw
/// bits, zero-extended). Refuted means the target is wrong on exactly this
/// input; Proved means it is right on it.
VerifyResult checkConcreteInput(const llvm::Function &Src,
                                const llvm::Function &Tgt,
                                const std::vector<uint64_t> &Args,
                                const VerifyOptions &Opts);

/// Runs Fn in a forked child and returns its result, or Unknown "timeout"
/// when the child is still running after DeadlineMs (it is then killed).
VerifyResult runIsolated(const std::function<VerifyResult()> &Fn,
                         unsigned DeadlineMs, const char *Engine);

/// Runs Fn(0), Fn(1), ... Fn(N-1) in one forked child, each given the
/// milliseconds left of DeadlineMs, and returns their results; those not
/// finished when the child is killed at the deadline (or crashes) answer
/// Unknown Verifier::kNotReached.
std::vector<VerifyResult>
runIsolatedBatch(const std::function<VerifyResult(size_t, unsigned)> &Fn,
                 size_t N, unsigned DeadlineMs, const char *Engine);

/// The resource limit of the next pair of a verifyAll batch that has used
/// Used units: the per-function limit, but no more than the batch has left;
/// none once the batch's units are spent (the pair is then not reached).
inline std::optional<uint64_t> batchShare(const VerifyOptions &Opts,
                                          uint64_t Used) {
  if (!Opts.BatchResourceLimit)
    return Opts.ResourceLimit;
  if (Used >= Opts.BatchResourceLimit)
    return std::nullopt;
  uint64_t Left = Opts.BatchResourceLimit - Used;
  return Opts.ResourceLimit ? std::min(Opts.ResourceLimit, Left) : Left;
}

/// The wall-clock deadline for a whole SMT verification under Opts.
inline unsigned smtDeadlineMs(const VerifyOptions &Opts) {
  return Opts.DeadlineMs ? Opts.DeadlineMs : Opts.TimeoutMs * 4 + 2000;
}

/// The part of the deadline the solver may use; the rest is left for
/// reporting the result back from the child process.
inline unsigned smtSolveDeadlineMs(const VerifyOptions &Opts) {
  unsigned D = smtDeadlineMs(Opts);
  return D - std::min(1000u, D / 4);
}

} // namespace verify
} // namespace neuropt

#endif // NEUROPT_LIB_VERIFY_INTERNAL_H
