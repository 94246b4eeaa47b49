//===- Gather.cu - CUDA row gather, column concat and strided copy --------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements gather and concat beside kernels/cpu/Gather.cpp, and
// the strided int8 row copy the GNN's integer path uses.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

using namespace neuropt;
using namespace neuropt::model;

static __global__ void gatherKernel(size_t N, size_t D, const uint32_t *Idx,
                                    const float *In, float *Out) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < N * D;
       I += size_t(gridDim.x) * blockDim.x)
    Out[I] = In[size_t(Idx[I / D]) * D + I % D];
}

static __global__ void concatKernel(size_t R, size_t CA, size_t CB,
                                    const float *A, const float *B,
                                    float *Out) {
  size_t W = CA + CB;
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < R * W;
       I += size_t(gridDim.x) * blockDim.x) {
    size_t Row = I / W, C = I % W;
    Out[I] = C < CA ? A[Row * CA + C] : B[Row * CB + (C - CA)];
  }
}

static __global__ void copyRowsKernel(size_t R, size_t C, const int8_t *In,
                                      size_t InLD, int8_t *Out, size_t OutLD) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < R * C;
       I += size_t(gridDim.x) * blockDim.x)
    Out[(I / C) * OutLD + I % C] = In[(I / C) * InLD + I % C];
}

Status cuda::gatherForward(cudaStream_t S, size_t N, size_t D,
                           const uint32_t *Idx, const float *In, float *Out) {
  if (!N || !D)
    return Status::success();
  gatherKernel<<<gridFor(N * D), 256, 0, S>>>(N, D, Idx, In, Out);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::concatForward(cudaStream_t S, size_t R, size_t CA, size_t CB,
                           const float *A, const float *B, float *Out) {
  if (!R || !(CA + CB))
    return Status::success();
  concatKernel<<<gridFor(R * (CA + CB)), 256, 0, S>>>(R, CA, CB, A, B, Out);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::copyRowsS8(cudaStream_t S, size_t R, size_t C, const int8_t *In,
                        size_t InLD, int8_t *Out, size_t OutLD) {
  NEUROPT_REQUIRE(InLD >= C && OutLD >= C, "row copy strides below width");
  if (!R || !C)
    return Status::success();
  copyRowsKernel<<<gridFor(R * C), 256, 0, S>>>(R, C, In, InLD, Out, OutLD);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}
