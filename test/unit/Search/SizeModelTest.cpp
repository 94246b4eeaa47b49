//===- SizeModelTest.cpp - Unit tests for the size model's inputs ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "IRTestUtil.h"
#include "neuropt/Model/Quantize.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Search/SizeModel.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <numeric>

using namespace llvm;
using namespace neuropt;

namespace {

const char *Source = R"IR(
define internal i32 @sq(i32 %x) {
  %m = mul i32 %x, %x
  ret i32 %m
}
define i32 @f(i32 %a, i1 %c) {
entry:
  br i1 %c, label %t, label %e
t:
  %s = call i32 @sq(i32 %a)
  ret i32 %s
e:
  ret i32 0
}
)IR";

Coreset threeSequences() {
  Coreset C;
  C.Pipelines = {"default<Oz>", "function(instcombine)", "globaldce"};
  return C;
}

/// A seeded, untrained model of \p Config quantized on \p Calibration.
std::unique_ptr<model::ModelRunner> runnerFor(const model::ModelConfig &Config,
                                              const model::ModelInput &Cal) {
  model::StatusOr<model::FloatModel> M = model::FloatModel::create(Config, 7);
  EXPECT_TRUE(bool(M));
  model::StatusOr<model::QuantModel> Q = model::quantizeModel(*M, Cal);
  EXPECT_TRUE(bool(Q));
  return model::createCPURunner(
      std::make_shared<const model::QuantModel>(std::move(*Q)));
}

/// A seeded, untrained GNN size model for coreset \p C, calibrated on the
/// graph of \p M.
std::unique_ptr<model::ModelRunner> graphRunner(const Module &M,
                                                const Coreset &C) {
  model::ModelConfig Config;
  Config.Kind = model::ModelKind::GNN;
  Config.Head = model::HeadKind::Classification;
  Config.NumOutputs = unsigned(C.size());
  Config.NumNodeTypes = getSizeGraphNumNodeTypes();
  Config.EmbedDim = 8;
  Config.NumEdgeKinds = 3;
  Config.Hidden = {8};
  model::GraphBatch G = buildSizeModelGraph(M);
  model::ModelInput Cal;
  Cal.BatchSize = 1;
  Cal.Graphs = &G;
  return runnerFor(Config, Cal);
}

TEST(SizeModel, BestSequencePrefersTheCoresetOrderAmongEquals) {
  EXPECT_EQ(getSizeModelBestSequence({0.0f, 0.0f, 0.0f}), 0u);
  EXPECT_EQ(getSizeModelBestSequence({-1.0f, 2.0f, 2.0f}), 1u);
  EXPECT_EQ(getSizeModelBestSequence({1.0f, 0.5f, 3.0f}), 2u);
  EXPECT_EQ(getSizeModelBestSequence({SizeModelFailedLabel, -3.0f}), 1u);
}

/// Loads \p Text as an extension file.
Expected<std::string> extensionOf(StringRef Text) {
  SmallString<128> Path;
  if (std::error_code EC =
          sys::fs::createTemporaryFile("neuropt-ext", "txt", Path))
    return errorCodeToError(EC);
  {
    std::error_code EC;
    raw_fd_ostream OS(Path, EC);
    OS << Text;
  }
  Expected<std::string> E = loadExtension(Path);
  sys::fs::remove(Path);
  return E;
}

TEST(SizeModel, ExtensionIsExactlyOnePipeline) {
  Expected<std::string> E = extensionOf("# why\n\nmergefunc,iroutliner\n");
  ASSERT_TRUE(bool(E)) << toString(E.takeError());
  EXPECT_EQ(*E, "mergefunc,iroutliner");
  EXPECT_EQ(
      getExtensionPath("dir", "size"),
      (Twine("dir") + sys::path::get_separator() + "size.extension.txt").str());
  for (StringRef Bad : {"# nothing\n", "mergefunc\nglobaldce\n"}) {
    Expected<std::string> B = extensionOf(Bad);
    ASSERT_FALSE(bool(B));
    EXPECT_NE(toString(B.takeError()).find("an extension is one pipeline"),
              std::string::npos);
  }
  Expected<std::string> Missing = loadExtension("/nonexistent/x.extension.txt");
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(toString(Missing.takeError()).find("cannot read extension"),
            std::string::npos);
}

