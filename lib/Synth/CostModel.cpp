//===- CostModel.cpp - Cost of integer DAGs and candidate operations -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the synthesis cost model. The cost of an operation is
// its code size plus its latency, both in the units of the x86-64 baseline
// (SysV psABI level 1: no POPCNT, LZCNT or BMI), as LLVM's x86 backend
// lowers it:
//
//   size    approximate machine instructions of the lowering (llc -O2)
//   latency cycles on the dependency chain (Skylake-class tables, llvm-mca)
//
// Every operation costs at least 1: even a free truncation is a use of a
// register and an instruction of the DAG, and the enumerator relies on costs
// being positive to build levels in increasing cost. An immediate operand
// matters for shifts (no CL set-up), funnel shifts and divisions (a division
// by a constant is a multiply-and-shift sequence instead of DIV/IDIV). In a
// DAG or RHS, whose constants are known, a 64-bit constant that is not a
// sign-extended 32-bit immediate costs one more instruction (MOVABS).
//
// With a TargetTransformInfo, the cost is the target's TCK_CodeSize plus
// TCK_Latency of the same instruction, built in a scratch function.
//
// bench/synth-cost-check.sh compares the table with llc-22 and llvm-mca-22
// on one function per operation; the agreement is in bench/results/synth.md.
//
//===----------------------------------------------------------------------===//

#include "SynthInternal.h"

