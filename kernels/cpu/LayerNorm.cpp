//===- LayerNorm.cpp - CPU layer normalization ----------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements per-row layer normalization, forward and backward.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"

#include <cmath>

using namespace neuropt::model;

template <typename T>
void cpu::layerNormForward(size_t R, size_t C, const T *X, const T *Gamma,
                           const T *Beta, T Eps, T *Y, T *Mean, T *Rstd) {
  for (size_t I = 0; I < R; ++I) {
    const T *XR = X + I * C;
    T M = 0;
    for (size_t J = 0; J < C; ++J)
      M += XR[J];
    M /= T(C);
    T Var = 0;
    for (size_t J = 0; J < C; ++J)
      Var += (XR[J] - M) * (XR[J] - M);
    Var /= T(C);
    T S = T(1) / std::sqrt(Var + Eps);
    for (size_t J = 0; J < C; ++J)
      Y[I * C + J] = (XR[J] - M) * S * Gamma[J] + Beta[J];
    Mean[I] = M;
    Rstd[I] = S;
  }
}

template <typename T>
void cpu::layerNormBackward(size_t R, size_t C, const T *X, const T *Gamma,
                            const T *Mean, const T *Rstd, const T *DY, T *DX,
                            T *DGamma, T *DBeta) {
  for (size_t I = 0; I < R; ++I) {
    const T *XR = X + I * C;
    const T *DYR = DY + I * C;
    // dxhat = dy * gamma; dx = rstd * (dxhat - mean(dxhat) - xhat *
    // mean(dxhat * xhat)).
    T SumD = 0, SumDX = 0;
    for (size_t J = 0; J < C; ++J) {
      T XHat = (XR[J] - Mean[I]) * Rstd[I];
      T D = DYR[J] * Gamma[J];
      SumD += D;
      SumDX += D * XHat;
      DGamma[J] += DYR[J] * XHat;
      DBeta[J] += DYR[J];
    }
    SumD /= T(C);
    SumDX /= T(C);
    for (size_t J = 0; J < C; ++J) {
      T XHat = (XR[J] - Mean[I]) * Rstd[I];
      T D = DYR[J] * Gamma[J];
      DX[I * C + J] += Rstd[I] * (D - SumD - XHat * SumDX);
    }
  }
}

#define INSTANTIATE(T)                                                         \
  template void cpu::layerNormForward<T>(size_t, size_t, const T *, const T *, \
                                         const T *, T, T *, T *, T *);         \
  template void cpu::layerNormBackward<T>(size_t, size_t, const T *,           \
                                          const T *, const T *, const T *,     \
                                          const T *, T *, T *, T *);
INSTANTIATE(float)
INSTANTIATE(double)
