//===- Quant.cu - CUDA kernels of the integer inference path --------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements count quantization, requantization and the int32
// bias add beside kernels/cpu/Quant.cpp. All rounding comes from
// QuantMath.h, compiled here by nvcc from the same source as the CPU path,
// which is what makes the two backends agree bit for bit.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "neuropt/Model/QuantMath.h"

using namespace neuropt;
using namespace neuropt::model;

static __global__ void quantizeCountsKernel(size_t N, size_t F, size_t OutLD,
                                            const int64_t *Counts,
                                            int8_t *Out) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < N * F;
       I += size_t(gridDim.x) * blockDim.x)
    Out[(I / F) * OutLD + I % F] = quantizeCount(Counts[I]);
}

static __global__ void requantizeKernel(size_t R, size_t C, const int32_t *Acc,
                                        const int32_t *Bias,
                                        const int32_t *Mult,
                                        const int32_t *Shift, bool Relu,
                                        int8_t *Out) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < R * C;
       I += size_t(gridDim.x) * blockDim.x) {
    size_t J = I % C;
    int64_t V = requantize(Acc[I] + Bias[J], Mult[J], Shift[J]);
    if (Relu && V < 0)
      V = 0;
    Out[I] = saturateS8(V);
  }
}

static __global__ void addBiasKernel(size_t R, size_t C, const int32_t *Bias,
                                     int32_t *Acc) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < R * C;
       I += size_t(gridDim.x) * blockDim.x)
    Acc[I] += Bias[I % C];
}

Status cuda::quantizeCounts(cudaStream_t S, size_t N, size_t F, size_t OutLD,
                            const int64_t *Counts, int8_t *Out) {
  NEUROPT_REQUIRE(OutLD >= F, "count code stride below width");
  if (!N || !F)
    return Status::success();
  quantizeCountsKernel<<<gridFor(N * F), 256, 0, S>>>(N, F, OutLD, Counts,
                                                      Out);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::requantizeRows(cudaStream_t S, size_t R, size_t C,
                            const int32_t *Acc, const int32_t *Bias,
                            const int32_t *Mult, const int32_t *Shift,
                            bool Relu, int8_t *Out) {
  if (!R || !C)
    return Status::success();
  requantizeKernel<<<gridFor(R * C), 256, 0, S>>>(R, C, Acc, Bias, Mult, Shift,
                                                  Relu, Out);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::addBiasS32(cudaStream_t S, size_t R, size_t C,
                        const int32_t *Bias, int32_t *Acc) {
  if (!R || !C)
    return Status::success();
  addBiasKernel<<<gridFor(R * C), 256, 0, S>>>(R, C, Bias, Acc);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}