#include "llvm/Analysis/TargetTransformInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace neuropt {
namespace synth {

using filter::Op;

const char *opName(Op O) {
  switch (O) {
  case Op::Add: return "add";
  case Op::Sub: return "sub";
  case Op::Mul: return "mul";
  case Op::UDiv: return "udiv";
  case Op::SDiv: return "sdiv";
  case Op::URem: return "urem";
  case Op::SRem: return "srem";
  case Op::Shl: return "shl";
  case Op::LShr: return "lshr";
  case Op::AShr: return "ashr";
  case Op::And: return "and";
  case Op::Or: return "or";
  case Op::Xor: return "xor";
  case Op::UMin: return "umin";
  case Op::UMax: return "umax";
  case Op::SMin: return "smin";
  case Op::SMax: return "smax";
  case Op::Eq: return "icmp eq";
  case Op::Ne: return "icmp ne";
  case Op::Ult: return "icmp ult";
  case Op::Ule: return "icmp ule";
  case Op::Ugt: return "icmp ugt";
  case Op::Uge: return "icmp uge";
  case Op::Slt: return "icmp slt";
  case Op::Sle: return "icmp sle";
  case Op::Sgt: return "icmp sgt";
  case Op::Sge: return "icmp sge";
  case Op::Select: return "select";
  case Op::FShl: return "fshl";
  case Op::FShr: return "fshr";
  case Op::ZExt: return "zext";
  case Op::SExt: return "sext";
  case Op::Trunc: return "trunc";
  case Op::Ctpop: return "ctpop";
  case Op::Ctlz: return "ctlz";
  case Op::Cttz: return "cttz";
  case Op::Bswap: return "bswap";
  case Op::BitReverse: return "bitreverse";
  case Op::Abs: return "abs";
  case Op::NumOps: break;
  }
  return "?";
}

namespace {
struct SizeLat {
  unsigned Size, Lat;
};
} // namespace

/// The built-in x86-64 table; see the file comment for the units.
static SizeLat builtinCost(Op O, unsigned W, unsigned SrcW, bool ConstOp) {
  bool Wide = W > 32;
  switch (O) {
  case Op::Add:
  case Op::Sub:
  case Op::And:
  case Op::Or:
  case Op::Xor:
    return {1, 1};
  case Op::Mul:
    return {1, 3};
  case Op::UDiv:
  case Op::URem:
    // DIV r32: ~26 cycles, r64: ~40; by a constant: MUL-high and shifts.
    if (ConstOp)
      return {4, 5};
    return {3, Wide ? 40u : 26u};
  case Op::SDiv:
  case Op::SRem:
    if (ConstOp)
      return {6, 6};
    return {3, Wide ? 42u : 27u};
  case Op::Shl:
  case Op::LShr:
  case Op::AShr:
    // By CL: a MOV to set up CL, and SHL r, CL is 3 uops on Skylake.
    return ConstOp ? SizeLat{1, 1} : SizeLat{2, 2};
  case Op::UMin:
  case Op::UMax:
  case Op::SMin:
  case Op::SMax:
    return {3, 2}; // MOV, CMP, CMOVcc.
  case Op::Eq:
  case Op::Ne:
  case Op::Ult:
  case Op::Ule:
  case Op::Ugt:
  case Op::Uge:
  case Op::Slt:
  case Op::Sle:
  case Op::Sgt:
  case Op::Sge:
    return {2, 1}; // CMP, SETcc.
  case Op::Select:
    return {2, 1}; // TEST, CMOVcc (the MOV usually folds into the CMOV).
  case Op::FShl:
  case Op::FShr:
    return ConstOp ? SizeLat{1, 3} : SizeLat{3, 4}; // SHLD/SHRD.
  case Op::ZExt:
    if (SrcW == 1)
      return {1, 1}; // MOVZX of a SETcc result, or AND $1.
    return SrcW == 32 && W == 64 ? SizeLat{1, 0} : SizeLat{1, 1};
  case Op::SExt:
    return {1, 1}; // MOVSX / MOVSXD.
  case Op::Trunc:
    // A sub-register, at most a MOV; to i1 the bit must be isolated (AND $1)
    // wherever it is used as an integer.
    return W == 1 ? SizeLat{1, 1} : SizeLat{1, 0};
  case Op::Ctpop:
    // No POPCNT in the baseline: the SWAR bit-count expansion.
    return Wide ? SizeLat{16, 12} : SizeLat{14, 11};
  case Op::Ctlz:
    return {4, 5}; // BSR, CMOV for zero, XOR with W-1.
  case Op::Cttz:
    return {3, 4}; // BSF (REP BSF), CMOV for zero.
  case Op::Bswap:
    return W == 16 ? SizeLat{1, 1} : SizeLat{1, 1}; // ROLW $8 / BSWAP.
  case Op::BitReverse:
    return Wide ? SizeLat{24, 14} : SizeLat{20, 12}; // BSWAP + 3 mask rounds.
  case Op::Abs:
    return {3, 2}; // MOV, NEG, CMOVS.
  case Op::NumOps:
    break;
  }
  return {2, 2};
}

/// Builds the operation as a real instruction in a scratch function and asks
/// the target.
static unsigned ttiCost(Op O, unsigned W, unsigned SrcW, bool ConstOp,
                        const TargetTransformInfo &TTI, LLVMContext &Ctx) {
  Module M("cost", Ctx);
  bool IsCast = O == Op::ZExt || O == Op::SExt || O == Op::Trunc;
  bool IsCmp = O >= Op::Eq && O <= Op::Sge;
  unsigned OpW = (IsCast || IsCmp) ? SrcW : W;
  Type *Ty = IntegerType::get(Ctx, OpW);
  unsigned NumOps = O == Op::Select || O == Op::FShl || O == Op::FShr ? 3
                    : O >= Op::ZExt ? 1
                                    : 2;
  SmallVector<Type *, 3> Params;
  for (unsigned I = 0; I != NumOps; ++I)
    Params.push_back(O == Op::Select && I == 0 ? Type::getInt1Ty(Ctx) : Ty);
  Function *F = Function::Create(
      FunctionType::get(IntegerType::get(Ctx, W), Params, false),
      GlobalValue::ExternalLinkage, "f", M);
  BasicBlock *BB = BasicBlock::Create(Ctx, "e", F);
  IRBuilder<> B(BB);
  SmallVector<Value *, 3> Ops;
  for (unsigned I = 0; I != NumOps; ++I)
    Ops.push_back(F->getArg(I));
  if (ConstOp && NumOps >= 2)
    Ops.back() = ConstantInt::get(Ty, 3);
  filter::Inst I{O, static_cast<uint8_t>(W), static_cast<uint8_t>(SrcW), 0,
                 0, 0, 0};
  Value *V = emitOp(B, I, Ops);
  B.CreateRet(V);
  auto *Inst = dyn_cast<Instruction>(V);
  if (!Inst)
    return 1;
  InstructionCost S =
      TTI.getInstructionCost(Inst, TargetTransformInfo::TCK_CodeSize);
  InstructionCost L =
      TTI.getInstructionCost(Inst, TargetTransformInfo::TCK_Latency);
  int64_t Sum = (S.isValid() ? S.getValue() : 4) +
                (L.isValid() ? L.getValue() : 4);
  return Sum < 1 ? 1 : static_cast<unsigned>(Sum);
}

unsigned opCost(Op O, unsigned Width, unsigned SrcWidth, bool ConstOperand,
                const TargetTransformInfo *TTI, LLVMContext *Ctx) {
  if (TTI && Ctx)
    return ttiCost(O, Width, SrcWidth, ConstOperand, *TTI, *Ctx);
  SizeLat C = builtinCost(O, Width, SrcWidth, ConstOperand);
  return std::max(1u, C.Size + C.Lat);
}

unsigned minOpCost() { return 1; }

std::optional<Op> filterOpOf(const Instruction &I) {
  if (const auto *BO = dyn_cast<BinaryOperator>(&I)) {
    switch (BO->getOpcode()) {
    case Instruction::Add: return Op::Add;
    case Instruction::Sub: return Op::Sub;
    case Instruction::Mul: return Op::Mul;
    case Instruction::UDiv: return Op::UDiv;
    case Instruction::SDiv: return Op::SDiv;
    case Instruction::URem: return Op::URem;
    case Instruction::SRem: return Op::SRem;
    case Instruction::Shl: return Op::Shl;
    case Instruction::LShr: return Op::LShr;
    case Instruction::AShr: return Op::AShr;
    case Instruction::And: return Op::And;
    case Instruction::Or: return Op::Or;
    case Instruction::Xor: return Op::Xor;
    default: return std::nullopt;
    }
  }
  if (const auto *Cmp = dyn_cast<ICmpInst>(&I)) {
    switch (Cmp->getPredicate()) {
    case CmpInst::ICMP_EQ: return Op::Eq;
    case CmpInst::ICMP_NE: return Op::Ne;
    case CmpInst::ICMP_ULT: return Op::Ult;
    case CmpInst::ICMP_ULE: return Op::Ule;
    case CmpInst::ICMP_UGT: return Op::Ugt;
    case CmpInst::ICMP_UGE: return Op::Uge;
    case CmpInst::ICMP_SLT: return Op::Slt;
    case CmpInst::ICMP_SLE: return Op::Sle;
    case CmpInst::ICMP_SGT: return Op::Sgt;
    case CmpInst::ICMP_SGE: return Op::Sge;
    default: return std::nullopt;
    }
  }
  if (isa<SelectInst>(I))
    return Op::Select;
  if (isa<ZExtInst>(I))
    return Op::ZExt;
  if (isa<SExtInst>(I))
    return Op::SExt;
  if (isa<TruncInst>(I))
    return Op::Trunc;
  if (const auto *II = dyn_cast<IntrinsicInst>(&I)) {
    switch (II->getIntrinsicID()) {
    case Intrinsic::ctpop: return Op::Ctpop;
    case Intrinsic::ctlz: return Op::Ctlz;
    case Intrinsic::cttz: return Op::Cttz;
    case Intrinsic::bswap: return Op::Bswap;
    case Intrinsic::bitreverse: return Op::BitReverse;
    case Intrinsic::abs: return Op::Abs;
    case Intrinsic::umin: return Op::UMin;
    case Intrinsic::umax: return Op::UMax;
    case Intrinsic::smin: return Op::SMin;
    case Intrinsic::smax: return Op::SMax;
    case Intrinsic::fshl: return Op::FShl;
    case Intrinsic::fshr: return Op::FShr;
    default: return std::nullopt;
    }
  }
  return std::nullopt;
}

/// What the wide constants of \p I add: x86-64 encodes the immediate of a
/// 64-bit operation as a sign-extended 32-bit value, so any other 64-bit
/// constant is first materialized by a 10-byte MOVABS, one more instruction
/// on the chain (size 1, latency 1). Shift and funnel-shift amounts are
/// 8-bit immediates and never need it. Without this, `and i64 %x, 1 << 63`
/// looked cheaper than the `and i8` / `zext` / `shl` it replaced, and grew
/// .text (bench/results/superopt.md, session 5).
static unsigned wideConstantCost(const Instruction &I) {
  unsigned Extra = 0;
  for (unsigned Op = 0, E = I.getNumOperands(); Op != E; ++Op) {
    const auto *CI = dyn_cast<ConstantInt>(I.getOperand(Op));
    if (!CI || CI->getBitWidth() <= 32 || CI->getValue().isSignedIntN(32))
      continue;
    const auto *II = dyn_cast<IntrinsicInst>(&I);
    bool IsFunnel = II && (II->getIntrinsicID() == Intrinsic::fshl ||
                           II->getIntrinsicID() == Intrinsic::fshr);
    if ((I.isShift() && Op == 1) || (IsFunnel && Op == 2))
      continue;
    Extra += 2;
  }
  return Extra;
}

/// Cost of one instruction, its wide constants aside.
static unsigned baseInstCost(const Instruction &I,
                             const TargetTransformInfo *TTI) {
  if (TTI) {
    InstructionCost S =
        TTI->getInstructionCost(&I, TargetTransformInfo::TCK_CodeSize);
    InstructionCost L =
        TTI->getInstructionCost(&I, TargetTransformInfo::TCK_Latency);
    int64_t Sum = (S.isValid() ? S.getValue() : 4) +
                  (L.isValid() ? L.getValue() : 4);
    return Sum < 1 ? 1 : static_cast<unsigned>(Sum);
  }
  if (isa<FreezeInst>(I))
    return 1;
  std::optional<Op> O = filterOpOf(I);
  if (!O)
    return 5; // Saturating arithmetic: ADD/SUB plus a CMOV fix-up.
  unsigned W = I.getType()->getIntegerBitWidth();
  unsigned SrcW = I.getOperand(0)->getType()->getIntegerBitWidth();
  // The operand a constant can stand in for: the last value operand.
  unsigned LastOp = isa<IntrinsicInst>(I) ? I.getNumOperands() - 2
                                          : I.getNumOperands() - 1;
  bool ConstOp = isa<Constant>(I.getOperand(LastOp));
  return opCost(*O, W, SrcW, ConstOp, nullptr, nullptr);
}

/// Cost of one instruction of a DAG or of a materialized RHS.
static unsigned instCost(const Instruction &I, const TargetTransformInfo *TTI) {
  return baseInstCost(I, TTI) + wideConstantCost(I);
}

unsigned functionCost(const Function &F, const TargetTransformInfo *TTI) {
  unsigned Sum = 0;
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB)
      if (!I.isTerminator())
        Sum += instCost(I, TTI);
  return Sum;
}

} // namespace synth

unsigned dagCost(const HarvestedDAG &DAG, const TargetTransformInfo *TTI) {
  unsigned Sum = 0;
  for (const Instruction *I : DAG.Insts)
    Sum += synth::instCost(*I, TTI);
  return Sum;
}

} // namespace neuropt
