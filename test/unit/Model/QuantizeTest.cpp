//===- QuantizeTest.cpp - Integer arithmetic and quantized models ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The exact integer helpers, the int8 GEMM, and quantized MLP/GNN models:
// accuracy against the float model, determinism and batch independence.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/QuantMath.h"
#include "neuropt/Model/Quantize.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Model/Train.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace neuropt::model;

TEST(QuantMathTest, Division) {
  EXPECT_EQ(floorDiv(7, 2), 3);
  EXPECT_EQ(floorDiv(-7, 2), -4);
  EXPECT_EQ(floorDiv(-8, 2), -4);
  EXPECT_EQ(floorDiv(7, -2), -4);
  EXPECT_EQ(divRoundHalfUp(5, 2), 3);   // 2.5 -> 3
  EXPECT_EQ(divRoundHalfUp(-5, 2), -2); // -2.5 -> -2
  EXPECT_EQ(divRoundHalfUp(7, 3), 2);
  EXPECT_EQ(divRoundHalfUp(-7, 3), -2);
  EXPECT_EQ(divRoundHalfUp(-8, 3), -3);
  for (int64_t A = -50; A <= 50; ++A)
    for (int64_t B = 1; B <= 7; ++B)
      EXPECT_EQ(divRoundHalfUp(A, B),
                int64_t(std::floor(double(A) / double(B) + 0.5)))
          << A << "/" << B;
}

TEST(QuantMathTest, ExactDivision) {
  Rng R(5);
  for (uint32_t D = 1; D < 3000; D += 1 + D / 16) {
    ExactDivisor E = makeExactDivisor(D);
    for (uint32_t N : {0u, 1u, D - 1, D, D + 1, 2 * D - 1, 0x7fffffffu,
                       0x7fffffffu - D})
      ASSERT_EQ(divideExact(N, E), N / D) << N << "/" << D;
    for (int I = 0; I < 200; ++I) {
      uint32_t N = uint32_t(R.next() >> 33);
      ASSERT_EQ(divideExact(N, E), N / D) << N << "/" << D;
    }
  }
  for (uint32_t D : {0x7ffffffeu, 0x40000001u, 0x40000000u, 3u << 29}) {
    ExactDivisor E = makeExactDivisor(D);
    for (uint32_t N : {0u, D - 1, D, 0x7fffffffu})
      ASSERT_EQ(divideExact(N, E), N / D) << N << "/" << D;
  }
  // The int8 mean through the prepared divisor equals divRoundHalfUp over
  // the whole range of possible sums.
  for (uint32_t Deg : {1u, 2u, 3u, 7u, 64u, 1000u, MaxFastDegree}) {
    ExactDivisor E = makeExactDivisor(2 * Deg);
    for (int64_t S = -128 * int64_t(Deg); S <= 127 * int64_t(Deg);
         S += 1 + int64_t(Deg) / 3)
      ASSERT_EQ(meanRoundHalfUp(int32_t(S), Deg, E),
                divRoundHalfUp(S, int64_t(Deg)))
          << S << "/" << Deg;
  }
}

TEST(QuantMathTest, Requantize) {
  const int32_t Half = 1 << 30; // 0.5 with shift 31
  EXPECT_EQ(requantize(10, Half, 31), 5);
  EXPECT_EQ(requantize(3, Half, 31), 2);   // 1.5 -> 2
  EXPECT_EQ(requantize(-3, Half, 31), -1); // -1.5 -> -1
  EXPECT_EQ(requantize(-4, Half, 31), -2);
  EXPECT_EQ(requantize(INT32_MAX, INT32_MAX, 62), 1); // no overflow
  for (double Real : {1e-6, 3.3e-4, 0.01, 0.37, 0.5, 0.999, 1.0, 7.5, 100.0}) {
    std::pair<int32_t, int32_t> MS = quantizeMultiplier(Real);
    double Back = double(MS.first) / std::ldexp(1.0, MS.second);
    EXPECT_NEAR(Back, Real, Real * 1e-9) << Real;
    for (int32_t Acc : {-100000, -77, 0, 1, 12345, 1000000}) {
      double Want = std::floor(double(Acc) * Back + 0.5);
      EXPECT_EQ(requantize(Acc, MS.first, MS.second), int64_t(Want))
          << Acc << " * " << Real;
    }
  }
  EXPECT_EQ(quantizeMultiplier(0).first, 0);
  EXPECT_EQ(quantizeMultiplier(1e-30).first, 0);
}

