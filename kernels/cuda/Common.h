//===- Common.h - Shared helpers of kernels/cuda (internal) -----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Status-checking macros for every CUDA and cuBLAS call, an owning device
// buffer, and the launchers of every kernel. Internal to kernels/cuda:
// nothing outside this folder includes CUDA headers.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_KERNELS_CUDA_COMMON_H
#define NEUROPT_KERNELS_CUDA_COMMON_H

#include "neuropt/Model/Status.h"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace neuropt {
namespace model {
namespace cuda {

/// The error for a failed CUDA runtime call.
Status cudaFailure(cudaError_t E, const char *Expr, const char *File, int Line);
/// The error for a failed cuBLAS call.
Status cublasFailure(cublasStatus_t S, const char *Expr, const char *File,
                     int Line);

#define NEUROPT_CUDA_TRY(Expr)                                                 \
  do {                                                                         \
    cudaError_t NeuroptErr_ = (Expr);                                          \
    if (NeuroptErr_ != cudaSuccess)                                            \
      return ::neuropt::model::cuda::cudaFailure(NeuroptErr_, #Expr, __FILE__, \
                                                 __LINE__);                    \
  } while (0)

#define NEUROPT_CUBLAS_TRY(Expr)                                               \
  do {                                                                         \
    cublasStatus_t NeuroptErr_ = (Expr);                                       \
    if (NeuroptErr_ != CUBLAS_STATUS_SUCCESS)                                  \
      return ::neuropt::model::cuda::cublasFailure(NeuroptErr_, #Expr,         \
                                                   __FILE__, __LINE__);        \
  } while (0)

/// Checks the launch of the kernel just enqueued.
#define NEUROPT_LAUNCH_CHECK() NEUROPT_CUDA_TRY(cudaGetLastError())

/// A precondition failure of a launcher.
#define NEUROPT_REQUIRE(Cond, Msg)                                             \
  do {                                                                         \
    if (!(Cond))                                                               \
      return ::neuropt::model::Status::error(std::string("CUDA launcher: ") +  \
                                             (Msg));                           \
  } while (0)

/// Grid size for a grid-stride loop over N elements.
inline unsigned gridFor(size_t N, unsigned Block = 256) {
  size_t G = (N + Block - 1) / Block;
  return unsigned(G < 1 ? 1 : (G > 65535u * 8 ? 65535u * 8 : G));
}

/// An owning device allocation that only grows.
template <typename T> class DeviceBuffer {
public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  DeviceBuffer(DeviceBuffer &&O) noexcept : Ptr(O.Ptr), Cap(O.Cap) {
    O.Ptr = nullptr;
    O.Cap = 0;
  }
  ~DeviceBuffer() {
    if (Ptr)
      cudaFree(Ptr);
  }
  /// Ensures room for \p N elements (contents are not preserved).
  Status reserve(size_t N) {
    if (N <= Cap)
      return Status::success();
    if (Ptr)
      NEUROPT_CUDA_TRY(cudaFree(Ptr));
    Ptr = nullptr;
    Cap = 0;
    NEUROPT_CUDA_TRY(cudaMalloc(reinterpret_cast<void **>(&Ptr),
                                (N ? N : 1) * sizeof(T)));
    Cap = N;
    return Status::success();
  }
  /// Copies \p N host elements in, growing as needed.
  Status upload(const T *Host, size_t N, cudaStream_t S) {
    if (Status E = reserve(N))
      return E;
    if (N)
      NEUROPT_CUDA_TRY(
          cudaMemcpyAsync(Ptr, Host, N * sizeof(T), cudaMemcpyHostToDevice, S));
    return Status::success();
  }
  /// Copies \p N elements out and waits for the stream.
  Status download(T *Host, size_t N, cudaStream_t S) const {
    if (N)
      NEUROPT_CUDA_TRY(
          cudaMemcpyAsync(Host, Ptr, N * sizeof(T), cudaMemcpyDeviceToHost, S));
    NEUROPT_CUDA_TRY(cudaStreamSynchronize(S));
    return Status::success();
  }
  T *get() const { return Ptr; }

private:
  T *Ptr = nullptr;
  size_t Cap = 0;
};

/// A cuBLAS handle bound to a private stream on the current device.
class Context {
public:
  /// Fails with the reason when no GPU is usable.
  static StatusOr<std::unique_ptr<Context>> create();
  ~Context();
  cublasHandle_t Handle = nullptr;
  cudaStream_t Stream = nullptr;
  std::string Description;
};

//===-- Launchers (one .cu per op family, beside kernels/cpu) -------------===//

// Gemm.cu
Status sgemmRowMajor(cublasHandle_t H, bool TransA, bool TransB, size_t M,
                     size_t N, size_t K, const float *A, const float *B,
                     float *C);
Status gemmS8S32(cublasHandle_t H, size_t M, size_t N, size_t K,
                 const int8_t *A, const int8_t *W, int32_t *C);

// Elementwise.cu
Status biasForward(cudaStream_t S, size_t R, size_t C, const float *Bias,
                   float *Y);
Status biasBackward(cudaStream_t S, size_t R, size_t C, const float *DY,
                    float *DBias);
Status addForward(cudaStream_t S, size_t N, const float *X, const float *Y,
                  float *Z);
Status reluForward(cudaStream_t S, size_t N, const float *X, float *Y);
Status reluBackward(cudaStream_t S, size_t N, const float *X, const float *DY,
                    float *DX);
Status geluForward(cudaStream_t S, size_t N, const float *X, float *Y);
Status geluBackward(cudaStream_t S, size_t N, const float *X, const float *DY,
                    float *DX);

// LayerNorm.cu
Status layerNormForward(cudaStream_t S, size_t R, size_t C, const float *X,
                        const float *Gamma, const float *Beta, float Eps,
                        float *Y, float *Mean, float *Rstd);

// Softmax.cu
Status softmaxForward(cudaStream_t S, size_t R, size_t C, const float *X,
                      float *Y);
Status logSoftmaxForward(cudaStream_t S, size_t R, size_t C, const float *X,
                         float *Y);

// Embedding.cu
Status embeddingForward(cudaStream_t S, size_t N, size_t D,
                        const uint32_t *Ids, const float *Table, float *Out);
Status embeddingS8(cudaStream_t S, size_t N, size_t D, const uint32_t *Ids,
                   const int8_t *Table, size_t TableLD, int8_t *Out,
                   size_t OutLD);

// Gather.cu
Status gatherForward(cudaStream_t S, size_t N, size_t D, const uint32_t *Idx,
                     const float *In, float *Out);
Status concatForward(cudaStream_t S, size_t R, size_t CA, size_t CB,
                     const float *A, const float *B, float *Out);
Status copyRowsS8(cudaStream_t S, size_t R, size_t C, const int8_t *In,
                  size_t InLD, int8_t *Out, size_t OutLD);

// Segment.cu
Status segmentForward(cudaStream_t S, bool Mean, size_t R, size_t D,
                      const uint32_t *RowPtr, const uint32_t *Col,
                      const float *In, float *Out);
Status segmentMeanS8(cudaStream_t S, size_t R, size_t D,
                     const uint32_t *RowPtr, const uint32_t *Col,
                     const int8_t *In, size_t InLD, int8_t *Out, size_t OutLD);
Status iotaU32(cudaStream_t S, size_t N, uint32_t *Out);

// Quant.cu
Status quantizeCounts(cudaStream_t S, size_t N, size_t F, size_t OutLD,
                      const int64_t *Counts, int8_t *Out);
Status requantizeRows(cudaStream_t S, size_t R, size_t C, const int32_t *Acc,
                      const int32_t *Bias, const int32_t *Mult,
                      const int32_t *Shift, bool Relu, int8_t *Out);
Status addBiasS32(cudaStream_t S, size_t R, size_t C, const int32_t *Bias,
                  int32_t *Acc);

} // namespace cuda
} // namespace model
} // namespace neuropt

#endif // NEUROPT_KERNELS_CUDA_COMMON_H
