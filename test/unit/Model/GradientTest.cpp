//===- GradientTest.cpp - Finite-difference checks of every op ------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Every backward kernel in kernels/cpu against central finite differences in
// float64, plus the losses and a whole-model check in float32.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/Models.h"
#include "neuropt/Model/Train.h"

#include "gtest/gtest.h"

#include <cmath>
#include <functional>
#include <vector>

using namespace neuropt::model;

namespace {
using Vec = std::vector<double>;

Vec randomVec(size_t N, uint64_t Seed, double Scale = 1.0) {
  Rng R(Seed);
  Vec V(N);
  for (double &X : V)
    X = R.normal() * Scale;
  return V;
}

double dot(const Vec &A, const Vec &B) {
  double S = 0;
  for (size_t I = 0; I < A.size(); ++I)
    S += A[I] * B[I];
  return S;
}

/// Checks Analytic against the central difference of Loss at X.
void expectGradient(const std::function<double(const Vec &)> &Loss, Vec X,
                    const Vec &Analytic, const char *What,
                    double Tol = 1e-6) {
  ASSERT_EQ(X.size(), Analytic.size());
  const double H = 1e-5;
  for (size_t I = 0; I < X.size(); ++I) {
    double Old = X[I];
    X[I] = Old + H;
    double Up = Loss(X);
    X[I] = Old - H;
    double Down = Loss(X);
    X[I] = Old;
    double Numeric = (Up - Down) / (2 * H);
    EXPECT_NEAR(Analytic[I], Numeric, Tol * (1 + std::fabs(Numeric)))
        << What << " element " << I;
  }
}
} // namespace

TEST(GradientTest, Gemm) {
  const size_t M = 3, N = 4, K = 5;
  for (bool TA : {false, true})
    for (bool TB : {false, true}) {
      Vec A = randomVec(M * K, 1), B = randomVec(K * N, 2),
          R = randomVec(M * N, 3);
      size_t LDA = TA ? M : K, LDB = TB ? K : N;
      auto Fwd = [&](const Vec &AA, const Vec &BB) {
        Vec C(M * N);
        cpu::gemm(TA, TB, M, N, K, 1.0, AA.data(), LDA, BB.data(), LDB, 0.0,
                  C.data(), N);
        return dot(C, R);
      };
      // dA = R * op(B)^T, in A's layout; dB = op(A)^T * R, in B's layout.
      Vec DA(M * K, 0.0), DB(K * N, 0.0);
      if (!TA)
        cpu::gemm(false, !TB, M, K, N, 1.0, R.data(), N, B.data(), LDB, 0.0,
                  DA.data(), K);
      else
        cpu::gemm(TB, true, K, M, N, 1.0, B.data(), LDB, R.data(), N, 0.0,
                  DA.data(), M);
      if (!TB)
        cpu::gemm(!TA, false, K, N, M, 1.0, A.data(), LDA, R.data(), N, 0.0,
                  DB.data(), N);
      else
        cpu::gemm(true, TA, N, K, M, 1.0, R.data(), N, A.data(), LDA, 0.0,
                  DB.data(), K);
      expectGradient([&](const Vec &X) { return Fwd(X, B); }, A, DA, "gemm dA");
      expectGradient([&](const Vec &X) { return Fwd(A, X); }, B, DB, "gemm dB");
    }
}

TEST(GradientTest, GemmImplementationsAgree) {
  if (!cpu::haveBlas())
    GTEST_SKIP() << "built without OpenBLAS: only the hand-written GEMM exists";
  const size_t M = 7, N = 9, K = 11;
  std::vector<float> A(M * K), B(N * K), C1(M * N), C2(M * N);
  Rng R(4);
  for (float &X : A)
    X = float(R.normal());
  for (float &X : B)
    X = float(R.normal());
  cpu::gemm(false, true, M, N, K, 1.0f, A.data(), K, B.data(), K, 0.0f,
            C1.data(), N, cpu::GemmImpl::Native);
  cpu::gemm(false, true, M, N, K, 1.0f, A.data(), K, B.data(), K, 0.0f,
            C2.data(), N, cpu::GemmImpl::Blas);
  for (size_t I = 0; I < M * N; ++I)
    EXPECT_NEAR(C1[I], C2[I], 1e-4f);
}

