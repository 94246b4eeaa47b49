//===- Elementwise.cu - CUDA bias, add, ReLU and GELU ---------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the elementwise GPU kernels beside
// kernels/cpu/Elementwise.cpp, with grid-stride loops.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

using namespace neuropt;
using namespace neuropt::model;

#define GRID_STRIDE(I, N)                                                      \
  for (size_t I = size_t(blockIdx.x) * blockDim.x + threadIdx.x; I < (N);      \
       I += size_t(gridDim.x) * blockDim.x)

static __global__ void biasForwardKernel(size_t R, size_t C, const float *Bias,
                                         float *Y) {
  GRID_STRIDE(I, R * C) { Y[I] += Bias[I % C]; }
}

/// One thread per column; rows summed in order, as on the CPU.
static __global__ void biasBackwardKernel(size_t R, size_t C, const float *DY,
                                          float *DBias) {
  GRID_STRIDE(J, C) {
    float S = 0;
    for (size_t I = 0; I < R; ++I)
      S += DY[I * C + J];
    DBias[J] += S;
  }
}

static __global__ void addKernel(size_t N, const float *X, const float *Y,
                                 float *Z) {
  GRID_STRIDE(I, N) { Z[I] = X[I] + Y[I]; }
}

static __global__ void reluForwardKernel(size_t N, const float *X, float *Y) {
  GRID_STRIDE(I, N) { Y[I] = X[I] > 0.0f ? X[I] : 0.0f; }
}

static __global__ void reluBackwardKernel(size_t N, const float *X,
                                          const float *DY, float *DX) {
  GRID_STRIDE(I, N) { DX[I] = X[I] > 0.0f ? DY[I] : 0.0f; }
}

#define GELU_K 0.7978845608028654f

static __global__ void geluForwardKernel(size_t N, const float *X, float *Y) {
  GRID_STRIDE(I, N) {
    float V = X[I];
    float U = GELU_K * (V + 0.044715f * V * V * V);
    Y[I] = 0.5f * V * (1.0f + tanhf(U));
  }
}

static __global__ void geluBackwardKernel(size_t N, const float *X,
                                          const float *DY, float *DX) {
  GRID_STRIDE(I, N) {
    float V = X[I];
    float U = GELU_K * (V + 0.044715f * V * V * V);
    float Th = tanhf(U);
    float DU = GELU_K * (1.0f + 3.0f * 0.044715f * V * V);
    DX[I] = DY[I] * (0.5f * (1.0f + Th) + 0.5f * V * (1.0f - Th * Th) * DU);
  }
}

Status cuda::biasForward(cudaStream_t S, size_t R, size_t C, const float *Bias,
                         float *Y) {
  NEUROPT_REQUIRE(C > 0 || R == 0, "bias over zero columns");
  if (!R)
    return Status::success();
  biasForwardKernel<<<gridFor(R * C), 256, 0, S>>>(R, C, Bias, Y);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::biasBackward(cudaStream_t S, size_t R, size_t C, const float *DY,
                          float *DBias) {
  if (!C)
    return Status::success();
  biasBackwardKernel<<<gridFor(C), 256, 0, S>>>(R, C, DY, DBias);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::addForward(cudaStream_t S, size_t N, const float *X,
                        const float *Y, float *Z) {
  if (!N)
    return Status::success();
  addKernel<<<gridFor(N), 256, 0, S>>>(N, X, Y, Z);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::reluForward(cudaStream_t S, size_t N, const float *X, float *Y) {
  if (!N)
    return Status::success();
  reluForwardKernel<<<gridFor(N), 256, 0, S>>>(N, X, Y);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::reluBackward(cudaStream_t S, size_t N, const float *X,
                          const float *DY, float *DX) {
  if (!N)
    return Status::success();
  reluBackwardKernel<<<gridFor(N), 256, 0, S>>>(N, X, DY, DX);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::geluForward(cudaStream_t S, size_t N, const float *X, float *Y) {
  if (!N)
    return Status::success();
  geluForwardKernel<<<gridFor(N), 256, 0, S>>>(N, X, Y);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}

Status cuda::geluBackward(cudaStream_t S, size_t N, const float *X,
                          const float *DY, float *DX) {
  if (!N)
    return Status::success();
  geluBackwardKernel<<<gridFor(N), 256, 0, S>>>(N, X, DY, DX);
  NEUROPT_LAUNCH_CHECK();
  return Status::success();
}