TEST(SizeModel, ManifestsDependOnKindAndCoreset) {
  Coreset C = threeSequences(), D = C;
  D.Pipelines.pop_back();
  model::FeatureManifestId MLP = getSizeModelManifest(C, model::ModelKind::MLP);
  model::FeatureManifestId GNN = getSizeModelManifest(C, model::ModelKind::GNN);
  EXPECT_EQ(MLP.Hash, getSizeModelManifestHash(C));
  EXPECT_EQ(MLP.NumFeatures, getSizeModelNumFeatures(C));
  EXPECT_EQ(GNN.NumFeatures, getSizeGraphNumNodeTypes());
  EXPECT_NE(MLP.Hash, GNN.Hash);
  EXPECT_NE(GNN.Hash, getSizeModelManifest(D, model::ModelKind::GNN).Hash);
  EXPECT_EQ(GNN.Hash, getSizeModelManifest(C, model::ModelKind::GNN).Hash);
}

TEST(SizeModel, ModuleGraphIsOneWellFormedGraph) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M = parseIR(Ctx, Source);
  ASSERT_TRUE(M);
  model::GraphBatch G = buildSizeModelGraph(*M);
  EXPECT_EQ(G.numGraphs(), 1u);
  EXPECT_GT(G.numNodes(), 6u);
  EXPECT_FALSE(bool(G.validate(getSizeGraphNumNodeTypes())));
  // The call edge links the two functions: some edge is of the call kind.
  EXPECT_NE(std::find(G.EdgeKind.begin(), G.EdgeKind.end(), uint8_t(2)),
            G.EdgeKind.end());
}

TEST(SizeModel, GraphModelScoresAreProbabilitiesInRankOrder) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M = parseIR(Ctx, Source);
  ASSERT_TRUE(M);
  Coreset C = threeSequences();
  std::unique_ptr<model::ModelRunner> R = graphRunner(*M, C);
  Expected<SizeModelScores> S = scoreSizeModel(*R, *M, C);
  ASSERT_TRUE(bool(S)) << toString(S.takeError());
  ASSERT_EQ(S->Value.size(), C.size());
  EXPECT_NEAR(std::accumulate(S->Value.begin(), S->Value.end(), 0.0), 100.0,
              1e-3);
  for (size_t I = 1; I < S->Order.size(); ++I)
    EXPECT_GE(S->Value[S->Order[I - 1]], S->Value[S->Order[I]]);
  EXPECT_STREQ(S->Unit, "% chance of being the smallest");

  // Deterministic: the same module scores the same.
  Expected<SizeModelScores> Again = scoreSizeModel(*R, *M, C);
  ASSERT_TRUE(bool(Again));
  EXPECT_EQ(S->Order, Again->Order);
  EXPECT_EQ(S->Value, Again->Value);

  // A graph model for another number of sequences is refused.
  Coreset Two = C;
  Two.Pipelines.pop_back();
  Expected<SizeModelScores> Bad = scoreSizeModel(*R, *M, Two);
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(toString(Bad.takeError()).find("3 outputs"), std::string::npos);
}

TEST(SizeModel, GraphModelOnAModuleWithoutCodeKeepsTheCoresetOrder) {
  LLVMContext Ctx;
  std::unique_ptr<Module> Full = parseIR(Ctx, Source);
  std::unique_ptr<Module> Empty = parseIR(Ctx, "declare i32 @g(i32)\n");
  ASSERT_TRUE(Full && Empty);
  Coreset C = threeSequences();
  std::unique_ptr<model::ModelRunner> R = graphRunner(*Full, C);
  Expected<SizeModelScores> S = scoreSizeModel(*R, *Empty, C);
  ASSERT_TRUE(bool(S)) << toString(S.takeError());
  EXPECT_EQ(S->Order, (std::vector<size_t>{0, 1, 2}));
}

TEST(SizeModel, StatisticsModelScoresOneRowPerSequence) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M = parseIR(Ctx, Source);
  ASSERT_TRUE(M);
  Coreset C = threeSequences();
  model::ModelConfig Config;
  Config.NumFeatures = getSizeModelNumFeatures(C);
  Config.Hidden = {8};
  std::vector<int64_t> Rows = buildSizeModelRows(*M, C);
  ASSERT_EQ(Rows.size(), size_t(Config.NumFeatures) * C.size());
  model::ModelInput Cal;
  Cal.BatchSize = C.size();
  Cal.Counts = Rows.data();
  std::unique_ptr<model::ModelRunner> R = runnerFor(Config, Cal);
  Expected<SizeModelScores> S = scoreSizeModel(*R, *M, C);
  ASSERT_TRUE(bool(S)) << toString(S.takeError());
  EXPECT_STREQ(S->Unit, "% over the median sequence");
  model::StatusOr<model::Scores> Direct = R->evaluate(Cal);
  ASSERT_TRUE(bool(Direct));
  EXPECT_EQ(S->Order, Direct->ranking());
}

} // namespace
