//===- Embedding.cu - CUDA embedding lookup -------------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the float and int8 embedding lookups beside
// kernels/cpu/Embedding.cpp. Ids are validated on the host before upload.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

using namespace neuropt;
using namespace neuropt::model;

template <typename T>
static __global__ void lookupKernel(size_t N, size_t D, const uint32_t *Ids,
                                    const T *Table, size_t TableLD, T *Out,
                                    size_t OutLD) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < N * D;
       I += size_t(gridDim.x) * blockDim.x) {
    size_t R = I / D, C = I % D;
    Out[R * OutLD + C] = Table[size_t(Ids[R]) * TableLD + C];
  }
}

Status cuda::embeddingForward(cudaStream_t S, size_t N, size_t D,
                              const uint32_t *Ids, const float *Table,
                              float *Out) {
  if (!N || !D)
    return Status::success();
  lookupKernel<float><<<gridFor(N * D), 256, 0, S>>>(N, D, Ids, Table, D, Out,
                                                     D);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::embeddingS8(cudaStream_t S, size_t N, size_t D,
                         const uint32_t *Ids, const int8_t *Table,
                         size_t TableLD, int8_t *Out, size_t OutLD) {
  NEUROPT_REQUIRE(TableLD >= D && OutLD >= D, "embedding strides below width");
  if (!N || !D)
    return Status::success();
  lookupKernel<int8_t><<<gridFor(N * D), 256, 0, S>>>(N, D, Ids, Table,
                                                      TableLD, Out, OutLD);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}