TEST(GradientTest, BiasAndAdd) {
  const size_t R = 3, C = 4;
  Vec Y0 = randomVec(R * C, 5), B = randomVec(C, 6), W = randomVec(R * C, 7);
  Vec DB(C, 0.0);
  cpu::biasBackward(R, C, W.data(), DB.data());
  expectGradient(
      [&](const Vec &X) {
        Vec Y = Y0;
        cpu::biasForward(R, C, X.data(), Y.data());
        return dot(Y, W);
      },
      B, DB, "bias");
  Vec X0 = randomVec(R * C, 8), DX(R * C, 0.0);
  cpu::addBackward(R * C, W.data(), DX.data());
  expectGradient(
      [&](const Vec &X) {
        Vec Z(R * C);
        cpu::addForward(R * C, X.data(), Y0.data(), Z.data());
        return dot(Z, W);
      },
      X0, DX, "add");
}

TEST(GradientTest, ReluAndGelu) {
  const size_t N = 12;
  // Keep ReLU inputs away from the kink at 0.
  Vec X = randomVec(N, 9);
  for (double &V : X)
    V += V > 0 ? 0.1 : -0.1;
  Vec W = randomVec(N, 10), DX(N);
  cpu::reluBackward(N, X.data(), W.data(), DX.data());
  expectGradient(
      [&](const Vec &In) {
        Vec Y(N);
        cpu::reluForward(N, In.data(), Y.data());
        return dot(Y, W);
      },
      X, DX, "relu");
  cpu::geluBackward(N, X.data(), W.data(), DX.data());
  expectGradient(
      [&](const Vec &In) {
        Vec Y(N);
        cpu::geluForward(N, In.data(), Y.data());
        return dot(Y, W);
      },
      X, DX, "gelu");
}

TEST(GradientTest, LayerNorm) {
  const size_t R = 3, C = 6;
  Vec X = randomVec(R * C, 11), G = randomVec(C, 12), B = randomVec(C, 13),
      W = randomVec(R * C, 14);
  auto Fwd = [&](const Vec &XX, const Vec &GG, const Vec &BB) {
    Vec Y(R * C), M(R), S(R);
    cpu::layerNormForward(R, C, XX.data(), GG.data(), BB.data(), 1e-5, Y.data(),
                          M.data(), S.data());
    return dot(Y, W);
  };
  Vec Y(R * C), M(R), S(R), DX(R * C, 0.0), DG(C, 0.0), DB(C, 0.0);
  cpu::layerNormForward(R, C, X.data(), G.data(), B.data(), 1e-5, Y.data(),
                        M.data(), S.data());
  cpu::layerNormBackward(R, C, X.data(), G.data(), M.data(), S.data(), W.data(),
                         DX.data(), DG.data(), DB.data());
  expectGradient([&](const Vec &V) { return Fwd(V, G, B); }, X, DX, "ln dX");
  expectGradient([&](const Vec &V) { return Fwd(X, V, B); }, G, DG, "ln dGamma");
  expectGradient([&](const Vec &V) { return Fwd(X, G, V); }, B, DB, "ln dBeta");
}

