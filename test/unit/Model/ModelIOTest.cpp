//===- ModelIOTest.cpp - safetensors, model cards, loading, runners -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Every way a model file can be bad gets a clear error naming the file: no
// file, truncation, corrupt header, bad JSON, wrong dtype or shape, hash and
// manifest mismatches; and loadRunner falls back to the no-op runner.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/ModelCard.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Model/SafeTensors.h"
#include "neuropt/Model/Train.h"

#include "gtest/gtest.h"

#include <cstdio>

using namespace neuropt::model;

namespace {
NamedTensors sampleTensors() {
  NamedTensors T;
  T.emplace_back("w", Tensor::fromVector<float>({2, 3}, {1, 2, 3, 4, 5, 6}));
  T.emplace_back("q", Tensor::fromVector<int8_t>({3}, {-1, 0, 127}));
  T.emplace_back("b", Tensor::fromVector<int32_t>({2}, {-7, 1 << 20}));
  T.emplace_back("c", Tensor::fromVector<int64_t>({1}, {int64_t(1) << 40}));
  return T;
}

/// Replaces the header of safetensors bytes with \p Header.
std::string withHeader(const std::string &Bytes, const std::string &Header) {
  uint64_t Len = 0;
  for (int I = 0; I < 8; ++I)
    Len |= uint64_t(static_cast<unsigned char>(Bytes[I])) << (8 * I);
  std::string Data = Bytes.substr(8 + Len);
  std::string Out;
  for (int I = 0; I < 8; ++I)
    Out += char((uint64_t(Header.size()) >> (8 * I)) & 0xFF);
  return Out + Header + Data;
}

void expectError(const StatusOr<SafeTensorsFile> &R, const char *Needle) {
  ASSERT_FALSE(R) << "expected an error mentioning '" << Needle << "'";
  EXPECT_NE(R.status().message().find(Needle), std::string::npos)
      << R.status().message();
  EXPECT_NE(R.status().message().find("x.safetensors"), std::string::npos)
      << R.status().message();
}

/// A small trained, quantized model saved under a temporary directory.
struct SavedModel {
  std::string Dir = ::testing::TempDir();
  std::string Name = "neuropt-io-test";
  FeatureManifestId Manifest;
  Dataset Data;
  std::shared_ptr<const QuantModel> Quant;

  SavedModel() {
    Data = makeSyntheticDataset(ModelKind::MLP, HeadKind::Classification, 300,
                                4, 10, 3);
    ModelConfig C;
    C.Head = HeadKind::Classification;
    C.NumFeatures = 10;
    C.NumOutputs = 3;
    C.Hidden = {16};
    StatusOr<FloatModel> M = FloatModel::create(C, 1);
    fitInputNormalization(*M, Data);
    TrainOptions O;
    O.Epochs = 3;
    EXPECT_TRUE(trainModel(*M, Data, O));
    std::vector<size_t> Idx(Data.size());
    for (size_t I = 0; I < Idx.size(); ++I)
      Idx[I] = I;
    std::vector<int64_t> SC;
    GraphBatch SG;
    StatusOr<QuantModel> Q = quantizeModel(*M, Data.batch(Idx, SC, SG));
    Quant = std::make_shared<const QuantModel>(*Q);
    Manifest.Hash = Data.ManifestHash;
    Manifest.NumFeatures = 10;
    ModelCard Card;
    Card.Name = Name;
    Card.Manifest = Manifest;
    Card.CorpusName = "synthetic";
    Card.CorpusHash = Data.contentHash();
    Card.TrainCommand = "test";
    EXPECT_FALSE(saveModel(Dir, Card, *M, *Q));
  }
  ~SavedModel() {
    std::remove(weightsPath(Dir, Name).c_str());
    std::remove(cardPath(Dir, Name).c_str());
  }
  std::string weights() const { return weightsPath(Dir, Name); }
  std::string card() const { return cardPath(Dir, Name); }
};

void expectLoadError(const SavedModel &S, const char *Needle,
                     const FeatureManifestId *M) {
  StatusOr<ModelBundle> B = loadModel(S.Dir, S.Name, M);
  ASSERT_FALSE(B) << "expected an error mentioning '" << Needle << "'";
  EXPECT_NE(B.status().message().find(Needle), std::string::npos)
      << B.status().message();
}
} // namespace

