//===- Enumerate.cpp - Bottom-up, cost-ordered candidate enumeration -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the LHS encoder (a harvested DAG as filter bytecode)
// and the enumerator of candidate right-hand sides.
//
// The encoder maps each instruction to its bytecode opcode, and lowers the
// few harvestable ones the bytecode lacks: [us]add.sat and [us]sub.sat to
// their compare-and-select definitions (checked against APInt on every i8
// pair in the unit tests), freeze to the identity (exact wherever its
// operand is defined; elsewhere the bytecode stays poison and constrains
// nothing). ushl.sat and sshl.sat are Unsupported.
//
// Candidates are expression trees over the LHS leaves and constant holes,
// built bottom-up by cost: level c holds every expression whose tree cost
// (the sum of its instructions' costs, CostModel.cpp) is exactly c, made by
// applying one operation to expressions of lower levels. Costs are positive,
// so the levels come out in increasing cost and the first proved candidate
// is a cheapest one. Nodes are hash-consed, so a sub-expression exists once.
//
// What is never built, because a cheaper or equal-cost form is built anyway:
//   - commutative operations with their operands in the other order, and
//     ugt/uge/sgt/sge (ult/ule/slt/sle with swapped operands);
//   - operations on holes only (a hole is a cheaper constant; select with a
//     computed condition and two constant arms is kept), casts and unary
//     operations of a hole, select on a hole;
//   - x-x, x^x, x&x, x|x, min/max(x,x), x/x, x%x, comparisons of x with x,
//     and select with equal arms;
//   - (x op C1) op C2 for associative op (x op C is cheaper);
//   - sub x, C (add x, -C), trunc of trunc, zext/sext/trunc of an extension,
//     bswap/bitreverse/abs of themselves;
//   - at i1: add and sub (xor), mul (and), divisions, remainders and shifts
//     (constants or UB), unary operations, and the order comparisons that
//     are xor/and/or in disguise (only eq, ne, ult and slt are kept);
//   - poison-generating flags (nsw, nuw, exact). A candidate with a flag
//     refines the LHS only if the same candidate without it does, at the same
//     cost, so flags never find a replacement the plain form does not.
//
// Dependence pruning: a leaf on which the LHS result provably depends (two
// inputs differing only in that leaf give two different defined results)
// must be read by the candidate; roots that do not read it are pruned.
//
// Dataflow pruning (Souper, OOPSLA'20): every node carries its known bits,
// computed from the leaves' known bits with LLVM's KnownBits transfer
// functions. A root whose known bits contradict the LHS result's (a bit
// known one in one and known zero in the other) cannot agree with the LHS
// anywhere the LHS is defined, so it is dropped before evaluation and
// counted as pruned.
//
//===----------------------------------------------------------------------===//

#include "SynthInternal.h"
#include "neuropt/Kernels/SynthFilterOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Operator.h"
#include "llvm/Support/Error.h"

#include <algorithm>
#include <functional>

using namespace llvm;

