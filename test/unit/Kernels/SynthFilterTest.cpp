//===- SynthFilterTest.cpp - Tests of the synthesis candidate filter ------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The semantics of every filter opcode against hand-computed values
// (including LangRef's poison and UB rules), validate()'s rejections, the
// blocked multi-threaded CPU filter against the per-input reference, and the
// CUDA filter against the CPU filter (skipped without a GPU).
//
//===----------------------------------------------------------------------===//

#include "RandomPrograms.h"
#include "neuropt/Kernels/SynthFilter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

using namespace neuropt;
using namespace neuropt::filter;
using neuropt::filter::testing::addRandomProgram;
using neuropt::filter::testing::randomBatch;
using neuropt::filter::testing::setTarget;

namespace {

/// Builds one-input problems: variables with given widths and values, a
/// program of instructions over slots, and evaluates it.
struct Case {
  std::vector<uint8_t> VarWidths;
  std::vector<uint64_t> VarValues;
  std::vector<uint64_t> Consts;
  std::vector<Inst> Insts;

  ProgramSet set() const {
    ProgramSet S;
    Program P;
    P.NumInsts = uint16_t(Insts.size());
    P.NumConsts = uint16_t(Consts.size());
    S.Programs.push_back(P);
    S.Insts = Insts;
    S.Consts = Consts;
    return S;
  }
  InputBatch batch() const {
    InputBatch B;
    B.NumVars = unsigned(VarWidths.size());
    B.NumInputs = 1;
    B.VarWidths = VarWidths;
    B.Values = VarValues;
    B.Expected = {0};
    B.ExpectedPoison = {1};
    B.ResultWidth = Insts.back().Width;
    return B;
  }

