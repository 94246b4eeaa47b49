//===- QuantMath.h - Exact integer arithmetic shared by CPU and CUDA -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The integer inference path must give bit-identical scores on the CPU and
// the GPU. Every rounding decision of that path lives here, in functions that
// both compilers (the host C++ compiler and nvcc) build from the same source,
// using only integer operations whose results C++ and CUDA define exactly.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_QUANTMATH_H
#define NEUROPT_MODEL_QUANTMATH_H

#include <cstdint>

#if defined(__CUDACC__)
#define NEUROPT_HD __host__ __device__ __forceinline__
#else
#define NEUROPT_HD inline
#endif

namespace neuropt {
namespace model {

/// Fixed-point scale of a quantized count: the int8 input code of a count c
/// is QuantCountScale * plog2(1 + |c|), with the sign of c.
constexpr float QuantCountScale = 4.0f;

/// Floor division for any signs (C++ '/' truncates towards zero).
NEUROPT_HD int64_t floorDiv(int64_t A, int64_t B) {
  int64_t Q = A / B;
  if ((A % B != 0) && ((A < 0) != (B < 0)))
    --Q;
  return Q;
}

/// A / B rounded to nearest, halves rounded towards +infinity; B > 0.
NEUROPT_HD int64_t divRoundHalfUp(int64_t A, int64_t B) {
  return floorDiv(2 * A + B, 2 * B);
}

/// Saturates to the int8 range [-127, 127] (symmetric: -128 is never used).
NEUROPT_HD int8_t saturateS8(int64_t V) {
  return static_cast<int8_t>(V < -127 ? -127 : (V > 127 ? 127 : V));
}

// floor(V / 2^S) is V >> S: GCC, Clang and NVCC define '>>' of a negative
// value as an arithmetic shift (and C++20 requires it).
static_assert((-5 >> 1) == -3, "arithmetic right shift required");

/// Fixed-point requantization: round(Acc * Mult / 2^Shift), halves towards
/// +infinity, computed exactly in 64 bits. |Acc| < 2^31 and 0 <= Mult < 2^31
/// keep the product inside int64; Shift is in [1, 62].
NEUROPT_HD int64_t requantize(int32_t Acc, int32_t Mult, int32_t Shift) {
  int64_t P = static_cast<int64_t>(Acc) * static_cast<int64_t>(Mult);
  return (P + (static_cast<int64_t>(1) << (Shift - 1))) >> Shift;
}

/// floor(log2(V)) for V > 0.
NEUROPT_HD int floorLog2(uint64_t V) {
#if defined(__CUDA_ARCH__)
  return 63 - __clzll(static_cast<long long>(V));
#else
  return 63 - __builtin_clzll(V);
#endif
}

/// A divisor prepared for exact multiply-shift division (Granlund and
/// Montgomery's round-up method): with L = ceil(log2 D), K = 31 + L and
/// Mult = ceil(2^K / D), floor(N * Mult / 2^K) == floor(N / D) for every
/// N < 2^31 (the error term N * (Mult * D - 2^K) / (D * 2^K) stays below
/// 1 / D), and N * Mult < 2^63.
struct ExactDivisor {
  uint64_t Mult;
  int Shift;
};

/// Prepares \p D, which must be in [1, 2^31).
NEUROPT_HD ExactDivisor makeExactDivisor(uint32_t D) {
  int L = D > 1 ? floorLog2(D - 1) + 1 : 0;
  int K = 31 + L;
  return {((uint64_t(1) << K) + D - 1) / D, K};
}

/// floor(N / D) for N < 2^31.
NEUROPT_HD uint32_t divideExact(uint32_t N, ExactDivisor E) {
  return static_cast<uint32_t>((uint64_t(N) * E.Mult) >> E.Shift);
}

/// Largest degree meanRoundHalfUp handles (keeps its numerator < 2^31).
constexpr uint32_t MaxFastDegree = 1u << 22;

/// divRoundHalfUp(Sum, Deg) for a sum of Deg int8 values, through a divisor
/// prepared for 2 * Deg: biasing the numerator by 256 * Deg makes it
/// positive (Sum >= -128 * Deg) without changing the rounding.
NEUROPT_HD int32_t meanRoundHalfUp(int32_t Sum, uint32_t Deg,
                                   ExactDivisor TwoDeg) {
  uint32_t X = static_cast<uint32_t>(2 * Sum + 257 * static_cast<int32_t>(Deg));
  return static_cast<int32_t>(divideExact(X, TwoDeg)) - 128;
}

/// Integer code of a statistics count: QuantCountScale times a piecewise-
/// linear log2(1 + |c|) (exact at powers of two), floored, with c's sign,
/// saturated to int8. Training sees code / QuantCountScale as its input, so
/// the input quantization costs no accuracy at all.
NEUROPT_HD int8_t quantizeCount(int64_t C) {
  bool Neg = C < 0;
  uint64_t Mag = Neg ? (C == INT64_MIN ? (uint64_t(1) << 63)
                                       : static_cast<uint64_t>(-C))
                     : static_cast<uint64_t>(C);
  // 127 / 4 < 32, so anything at or above 2^32 saturates anyway.
  if (Mag >= (uint64_t(1) << 40))
    return Neg ? -127 : 127;
  uint64_t V = Mag + 1;
  int E = floorLog2(V);
  uint64_t Frac = ((V - (uint64_t(1) << E)) << 2) >> E; // in [0, 4)
  int64_t Code = 4 * static_cast<int64_t>(E) + static_cast<int64_t>(Frac);
  return saturateS8(Neg ? -Code : Code);
}

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_QUANTMATH_H
