//===- Gather.cpp - CPU row gather and column concatenation ---------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements gather (rows by index) and concat (columns), forward
// and backward.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"

#include <cstring>

using namespace neuropt::model;

template <typename T>
void cpu::gatherForward(size_t N, size_t D, const uint32_t *Idx, const T *In,
                        T *Out) {
  for (size_t I = 0; I < N; ++I)
    std::memcpy(Out + I * D, In + size_t(Idx[I]) * D, D * sizeof(T));
}

template <typename T>
void cpu::gatherBackward(size_t N, size_t D, const uint32_t *Idx,
                         const T *DOut, T *DIn) {
  for (size_t I = 0; I < N; ++I)
    for (size_t J = 0; J < D; ++J)
      DIn[size_t(Idx[I]) * D + J] += DOut[I * D + J];
}

template <typename T>
void cpu::concatForward(size_t R, size_t CA, size_t CB, const T *A, const T *B,
                        T *Out) {
  for (size_t I = 0; I < R; ++I) {
    std::memcpy(Out + I * (CA + CB), A + I * CA, CA * sizeof(T));
    std::memcpy(Out + I * (CA + CB) + CA, B + I * CB, CB * sizeof(T));
  }
}

template <typename T>
void cpu::concatBackward(size_t R, size_t CA, size_t CB, const T *DOut, T *DA,
                         T *DB) {
  for (size_t I = 0; I < R; ++I) {
    for (size_t J = 0; J < CA; ++J)
      DA[I * CA + J] += DOut[I * (CA + CB) + J];
    for (size_t J = 0; J < CB; ++J)
      DB[I * CB + J] += DOut[I * (CA + CB) + CA + J];
  }
}

#define INSTANTIATE(T)                                                         \
  template void cpu::gatherForward<T>(size_t, size_t, const uint32_t *,       \
                                      const T *, T *);                         \
  template void cpu::gatherBackward<T>(size_t, size_t, const uint32_t *,      \
                                       const T *, T *);                        \
  template void cpu::concatForward<T>(size_t, size_t, size_t, const T *,      \
                                      const T *, T *);                         \
  template void cpu::concatBackward<T>(size_t, size_t, size_t, const T *,     \
                                       T *, T *);
INSTANTIATE(float)
INSTANTIATE(double)
