//===- CudaRunner.cu - The integer model on the GPU -----------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CUDA ModelRunner: the same integer pipeline as
// runQuantizedCPU (lib/Model/Quantize.cpp), step for step, with cuBLAS int8
// GEMM and the kernels of this folder. Weights stay resident on the GPU;
// scratch buffers only grow. Every CUDA and cuBLAS call is status-checked
// and any failure becomes an evaluate() error, never a crash.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "neuropt/Model/CudaBackend.h"
#include "neuropt/Model/Runner.h"

#include <cstring>
#include <vector>

using namespace neuropt;
using namespace neuropt::model;

namespace {
/// A QLinear resident on the GPU.
struct DeviceLayer {
  const QLinear *Host = nullptr;
  cuda::DeviceBuffer<int8_t> W;
  cuda::DeviceBuffer<int32_t> Bias, Mult, Shift;
};

class CUDARunner final : public ModelRunner {
public:
  CUDARunner(std::shared_ptr<const QuantModel> Q,
             std::unique_ptr<cuda::Context> Ctx)
      : Q(std::move(Q)), Ctx(std::move(Ctx)) {}

  const char *backendName() const override { return "cuda"; }
  const ModelConfig *config() const override { return &Q->Config; }

  Status upload() {
    cudaStream_t S = Ctx->Stream;
    auto Up = [&](const QLinear &L, DeviceLayer &D) -> Status {
      D.Host = &L;
      if (Status E = D.W.upload(L.W.data(), L.W.size(), S))
        return E;
      if (Status E = D.Bias.upload(L.Bias.data(), L.Bias.size(), S))
        return E;
      if (Status E = D.Mult.upload(L.Mult.data(), L.Mult.size(), S))
        return E;
      return D.Shift.upload(L.Shift.data(), L.Shift.size(), S);
    };
    Sage.resize(Q->Sage.size());
    Head.resize(Q->Head.size());
    for (size_t I = 0; I < Sage.size(); ++I)
      if (Status E = Up(Q->Sage[I], Sage[I]))
        return E;
    for (size_t I = 0; I < Head.size(); ++I)
      if (Status E = Up(Q->Head[I], Head[I]))
        return E;
    if (!Q->Embedding.empty())
      if (Status E = Emb.upload(Q->Embedding.data(), Q->Embedding.size(), S))
        return E;
    NEUROPT_CUDA_TRY(cudaStreamSynchronize(S));
    return Status::success();
  }

  StatusOr<Scores> evaluate(const ModelInput &In) override {
    if (Status S = validateInput(Q->Config, In))
      return S;
    Scores R;
    R.Batch = In.BatchSize;
    R.NumOutputs = Q->Config.NumOutputs;
    R.Scale = Q->ScoreScale;
    if (!In.BatchSize)
      return R;
    if (Status S = run(In, R.Raw))
      return Status::error("CUDA runner: " + S.message());
    return R;
  }

private:
  /// The head layers on X [B, Head[0].InPad] (device), into Out.
  Status runHead(size_t B, cuda::DeviceBuffer<int8_t> *X,
                 std::vector<int32_t> &Out) {
    cudaStream_t S = Ctx->Stream;
    cuda::DeviceBuffer<int8_t> *Next = X == &Act0 ? &Act1 : &Act0;
    for (DeviceLayer &L : Head) {
      const QLinear &H = *L.Host;
      if (Status E = Acc.reserve(B * H.OutPad))
        return E;
      if (Status E = cuda::gemmS8S32(Ctx->Handle, B, H.OutPad, H.InPad,
                                     X->get(), L.W.get(), Acc.get()))
        return E;
      if (H.Requant) {
        if (Status E = Next->reserve(B * H.OutPad))
          return E;
        if (Status E = cuda::requantizeRows(S, B, H.OutPad, Acc.get(),
                                            L.Bias.get(), L.Mult.get(),
                                            L.Shift.get(), H.Relu,
                                            Next->get()))
          return E;
        std::swap(X, Next);
      } else if (Status E = cuda::addBiasS32(S, B, H.OutPad, L.Bias.get(),
                                             Acc.get())) {
        return E;
      }
    }
    const QLinear &Last = *Head.back().Host;
    std::vector<int32_t> All(B * Last.OutPad);
    if (Status E = Acc.download(All.data(), All.size(), S))
      return E;
    Out.resize(B * Last.Out);
    for (size_t I = 0; I < B; ++I)
      std::memcpy(&Out[I * Last.Out], &All[I * Last.OutPad],
                  Last.Out * sizeof(int32_t));
    return Status::success();
  }

