//===- CudaOps.h - CUDA kernels behind a CUDA-free interface ----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Host-pointer entry points to every kernel in kernels/cuda, so that tests
// and benchmarks can compare each op with its CPU reference without seeing a
// CUDA type. Each call copies its inputs to the GPU, runs the op, and copies
// the result back. createCudaOps() fails (with the reason) when the build
// has no CUDA or no GPU is present; the stub in lib/Model does the former.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_CUDAOPS_H
#define NEUROPT_MODEL_CUDAOPS_H

#include "neuropt/Model/Status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace neuropt {
namespace model {

/// Every CUDA op, on host buffers. Shapes as in Kernels.h.
class CudaOps {
public:
  virtual ~CudaOps() = default;
  /// The GPU's name and compute capability.
  virtual std::string deviceDescription() const = 0;

  /// cuBLAS SGEMM, row-major, C = op(A) op(B) (Alpha 1, Beta 0).
  virtual Status gemmF32(bool TransA, bool TransB, size_t M, size_t N,
                         size_t K, const float *A, const float *B,
                         float *C) = 0;
  /// cuBLAS int8 GEMM: C[M,N] = A[M,K] * W[N,K]^T; M, N, K multiples of 4.
  virtual Status gemmS8S32(size_t M, size_t N, size_t K, const int8_t *A,
                           const int8_t *W, int32_t *C) = 0;

  virtual Status biasForward(size_t R, size_t C, const float *Bias,
                             float *Y) = 0;
  virtual Status biasBackward(size_t R, size_t C, const float *DY,
                              float *DBias) = 0;
  virtual Status addForward(size_t N, const float *X, const float *Y,
                            float *Z) = 0;
  virtual Status reluForward(size_t N, const float *X, float *Y) = 0;
  virtual Status reluBackward(size_t N, const float *X, const float *DY,
                              float *DX) = 0;
  virtual Status geluForward(size_t N, const float *X, float *Y) = 0;
  virtual Status geluBackward(size_t N, const float *X, const float *DY,
                              float *DX) = 0;
  virtual Status layerNormForward(size_t R, size_t C, const float *X,
                                  const float *Gamma, const float *Beta,
                                  float Eps, float *Y, float *Mean,
                                  float *Rstd) = 0;
  virtual Status softmaxForward(size_t R, size_t C, const float *X,
                                float *Y) = 0;
  virtual Status logSoftmaxForward(size_t R, size_t C, const float *X,
                                   float *Y) = 0;
  virtual Status embeddingForward(size_t N, size_t D, size_t Rows,
                                  const uint32_t *Ids, const float *Table,
                                  float *Out) = 0;
  virtual Status gatherForward(size_t N, size_t D, size_t Rows,
                               const uint32_t *Idx, const float *In,
                               float *Out) = 0;
  virtual Status concatForward(size_t R, size_t CA, size_t CB, const float *A,
                               const float *B, float *Out) = 0;
  virtual Status segmentForward(bool Mean, size_t R, size_t D, size_t InRows,
                                const uint32_t *RowPtr, const uint32_t *Col,
                                const float *In, float *Out) = 0;

  // Integer path.
  virtual Status quantizeCounts(size_t N, size_t F, const int64_t *Counts,
                                int8_t *Out) = 0;
  virtual Status requantizeRows(size_t R, size_t C, const int32_t *Acc,
                                const int32_t *Bias, const int32_t *Mult,
                                const int32_t *Shift, bool Relu,
                                int8_t *Out) = 0;
  virtual Status segmentMeanS8(size_t R, size_t D, size_t InRows,
                               const uint32_t *RowPtr, const uint32_t *Col,
                               const int8_t *In, int8_t *Out) = 0;

  /// Times \p Iters cuBLAS GEMMs of [M,K] x [N,K]^T on device-resident data
  /// (int8 -> int32 when Int8, else float) and returns the seconds per GEMM:
  /// the "cuBLAS alone" reference of bench/ModelBM.cpp.
  virtual StatusOr<double> timeGemm(bool Int8, size_t M, size_t N, size_t K,
                                    unsigned Iters) = 0;
};

/// The CUDA ops, or an error saying why there are none.
StatusOr<std::unique_ptr<CudaOps>> createCudaOps();

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_CUDAOPS_H
