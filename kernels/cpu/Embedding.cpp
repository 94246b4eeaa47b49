//===- Embedding.cpp - CPU embedding lookup -------------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the float embedding lookup (forward: row copy,
// backward: scatter-add into the table) and the int8 lookup of the deployed
// path.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"

#include <cstring>

using namespace neuropt::model;

template <typename T>
void cpu::embeddingForward(size_t N, size_t D, const uint32_t *Ids,
                           const T *Table, T *Out) {
  for (size_t I = 0; I < N; ++I)
    std::memcpy(Out + I * D, Table + size_t(Ids[I]) * D, D * sizeof(T));
}

template <typename T>
void cpu::embeddingBackward(size_t N, size_t D, const uint32_t *Ids,
                            const T *DOut, T *DTable) {
  // Sequential over N: the accumulation order is fixed, so training is
  // deterministic.
  for (size_t I = 0; I < N; ++I) {
    T *Row = DTable + size_t(Ids[I]) * D;
    for (size_t J = 0; J < D; ++J)
      Row[J] += DOut[I * D + J];
  }
}

void cpu::embeddingS8(size_t N, size_t D, const uint32_t *Ids,
                      const int8_t *Table, size_t TableLD, int8_t *Out,
                      size_t OutLD) {
  for (size_t I = 0; I < N; ++I)
    std::memcpy(Out + I * OutLD, Table + size_t(Ids[I]) * TableLD, D);
}

#define INSTANTIATE(T)                                                         \
  template void cpu::embeddingForward<T>(size_t, size_t, const uint32_t *,    \
                                         const T *, T *);                      \
  template void cpu::embeddingBackward<T>(size_t, size_t, const uint32_t *,   \
                                          const T *, T *);
INSTANTIATE(float)
INSTANTIATE(double)
