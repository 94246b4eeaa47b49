//===- Segment.cpp - CPU segment sum and mean over CSR graphs -------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements message aggregation over the CSR program graphs of
// lib/IR (row r's edges are Col[RowPtr[r] .. RowPtr[r+1])), in float with
// backward, and the exact integer mean of the deployed path.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/QuantMath.h"

#include <cstring>
#include <vector>

using namespace neuropt::model;

template <typename T>
void cpu::segmentForward(bool Mean, size_t R, size_t D, const uint32_t *RowPtr,
                         const uint32_t *Col, const T *In, T *Out) {
  for (size_t I = 0; I < R; ++I) {
    T *O = Out + I * D;
    for (size_t J = 0; J < D; ++J)
      O[J] = 0;
    uint32_t B = RowPtr[I], E = RowPtr[I + 1];
    for (uint32_t K = B; K < E; ++K) {
      const T *Src = In + size_t(Col[K]) * D;
      for (size_t J = 0; J < D; ++J)
        O[J] += Src[J];
    }
    if (Mean && E > B) {
      T Inv = T(1) / T(E - B);
      for (size_t J = 0; J < D; ++J)
        O[J] *= Inv;
    }
  }
}

template <typename T>
void cpu::segmentBackward(bool Mean, size_t R, size_t D,
                          const uint32_t *RowPtr, const uint32_t *Col,
                          const T *DOut, T *DIn) {
  for (size_t I = 0; I < R; ++I) {
    uint32_t B = RowPtr[I], E = RowPtr[I + 1];
    if (E == B)
      continue;
    T Scale = Mean ? T(1) / T(E - B) : T(1);
    for (uint32_t K = B; K < E; ++K) {
      T *Dst = DIn + size_t(Col[K]) * D;
      for (size_t J = 0; J < D; ++J)
        Dst[J] += DOut[I * D + J] * Scale;
    }
  }
}

NEUROPT_CPU_CLONES
void cpu::segmentMeanS8(size_t R, size_t D, const uint32_t *RowPtr,
                        const uint32_t *Col, const int8_t *In, size_t InLD,
                        int8_t *Out, size_t OutLD) {
  std::vector<int32_t> Sum(D);
  // Prepared divisors for the common small degrees (one hardware division
  // each, once per call instead of once per row).
  constexpr uint32_t Cached = 64;
  ExactDivisor Small[Cached];
  for (uint32_t Deg = 2; Deg < Cached; ++Deg)
    Small[Deg] = makeExactDivisor(2 * Deg);
  for (size_t I = 0; I < R; ++I) {
    uint32_t B = RowPtr[I], E = RowPtr[I + 1], Deg = E - B;
    int8_t *O = Out + I * OutLD;
    if (Deg == 0) {
      std::memset(O, 0, D);
      continue;
    }
    if (Deg == 1) { // the mean of one row is the row itself
      std::memcpy(O, In + size_t(Col[B]) * InLD, D);
      continue;
    }
    for (size_t J = 0; J < D; ++J)
      Sum[J] = 0;
    for (uint32_t K = B; K < E; ++K) {
      const int8_t *Src = In + size_t(Col[K]) * InLD;
      for (size_t J = 0; J < D; ++J)
        Sum[J] += Src[J];
    }
    if (Deg <= MaxFastDegree) {
      // Multiply-shift instead of D hardware divisions; the result is the
      // same exact value (QuantMath.h proves the bound).
      ExactDivisor Div = Deg < Cached ? Small[Deg] : makeExactDivisor(2 * Deg);
      for (size_t J = 0; J < D; ++J)
        O[J] = saturateS8(meanRoundHalfUp(Sum[J], Deg, Div));
    } else {
      for (size_t J = 0; J < D; ++J)
        O[J] = saturateS8(divRoundHalfUp(Sum[J], int64_t(Deg)));
    }
  }
}

#define INSTANTIATE(T)                                                         \
  template void cpu::segmentForward<T>(bool, size_t, size_t,                   \
                                       const uint32_t *, const uint32_t *,     \
                                       const T *, T *);                        \
  template void cpu::segmentBackward<T>(bool, size_t, size_t,                  \
                                        const uint32_t *, const uint32_t *,    \
                                        const T *, T *);
INSTANTIATE(float)
INSTANTIATE(double)
