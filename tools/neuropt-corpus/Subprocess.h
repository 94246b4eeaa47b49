//===- Subprocess.h - Time-limited child processes for neuropt-corpus -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Runs one external program (apt-get, clang, configure) with a wall-clock
// limit. llvm::sys::ExecuteAndWait implements its timeout with alarm(), which
// is process-wide and unsafe when several worker threads wait at once, so this
// polls a non-blocking llvm::sys::Wait instead and kills the child itself.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_CORPUS_SUBPROCESS_H
#define NEUROPT_TOOLS_CORPUS_SUBPROCESS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace neuropt {
namespace corpus {

/// How a child process ended.
struct RunResult {
  /// Exit status when the program ran to completion, otherwise -1.
  int ExitCode = -1;
  /// The program could not be started at all (not found, not executable).
  bool FailedToStart = false;
  /// The wall-clock limit was reached and the child was killed.
  bool TimedOut = false;
  /// The child died from a signal (a compiler crash, for example).
  bool Crashed = false;
  /// Wall-clock seconds.
  double Seconds = 0;
  /// Why it did not succeed, in words; empty on success.
  std::string Message;

  bool succeeded() const {
    return !FailedToStart && !TimedOut && !Crashed && ExitCode == 0;
  }
};

/// Runs \p Argv (Argv[0] is the program path or a name looked up on PATH).
/// Stdin is /dev/null; stdout and stderr both go to \p LogFile (or are
/// discarded when it is empty). \p TimeoutSeconds of 0 means no limit.
/// \p MemoryLimitMB of 0 means no limit.
RunResult runProgram(llvm::ArrayRef<std::string> Argv, llvm::StringRef LogFile,
                     unsigned TimeoutSeconds, unsigned MemoryLimitMB = 0);

/// Reads at most \p MaxBytes from the start of \p Path; empty when unreadable.
std::string readFilePrefix(llvm::StringRef Path, size_t MaxBytes);

} // namespace corpus
} // namespace neuropt

#endif // NEUROPT_TOOLS_CORPUS_SUBPROCESS_H
