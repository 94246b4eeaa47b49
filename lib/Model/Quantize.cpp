//===- Quantize.cpp - Export to, and CPU execution of, integer models -----===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements post-training quantization (symmetric int8, per-
// output-channel weight scales, per-tensor activation scales calibrated by
// max-abs, fixed-point requantization multipliers), the tensor form of a
// QuantModel, and its CPU execution with kernels/cpu.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Quantize.h"
#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/QuantMath.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

using namespace neuropt;
using namespace neuropt::model;

std::pair<int32_t, int32_t> neuropt::model::quantizeMultiplier(double Real) {
  if (!(Real > 0))
    return {0, 1};
  int Exp;
  double F = std::frexp(Real, &Exp); // Real = F * 2^Exp, F in [0.5, 1)
  int64_t M = std::llround(F * double(int64_t(1) << 31));
  if (M == (int64_t(1) << 31)) {
    M /= 2;
    ++Exp;
  }
  int Shift = 31 - Exp;
  if (Shift > 62)
    return {0, 1}; // Below half a unit for any int32 accumulator.
  if (Shift < 1)
    return {INT32_MAX, 1}; // Saturates; never seen with calibrated scales.
  return {int32_t(M), Shift};
}

/// Activation scale from calibration values: max |x| / 127.
static float activationScale(const std::vector<float> &V) {
  float Max = 0;
  for (float X : V)
    Max = std::max(Max, std::fabs(X));
  return Max > 0 ? Max / 127.0f : 1.0f;
}

/// Quantizes a float layer W[Out, In], B[Out] whose input has scale SIn and
/// whose input column j sits at padded column ColMap[j]. SOut == 0 marks the
/// final layer: one weight scale for all outputs so that the int32 scores are
/// comparable, and ScoreScale receives their unit.
static QLinear quantizeLinear(const float *W, const float *B, unsigned Out,
                              unsigned In, unsigned InPad,
                              const std::vector<unsigned> &ColMap, float SIn,
                              float SOut, bool Relu, float &ScoreScale) {
  QLinear Q;
  Q.In = In;
  Q.Out = Out;
  Q.InPad = InPad;
  Q.OutPad = padTo(Out);
  Q.Relu = Relu;
  Q.Requant = SOut > 0;
  Q.W.assign(size_t(Q.OutPad) * InPad, 0);
  Q.Bias.assign(Q.OutPad, 0);
  Q.Mult.assign(Q.OutPad, 0);
  Q.Shift.assign(Q.OutPad, 1);
  float TensorMax = 0;
  for (size_t I = 0; I < size_t(Out) * In; ++I)
    TensorMax = std::max(TensorMax, std::fabs(W[I]));
  for (unsigned O = 0; O < Out; ++O) {
    float RowMax = 0;
    for (unsigned J = 0; J < In; ++J)
      RowMax = std::max(RowMax, std::fabs(W[size_t(O) * In + J]));
    float Max = Q.Requant ? RowMax : TensorMax;
    float SW = Max > 0 ? Max / 127.0f : 1.0f;
    for (unsigned J = 0; J < In; ++J)
      Q.W[size_t(O) * InPad + ColMap[J]] =
          saturateS8(std::llround(W[size_t(O) * In + J] / SW));
    double BQ = std::nearbyint(double(B[O]) / (double(SIn) * SW));
    BQ = std::max(-double(1 << 30), std::min(double(1 << 30), BQ));
    Q.Bias[O] = int32_t(BQ);
    if (Q.Requant) {
      std::pair<int32_t, int32_t> MS =
          quantizeMultiplier(double(SIn) * SW / double(SOut));
      Q.Mult[O] = MS.first;
      Q.Shift[O] = MS.second;
    } else {
      ScoreScale = SIn * SW;
    }
  }
  return Q;
}

static std::vector<unsigned> identityMap(unsigned N) {
  std::vector<unsigned> M(N);
  for (unsigned I = 0; I < N; ++I)
    M[I] = I;
  return M;
}

