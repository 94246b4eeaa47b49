//===- SynthFilterOps.h - Filter semantics for CPU and CUDA -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The integer semantics of every filter::Op, written once for the host C++
// compiler and nvcc alike, so the CPU filter (kernels/cpu/SynthFilter.cpp)
// and the CUDA filter (kernels/cuda/SynthFilter.cu) agree by construction:
// both call evalOp() below, and the scalar interpreter evalProgram() is the
// reference `evaluate` and the body of the CUDA kernel.
//
// Only operations whose results C++ and CUDA define exactly are used: every
// shift amount is kept below 64, signed overflow never happens in C++ (the
// arithmetic is done on uint64_t), and division is only reached when LLVM
// defines it.
//
// Poison and UB are kept apart: poison flows along the data edges (an
// operand's poison makes the result poison, except through select's
// unchosen arm), while UB anywhere in a program (division by zero or a
// poison divisor, signed division overflow) makes the whole program UB on
// that input, even when the instruction's result is unused, because every
// instruction of the program executes. The filter treats both alike.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_KERNELS_SYNTHFILTEROPS_H
#define NEUROPT_KERNELS_SYNTHFILTEROPS_H

#include "neuropt/Kernels/SynthFilter.h"

#include <cstdint>

#if defined(__CUDACC__)
#define NEUROPT_FILTER_HD __host__ __device__ __forceinline__
#else
#define NEUROPT_FILTER_HD inline __attribute__((always_inline))
#endif

