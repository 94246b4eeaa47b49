//===- Quantize.h - Integer-only deployed models ----------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The deployed form of a model: int8 weights and activations, int32
// accumulation and fixed-point requantization (QuantMath.h). Every operation
// is exact integer arithmetic, so the CPU runner and the CUDA runner give
// bit-identical int32 scores. Training stays in float; quantizeModel()
// converts at export, calibrating activation scales on sample inputs.
//
// Layout: every width is padded to a multiple of QuantPad with zero weights,
// which keeps cuBLAS's int8 GEMM on its fast, supported path and leaves the
// padded activations exactly zero.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_QUANTIZE_H
#define NEUROPT_MODEL_QUANTIZE_H

#include "neuropt/Model/Models.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace neuropt {
namespace model {

/// Padding granularity of every quantized width.
constexpr unsigned QuantPad = 16;
inline unsigned padTo(unsigned N) {
  return (N + QuantPad - 1) / QuantPad * QuantPad;
}

/// One int8 linear layer: Acc = X[., InPad] * W[OutPad, InPad]^T + Bias; then
/// either requantized to int8 (optionally through ReLU) or, for the last
/// layer, left as the int32 scores.
struct QLinear {
  unsigned In = 0, Out = 0, InPad = 0, OutPad = 0;
  bool Relu = true;
  bool Requant = true;
  std::vector<int8_t> W;       ///< [OutPad, InPad]
  std::vector<int32_t> Bias;   ///< [OutPad], at scale InScale * WScale[o]
  std::vector<int32_t> Mult;   ///< [OutPad], requantization multiplier
  std::vector<int32_t> Shift;  ///< [OutPad], requantization shift
};

/// A quantized MLP or GNN.
struct QuantModel {
  ModelConfig Config;
  /// GNN: the int8 node-type embedding [NumNodeTypes, padTo(EmbedDim)].
  std::vector<int8_t> Embedding;
  std::vector<QLinear> Sage;   ///< GNN rounds; In = 2 * padTo(EmbedDim).
  std::vector<QLinear> Head;   ///< Hidden layers then the output layer.
  /// Real value of one unit of the int32 output scores.
  float ScoreScale = 1;
  /// Activation scales, for the model card: input, then each stage.
  std::vector<float> ActivationScales;

  /// Checks every size against Config (used after loading).
  Status validate() const;
  /// Named tensors for safetensors ("q.*").
  std::vector<std::pair<std::string, Tensor>> toTensors() const;
  /// Rebuilds from tensors and \p Config; errors name \p Where.
  static StatusOr<QuantModel>
  fromTensors(const ModelConfig &Config,
              const std::vector<std::pair<std::string, Tensor>> &Tensors,
              const std::string &Where);
};

/// Quantizes \p M; \p Calibration should be representative inputs (a
/// few thousand training samples).
StatusOr<QuantModel> quantizeModel(FloatModel &M, const ModelInput &Calibration);

/// Runs the integer model on the CPU: returns int32 scores
/// [BatchSize, NumOutputs]. The input must have been validated.
std::vector<int32_t> runQuantizedCPU(const QuantModel &Q, const ModelInput &In);

/// The fixed-point form (Mult, Shift) of a positive real multiplier.
std::pair<int32_t, int32_t> quantizeMultiplier(double Real);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_QUANTIZE_H