StatusOr<QuantModel> neuropt::model::quantizeModel(FloatModel &M,
                                                   const ModelInput &Calib) {
  const ModelConfig &C = M.config();
  if (Status S = validateInput(C, Calib))
    return S;
  if (!Calib.BatchSize)
    return Status::error("quantization: empty calibration set");
  M.forward(Calib);
  std::vector<const std::vector<float> *> Stages = M.stageOutputs();
  QuantModel Q;
  Q.Config = C;
  size_t Stage = 0;
  float SIn;
  unsigned Width, WidthPad;
  auto P = [&](const std::string &Name) {
    return M.findParam(Name)->Value.data<float>();
  };
  if (C.Kind == ModelKind::MLP) {
    SIn = 1.0f / QuantCountScale;
    Width = C.NumFeatures;
    WidthPad = padTo(Width);
  } else {
    unsigned D = C.EmbedDim, DPad = padTo(D);
    const Param *E = M.findParam("embed.weight");
    std::vector<float> EV = E->Value.toVector<float>();
    SIn = activationScale(EV);
    Q.Embedding.assign(size_t(C.NumNodeTypes) * DPad, 0);
    for (unsigned T = 0; T < C.NumNodeTypes; ++T)
      for (unsigned J = 0; J < D; ++J)
        Q.Embedding[size_t(T) * DPad + J] =
            saturateS8(std::llround(EV[size_t(T) * D + J] / SIn));
    // Sage input: [h ; mean over kind 0 ; ...], DPad columns per block.
    unsigned Blocks = C.sageInputBlocks();
    std::vector<unsigned> Map(Blocks * D);
    for (unsigned B = 0; B < Blocks; ++B)
      for (unsigned J = 0; J < D; ++J)
        Map[B * D + J] = B * DPad + J;
    Q.ActivationScales.push_back(SIn);
    float Unused = 0;
    for (unsigned R = 0; R < C.Rounds; ++R) {
      float SOut = activationScale(*Stages[Stage++]);
      Q.Sage.push_back(quantizeLinear(
          P("sage." + std::to_string(R) + ".weight"),
          P("sage." + std::to_string(R) + ".bias"), D, Blocks * D,
          Blocks * DPad, Map,
          SIn, SOut, true, Unused));
      Q.ActivationScales.push_back(SOut);
      SIn = SOut;
    }
    Width = D;
    WidthPad = DPad;
  }
  if (C.Kind == ModelKind::MLP)
    Q.ActivationScales.push_back(SIn);
  size_t L = C.Hidden.size() + 1;
  for (size_t I = 0; I < L; ++I) {
    bool Last = I + 1 == L;
    unsigned Out = Last ? C.NumOutputs : C.Hidden[I];
    const float *W = P("head." + std::to_string(I) + ".weight");
    const float *B = P("head." + std::to_string(I) + ".bias");
    std::vector<float> FW, FB;
    if (I == 0 && C.Kind == ModelKind::MLP) {
      // Fold the standardization (x - mean) / std into the first layer, so
      // the integer path consumes raw count codes.
      const float *Mean = P("input.mean"), *Std = P("input.std");
      FW.assign(W, W + size_t(Out) * Width);
      FB.assign(B, B + Out);
      for (unsigned O = 0; O < Out; ++O)
        for (unsigned J = 0; J < Width; ++J) {
          FW[size_t(O) * Width + J] = W[size_t(O) * Width + J] / Std[J];
          FB[O] -= W[size_t(O) * Width + J] * Mean[J] / Std[J];
        }
      W = FW.data();
      B = FB.data();
    }
    float SOut = Last ? 0.0f : activationScale(*Stages[Stage++]);
    Q.Head.push_back(quantizeLinear(W, B, Out, Width, WidthPad,
                                    identityMap(Width), SIn, SOut, !Last,
                                    Q.ScoreScale));
    if (!Last)
      Q.ActivationScales.push_back(SOut);
    SIn = SOut;
    Width = Out;
    WidthPad = padTo(Out);
  }
  if (Status S = Q.validate())
    return S;
  return Q;
}

//===----------------------------------------------------------------------===//
// Tensor form
//===----------------------------------------------------------------------===//

/// The expected (In, Out, InPad) of every layer of \p C, in order: GNN
/// rounds then head layers.
static void expectedLayers(const ModelConfig &C,
                           std::vector<std::array<unsigned, 3>> &Sage,
                           std::vector<std::array<unsigned, 3>> &Head) {
  unsigned Width;
  if (C.Kind == ModelKind::GNN) {
    unsigned DPad = padTo(C.EmbedDim);
    for (unsigned R = 0; R < C.Rounds; ++R)
      Sage.push_back({C.sageInputBlocks() * C.EmbedDim, C.EmbedDim,
                      C.sageInputBlocks() * DPad});
    Width = C.EmbedDim;
  } else {
    Width = C.NumFeatures;
  }
  for (size_t I = 0; I <= C.Hidden.size(); ++I) {
    unsigned Out = I < C.Hidden.size() ? C.Hidden[I] : C.NumOutputs;
    Head.push_back({Width, Out, padTo(Width)});
    Width = Out;
  }
}

