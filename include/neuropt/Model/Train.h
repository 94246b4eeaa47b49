//===- Train.h - Losses, Adam, datasets and the training loop ---*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Training in float32 on the CPU: the three losses, Adam with decoupled
// weight decay, the dataset format of neuropt-train (documented in
// models/README.md), deterministic seeded mini-batching, and metrics.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_TRAIN_H
#define NEUROPT_MODEL_TRAIN_H

#include "neuropt/Model/Models.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neuropt {
namespace model {

/// A small deterministic generator (splitmix64): the same seed gives the same
/// stream on every host, unlike std:: distributions.
class Rng {
public:
  explicit Rng(uint64_t Seed) : State(Seed) {}
  uint64_t next();
  /// Uniform in [0, 1).
  double uniform();
  /// Standard normal (Box-Muller).
  double normal();
  /// Uniform integer in [0, N).
  uint64_t below(uint64_t N) { return next() % N; }

private:
  uint64_t State;
};

//===-- Losses --------------------------------------------------------------===//
// Each returns the mean loss over the batch and writes d(loss)/d(prediction).

/// Mean squared error of Pred[B] against Target[B].
double mseLoss(const std::vector<float> &Pred, const std::vector<float> &Target,
               std::vector<float> &DPred);
/// Cross-entropy of Logits[B, K] against class Labels[B].
double crossEntropyLoss(const std::vector<float> &Logits, size_t K,
                        const std::vector<uint32_t> &Labels,
                        std::vector<float> &DLogits);
/// Logistic pairwise ranking loss log(1 + exp(-(s_i - s_j))), averaged over
/// the pairs (i, j) of the same group with Relevance[i] > Relevance[j].
double pairwiseRankingLoss(const std::vector<float> &Scores,
                           const std::vector<float> &Relevance,
                           const std::vector<uint32_t> &Group,
                           std::vector<float> &DScores);

//===-- Optimizer -----------------------------------------------------------===//

/// Adam with decoupled weight decay (AdamW), on every trainable parameter.
class AdamW {
public:
  AdamW(float LR = 1e-3f, float WeightDecay = 1e-4f, float Beta1 = 0.9f,
        float Beta2 = 0.999f, float Eps = 1e-8f)
      : LR(LR), WeightDecay(WeightDecay), Beta1(Beta1), Beta2(Beta2),
        Eps(Eps) {}
  /// One update from the accumulated gradients.
  void step(std::vector<Param> &Params);

private:
  float LR, WeightDecay, Beta1, Beta2, Eps;
  uint64_t T = 0;
  std::vector<std::vector<float>> M, V;
};

//===-- Datasets ------------------------------------------------------------===//

/// Training samples: features (counts or graphs) with labels.
struct Dataset {
  ModelKind Kind = ModelKind::MLP;
  HeadKind Task = HeadKind::Regression;
  unsigned NumFeatures = 0;   ///< MLP: statistics vector width.
  unsigned NumClasses = 1;    ///< Classification: K.
  unsigned NumNodeTypes = 0;  ///< GNN: node-type vocabulary.
  std::string ManifestHash;   ///< The feature manifest the rows follow.
  std::vector<int64_t> Counts;      ///< [size(), NumFeatures] for MLP.
  std::vector<GraphBatch> Graphs;   ///< One graph per sample for GNN.
  std::vector<float> Labels;        ///< Target, class id, or relevance.
  std::vector<uint32_t> Groups;     ///< Ranking groups (candidates of one
                                    ///< decision); 0 elsewhere.
  size_t size() const { return Labels.size(); }
  /// Copies samples \p Idx into a new dataset.
  Dataset subset(const std::vector<size_t> &Idx) const;
  /// Builds the model input for samples \p Idx; \p Scratch holds the
  /// gathered counts or graphs and must outlive the returned input.
  ModelInput batch(const std::vector<size_t> &Idx,
                   std::vector<int64_t> &ScratchCounts,
                   GraphBatch &ScratchGraphs) const;
  /// A stable FNV-1a hash of the whole dataset (the card's corpus hash).
  std::string contentHash() const;
  Status validate() const;
};

/// Reads the text dataset format (models/README.md).
StatusOr<Dataset> readDataset(const std::string &Path);
/// Writes \p D in the text dataset format.
Status writeDataset(const std::string &Path, const Dataset &D);

/// Synthetic tasks with a known answer, for tests and `neuropt-train
/// synthetic`. Task Regression/Classification/Ranking over random counts
/// (MLP) or random graphs (GNN).
Dataset makeSyntheticDataset(ModelKind Kind, HeadKind Task, size_t Samples,
                             uint64_t Seed, unsigned NumFeatures = 16,
                             unsigned NumClasses = 4);

//===-- Training loop -------------------------------------------------------===//

struct TrainOptions {
  unsigned Epochs = 30;
  /// Samples per step (ranking: whole groups until at least this many).
  unsigned BatchSize = 64;
  float LearningRate = 3e-3f;
  float WeightDecay = 1e-4f;
  uint64_t Seed = 1;
};

/// Quality of a model on a dataset: loss plus the task's metric (regression:
/// MSE; classification: accuracy; ranking: fraction of ordered pairs).
struct Metrics {
  double Loss = 0;
  double Metric = 0;
  const char *MetricName = "";
};

/// Trains \p M on \p D; returns the per-epoch mean training loss.
StatusOr<std::vector<double>> trainModel(FloatModel &M, const Dataset &D,
                                         const TrainOptions &Opts);
/// Evaluates \p M on \p D.
Metrics evaluateModel(FloatModel &M, const Dataset &D);
/// Metrics from precomputed outputs [size(), NumOutputs] (float scores or
/// dequantized integer scores), with ties broken by stable index.
Metrics computeMetrics(const Dataset &D, const std::vector<float> &Outputs,
                       unsigned NumOutputs);
/// Sets an MLP's input standardization from \p D's count codes.
void fitInputNormalization(FloatModel &M, const Dataset &D);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_TRAIN_H