  Status run(const ModelInput &In, std::vector<int32_t> &Out) {
    cudaStream_t S = Ctx->Stream;
    const ModelConfig &C = Q->Config;
    size_t B = In.BatchSize;
    if (C.Kind == ModelKind::MLP) {
      unsigned F = C.NumFeatures, FPad = padTo(F);
      if (Status E = Counts.upload(In.Counts, B * F, S))
        return E;
      if (Status E = Act0.reserve(B * FPad))
        return E;
      NEUROPT_CUDA_TRY(cudaMemsetAsync(Act0.get(), 0, B * FPad, S));
      if (Status E = cuda::quantizeCounts(S, B, F, FPad, Counts.get(),
                                          Act0.get()))
        return E;
      return runHead(B, &Act0, Out);
    }
    const GraphBatch &G = *In.Graphs;
    size_t N = G.numNodes();
    unsigned DPad = padTo(C.EmbedDim);
    unsigned Kinds = C.NumEdgeKinds;
    size_t W = size_t(C.sageInputBlocks()) * DPad;
    // The per-kind CSRs are built on the host (as the CPU runner does) and
    // uploaded once per call.
    KindedEdges Edges = splitEdgesByKind(G, Kinds);
    KindRowPtr.resize(Kinds);
    KindCol.resize(Kinds);
    for (unsigned K = 0; K < Kinds; ++K) {
      if (Status E = KindRowPtr[K].upload(Edges.RowPtr[K].data(),
                                          Edges.RowPtr[K].size(), S))
        return E;
      if (Status E = KindCol[K].upload(Edges.Col[K].data(),
                                       Edges.Col[K].size(), S))
        return E;
    }
    if (Status E = NodeType.upload(G.NodeType.data(), N, S))
      return E;
    if (Status E = GraphPtr.upload(G.GraphPtr.data(), G.GraphPtr.size(), S))
      return E;
    if (Status E = Cat.reserve(N * W))
      return E;
    if (Status E = Hidden.reserve(N * DPad))
      return E;
    if (Status E = Acc.reserve(N * DPad))
      return E;
    if (Status E = PoolCol.reserve(N))
      return E;
    if (N) {
      NEUROPT_CUDA_TRY(cudaMemsetAsync(Cat.get(), 0, N * W, S));
    }
    if (Status E = cuda::embeddingS8(S, N, DPad, NodeType.get(), Emb.get(),
                                     DPad, Cat.get(), W))
      return E;
    for (DeviceLayer &L : Sage) {
      for (unsigned K = 0; K < Kinds; ++K)
        if (Status E = cuda::segmentMeanS8(
                S, N, DPad, KindRowPtr[K].get(), KindCol[K].get(), Cat.get(),
                W, Cat.get() + (1 + K) * DPad, W))
          return E;
      if (Status E = cuda::gemmS8S32(Ctx->Handle, N, DPad, W, Cat.get(),
                                     L.W.get(), Acc.get()))
        return E;
      if (Status E = cuda::requantizeRows(S, N, DPad, Acc.get(), L.Bias.get(),
                                          L.Mult.get(), L.Shift.get(), true,
                                          Hidden.get()))
        return E;
      if (Status E = cuda::copyRowsS8(S, N, DPad, Hidden.get(), DPad,
                                      Cat.get(), W))
        return E;
    }
    if (Status E = cuda::iotaU32(S, N, PoolCol.get()))
      return E;
    if (Status E = Act0.reserve(B * DPad))
      return E;
    if (Status E = cuda::segmentMeanS8(S, B, DPad, GraphPtr.get(),
                                       PoolCol.get(), Cat.get(), W,
                                       Act0.get(), DPad))
      return E;
    return runHead(B, &Act0, Out);
  }

  std::shared_ptr<const QuantModel> Q;
  std::unique_ptr<cuda::Context> Ctx;
  std::vector<DeviceLayer> Sage, Head;
  cuda::DeviceBuffer<int8_t> Emb, Act0, Act1, Cat, Hidden;
  cuda::DeviceBuffer<int32_t> Acc;
  cuda::DeviceBuffer<int64_t> Counts;
  cuda::DeviceBuffer<uint32_t> NodeType, GraphPtr, PoolCol;
  std::vector<cuda::DeviceBuffer<uint32_t>> KindRowPtr, KindCol;
};
} // namespace

StatusOr<std::unique_ptr<ModelRunner>>
neuropt::model::cudaimpl::createRunner(std::shared_ptr<const QuantModel> Q) {
  if (!Q)
    return Status::error("no model to run");
  StatusOr<std::unique_ptr<cuda::Context>> Ctx = cuda::Context::create();
  if (!Ctx)
    return Ctx.takeError();
  auto R = std::make_unique<CUDARunner>(std::move(Q), std::move(*Ctx));
  if (Status S = R->upload())
    return S;
  return std::unique_ptr<ModelRunner>(std::move(R));
}