Status QuantModel::validate() const {
  if (Status S = Config.validate())
    return S;
  std::vector<std::array<unsigned, 3>> ES, EH;
  expectedLayers(Config, ES, EH);
  auto Check = [](const QLinear &L, const std::array<unsigned, 3> &E,
                  const std::string &Name) -> Status {
    if (L.In != E[0] || L.Out != E[1] || L.InPad != E[2] ||
        L.OutPad != padTo(E[1]) || L.W.size() != size_t(L.OutPad) * L.InPad ||
        L.Bias.size() != L.OutPad || L.Mult.size() != L.OutPad ||
        L.Shift.size() != L.OutPad)
      return Status::error("quantized layer " + Name +
                           " does not match the architecture");
    for (int32_t S : L.Shift)
      if (S < 1 || S > 62)
        return Status::error("quantized layer " + Name +
                             " has a shift outside [1, 62]");
    for (int32_t M : L.Mult)
      if (M < 0)
        return Status::error("quantized layer " + Name +
                             " has a negative multiplier");
    return Status::success();
  };
  if (Sage.size() != ES.size() || Head.size() != EH.size())
    return Status::error("quantized model has the wrong number of layers");
  for (size_t I = 0; I < ES.size(); ++I)
    if (Status S = Check(Sage[I], ES[I], "sage." + std::to_string(I)))
      return S;
  for (size_t I = 0; I < EH.size(); ++I)
    if (Status S = Check(Head[I], EH[I], "head." + std::to_string(I)))
      return S;
  if (Config.Kind == ModelKind::GNN &&
      Embedding.size() != size_t(Config.NumNodeTypes) * padTo(Config.EmbedDim))
    return Status::error("quantized embedding does not match the "
                         "architecture");
  if (!(ScoreScale > 0) || !std::isfinite(ScoreScale))
    return Status::error("quantized model has an invalid score scale");
  return Status::success();
}

std::vector<std::pair<std::string, Tensor>> QuantModel::toTensors() const {
  std::vector<std::pair<std::string, Tensor>> T;
  if (Config.Kind == ModelKind::GNN)
    T.emplace_back("q.embed",
                   Tensor::fromVector<int8_t>(
                       {int64_t(Config.NumNodeTypes),
                        int64_t(padTo(Config.EmbedDim))},
                       Embedding));
  auto Add = [&](const std::string &P, const QLinear &L) {
    T.emplace_back(P + ".weight",
                   Tensor::fromVector<int8_t>(
                       {int64_t(L.OutPad), int64_t(L.InPad)}, L.W));
    T.emplace_back(P + ".bias",
                   Tensor::fromVector<int32_t>({int64_t(L.OutPad)}, L.Bias));
    T.emplace_back(P + ".mult",
                   Tensor::fromVector<int32_t>({int64_t(L.OutPad)}, L.Mult));
    T.emplace_back(P + ".shift",
                   Tensor::fromVector<int32_t>({int64_t(L.OutPad)}, L.Shift));
  };
  for (size_t I = 0; I < Sage.size(); ++I)
    Add("q.sage." + std::to_string(I), Sage[I]);
  for (size_t I = 0; I < Head.size(); ++I)
    Add("q.head." + std::to_string(I), Head[I]);
  T.emplace_back("q.score_scale",
                 Tensor::fromVector<float>({1}, std::vector<float>{ScoreScale}));
  T.emplace_back("q.activation_scales",
                 Tensor::fromVector<float>(
                     {int64_t(ActivationScales.size())}, ActivationScales));
  return T;
}

