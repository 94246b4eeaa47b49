//===- TrainTest.cpp - Convergence, determinism and datasets --------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Training converges on small synthetic regression, classification and
// ranking tasks (MLP and GNN), is bit-reproducible from a seed, and the
// dataset format round-trips and rejects malformed files.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/SafeTensors.h"
#include "neuropt/Model/Train.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <cstring>

using namespace neuropt::model;

namespace {
ModelConfig configFor(const Dataset &D) {
  ModelConfig C;
  C.Kind = D.Kind;
  C.Head = D.Task;
  C.NumFeatures = D.NumFeatures;
  C.NumNodeTypes = D.NumNodeTypes;
  C.NumOutputs = D.Task == HeadKind::Classification ? D.NumClasses : 1;
  C.Hidden = {32};
  C.EmbedDim = 16;
  C.Rounds = 2;
  C.NumEdgeKinds = D.Kind == ModelKind::GNN ? 2 : 1;
  return C;
}

/// Trains on 80% and returns (untrained, trained) held-out metrics.
std::pair<Metrics, Metrics> trainAndTest(ModelKind Kind, HeadKind Task,
                                         unsigned Epochs) {
  Dataset All = makeSyntheticDataset(Kind, Task, 1200, 11, 12, 3);
  std::vector<size_t> A, B;
  for (size_t I = 0; I < All.size(); ++I)
    (I < 960 ? A : B).push_back(I);
  Dataset Train = All.subset(A), Test = All.subset(B);
  StatusOr<FloatModel> M = FloatModel::create(configFor(All), 2);
  EXPECT_TRUE(M);
  fitInputNormalization(*M, Train);
  Metrics Before = evaluateModel(*M, Test);
  TrainOptions O;
  O.Epochs = Epochs;
  O.BatchSize = 32;
  StatusOr<std::vector<double>> L = trainModel(*M, Train, O);
  EXPECT_TRUE(L) << (L ? "" : L.status().message());
  EXPECT_LT(L->back(), L->front());
  return {Before, evaluateModel(*M, Test)};
}

double labelVariance(ModelKind Kind) {
  Dataset All = makeSyntheticDataset(Kind, HeadKind::Regression, 1200, 11, 12);
  double M = 0, V = 0;
  for (float L : All.Labels)
    M += L;
  M /= double(All.size());
  for (float L : All.Labels)
    V += (L - M) * (L - M);
  return V / double(All.size());
}
} // namespace

TEST(TrainTest, MLPRegressionConverges) {
  auto R = trainAndTest(ModelKind::MLP, HeadKind::Regression, 30);
  // Held-out MSE under 10% of the label variance (R^2 > 0.9).
  EXPECT_LT(R.second.Metric, 0.1 * labelVariance(ModelKind::MLP));
}

TEST(TrainTest, MLPClassificationConverges) {
  auto R = trainAndTest(ModelKind::MLP, HeadKind::Classification, 30);
  EXPECT_GT(R.second.Metric, 0.85) << "before " << R.first.Metric;
}

TEST(TrainTest, MLPRankingConverges) {
  auto R = trainAndTest(ModelKind::MLP, HeadKind::Ranking, 30);
  EXPECT_GT(R.second.Metric, 0.9) << "before " << R.first.Metric;
}

TEST(TrainTest, GNNRegressionConverges) {
  auto R = trainAndTest(ModelKind::GNN, HeadKind::Regression, 15);
  EXPECT_LT(R.second.Metric, 0.2 * labelVariance(ModelKind::GNN));
}

TEST(TrainTest, GNNClassificationConverges) {
  auto R = trainAndTest(ModelKind::GNN, HeadKind::Classification, 15);
  EXPECT_GT(R.second.Metric, 0.75) << "before " << R.first.Metric;
}

TEST(TrainTest, GNNRankingConverges) {
  auto R = trainAndTest(ModelKind::GNN, HeadKind::Ranking, 15);
  EXPECT_GT(R.second.Metric, 0.8) << "before " << R.first.Metric;
}

TEST(TrainTest, SeedReproducesBitForBit) {
  Dataset D = makeSyntheticDataset(ModelKind::GNN, HeadKind::Regression, 200, 3);
  auto Run = [&](uint64_t Seed) {
    StatusOr<FloatModel> M = FloatModel::create(configFor(D), Seed);
    TrainOptions O;
    O.Epochs = 2;
    O.Seed = Seed;
    EXPECT_TRUE(trainModel(*M, D, O));
    std::string Bytes;
    for (const Param &P : M->params())
      Bytes.append(static_cast<const char *>(P.Value.rawData()),
                   P.Value.byteSize());
    return Bytes;
  };
  std::string A = Run(9), B = Run(9), C = Run(10);
  EXPECT_EQ(A, B);
  EXPECT_NE(A, C);
}

TEST(TrainTest, RejectsMismatchedDataset) {
  Dataset D = makeSyntheticDataset(ModelKind::MLP, HeadKind::Regression, 20, 3, 8);
  ModelConfig C = configFor(D);
  C.NumFeatures = 9;
  StatusOr<FloatModel> M = FloatModel::create(C, 1);
  ASSERT_TRUE(M);
  StatusOr<std::vector<double>> L = trainModel(*M, D, TrainOptions());
  ASSERT_FALSE(L);
  EXPECT_NE(L.status().message().find("8 features"), std::string::npos);
}

TEST(DatasetTest, RoundTripAndErrors) {
  std::string Path = ::testing::TempDir() + "/neuropt-dataset-test.txt";
  for (ModelKind Kind : {ModelKind::MLP, ModelKind::GNN}) {
    Dataset D = makeSyntheticDataset(Kind, HeadKind::Ranking, 30, 5, 6);
    ASSERT_FALSE(writeDataset(Path, D));
    StatusOr<Dataset> R = readDataset(Path);
    ASSERT_TRUE(R) << R.status().message();
    EXPECT_EQ(R->contentHash(), D.contentHash());
    EXPECT_EQ(R->Labels, D.Labels);
  }
  auto Expect = [&](const std::string &Text, const char *Needle) {
    ASSERT_FALSE(writeFileBytes(Path, Text));
    StatusOr<Dataset> R = readDataset(Path);
    ASSERT_FALSE(R) << Text;
    EXPECT_NE(R.status().message().find(Needle), std::string::npos)
        << R.status().message();
    EXPECT_NE(R.status().message().find(Path), std::string::npos);
  };
  Expect("hello\n", "not a neuropt dataset");
  Expect("neuropt-dataset 1\nkind mlp\nfeatures 2\nsamples 2\n1 0 3 4\n",
         "truncated");
  Expect("neuropt-dataset 1\nkind mlp\nfeatures 2\nsamples 1\n1 0 3\n",
         "expected 2 feature counts");
  Expect("neuropt-dataset 1\nkind gnn\nnode-types 2\nsamples 1\n1 0 2 0 1 1 0 "
         "5 0\n",
         "out of range");
  Expect("neuropt-dataset 1\nkind mlp\ntask classification\nclasses 2\n"
         "features 1\nsamples 1\n3 0 1\n",
         "class");
  Expect("neuropt-dataset 1\nbogus 1\n", "unknown header key");
  StatusOr<Dataset> Missing = readDataset(Path + ".does-not-exist");
  ASSERT_FALSE(Missing);
  EXPECT_NE(Missing.status().message().find("cannot open"), std::string::npos);
  std::remove(Path.c_str());
}