TEST(GradientTest, SoftmaxAndLogSoftmax) {
  const size_t R = 3, C = 5;
  Vec X = randomVec(R * C, 15), W = randomVec(R * C, 16);
  for (bool Log : {false, true}) {
    auto Fwd = [&](const Vec &In) {
      Vec Y(R * C);
      if (Log)
        cpu::logSoftmaxForward(R, C, In.data(), Y.data());
      else
        cpu::softmaxForward(R, C, In.data(), Y.data());
      return dot(Y, W);
    };
    Vec Y(R * C), DX(R * C);
    if (Log) {
      cpu::logSoftmaxForward(R, C, X.data(), Y.data());
      cpu::logSoftmaxBackward(R, C, Y.data(), W.data(), DX.data());
    } else {
      cpu::softmaxForward(R, C, X.data(), Y.data());
      cpu::softmaxBackward(R, C, Y.data(), W.data(), DX.data());
    }
    expectGradient(Fwd, X, DX, Log ? "log-softmax" : "softmax");
  }
}

TEST(GradientTest, EmbeddingGatherConcat) {
  const size_t Rows = 4, D = 3, N = 6;
  std::vector<uint32_t> Ids = {0, 2, 2, 3, 1, 2};
  Vec T = randomVec(Rows * D, 17), W = randomVec(N * D, 18);
  Vec DT(Rows * D, 0.0);
  cpu::embeddingBackward(N, D, Ids.data(), W.data(), DT.data());
  expectGradient(
      [&](const Vec &In) {
        Vec Y(N * D);
        cpu::embeddingForward(N, D, Ids.data(), In.data(), Y.data());
        return dot(Y, W);
      },
      T, DT, "embedding");
  Vec DG(Rows * D, 0.0);
  cpu::gatherBackward(N, D, Ids.data(), W.data(), DG.data());
  expectGradient(
      [&](const Vec &In) {
        Vec Y(N * D);
        cpu::gatherForward(N, D, Ids.data(), In.data(), Y.data());
        return dot(Y, W);
      },
      T, DG, "gather");
  const size_t R = 3, CA = 2, CB = 4;
  Vec A = randomVec(R * CA, 19), B = randomVec(R * CB, 20),
      WC = randomVec(R * (CA + CB), 21);
  Vec DA(R * CA, 0.0), DB(R * CB, 0.0);
  cpu::concatBackward(R, CA, CB, WC.data(), DA.data(), DB.data());
  auto Cat = [&](const Vec &AA, const Vec &BB) {
    Vec Y(R * (CA + CB));
    cpu::concatForward(R, CA, CB, AA.data(), BB.data(), Y.data());
    return dot(Y, WC);
  };
  expectGradient([&](const Vec &V) { return Cat(V, B); }, A, DA, "concat dA");
  expectGradient([&](const Vec &V) { return Cat(A, V); }, B, DB, "concat dB");
}

TEST(GradientTest, SegmentSumAndMean) {
  // 4 rows over 5 input nodes; row 2 is empty.
  std::vector<uint32_t> RowPtr = {0, 2, 5, 5, 6}, Col = {1, 4, 0, 1, 1, 3};
  const size_t R = 4, D = 3, InRows = 5;
  Vec In = randomVec(InRows * D, 22), W = randomVec(R * D, 23);
  for (bool Mean : {false, true}) {
    Vec DIn(InRows * D, 0.0);
    cpu::segmentBackward(Mean, R, D, RowPtr.data(), Col.data(), W.data(),
                         DIn.data());
    expectGradient(
        [&](const Vec &X) {
          Vec Y(R * D);
          cpu::segmentForward(Mean, R, D, RowPtr.data(), Col.data(), X.data(),
                              Y.data());
          return dot(Y, W);
        },
        In, DIn, Mean ? "segment mean" : "segment sum");
  }
  // The empty row yields zeros.
  Vec Y(R * D, 7.0);
  cpu::segmentForward(true, R, D, RowPtr.data(), Col.data(), In.data(),
                      Y.data());
  for (size_t J = 0; J < D; ++J)
    EXPECT_EQ(Y[2 * D + J], 0.0);
}