StatusOr<QuantModel> QuantModel::fromTensors(
    const ModelConfig &Config,
    const std::vector<std::pair<std::string, Tensor>> &Tensors,
    const std::string &Where) {
  auto Find = [&](const std::string &Name, DType Ty,
                  const std::vector<int64_t> &Shape) -> StatusOr<const Tensor *> {
    for (const auto &NT : Tensors)
      if (NT.first == Name) {
        if (NT.second.dtype() != Ty)
          return Status::error(Where + ": tensor '" + Name + "' has dtype " +
                               dtypeName(NT.second.dtype()) + ", expected " +
                               dtypeName(Ty));
        if (!Shape.empty() && NT.second.shape() != Shape)
          return Status::error(Where + ": tensor '" + Name + "' has shape " +
                               NT.second.shapeString() + ", expected " +
                               shapeToString(Shape));
        return &NT.second;
      }
    return Status::error(Where + ": missing tensor '" + Name + "'");
  };
  QuantModel Q;
  Q.Config = Config;
  std::vector<std::array<unsigned, 3>> ES, EH;
  expectedLayers(Config, ES, EH);
  if (Config.Kind == ModelKind::GNN) {
    StatusOr<const Tensor *> E =
        Find("q.embed", DType::I8,
             {int64_t(Config.NumNodeTypes), int64_t(padTo(Config.EmbedDim))});
    if (!E)
      return E.takeError();
    Q.Embedding = (*E)->toVector<int8_t>();
  }
  auto Load = [&](const std::string &P, const std::array<unsigned, 3> &Exp,
                  bool Last) -> StatusOr<QLinear> {
    QLinear L;
    L.In = Exp[0];
    L.Out = Exp[1];
    L.InPad = Exp[2];
    L.OutPad = padTo(L.Out);
    L.Relu = L.Requant = !Last;
    StatusOr<const Tensor *> W = Find(P + ".weight", DType::I8,
                                      {int64_t(L.OutPad), int64_t(L.InPad)});
    if (!W)
      return W.takeError();
    L.W = (*W)->toVector<int8_t>();
    std::vector<int32_t> *Vecs[] = {&L.Bias, &L.Mult, &L.Shift};
    const char *Names[] = {".bias", ".mult", ".shift"};
    for (int K = 0; K < 3; ++K) {
      StatusOr<const Tensor *> V =
          Find(P + Names[K], DType::I32, {int64_t(L.OutPad)});
      if (!V)
        return V.takeError();
      *Vecs[K] = (*V)->toVector<int32_t>();
    }
    return L;
  };
  for (size_t I = 0; I < ES.size(); ++I) {
    StatusOr<QLinear> L = Load("q.sage." + std::to_string(I), ES[I], false);
    if (!L)
      return L.takeError();
    Q.Sage.push_back(std::move(*L));
  }
  for (size_t I = 0; I < EH.size(); ++I) {
    StatusOr<QLinear> L =
        Load("q.head." + std::to_string(I), EH[I], I + 1 == EH.size());
    if (!L)
      return L.takeError();
    Q.Head.push_back(std::move(*L));
  }
  StatusOr<const Tensor *> S = Find("q.score_scale", DType::F32, {1});
  if (!S)
    return S.takeError();
  Q.ScoreScale = (*S)->data<float>()[0];
  StatusOr<const Tensor *> A = Find("q.activation_scales", DType::F32, {});
  if (!A)
    return A.takeError();
  Q.ActivationScales = (*A)->toVector<float>();
  if (Status St = Q.validate())
    return Status::error(Where + ": " + St.message());
  return Q;
}

//===----------------------------------------------------------------------===//
// CPU execution
//===----------------------------------------------------------------------===//

/// Runs the head layers on X [B, Head[0].InPad]; returns [B, NumOutputs].
static std::vector<int32_t> runHead(const QuantModel &Q, size_t B,
                                    std::vector<int8_t> X) {
  std::vector<int32_t> Acc;
  std::vector<int8_t> Next;
  for (const QLinear &L : Q.Head) {
    Acc.resize(B * L.OutPad);
    cpu::gemmS8S32(B, L.OutPad, L.InPad, X.data(), L.W.data(), Acc.data());
    if (L.Requant) {
      Next.resize(B * L.OutPad);
      cpu::requantizeRows(B, L.OutPad, Acc.data(), L.Bias.data(),
                          L.Mult.data(), L.Shift.data(), L.Relu, Next.data());
      X.swap(Next);
    } else {
      cpu::addBiasS32(B, L.OutPad, L.Bias.data(), Acc.data());
    }
  }
  const QLinear &Last = Q.Head.back();
  std::vector<int32_t> Out(B * Last.Out);
  for (size_t I = 0; I < B; ++I)
    std::memcpy(&Out[I * Last.Out], &Acc[I * Last.OutPad],
                Last.Out * sizeof(int32_t));
  return Out;
}

