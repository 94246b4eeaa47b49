//===- ChildProcess.h - Run work in a forked child with a deadline -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Some work cannot be trusted to return: an LLVM pass that aborts with a
// fatal error, JIT-compiled code under test that crashes or loops, a solver
// that ignores its own timeout. runInChild() forks, runs the work in the
// child, which writes its answer to a pipe, and kills the child at the
// deadline. The caller gets whatever the child wrote, whether it timed out,
// and how it ended; the caller's process is never at risk.
//
// The caller must be single-threaded at the time of the call (fork copies
// only the calling thread).
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SUPPORT_CHILDPROCESS_H
#define NEUROPT_SUPPORT_CHILDPROCESS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <string>

namespace neuropt {

struct ChildOutcome {
  std::string Output;    ///< Everything the child wrote, even on timeout.
  bool TimedOut = false; ///< The deadline passed and the child was killed.
  int WaitStatus = 0;    ///< From waitpid: use WIFSIGNALED and friends.

  /// A short description of how a child that did not answer ended, e.g.
  /// "signal 6" or "exit status 1".
  std::string describeEnd() const;
};

/// Forks; the child runs \p Body with the write end of a pipe and then exits
/// with status 0 without running exit handlers (Body may also _exit itself).
/// The parent reads until end of file or until \p TimeoutMs have passed,
/// then kills the child if needed and reaps it. A child whose Body returned
/// exits with status 0, and is not waited for: a later call reaps it (a
/// large process's exit takes milliseconds). Fails only if a pipe or the fork
/// cannot be created.
///
/// \p HugeHeapBytes: for work that fills large tables at once (a Z3 context
/// writes two 8 MB tables as it is made: 4,300 page faults), the child first
/// sets aside that much at the top of its heap, asks for transparent huge
/// pages there and serves allocations below 64 MB from the heap, so the
/// tables take a few huge-page faults instead (where the kernel offers
/// them; elsewhere it changes nothing). Only the child's allocator changes.
llvm::Expected<ChildOutcome> runInChild(llvm::function_ref<void(int Fd)> Body,
                                        unsigned TimeoutMs,
                                        size_t HugeHeapBytes = 0);

/// HugeHeapBytes for a child that makes a Z3 context: its tables (17 MB)
/// and room for the queries.
constexpr size_t kSolverChildHeapBytes = size_t(32) << 20;

/// What runInChild does in the child for \p HugeHeapBytes; exposed for
/// tests. Call it only in a process about to exit: it keeps the heap from
/// shrinking and large allocations from being returned to the system.
void preferHugePageHeap(size_t Bytes);

/// Writes all of \p Bytes to \p Fd, retrying short writes; false on error.
bool writeAll(int Fd, llvm::StringRef Bytes);

} // namespace neuropt

#endif // NEUROPT_SUPPORT_CHILDPROCESS_H