TEST(QuantMathTest, CountCodes) {
  EXPECT_EQ(quantizeCount(0), 0);
  EXPECT_EQ(quantizeCount(1), 4);
  EXPECT_EQ(quantizeCount(2), 6);
  EXPECT_EQ(quantizeCount(3), 8);
  EXPECT_EQ(quantizeCount(7), 12);
  EXPECT_EQ(quantizeCount(-1), -4);
  EXPECT_EQ(quantizeCount(-3), -8);
  EXPECT_EQ(quantizeCount(int64_t(1) << 31), 124);
  EXPECT_EQ(quantizeCount(int64_t(1) << 40), 127);
  EXPECT_EQ(quantizeCount(INT64_MAX), 127);
  EXPECT_EQ(quantizeCount(INT64_MIN), -127);
  // Monotone, and within a quarter of log2(1 + c) below.
  int8_t Prev = 0;
  for (int64_t C = 0; C < 100000; C += 1 + C / 50) {
    int8_t Q = quantizeCount(C);
    EXPECT_GE(Q, Prev);
    Prev = Q;
    double L = 4 * std::log2(1.0 + double(C));
    EXPECT_LE(double(Q), L + 1e-9);
    EXPECT_GE(double(Q), L - 1.0 - 4 * 0.0861); // PWL log2 error < 0.0861
  }
}

TEST(QuantKernelTest, Int8Gemm) {
  const size_t M = 5, N = 8, K = 32;
  Rng R(1);
  std::vector<int8_t> A(M * K), W(N * K);
  for (int8_t &X : A)
    X = int8_t(int(R.below(255)) - 127);
  for (int8_t &X : W)
    X = int8_t(int(R.below(255)) - 127);
  std::vector<int32_t> C(M * N);
  cpu::gemmS8S32(M, N, K, A.data(), W.data(), C.data());
  for (size_t I = 0; I < M; ++I)
    for (size_t J = 0; J < N; ++J) {
      int64_t S = 0;
      for (size_t P = 0; P < K; ++P)
        S += int64_t(A[I * K + P]) * W[J * K + P];
      EXPECT_EQ(C[I * N + J], S);
    }
}

/// At the largest K the float-accumulated fast path allows, extreme values
/// must still give the exact integer result.
TEST(QuantKernelTest, Int8GemmExactAtLimits) {
  Rng R(2);
  for (size_t K : {size_t(1024), size_t(1040), size_t(4096)}) {
    const size_t M = 6, N = 4;
    std::vector<int8_t> A(M * K), W(N * K);
    for (size_t I = 0; I < A.size(); ++I)
      A[I] = R.below(4) ? int8_t(-128) : int8_t(127);
    for (size_t I = 0; I < W.size(); ++I)
      W[I] = R.below(4) ? int8_t(-128) : int8_t(int(R.below(255)) - 127);
    std::vector<int32_t> C(M * N);
    cpu::gemmS8S32(M, N, K, A.data(), W.data(), C.data());
    for (size_t I = 0; I < M; ++I)
      for (size_t J = 0; J < N; ++J) {
        int64_t S = 0;
        for (size_t P = 0; P < K; ++P)
          S += int64_t(A[I * K + P]) * W[J * K + P];
        ASSERT_EQ(C[I * N + J], S) << "K=" << K;
      }
  }
}