/// Runs the GNN on every graph of \p G.
static std::vector<int32_t> runGraphs(const QuantModel &Q, const GraphBatch &G) {
  size_t N = G.numNodes(), B = G.numGraphs();
  unsigned DPad = padTo(Q.Config.EmbedDim);
  size_t W = size_t(Q.Config.sageInputBlocks()) * DPad;
  KindedEdges Edges = splitEdgesByKind(G, Q.Config.NumEdgeKinds);
  // Cat = [h ; mean over kind 0 ; ...], one DPad-wide block each.
  std::vector<int8_t> Cat(N * W, 0), H(N * DPad);
  std::vector<int32_t> Acc(N * DPad);
  cpu::embeddingS8(N, DPad, G.NodeType.data(), Q.Embedding.data(), DPad,
                   Cat.data(), W);
  for (const QLinear &L : Q.Sage) {
    for (unsigned K = 0; K < Q.Config.NumEdgeKinds; ++K)
      cpu::segmentMeanS8(N, DPad, Edges.RowPtr[K].data(), Edges.Col[K].data(),
                         Cat.data(), W, Cat.data() + (1 + K) * DPad, W);
    cpu::gemmS8S32(N, DPad, W, Cat.data(), L.W.data(), Acc.data());
    cpu::requantizeRows(N, DPad, Acc.data(), L.Bias.data(), L.Mult.data(),
                        L.Shift.data(), true, H.data());
    for (size_t I = 0; I < N; ++I)
      std::memcpy(&Cat[I * W], &H[I * DPad], DPad);
  }
  std::vector<uint32_t> PoolCol(N);
  for (size_t I = 0; I < N; ++I)
    PoolCol[I] = uint32_t(I);
  std::vector<int8_t> Pooled(B * DPad);
  cpu::segmentMeanS8(B, DPad, G.GraphPtr.data(), PoolCol.data(), Cat.data(), W,
                     Pooled.data(), DPad);
  return runHead(Q, B, std::move(Pooled));
}

/// Graphs [G0, G1) of \p G as a batch of their own.
static GraphBatch sliceGraphs(const GraphBatch &G, size_t G0, size_t G1) {
  GraphBatch S;
  uint32_t N0 = G.GraphPtr[G0], N1 = G.GraphPtr[G1];
  uint32_t E0 = G.RowPtr[N0], E1 = G.RowPtr[N1];
  S.RowPtr.resize(N1 - N0 + 1);
  for (uint32_t N = N0; N <= N1; ++N)
    S.RowPtr[N - N0] = G.RowPtr[N] - E0;
  S.Col.resize(E1 - E0);
  for (uint32_t E = E0; E < E1; ++E)
    S.Col[E - E0] = G.Col[E] - N0;
  if (!G.EdgeKind.empty())
    S.EdgeKind.assign(G.EdgeKind.begin() + E0, G.EdgeKind.begin() + E1);
  S.NodeType.assign(G.NodeType.begin() + N0, G.NodeType.begin() + N1);
  S.GraphPtr.resize(G1 - G0 + 1);
  for (size_t I = G0; I <= G1; ++I)
    S.GraphPtr[I - G0] = G.GraphPtr[I] - N0;
  return S;
}

std::vector<int32_t> neuropt::model::runQuantizedCPU(const QuantModel &Q,
                                                     const ModelInput &In) {
  // Every sample is scored independently (graphs never share edges), so
  // large batches run in slices that stay in cache; the scores are the same
  // exact integers whatever the slicing.
  const ModelConfig &C = Q.Config;
  size_t B = In.BatchSize;
  std::vector<int32_t> Out;
  Out.reserve(B * C.NumOutputs);
  if (C.Kind == ModelKind::MLP) {
    const size_t Slice = 512;
    unsigned F = C.NumFeatures, FPad = padTo(F);
    std::vector<int8_t> X;
    for (size_t B0 = 0; B0 < B; B0 += Slice) {
      size_t NB = std::min(Slice, B - B0);
      X.assign(NB * FPad, 0);
      for (size_t I = 0; I < NB; ++I)
        cpu::quantizeCounts(1, F, In.Counts + (B0 + I) * F, &X[I * FPad]);
      std::vector<int32_t> Part = runHead(Q, NB, X);
      Out.insert(Out.end(), Part.begin(), Part.end());
    }
    return Out;
  }
  const GraphBatch &G = *In.Graphs;
  const size_t MaxNodes = 4096;
  if (G.numNodes() <= MaxNodes)
    return runGraphs(Q, G);
  for (size_t G0 = 0; G0 < B;) {
    size_t G1 = G0 + 1;
    while (G1 < B && G.GraphPtr[G1 + 1] - G.GraphPtr[G0] <= MaxNodes)
      ++G1;
    std::vector<int32_t> Part = runGraphs(Q, sliceGraphs(G, G0, G1));
    Out.insert(Out.end(), Part.begin(), Part.end());
    G0 = G1;
  }
  return Out;
}
