//===- Softmax.cu - CUDA softmax and log-softmax --------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements row-wise softmax and log-softmax beside
// kernels/cpu/Softmax.cpp (one thread per row: K is small).
//
//===----------------------------------------------------------------------===//

#include "Common.h"

using namespace neuropt;
using namespace neuropt::model;

static __global__ void softmaxKernel(bool Log, size_t R, size_t C,
                                     const float *X, float *Y) {
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < R;
       I += size_t(gridDim.x) * blockDim.x) {
    const float *XR = X + I * C;
    float Max = XR[0];
    for (size_t J = 1; J < C; ++J)
      Max = fmaxf(Max, XR[J]);
    float Sum = 0;
    for (size_t J = 0; J < C; ++J)
      Sum += expf(XR[J] - Max);
    if (Log) {
      float LogZ = Max + logf(Sum);
      for (size_t J = 0; J < C; ++J)
        Y[I * C + J] = XR[J] - LogZ;
    } else {
      for (size_t J = 0; J < C; ++J)
        Y[I * C + J] = expf(XR[J] - Max) / Sum;
    }
  }
}

static Status launch(cudaStream_t S, bool Log, size_t R, size_t C,
                     const float *X, float *Y) {
  NEUROPT_REQUIRE(C > 0 || R == 0, "softmax over zero columns");
  if (!R)
    return Status::success();
  softmaxKernel<<<cuda::gridFor(R), 256, 0, S>>>(Log, R, C, X, Y);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::softmaxForward(cudaStream_t S, size_t R, size_t C, const float *X,
                            float *Y) {
  return launch(S, false, R, C, X, Y);
}

Status cuda::logSoftmaxForward(cudaStream_t S, size_t R, size_t C,
                               const float *X, float *Y) {
  return launch(S, true, R, C, X, Y);
}
