//===- ModelSupport.h - Loading models inside passes ------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The plugin-wide model options, -neuropt-model-dir and -neuropt-device, and
// the one call passes use to get a runner for a named model. A missing or
// unusable model gives a no-op runner and a warning, never a failed compile.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_PASSES_MODELSUPPORT_H
#define NEUROPT_PASSES_MODELSUPPORT_H

#include "neuropt/Model/Runner.h"

#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>

namespace llvm {
class Module;
}

namespace neuropt {

/// -neuropt-model-dir, or the shipped models/ found relative to the plugin.
std::string getModelDir();

/// Loads model \p Name for \p M's compile on the -neuropt-device backend.
/// Load problems and device fallbacks are reported as warnings on \p M's
/// context; the result is then a no-op (or CPU) runner.
std::unique_ptr<model::ModelRunner> loadPassModel(llvm::StringRef Name,
                                                  llvm::Module &M);

/// Like loadPassModel(Name, M), for a model whose input rows follow
/// \p Manifest instead of the per-function statistics vector, and that
/// lives in \p Dir (default: getModelDir()).
std::unique_ptr<model::ModelRunner>
loadPassModel(llvm::StringRef Name, llvm::Module &M,
              const model::FeatureManifestId &Manifest,
              llvm::StringRef Dir = "");

} // namespace neuropt

#endif // NEUROPT_PASSES_MODELSUPPORT_H
