//===- CudaOps.cu - Host-pointer access to every CUDA kernel --------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CUDA context, GPU detection (a build with CUDA on
// a machine without a GPU reports that cleanly), and CudaOps: each op
// uploads its inputs, runs the kernel of this folder and downloads the
// result, so tests compare it with kernels/cpu without seeing CUDA types.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "neuropt/Model/CudaBackend.h"
#include "neuropt/Model/CudaOps.h"
#include "neuropt/Model/Runner.h"

#include <cstring>
#include <vector>

using namespace neuropt;
using namespace neuropt::model;

Status neuropt::model::cudaimpl::availability() {
  int N = 0;
  cudaError_t E = cudaGetDeviceCount(&N);
  if (E != cudaSuccess) {
    cudaGetLastError(); // clear the sticky error state
    return Status::error(std::string("no usable CUDA GPU (") +
                         cudaGetErrorName(E) + ": " + cudaGetErrorString(E) +
                         ")");
  }
  if (N == 0)
    return Status::error("no CUDA GPU present");
  return Status::success();
}

StatusOr<std::unique_ptr<cuda::Context>> cuda::Context::create() {
  if (Status S = cudaimpl::availability())
    return S;
  auto C = std::make_unique<Context>();
  int Dev = 0;
  NEUROPT_CUDA_TRY(cudaGetDevice(&Dev));
  cudaDeviceProp Prop;
  NEUROPT_CUDA_TRY(cudaGetDeviceProperties(&Prop, Dev));
  C->Description = std::string(Prop.name) + " (sm_" +
                   std::to_string(Prop.major) + std::to_string(Prop.minor) +
                   ")";
  NEUROPT_CUDA_TRY(cudaStreamCreateWithFlags(&C->Stream, cudaStreamNonBlocking));
  NEUROPT_CUBLAS_TRY(cublasCreate(&C->Handle));
  NEUROPT_CUBLAS_TRY(cublasSetStream(C->Handle, C->Stream));
  // Keep cuBLAS deterministic: no atomics-based reductions.
  NEUROPT_CUBLAS_TRY(cublasSetAtomicsMode(C->Handle, CUBLAS_ATOMICS_NOT_ALLOWED));
  return StatusOr<std::unique_ptr<Context>>(std::move(C));
}

cuda::Context::~Context() {
  // Destructors cannot report; failures here only leak on a dying context.
  if (Handle)
    cublasDestroy(Handle);
  if (Stream)
    cudaStreamDestroy(Stream);
}

namespace {
class CudaOpsImpl final : public CudaOps {
public:
  explicit CudaOpsImpl(std::unique_ptr<cuda::Context> C) : Ctx(std::move(C)) {}
  std::string deviceDescription() const override { return Ctx->Description; }

  template <typename T>
  Status in(cuda::DeviceBuffer<T> &B, const T *H, size_t N) {
    return B.upload(H, N, Ctx->Stream);
  }
  template <typename T>
  Status out(cuda::DeviceBuffer<T> &B, T *H, size_t N) {
    return B.download(H, N, Ctx->Stream);
  }
  template <typename T> Status alloc(cuda::DeviceBuffer<T> &B, size_t N) {
    return B.reserve(N);
  }

#define TRY(X)                                                                 \
  do {                                                                         \
    if (Status S_ = (X))                                                       \
      return S_;                                                               \
  } while (0)

