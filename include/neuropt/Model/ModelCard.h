//===- ModelCard.h - Model cards and model bundles on disk ------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A model on disk is two files in one directory, named after the model:
//   <Name>.safetensors  float weights ("f.*") and the integer model ("q.*");
//   <Name>.card.json    the model card: architecture, feature manifest and
//                       its hash, quantization parameters, training corpus
//                       and its hash, training command, metrics.
// Loading checks the card's feature manifest against the caller's: a model
// trained for another feature vector is rejected with an error naming both.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_MODELCARD_H
#define NEUROPT_MODEL_MODELCARD_H

#include "neuropt/Model/Json.h"
#include "neuropt/Model/Models.h"
#include "neuropt/Model/Quantize.h"
#include "neuropt/Model/Status.h"

#include <memory>
#include <string>

namespace neuropt {
namespace model {

/// Identifies a feature vector layout: lib/IR's getFeatureManifestHash() and
/// getNumFunctionFeatures() on the compiler side; the dataset header on the
/// training side.
struct FeatureManifestId {
  std::string Hash;
  unsigned NumFeatures = 0;
};

/// The model card (JSON beside the weights).
struct ModelCard {
  std::string Name;
  ModelConfig Config;
  FeatureManifestId Manifest;
  std::string CorpusName;
  std::string CorpusHash;
  std::string TrainCommand;
  uint64_t Seed = 0;
  /// Metrics of the float and the quantized model, and anything else the
  /// trainer reports (free-form JSON object).
  JsonValue Metrics = JsonValue::object();
  /// Filled by saveModel from the QuantModel.
  JsonValue Quantization = JsonValue::object();
  /// FNV-1a of the safetensors file, checked at load.
  std::string WeightsHash;

  JsonValue toJson() const;
  static StatusOr<ModelCard> fromJson(const JsonValue &V,
                                      const std::string &Where);
};

/// A loaded model.
struct ModelBundle {
  ModelCard Card;
  std::shared_ptr<FloatModel> Float;
  std::shared_ptr<const QuantModel> Quant;
};

/// The file names of model \p Name in \p Dir.
std::string weightsPath(const std::string &Dir, const std::string &Name);
std::string cardPath(const std::string &Dir, const std::string &Name);

/// Writes <Dir>/<Name>.safetensors and <Dir>/<Name>.card.json.
Status saveModel(const std::string &Dir, const ModelCard &Card,
                 const FloatModel &Float, const QuantModel &Quant);

/// Reads and checks only the card of model \p Name in \p Dir (not the
/// weights): enough to learn its architecture before choosing the manifest
/// to load it against.
StatusOr<ModelCard> readModelCard(const std::string &Dir,
                                  const std::string &Name);

/// Loads model \p Name from \p Dir. When \p Expected is given, the card's
/// manifest must match it. Every failure (missing file, truncation, bad
/// JSON, wrong shape, hash or manifest mismatch) is an error naming the file.
StatusOr<ModelBundle> loadModel(const std::string &Dir, const std::string &Name,
                                const FeatureManifestId *Expected);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_MODELCARD_H