TEST(SafeTensorsTest, RoundTrip) {
  NamedTensors T = sampleTensors();
  std::string Bytes = serializeSafeTensors(T, {{"k", "v"}});
  // The data section starts 8-byte aligned.
  uint64_t HeaderLen = 0;
  for (int I = 0; I < 8; ++I)
    HeaderLen |= uint64_t(static_cast<unsigned char>(Bytes[I])) << (8 * I);
  EXPECT_EQ((8 + HeaderLen) % 8, 0u);
  EXPECT_EQ(Bytes.size(), 8 + HeaderLen + 24 + 3 + 8 + 8);
  StatusOr<SafeTensorsFile> F = parseSafeTensors(Bytes, "x.safetensors");
  ASSERT_TRUE(F) << F.status().message();
  ASSERT_EQ(F->Tensors.size(), 4u);
  EXPECT_EQ(F->Meta, (Metadata{{"k", "v"}}));
  for (size_t I = 0; I < T.size(); ++I) {
    EXPECT_EQ(F->Tensors[I].first, T[I].first);
    EXPECT_EQ(F->Tensors[I].second.shape(), T[I].second.shape());
    EXPECT_EQ(F->Tensors[I].second.dtype(), T[I].second.dtype());
    EXPECT_EQ(0, std::memcmp(F->Tensors[I].second.rawData(),
                             T[I].second.rawData(), T[I].second.byteSize()));
  }
  EXPECT_EQ(F->find("c")->data<int64_t>()[0], int64_t(1) << 40);
}

TEST(SafeTensorsTest, EveryTruncationIsAnError) {
  std::string Bytes = serializeSafeTensors(sampleTensors());
  for (size_t N = 0; N < Bytes.size(); ++N) {
    StatusOr<SafeTensorsFile> F =
        parseSafeTensors(Bytes.substr(0, N), "x.safetensors");
    ASSERT_FALSE(F) << "accepted a prefix of " << N << " bytes";
    EXPECT_NE(F.status().message().find("x.safetensors"), std::string::npos);
  }
}

TEST(SafeTensorsTest, CorruptHeaders) {
  std::string Bytes = serializeSafeTensors(sampleTensors());
  std::string Huge = Bytes;
  Huge[7] = 0x7f;
  expectError(parseSafeTensors(Huge, "x.safetensors"), "implausible");
  expectError(parseSafeTensors(withHeader(Bytes, "{\"w\": [1,"), "x.safetensors"),
              "invalid JSON");
  expectError(parseSafeTensors(withHeader(Bytes, "[1]"), "x.safetensors"),
              "not a JSON object");
  expectError(
      parseSafeTensors(withHeader(Bytes, R"({"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}})"),
                       "x.safetensors"),
      "unsupported dtype");
  expectError(
      parseSafeTensors(withHeader(Bytes, R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,24]}})"),
                       "x.safetensors"),
      "needs 16 bytes");
  expectError(
      parseSafeTensors(withHeader(Bytes, R"({"w":{"dtype":"F32","shape":[4000],"data_offsets":[0,16000]}})"),
                       "x.safetensors"),
      "outside the data section");
  expectError(
      parseSafeTensors(withHeader(Bytes, R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})"),
                       "x.safetensors"),
      "overlap");
  expectError(
      parseSafeTensors(withHeader(Bytes, R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})"),
                       "x.safetensors"),
      "invalid dimension");
  expectError(parseSafeTensors(withHeader(Bytes, R"({"w":{"dtype":"F32"}})"),
                               "x.safetensors"),
              "no shape");
}

TEST(ModelLoadTest, RoundTripGivesIdenticalScores) {
  SavedModel S;
  StatusOr<ModelBundle> B = loadModel(S.Dir, S.Name, &S.Manifest);
  ASSERT_TRUE(B) << B.status().message();
  EXPECT_EQ(B->Card.Name, S.Name);
  EXPECT_EQ(B->Card.CorpusHash, S.Data.contentHash());
  EXPECT_EQ(B->Card.Config.NumOutputs, 3u);
  EXPECT_TRUE(B->Card.Quantization.get("score_scale"));
  std::vector<size_t> Idx = {0, 1, 2, 3, 4, 5, 6, 7};
  std::vector<int64_t> SC;
  GraphBatch SG;
  ModelInput In = S.Data.batch(Idx, SC, SG);
  EXPECT_EQ(runQuantizedCPU(*B->Quant, In), runQuantizedCPU(*S.Quant, In));
  // The float weights come back too (for fine-tuning and reporting).
  EXPECT_EQ(B->Float->forward(In).size(), 8u * 3u);
}

TEST(ModelLoadTest, MissingFiles) {
  SavedModel S;
  std::remove(S.weights().c_str());
  expectLoadError(S, "cannot open", &S.Manifest);
  std::remove(S.card().c_str());
  expectLoadError(S, S.card().c_str(), &S.Manifest);
}

