//===- Size.h - neuropt-eval size: neuropt-size against clang -Oz -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The evaluation of neuropt-size on whole programs: each program is compiled
// by the real clang at -Oz, with and without the plugin, and the two objects
// are compared (section sizes, IR instructions, compile time, the plugin's
// remarks), next to the autotuning ceiling of PassSearch.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_NEUROPT_EVAL_SIZE_H
#define NEUROPT_TOOLS_NEUROPT_EVAL_SIZE_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace neuropt {

struct SizeEvalOptions {
  std::vector<std::string> Dirs; ///< Directories of *.c, *.i, *.bc, *.ll.
  bool PerDir = false;           ///< Each directory is one program.
  std::string Clang;             ///< clang-22 driver.
  std::string Plugin;            ///< NeurOpt.so.
  std::vector<std::string> ClangArgs; ///< Extra arguments for both builds.
  std::vector<std::string> MLLVMArgs; ///< -mllvm options for the plugin build.
  std::string OutDir;
  bool Ceiling = true;
  unsigned Budget = 300; ///< Ceiling search evaluations per translation unit.
  uint64_t Seed = 1;
  unsigned Jobs = 1;
  unsigned Runs = 3; ///< Timed compilations per configuration (median).
  /// results.json of an earlier run with the same budget, seed and clang
  /// arguments: its ceilings are reused for sources whose -Oz object has not
  /// changed (the search is deterministic), the others are searched again.
  std::string ReuseCeiling;
};

/// What went wrong overall; the details are in the results files.
struct SizeEvalStatus {
  unsigned Programs = 0;
  unsigned Failed = 0;       ///< Programs with an error in their row.
  unsigned LargerThanOz = 0; ///< Translation units the plugin made larger.
};

/// Evaluates every program, writes results.json, results.md and (with
/// gnuplot) results.png into Opts.OutDir, and prints progress and the
/// summary to \p Log. Fails only for errors that stop the whole run (a
/// missing directory, no sources, no clang); a program that fails to
/// compile is reported in its row.
llvm::Expected<SizeEvalStatus> runSizeEvaluation(const SizeEvalOptions &Opts,
                                                 llvm::raw_ostream &Log);

/// The `size` subcommand: true if it was named on the command line.
bool isSizeCommand();
/// Runs the `size` subcommand from its command-line options; returns the
/// exit status.
int runSizeCommand(const char *Argv0);

} // namespace neuropt

#endif // NEUROPT_TOOLS_NEUROPT_EVAL_SIZE_H