/// requantizeRows' vectorizable ReLU path against the scalar definition.
TEST(QuantKernelTest, RequantizeRowsMatchesDefinition) {
  Rng R(8);
  const size_t Rows = 64, C = 48;
  std::vector<int32_t> Acc(Rows * C), Bias(C), Mult(C), Shift(C);
  for (int32_t &A : Acc)
    A = int32_t(int64_t(R.below(uint64_t(1) << 31)) - (int64_t(1) << 30));
  for (size_t J = 0; J < C; ++J) {
    Bias[J] = int32_t(R.below(1 << 20)) - (1 << 19);
    std::pair<int32_t, int32_t> MS =
        quantizeMultiplier(std::ldexp(R.uniform() + 0.01, -int(R.below(40))));
    Mult[J] = MS.first;
    Shift[J] = MS.second;
  }
  Acc[0] = INT32_MIN + (1 << 20); // extremes
  Acc[1] = INT32_MAX - (1 << 20);
  for (bool Relu : {false, true}) {
    std::vector<int8_t> Out(Rows * C);
    cpu::requantizeRows(Rows, C, Acc.data(), Bias.data(), Mult.data(),
                        Shift.data(), Relu, Out.data());
    size_t Saturated = 0, Zero = 0;
    for (size_t I = 0; I < Rows; ++I)
      for (size_t J = 0; J < C; ++J) {
        int64_t V = requantize(Acc[I * C + J] + Bias[J], Mult[J], Shift[J]);
        if (Relu && V < 0)
          V = 0;
        ASSERT_EQ(Out[I * C + J], saturateS8(V)) << I << "," << J;
        Saturated += std::abs(V) >= 127;
        Zero += V == 0;
      }
    // The data exercise clamping, zeros and ordinary values alike.
    EXPECT_GT(Saturated, 0u);
    EXPECT_GT(Zero, 0u);
    EXPECT_LT(Saturated + Zero, Rows * C);
  }
}

TEST(QuantKernelTest, SegmentMeanS8) {
  std::vector<uint32_t> RowPtr = {0, 3, 3, 5}, Col = {0, 1, 2, 1, 2};
  std::vector<int8_t> In = {1, -127, 2, 127, 3, 127}; // 3 rows of width 2
  std::vector<int8_t> Out(6, 99);
  cpu::segmentMeanS8(3, 2, RowPtr.data(), Col.data(), In.data(), 2, Out.data(),
                     2);
  EXPECT_EQ(Out[0], 2);  // (1+2+3)/3
  EXPECT_EQ(Out[1], 42); // (-127+127+127)/3 = 42.33
  EXPECT_EQ(Out[2], 0);  // empty row
  EXPECT_EQ(Out[3], 0);
  EXPECT_EQ(Out[4], 3);  // (2+3)/2 = 2.5 -> 3
  EXPECT_EQ(Out[5], 127);
}

