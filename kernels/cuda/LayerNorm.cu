//===- LayerNorm.cu - CUDA layer normalization ----------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the forward layer norm beside
// kernels/cpu/LayerNorm.cpp: one thread per row, because neuropt's rows are
// short (tens of columns) and batches are long.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

using namespace neuropt;
using namespace neuropt::model;

static __global__ void layerNormKernel(size_t R, size_t C, const float *X,
                                       const float *Gamma, const float *Beta,
                                       float Eps, float *Y, float *Mean,
                                       float *Rstd) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < R;
       I += size_t(gridDim.x) * blockDim.x) {
    const float *XR = X + I * C;
    float M = 0;
    for (size_t J = 0; J < C; ++J)
      M += XR[J];
    M /= float(C);
    float V = 0;
    for (size_t J = 0; J < C; ++J)
      V += (XR[J] - M) * (XR[J] - M);
    V /= float(C);
    float S = 1.0f / sqrtf(V + Eps);
    for (size_t J = 0; J < C; ++J)
      Y[I * C + J] = (XR[J] - M) * S * Gamma[J] + Beta[J];
    Mean[I] = M;
    Rstd[I] = S;
  }
}

Status cuda::layerNormForward(cudaStream_t S, size_t R, size_t C,
                              const float *X, const float *Gamma,
                              const float *Beta, float Eps, float *Y,
                              float *Mean, float *Rstd) {
  NEUROPT_REQUIRE(C > 0 || R == 0, "layer norm over zero columns");
  if (!R)
    return Status::success();
  layerNormKernel<<<gridFor(R), 256, 0, S>>>(R, C, X, Gamma, Beta, Eps, Y,
                                             Mean, Rstd);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}