TEST(ModelLoadTest, TruncatedWeights) {
  SavedModel S;
  StatusOr<std::string> W = readFileBytes(S.weights());
  ASSERT_TRUE(W);
  ASSERT_FALSE(writeFileBytes(S.weights(), W->substr(0, W->size() - 100)));
  expectLoadError(S, "outside the data section", &S.Manifest);
  ASSERT_FALSE(writeFileBytes(S.weights(), W->substr(0, 5)));
  expectLoadError(S, "truncated", &S.Manifest);
}

TEST(ModelLoadTest, CorruptWeightsFailTheHash) {
  SavedModel S;
  StatusOr<std::string> W = readFileBytes(S.weights());
  std::string Bad = *W;
  Bad[Bad.size() - 3] ^= 0x40; // flip a bit in the tensor data
  ASSERT_FALSE(writeFileBytes(S.weights(), Bad));
  expectLoadError(S, "do not match the model card", &S.Manifest);
}

TEST(ModelLoadTest, BadCardJson) {
  SavedModel S;
  ASSERT_FALSE(writeFileBytes(S.card(), "{\"format\": \"neuropt-model-card\","));
  expectLoadError(S, "invalid JSON", &S.Manifest);
  ASSERT_FALSE(writeFileBytes(S.card(), "{\"format\": \"something-else\"}"));
  expectLoadError(S, "not a neuropt model card", &S.Manifest);
}

TEST(ModelLoadTest, WrongShape) {
  SavedModel S;
  // Re-save the weights with one tensor of the wrong shape, and give the
  // card the new hash so that the shape check is what fires.
  StatusOr<SafeTensorsFile> F = readSafeTensors(S.weights());
  ASSERT_TRUE(F);
  for (auto &NT : F->Tensors)
    if (NT.first == "q.head.1.weight")
      NT.second = Tensor(DType::I8, {16, 32});
  std::string Bytes = serializeSafeTensors(F->Tensors, F->Meta);
  ASSERT_FALSE(writeFileBytes(S.weights(), Bytes));
  StatusOr<std::string> CardText = readFileBytes(S.card());
  StatusOr<JsonValue> Card = parseJson(*CardText);
  JsonValue W = *Card->get("weights");
  W.set("fnv1a", fnv1aHex(Bytes));
  Card->set("weights", W);
  ASSERT_FALSE(writeFileBytes(S.card(), Card->write(2)));
  expectLoadError(S, "has shape [16, 32], expected [16, 16]", &S.Manifest);
}

TEST(ModelLoadTest, ManifestMismatchNamesBoth) {
  SavedModel S;
  FeatureManifestId Other{"0123456789abcdef", 10};
  StatusOr<ModelBundle> B = loadModel(S.Dir, S.Name, &Other);
  ASSERT_FALSE(B);
  const std::string &M = B.status().message();
  EXPECT_NE(M.find("feature manifest mismatch"), std::string::npos) << M;
  EXPECT_NE(M.find(S.Manifest.Hash), std::string::npos) << M;
  EXPECT_NE(M.find("0123456789abcdef"), std::string::npos) << M;
  FeatureManifestId Wider{S.Manifest.Hash, 11};
  expectLoadError(S, "(11 features)", &Wider);
}

TEST(RunnerTest, LoadRunnerFallsBackToNoOp) {
  FeatureManifestId M{"abc", 3};
  RunnerLoad R = loadRunner(::testing::TempDir(), "no-such-model", M,
                            Device::Auto);
  ASSERT_TRUE(R.Runner);
  EXPECT_FALSE(R.Runner->isUsable());
  EXPECT_STREQ(R.Runner->backendName(), "noop");
  EXPECT_NE(R.Runner->reason().find("no-such-model.card.json"),
            std::string::npos);
  ASSERT_EQ(R.Warnings.size(), 1u);
  EXPECT_NE(R.Warnings[0].find("stock heuristic"), std::string::npos);
  EXPECT_FALSE(R.Runner->evaluate(ModelInput()));
}

