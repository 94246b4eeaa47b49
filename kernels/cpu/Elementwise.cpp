//===- Elementwise.cpp - CPU bias, add, ReLU and GELU ---------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the elementwise CPU kernels, forward and backward.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"

#include <cmath>

using namespace neuropt::model;

template <typename T>
void cpu::biasForward(size_t R, size_t C, const T *Bias, T *Y) {
  for (size_t I = 0; I < R; ++I)
    for (size_t J = 0; J < C; ++J)
      Y[I * C + J] += Bias[J];
}

template <typename T>
void cpu::biasBackward(size_t R, size_t C, const T *DY, T *DBias) {
  for (size_t I = 0; I < R; ++I)
    for (size_t J = 0; J < C; ++J)
      DBias[J] += DY[I * C + J];
}

template <typename T>
void cpu::addForward(size_t N, const T *X, const T *Y, T *Z) {
  for (size_t I = 0; I < N; ++I)
    Z[I] = X[I] + Y[I];
}

template <typename T> void cpu::addBackward(size_t N, const T *DZ, T *DX) {
  for (size_t I = 0; I < N; ++I)
    DX[I] += DZ[I];
}

template <typename T> void cpu::reluForward(size_t N, const T *X, T *Y) {
  for (size_t I = 0; I < N; ++I)
    Y[I] = X[I] > T(0) ? X[I] : T(0);
}

template <typename T>
void cpu::reluBackward(size_t N, const T *X, const T *DY, T *DX) {
  for (size_t I = 0; I < N; ++I)
    DX[I] = X[I] > T(0) ? DY[I] : T(0);
}

// sqrt(2 / pi), the constant of the tanh approximation.
static constexpr double GeluK = 0.7978845608028654;

template <typename T> void cpu::geluForward(size_t N, const T *X, T *Y) {
  for (size_t I = 0; I < N; ++I) {
    T V = X[I];
    T U = T(GeluK) * (V + T(0.044715) * V * V * V);
    Y[I] = T(0.5) * V * (T(1) + std::tanh(U));
  }
}

template <typename T>
void cpu::geluBackward(size_t N, const T *X, const T *DY, T *DX) {
  for (size_t I = 0; I < N; ++I) {
    T V = X[I];
    T U = T(GeluK) * (V + T(0.044715) * V * V * V);
    T Th = std::tanh(U);
    T Sech2 = T(1) - Th * Th;
    T DU = T(GeluK) * (T(1) + T(3 * 0.044715) * V * V);
    DX[I] = DY[I] * (T(0.5) * (T(1) + Th) + T(0.5) * V * Sech2 * DU);
  }
}

#define INSTANTIATE(T)                                                         \
  template void cpu::biasForward<T>(size_t, size_t, const T *, T *);          \
  template void cpu::biasBackward<T>(size_t, size_t, const T *, T *);         \
  template void cpu::addForward<T>(size_t, const T *, const T *, T *);        \
  template void cpu::addBackward<T>(size_t, const T *, T *);                  \
  template void cpu::reluForward<T>(size_t, const T *, T *);                  \
  template void cpu::reluBackward<T>(size_t, const T *, const T *, T *);      \
  template void cpu::geluForward<T>(size_t, const T *, T *);                  \
  template void cpu::geluBackward<T>(size_t, const T *, const T *, T *);
INSTANTIATE(float)
INSTANTIATE(double)