  Status gemmF32(bool TA, bool TB, size_t M, size_t N, size_t K,
                 const float *A, const float *B, float *C) override {
    cuda::DeviceBuffer<float> DA, DB, DC;
    TRY(in(DA, A, M * K));
    TRY(in(DB, B, K * N));
    TRY(alloc(DC, M * N));
    TRY(cuda::sgemmRowMajor(Ctx->Handle, TA, TB, M, N, K, DA.get(), DB.get(),
                            DC.get()));
    return out(DC, C, M * N);
  }
  Status gemmS8S32(size_t M, size_t N, size_t K, const int8_t *A,
                   const int8_t *W, int32_t *C) override {
    cuda::DeviceBuffer<int8_t> DA, DW;
    cuda::DeviceBuffer<int32_t> DC;
    TRY(in(DA, A, M * K));
    TRY(in(DW, W, N * K));
    TRY(alloc(DC, M * N));
    TRY(cuda::gemmS8S32(Ctx->Handle, M, N, K, DA.get(), DW.get(), DC.get()));
    return out(DC, C, M * N);
  }
  Status biasForward(size_t R, size_t C, const float *Bias,
                     float *Y) override {
    cuda::DeviceBuffer<float> DB, DY;
    TRY(in(DB, Bias, C));
    TRY(in(DY, Y, R * C));
    TRY(cuda::biasForward(Ctx->Stream, R, C, DB.get(), DY.get()));
    return out(DY, Y, R * C);
  }
  Status biasBackward(size_t R, size_t C, const float *DY,
                      float *DBias) override {
    cuda::DeviceBuffer<float> DDY, DDB;
    TRY(in(DDY, DY, R * C));
    TRY(in(DDB, DBias, C));
    TRY(cuda::biasBackward(Ctx->Stream, R, C, DDY.get(), DDB.get()));
    return out(DDB, DBias, C);
  }
  Status addForward(size_t N, const float *X, const float *Y,
                    float *Z) override {
    cuda::DeviceBuffer<float> DX, DY, DZ;
    TRY(in(DX, X, N));
    TRY(in(DY, Y, N));
    TRY(alloc(DZ, N));
    TRY(cuda::addForward(Ctx->Stream, N, DX.get(), DY.get(), DZ.get()));
    return out(DZ, Z, N);
  }
  Status unary(Status (*Fn)(cudaStream_t, size_t, const float *, float *),
               size_t N, const float *X, float *Y) {
    cuda::DeviceBuffer<float> DX, DY;
    TRY(in(DX, X, N));
    TRY(alloc(DY, N));
    TRY(Fn(Ctx->Stream, N, DX.get(), DY.get()));
    return out(DY, Y, N);
  }
  Status binary(Status (*Fn)(cudaStream_t, size_t, const float *,
                             const float *, float *),
                size_t N, const float *X, const float *DY, float *DX) {
    cuda::DeviceBuffer<float> BX, BDY, BDX;
    TRY(in(BX, X, N));
    TRY(in(BDY, DY, N));
    TRY(alloc(BDX, N));
    TRY(Fn(Ctx->Stream, N, BX.get(), BDY.get(), BDX.get()));
    return out(BDX, DX, N);
  }
  Status reluForward(size_t N, const float *X, float *Y) override {
    return unary(cuda::reluForward, N, X, Y);
  }
  Status reluBackward(size_t N, const float *X, const float *DY,
                      float *DX) override {
    return binary(cuda::reluBackward, N, X, DY, DX);
  }
  Status geluForward(size_t N, const float *X, float *Y) override {
    return unary(cuda::geluForward, N, X, Y);
  }
  Status geluBackward(size_t N, const float *X, const float *DY,
                      float *DX) override {
    return binary(cuda::geluBackward, N, X, DY, DX);
  }
  Status layerNormForward(size_t R, size_t C, const float *X,
                          const float *Gamma, const float *Beta, float Eps,
                          float *Y, float *Mean, float *Rstd) override {
    cuda::DeviceBuffer<float> DX, DG, DB, DY, DM, DR;
    TRY(in(DX, X, R * C));
    TRY(in(DG, Gamma, C));
    TRY(in(DB, Beta, C));
    TRY(alloc(DY, R * C));
    TRY(alloc(DM, R));
    TRY(alloc(DR, R));
    TRY(cuda::layerNormForward(Ctx->Stream, R, C, DX.get(), DG.get(), DB.get(),
                               Eps, DY.get(), DM.get(), DR.get()));
    TRY(out(DY, Y, R * C));
    TRY(out(DM, Mean, R));
    return out(DR, Rstd, R);
  }
  Status rows(Status (*Fn)(cudaStream_t, size_t, size_t, const float *,
                           float *),
              size_t R, size_t C, const float *X, float *Y) {
    cuda::DeviceBuffer<float> DX, DY;
    TRY(in(DX, X, R * C));
    TRY(alloc(DY, R * C));
    TRY(Fn(Ctx->Stream, R, C, DX.get(), DY.get()));
    return out(DY, Y, R * C);
  }
  Status softmaxForward(size_t R, size_t C, const float *X,
                        float *Y) override {
    return rows(cuda::softmaxForward, R, C, X, Y);
  }
  Status logSoftmaxForward(size_t R, size_t C, const float *X,
                           float *Y) override {
    return rows(cuda::logSoftmaxForward, R, C, X, Y);
  }
  Status embeddingForward(size_t N, size_t D, size_t Rows, const uint32_t *Ids,
                          const float *Table, float *Out) override {
    for (size_t I = 0; I < N; ++I)
      NEUROPT_REQUIRE(Ids[I] < Rows, "embedding id out of range");
    cuda::DeviceBuffer<uint32_t> DI;
    cuda::DeviceBuffer<float> DT, DO;
    TRY(in(DI, Ids, N));
    TRY(in(DT, Table, Rows * D));
    TRY(alloc(DO, N * D));
    TRY(cuda::embeddingForward(Ctx->Stream, N, D, DI.get(), DT.get(),
                               DO.get()));
    return out(DO, Out, N * D);
  }
  Status gatherForward(size_t N, size_t D, size_t Rows, const uint32_t *Idx,
                       const float *In, float *Out) override {
    for (size_t I = 0; I < N; ++I)
      NEUROPT_REQUIRE(Idx[I] < Rows, "gather index out of range");
    cuda::DeviceBuffer<uint32_t> DI;
    cuda::DeviceBuffer<float> DT, DO;
    TRY(in(DI, Idx, N));
    TRY(in(DT, In, Rows * D));
    TRY(alloc(DO, N * D));
    TRY(cuda::gatherForward(Ctx->Stream, N, D, DI.get(), DT.get(), DO.get()));
    return out(DO, Out, N * D);
  }
  Status concatForward(size_t R, size_t CA, size_t CB, const float *A,
                       const float *B, float *Out) override {
    cuda::DeviceBuffer<float> DA, DB, DO;
    TRY(in(DA, A, R * CA));
    TRY(in(DB, B, R * CB));
    TRY(alloc(DO, R * (CA + CB)));
    TRY(cuda::concatForward(Ctx->Stream, R, CA, CB, DA.get(), DB.get(),
                            DO.get()));
    return out(DO, Out, R * (CA + CB));
  }
  Status segmentForward(bool Mean, size_t R, size_t D, size_t InRows,
                        const uint32_t *RowPtr, const uint32_t *Col,
                        const float *In, float *Out) override {
    size_t E = RowPtr[R];
    cuda::DeviceBuffer<uint32_t> DR, DC;
    cuda::DeviceBuffer<float> DI, DO;
    TRY(in(DR, RowPtr, R + 1));
    TRY(in(DC, Col, E));
    TRY(in(DI, In, InRows * D));
    TRY(alloc(DO, R * D));
    TRY(cuda::segmentForward(Ctx->Stream, Mean, R, D, DR.get(), DC.get(),
                             DI.get(), DO.get()));
    return out(DO, Out, R * D);
  }
  Status quantizeCounts(size_t N, size_t F, const int64_t *Counts,
                        int8_t *Out) override {
    cuda::DeviceBuffer<int64_t> DC;
    cuda::DeviceBuffer<int8_t> DO;
    TRY(in(DC, Counts, N * F));
    TRY(alloc(DO, N * F));
    TRY(cuda::quantizeCounts(Ctx->Stream, N, F, F, DC.get(), DO.get()));
    return out(DO, Out, N * F);
  }
  Status requantizeRows(size_t R, size_t C, const int32_t *Acc,
                        const int32_t *Bias, const int32_t *Mult,
                        const int32_t *Shift, bool Relu,
                        int8_t *Out) override {
    cuda::DeviceBuffer<int32_t> DA, DB, DM, DS;
    cuda::DeviceBuffer<int8_t> DO;
    TRY(in(DA, Acc, R * C));
    TRY(in(DB, Bias, C));
    TRY(in(DM, Mult, C));
    TRY(in(DS, Shift, C));
    TRY(alloc(DO, R * C));
    TRY(cuda::requantizeRows(Ctx->Stream, R, C, DA.get(), DB.get(), DM.get(),
                             DS.get(), Relu, DO.get()));
    return out(DO, Out, R * C);
  }
  Status segmentMeanS8(size_t R, size_t D, size_t InRows,
                       const uint32_t *RowPtr, const uint32_t *Col,
                       const int8_t *In, int8_t *Out) override {
    size_t E = RowPtr[R];
    cuda::DeviceBuffer<uint32_t> DR, DC;
    cuda::DeviceBuffer<int8_t> DI, DO;
    TRY(in(DR, RowPtr, R + 1));
    TRY(in(DC, Col, E));
    TRY(in(DI, In, InRows * D));
    TRY(alloc(DO, R * D));
    TRY(cuda::segmentMeanS8(Ctx->Stream, R, D, DR.get(), DC.get(), DI.get(), D,
                            DO.get(), D));
    return out(DO, Out, R * D);
  }

