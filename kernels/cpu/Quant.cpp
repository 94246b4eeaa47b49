//===- Quant.cpp - CPU kernels of the integer inference path --------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements count quantization, requantization and the int32
// bias add. The rounding rules are QuantMath.h's, shared with kernels/cuda;
// the ReLU requantization also has an AVX2 form (picked at run time) that
// computes the same integers and is tested against the definition.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/QuantMath.h"

using namespace neuropt::model;

void cpu::quantizeCounts(size_t N, size_t F, const int64_t *Counts,
                         int8_t *Out) {
  for (size_t I = 0; I < N * F; ++I)
    Out[I] = quantizeCount(Counts[I]);
}

/// requantize() + ReLU + saturation for A = Acc + Bias, restated for
/// unsigned lanes: for A <= 0 the exact result is <= 0 and ReLU makes it 0,
/// which clamping A to 0 reproduces (the rounding half is below 2^Shift);
/// for A > 0 arithmetic and logical shifts agree.
static inline int8_t requantizeReluScalar(int32_t A, int32_t Mult,
                                          int32_t Shift) {
  uint64_t P = uint64_t(uint32_t(A > 0 ? A : 0)) * uint32_t(Mult);
  uint64_t S = uint32_t(Shift);
  uint64_t Q = (P + (uint64_t(1) << (S - 1))) >> S;
  return int8_t(Q < 127 ? Q : 127);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define NEUROPT_HAVE_AVX2_PATH 1

/// The same as requantizeReluScalar, four lanes at a time (AVX2 has the
/// unsigned 32x32->64 multiply and per-lane 64-bit shifts this needs).
__attribute__((target("avx2"))) static void
requantizeReluAVX2(size_t R, size_t C, const int32_t *Acc, const int32_t *Bias,
                   const int32_t *Mult, const int32_t *Shift, int8_t *Out) {
  const __m256i One = _mm256_set1_epi64x(1), Max = _mm256_set1_epi64x(127);
  for (size_t I = 0; I < R; ++I) {
    size_t J = 0;
    for (; J + 4 <= C; J += 4) {
      __m128i A = _mm_add_epi32(
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(Acc + I * C + J)),
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(Bias + J)));
      A = _mm_max_epi32(A, _mm_setzero_si128());
      __m256i A64 = _mm256_cvtepu32_epi64(A);
      __m256i M64 = _mm256_cvtepu32_epi64(
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(Mult + J)));
      __m256i S64 = _mm256_cvtepu32_epi64(
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(Shift + J)));
      __m256i P = _mm256_mul_epu32(A64, M64);
      __m256i Half = _mm256_sllv_epi64(One, _mm256_sub_epi64(S64, One));
      __m256i Q = _mm256_srlv_epi64(_mm256_add_epi64(P, Half), S64);
      Q = _mm256_blendv_epi8(Q, Max, _mm256_cmpgt_epi64(Q, Max));
      alignas(32) uint64_t Lanes[4];
      _mm256_store_si256(reinterpret_cast<__m256i *>(Lanes), Q);
      for (int L = 0; L < 4; ++L)
        Out[I * C + J + L] = int8_t(Lanes[L]);
    }
    for (; J < C; ++J)
      Out[I * C + J] = requantizeReluScalar(Acc[I * C + J] + Bias[J], Mult[J],
                                            Shift[J]);
  }
}
#endif

void cpu::requantizeRows(size_t R, size_t C, const int32_t *Acc,
                         const int32_t *Bias, const int32_t *Mult,
                         const int32_t *Shift, bool Relu, int8_t *Out) {
  if (Relu) {
#ifdef NEUROPT_HAVE_AVX2_PATH
    if (__builtin_cpu_supports("avx2")) {
      requantizeReluAVX2(R, C, Acc, Bias, Mult, Shift, Out);
      return;
    }
#endif
    for (size_t I = 0; I < R; ++I)
      for (size_t J = 0; J < C; ++J)
        Out[I * C + J] = requantizeReluScalar(Acc[I * C + J] + Bias[J],
                                              Mult[J], Shift[J]);
    return;
  }
  for (size_t I = 0; I < R; ++I)
    for (size_t J = 0; J < C; ++J)
      Out[I * C + J] =
          saturateS8(requantize(Acc[I * C + J] + Bias[J], Mult[J], Shift[J]));
}

void cpu::addBiasS32(size_t R, size_t C, const int32_t *Bias, int32_t *Acc) {
  for (size_t I = 0; I < R; ++I)
    for (size_t J = 0; J < C; ++J)
      Acc[I * C + J] += Bias[J];
}
