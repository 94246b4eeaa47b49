//===- IRInput.h - Model inputs from LLVM IR --------------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The bridge from lib/IR's featurizers to lib/Model's runners: the feature
// manifest identity the compiler expects models to match, and batches of
// functions turned into ModelInput (statistics vectors for MLPs, program
// graphs for GNNs). LLVM-side only: built into NeuroptModelLLVM.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_IRINPUT_H
#define NEUROPT_MODEL_IRINPUT_H

#include "neuropt/Model/ModelCard.h"
#include "neuropt/Model/Models.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace llvm {
class Function;
}

namespace neuropt {
struct ProgramGraph;
namespace model {

/// The manifest of this compiler's per-function statistics vector.
FeatureManifestId getCompilerFeatureManifest();

/// Owns the buffers a ModelInput points into.
struct IRBatch {
  std::vector<int64_t> Counts;
  GraphBatch Graphs;
  ModelInput Input;
};

/// One program graph as a GraphBatch of one graph (moved from \p PG).
GraphBatch toGraphBatch(ProgramGraph &&PG);

/// Featurizes \p Functions (definitions) for a model of \p Config.
IRBatch buildIRBatch(llvm::ArrayRef<const llvm::Function *> Functions,
                     const ModelConfig &Config);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_IRINPUT_H
