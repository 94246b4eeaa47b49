//===- Coreset.h - neuropt-eval pool/sweep/coreset/dataset/rank -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The subcommands that turn searched labels into neuropt-size's coreset and
// training set, and that evaluate a trained size model offline.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_NEUROPT_EVAL_CORESET_H
#define NEUROPT_TOOLS_NEUROPT_EVAL_CORESET_H

#include "llvm/Support/CommandLine.h"

#include <optional>

namespace neuropt {

/// The option category of these subcommands (for --help).
const llvm::cl::OptionCategory &getCoresetCategory();

/// Runs the pool, sweep, coreset, dataset or rank subcommand if one was
/// given; its exit status, or nullopt when another subcommand was chosen.
std::optional<int> runCoresetCommand();

} // namespace neuropt

#endif // NEUROPT_TOOLS_NEUROPT_EVAL_CORESET_H
