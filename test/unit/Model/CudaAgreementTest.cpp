//===- CudaAgreementTest.cpp - kernels/cuda against kernels/cpu -----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Every CUDA op against its CPU reference, with a per-op tolerance for float
// ops and bit-for-bit equality on the integer path, plus the two runners on
// whole models. Without CUDA or without a GPU every test here is SKIPPED
// (never passed) with the reason.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/CudaOps.h"
#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/Quantize.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Model/Train.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace neuropt::model;

namespace {
class CudaAgreementTest : public ::testing::Test {
protected:
  void SetUp() override {
    StatusOr<std::unique_ptr<CudaOps>> O = createCudaOps();
    if (!O)
      GTEST_SKIP() << "CUDA agreement test skipped: " << O.status().message();
    Ops = std::move(*O);
  }
  std::unique_ptr<CudaOps> Ops;
};

std::vector<float> randomFloats(size_t N, uint64_t Seed) {
  Rng R(Seed);
  std::vector<float> V(N);
  for (float &X : V)
    X = float(R.normal());
  return V;
}

void expectClose(const std::vector<float> &A, const std::vector<float> &B,
                 float Tol, const char *What) {
  ASSERT_EQ(A.size(), B.size());
  for (size_t I = 0; I < A.size(); ++I)
    ASSERT_NEAR(A[I], B[I], Tol * (1 + std::fabs(A[I]))) << What << " " << I;
}

#define ASSERT_OK(X)                                                           \
  do {                                                                         \
    ::neuropt::model::Status S_ = (X);                                         \
    ASSERT_FALSE(S_) << S_.message();                                          \
  } while (0)
} // namespace

TEST_F(CudaAgreementTest, Gemm) {
  const size_t M = 37, N = 24, K = 53;
  for (bool TA : {false, true})
    for (bool TB : {false, true}) {
      std::vector<float> A = randomFloats(M * K, 1), B = randomFloats(K * N, 2);
      std::vector<float> C(M * N), G(M * N);
      cpu::gemm(TA, TB, M, N, K, 1.0f, A.data(), TA ? M : K, B.data(),
                TB ? K : N, 0.0f, C.data(), N);
      ASSERT_OK(Ops->gemmF32(TA, TB, M, N, K, A.data(), B.data(), G.data()));
      expectClose(C, G, 1e-4f, "sgemm");
    }
  const size_t QM = 33, QN = 48, QK = 64;
  Rng R(3);
  std::vector<int8_t> A(QM * QK), W(QN * QK);
  for (int8_t &X : A)
    X = int8_t(int(R.below(255)) - 127);
  for (int8_t &X : W)
    X = int8_t(int(R.below(255)) - 127);
  std::vector<int32_t> C(QM * QN), G(QM * QN);
  cpu::gemmS8S32(QM, QN, QK, A.data(), W.data(), C.data());
  ASSERT_OK(Ops->gemmS8S32(QM, QN, QK, A.data(), W.data(), G.data()));
  EXPECT_EQ(C, G) << "int8 GEMM must be bit-exact";
}

TEST_F(CudaAgreementTest, Elementwise) {
  const size_t R = 19, C = 7, N = R * C;
  std::vector<float> X = randomFloats(N, 4), Y = randomFloats(N, 5),
                     Bias = randomFloats(C, 6);
  std::vector<float> Cpu = X, Gpu = X;
  cpu::biasForward(R, C, Bias.data(), Cpu.data());
  ASSERT_OK(Ops->biasForward(R, C, Bias.data(), Gpu.data()));
  expectClose(Cpu, Gpu, 1e-6f, "bias");
  std::vector<float> DB1(C, 0.5f), DB2(C, 0.5f);
  cpu::biasBackward(R, C, Y.data(), DB1.data());
  ASSERT_OK(Ops->biasBackward(R, C, Y.data(), DB2.data()));
  expectClose(DB1, DB2, 1e-5f, "bias backward");
  std::vector<float> Z1(N), Z2(N);
  cpu::addForward(N, X.data(), Y.data(), Z1.data());
  ASSERT_OK(Ops->addForward(N, X.data(), Y.data(), Z2.data()));
  expectClose(Z1, Z2, 0.0f, "add");
  cpu::reluForward(N, X.data(), Z1.data());
  ASSERT_OK(Ops->reluForward(N, X.data(), Z2.data()));
  expectClose(Z1, Z2, 0.0f, "relu");
  cpu::reluBackward(N, X.data(), Y.data(), Z1.data());
  ASSERT_OK(Ops->reluBackward(N, X.data(), Y.data(), Z2.data()));
  expectClose(Z1, Z2, 0.0f, "relu backward");
  cpu::geluForward(N, X.data(), Z1.data());
  ASSERT_OK(Ops->geluForward(N, X.data(), Z2.data()));
  expectClose(Z1, Z2, 1e-5f, "gelu");
  cpu::geluBackward(N, X.data(), Y.data(), Z1.data());
  ASSERT_OK(Ops->geluBackward(N, X.data(), Y.data(), Z2.data()));
  expectClose(Z1, Z2, 1e-5f, "gelu backward");
}