  StatusOr<double> timeGemm(bool Int8, size_t M, size_t N, size_t K,
                            unsigned Iters) override {
    size_t Elem = Int8 ? 1 : 4;
    cuda::DeviceBuffer<char> A, W, C;
    TRY(A.reserve(M * K * Elem));
    TRY(W.reserve(N * K * Elem));
    TRY(C.reserve(M * N * 4));
    // Random operands (zeros can run faster than real data): int8 codes in
    // [-127, 127], or floats in [-1, 1).
    std::vector<char> Host((M > N ? M : N) * K * Elem);
    uint64_t X = 0x9E3779B97F4A7C15ULL;
    for (size_t I = 0; I < Host.size() / Elem; ++I) {
      X ^= X << 13;
      X ^= X >> 7;
      X ^= X << 17;
      if (Int8) {
        Host[I] = char(int(X % 255) - 127);
      } else {
        float F = float(X >> 40) / float(1 << 24) * 2.0f - 1.0f;
        std::memcpy(&Host[I * 4], &F, 4);
      }
    }
    NEUROPT_CUDA_TRY(cudaMemcpyAsync(A.get(), Host.data(), M * K * Elem,
                                     cudaMemcpyHostToDevice, Ctx->Stream));
    NEUROPT_CUDA_TRY(cudaMemcpyAsync(W.get(), Host.data(), N * K * Elem,
                                     cudaMemcpyHostToDevice, Ctx->Stream));
    NEUROPT_CUDA_TRY(cudaStreamSynchronize(Ctx->Stream));
    auto Run = [&]() -> Status {
      if (Int8)
        return cuda::gemmS8S32(Ctx->Handle, M, N, K,
                               reinterpret_cast<int8_t *>(A.get()),
                               reinterpret_cast<int8_t *>(W.get()),
                               reinterpret_cast<int32_t *>(C.get()));
      return cuda::sgemmRowMajor(Ctx->Handle, false, true, M, N, K,
                                 reinterpret_cast<float *>(A.get()),
                                 reinterpret_cast<float *>(W.get()),
                                 reinterpret_cast<float *>(C.get()));
    };
    TRY(Run()); // warm-up (heuristics, kernel load)
    cudaEvent_t Start, Stop;
    NEUROPT_CUDA_TRY(cudaEventCreate(&Start));
    NEUROPT_CUDA_TRY(cudaEventCreate(&Stop));
    NEUROPT_CUDA_TRY(cudaEventRecord(Start, Ctx->Stream));
    for (unsigned I = 0; I < Iters; ++I)
      TRY(Run());
    NEUROPT_CUDA_TRY(cudaEventRecord(Stop, Ctx->Stream));
    NEUROPT_CUDA_TRY(cudaEventSynchronize(Stop));
    float Ms = 0;
    NEUROPT_CUDA_TRY(cudaEventElapsedTime(&Ms, Start, Stop));
    NEUROPT_CUDA_TRY(cudaEventDestroy(Start));
    NEUROPT_CUDA_TRY(cudaEventDestroy(Stop));
    return double(Ms) / 1000.0 / double(Iters ? Iters : 1);
  }
#undef TRY

private:
  std::unique_ptr<cuda::Context> Ctx;
};
} // namespace

StatusOr<std::unique_ptr<CudaOps>> neuropt::model::cudaimpl::createOps() {
  StatusOr<std::unique_ptr<cuda::Context>> C = cuda::Context::create();
  if (!C)
    return C.takeError();
  return std::unique_ptr<CudaOps>(new CudaOpsImpl(std::move(*C)));
}

const CudaBackendTable *neuropt_cuda_backend() {
  static const CudaBackendTable Table = {
      CudaBackendABIVersion, &cudaimpl::availability, &cudaimpl::createOps,
      &cudaimpl::createRunner, &cudaimpl::filter};
  return &Table;
}
