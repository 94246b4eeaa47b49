//===- CEGISTest.cpp - CEGIS's Z3 encoding agrees with the filter ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// CEGIS encodes the bytecode semantics (SynthFilterOps.h) into Z3. For every
// opcode, a program with one constant hole computes the target with a known
// constant; CEGIS must find a constant with which the program agrees with
// the target on every input. A Z3 encoding that disagreed with the filter's
// semantics would return constants the filter rejects, round after round,
// and end without one.
//
//===----------------------------------------------------------------------===//

#include "../../../lib/Synth/SynthInternal.h"
#include "neuropt/Kernels/SynthFilterOps.h"

#include "IRTestUtil.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "gtest/gtest.h"

using namespace neuropt;
using namespace neuropt::synth;
using filter::Op;

namespace {

CegisLimits limits(unsigned GuardMs, uint64_t Units = UINT64_MAX) {
  CegisLimits L;
  L.GuardMs = GuardMs;
  L.QueryGuardMs = 2000;
  L.QueryUnits = 4000000;
  L.Units = Units;
  return L;
}

/// Inputs for one variable of width \p W, and the target `op(v, K)` (or the
/// op's natural shape) evaluated by the reference interpreter.
filter::InputBatch batchFor(const std::vector<filter::Inst> &Insts,
                            unsigned VarW, unsigned ResW, uint64_t K) {
  filter::InputBatch B;
  B.NumVars = 1;
  B.NumInputs = 64;
  B.VarWidths = {uint8_t(VarW)};
  B.ResultWidth = ResW;
  uint64_t S = 0x1234;
  for (unsigned I = 0; I != B.NumInputs; ++I) {
    S = S * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t V = I < 8 ? uint64_t(I) - 4 : S >> 7;
    B.Values.push_back(V & filter::ops::mask(VarW));
  }
  filter::ProgramSet Set;
  Set.Insts = Insts;
  Set.Consts = {K};
  filter::Program P;
  P.NumInsts = Insts.size();
  P.NumConsts = 1;
  Set.Programs.push_back(P);
  for (unsigned I = 0; I != B.NumInputs; ++I) {
    filter::ConcreteValue V = filter::evaluate(Set, 0, B, I);
    B.Expected.push_back(V.Poison ? 0 : V.Bits);
    B.ExpectedPoison.push_back(V.Poison);
  }
  return B;
}

filter::Inst inst(Op O, unsigned W, unsigned SW, unsigned Flags, uint8_t A,
                  uint8_t B, uint8_t C = 0) {
  filter::Inst I{};
  I.Opcode = O;
  I.Width = W;
  I.SrcWidth = SW;
  I.Flags = Flags;
  I.A = A;
  I.B = B;
  I.C = C;
  return I;
}

TEST(CEGISTest, EncodingAgreesWithFilterOnEveryOpcode) {
  // Slot 0: the variable; slot 1: the hole; slot 2..: instructions.
  struct Case {
    std::vector<filter::Inst> Insts;
    unsigned VarW, ResW;
    uint64_t K;
  };
  std::vector<Case> Cases;
  for (unsigned W : {8u, 32u, 64u}) {
    uint64_t K = 5;
    for (Op O : {Op::Add, Op::Sub, Op::Mul, Op::UDiv, Op::SDiv, Op::URem,
                 Op::SRem, Op::Shl, Op::LShr, Op::AShr, Op::And, Op::Or,
                 Op::Xor, Op::UMin, Op::UMax, Op::SMin, Op::SMax}) {
      // 64-bit division bit-blasts slowly enough to hit the query timeout
      // on a loaded machine; 8 and 32 bits cover its encoding.
      bool Div = O == Op::UDiv || O == Op::SDiv || O == Op::URem ||
                 O == Op::SRem;
      if (Div && W == 64)
        continue;
      Cases.push_back({{inst(O, W, W, 0, 0, 1)}, W, W, K});
    }
    // Poison flags.
    Cases.push_back({{inst(Op::Add, W, W, filter::FlagNSW, 0, 1)}, W, W, K});
    Cases.push_back({{inst(Op::Mul, W, W, filter::FlagNUW, 0, 1)}, W, W, K});
    Cases.push_back({{inst(Op::Shl, W, W, filter::FlagNSW, 0, 1)}, W, W, 2});
    Cases.push_back({{inst(Op::LShr, W, W, filter::FlagExact, 0, 1)}, W, W, 1});
    if (W != 64)
      Cases.push_back(
          {{inst(Op::SDiv, W, W, filter::FlagExact, 0, 1)}, W, W, 2});
    // Constant on the left.
    Cases.push_back({{inst(Op::Sub, W, W, 0, 1, 0)}, W, W, 100});
    Cases.push_back({{inst(Op::Shl, W, W, 0, 1, 0)}, W, W, 3});
    // Comparisons: the result is i1.
    for (Op O : {Op::Eq, Op::Ne, Op::Ult, Op::Ule, Op::Ugt, Op::Uge, Op::Slt,
                 Op::Sle, Op::Sgt, Op::Sge})
      Cases.push_back({{inst(O, 1, W, 0, 0, 1)}, W, 1, 7});
    // Unary operations feeding an add with the hole.
    for (Op O : {Op::Ctpop, Op::Ctlz, Op::Cttz, Op::BitReverse, Op::Abs})
      Cases.push_back(
          {{inst(O, W, W, 0, 0, 0), inst(Op::Add, W, W, 0, 2, 1)}, W, W, K});
    if (W % 16 == 0)
      Cases.push_back({{inst(Op::Bswap, W, W, 0, 0, 0),
                        inst(Op::Xor, W, W, 0, 2, 1)},
                       W, W, K});
    // Funnel shifts by a constant amount.
    Cases.push_back({{inst(Op::FShl, W, W, 0, 0, 0, 1)}, W, W, 3});
    Cases.push_back({{inst(Op::FShr, W, W, 0, 0, 0, 1)}, W, W, 3});
    // select (v <u C), v, 0 through a comparison.
    Cases.push_back({{inst(Op::Ult, 1, W, 0, 0, 1),
                      inst(Op::Select, W, W, 0, 2, 0, 0)},
                     W, W, 9});
  }
  // Casts: to and from other widths.
  Cases.push_back({{inst(Op::ZExt, 32, 8, 0, 0, 0), inst(Op::Or, 32, 32, 0, 2, 1)},
                   8, 32, 0x100});
  Cases.push_back({{inst(Op::SExt, 64, 16, 0, 0, 0), inst(Op::And, 64, 64, 0, 2, 1)},
                   16, 64, 0xffff0});
  Cases.push_back({{inst(Op::Trunc, 8, 32, filter::FlagNUW, 0, 0),
                    inst(Op::Add, 8, 8, 0, 2, 1)},
                   32, 8, 3});

  for (const Case &C : Cases) {
    filter::InputBatch B = batchFor(C.Insts, C.VarW, C.ResW, C.K);
    std::vector<CegisJob> Jobs = {{C.Insts, 1}};
    std::vector<CegisAnswer> A = runCegis(Jobs, B, limits(20000));
    ASSERT_EQ(A.size(), 1u);
    EXPECT_EQ(A[0].Outcome, CegisOutcome::Found)
        << "opcode " << unsigned(C.Insts.back().Opcode) << " width "
        << C.ResW << " (first op " << unsigned(C.Insts[0].Opcode) << ")";
  }
}

TEST(CEGISTest, ImpossibleConstantIsUnsat) {
  // v + C == 2v on every input: no single C.
  filter::InputBatch B = batchFor({inst(Op::Mul, 32, 32, 0, 0, 1)}, 32, 32, 2);
  std::vector<CegisJob> Jobs = {{{inst(Op::Add, 32, 32, 0, 0, 1)}, 1}};
  std::vector<CegisAnswer> A = runCegis(Jobs, B, limits(20000));
  ASSERT_EQ(A.size(), 1u);
  EXPECT_EQ(A[0].Outcome, CegisOutcome::NoConstants);
  EXPECT_GE(A[0].Queries, 2u);
}

TEST(CEGISTest, DeadlineLeavesJobsUnknown) {
  filter::InputBatch B = batchFor({inst(Op::Mul, 64, 64, 0, 0, 1)}, 64, 64, 3);
  std::vector<CegisJob> Jobs(50, {{inst(Op::Mul, 64, 64, 0, 0, 1)}, 1});
  std::vector<CegisAnswer> A = runCegis(Jobs, B, limits(1));
  ASSERT_EQ(A.size(), 50u);
  EXPECT_EQ(A.back().Outcome, CegisOutcome::Unknown);
}

TEST(CEGISTest, UnitsAreReproducibleAndStopTheJobs) {
  // Five jobs that each need a constant (x * C == 12x): the units each
  // takes are the same on every run, and a limit of the first two jobs'
  // units answers exactly those two.
  filter::InputBatch B = batchFor({inst(Op::Mul, 32, 32, 0, 0, 1)}, 32, 32, 12);
  std::vector<CegisJob> Jobs(5, {{inst(Op::Mul, 32, 32, 0, 0, 1)}, 1});
  std::vector<CegisAnswer> A = runCegis(Jobs, B, limits(60000));
  std::vector<CegisAnswer> Again = runCegis(Jobs, B, limits(60000));
  ASSERT_EQ(A.size(), 5u);
  uint64_t FirstTwo = 0;
  for (size_t I = 0; I != 5; ++I) {
    EXPECT_EQ(A[I].Outcome, CegisOutcome::Found);
    EXPECT_GT(A[I].Units, 0u);
    EXPECT_EQ(A[I].Units, Again[I].Units) << "job " << I;
    if (I < 2)
      FirstTwo += A[I].Units;
  }
  std::vector<CegisAnswer> Cut = runCegis(Jobs, B, limits(60000, FirstTwo + 1));
  EXPECT_EQ(Cut[0].Outcome, CegisOutcome::Found);
  EXPECT_EQ(Cut[1].Outcome, CegisOutcome::Found);
  EXPECT_EQ(Cut[2].Outcome, CegisOutcome::Unknown);
  EXPECT_EQ(Cut[4].Outcome, CegisOutcome::Unknown);
}

TEST(EncodeLHSTest, AllOnesConstantGetsItsSlot) {
  // -1 as a uint64_t is DenseMap's empty key; the constant pool must still
  // give it a slot of its own.
  llvm::LLVMContext Ctx;
  std::unique_ptr<llvm::Module> M = parseIR(Ctx, R"(
define i1 @f(i64 %x) {
  %1 = add nuw nsw i64 %x, 1
  %2 = and i64 %1, 4294967295
  %3 = add nsw i64 %2, -1
  %4 = icmp ult i64 %3, 3
  ret i1 %4
}
)");
  ASSERT_TRUE(M);
  auto *Ret =
      llvm::cast<llvm::ReturnInst>(M->getFunction("f")->back().getTerminator());
  HarvestedDAG DAG =
      extractDAG(*llvm::cast<llvm::Instruction>(Ret->getReturnValue()));
  llvm::Expected<EncodedLHS> E = encodeLHS(DAG);
  ASSERT_TRUE(static_cast<bool>(E)) << llvm::toString(E.takeError());
  EXPECT_EQ(E->Set.Consts.size(), 4u);
  filter::InputBatch B;
  B.NumVars = 1;
  B.VarWidths = {64};
  B.ResultWidth = 1;
  B.Values = {0, 1, 2, 3, 4, 0xffffffffull, 0x100000002ull};
  B.NumInputs = B.Values.size();
  B.Expected.assign(B.NumInputs, 0);
  B.ExpectedPoison.assign(B.NumInputs, 0);
  ASSERT_FALSE(filter::validate(E->Set, B));
  for (unsigned I = 0; I != B.NumInputs; ++I) {
    uint64_t X = B.Values[I];
    uint64_t Want = (((X + 1) & 0xffffffffull) - 1) < 3;
    filter::ConcreteValue V = filter::evaluate(E->Set, 0, B, I);
    EXPECT_FALSE(V.Poison) << X;
    EXPECT_EQ(V.Bits, Want) << X;
  }
}

TEST(EncodeLHSTest, SaturatingLoweringsMatchAPInt) {
  // Every i8 pair through the bytecode of each saturating intrinsic, against
  // APInt's saturating arithmetic.
  llvm::LLVMContext Ctx;
  std::unique_ptr<llvm::Module> M = parseIR(Ctx, R"(
define i8 @uadd(i8 %x, i8 %y) {
  %r = call i8 @llvm.uadd.sat.i8(i8 %x, i8 %y)
  ret i8 %r
}
define i8 @usub(i8 %x, i8 %y) {
  %r = call i8 @llvm.usub.sat.i8(i8 %x, i8 %y)
  ret i8 %r
}
define i8 @sadd(i8 %x, i8 %y) {
  %r = call i8 @llvm.sadd.sat.i8(i8 %x, i8 %y)
  ret i8 %r
}
define i8 @ssub(i8 %x, i8 %y) {
  %r = call i8 @llvm.ssub.sat.i8(i8 %x, i8 %y)
  ret i8 %r
}
)");
  ASSERT_TRUE(M);
  for (const char *Name : {"uadd", "usub", "sadd", "ssub"}) {
    llvm::Function *F = M->getFunction(Name);
    auto *Ret = llvm::cast<llvm::ReturnInst>(F->back().getTerminator());
    HarvestedDAG DAG = extractDAG(
        *llvm::cast<llvm::Instruction>(Ret->getReturnValue()));
    llvm::Expected<EncodedLHS> E = encodeLHS(DAG);
    ASSERT_TRUE(static_cast<bool>(E)) << llvm::toString(E.takeError());
    // Leaf order is canonical: find which leaf is %x.
    bool XFirst = DAG.Leaves[0].V == F->getArg(0);
    filter::InputBatch B;
    B.NumVars = 2;
    B.NumInputs = 65536;
    B.VarWidths = {8, 8};
    B.ResultWidth = 8;
    B.Values.resize(2 * 65536);
    for (unsigned I = 0; I != 65536; ++I) {
      B.Values[I] = XFirst ? I & 255 : I >> 8;
      B.Values[65536 + I] = XFirst ? I >> 8 : I & 255;
    }
    unsigned Bad = 0;
    for (unsigned I = 0; I != 65536 && Bad < 5; ++I) {
      llvm::APInt X(8, I & 255), Y(8, I >> 8);
      llvm::APInt Want = std::string(Name) == "uadd"   ? X.uadd_sat(Y)
                         : std::string(Name) == "usub" ? X.usub_sat(Y)
                         : std::string(Name) == "sadd" ? X.sadd_sat(Y)
                                                       : X.ssub_sat(Y);
      filter::ConcreteValue V = filter::evaluate(E->Set, 0, B, I);
      if (V.Poison || V.Bits != Want.getZExtValue()) {
        ++Bad;
        ADD_FAILURE() << Name << "(" << (I & 255) << ", " << (I >> 8)
                      << "): bytecode " << V.Bits << " poison " << V.Poison
                      << ", expected " << Want.getZExtValue();
      }
    }
  }
}

} // namespace