TEST(GradientTest, Losses) {
  // The losses are float32; check them with a float-sized step.
  auto Check = [](const std::function<double(const std::vector<float> &,
                                             std::vector<float> &)> &Loss,
                  std::vector<float> X, const char *What) {
    std::vector<float> D;
    Loss(X, D);
    std::vector<float> Tmp;
    for (size_t I = 0; I < X.size(); ++I) {
      float Old = X[I];
      X[I] = Old + 1e-2f;
      double Up = Loss(X, Tmp);
      X[I] = Old - 1e-2f;
      double Down = Loss(X, Tmp);
      X[I] = Old;
      EXPECT_NEAR(D[I], (Up - Down) / 2e-2, 2e-3) << What << " " << I;
    }
  };
  std::vector<float> Target = {0.5f, -1.0f, 2.0f, 0.0f};
  Check([&](const std::vector<float> &P,
            std::vector<float> &D) { return mseLoss(P, Target, D); },
        {0.1f, 0.2f, -0.3f, 1.0f}, "mse");
  std::vector<uint32_t> Labels = {2, 0};
  Check([&](const std::vector<float> &P, std::vector<float> &D) {
          return crossEntropyLoss(P, 3, Labels, D);
        },
        {0.1f, 0.2f, -0.3f, 1.0f, -0.5f, 0.25f}, "cross-entropy");
  std::vector<float> Rel = {3, 1, 2, 0, 5};
  std::vector<uint32_t> Group = {0, 0, 0, 1, 1};
  Check([&](const std::vector<float> &P, std::vector<float> &D) {
          return pairwiseRankingLoss(P, Rel, Group, D);
        },
        {0.3f, 0.5f, -0.2f, 0.1f, 0.4f}, "ranking");
}

/// The whole model's backward against finite differences of its forward
/// (float32, so a loose tolerance), for the MLP and the GNN.
TEST(GradientTest, WholeModels) {
  for (ModelKind Kind : {ModelKind::MLP, ModelKind::GNN}) {
    Dataset D = makeSyntheticDataset(Kind, HeadKind::Regression, 6, 31, 8);
    ModelConfig C;
    C.Kind = Kind;
    C.NumFeatures = D.NumFeatures;
    C.NumNodeTypes = D.NumNodeTypes;
    C.Hidden = {8};
    C.EmbedDim = 4;
    C.Rounds = 2;
    C.NumEdgeKinds = Kind == ModelKind::GNN ? 2 : 1; // synthetic: 2 kinds
    StatusOr<FloatModel> M = FloatModel::create(C, 5);
    ASSERT_TRUE(M) << M.status().message();
    fitInputNormalization(*M, D);
    std::vector<size_t> Idx = {0, 1, 2, 3, 4, 5};
    std::vector<int64_t> SC;
    GraphBatch SG;
    ModelInput In = D.batch(Idx, SC, SG);
    auto Loss = [&]() {
      std::vector<float> Out = M->forward(In), DOut;
      return mseLoss(Out, D.Labels, DOut);
    };
    std::vector<float> Out = M->forward(In), DOut;
    mseLoss(Out, D.Labels, DOut);
    M->zeroGrad();
    M->backward(DOut);
    size_t Checked = 0, Agreed = 0;
    for (Param &P : M->params()) {
      if (!P.Trainable)
        continue;
      float *V = P.Value.data<float>();
      const float *G = P.Grad.data<float>();
      for (int64_t I = 0; I < P.Value.numel(); I += 3) {
        float Old = V[I];
        V[I] = Old + 1e-3f;
        double Up = Loss();
        V[I] = Old - 1e-3f;
        double Down = Loss();
        V[I] = Old;
        double Num = (Up - Down) / 2e-3;
        ++Checked;
        // A ReLU kink inside the step can spoil a few entries.
        Agreed += std::fabs(Num - G[I]) <= 2e-2 * (1 + std::fabs(Num));
      }
    }
    EXPECT_GT(Checked, 20u);
    EXPECT_GE(double(Agreed), 0.95 * double(Checked))
        << modelKindName(Kind) << ": " << Agreed << " of " << Checked;
  }
}