namespace {
struct Trained {
  Dataset Train, Test;
  std::shared_ptr<FloatModel> Float;
  std::shared_ptr<const QuantModel> Quant;
};

Trained trainSmall(ModelKind Kind, HeadKind Task, unsigned Features = 13) {
  Trained T;
  Dataset All = makeSyntheticDataset(Kind, Task, 1200, 7, Features, 4);
  std::vector<size_t> A, B;
  for (size_t I = 0; I < All.size(); ++I)
    (I < 960 ? A : B).push_back(I);
  T.Train = All.subset(A);
  T.Test = All.subset(B);
  ModelConfig C;
  C.Kind = Kind;
  C.Head = Task;
  C.NumFeatures = All.NumFeatures;
  C.NumNodeTypes = All.NumNodeTypes;
  C.NumOutputs = Task == HeadKind::Classification ? 4 : 1;
  C.Hidden = {32};
  C.EmbedDim = 16;
  C.Rounds = 2;
  C.NumEdgeKinds = Kind == ModelKind::GNN ? 2 : 1;
  StatusOr<FloatModel> M = FloatModel::create(C, 3);
  EXPECT_TRUE(M);
  fitInputNormalization(*M, T.Train);
  TrainOptions O;
  O.Epochs = Kind == ModelKind::MLP ? 25 : 12;
  O.BatchSize = 32;
  StatusOr<std::vector<double>> L = trainModel(*M, T.Train, O);
  EXPECT_TRUE(L);
  std::vector<size_t> Cal(T.Train.size());
  for (size_t I = 0; I < Cal.size(); ++I)
    Cal[I] = I;
  std::vector<int64_t> SC;
  GraphBatch SG;
  StatusOr<QuantModel> Q = quantizeModel(*M, T.Train.batch(Cal, SC, SG));
  EXPECT_TRUE(Q) << (Q ? "" : Q.status().message());
  T.Float = std::make_shared<FloatModel>(std::move(*M));
  T.Quant = std::make_shared<const QuantModel>(std::move(*Q));
  return T;
}

std::vector<float> quantScores(const QuantModel &Q, const Dataset &D) {
  std::vector<size_t> Idx(D.size());
  for (size_t I = 0; I < Idx.size(); ++I)
    Idx[I] = I;
  std::vector<int64_t> SC;
  GraphBatch SG;
  std::vector<int32_t> Raw = runQuantizedCPU(Q, D.batch(Idx, SC, SG));
  std::vector<float> Out;
  for (int32_t V : Raw)
    Out.push_back(float(V) * Q.ScoreScale);
  return Out;
}
} // namespace

/// The integer model must keep the float model's quality (the accuracy
/// cost of quantization is measured, and bounded, here).
TEST(QuantizedModelTest, AccuracyCloseToFloat) {
  for (ModelKind Kind : {ModelKind::MLP, ModelKind::GNN})
    for (HeadKind Task : {HeadKind::Regression, HeadKind::Classification,
                          HeadKind::Ranking}) {
      Trained T = trainSmall(Kind, Task);
      Metrics F = evaluateModel(*T.Float, T.Test);
      Metrics Q = computeMetrics(T.Test, quantScores(*T.Quant, T.Test),
                                 T.Quant->Config.NumOutputs);
      SCOPED_TRACE(std::string(modelKindName(Kind)) + " " + headKindName(Task));
      if (Task == HeadKind::Regression) {
        double Var = 0, Mean = 0;
        for (float L : T.Test.Labels)
          Mean += L;
        Mean /= double(T.Test.size());
        for (float L : T.Test.Labels)
          Var += (L - Mean) * (L - Mean);
        Var /= double(T.Test.size());
        // Quantization may cost at most 5% of the label variance.
        EXPECT_LE(Q.Metric, F.Metric + 0.05 * Var)
            << "float mse " << F.Metric << " int mse " << Q.Metric;
      } else {
        EXPECT_GE(Q.Metric, F.Metric - 0.04)
            << "float " << F.Metric << " int " << Q.Metric;
      }
    }
}

TEST(QuantizedModelTest, DeterministicAndBatchIndependent) {
  for (ModelKind Kind : {ModelKind::MLP, ModelKind::GNN}) {
    Trained T = trainSmall(Kind, HeadKind::Classification);
    std::unique_ptr<ModelRunner> R = createCPURunner(T.Quant);
    std::vector<size_t> Idx;
    for (size_t I = 0; I < 40; ++I)
      Idx.push_back(I);
    std::vector<int64_t> SC;
    GraphBatch SG;
    StatusOr<Scores> All = R->evaluate(T.Test.batch(Idx, SC, SG));
    ASSERT_TRUE(All) << All.status().message();
    StatusOr<Scores> Again = R->evaluate(T.Test.batch(Idx, SC, SG));
    ASSERT_TRUE(Again);
    EXPECT_EQ(All->Raw, Again->Raw);
    for (size_t I : {size_t(0), size_t(17), size_t(39)}) {
      StatusOr<Scores> One = R->evaluate(T.Test.batch({I}, SC, SG));
      ASSERT_TRUE(One);
      for (unsigned K = 0; K < 4; ++K)
        EXPECT_EQ(One->raw(0, K), All->raw(I, K));
    }
  }
}

