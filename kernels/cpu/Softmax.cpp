//===- Softmax.cpp - CPU softmax and log-softmax --------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements row-wise softmax and log-softmax, forward and
// backward, with max subtraction for numerical safety.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"

#include <cmath>

using namespace neuropt::model;

template <typename T>
void cpu::softmaxForward(size_t R, size_t C, const T *X, T *Y) {
  for (size_t I = 0; I < R; ++I) {
    const T *XR = X + I * C;
    T *YR = Y + I * C;
    T Max = XR[0];
    for (size_t J = 1; J < C; ++J)
      Max = XR[J] > Max ? XR[J] : Max;
    T Sum = 0;
    for (size_t J = 0; J < C; ++J) {
      YR[J] = std::exp(XR[J] - Max);
      Sum += YR[J];
    }
    for (size_t J = 0; J < C; ++J)
      YR[J] /= Sum;
  }
}

template <typename T>
void cpu::softmaxBackward(size_t R, size_t C, const T *Y, const T *DY, T *DX) {
  for (size_t I = 0; I < R; ++I) {
    T Dot = 0;
    for (size_t J = 0; J < C; ++J)
      Dot += DY[I * C + J] * Y[I * C + J];
    for (size_t J = 0; J < C; ++J)
      DX[I * C + J] = Y[I * C + J] * (DY[I * C + J] - Dot);
  }
}

template <typename T>
void cpu::logSoftmaxForward(size_t R, size_t C, const T *X, T *Y) {
  for (size_t I = 0; I < R; ++I) {
    const T *XR = X + I * C;
    T Max = XR[0];
    for (size_t J = 1; J < C; ++J)
      Max = XR[J] > Max ? XR[J] : Max;
    T Sum = 0;
    for (size_t J = 0; J < C; ++J)
      Sum += std::exp(XR[J] - Max);
    T LogZ = Max + std::log(Sum);
    for (size_t J = 0; J < C; ++J)
      Y[I * C + J] = XR[J] - LogZ;
  }
}

template <typename T>
void cpu::logSoftmaxBackward(size_t R, size_t C, const T *Y, const T *DY,
                             T *DX) {
  for (size_t I = 0; I < R; ++I) {
    T Sum = 0;
    for (size_t J = 0; J < C; ++J)
      Sum += DY[I * C + J];
    for (size_t J = 0; J < C; ++J)
      DX[I * C + J] = DY[I * C + J] - std::exp(Y[I * C + J]) * Sum;
  }
}

#define INSTANTIATE(T)                                                         \
  template void cpu::softmaxForward<T>(size_t, size_t, const T *, T *);       \
  template void cpu::softmaxBackward<T>(size_t, size_t, const T *, const T *, \
                                        T *);                                  \
  template void cpu::logSoftmaxForward<T>(size_t, size_t, const T *, T *);    \
  template void cpu::logSoftmaxBackward<T>(size_t, size_t, const T *,         \
                                           const T *, T *);
INSTANTIATE(float)
INSTANTIATE(double)
