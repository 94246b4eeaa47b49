//===- GoldenScoresTest.cpp - Dumped integer scores stay bit-identical ----===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// test/model/gpu-inputs holds models, inputs and the CPU scores they gave
// when dumped; the GPU machine checks its CUDA scores against the same files
// (kernels/gpu-check.sh). Here the CPU runner must reproduce them exactly,
// and the runner picked by Device::Auto must agree with it.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Runner.h"
#include "neuropt/Model/SafeTensors.h"
#include "neuropt/Model/Train.h"

#include "gtest/gtest.h"

using namespace neuropt::model;

namespace {
const std::string InputDir = std::string(NEUROPT_SOURCE_DIR) +
                             "/test/model/gpu-inputs";

std::string render(const Scores &S) {
  std::string Text;
  for (size_t B = 0; B < S.Batch; ++B) {
    for (unsigned K = 0; K < S.NumOutputs; ++K)
      Text += (K ? " " : "") + std::to_string(S.raw(B, K));
    Text += '\n';
  }
  return Text;
}
} // namespace

class GoldenScoresTest : public ::testing::TestWithParam<const char *> {};

TEST_P(GoldenScoresTest, CpuReproducesDump) {
  std::string Case = GetParam();
  StatusOr<Dataset> D = readDataset(InputDir + "/" + Case + ".input");
  ASSERT_TRUE(D) << D.status().message();
  StatusOr<std::string> Want = readFileBytes(InputDir + "/" + Case + ".cpu-scores");
  ASSERT_TRUE(Want) << Want.status().message();
  FeatureManifestId M{D->ManifestHash, D->Kind == ModelKind::MLP
                                           ? D->NumFeatures
                                           : D->NumNodeTypes};
  std::vector<size_t> Idx(D->size());
  for (size_t I = 0; I < Idx.size(); ++I)
    Idx[I] = I;
  std::vector<int64_t> SC;
  GraphBatch SG;
  ModelInput In = D->batch(Idx, SC, SG);
  for (Device Dev : {Device::CPU, Device::Auto}) {
    RunnerLoad R = loadRunner(InputDir, Case, M, Dev);
    ASSERT_TRUE(R.Runner->isUsable()) << R.Runner->reason();
    StatusOr<Scores> S = R.Runner->evaluate(In);
    ASSERT_TRUE(S) << S.status().message();
    EXPECT_EQ(render(*S), *Want)
        << Case << " on " << R.Runner->backendName();
  }
}

INSTANTIATE_TEST_SUITE_P(Dumped, GoldenScoresTest,
                         ::testing::Values("mlp-classification",
                                           "gnn-regression", "gnn-ranking"));