/// Large batches are scored in slices; a sample's score must not depend on
/// the slice it lands in.
TEST(QuantizedModelTest, LargeBatchesMatchSingleSamples) {
  for (ModelKind Kind : {ModelKind::MLP, ModelKind::GNN}) {
    Trained T = trainSmall(Kind, HeadKind::Regression);
    Dataset Big = makeSyntheticDataset(Kind, HeadKind::Regression, 1100, 99, 13);
    std::vector<size_t> Idx(Big.size());
    for (size_t I = 0; I < Idx.size(); ++I)
      Idx[I] = I;
    std::vector<int64_t> SC;
    GraphBatch SG;
    ModelInput In = Big.batch(Idx, SC, SG);
    if (Kind == ModelKind::GNN) {
      ASSERT_GT(SG.numNodes(), 4096u) << "the batch must need several slices";
    }
    std::vector<int32_t> All = runQuantizedCPU(*T.Quant, In);
    ASSERT_EQ(All.size(), Big.size());
    for (size_t I : {size_t(0), size_t(511), size_t(512), size_t(700),
                     size_t(1099)}) {
      std::vector<int32_t> One =
          runQuantizedCPU(*T.Quant, Big.batch({I}, SC, SG));
      EXPECT_EQ(One[0], All[I]) << modelKindName(Kind) << " sample " << I;
    }
  }
}

TEST(QuantizedModelTest, RejectsBadInput) {
  Trained T = trainSmall(ModelKind::GNN, HeadKind::Regression);
  std::unique_ptr<ModelRunner> R = createCPURunner(T.Quant);
  GraphBatch G = T.Test.Graphs[0];
  G.NodeType[0] = 1000; // unknown node type
  ModelInput In;
  In.BatchSize = 1;
  In.Graphs = &G;
  StatusOr<Scores> S = R->evaluate(In);
  ASSERT_FALSE(S);
  EXPECT_NE(S.status().message().find("type 1000"), std::string::npos);
  G = T.Test.Graphs[0];
  G.Col[0] = 5000;
  EXPECT_FALSE(R->evaluate(In));
  G = T.Test.Graphs[0];
  G.EdgeKind[0] = 5; // the model reads 2 kinds
  StatusOr<Scores> Kind = R->evaluate(In);
  ASSERT_FALSE(Kind);
  EXPECT_NE(Kind.status().message().find("has kind 5"), std::string::npos);
  G.EdgeKind.clear();
  EXPECT_FALSE(R->evaluate(In));
  // Two graphs with an edge from one into the other.
  GraphBatch Two = T.Test.Graphs[0];
  Two.append(T.Test.Graphs[1]);
  Two.Col[0] = uint32_t(Two.numNodes() - 1);
  In.BatchSize = 2;
  In.Graphs = &Two;
  StatusOr<Scores> Cross = R->evaluate(In);
  ASSERT_FALSE(Cross);
  EXPECT_NE(Cross.status().message().find("leaves graph 0"), std::string::npos)
      << Cross.status().message();
  In.BatchSize = 1;
  In.Graphs = nullptr;
  EXPECT_FALSE(R->evaluate(In));
}

TEST(ScoresTest, StableTies) {
  Scores S;
  S.Batch = 4;
  S.NumOutputs = 3;
  S.Raw = {5, 5, 1, /**/ 0, 2, 2, /**/ 7, 7, 7, /**/ 5, 1, 9};
  EXPECT_EQ(S.argmax(0), 0u);
  EXPECT_EQ(S.argmax(1), 1u);
  EXPECT_EQ(S.argmax(2), 0u);
  EXPECT_EQ(S.argmax(3), 2u);
  EXPECT_EQ(S.ranking(0), (std::vector<size_t>{2, 0, 3, 1}));
}
