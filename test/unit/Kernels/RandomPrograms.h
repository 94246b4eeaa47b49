//===- RandomPrograms.h - Random filter programs and inputs -----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Generators of well-typed random filter programs (every opcode, flags,
// casts, constants) and of input batches rich in the values where integer
// semantics have edges (0, 1, -1, INT_MIN, INT_MAX, ...). Shared by the
// filter's unit tests and bench/SynthFilterBM.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TEST_KERNELS_RANDOMPROGRAMS_H
#define NEUROPT_TEST_KERNELS_RANDOMPROGRAMS_H

#include "neuropt/Kernels/SynthFilter.h"

#include <cstdint>
#include <random>
#include <vector>

namespace neuropt {
namespace filter {
namespace testing {

inline uint64_t widthMask(unsigned W) { return ~uint64_t(0) >> (64 - W); }

/// A W-bit value, half the time an edge value.
inline uint64_t edgeValue(std::mt19937_64 &Rng, unsigned W) {
  uint64_t M = widthMask(W), Min = uint64_t(1) << (W - 1);
  switch (Rng() % 16) {
  case 0:
    return 0;
  case 1:
    return 1 & M;
  case 2:
    return M; // -1
  case 3:
    return Min; // INT_MIN
  case 4:
    return (Min - 1) & M; // INT_MAX
  case 5:
    return (Min + 1) & M;
  case 6:
    return 2 & M;
  case 7:
    return Rng() % (W < 6 ? (uint64_t(1) << W) : 64); // small, a shift amount
  default:
    return Rng() & M;
  }
}

/// Appends one random well-typed program computing a ResultWidth-bit value
/// from variables of widths \p VarWidths to \p Set.
inline void addRandomProgram(std::mt19937_64 &Rng, ProgramSet &Set,
                             const std::vector<uint8_t> &VarWidths,
                             unsigned ResultWidth, unsigned NumInsts,
                             unsigned ConstBudget = 3) {
  // Operands are built symbolically (variable, constant or instruction) and
  // numbered into slots at the end, once the constant count is known.
  enum Kind { Var, Const, Res };
  struct Ref {
    Kind K;
    unsigned Index;
  };
  struct SymInst {
    Inst I;
    Ref Ops[3];
  };
  std::vector<SymInst> Insts;
  std::vector<uint64_t> Consts;
  const unsigned NumVars = unsigned(VarWidths.size());

  auto operand = [&](unsigned W) -> Ref {
    std::vector<Ref> Cands;
    for (unsigned V = 0; V < NumVars; ++V)
      if (VarWidths[V] == W)
        Cands.push_back({Var, V});
    for (unsigned I = 0; I < Insts.size(); ++I)
      if (Insts[I].I.Width == W)
        Cands.push_back({Res, I});
    bool UseConst = Cands.empty() ||
                    (Consts.size() < ConstBudget && Rng() % 4 == 0);
    if (UseConst && Consts.size() < MaxConsts) {
      Consts.push_back(edgeValue(Rng, W));
      return {Const, unsigned(Consts.size() - 1)};
    }
    if (Cands.empty()) { // out of constants: reuse one that fits
      for (unsigned K = 0; K < Consts.size(); ++K)
        if (!(Consts[K] & ~widthMask(W)))
          return {Const, K};
      return {Const, 0};
    }
    return Cands[Rng() % Cands.size()];
  };

  // Widths in play: the variables', 1, and a wider one for casts.
  std::vector<unsigned> Widths = {1};
  for (uint8_t W : VarWidths)
    Widths.push_back(W);
  unsigned Wide = std::min(64u, 2u * VarWidths[0]);
  if (Wide > VarWidths[0])
    Widths.push_back(Wide);
  Widths.push_back(ResultWidth);

  static const Op Binary[] = {Op::Add,  Op::Sub,  Op::Mul,  Op::UDiv,
                              Op::SDiv, Op::URem, Op::SRem, Op::Shl,
                              Op::LShr, Op::AShr, Op::And,  Op::Or,
                              Op::Xor,  Op::UMin, Op::UMax, Op::SMin,
                              Op::SMax};
  static const Op Unary[] = {Op::Ctpop, Op::Ctlz,       Op::Cttz,
                             Op::Bswap, Op::BitReverse, Op::Abs};
  for (unsigned N = 0; N < NumInsts; ++N) {
    unsigned W =
        N + 1 == NumInsts ? ResultWidth : Widths[Rng() % Widths.size()];
    SymInst S{};
    S.I.Width = uint8_t(W);
    for (;;) {
      unsigned Cat = Rng() % 16;
      if (Cat < 7) { // binary, most common
        Op O = Binary[Rng() % (sizeof(Binary) / sizeof(Binary[0]))];
        S.I.Opcode = O;
        if (Rng() % 3 == 0) {
          if (O == Op::Add || O == Op::Sub || O == Op::Mul || O == Op::Shl)
            S.I.Flags = uint8_t(1 + Rng() % 3);
          else if (O == Op::UDiv || O == Op::SDiv || O == Op::LShr ||
                   O == Op::AShr)
            S.I.Flags = FlagExact;
        }
        S.Ops[0] = operand(W);
        S.Ops[1] = operand(W);
      } else if (Cat < 9) {
        if (W != 1)
          continue;
        S.I.Opcode = Op(unsigned(Op::Eq) + Rng() % 10);
        unsigned SW = Widths[1 + Rng() % (Widths.size() - 1)];
        S.I.SrcWidth = uint8_t(SW);
        S.Ops[0] = operand(SW);
        S.Ops[1] = operand(SW);
      } else if (Cat < 10) {
        S.I.Opcode = Op::Select;
        S.Ops[0] = operand(1);
        S.Ops[1] = operand(W);
        S.Ops[2] = operand(W);
      } else if (Cat < 11) {
        S.I.Opcode = Rng() % 2 ? Op::FShl : Op::FShr;
        for (Ref &R : S.Ops)
          R = operand(W);
      } else if (Cat < 13) {
        Op O = Unary[Rng() % (sizeof(Unary) / sizeof(Unary[0]))];
        if (O == Op::Bswap && W % 16 != 0)
          continue;
        S.I.Opcode = O;
        if (O == Op::Abs && Rng() % 3 == 0)
          S.I.Flags = FlagNSW; // int_min_is_poison
        S.Ops[0] = operand(W);
      } else {
        // A cast from another width in play.
        unsigned SW = Widths[Rng() % Widths.size()];
        if (SW == W)
          continue;
        if (SW < W) {
          S.I.Opcode = Rng() % 2 ? Op::ZExt : Op::SExt;
        } else {
          S.I.Opcode = Op::Trunc;
          if (Rng() % 3 == 0)
            S.I.Flags = uint8_t(1 + Rng() % 3);
        }
        S.I.SrcWidth = uint8_t(SW);
        S.Ops[0] = operand(SW);
      }
      break;
    }
    Insts.push_back(S);
  }

  Program P;
  P.FirstInst = uint32_t(Set.Insts.size());
  P.FirstConst = uint32_t(Set.Consts.size());
  P.NumInsts = uint16_t(Insts.size());
  P.NumConsts = uint16_t(Consts.size());
  const unsigned Base = NumVars + unsigned(Consts.size());
  for (const SymInst &S : Insts) {
    Inst I = S.I;
    uint8_t *Slots[3] = {&I.A, &I.B, &I.C};
    unsigned N = I.Opcode <= Op::Sge ? 2 : I.Opcode <= Op::FShr ? 3 : 1;
    for (unsigned K = 0; K < N; ++K) {
      const Ref &R = S.Ops[K];
      *Slots[K] = uint8_t(R.K == Var     ? R.Index
                          : R.K == Const ? NumVars + R.Index
                                         : Base + R.Index);
    }
    Set.Insts.push_back(I);
  }
  Set.Consts.insert(Set.Consts.end(), Consts.begin(), Consts.end());
  Set.Programs.push_back(P);
}

/// A batch of \p NumInputs random inputs (edge values included) for
/// variables of widths \p VarWidths; Expected is left all-poison.
inline InputBatch randomBatch(std::mt19937_64 &Rng,
                              const std::vector<uint8_t> &VarWidths,
                              unsigned ResultWidth, unsigned NumInputs) {
  InputBatch B;
  B.NumVars = unsigned(VarWidths.size());
  B.NumInputs = NumInputs;
  B.VarWidths = VarWidths;
  B.ResultWidth = uint8_t(ResultWidth);
  B.Values.resize(size_t(B.NumVars) * NumInputs);
  for (unsigned V = 0; V < B.NumVars; ++V)
    for (unsigned I = 0; I < NumInputs; ++I)
      B.Values[size_t(V) * NumInputs + I] = edgeValue(Rng, VarWidths[V]);
  B.Expected.assign(NumInputs, 0);
  B.ExpectedPoison.assign(NumInputs, 1);
  return B;
}

/// Sets the batch's target to program \p Target of \p Set, by evaluate().
inline void setTarget(const ProgramSet &Set, unsigned Target,
                      InputBatch &B) {
  for (unsigned I = 0; I < B.NumInputs; ++I) {
    ConcreteValue V = evaluate(Set, Target, B, I);
    B.Expected[I] = V.Poison ? 0 : V.Bits;
    B.ExpectedPoison[I] = V.Poison;
  }
}

} // namespace testing
} // namespace filter
} // namespace neuropt

#endif // NEUROPT_TEST_KERNELS_RANDOMPROGRAMS_H