TEST_F(CudaAgreementTest, NormsAndSoftmax) {
  const size_t R = 23, C = 10;
  std::vector<float> X = randomFloats(R * C, 7), G = randomFloats(C, 8),
                     B = randomFloats(C, 9);
  std::vector<float> Y1(R * C), Y2(R * C), M1(R), M2(R), S1(R), S2(R);
  cpu::layerNormForward(R, C, X.data(), G.data(), B.data(), 1e-5f, Y1.data(),
                        M1.data(), S1.data());
  ASSERT_OK(Ops->layerNormForward(R, C, X.data(), G.data(), B.data(), 1e-5f,
                                  Y2.data(), M2.data(), S2.data()));
  expectClose(Y1, Y2, 1e-5f, "layer norm");
  expectClose(S1, S2, 1e-5f, "layer norm rstd");
  cpu::softmaxForward(R, C, X.data(), Y1.data());
  ASSERT_OK(Ops->softmaxForward(R, C, X.data(), Y2.data()));
  expectClose(Y1, Y2, 1e-5f, "softmax");
  cpu::logSoftmaxForward(R, C, X.data(), Y1.data());
  ASSERT_OK(Ops->logSoftmaxForward(R, C, X.data(), Y2.data()));
  expectClose(Y1, Y2, 1e-5f, "log-softmax");
}

TEST_F(CudaAgreementTest, LookupsAndSegments) {
  const size_t Rows = 6, D = 5, N = 9;
  std::vector<uint32_t> Ids = {0, 5, 5, 2, 3, 1, 0, 4, 2};
  std::vector<float> T = randomFloats(Rows * D, 10);
  std::vector<float> O1(N * D), O2(N * D);
  cpu::embeddingForward(N, D, Ids.data(), T.data(), O1.data());
  ASSERT_OK(Ops->embeddingForward(N, D, Rows, Ids.data(), T.data(), O2.data()));
  expectClose(O1, O2, 0.0f, "embedding");
  cpu::gatherForward(N, D, Ids.data(), T.data(), O1.data());
  ASSERT_OK(Ops->gatherForward(N, D, Rows, Ids.data(), T.data(), O2.data()));
  expectClose(O1, O2, 0.0f, "gather");
  std::vector<float> A = randomFloats(4 * 3, 11), B = randomFloats(4 * 2, 12);
  std::vector<float> C1(4 * 5), C2(4 * 5);
  cpu::concatForward(4, 3, 2, A.data(), B.data(), C1.data());
  ASSERT_OK(Ops->concatForward(4, 3, 2, A.data(), B.data(), C2.data()));
  expectClose(C1, C2, 0.0f, "concat");
  std::vector<uint32_t> RowPtr = {0, 3, 3, 7, 9}, Col = {0, 1, 5, 2, 2, 4, 3, 0, 1};
  for (bool Mean : {false, true}) {
    std::vector<float> S1(4 * D), S2(4 * D);
    cpu::segmentForward(Mean, 4, D, RowPtr.data(), Col.data(), T.data(),
                        S1.data());
    ASSERT_OK(Ops->segmentForward(Mean, 4, D, Rows, RowPtr.data(), Col.data(),
                                  T.data(), S2.data()));
    expectClose(S1, S2, 1e-6f, Mean ? "segment mean" : "segment sum");
  }
}