namespace neuropt {
namespace synth {

using filter::Op;

//===----------------------------------------------------------------------===//
// The LHS as bytecode
//===----------------------------------------------------------------------===//

static Error unsupported(const Twine &Why) {
  return createStringError(std::errc::not_supported, "%s",
                           Why.str().c_str());
}

namespace {
/// How one IR instruction becomes bytecode.
enum class Lowering { Direct, Freeze, UAddSat, USubSat, SAddSat, SSubSat };

std::optional<Lowering> loweringOf(const Instruction &I) {
  if (filterOpOf(I))
    return Lowering::Direct;
  if (isa<FreezeInst>(I))
    return Lowering::Freeze;
  if (const auto *II = dyn_cast<IntrinsicInst>(&I)) {
    switch (II->getIntrinsicID()) {
    case Intrinsic::uadd_sat: return Lowering::UAddSat;
    case Intrinsic::usub_sat: return Lowering::USubSat;
    case Intrinsic::sadd_sat: return Lowering::SAddSat;
    case Intrinsic::ssub_sat: return Lowering::SSubSat;
    default: break;
    }
  }
  return std::nullopt;
}
} // namespace

Expected<EncodedLHS> encodeLHS(const HarvestedDAG &DAG) {
  EncodedLHS E;
  if (DAG.Leaves.size() > filter::MaxVars)
    return unsupported(Twine(DAG.Leaves.size()) + " leaves (at most " +
                       Twine(filter::MaxVars) + ")");
  DenseMap<const Value *, unsigned> Slot;
  for (auto [I, L] : enumerate(DAG.Leaves)) {
    unsigned W = L.V->getType()->getIntegerBitWidth();
    if (W > 64)
      return unsupported("leaf of type i" + Twine(W) + " (at most i64)");
    E.VarWidths.push_back(W);
    Slot[L.V] = I;
  }
  unsigned RW = DAG.Root->getType()->getIntegerBitWidth();
  if (RW > 64)
    return unsupported("result of type i" + Twine(RW) + " (at most i64)");
  E.ResultWidth = RW;
  const unsigned NV = E.VarWidths.size();

  // First pass: how each instruction is lowered and which constants the
  // program needs (its own operands and those of the lowerings), since
  // constant slots precede instruction slots. Constants are pooled by
  // value: a value read at several widths fits each of them.
  SmallVector<Lowering, 16> Lower;
  // (A linear pool, not a DenseMap: -1 as a uint64_t is DenseMap's empty
  // key.)
  std::vector<uint64_t> Pool;
  auto PoolIndex = [&](uint64_t V) -> unsigned {
    return std::find(Pool.begin(), Pool.end(), V) - Pool.begin();
  };
  auto NeedConst = [&](uint64_t V) -> Error {
    if (PoolIndex(V) != Pool.size())
      return Error::success();
    if (Pool.size() == filter::MaxConsts)
      return unsupported("more than " + Twine(filter::MaxConsts) +
                         " distinct constants");
    Pool.push_back(V);
    return Error::success();
  };
  unsigned NumInsts = 0;
  for (const Instruction *I : DAG.Insts) {
    std::optional<Lowering> L = loweringOf(*I);
    if (!L) {
      if (const auto *II = dyn_cast<IntrinsicInst>(I))
        return unsupported(Intrinsic::getBaseName(II->getIntrinsicID()) +
                           " has no bytecode");
      return unsupported(Twine(I->getOpcodeName()) + " has no bytecode");
    }
    unsigned W = I->getType()->getIntegerBitWidth();
    if (W > 64)
      return unsupported("instruction of type i" + Twine(W));
    Lower.push_back(*L);
    unsigned NOps = *L == Lowering::Direct
                        ? filter::ops::numOperands(*filterOpOf(*I))
                    : *L == Lowering::Freeze ? 1
                                             : 2;
    for (unsigned K = 0; K != NOps; ++K) {
      const Value *V = I->getOperand(K);
      if (isa<UndefValue>(V))
        return unsupported("undef or poison operand");
      if (V->getType()->getIntegerBitWidth() > 64)
        return unsupported("operand of type i" +
                           Twine(V->getType()->getIntegerBitWidth()));
      if (const auto *CI = dyn_cast<ConstantInt>(V))
        if (Error Err = NeedConst(CI->getZExtValue()))
          return Err;
    }
    uint64_t M = filter::ops::mask(W), Min = uint64_t(1) << (W - 1);
    switch (*L) {
    case Lowering::Direct:
    case Lowering::Freeze:
      NumInsts += 1;
      break;
    case Lowering::UAddSat:
      if (Error Err = NeedConst(M))
        return Err;
      NumInsts += 3;
      break;
    case Lowering::USubSat:
      if (Error Err = NeedConst(0))
        return Err;
      NumInsts += 3;
      break;
    case Lowering::SAddSat:
    case Lowering::SSubSat:
      for (uint64_t C : {uint64_t(0), Min, Min - 1})
        if (Error Err = NeedConst(C))
          return Err;
      NumInsts += 8;
      break;
    }
  }
  if (NumInsts > filter::MaxInsts)
    return unsupported(Twine(NumInsts) + " bytecode instructions (at most " +
                       Twine(filter::MaxInsts) + ")");

  filter::ProgramSet &Set = E.Set;
  Set.Consts = Pool;
  E.Constants = Pool;
  const unsigned Base = NV + Pool.size();
  auto Emit = [&](Op O, unsigned W, unsigned SW, unsigned Flags, unsigned A,
                  unsigned B = 0, unsigned C = 0) -> unsigned {
    filter::Inst In{};
    In.Opcode = O;
    In.Width = W;
    In.SrcWidth = SW;
    In.Flags = Flags;
    In.A = A;
    In.B = B;
    In.C = C;
    Set.Insts.push_back(In);
    E.OpMask |= uint64_t(1) << unsigned(O);
    return Base + Set.Insts.size() - 1;
  };
  auto SlotOf = [&](const Value *V) -> unsigned {
    if (const auto *CI = dyn_cast<ConstantInt>(V))
      return NV + PoolIndex(CI->getZExtValue());
    return Slot.lookup(V);
  };
  for (auto [K, I] : enumerate(DAG.Insts)) {
    unsigned W = I->getType()->getIntegerBitWidth();
    uint64_t M = filter::ops::mask(W), Min = uint64_t(1) << (W - 1);
    auto C = [&, NV](uint64_t V) { return NV + PoolIndex(V); };
    unsigned A = SlotOf(I->getOperand(0));
    unsigned B = I->getNumOperands() > 1 ? SlotOf(I->getOperand(1)) : 0;
    unsigned R = 0;
    switch (Lower[K]) {
    case Lowering::Direct: {
      Op O = *filterOpOf(*I);
      unsigned Flags = 0;
      // Flags the bytecode models; the others (disjoint, nneg, samesign,
      // ctlz's is_zero_poison, abs's int_min_poison) are dropped, which
      // makes the bytecode LHS defined on more inputs than the IR: the
      // filter is then stricter than needed, never unsound (the proof uses
      // the IR).
      if (isa<OverflowingBinaryOperator>(I) || isa<TruncInst>(I)) {
        if (I->hasNoSignedWrap())
          Flags |= filter::FlagNSW;
        if (I->hasNoUnsignedWrap())
          Flags |= filter::FlagNUW;
      }
      if (isa<PossiblyExactOperator>(I) && I->isExact())
        Flags |= filter::FlagExact;
      if (const auto *PD = dyn_cast<PossiblyDisjointInst>(I))
        E.DroppedPoison |= PD->isDisjoint();
      if (isa<PossiblyNonNegInst>(I))
        E.DroppedPoison |= I->hasNonNeg();
      if (const auto *Cmp = dyn_cast<ICmpInst>(I))
        E.DroppedPoison |= Cmp->hasSameSign();
      if (O == Op::Ctlz || O == Op::Cttz || O == Op::Abs)
        E.DroppedPoison |= !cast<ConstantInt>(I->getOperand(1))->isZero();
      unsigned SW = I->getOperand(0)->getType()->getIntegerBitWidth();
      unsigned N = filter::ops::numOperands(O);
      R = Emit(O, W, SW, Flags, A, N > 1 ? B : 0,
               N > 2 ? SlotOf(I->getOperand(2)) : 0);
      break;
    }
    case Lowering::Freeze:
      // Identity on defined values; where the operand is poison the IR
      // picks a value and the bytecode stays poison (constrains nothing).
      // Known bits of the operand do not hold for that value, so the
      // driver uses only ValueTracking's facts for such a DAG.
      R = Emit(Op::Or, W, W, 0, A, A);
      E.DroppedPoison = true;
      E.HasFreeze = true;
      break;
    case Lowering::UAddSat: {
      unsigned S = Emit(Op::Add, W, W, 0, A, B);
      unsigned Ov = Emit(Op::Ult, 1, W, 0, S, A);
      R = Emit(Op::Select, W, W, 0, Ov, C(M), S);
      break;
    }
    case Lowering::USubSat: {
      unsigned Lt = Emit(Op::Ult, 1, W, 0, A, B);
      unsigned D = Emit(Op::Sub, W, W, 0, A, B);
      R = Emit(Op::Select, W, W, 0, Lt, C(0), D);
      break;
    }
    case Lowering::SAddSat:
    case Lowering::SSubSat: {
      // Overflow: the result's sign differs from a's, and (add) from b's
      // too, or (sub) a's and b's signs differ.
      bool Add = Lower[K] == Lowering::SAddSat;
      unsigned S = Emit(Add ? Op::Add : Op::Sub, W, W, 0, A, B);
      unsigned T1 = Add ? Emit(Op::Xor, W, W, 0, A, S)
                        : Emit(Op::Xor, W, W, 0, A, B);
      unsigned T2 = Add ? Emit(Op::Xor, W, W, 0, B, S)
                        : Emit(Op::Xor, W, W, 0, A, S);
      unsigned T3 = Emit(Op::And, W, W, 0, T1, T2);
      unsigned Ov = Emit(Op::Slt, 1, W, 0, T3, C(0));
      unsigned Neg = Emit(Op::Slt, 1, W, 0, A, C(0));
      unsigned Sat = Emit(Op::Select, W, W, 0, Neg, C(Min), C(Min - 1));
      R = Emit(Op::Select, W, W, 0, Ov, Sat, S);
      break;
    }
    }
    Slot[I] = R;
  }
  filter::Program P;
  P.FirstInst = 0;
  P.FirstConst = 0;
  P.NumInsts = Set.Insts.size();
  P.NumConsts = Set.Consts.size();
  Set.Programs.push_back(P);
  return E;
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

uint64_t NodeArena::keyOf(const Node &N) const {
  uint64_t H = 0xcbf29ce484222325ull;
  auto Mix = [&](uint64_t V) {
    H ^= V;
    H *= 0x100000001b3ull;
    H ^= H >> 29;
  };
  Mix(unsigned(N.Kind));
  Mix(unsigned(N.Op));
  Mix(N.Width);
  Mix(N.SrcWidth);
  Mix(N.Flags);
  for (int32_t O : N.Ops)
    Mix(static_cast<uint32_t>(O));
  // DenseMap reserves ~0 and ~0-1 as keys.
  return H & 0x7fffffffffffffffull;
}

bool NodeArena::same(const Node &A, const Node &B) const {
  return A.Kind == B.Kind && A.Op == B.Op && A.Width == B.Width &&
         A.SrcWidth == B.SrcWidth && A.Flags == B.Flags &&
         A.Ops[0] == B.Ops[0] && A.Ops[1] == B.Ops[1] && A.Ops[2] == B.Ops[2];
}

int32_t NodeArena::intern(Node N, bool &Existed) {
  uint64_t K = keyOf(N);
  auto &Bucket = ByHash[K];
  for (int32_t Id : Bucket)
    if (same(Nodes[Id], N)) {
      Existed = true;
      return Id;
    }
  Existed = false;
  int32_t Id = static_cast<int32_t>(Nodes.size());
  Nodes.push_back(std::move(N));
  Bucket.push_back(Id);
  return Id;
}

int32_t NodeArena::var(unsigned Leaf, unsigned Width, const KnownBits &K) {
  Node N;
  N.Kind = NodeKind::Var;
  N.Width = Width;
  N.Ops[0] = Leaf;
  N.VarMask = uint8_t(1) << Leaf;
  N.Known = K;
  bool Existed;
  return intern(std::move(N), Existed);
}

int32_t NodeArena::hole(unsigned Width) {
  Node N;
  N.Kind = NodeKind::Hole;
  N.Width = Width;
  N.NumHoles = 1;
  N.Known = KnownBits(Width);
  bool Existed;
  return intern(std::move(N), Existed);
}

int32_t NodeArena::inst(Op O, unsigned Width, unsigned SrcWidth,
                        unsigned Flags, ArrayRef<int32_t> Ops,
                        unsigned OwnCost, bool &Existed) {
  Node N;
  N.Kind = NodeKind::Inst;
  N.Op = O;
  N.Width = Width;
  N.SrcWidth = SrcWidth;
  N.Flags = Flags;
  N.NumOps = Ops.size();
  unsigned Cost = OwnCost, Insts = 1, Holes = 0;
  uint64_t Mask = uint64_t(1) << unsigned(O);
  uint8_t Vars = 0;
  SmallVector<const KnownBits *, 3> K;
  for (auto [I, Id] : enumerate(Ops)) {
    N.Ops[I] = Id;
    const Node &C = Nodes[Id];
    Cost += C.Cost;
    Insts += C.NumInsts;
    Holes += C.NumHoles;
    Mask |= C.OpMask;
    Vars |= C.VarMask;
    K.push_back(&C.Known);
  }
  N.Cost = std::min(Cost, 0xffffu);
  N.NumInsts = std::min(Insts, 255u);
  N.NumHoles = std::min(Holes, 255u);
  N.OpMask = Mask;
  N.VarMask = Vars;
  uint64_t Key = keyOf(N);
  auto It = ByHash.find(Key);
  if (It != ByHash.end())
    for (int32_t Id : It->second)
      if (same(Nodes[Id], N)) {
        Existed = true;
        return Id;
      }
  N.Known = transferKnownBits(O, Width, Flags, K);
  return intern(std::move(N), Existed);
}

KnownBits transferKnownBits(Op O, unsigned W, unsigned Flags,
                            ArrayRef<const KnownBits *> K) {
  const KnownBits &A = *K[0];
  KnownBits R(W);
  auto Bool = [&](std::optional<bool> B) {
    KnownBits X(1);
    if (B)
      X = KnownBits::makeConstant(APInt(1, *B));
    return X;
  };
  switch (O) {
  case Op::Add: R = KnownBits::add(A, *K[1]); break;
  case Op::Sub: R = KnownBits::sub(A, *K[1]); break;
  case Op::Mul: R = KnownBits::mul(A, *K[1]); break;
  case Op::UDiv: R = KnownBits::udiv(A, *K[1]); break;
  case Op::SDiv: R = KnownBits::sdiv(A, *K[1]); break;
  case Op::URem: R = KnownBits::urem(A, *K[1]); break;
  case Op::SRem: R = KnownBits::srem(A, *K[1]); break;
  case Op::Shl: R = KnownBits::shl(A, *K[1]); break;
  case Op::LShr: R = KnownBits::lshr(A, *K[1]); break;
  case Op::AShr: R = KnownBits::ashr(A, *K[1]); break;
  case Op::And: R = A & *K[1]; break;
  case Op::Or: R = A | *K[1]; break;
  case Op::Xor: R = A ^ *K[1]; break;
  case Op::UMin: R = KnownBits::umin(A, *K[1]); break;
  case Op::UMax: R = KnownBits::umax(A, *K[1]); break;
  case Op::SMin: R = KnownBits::smin(A, *K[1]); break;
  case Op::SMax: R = KnownBits::smax(A, *K[1]); break;
  case Op::Eq: R = Bool(KnownBits::eq(A, *K[1])); break;
  case Op::Ne: R = Bool(KnownBits::ne(A, *K[1])); break;
  case Op::Ult: R = Bool(KnownBits::ult(A, *K[1])); break;
  case Op::Ule: R = Bool(KnownBits::ule(A, *K[1])); break;
  case Op::Ugt: R = Bool(KnownBits::ugt(A, *K[1])); break;
  case Op::Uge: R = Bool(KnownBits::uge(A, *K[1])); break;
  case Op::Slt: R = Bool(KnownBits::slt(A, *K[1])); break;
  case Op::Sle: R = Bool(KnownBits::sle(A, *K[1])); break;
  case Op::Sgt: R = Bool(KnownBits::sgt(A, *K[1])); break;
  case Op::Sge: R = Bool(KnownBits::sge(A, *K[1])); break;
  case Op::Select:
    if (A.isConstant())
      R = A.getConstant().isOne() ? *K[1] : *K[2];
    else
      R = K[1]->intersectWith(*K[2]);
    break;
  case Op::FShl:
  case Op::FShr:
    if (K[2]->isConstant()) {
      unsigned S = K[2]->getConstant().urem(W);
      if (O == Op::FShr)
        S = (W - S) % W;
      if (S == 0) {
        R = O == Op::FShl ? A : *K[1];
      } else {
        R.Zero = A.Zero.shl(S) | K[1]->Zero.lshr(W - S);
        R.One = A.One.shl(S) | K[1]->One.lshr(W - S);
      }
    }
    break;
  case Op::ZExt: R = A.zext(W); break;
  case Op::SExt: R = A.sext(W); break;
  case Op::Trunc: R = A.trunc(W); break;
  case Op::Ctpop:
  case Op::Ctlz:
  case Op::Cttz: {
    unsigned Max = O == Op::Ctpop   ? A.countMaxPopulation()
                   : O == Op::Ctlz ? A.countMaxLeadingZeros()
                                   : A.countMaxTrailingZeros();
    unsigned Bits = llvm::bit_width(Max);
    if (Bits < W)
      R.Zero.setBitsFrom(Bits);
    break;
  }
  case Op::Bswap: R = A.byteSwap(); break;
  case Op::BitReverse: R = A.reverseBits(); break;
  case Op::Abs: R = A.abs(/*IntMinIsPoison=*/false); break;
  case Op::NumOps: break;
  }
  // A conflict means the operation is poison on every input; keep no facts
  // rather than contradictory ones.
  if (R.getBitWidth() != W || R.hasConflict())
    return KnownBits(W);
  return R;
}

int flatten(const NodeArena &A, int32_t Root, unsigned NumVars,
            std::vector<filter::Inst> &Insts) {
  const Node &R = A[Root];
  unsigned NumHoles = R.NumHoles;
  if (NumHoles > filter::MaxConsts)
    return -1;
  unsigned Base = NumVars + NumHoles;
  size_t First = Insts.size();
  unsigned NextHole = 0;
  DenseMap<int32_t, unsigned> Done; // Hole-free node -> slot.
  bool Overflow = false;
  // Post-order; trees are at most MaxRHSInsts deep, so recursion is fine.
  std::function<unsigned(int32_t)> Emit = [&](int32_t Id) -> unsigned {
    const Node &N = A[Id];
    if (N.Kind == NodeKind::Var)
      return N.Ops[0];
    if (N.Kind == NodeKind::Hole)
      return NumVars + NextHole++;
    if (N.NumHoles == 0) {
      auto It = Done.find(Id);
      if (It != Done.end())
        return It->second;
    }
    unsigned Slots[3] = {0, 0, 0};
    for (unsigned K = 0; K != N.NumOps; ++K)
      Slots[K] = Emit(N.Ops[K]);
    filter::Inst In{};
    In.Opcode = N.Op;
    In.Width = N.Width;
    In.SrcWidth = N.SrcWidth;
    In.Flags = N.Flags;
    In.A = Slots[0];
    In.B = Slots[1];
    In.C = Slots[2];
    unsigned Slot = Base + (Insts.size() - First);
    if (Slot >= 255 || Insts.size() - First >= filter::MaxInsts)
      Overflow = true;
    Insts.push_back(In);
    if (N.NumHoles == 0)
      Done[Id] = Slot;
    return Slot;
  };
  if (R.Kind != NodeKind::Inst) {
    unsigned S = Emit(Root);
    filter::Inst In{};
    In.Opcode = Op::Or;
    In.Width = R.Width;
    In.SrcWidth = R.Width;
    In.A = In.B = S;
    Insts.push_back(In);
    return NumHoles;
  }
  Emit(Root);
  if (Overflow) {
    Insts.resize(First);
    return -1;
  }
  return NumHoles;
}

std::vector<unsigned> holeWidths(ArrayRef<filter::Inst> Insts,
                                 unsigned NumVars, unsigned NumHoles) {
  std::vector<unsigned> W(NumHoles, 64);
  for (const filter::Inst &I : Insts) {
    bool CmpOrCast = filter::ops::isComparison(I.Opcode) ||
                     filter::ops::isCast(I.Opcode);
    unsigned OpW = CmpOrCast ? I.SrcWidth : I.Width;
    unsigned N = filter::ops::numOperands(I.Opcode);
    const uint8_t Slots[3] = {I.A, I.B, I.C};
    for (unsigned K = 0; K != N; ++K)
      if (Slots[K] >= NumVars && Slots[K] < NumVars + NumHoles)
        W[Slots[K] - NumVars] =
            std::min(W[Slots[K] - NumVars],
                     I.Opcode == Op::Select && K == 0 ? 1u : OpW);
  }
  return W;
}

//===----------------------------------------------------------------------===//
// The enumerator
//===----------------------------------------------------------------------===//

static bool isCommutative(Op O) {
  switch (O) {
  case Op::Add:
  case Op::Mul:
  case Op::And:
  case Op::Or:
  case Op::Xor:
  case Op::UMin:
  case Op::UMax:
  case Op::SMin:
  case Op::SMax:
  case Op::Eq:
  case Op::Ne:
    return true;
  default:
    return false;
  }
}

/// Binary operations for which op(x, x) is a leaf or a constant.
static bool trivialOnSame(Op O) {
  switch (O) {
  case Op::Sub:
  case Op::And:
  case Op::Or:
  case Op::Xor:
  case Op::UDiv:
  case Op::SDiv:
  case Op::URem:
  case Op::SRem:
  case Op::UMin:
  case Op::UMax:
  case Op::SMin:
  case Op::SMax:
  case Op::Eq:
  case Op::Ne:
  case Op::Ult:
  case Op::Ule:
  case Op::Slt:
  case Op::Sle:
    return true;
  default:
    return false;
  }
}

static const Op BinaryOps[] = {Op::Add,  Op::Sub,  Op::Mul,  Op::UDiv,
                               Op::SDiv, Op::URem, Op::SRem, Op::Shl,
                               Op::LShr, Op::AShr, Op::And,  Op::Or,
                               Op::Xor,  Op::UMin, Op::UMax, Op::SMin,
                               Op::SMax};
static const Op CmpOps[] = {Op::Eq, Op::Ne, Op::Ult, Op::Ule, Op::Slt,
                            Op::Sle};
static const Op UnaryOps[] = {Op::Ctpop, Op::Ctlz,       Op::Cttz,
                              Op::Bswap, Op::BitReverse, Op::Abs};

Enumerator::Enumerator(Config Cfg) : C(std::move(Cfg)) {
  SmallVector<uint8_t, 8> W(C.VarWidths.begin(), C.VarWidths.end());
  W.push_back(C.ResultWidth);
  W.push_back(1);
  llvm::sort(W);
  W.erase(std::unique(W.begin(), W.end()), W.end());
  Widths.assign(W.begin(), W.end());
  MinOp = minOpCost();
}

unsigned Enumerator::costOf(Op O, unsigned Width, unsigned SrcWidth,
                            bool ConstOperand) {
  uint64_t Key = unsigned(O) | uint64_t(Width) << 8 | uint64_t(SrcWidth) << 16 |
                 uint64_t(ConstOperand) << 24;
  auto It = CostCache.find(Key);
  if (It != CostCache.end())
    return It->second;
  unsigned Cost = opCost(O, Width, SrcWidth, ConstOperand, C.TTI, C.Ctx);
  CostCache[Key] = Cost;
  return Cost;
}

/// Whether a node can still matter: as a root (the result width), or as an
/// operand of a further instruction within the instruction and cost limits.
bool Enumerator::useful(const Node &N) const {
  if (N.NumHoles > C.MaxHoles)
    return false;
  if (N.Width == C.ResultWidth && N.Cost < C.CostLimit)
    return true;
  return N.NumInsts < C.MaxInsts && N.Cost + MinOp < C.CostLimit;
}

void Enumerator::addNode(Op O, unsigned Width, unsigned SrcWidth,
                         unsigned Flags, ArrayRef<int32_t> Ops,
                         unsigned Target, std::vector<int32_t> &Level) {
  ++NumAdds;
  unsigned Insts = 1, Holes = 0;
  for (int32_t Id : Ops) {
    Insts += Arena[Id].NumInsts;
    Holes += Arena[Id].NumHoles;
  }
  if (Insts > C.MaxInsts || Holes > C.MaxHoles)
    return;
  if (Width != C.ResultWidth && Insts >= C.MaxInsts)
    return;
  if (Arena.size() >= C.MaxNodes) {
    Truncated = true;
    return;
  }
  unsigned Own = Target;
  for (int32_t Id : Ops)
    Own -= Arena[Id].Cost;
  bool Existed = false;
  int32_t Id = Arena.inst(O, Width, SrcWidth, Flags, Ops, Own, Existed);
  if (Existed) {
    ++NumDuplicates;
    return;
  }
  if (useful(Arena[Id]))
    Level.push_back(Id);
}

bool Enumerator::nextLevel(std::vector<Candidate> &Out,
                           function_ref<bool()> Stop) {
  Out.clear();
  if (Cost >= C.CostLimit || Truncated)
    return false;
  const unsigned Target = Cost;
  std::vector<int32_t> Level;
  uint64_t Polls = 0;
  auto Poll = [&] {
    if ((++Polls & 1023) == 0 && Stop()) {
      Truncated = true;
      return true;
    }
    return Truncated;
  };

  if (Target == 0) {
    for (auto [I, W] : enumerate(C.VarWidths))
      Level.push_back(Arena.var(I, W, C.VarKnown[I]));
    for (uint8_t W : Widths)
      Level.push_back(Arena.hole(W));
  } else {
    // Nodes by width and cost, from the finished levels.
    auto Nodes = [&](unsigned W, unsigned Cost) -> ArrayRef<int32_t> {
      if (Cost >= Levels.size())
        return {};
      return Levels[Cost][widthIndex(W)];
    };
    auto IsHole = [&](int32_t Id) {
      return Arena[Id].Kind == NodeKind::Hole;
    };
    auto Kind = [&](int32_t Id) { return Arena[Id].Kind; };

    for (uint8_t W : Widths) {
      // Binary operations and comparisons.
      auto Binary = [&](Op O, unsigned ResW, unsigned OpW) {
        bool Comm = isCommutative(O);
        for (bool ConstOp : {false, true}) {
          unsigned Own = costOf(O, ResW, OpW, ConstOp);
          if (Own > Target)
            continue;
          unsigned Rest = Target - Own;
          for (unsigned C1 = 0; C1 <= Rest; ++C1) {
            unsigned C2 = Rest - C1;
            if (ConstOp && C2 != 0)
              continue;
            for (int32_t A : Nodes(OpW, C1)) {
              if (Poll())
                return;
              for (int32_t B : Nodes(OpW, C2)) {
                const Node &NB = Arena[B];
                if (NB.Width != OpW || IsHole(B) != ConstOp)
                  continue;
                if (IsHole(A) && IsHole(B))
                  continue;
                if (A == B && trivialOnSame(O))
                  continue;
                if (Comm && (IsHole(A) || (!IsHole(B) && A > B)))
                  continue;
                if (O == Op::Sub && IsHole(B))
                  continue;
                // (x op C1) op C2 is x op C for associative ops.
                if (IsHole(B) && Arena[A].Kind == NodeKind::Inst &&
                    Arena[A].Op == O && Arena[A].NumOps == 2 &&
                    IsHole(Arena[A].Ops[1]) &&
                    (O == Op::Add || O == Op::Mul || O == Op::And ||
                     O == Op::Or || O == Op::Xor))
                  continue;
                addNode(O, ResW, OpW, 0, {A, B}, Target, Level);
              }
            }
          }
        }
      };
      for (Op O : BinaryOps) {
        if (W == 1 && (O == Op::Add || O == Op::Sub || O == Op::Mul ||
                       O == Op::UDiv || O == Op::SDiv ||
                       O == Op::URem || O == Op::SRem || O == Op::Shl ||
                       O == Op::LShr || O == Op::AShr))
          continue; // At i1: xor, and, a constant, or UB.
        Binary(O, W, W);
        if (Truncated)
          break;
      }
      for (Op O : CmpOps) {
        if (W == 1 && O != Op::Eq && O != Op::Ne && O != Op::Ult &&
            O != Op::Slt)
          continue;
        Binary(O, 1, W);
        if (Truncated)
          break;
      }
      if (Truncated)
        break;

      // select c, a, b.
      {
        unsigned Own = costOf(Op::Select, W, W, false);
        if (Own <= Target) {
          unsigned Rest = Target - Own;
          for (unsigned C0 = 0; C0 <= Rest && !Truncated; ++C0)
            for (int32_t Cond : Nodes(1, C0)) {
              if (Arena[Cond].Width != 1 || Kind(Cond) == NodeKind::Hole)
                continue;
              for (unsigned C1 = 0; C0 + C1 <= Rest && !Truncated; ++C1)
                for (int32_t A : Nodes(W, C1)) {
                  if (Arena[A].Width != W || Poll())
                    continue;
                  for (int32_t B : Nodes(W, Rest - C0 - C1)) {
                    // Two holes stay: select c, C1, C2 is no constant.
                    if (Arena[B].Width != W || A == B)
                      continue;
                    addNode(Op::Select, W, W, 0, {Cond, A, B}, Target, Level);
                  }
                }
            }
        }
      }

      // Funnel shifts: the amount is usually a constant.
      for (Op O : {Op::FShl, Op::FShr}) {
        if (W == 1)
          break;
        for (bool ConstOp : {true, false}) {
          unsigned Own = costOf(O, W, W, ConstOp);
          if (Own > Target)
            continue;
          unsigned Rest = Target - Own;
          for (unsigned C1 = 0; C1 <= Rest && !Truncated; ++C1)
            for (int32_t A : Nodes(W, C1)) {
              if (Arena[A].Width != W || Poll())
                continue;
              for (unsigned C2 = 0; C1 + C2 <= Rest; ++C2)
                for (int32_t B : Nodes(W, C2)) {
                  if (Arena[B].Width != W || (IsHole(A) && IsHole(B)))
                    continue;
                  unsigned C3 = Rest - C1 - C2;
                  if (ConstOp) {
                    if (C3 != 0)
                      continue;
                    addNode(O, W, W, 0, {A, B, Arena.hole(W)}, Target, Level);
                    continue;
                  }
                  for (int32_t S : Nodes(W, C3))
                    if (Arena[S].Width == W && !IsHole(S))
                      addNode(O, W, W, 0, {A, B, S}, Target, Level);
                }
            }
        }
      }

      // Unary operations and casts.
      auto Unary = [&](Op O, unsigned ResW, unsigned OpW) {
        unsigned Own = costOf(O, ResW, OpW, false);
        if (Own > Target)
          return;
        for (int32_t A : Nodes(OpW, Target - Own)) {
          const Node &NA = Arena[A];
          if (NA.Width != OpW || NA.Kind == NodeKind::Hole)
            continue;
          if (NA.Kind == NodeKind::Inst) {
            Op Inner = NA.Op;
            bool InnerExt = Inner == Op::ZExt || Inner == Op::SExt;
            if ((O == Op::Trunc && (Inner == Op::Trunc || InnerExt)) ||
                (InnerExt && (O == Op::ZExt || O == Op::SExt)) ||
                (Inner == O && (O == Op::Bswap || O == Op::BitReverse ||
                                O == Op::Abs)))
              continue;
          }
          addNode(O, ResW, OpW, 0, {A}, Target, Level);
        }
      };
      for (Op O : UnaryOps) {
        // At i1 every unary operation is the bit itself or a constant.
        if (W == 1 || (O == Op::Bswap && W % 16 != 0))
          continue;
        Unary(O, W, W);
      }
      for (uint8_t SW : Widths) {
        if (SW < W) {
          Unary(Op::ZExt, W, SW);
          Unary(Op::SExt, W, SW);
        } else if (SW > W) {
          Unary(Op::Trunc, W, SW);
        }
      }
      if (Truncated)
        break;
    }
  }

  if (Levels.size() <= Target)
    Levels.resize(Target + 1);
  Levels[Target].assign(Widths.size(), {});
  for (int32_t Id : Level)
    Levels[Target][widthIndex(Arena[Id].Width)].push_back(Id);
  ++Cost;
  if (Truncated)
    return true;

  // The roots of this level, pruned by known bits, scored by the guide.
  const KnownBits &RK = C.ResultKnown;
  for (int32_t Id : Level) {
    const Node &N = Arena[Id];
    if (N.Width != C.ResultWidth)
      continue;
    ++NumEnumerated;
    if ((N.VarMask & C.EssentialVars) != C.EssentialVars) {
      ++NumPruned;
      continue;
    }
    if (RK.getBitWidth() == N.Width &&
        ((N.Known.One & RK.Zero) != 0 || (N.Known.Zero & RK.One) != 0)) {
      ++NumPruned;
      continue;
    }
    Candidate Cand;
    Cand.Root = Id;
    Cand.Cost = N.Cost;
    int H = flatten(Arena, Id, C.VarWidths.size(), Cand.Insts);
    if (H < 0)
      continue;
    Cand.NumHoles = H;
    if (C.Guide && !C.Guide->OpcodeWeights.empty()) {
      float Sum = 0;
      unsigned Count = 0;
      for (unsigned O = 0; O != unsigned(Op::NumOps); ++O)
        if (N.OpMask >> O & 1) {
          if (O < C.Guide->OpcodeWeights.size())
            Sum += C.Guide->OpcodeWeights[O];
          ++Count;
        }
      float P = C.Guide->ConstantProb;
      Cand.Score = (Count ? Sum / Count : 0.0f) + (H ? P : 1.0f - P);
    }
    Out.push_back(std::move(Cand));
  }
  if (C.Guide && !C.Guide->OpcodeWeights.empty())
    llvm::stable_sort(Out, [](const Candidate &A, const Candidate &B) {
      return A.Score > B.Score;
    });
  return true;
}

} // namespace synth
} // namespace neuropt
