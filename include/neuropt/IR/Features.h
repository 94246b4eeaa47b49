//===- Features.h - Statistics feature vectors for functions and modules -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The statistics vector every neuropt model sees. The list of features lives
// in Features.def; this header turns it into an enum, name and documentation
// tables, and a JSON manifest whose hash guards against model/compiler skew.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_IR_FEATURES_H
#define NEUROPT_IR_FEATURES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class Function;
class LoopInfo;
class Module;
} // namespace llvm

namespace neuropt {

/// Index of a per-function feature in a FeatureVector.
enum class FunctionFeature : unsigned {
#define NEUROPT_FUNCTION_FEATURE(Name, Agg, Doc) Name,
#include "neuropt/IR/Features.def"
};

/// Index of a module-only feature; in a module vector these follow the
/// aggregated function features.
enum class ModuleFeature : unsigned {
#define NEUROPT_MODULE_FEATURE(Name, Doc) Name,
#include "neuropt/IR/Features.def"
};

enum class FeatureAggregation { Sum, Max };

struct FeatureInfo {
  llvm::StringRef Name;
  llvm::StringRef Doc;
  FeatureAggregation Agg;
};

/// Number of per-function features.
unsigned getNumFunctionFeatures();
/// Number of features in a module vector (function features, then module ones).
unsigned getNumModuleFeatures();

/// Descriptions of the per-function features, in vector order.
llvm::ArrayRef<FeatureInfo> getFunctionFeatureInfo();
/// Descriptions of the module-only features, in order.
llvm::ArrayRef<FeatureInfo> getModuleOnlyFeatureInfo();

/// A feature vector: exact integer counts, so featurization is deterministic.
using FeatureVector = std::vector<int64_t>;

/// Computes the per-function vector. \p LI may be null, in which case the
/// dominator tree and loop info are computed locally.
FeatureVector computeFunctionFeatures(const llvm::Function &F,
                                      const llvm::LoopInfo *LI = nullptr);

/// Computes the module vector: function features aggregated over the defined
/// functions (sum or max, as Features.def says), then the module features.
FeatureVector computeModuleFeatures(const llvm::Module &M);

/// The feature manifest: names, docs, aggregation and ordering of all
/// features, plus the schema version. Models record it and are checked
/// against it at load time.
llvm::json::Value getFeatureManifest();

/// A stable 64-bit FNV-1a hash of the canonical manifest text, rendered as 16
/// hex digits. Equal manifests give equal hashes on every host.
std::string getFeatureManifestHash();

/// Renders the feature documentation as a Markdown table (docs/features.md).
std::string getFeatureDocumentation();

} // namespace neuropt

#endif // NEUROPT_IR_FEATURES_H