TEST_F(CudaAgreementTest, IntegerKernelsBitExact) {
  Rng R(13);
  std::vector<int64_t> Counts(50 * 7);
  for (int64_t &C : Counts)
    C = int64_t(R.next() >> R.below(64)) * (R.below(2) ? 1 : -1);
  std::vector<int8_t> Q1(Counts.size()), Q2(Counts.size());
  cpu::quantizeCounts(50, 7, Counts.data(), Q1.data());
  ASSERT_OK(Ops->quantizeCounts(50, 7, Counts.data(), Q2.data()));
  EXPECT_EQ(Q1, Q2);
  const size_t Rows = 40, C = 16;
  std::vector<int32_t> Acc(Rows * C), Bias(C), Mult(C), Shift(C);
  for (int32_t &A : Acc)
    A = int32_t(R.below(2000001)) - 1000000;
  for (size_t J = 0; J < C; ++J) {
    Bias[J] = int32_t(R.below(20001)) - 10000;
    std::pair<int32_t, int32_t> MS = quantizeMultiplier(R.uniform() * 1e-3);
    Mult[J] = MS.first;
    Shift[J] = MS.second;
  }
  for (bool Relu : {false, true}) {
    std::vector<int8_t> O1(Rows * C), O2(Rows * C);
    cpu::requantizeRows(Rows, C, Acc.data(), Bias.data(), Mult.data(),
                        Shift.data(), Relu, O1.data());
    ASSERT_OK(Ops->requantizeRows(Rows, C, Acc.data(), Bias.data(), Mult.data(),
                                  Shift.data(), Relu, O2.data()));
    EXPECT_EQ(O1, O2);
  }
  std::vector<uint32_t> RowPtr = {0, 3, 3, 5}, Col = {0, 1, 2, 1, 2};
  std::vector<int8_t> In = {1, -127, 2, 127, 3, 127, -5, 9};
  std::vector<int8_t> S1(3 * 2), S2(3 * 2);
  cpu::segmentMeanS8(3, 2, RowPtr.data(), Col.data(), In.data(), 2, S1.data(),
                     2);
  ASSERT_OK(Ops->segmentMeanS8(3, 2, 4, RowPtr.data(), Col.data(), In.data(),
                               S2.data()));
  EXPECT_EQ(S1, S2);
}

/// The deliverable: the CUDA runner's scores equal the CPU runner's, bit for
/// bit, on MLP and GNN models of every head.
TEST_F(CudaAgreementTest, RunnersBitExact) {
  for (ModelKind Kind : {ModelKind::MLP, ModelKind::GNN})
    for (HeadKind Task : {HeadKind::Regression, HeadKind::Classification}) {
      Dataset D = makeSyntheticDataset(Kind, Task, 700, 21, 19, 5);
      ModelConfig C;
      C.Kind = Kind;
      C.Head = Task;
      C.NumFeatures = D.NumFeatures;
      C.NumNodeTypes = D.NumNodeTypes;
      C.NumOutputs = Task == HeadKind::Classification ? 5 : 1;
      C.Hidden = {24, 20};
      C.EmbedDim = 20;
      C.Rounds = 3;
      C.NumEdgeKinds = Kind == ModelKind::GNN ? 2 : 1;
      StatusOr<FloatModel> M = FloatModel::create(C, 4);
      ASSERT_TRUE(M);
      fitInputNormalization(*M, D);
      TrainOptions O;
      O.Epochs = 2;
      ASSERT_TRUE(trainModel(*M, D, O));
      std::vector<size_t> Idx(D.size());
      for (size_t I = 0; I < Idx.size(); ++I)
        Idx[I] = I;
      std::vector<int64_t> SC;
      GraphBatch SG;
      ModelInput In = D.batch(Idx, SC, SG);
      StatusOr<QuantModel> Q = quantizeModel(*M, In);
      ASSERT_TRUE(Q);
      auto QP = std::make_shared<const QuantModel>(std::move(*Q));
      StatusOr<std::unique_ptr<ModelRunner>> Gpu = createCUDARunner(QP);
      ASSERT_TRUE(Gpu) << Gpu.status().message();
      std::unique_ptr<ModelRunner> Cpu = createCPURunner(QP);
      StatusOr<Scores> A = Cpu->evaluate(In), B = (*Gpu)->evaluate(In);
      ASSERT_TRUE(A);
      ASSERT_TRUE(B) << B.status().message();
      EXPECT_EQ(A->Raw, B->Raw) << modelKindName(Kind) << " "
                                << headKindName(Task);
      // A single sample too (the compile-time case).
      StatusOr<Scores> One = (*Gpu)->evaluate(D.batch({5}, SC, SG));
      ASSERT_TRUE(One);
      for (unsigned K = 0; K < C.NumOutputs; ++K)
        EXPECT_EQ(One->raw(0, K), A->raw(5, K));
    }
}