namespace neuropt {
namespace filter {
namespace ops {

/// Bits of OpResult::State.
constexpr uint32_t StatePoison = 1, StateUB = 2;

/// The result of one instruction on one input.
struct OpResult {
  uint64_t Bits;  ///< Width-bit value, zero-extended (0 when poison).
  uint32_t State; ///< StatePoison and/or StateUB.
};

/// The low \p W bits, W in 1..64.
NEUROPT_FILTER_HD uint64_t mask(unsigned W) { return ~uint64_t(0) >> (64 - W); }

/// \p V (a W-bit value) sign-extended to 64 bits, as a two's-complement
/// uint64_t (no signed arithmetic, so no implementation-defined shifts).
NEUROPT_FILTER_HD uint64_t sext(uint64_t V, unsigned W) {
  uint64_t Sign = uint64_t(1) << (W - 1);
  return (V ^ Sign) - Sign;
}

/// Signed less-than of two sign-extended values.
NEUROPT_FILTER_HD bool slt64(uint64_t A, uint64_t B) {
  const uint64_t Bias = uint64_t(1) << 63;
  return (A ^ Bias) < (B ^ Bias);
}

NEUROPT_FILTER_HD unsigned popcount64(uint64_t V) {
#if defined(__CUDA_ARCH__)
  return unsigned(__popcll(V));
#else
  return unsigned(__builtin_popcountll(V));
#endif
}

/// Leading zeros of a 64-bit value; 64 for 0.
NEUROPT_FILTER_HD unsigned clz64(uint64_t V) {
#if defined(__CUDA_ARCH__)
  return unsigned(__clzll(static_cast<long long>(V)));
#else
  return V ? unsigned(__builtin_clzll(V)) : 64u;
#endif
}

/// Trailing zeros of a 64-bit value; 64 for 0.
NEUROPT_FILTER_HD unsigned ctz64(uint64_t V) {
#if defined(__CUDA_ARCH__)
  return V ? unsigned(__ffsll(static_cast<long long>(V)) - 1) : 64u;
#else
  return V ? unsigned(__builtin_ctzll(V)) : 64u;
#endif
}

NEUROPT_FILTER_HD uint64_t bswap64(uint64_t V) {
  V = ((V & 0x00FF00FF00FF00FFull) << 8) | ((V >> 8) & 0x00FF00FF00FF00FFull);
  V = ((V & 0x0000FFFF0000FFFFull) << 16) |
      ((V >> 16) & 0x0000FFFF0000FFFFull);
  return (V << 32) | (V >> 32);
}

NEUROPT_FILTER_HD uint64_t bitreverse64(uint64_t V) {
  V = ((V & 0x5555555555555555ull) << 1) | ((V >> 1) & 0x5555555555555555ull);
  V = ((V & 0x3333333333333333ull) << 2) | ((V >> 2) & 0x3333333333333333ull);
  V = ((V & 0x0F0F0F0F0F0F0F0Full) << 4) | ((V >> 4) & 0x0F0F0F0F0F0F0F0Full);
  return bswap64(V);
}

/// Arithmetic right shift of a 64-bit two's-complement value by \p S < 64,
/// built from logical shifts.
NEUROPT_FILTER_HD uint64_t ashr64(uint64_t V, uint64_t S) {
  // Complementing a negative value, shifting and complementing back fills
  // with ones.
  uint64_t Sign = 0 - (V >> 63);
  return ((V ^ Sign) >> S) ^ Sign;
}

/// High 64 bits of the unsigned 128-bit product (portable: same code on
/// both sides).
NEUROPT_FILTER_HD uint64_t mulhiU64(uint64_t A, uint64_t B) {
#if defined(__CUDA_ARCH__)
  return __umul64hi(A, B);
#else
  return uint64_t((static_cast<unsigned __int128>(A) * B) >> 64);
#endif
}

/// Whether the signed product of the W-bit values \p A and \p B overflows
/// W signed bits.
NEUROPT_FILTER_HD bool mulOverflowsSigned(uint64_t A, uint64_t B, unsigned W) {
  uint64_t SA = sext(A, W), SB = sext(B, W);
  uint64_t Lo = SA * SB;
  if (W <= 32) // |SA*SB| <= 2^62: the 64-bit product is exact.
    return sext(Lo & mask(W), W) != Lo;
  // Signed high half from the unsigned one.
  uint64_t Hi = mulhiU64(SA, SB);
  if (SA >> 63)
    Hi -= SB;
  if (SB >> 63)
    Hi -= SA;
  uint64_t LoSign = (Lo >> 63) ? ~uint64_t(0) : 0;
  return Hi != LoSign || sext(Lo & mask(W), W) != Lo;
}

/// Whether the unsigned product of the W-bit values overflows W bits.
NEUROPT_FILTER_HD bool mulOverflowsUnsigned(uint64_t A, uint64_t B,
                                            unsigned W) {
  if (W <= 32)
    return ((A * B) >> W) != 0;
  uint64_t Lo = A * B;
  return mulhiU64(A, B) != 0 || (W < 64 && (Lo >> W) != 0);
}

/// Number of value operands read by \p O (A, then B, then C).
NEUROPT_FILTER_HD unsigned numOperands(Op O) {
  if (O <= Op::Sge)
    return 2;
  if (O <= Op::FShr)
    return 3;
  return 1;
}

NEUROPT_FILTER_HD bool isComparison(Op O) {
  return O >= Op::Eq && O <= Op::Sge;
}
NEUROPT_FILTER_HD bool isCast(Op O) { return O >= Op::ZExt && O <= Op::Trunc; }

/// Evaluates one instruction. \p W is the result width, \p SW the operand
/// width of comparisons and casts; operands are zero-extended values of their
/// widths and P* their poison bits (0 or 1). Callers pass a constant \p O
/// where they want the dispatch folded away (the CPU lane loops).
NEUROPT_FILTER_HD OpResult evalOp(Op O, uint64_t W, uint64_t SW,
                                  unsigned Flags, uint64_t A, uint32_t PA,
                                  uint64_t B, uint32_t PB, uint64_t C,
                                  uint32_t PC) {
  const uint64_t M = mask(W);
  uint64_t R = 0;
  // Poison created by the instruction itself (flags, shift amounts) and UB.
  // Conditions are combined with bitwise operators and shift amounts are
  // clamped rather than branched around, so the CPU lane loops vectorize.
  // All flags are 0/1 integers, not bools: GCC does not vectorize
  // conversions to bool.
  uint64_t Poison = 0, UB = 0;
  uint64_t In = PA | PB | PC; // operand poison (unused operands pass 0)
  const uint64_t NSW = Flags & FlagNSW ? 1 : 0, NUW = Flags & FlagNUW ? 1 : 0,
                 Exact = Flags & FlagExact ? 1 : 0;
  switch (O) {
  case Op::Add:
    R = (A + B) & M;
    Poison = (NSW & (((A ^ R) & (B ^ R)) >> (W - 1))) | (NUW & (R < A));
    break;
  case Op::Sub:
    R = (A - B) & M;
    Poison = (NSW & (((A ^ B) & (A ^ R)) >> (W - 1))) | (NUW & (A < B));
    break;
  case Op::Mul:
    R = (A * B) & M;
    // Flags are uniform over a lane loop: the test is unswitched, and the
    // flag-free multiply vectorizes.
    if (NSW | NUW)
      Poison = (NSW && mulOverflowsSigned(A, B, W)) ||
               (NUW && mulOverflowsUnsigned(A, B, W));
    break;
  case Op::UDiv:
  case Op::URem: {
    // A poison divisor may be zero: UB. The division itself runs on a safe
    // divisor either way.
    UB = PB | (B == 0);
    uint64_t D = UB ? 1 : B;
    uint64_t Q = A / D;
    R = O == Op::UDiv ? Q : A - Q * D;
    Poison = O == Op::UDiv ? Exact & (Q * D != A) : 0;
    break;
  }
  case Op::SDiv:
  case Op::SRem: {
    // UB on a zero or poison divisor, and on INT_MIN / -1, where a poison
    // dividend may be INT_MIN.
    const uint64_t IntMin = uint64_t(1) << (W - 1);
    UB = PB | (B == 0) | ((B == M) & (PA | (A == IntMin)));
    uint64_t SA = sext(A, W), SB = sext(UB ? 1 : B, W);
    bool NegA = SA >> 63, NegB = SB >> 63;
    uint64_t MagA = NegA ? 0 - SA : SA, MagB = NegB ? 0 - SB : SB;
    uint64_t Q = MagA / MagB, Rem = MagA - Q * MagB;
    // Truncating division: the quotient's sign is the XOR of the operands',
    // the remainder takes the dividend's.
    if (O == Op::SDiv) {
      R = ((NegA != NegB) ? 0 - Q : Q) & M;
      Poison = Exact & (Rem != 0);
    } else {
      R = (NegA ? 0 - Rem : Rem) & M;
    }
    break;
  }
  case Op::Shl: {
    // Amounts >= W are poison; shift by 0 instead, the value is dropped.
    uint64_t S = B < W ? B : 0;
    R = (A << S) & M;
    // nuw: no set bit shifted out; nsw: shifting back arithmetically
    // restores the operand (no bit disagreeing with the sign shifted out).
    Poison = (B >= W) | (NUW & ((R >> S) != A)) |
             (NSW & (ashr64(sext(R, W), S) != sext(A, W)));
    break;
  }
  case Op::LShr: {
    uint64_t S = B < W ? B : 0;
    R = A >> S;
    Poison = (B >= W) | (Exact & ((R << S) != A));
    break;
  }
  case Op::AShr: {
    uint64_t S = B < W ? B : 0;
    R = ashr64(sext(A, W), S) & M;
    Poison = (B >= W) | (Exact & (((A >> S) << S) != A));
    break;
  }
  case Op::And:
    R = A & B;
    break;
  case Op::Or:
    R = A | B;
    break;
  case Op::Xor:
    R = A ^ B;
    break;
  case Op::UMin:
    R = A < B ? A : B;
    break;
  case Op::UMax:
    R = A < B ? B : A;
    break;
  case Op::SMin:
    R = slt64(sext(A, W), sext(B, W)) ? A : B;
    break;
  case Op::SMax:
    R = slt64(sext(A, W), sext(B, W)) ? B : A;
    break;
  case Op::Eq:
    R = A == B;
    break;
  case Op::Ne:
    R = A != B;
    break;
  case Op::Ult:
    R = A < B;
    break;
  case Op::Ule:
    R = A <= B;
    break;
  case Op::Ugt:
    R = A > B;
    break;
  case Op::Uge:
    R = A >= B;
    break;
  case Op::Slt:
    R = slt64(sext(A, SW), sext(B, SW));
    break;
  case Op::Sle:
    R = !slt64(sext(B, SW), sext(A, SW));
    break;
  case Op::Sgt:
    R = slt64(sext(B, SW), sext(A, SW));
    break;
  case Op::Sge:
    R = !slt64(sext(A, SW), sext(B, SW));
    break;
  case Op::Select:
    // A poison condition is poison; otherwise only the chosen arm counts.
    R = (A & 1) ? B : C;
    In = PA | ((A & 1) ? PB : PC);
    break;
  case Op::FShl:
  case Op::FShr: {
    // Amount modulo W; the other operand's part is shifted in two steps so
    // that an amount of 0 needs no shift by W.
    unsigned S = unsigned(C % W);
    if (O == Op::FShl)
      R = ((A << S) | ((B >> 1) >> (W - 1 - S))) & M;
    else
      R = ((B >> S) | ((A << 1) << (W - 1 - S))) & M;
    break;
  }
  case Op::ZExt:
    R = A;
    break;
  case Op::SExt:
    R = sext(A, SW) & M;
    break;
  case Op::Trunc:
    R = A & M;
    // trunc nuw: no set bit dropped; trunc nsw: the dropped bits all equal
    // the result's sign bit.
    Poison = (NUW && R != A) || (NSW && sext(R, W) != sext(A, SW));
    break;
  case Op::Ctpop:
    R = popcount64(A);
    break;
  case Op::Ctlz:
    R = clz64(A) - (64 - W);
    break;
  case Op::Cttz:
    R = A ? ctz64(A) : W;
    break;
  case Op::Bswap:
    R = bswap64(A) >> (64 - W);
    break;
  case Op::BitReverse:
    R = bitreverse64(A) >> (64 - W);
    break;
  case Op::Abs:
    // FlagNSW is llvm.abs's int_min_is_poison operand.
    R = ((sext(A, W) >> 63) ? 0 - A : A) & M;
    Poison = NSW & (A == (uint64_t(1) << (W - 1)));
    break;
  case Op::NumOps:
    UB = true;
    break;
  }
  uint32_t State = uint32_t((In | Poison | UB) != 0) | (uint32_t(UB != 0) << 1);
  return OpResult{R & (0 - uint64_t(State == 0)), State};
}

/// The results of a program's instructions on one input. Variables and
/// constants are read where they are (the batch's column, the constant
/// pool), and poison is a bit mask, so on the GPU only this array lives in
/// local memory.
struct SlotFile {
  uint64_t Bits[MaxInsts];
  /// Bit I: instruction I's result is poison (or UB). Written once at the
  /// end, for callers that look at inner values; the filter does not.
  uint64_t Poison;
};

/// Evaluates a validated program on input \p Input of a batch whose
/// variable-major values are \p Values (\p NumInputs per column). The scalar
/// reference interpreter: `evaluate` and the CUDA kernel both run it.
NEUROPT_FILTER_HD OpResult evalProgram(const Inst *Insts, unsigned NumInsts,
                                       const uint64_t *Consts,
                                       unsigned NumConsts,
                                       const uint64_t *Values,
                                       uint64_t NumInputs, unsigned NumVars,
                                       uint64_t Input, SlotFile &S) {
  const unsigned Base = NumVars + NumConsts;
  uint64_t PoisonMask = 0; // bit I: instruction I's result is poison
  uint32_t UB = 0;
  OpResult R{0, 0};
  // Operand K of an instruction: a variable, a constant (never poison) or an
  // earlier result.
  auto Read = [&](unsigned Slot, uint32_t &P) -> uint64_t {
    if (Slot < NumVars) {
      P = 0;
      return Values[Slot * NumInputs + Input];
    }
    if (Slot < Base) {
      P = 0;
      return Consts[Slot - NumVars];
    }
    P = uint32_t(PoisonMask >> (Slot - Base)) & 1;
    return S.Bits[Slot - Base];
  };
  for (unsigned I = 0; I < NumInsts; ++I) {
    const Inst In = Insts[I];
    unsigned N = numOperands(In.Opcode);
    uint32_t PA, PB = 0, PC = 0;
    uint64_t A = Read(In.A, PA), B = 0, C = 0;
    if (N >= 2)
      B = Read(In.B, PB);
    if (N >= 3)
      C = Read(In.C, PC);
    R = evalOp(In.Opcode, In.Width, In.SrcWidth, In.Flags, A, PA, B, PB, C,
               PC);
    UB |= R.State & StateUB;
    S.Bits[I] = R.Bits;
    PoisonMask |= uint64_t(R.State & StatePoison) << I;
  }
  S.Poison = PoisonMask;
  if (UB)
    R = OpResult{0, StatePoison | StateUB};
  return R;
}

} // namespace ops
} // namespace filter
} // namespace neuropt

#endif // NEUROPT_KERNELS_SYNTHFILTEROPS_H