TEST(RunnerTest, DeviceSelection) {
  SavedModel S;
  StatusOr<Device> D = parseDevice("cuda");
  ASSERT_TRUE(D);
  EXPECT_EQ(*D, Device::CUDA);
  EXPECT_FALSE(parseDevice("gpu"));
  RunnerLoad Cpu = loadRunner(S.Dir, S.Name, S.Manifest, Device::CPU);
  EXPECT_STREQ(Cpu.Runner->backendName(), "cpu");
  EXPECT_TRUE(Cpu.Warnings.empty());
  bool HaveGpu = !cudaAvailability();
  RunnerLoad Auto = loadRunner(S.Dir, S.Name, S.Manifest, Device::Auto);
  EXPECT_STREQ(Auto.Runner->backendName(), HaveGpu ? "cuda" : "cpu");
  EXPECT_TRUE(Auto.Warnings.empty());
  RunnerLoad Cuda = loadRunner(S.Dir, S.Name, S.Manifest, Device::CUDA);
  EXPECT_TRUE(Cuda.Runner->isUsable());
  if (!HaveGpu) {
    // CUDA requested without a GPU: the CPU gives the same scores, with a
    // warning that says so.
    EXPECT_STREQ(Cuda.Runner->backendName(), "cpu");
    ASSERT_EQ(Cuda.Warnings.size(), 1u);
    EXPECT_NE(Cuda.Warnings[0].find("on the CPU"), std::string::npos);
  }
  // Whatever the backend, the decisions are the same.
  std::vector<size_t> Idx = {0, 1, 2, 3, 4, 5, 6, 7};
  std::vector<int64_t> SC;
  GraphBatch SG;
  ModelInput In = S.Data.batch(Idx, SC, SG);
  StatusOr<Scores> A = Cpu.Runner->evaluate(In), B = Auto.Runner->evaluate(In);
  ASSERT_TRUE(A);
  ASSERT_TRUE(B);
  EXPECT_EQ(A->Raw, B->Raw);
}

TEST(RunnerTest, LogAndReplay) {
  SavedModel S;
  std::string Log = ::testing::TempDir() + "/neuropt-runner-log.jsonl";
  std::remove(Log.c_str());
  // A GNN runner too, so both input kinds go through the log.
  Dataset GD = makeSyntheticDataset(ModelKind::GNN, HeadKind::Regression, 64, 6);
  ModelConfig GC;
  GC.Kind = ModelKind::GNN;
  GC.NumNodeTypes = GD.NumNodeTypes;
  GC.NumEdgeKinds = 2;
  GC.Hidden = {8};
  GC.EmbedDim = 8;
  StatusOr<FloatModel> GM = FloatModel::create(GC, 3);
  ASSERT_TRUE(GM);
  std::vector<size_t> All(GD.size());
  for (size_t I = 0; I < All.size(); ++I)
    All[I] = I;
  std::vector<int64_t> SC, GSC;
  GraphBatch SG, GSG;
  StatusOr<QuantModel> GQ = quantizeModel(*GM, GD.batch(All, GSC, GSG));
  ASSERT_TRUE(GQ);

  std::unique_ptr<ModelRunner> MLP =
      createLoggingRunner(createCPURunner(S.Quant), Log);
  std::unique_ptr<ModelRunner> GNN = createLoggingRunner(
      createCPURunner(std::make_shared<const QuantModel>(*GQ)), Log);
  ModelInput In1 = S.Data.batch({0, 1, 2, 3}, SC, SG);
  StatusOr<Scores> A = MLP->evaluate(In1);
  ASSERT_TRUE(A) << A.status().message();
  ModelInput In2 = GD.batch({5, 6}, GSC, GSG);
  StatusOr<Scores> B = GNN->evaluate(In2);
  ASSERT_TRUE(B) << B.status().message();

  StatusOr<std::unique_ptr<ModelRunner>> Replay = createReplayRunner(Log);
  ASSERT_TRUE(Replay) << Replay.status().message();
  In1 = S.Data.batch({0, 1, 2, 3}, SC, SG);
  StatusOr<Scores> RA = (*Replay)->evaluate(In1);
  ASSERT_TRUE(RA) << RA.status().message();
  EXPECT_EQ(RA->Raw, A->Raw);
  EXPECT_EQ(RA->Scale, A->Scale);
  In2 = GD.batch({5, 6}, GSC, GSG);
  StatusOr<Scores> RB = (*Replay)->evaluate(In2);
  ASSERT_TRUE(RB) << RB.status().message();
  EXPECT_EQ(RB->Raw, B->Raw);
  StatusOr<Scores> Unknown = (*Replay)->evaluate(S.Data.batch({0, 1, 2}, SC, SG));
  ASSERT_FALSE(Unknown);
  EXPECT_NE(Unknown.status().message().find("no recorded scores"),
            std::string::npos);

  ASSERT_FALSE(writeFileBytes(Log, "{\"input_hash\": \"x\"}\n"));
  StatusOr<std::unique_ptr<ModelRunner>> Bad = createReplayRunner(Log);
  ASSERT_FALSE(Bad);
  EXPECT_NE(Bad.status().message().find(Log + ":1"), std::string::npos)
      << Bad.status().message();
  std::remove(Log.c_str());
  EXPECT_FALSE(createReplayRunner(Log));
}