  /// The value by evaluate(), after checking that validate() accepts the
  /// case and that filterCPU() (the blocked path) agrees: it passes against
  /// that value as the target and fails against any other defined value.
  ConcreteValue run() const {
    ProgramSet S = set();
    InputBatch B = batch();
    Status E = validate(S, B);
    EXPECT_FALSE(E) << E.message();
    if (E)
      return ConcreteValue{0, true};
    ConcreteValue V = evaluate(S, 0, B, 0);
    std::vector<uint8_t> Pass;
    B.ExpectedPoison = {0};
    B.Expected = {V.Poison ? 0 : V.Bits};
    EXPECT_FALSE(filterCPU(S, B, Pass, 1));
    EXPECT_EQ(Pass, std::vector<uint8_t>{uint8_t(!V.Poison)});
    B.Expected = {(V.Bits + 1) & (~uint64_t(0) >> (64 - B.ResultWidth))};
    EXPECT_FALSE(filterCPU(S, B, Pass, 1));
    EXPECT_EQ(Pass, std::vector<uint8_t>{0});
    return V;
  }
};

Inst inst(Op O, unsigned W, uint8_t A, uint8_t B = 0, uint8_t C = 0,
          uint8_t Flags = 0, unsigned SrcW = 0) {
  Inst I;
  I.Opcode = O;
  I.Width = uint8_t(W);
  I.SrcWidth = uint8_t(SrcW);
  I.Flags = Flags;
  I.A = A;
  I.B = B;
  I.C = C;
  return I;
}

/// `O A, B` on two W-bit variables.
ConcreteValue bin(Op O, unsigned W, uint64_t A, uint64_t B,
                  uint8_t Flags = 0) {
  Case C;
  C.VarWidths = {uint8_t(W), uint8_t(W)};
  C.VarValues = {A, B};
  bool Cmp = O >= Op::Eq && O <= Op::Sge;
  C.Insts = {inst(O, Cmp ? 1 : W, 0, 1, 0, Flags, Cmp ? W : 0)};
  return C.run();
}

/// `O A` on one SrcW-bit variable with result width W.
ConcreteValue un(Op O, unsigned W, uint64_t A, unsigned SrcW = 0,
                 uint8_t Flags = 0) {
  Case C;
  C.VarWidths = {uint8_t(SrcW ? SrcW : W)};
  C.VarValues = {A};
  C.Insts = {inst(O, W, 0, 0, 0, Flags, SrcW)};
  return C.run();
}

/// `O A, B, C` on three variables (A of width AW).
ConcreteValue tern(Op O, unsigned W, unsigned AW, uint64_t A, uint64_t B,
                   uint64_t Cv) {
  Case C;
  C.VarWidths = {uint8_t(AW), uint8_t(W), uint8_t(W)};
  C.VarValues = {A, B, Cv};
  C.Insts = {inst(O, W, 0, 1, 2)};
  return C.run();
}

#define EXPECT_VAL(Expr, Val)                                                  \
  do {                                                                         \
    ConcreteValue V_ = (Expr);                                                 \
    EXPECT_FALSE(V_.Poison) << #Expr;                                          \
    EXPECT_EQ(V_.Bits, uint64_t(Val)) << #Expr;                                \
  } while (0)
#define EXPECT_POISON(Expr) EXPECT_TRUE((Expr).Poison) << #Expr

constexpr uint64_t I64Min = uint64_t(1) << 63;
constexpr uint64_t I64Max = I64Min - 1;
constexpr uint64_t AllOnes = ~uint64_t(0);

TEST(SynthFilterSemantics, AddSub) {
  EXPECT_VAL(bin(Op::Add, 8, 100, 100), 200);
  EXPECT_POISON(bin(Op::Add, 8, 100, 100, FlagNSW));
  EXPECT_VAL(bin(Op::Add, 8, 100, 100, FlagNUW), 200);
  EXPECT_VAL(bin(Op::Add, 8, 200, 100), 44);
  EXPECT_POISON(bin(Op::Add, 8, 200, 100, FlagNUW));
  EXPECT_VAL(bin(Op::Add, 8, 200, 100, FlagNSW), 44); // -56 + 100
  EXPECT_VAL(bin(Op::Add, 64, AllOnes, 1), 0);
  EXPECT_POISON(bin(Op::Add, 64, AllOnes, 1, FlagNUW));
  EXPECT_VAL(bin(Op::Add, 64, AllOnes, 1, FlagNSW), 0);
  EXPECT_POISON(bin(Op::Add, 64, I64Max, 1, FlagNSW));
  EXPECT_VAL(bin(Op::Add, 1, 1, 1), 0);
  EXPECT_POISON(bin(Op::Add, 1, 1, 1, FlagNUW));
  // i1 1 is -1: -1 + -1 = -2 overflows i1.
  EXPECT_POISON(bin(Op::Add, 1, 1, 1, FlagNSW));
  EXPECT_VAL(bin(Op::Sub, 8, 5, 10), 251);
  EXPECT_POISON(bin(Op::Sub, 8, 5, 10, FlagNUW));
  EXPECT_VAL(bin(Op::Sub, 8, 5, 10, FlagNSW), 251);
  EXPECT_POISON(bin(Op::Sub, 8, 0x80, 1, FlagNSW));
  EXPECT_POISON(bin(Op::Sub, 64, 0, I64Min, FlagNSW));
  EXPECT_VAL(bin(Op::Sub, 64, 0, I64Max, FlagNSW), I64Min + 1);
}

TEST(SynthFilterSemantics, Mul) {
  EXPECT_VAL(bin(Op::Mul, 8, 16, 16), 0);
  EXPECT_POISON(bin(Op::Mul, 8, 16, 16, FlagNUW));
  EXPECT_POISON(bin(Op::Mul, 8, 16, 16, FlagNSW));
  EXPECT_VAL(bin(Op::Mul, 8, 0xF8, 16, FlagNSW), 0x80); // -8 * 16 = -128
  EXPECT_POISON(bin(Op::Mul, 8, 0xF8, 16, FlagNUW));
  EXPECT_VAL(bin(Op::Mul, 32, 0xFFFFFFFF, 0xFFFFFFFF, FlagNSW), 1);
  EXPECT_POISON(bin(Op::Mul, 32, 0xFFFFFFFF, 0xFFFFFFFF, FlagNUW));
  EXPECT_VAL(bin(Op::Mul, 64, 1ull << 32, 1ull << 32), 0);
  EXPECT_POISON(bin(Op::Mul, 64, 1ull << 32, 1ull << 32, FlagNUW));
  EXPECT_POISON(bin(Op::Mul, 64, 1ull << 31, 1ull << 32, FlagNSW));
  EXPECT_VAL(bin(Op::Mul, 64, 1ull << 31, 1ull << 32, FlagNUW), I64Min);
  // -2^31 * 2^32 = -2^63 fits.
  EXPECT_VAL(bin(Op::Mul, 64, (uint64_t(0) - (1ull << 31)), 1ull << 32,
                 FlagNSW),
             I64Min);
  EXPECT_VAL(bin(Op::Mul, 64, AllOnes, AllOnes, FlagNSW), 1);
  EXPECT_POISON(bin(Op::Mul, 64, AllOnes, I64Min, FlagNSW)); // -1 * INT_MIN
  // i40: 2^20 * 2^19 = 2^39 overflows signed, not unsigned.
  EXPECT_POISON(bin(Op::Mul, 40, 1ull << 20, 1ull << 19, FlagNSW));
  EXPECT_VAL(bin(Op::Mul, 40, 1ull << 20, 1ull << 19, FlagNUW), 1ull << 39);
  EXPECT_POISON(bin(Op::Mul, 40, 1ull << 20, 1ull << 20, FlagNUW));
}

TEST(SynthFilterSemantics, Division) {
  EXPECT_VAL(bin(Op::UDiv, 8, 200, 7), 28);
  EXPECT_POISON(bin(Op::UDiv, 8, 200, 0));
  EXPECT_VAL(bin(Op::UDiv, 8, 200, 8, FlagExact), 25);
  EXPECT_POISON(bin(Op::UDiv, 8, 200, 7, FlagExact));
  EXPECT_VAL(bin(Op::SDiv, 8, 0xF9, 2), 0xFD); // -7 / 2 = -3
  EXPECT_VAL(bin(Op::SDiv, 8, 7, 0xFE), 0xFD); // 7 / -2 = -3
  EXPECT_POISON(bin(Op::SDiv, 8, 0x80, 0xFF));  // INT_MIN / -1
  EXPECT_POISON(bin(Op::SDiv, 8, 5, 0));
  EXPECT_VAL(bin(Op::SDiv, 8, 0xF8, 2, FlagExact), 0xFC);
  EXPECT_POISON(bin(Op::SDiv, 8, 0xF9, 2, FlagExact));
  EXPECT_POISON(bin(Op::SDiv, 64, I64Min, AllOnes));
  EXPECT_VAL(bin(Op::SDiv, 64, I64Min, 2), 0xC000000000000000ull);
  EXPECT_VAL(bin(Op::SDiv, 64, I64Min, I64Min), 1);
  EXPECT_VAL(bin(Op::URem, 8, 200, 7), 4);
  EXPECT_POISON(bin(Op::URem, 8, 200, 0));
  EXPECT_VAL(bin(Op::SRem, 8, 0xF9, 2), 0xFF); // -7 % 2 = -1
  EXPECT_VAL(bin(Op::SRem, 8, 7, 0xFE), 1);    // 7 % -2 = 1
  EXPECT_POISON(bin(Op::SRem, 8, 0x80, 0xFF));
  EXPECT_POISON(bin(Op::SRem, 8, 3, 0));
  EXPECT_VAL(bin(Op::SRem, 64, I64Min, 3), uint64_t(-2));
  EXPECT_VAL(bin(Op::UDiv, 1, 1, 1), 1);
  EXPECT_POISON(bin(Op::SDiv, 1, 1, 1)); // i1: -1 / -1 overflows
}

TEST(SynthFilterSemantics, Shifts) {
  EXPECT_VAL(bin(Op::Shl, 8, 1, 7), 128);
  EXPECT_POISON(bin(Op::Shl, 8, 1, 8));
  EXPECT_POISON(bin(Op::Shl, 8, 1, 255));
  EXPECT_POISON(bin(Op::Shl, 8, 0x81, 1, FlagNUW));
  EXPECT_VAL(bin(Op::Shl, 8, 0x81, 1), 2);
  EXPECT_POISON(bin(Op::Shl, 8, 0x40, 1, FlagNSW)); // 64 * 2 flips the sign
  EXPECT_VAL(bin(Op::Shl, 8, 0xC0, 1, FlagNSW), 0x80);
  EXPECT_POISON(bin(Op::Shl, 8, 0xC0, 1, FlagNUW));
  EXPECT_VAL(bin(Op::Shl, 8, 0x40, 1, FlagNUW), 0x80);
  EXPECT_VAL(bin(Op::Shl, 64, 1, 63), I64Min);
  EXPECT_POISON(bin(Op::Shl, 64, 1, 64));
  EXPECT_POISON(bin(Op::Shl, 64, 1, 63, FlagNSW));
  EXPECT_VAL(bin(Op::LShr, 8, 0x80, 7), 1);
  EXPECT_POISON(bin(Op::LShr, 8, 0x80, 8));
  EXPECT_POISON(bin(Op::LShr, 8, 0x81, 1, FlagExact));
  EXPECT_VAL(bin(Op::LShr, 8, 0x82, 1, FlagExact), 0x41);
  EXPECT_VAL(bin(Op::AShr, 8, 0x80, 7), 0xFF);
  EXPECT_VAL(bin(Op::AShr, 8, 0x40, 6), 1);
  EXPECT_VAL(bin(Op::AShr, 8, 0x84, 2, FlagExact), 0xE1);
  EXPECT_POISON(bin(Op::AShr, 8, 0x81, 1, FlagExact));
  EXPECT_VAL(bin(Op::AShr, 64, I64Min, 63), AllOnes);
  EXPECT_POISON(bin(Op::AShr, 64, I64Min, 64));
  EXPECT_VAL(bin(Op::AShr, 13, 0x1000, 12), 0x1FFF);
  EXPECT_POISON(bin(Op::Shl, 1, 1, 1));
  EXPECT_VAL(bin(Op::LShr, 1, 1, 0), 1);
}

TEST(SynthFilterSemantics, BitwiseAndMinMax) {
  EXPECT_VAL(bin(Op::And, 8, 0xF0, 0x3C), 0x30);
  EXPECT_VAL(bin(Op::Or, 8, 0xF0, 0x3C), 0xFC);
  EXPECT_VAL(bin(Op::Xor, 8, 0xF0, 0x3C), 0xCC);
  EXPECT_VAL(bin(Op::UMin, 8, 0x80, 0x7F), 0x7F);
  EXPECT_VAL(bin(Op::UMax, 8, 0x80, 0x7F), 0x80);
  EXPECT_VAL(bin(Op::SMin, 8, 0x80, 0x7F), 0x80);
  EXPECT_VAL(bin(Op::SMax, 8, 0x80, 0x7F), 0x7F);
  EXPECT_VAL(bin(Op::SMin, 64, I64Min, I64Max), I64Min);
  EXPECT_VAL(bin(Op::SMax, 64, AllOnes, 0), 0);
  EXPECT_VAL(bin(Op::UMax, 64, AllOnes, 0), AllOnes);
}

TEST(SynthFilterSemantics, Comparisons) {
  // 0x80 vs 0x7F at i8: unsigned 128 > 127, signed -128 < 127.
  EXPECT_VAL(bin(Op::Eq, 8, 0x80, 0x7F), 0);
  EXPECT_VAL(bin(Op::Ne, 8, 0x80, 0x7F), 1);
  EXPECT_VAL(bin(Op::Ult, 8, 0x80, 0x7F), 0);
  EXPECT_VAL(bin(Op::Ule, 8, 0x80, 0x7F), 0);
  EXPECT_VAL(bin(Op::Ugt, 8, 0x80, 0x7F), 1);
  EXPECT_VAL(bin(Op::Uge, 8, 0x80, 0x7F), 1);
  EXPECT_VAL(bin(Op::Slt, 8, 0x80, 0x7F), 1);
  EXPECT_VAL(bin(Op::Sle, 8, 0x80, 0x7F), 1);
  EXPECT_VAL(bin(Op::Sgt, 8, 0x80, 0x7F), 0);
  EXPECT_VAL(bin(Op::Sge, 8, 0x80, 0x7F), 0);
  for (Op O : {Op::Eq, Op::Ule, Op::Uge, Op::Sle, Op::Sge})
    EXPECT_VAL(bin(O, 8, 0x42, 0x42), 1);
  for (Op O : {Op::Ne, Op::Ult, Op::Ugt, Op::Slt, Op::Sgt})
    EXPECT_VAL(bin(O, 8, 0x42, 0x42), 0);
  EXPECT_VAL(bin(Op::Slt, 64, I64Min, 0), 1);
  EXPECT_VAL(bin(Op::Ult, 64, I64Min, 0), 0);
  EXPECT_VAL(bin(Op::Sgt, 1, 0, 1), 1); // i1 1 is -1
}

TEST(SynthFilterSemantics, SelectAndFunnelShifts) {
  EXPECT_VAL(tern(Op::Select, 8, 1, 1, 11, 22), 11);
  EXPECT_VAL(tern(Op::Select, 8, 1, 0, 11, 22), 22);
  EXPECT_VAL(tern(Op::FShl, 8, 8, 0x12, 0x34, 3), 0x91);
  EXPECT_VAL(tern(Op::FShr, 8, 8, 0x12, 0x34, 3), 0x46);
  EXPECT_VAL(tern(Op::FShl, 8, 8, 0x12, 0x34, 0), 0x12);
  EXPECT_VAL(tern(Op::FShr, 8, 8, 0x12, 0x34, 0), 0x34);
  EXPECT_VAL(tern(Op::FShl, 8, 8, 0x12, 0x34, 11), 0x91); // 11 % 8 == 3
  EXPECT_VAL(tern(Op::FShr, 8, 8, 0x12, 0x34, 8), 0x34);
  EXPECT_VAL(tern(Op::FShl, 64, 64, 1, I64Min, 64), 1);
  EXPECT_VAL(tern(Op::FShl, 64, 64, 1, I64Min, 1), 3);
  EXPECT_VAL(tern(Op::FShr, 64, 64, 1, 2, 1), I64Min | 1);
  EXPECT_VAL(tern(Op::FShr, 7, 7, 0x7F, 0, 10), 0x70); // 10 % 7 == 3
}

TEST(SynthFilterSemantics, Casts) {
  EXPECT_VAL(un(Op::ZExt, 16, 0x80, 8), 0x80);
  EXPECT_VAL(un(Op::SExt, 16, 0x80, 8), 0xFF80);
  EXPECT_VAL(un(Op::SExt, 64, 1, 1), AllOnes);
  EXPECT_VAL(un(Op::SExt, 64, 0x7F, 8), 0x7F);
  EXPECT_VAL(un(Op::Trunc, 8, 0x1234, 16), 0x34);
  EXPECT_POISON(un(Op::Trunc, 8, 0x1234, 16, FlagNUW));
  EXPECT_VAL(un(Op::Trunc, 8, 0x0034, 16, FlagNUW), 0x34);
  EXPECT_VAL(un(Op::Trunc, 8, 0xFF80, 16, FlagNSW), 0x80);
  EXPECT_POISON(un(Op::Trunc, 8, 0x0080, 16, FlagNSW));
  EXPECT_POISON(un(Op::Trunc, 8, 0xFF80, 16, FlagNUW));
  EXPECT_VAL(un(Op::Trunc, 1, AllOnes, 64), 1);
}

TEST(SynthFilterSemantics, BitCounting) {
  EXPECT_VAL(un(Op::Ctpop, 8, 0xF1), 5);
  EXPECT_VAL(un(Op::Ctpop, 64, AllOnes), 64);
  EXPECT_VAL(un(Op::Ctlz, 8, 0x10), 3);
  EXPECT_VAL(un(Op::Ctlz, 8, 0), 8); // is_zero_poison = false
  EXPECT_VAL(un(Op::Ctlz, 64, 0), 64);
  EXPECT_VAL(un(Op::Ctlz, 33, 1), 32);
  EXPECT_VAL(un(Op::Cttz, 8, 0x10), 4);
  EXPECT_VAL(un(Op::Cttz, 8, 0), 8);
  EXPECT_VAL(un(Op::Cttz, 64, I64Min), 63);
  EXPECT_VAL(un(Op::Cttz, 5, 0), 5);
  EXPECT_VAL(un(Op::Bswap, 16, 0x1234), 0x3412);
  EXPECT_VAL(un(Op::Bswap, 32, 0x12345678), 0x78563412);
  EXPECT_VAL(un(Op::Bswap, 48, 0x010203040506ull), 0x060504030201ull);
  EXPECT_VAL(un(Op::Bswap, 64, 0x0102030405060708ull), 0x0807060504030201ull);
  EXPECT_VAL(un(Op::BitReverse, 8, 1), 0x80);
  EXPECT_VAL(un(Op::BitReverse, 3, 1), 4);
  EXPECT_VAL(un(Op::BitReverse, 64, 1), I64Min);
  EXPECT_VAL(un(Op::BitReverse, 16, 0x00F1), 0x8F00);
  EXPECT_VAL(un(Op::Abs, 8, 0xFB), 5);
  EXPECT_VAL(un(Op::Abs, 8, 5), 5);
  EXPECT_VAL(un(Op::Abs, 8, 0x80), 0x80); // int_min_poison = false
  EXPECT_VAL(un(Op::Abs, 64, I64Min), I64Min);
  EXPECT_VAL(un(Op::Abs, 64, AllOnes), 1);
  // abs(x, true): FlagNSW is int_min_is_poison.
  EXPECT_POISON(un(Op::Abs, 8, 0x80, 0, FlagNSW));
  EXPECT_VAL(un(Op::Abs, 8, 0x81, 0, FlagNSW), 0x7F);
  EXPECT_POISON(un(Op::Abs, 64, I64Min, 0, FlagNSW));
}

// Poison flows along operands; select stops it on the unchosen arm and
// propagates it from the condition.
TEST(SynthFilterSemantics, PoisonPropagation) {
  // x:i8, c:i1. Slot 2: shl x, 9 (poison), slot 3: the op under test.
  auto Run = [](Inst Last, uint64_t Cond) {
    Case C;
    C.VarWidths = {8, 1};
    C.VarValues = {5, Cond};
    C.Consts = {9};
    C.Insts = {inst(Op::Shl, 8, 0, 2), Last};
    return C.run();
  };
  EXPECT_POISON(Run(inst(Op::Add, 8, 3, 0), 0));
  EXPECT_POISON(Run(inst(Op::And, 8, 3, 0), 0)); // and with poison
  EXPECT_POISON(Run(inst(Op::Eq, 1, 3, 3, 0, 0, 8), 0));
  EXPECT_POISON(Run(inst(Op::ZExt, 16, 3, 0, 0, 0, 8), 0));
  EXPECT_VAL(Run(inst(Op::Select, 8, 1, 0, 3), 1), 5);  // poison arm unchosen
  EXPECT_POISON(Run(inst(Op::Select, 8, 1, 0, 3), 0)); // poison arm chosen
  EXPECT_POISON(Run(inst(Op::FShl, 8, 0, 0, 3), 0));   // poison amount

  // A poison condition: shl i1 c, 1 is poison (shift >= width).
  Case C;
  C.VarWidths = {8, 1};
  C.VarValues = {5, 1};
  C.Consts = {1};
  C.Insts = {inst(Op::Shl, 1, 1, 2), inst(Op::Select, 8, 3, 0, 0)};
  EXPECT_POISON(C.run());

  // Poison in an unused instruction does not matter.
  Case U;
  U.VarWidths = {8};
  U.VarValues = {5};
  U.Consts = {9};
  U.Insts = {inst(Op::Shl, 8, 0, 1), inst(Op::Add, 8, 0, 0)};
  EXPECT_VAL(U.run(), 10);
}

// UB anywhere makes the whole program UB, used or not; a poison divisor,
// and a poison dividend over -1, are UB.
TEST(SynthFilterSemantics, UndefinedBehaviour) {
  auto Run = [](std::vector<uint64_t> Consts, std::vector<Inst> Insts) {
    Case C;
    C.VarWidths = {8};
    C.VarValues = {5};
    C.Consts = std::move(Consts);
    C.Insts = std::move(Insts);
    return C.run();
  };
  // Slots: 0 x, 1 c0, 2 c1, 3.. instructions.
  // udiv x, 0 unused, then add x, x.
  EXPECT_POISON(
      Run({0, 1}, {inst(Op::UDiv, 8, 0, 1), inst(Op::Add, 8, 0, 0)}));
  EXPECT_POISON(
      Run({0, 1}, {inst(Op::SRem, 8, 0, 1), inst(Op::Add, 8, 0, 0)}));
  // sdiv (shl x, 9), -1: a poison dividend may be INT_MIN: UB.
  EXPECT_POISON(Run({9, 0xFF}, {inst(Op::Shl, 8, 0, 1),
                                inst(Op::SDiv, 8, 3, 2),
                                inst(Op::Add, 8, 0, 0)}));
  // sdiv (shl x, 9), 2 is only poison, and unused.
  EXPECT_VAL(Run({9, 2}, {inst(Op::Shl, 8, 0, 1), inst(Op::SDiv, 8, 3, 2),
                          inst(Op::Add, 8, 0, 0)}),
             10);
  // udiv x, (shl x, 9): a poison divisor is UB.
  EXPECT_POISON(Run({9, 2}, {inst(Op::Shl, 8, 0, 1), inst(Op::UDiv, 8, 0, 3),
                             inst(Op::Add, 8, 0, 0)}));
  // udiv (shl x, 9), 2 unused: poison only.
  EXPECT_VAL(Run({9, 2}, {inst(Op::Shl, 8, 0, 1), inst(Op::UDiv, 8, 3, 2),
                          inst(Op::Add, 8, 0, 0)}),
             10);
}

// Target-poison inputs constrain nothing; candidate poison where the target
// is defined disagrees.
TEST(SynthFilter, TargetPoisonRules) {
  ProgramSet S;
  // P0: shl x, 1.  P1: shl nsw x, 1 (poison for x >= 64 as i8 signed).
  // P2: add x, 1.
  S.Insts = {inst(Op::Shl, 8, 0, 1), inst(Op::Shl, 8, 0, 1, 0, FlagNSW),
             inst(Op::Add, 8, 0, 1)};
  S.Consts = {1};
  for (unsigned I = 0; I < 3; ++I) {
    Program P;
    P.FirstInst = I;
    P.NumInsts = 1;
    P.NumConsts = 1;
    S.Programs.push_back(P);
  }
  InputBatch B;
  B.NumVars = 1;
  B.NumInputs = 3;
  B.VarWidths = {8};
  B.Values = {3, 100, 0x90};
  B.ResultWidth = 8;
  B.Expected = {6, 200, 0x20};
  B.ExpectedPoison = {0, 0, 0};
  std::vector<uint8_t> Pass;
  ASSERT_FALSE(validate(S, B));
  ASSERT_FALSE(filterCPU(S, B, Pass));
  EXPECT_EQ(Pass, (std::vector<uint8_t>{1, 0, 0}));
  // Where the target itself is poison (x = 100, 0x90 under nsw), the nsw
  // candidate may be poison too.
  B.ExpectedPoison = {0, 1, 1};
  ASSERT_FALSE(filterCPU(S, B, Pass));
  EXPECT_EQ(Pass, (std::vector<uint8_t>{1, 1, 0}));
  // No constraining input at all: everything passes.
  B.ExpectedPoison = {1, 1, 1};
  ASSERT_FALSE(filterCPU(S, B, Pass));
  EXPECT_EQ(Pass, (std::vector<uint8_t>{1, 1, 1}));
}

//===----------------------------------------------------------------------===//
// validate()
//===----------------------------------------------------------------------===//

struct ValidateFixture : ::testing::Test {
  ProgramSet S;
  InputBatch B;
  void SetUp() override {
    // x:i8, y:i8; c0 = 3; add x, c0 ; mul %0, y.
    S.Consts = {3};
    S.Insts = {inst(Op::Add, 8, 0, 2), inst(Op::Mul, 8, 3, 1)};
    Program P;
    P.NumInsts = 2;
    P.NumConsts = 1;
    S.Programs = {P};
    B.NumVars = 2;
    B.NumInputs = 2;
    B.VarWidths = {8, 8};
    B.Values = {1, 2, 3, 4};
    B.Expected = {12, 20};
    B.ExpectedPoison = {0, 0};
    B.ResultWidth = 8;
  }
  void expectRejected(const char *Fragment) {
    Status E = validate(S, B);
    ASSERT_TRUE(E) << "expected an error containing '" << Fragment << "'";
    EXPECT_NE(E.message().find(Fragment), std::string::npos) << E.message();
    std::vector<uint8_t> Pass;
    Status C = filterCPU(S, B, Pass);
    ASSERT_TRUE(C);
    EXPECT_EQ(C.message(), E.message());
    EXPECT_TRUE(filterCUDA(S, B, Pass)); // refused either way
  }
};

TEST_F(ValidateFixture, AcceptsAndFilters) {
  ASSERT_FALSE(validate(S, B));
  std::vector<uint8_t> Pass;
  ASSERT_FALSE(filterCPU(S, B, Pass));
  EXPECT_EQ(Pass, std::vector<uint8_t>{1}); // (1+3)*3, (2+3)*4
}
TEST_F(ValidateFixture, UseBeforeDefinition) {
  S.Insts[0].B = 4; // its own result
  expectRejected("not defined before");
}
TEST_F(ValidateFixture, WidthMismatch) {
  B.VarWidths[1] = 16;
  expectRejected("variable 1 of width 16");
}
TEST_F(ValidateFixture, ConstantTooWide) {
  S.Consts[0] = 256;
  expectRejected("does not fit in i8");
}
TEST_F(ValidateFixture, FlagsNotAllowed) {
  S.Insts[0].Opcode = Op::And;
  S.Insts[0].Flags = FlagNSW;
  expectRejected("not allowed");
}
TEST_F(ValidateFixture, ResultWidth) {
  B.ResultWidth = 16;
  B.Expected = {0, 0};
  expectRejected("result width 8");
}
TEST_F(ValidateFixture, BadOpcode) {
  S.Insts[1].Opcode = Op(200);
  expectRejected("unknown opcode");
}
TEST_F(ValidateFixture, BadWidth) {
  S.Insts[0].Width = 65;
  expectRejected("width 65");
}
TEST_F(ValidateFixture, BswapWidth) {
  S.Insts[1] = inst(Op::Bswap, 8, 3);
  expectRejected("multiple of 16");
}
TEST_F(ValidateFixture, ComparisonWidth) {
  S.Insts[1] = inst(Op::Eq, 8, 3, 1, 0, 0, 8);
  expectRejected("comparison has width 1");
}
TEST_F(ValidateFixture, ExtendMustWiden) {
  S.Insts[1] = inst(Op::ZExt, 8, 3, 0, 0, 0, 8);
  expectRejected("must widen");
}
TEST_F(ValidateFixture, TruncMustNarrow) {
  S.Insts[1] = inst(Op::Trunc, 8, 3, 0, 0, 0, 4);
  expectRejected("must narrow");
}
TEST_F(ValidateFixture, SelectCondition) {
  S.Insts[1] = inst(Op::Select, 8, 3, 0, 1); // 8-bit condition
  expectRejected("expected 1");
}
TEST_F(ValidateFixture, NoInstructions) {
  S.Programs[0].NumInsts = 0;
  expectRejected("0 instructions");
}
TEST_F(ValidateFixture, PoolBounds) {
  S.Programs[0].FirstInst = 1;
  expectRejected("exceed the pool");
}
TEST_F(ValidateFixture, ConstPoolBounds) {
  S.Programs[0].FirstConst = 1;
  expectRejected("exceed the pool");
}
TEST_F(ValidateFixture, BatchShape) {
  B.Values.pop_back();
  expectRejected("3 values, expected 2 x 2");
}
TEST_F(ValidateFixture, ValueTooWide) {
  B.Values[3] = 0x100;
  expectRejected("does not fit in i8");
}
TEST_F(ValidateFixture, ExpectedTooWide) {
  B.Expected[0] = 0x100;
  expectRejected("expected value 256");
}
TEST_F(ValidateFixture, TooManyVariables) {
  B.NumVars = 9;
  expectRejected("9 variables");
}

//===----------------------------------------------------------------------===//
// The blocked, threaded filter against the reference
//===----------------------------------------------------------------------===//

struct Shape {
  std::vector<uint8_t> VarWidths;
  unsigned ResultWidth;
  unsigned MaxInsts;
  unsigned NumInputs;
};

const Shape Shapes[] = {
    {{8}, 8, 3, 200},           {{8, 8}, 1, 3, 64},
    {{32, 32}, 32, 3, 300},     {{64, 64}, 64, 3, 130},
    {{13, 13, 1}, 13, 4, 97},   {{1, 1}, 1, 2, 5},
    {{16, 16}, 16, 6, 1000},    {{33}, 33, 3, 65},
    {{64, 64, 64}, 1, 5, 257},
};

/// Random problem: programs of the shape, target = one of them; a few
/// targets get extra poison inputs.
void randomProblem(std::mt19937_64 &Rng, const Shape &Sh, unsigned NumProgs,
                   ProgramSet &S, InputBatch &B, unsigned &Target) {
  for (unsigned P = 0; P < NumProgs; ++P)
    addRandomProgram(Rng, S, Sh.VarWidths, Sh.ResultWidth,
                     1 + unsigned(Rng() % Sh.MaxInsts));
  B = randomBatch(Rng, Sh.VarWidths, Sh.ResultWidth, Sh.NumInputs);
  Target = unsigned(Rng() % NumProgs);
  setTarget(S, Target, B);
  if (Rng() % 2)
    for (unsigned I = 0; I < B.NumInputs; ++I)
      if (Rng() % 8 == 0)
        B.ExpectedPoison[I] = 1;
}

std::vector<uint8_t> referencePass(const ProgramSet &S, const InputBatch &B) {
  std::vector<uint8_t> Pass(S.Programs.size(), 1);
  for (unsigned P = 0; P < S.Programs.size(); ++P)
    for (unsigned I = 0; I < B.NumInputs && Pass[P]; ++I) {
      if (B.ExpectedPoison[I])
        continue;
      ConcreteValue V = evaluate(S, P, B, I);
      if (V.Poison || V.Bits != B.Expected[I])
        Pass[P] = 0;
    }
  return Pass;
}

TEST(SynthFilter, ThreadsAgreeWithReference) {
  std::mt19937_64 Rng(20261121);
  unsigned TotalPass = 0, Total = 0;
  for (const Shape &Sh : Shapes) {
    for (unsigned Round = 0; Round < 3; ++Round) {
      ProgramSet S;
      InputBatch B;
      unsigned Target;
      randomProblem(Rng, Sh, 300, S, B, Target);
      Status E = validate(S, B);
      ASSERT_FALSE(E) << E.message();
      std::vector<uint8_t> Ref = referencePass(S, B);
      EXPECT_EQ(Ref[Target], 1);
      for (unsigned T : {1u, 2u, 3u, 0u}) {
        std::vector<uint8_t> Pass;
        ASSERT_FALSE(filterCPU(S, B, Pass, T));
        ASSERT_EQ(Pass, Ref) << "threads " << T << ", result width "
                             << Sh.ResultWidth;
      }
      for (uint8_t X : Ref)
        TotalPass += X;
      Total += unsigned(Ref.size());
    }
  }
  // Both outcomes must be exercised (beyond the targets themselves).
  EXPECT_GT(TotalPass, 2 * sizeof(Shapes) / sizeof(Shapes[0]) * 3);
  EXPECT_LT(TotalPass, Total / 2);
}

// The threaded filter validates as it goes but reports the same error as
// validate(): the first invalid program's, whatever the thread count.
TEST(SynthFilter, FirstInvalidProgramReported) {
  std::mt19937_64 Rng(5);
  ProgramSet S;
  std::vector<uint8_t> Widths = {16, 16};
  for (unsigned P = 0; P < 600; ++P)
    addRandomProgram(Rng, S, Widths, 16, 2);
  InputBatch B = randomBatch(Rng, Widths, 16, 100);
  setTarget(S, 0, B);
  ASSERT_FALSE(validate(S, B));
  S.Insts[S.Programs[470].FirstInst].Width = 0;
  S.Insts[S.Programs[130].FirstInst + 1].Width = 99;
  Status V = validate(S, B);
  ASSERT_TRUE(V);
  EXPECT_NE(V.message().find("program 130:"), std::string::npos)
      << V.message();
  for (unsigned T : {1u, 2u, 4u}) {
    std::vector<uint8_t> Pass;
    Status E = filterCPU(S, B, Pass, T);
    ASSERT_TRUE(E);
    EXPECT_EQ(E.message(), V.message()) << T << " threads";
  }
}

TEST(SynthFilter, EmptyCases) {
  ProgramSet S;
  InputBatch B;
  B.NumVars = 1;
  B.VarWidths = {8};
  B.ResultWidth = 8;
  std::vector<uint8_t> Pass = {7};
  ASSERT_FALSE(filterCPU(S, B, Pass));
  EXPECT_TRUE(Pass.empty());
  // No inputs: every program passes vacuously.
  S.Insts = {inst(Op::Add, 8, 0, 0)};
  S.Programs.resize(3);
  for (Program &P : S.Programs)
    P.NumInsts = 1;
  ASSERT_FALSE(filterCPU(S, B, Pass, 2));
  EXPECT_EQ(Pass, (std::vector<uint8_t>{1, 1, 1}));
}

TEST(SynthFilter, Int32OpsCount) {
  ProgramSet S;
  S.Insts = {inst(Op::Add, 8, 0, 0), inst(Op::Add, 64, 0, 0),
             inst(Op::UDiv, 64, 0, 0)};
  S.Programs.resize(2);
  S.Programs[0].NumInsts = 1; // add i8: 1 + compare 1 + poison 1
  S.Programs[1].FirstInst = 1;
  S.Programs[1].NumInsts = 2; // add i64 2 + udiv i64 64 + 2 + 1
  EXPECT_EQ(int32OpsPerEvaluation(S, 0), 3u);
  EXPECT_EQ(int32OpsPerEvaluation(S, 1), 69u);
  EXPECT_EQ(int32OpsPerEvaluation(S, 2), 0u);
}

//===----------------------------------------------------------------------===//
// CUDA agreement
//===----------------------------------------------------------------------===//

TEST(SynthFilterCudaAgreement, RandomProgramsByteIdentical) {
  if (Status E = cudaFilterAvailable())
    GTEST_SKIP() << "CUDA filter unavailable, agreement not checked: "
                 << E.message();
  std::mt19937_64 Rng(777);
  for (const Shape &Sh : Shapes) {
    for (unsigned Round = 0; Round < 2; ++Round) {
      ProgramSet S;
      InputBatch B;
      unsigned Target;
      randomProblem(Rng, Sh, 2000, S, B, Target);
      std::vector<uint8_t> Cpu, Warp, Block, Default;
      ASSERT_FALSE(filterCPU(S, B, Cpu));
      Status E = filterCUDA(S, B, Warp, CudaLayout::WarpPerProgram);
      ASSERT_FALSE(E) << E.message();
      E = filterCUDA(S, B, Block, CudaLayout::BlockPerProgram);
      ASSERT_FALSE(E) << E.message();
      E = filterCUDA(S, B, Default);
      ASSERT_FALSE(E) << E.message();
      EXPECT_EQ(Warp, Cpu);
      EXPECT_EQ(Block, Cpu);
      EXPECT_EQ(Default, Cpu);
    }
  }
  // All-poison target: nothing exits early, every (program, input) runs.
  ProgramSet S;
  InputBatch B;
  unsigned Target;
  randomProblem(Rng, Shapes[3], 3000, S, B, Target);
  B.ExpectedPoison.assign(B.NumInputs, 1);
  std::vector<uint8_t> Cpu, Gpu;
  ASSERT_FALSE(filterCPU(S, B, Cpu));
  ASSERT_FALSE(filterCUDA(S, B, Gpu));
  EXPECT_EQ(Gpu, Cpu);
}

TEST(SynthFilterCudaAgreement, ReportsWhyUnavailable) {
  // Either available, or an error that says why; never a crash.
  Status E = cudaFilterAvailable();
  if (E) {
    EXPECT_FALSE(E.message().empty());
  }
  std::vector<uint8_t> Pass;
  ProgramSet S;
  InputBatch B;
  B.ResultWidth = 8;
  Status F = filterCUDA(S, B, Pass);
  EXPECT_EQ(bool(E), bool(F)) << F.message();
}

} // namespace
