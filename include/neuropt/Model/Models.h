//===- Models.h - Float models: MLP and GNN with their heads ----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The trainable float32 models and their inputs:
//   * MLP: the statistics vector (int64 counts) -> count codes (QuantMath.h)
//     -> standardization -> Linear/ReLU layers -> head.
//   * GNN: node-type embeddings -> R GraphSAGE rounds with one aggregate
//     per edge kind (GGNN-style typed edges)
//     h' = ReLU(W [h ; mean_k0 ; ... ; mean_k(K-1)] + b), mean_k the mean of
//     h over the out-neighbours along edges of kind k -> mean pooling per
//     graph -> Linear/ReLU layers -> head.
// Heads: regression (1 output, MSE), classification over K choices (K
// logits, cross-entropy) and pairwise ranking (1 score, logistic pairwise
// loss). Forward caches what backward needs, like llm.c's explicit layers.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_MODELS_H
#define NEUROPT_MODEL_MODELS_H

#include "neuropt/Model/Json.h"
#include "neuropt/Model/Status.h"
#include "neuropt/Model/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neuropt {
namespace model {

enum class ModelKind { MLP, GNN };
enum class HeadKind { Regression, Classification, Ranking };

const char *modelKindName(ModelKind K);
const char *headKindName(HeadKind H);
bool parseModelKind(const std::string &S, ModelKind &Out);
bool parseHeadKind(const std::string &S, HeadKind &Out);

/// The architecture; recorded in the model card.
struct ModelConfig {
  ModelKind Kind = ModelKind::MLP;
  HeadKind Head = HeadKind::Regression;
  /// MLP: width of the statistics vector.
  unsigned NumFeatures = 0;
  /// Hidden widths of the Linear/ReLU stack before the head.
  std::vector<unsigned> Hidden = {64, 64};
  /// K for classification, 1 for regression and ranking.
  unsigned NumOutputs = 1;
  /// GNN: node-type vocabulary, embedding width and message-passing rounds.
  unsigned NumNodeTypes = 0;
  unsigned EmbedDim = 32;
  unsigned Rounds = 2;
  /// GNN: edge kinds aggregated separately (1 = all edges together; lib/IR
  /// graphs have 3: control, data, call). Edges of kind >= NumEdgeKinds are
  /// rejected when NumEdgeKinds > 1.
  unsigned NumEdgeKinds = 1;

  /// Width of a GNN round's input: the node state plus one aggregate per
  /// edge kind.
  unsigned sageInputBlocks() const { return 1 + NumEdgeKinds; }

  Status validate() const;
  JsonValue toJson() const;
  static StatusOr<ModelConfig> fromJson(const JsonValue &V,
                                        const std::string &Where);
};

/// One or more program graphs in CSR form, concatenated: graph g owns nodes
/// [GraphPtr[g], GraphPtr[g+1]); node n's out-edges go to
/// Col[RowPtr[n] .. RowPtr[n+1]) with kinds EdgeKind[...] (the layout of
/// lib/IR's program graphs, with node indices offset per graph).
struct GraphBatch {
  std::vector<uint32_t> RowPtr = {0};
  std::vector<uint32_t> Col;
  std::vector<uint8_t> EdgeKind;
  std::vector<uint32_t> NodeType;
  std::vector<uint32_t> GraphPtr = {0};

  size_t numNodes() const { return NodeType.size(); }
  size_t numGraphs() const { return GraphPtr.size() - 1; }
  /// Appends every graph of \p Other, renumbering its nodes.
  void append(const GraphBatch &Other);
  /// Checks the CSR invariants and that node types are < NumNodeTypes.
  Status validate(unsigned NumNodeTypes) const;
};

/// A batch of model inputs. MLP models read Counts ([BatchSize,
/// NumFeatures], row-major); GNN models read Graphs (BatchSize graphs).
struct ModelInput {
  size_t BatchSize = 0;
  const int64_t *Counts = nullptr;
  const GraphBatch *Graphs = nullptr;
};

/// The CSR of \p G split by edge kind: entry k holds the edges of kind k
/// (for K == 1, every edge), over the same nodes.
struct KindedEdges {
  std::vector<std::vector<uint32_t>> RowPtr, Col;
};
KindedEdges splitEdgesByKind(const GraphBatch &G, unsigned K);

/// Checks that \p In matches what a model of \p Config reads.
Status validateInput(const ModelConfig &Config, const ModelInput &In);

/// A trainable tensor with its gradient.
struct Param {
  std::string Name;
  Tensor Value;
  Tensor Grad;
  bool Trainable = true;
};

/// The float32 model: parameters plus the explicit forward/backward of the
/// architecture in ModelConfig.
class FloatModel {
public:
  /// Builds a model with seeded He-uniform initialization.
  static StatusOr<FloatModel> create(const ModelConfig &Config, uint64_t Seed);

  const ModelConfig &config() const { return Config; }
  std::vector<Param> &params() { return Params; }
  const std::vector<Param> &params() const { return Params; }
  /// The parameter named \p Name, or null.
  const Param *findParam(const std::string &Name) const;
  Param *findParam(const std::string &Name);

  /// MLP only: sets the per-feature standardization of the count codes
  /// (x - Mean) / Std, usually from the training set.
  void setInputNormalization(const std::vector<float> &Mean,
                             const std::vector<float> &Std);

  /// Runs the model on \p In and returns [BatchSize, NumOutputs] outputs
  /// (logits for classification). Caches activations for backward.
  std::vector<float> forward(const ModelInput &In);
  /// Accumulates parameter gradients for d(loss)/d(outputs) = \p DOut, for
  /// the batch of the last forward().
  void backward(const std::vector<float> &DOut);
  void zeroGrad();

  /// Post-activation outputs of every requantized stage of the last forward,
  /// in execution order (GNN rounds, then hidden layers); the quantizer
  /// calibrates its activation scales on them.
  std::vector<const std::vector<float> *> stageOutputs() const;

private:
  explicit FloatModel(const ModelConfig &C) : Config(C) {}
  void addParam(const std::string &Name, std::vector<int64_t> Shape,
                bool Trainable = true);
  float *value(const std::string &Name);
  float *grad(const std::string &Name);

  ModelConfig Config;
  std::vector<Param> Params;

  // Caches of the last forward.
  size_t Batch = 0;
  GraphBatch Graphs;
  std::vector<uint32_t> PoolCol;
  KindedEdges Edges;
  std::vector<std::vector<float>> SageIn, SageCat, SagePre;
  std::vector<std::vector<float>> HeadIn, HeadPre;
  std::vector<float> FinalHidden;
};

/// The float input code of a count: quantizeCount(C) / QuantCountScale.
float countCode(int64_t C);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_MODELS_H
