//===- Segment.cu - CUDA segment sum and mean over CSR graphs -------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements message aggregation beside kernels/cpu/Segment.cpp:
// one thread per (row, column) walks the row's edges in CSR order, so the
// float sums add in the same order as the CPU and the integer mean is exact.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "neuropt/Model/QuantMath.h"

using namespace neuropt;
using namespace neuropt::model;

static __global__ void segmentKernel(bool Mean, size_t R, size_t D,
                                     const uint32_t *RowPtr,
                                     const uint32_t *Col, const float *In,
                                     float *Out) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < R * D;
       I += size_t(gridDim.x) * blockDim.x) {
    size_t Row = I / D, C = I % D;
    uint32_t B = RowPtr[Row], E = RowPtr[Row + 1];
    float S = 0;
    for (uint32_t K = B; K < E; ++K)
      S += In[size_t(Col[K]) * D + C];
    if (Mean && E > B)
      S *= 1.0f / float(E - B);
    Out[I] = S;
  }
}

static __global__ void segmentMeanS8Kernel(size_t R, size_t D,
                                           const uint32_t *RowPtr,
                                           const uint32_t *Col,
                                           const int8_t *In, size_t InLD,
                                           int8_t *Out, size_t OutLD) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < R * D;
       I += size_t(gridDim.x) * blockDim.x) {
    size_t Row = I / D, C = I % D;
    uint32_t B = RowPtr[Row], E = RowPtr[Row + 1];
    int32_t S = 0;
    for (uint32_t K = B; K < E; ++K)
      S += In[size_t(Col[K]) * InLD + C];
    Out[Row * OutLD + C] =
        E > B ? saturateS8(divRoundHalfUp(S, int64_t(E - B))) : int8_t(0);
  }
}

static __global__ void iotaKernel(size_t N, uint32_t *Out) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < N;
       I += size_t(gridDim.x) * blockDim.x)
    Out[I] = uint32_t(I);
}

Status cuda::segmentForward(cudaStream_t S, bool Mean, size_t R, size_t D,
                            const uint32_t *RowPtr, const uint32_t *Col,
                            const float *In, float *Out) {
  if (!R || !D)
    return Status::success();
  segmentKernel<<<gridFor(R * D), 256, 0, S>>>(Mean, R, D, RowPtr, Col, In,
                                               Out);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::segmentMeanS8(cudaStream_t S, size_t R, size_t D,
                           const uint32_t *RowPtr, const uint32_t *Col,
                           const int8_t *In, size_t InLD, int8_t *Out,
                           size_t OutLD) {
  NEUROPT_REQUIRE(InLD >= D && OutLD >= D, "segment strides below width");
  if (!R || !D)
    return Status::success();
  segmentMeanS8Kernel<<<gridFor(R * D), 256, 0, S>>>(R, D, RowPtr, Col, In,
                                                     InLD, Out, OutLD);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::iotaU32(cudaStream_t S, size_t N, uint32_t *Out) {
  if (!N)
    return Status::success();
  iotaKernel<<<gridFor(N), 256, 0, S>>>(N, Out);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}
