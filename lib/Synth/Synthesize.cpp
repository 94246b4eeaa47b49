//===- Synthesize.cpp - Filter-then-prove synthesis driver ------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements synthesize(): the loop that takes the enumerator's
// candidates level by level (increasing cost), drops most of them on
// concrete inputs with the bytecode filter (CPU or CUDA), finds constants
// for candidates with holes (first a handful of guesses through the filter,
// then, without the solver, a constant solved by running the candidate
// backwards from the target's values, or every value of a constant with
// few useful ones; CEGIS for the rest), and proves the survivors with the
// SMT verifier. The first
// proved candidate of the cheapest level wins. A refuted candidate's
// counterexample joins the concrete inputs, so the filter learns from every
// failed proof.
//
// Budget: work units (Synthesize.h), charged for the enumerator's nodes,
// filtered candidates, forked children and Z3's count in CEGIS and proofs,
// and checked between filter batches, before every proof and CEGIS chunk,
// and inside the enumerator; each proof and CEGIS chunk gets what is left
// as its resource limit. CEGIS and every proof run in forked children,
// killed at the wall-clock guard (Z3 does not always honour its timeout).
//
// Concrete inputs are deterministic for a seed: corner values (0, 1, -1,
// INT_MIN, INT_MAX, powers of two, bit patterns) first, alone and mixed,
// then seeded random values, each adjusted to the leaf's known bits and
// range (an input the LHS precondition excludes would constrain nothing
// useful).
//
//===----------------------------------------------------------------------===//

#include "SynthInternal.h"
#include "neuropt/Kernels/SynthFilterOps.h"
#include "neuropt/Support/ChildProcess.h"
#include "neuropt/Support/Hashing.h"
#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace llvm;

namespace neuropt {

uint64_t synthBudgetUnits(const SynthOptions &Opts) {
  return Opts.BudgetUnits ? Opts.BudgetUnits
                          : uint64_t(Opts.BudgetMs) * SynthWorkUnitsPerMs;
}

const char *synthStatusName(SynthStatus S) {
  switch (S) {
  case SynthStatus::Found: return "found";
  case SynthStatus::NoneCheaper: return "none-cheaper";
  case SynthStatus::Budget: return "budget";
  case SynthStatus::Unsupported: return "unsupported";
  }
  return "?";
}

namespace synth {

using filter::Op;
using filter::ops::mask;

//===----------------------------------------------------------------------===//
// Concrete inputs
//===----------------------------------------------------------------------===//

static uint64_t splitmix(uint64_t &S) {
  uint64_t Z = (S += 0x9e3779b97f4a7c15ull);
  Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9ull;
  Z = (Z ^ (Z >> 27)) * 0x94d049bb133111ebull;
  return Z ^ (Z >> 31);
}

/// Corner values of a W-bit integer, most telling first.
static std::vector<uint64_t> corners(unsigned W) {
  uint64_t M = mask(W);
  std::vector<uint64_t> C = {0,
                             1,
                             M,
                             uint64_t(1) << (W - 1),
                             M >> 1,
                             2,
                             M - 1,
                             3,
                             (W - 1) & M,
                             W & M,
                             0x5555555555555555ull & M,
                             0xAAAAAAAAAAAAAAAAull & M,
                             0x0F0F0F0F0F0F0F0Full & M,
                             0xFFull & M,
                             0xFF00ull & M,
                             (uint64_t(1) << (W / 2)) & M,
                             ((uint64_t(1) << (W - 1)) + 1) & M};
  for (unsigned K = 2; K + 1 < W; K += 3)
    C.push_back(uint64_t(1) << K);
  std::vector<uint64_t> Out;
  for (uint64_t V : C)
    if (!is_contained(Out, V))
      Out.push_back(V);
  return Out;
}

/// Adjusts \p V to the leaf's known bits and range where it can.
static uint64_t fitLeaf(uint64_t V, const LeafInfo &L, unsigned W,
                        uint64_t &Rng) {
  uint64_t M = mask(W);
  uint64_t Zero = L.Known.Zero.getZExtValue(), One = L.Known.One.getZExtValue();
  auto Known = [&](uint64_t X) { return ((X & ~Zero) | One) & M; };
  V = Known(V);
  if (L.Range.isFullSet() || L.Range.contains(APInt(W, V)))
    return V;
  uint64_t Lo = L.Range.getLower().getZExtValue();
  uint64_t Size = (L.Range.getUpper() - L.Range.getLower()).getZExtValue();
  if (Size == 0)
    return V;
  for (unsigned Try = 0; Try != 16; ++Try) {
    uint64_t X = Known((Lo + (Try ? splitmix(Rng) : V) % Size) & M);
    if (L.Range.contains(APInt(W, X)))
      return X;
  }
  return Known(Lo);
}

static void computeExpected(filter::InputBatch &B, const EncodedLHS &LHS,
                            unsigned From) {
  B.Expected.resize(B.NumInputs);
  B.ExpectedPoison.resize(B.NumInputs);
  for (unsigned I = From; I < B.NumInputs; ++I) {
    filter::ConcreteValue V = filter::evaluate(LHS.Set, 0, B, I);
    B.Expected[I] = V.Poison ? 0 : V.Bits;
    B.ExpectedPoison[I] = V.Poison;
  }
}

filter::InputBatch makeInputs(const HarvestedDAG &DAG, const EncodedLHS &LHS,
                              unsigned NumInputs, uint64_t Seed) {
  filter::InputBatch B;
  unsigned NV = LHS.VarWidths.size();
  B.NumVars = NV;
  B.NumInputs = std::max(1u, NumInputs);
  B.VarWidths = LHS.VarWidths;
  B.ResultWidth = LHS.ResultWidth;
  B.Values.assign(uint64_t(NV) * B.NumInputs, 0);
  uint64_t Rng = Seed * 0x2545f4914f6cdd1dull + 0x1234567;
  std::vector<std::vector<uint64_t>> Corners;
  size_t MaxCorners = 0;
  for (unsigned W : LHS.VarWidths) {
    Corners.push_back(corners(W));
    MaxCorners = std::max(MaxCorners, Corners.back().size());
  }
  for (unsigned I = 0; I != B.NumInputs; ++I) {
    for (unsigned V = 0; V != NV; ++V) {
      unsigned W = LHS.VarWidths[V];
      const std::vector<uint64_t> &C = Corners[V];
      uint64_t X;
      if (I < MaxCorners) {
        // Every variable at the same corner (x == y cases), then shifted.
        X = C[I % C.size()];
      } else if (I < 2 * MaxCorners) {
        X = C[(I + 1 + V) % C.size()];
      } else if (I < B.NumInputs / 2) {
        X = C[splitmix(Rng) % C.size()]; // Mixed corners.
      } else {
        uint64_t R = splitmix(Rng);
        switch (R & 3) {
        case 0: // Small signed values.
          X = (uint64_t((R >> 8) % 33) - 16) & mask(W);
          break;
        case 1: // Powers of two, +-1.
          X = ((uint64_t(1) << ((R >> 8) % W)) + ((R >> 16) % 3) - 1) &
              mask(W);
          break;
        default:
          X = splitmix(Rng) & mask(W);
          break;
        }
      }
      B.Values[uint64_t(V) * B.NumInputs + I] =
          fitLeaf(X, DAG.Leaves[V], W, Rng);
    }
  }
  computeExpected(B, LHS, 0);
  return B;
}

uint8_t essentialLeaves(const EncodedLHS &LHS, const filter::InputBatch &B) {
  // Pairs: input I, and input I with leaf V taken from input I+K.
  constexpr unsigned Pairs = 48;
  unsigned N = std::min(B.NumInputs, Pairs);
  uint8_t Mask = 0;
  for (unsigned V = 0; V != B.NumVars; ++V) {
    filter::InputBatch P;
    P.NumVars = B.NumVars;
    P.VarWidths = B.VarWidths;
    P.ResultWidth = B.ResultWidth;
    P.NumInputs = 2 * N;
    P.Values.assign(uint64_t(P.NumVars) * P.NumInputs, 0);
    for (unsigned I = 0; I != N; ++I)
      for (unsigned U = 0; U != B.NumVars; ++U) {
        uint64_t X = B.Values[uint64_t(U) * B.NumInputs + I];
        P.Values[uint64_t(U) * P.NumInputs + 2 * I] = X;
        // The partner differs in leaf V only, by a value from a later input.
        unsigned J = (I + 1 + I % 7) % B.NumInputs;
        P.Values[uint64_t(U) * P.NumInputs + 2 * I + 1] =
            U == V ? B.Values[uint64_t(U) * B.NumInputs + J] : X;
      }
    for (unsigned I = 0; I != N; ++I) {
      filter::ConcreteValue A = filter::evaluate(LHS.Set, 0, P, 2 * I);
      filter::ConcreteValue C = filter::evaluate(LHS.Set, 0, P, 2 * I + 1);
      if (!A.Poison && !C.Poison && A.Bits != C.Bits) {
        Mask |= uint8_t(1) << V;
        break;
      }
    }
  }
  return Mask;
}

void appendInput(filter::InputBatch &B, const EncodedLHS &LHS,
                 ArrayRef<uint64_t> Values) {
  unsigned N = B.NumInputs;
  std::vector<uint64_t> New(uint64_t(B.NumVars) * (N + 1));
  for (unsigned V = 0; V != B.NumVars; ++V) {
    std::copy_n(B.Values.begin() + uint64_t(V) * N, N,
                New.begin() + uint64_t(V) * (N + 1));
    New[uint64_t(V) * (N + 1) + N] = Values[V] & mask(B.VarWidths[V]);
  }
  B.Values = std::move(New);
  B.NumInputs = N + 1;
  computeExpected(B, LHS, N);
}

//===----------------------------------------------------------------------===//
// IR
//===----------------------------------------------------------------------===//

Value *emitOp(IRBuilderBase &B, const filter::Inst &I, ArrayRef<Value *> Ops) {
  Type *Ty = B.getIntNTy(I.Width);
  Value *A = Ops[0], *Bv = Ops.size() > 1 ? Ops[1] : nullptr,
        *Cv = Ops.size() > 2 ? Ops[2] : nullptr;
  bool NSW = I.Flags & filter::FlagNSW, NUW = I.Flags & filter::FlagNUW,
       Exact = I.Flags & filter::FlagExact;
  auto Bin = [&](Instruction::BinaryOps Opc) -> Value * {
    Value *V = B.CreateBinOp(Opc, A, Bv);
    if (auto *BO = dyn_cast<BinaryOperator>(V)) {
      if (isa<OverflowingBinaryOperator>(BO)) {
        BO->setHasNoSignedWrap(NSW);
        BO->setHasNoUnsignedWrap(NUW);
      }
      if (isa<PossiblyExactOperator>(BO))
        BO->setIsExact(Exact);
    }
    return V;
  };
  switch (I.Opcode) {
  case Op::Add: return Bin(Instruction::Add);
  case Op::Sub: return Bin(Instruction::Sub);
  case Op::Mul: return Bin(Instruction::Mul);
  case Op::UDiv: return Bin(Instruction::UDiv);
  case Op::SDiv: return Bin(Instruction::SDiv);
  case Op::URem: return Bin(Instruction::URem);
  case Op::SRem: return Bin(Instruction::SRem);
  case Op::Shl: return Bin(Instruction::Shl);
  case Op::LShr: return Bin(Instruction::LShr);
  case Op::AShr: return Bin(Instruction::AShr);
  case Op::And: return Bin(Instruction::And);
  case Op::Or: return Bin(Instruction::Or);
  case Op::Xor: return Bin(Instruction::Xor);
  case Op::UMin: return B.CreateBinaryIntrinsic(Intrinsic::umin, A, Bv);
  case Op::UMax: return B.CreateBinaryIntrinsic(Intrinsic::umax, A, Bv);
  case Op::SMin: return B.CreateBinaryIntrinsic(Intrinsic::smin, A, Bv);
  case Op::SMax: return B.CreateBinaryIntrinsic(Intrinsic::smax, A, Bv);
  case Op::Eq: return B.CreateICmpEQ(A, Bv);
  case Op::Ne: return B.CreateICmpNE(A, Bv);
  case Op::Ult: return B.CreateICmpULT(A, Bv);
  case Op::Ule: return B.CreateICmpULE(A, Bv);
  case Op::Ugt: return B.CreateICmpUGT(A, Bv);
  case Op::Uge: return B.CreateICmpUGE(A, Bv);
  case Op::Slt: return B.CreateICmpSLT(A, Bv);
  case Op::Sle: return B.CreateICmpSLE(A, Bv);
  case Op::Sgt: return B.CreateICmpSGT(A, Bv);
  case Op::Sge: return B.CreateICmpSGE(A, Bv);
  case Op::Select: return B.CreateSelect(A, Bv, Cv);
  case Op::FShl: return B.CreateIntrinsic(Intrinsic::fshl, {Ty}, {A, Bv, Cv});
  case Op::FShr: return B.CreateIntrinsic(Intrinsic::fshr, {Ty}, {A, Bv, Cv});
  case Op::ZExt: return B.CreateZExt(A, Ty);
  case Op::SExt: return B.CreateSExt(A, Ty);
  case Op::Trunc: return B.CreateTrunc(A, Ty, "", NUW, NSW);
  case Op::Ctpop: return B.CreateUnaryIntrinsic(Intrinsic::ctpop, A);
  case Op::Ctlz:
    return B.CreateIntrinsic(Intrinsic::ctlz, {Ty}, {A, B.getFalse()});
  case Op::Cttz:
    return B.CreateIntrinsic(Intrinsic::cttz, {Ty}, {A, B.getFalse()});
  case Op::Bswap: return B.CreateUnaryIntrinsic(Intrinsic::bswap, A);
  case Op::BitReverse: return B.CreateUnaryIntrinsic(Intrinsic::bitreverse, A);
  case Op::Abs:
    return B.CreateIntrinsic(Intrinsic::abs, {Ty}, {A, B.getFalse()});
  case Op::NumOps:
    break;
  }
  return PoisonValue::get(Ty);
}

std::unique_ptr<Module> buildRHS(const Module &LHSModule,
                                 ArrayRef<filter::Inst> Insts,
                                 ArrayRef<uint64_t> Constants,
                                 unsigned NumVars) {
  const Function *L = LHSModule.getFunction("lhs");
  LLVMContext &Ctx = LHSModule.getContext();
  auto M = std::make_unique<Module>("rhs", Ctx);
  M->setDataLayout(LHSModule.getDataLayout());
  M->setTargetTriple(LHSModule.getTargetTriple());
  Function *F = Function::Create(L->getFunctionType(),
                                 GlobalValue::ExternalLinkage, "rhs", *M);
  F->setAttributes(L->getAttributes());
  BasicBlock *BB = BasicBlock::Create(Ctx, "entry", F);
  IRBuilder<> B(BB);
  unsigned Base = NumVars + Constants.size();
  std::vector<Value *> Results;
  auto Get = [&](uint8_t S, unsigned W) -> Value * {
    if (S < NumVars)
      return F->getArg(S);
    if (S < Base)
      return ConstantInt::get(B.getIntNTy(W), Constants[S - NumVars] & mask(W));
    return Results[S - Base];
  };
  // A bare leaf or constant is flattened as `or x, x`.
  if (Insts.size() == 1 && Insts[0].Opcode == Op::Or &&
      Insts[0].A == Insts[0].B) {
    B.CreateRet(Get(Insts[0].A, Insts[0].Width));
    return M;
  }
  for (const filter::Inst &I : Insts) {
    bool CmpOrCast =
        filter::ops::isComparison(I.Opcode) || filter::ops::isCast(I.Opcode);
    unsigned OpW = CmpOrCast ? I.SrcWidth : I.Width;
    unsigned N = filter::ops::numOperands(I.Opcode);
    const uint8_t Slots[3] = {I.A, I.B, I.C};
    SmallVector<Value *, 3> Ops;
    for (unsigned K = 0; K != N; ++K)
      Ops.push_back(Get(Slots[K], I.Opcode == Op::Select && K == 0 ? 1 : OpW));
    // Comparisons print as LLVM canonicalizes them: a constant on the right.
    filter::Inst J = I;
    auto IsConst = [&](uint8_t S) { return S >= NumVars && S < Base; };
    if (filter::ops::isComparison(I.Opcode) && IsConst(I.A) && !IsConst(I.B)) {
      static const Op Swapped[] = {Op::Eq,  Op::Ne,  Op::Ugt, Op::Uge, Op::Ult,
                                   Op::Ule, Op::Sgt, Op::Sge, Op::Slt, Op::Sle};
      J.Opcode = Swapped[unsigned(I.Opcode) - unsigned(Op::Eq)];
      std::swap(Ops[0], Ops[1]);
    }
    Results.push_back(emitOp(B, J, Ops));
  }
  B.CreateRet(Results.back());
  return M;
}

//===----------------------------------------------------------------------===//
// Proofs
//===----------------------------------------------------------------------===//

namespace {

struct ProofOutcome {
  Verdict V = Verdict::Unknown;
  uint64_t Units = 0;      ///< Z3's resource units the proof took.
  bool OutOfUnits = false; ///< Unknown because its resource limit ran out.
  std::string Line;     ///< verdictLine().
  std::string CertHash; ///< FNV-1a of the certificates' SMT-LIB text.
  std::optional<std::vector<uint64_t>> CEX;
};

/// "i8 0x80 (128, -128)" -> 0x80; poison and undef inputs read as 0.
std::optional<uint64_t> parseCEXValue(StringRef S) {
  size_t X = S.find("0x");
  if (X == StringRef::npos)
    return S.contains("poison") || S.contains("undef")
               ? std::optional<uint64_t>(0)
               : std::nullopt;
  StringRef Hex = S.substr(X + 2).take_while(isHexDigit);
  uint64_t V;
  if (Hex.empty() || Hex.size() > 16 || Hex.getAsInteger(16, V))
    return std::nullopt;
  return V;
}

/// Runs the SMT verifier within \p Units of Z3's resource count in a child
/// killed at \p GuardMs (\p QueryGuardMs: Z3's timeout per query).
ProofOutcome prove(const Function &Src, const Function &Tgt, uint64_t Units,
                   unsigned QueryGuardMs, unsigned GuardMs) {
  ProofOutcome P;
  Expected<ChildOutcome> Child = runInChild(
      [&](int Fd) {
        VerifyOptions VO;
        VO.TimeoutMs = std::max(1u, QueryGuardMs);
        VO.ResourceLimit = std::max<uint64_t>(1, Units);
        VO.WantCertificate = true;
        VO.Isolate = false; // This child is the isolation.
        VerifyResult R = createSMTVerifier()->verify(Src, Tgt, VO);
        std::string Certs;
        for (const Certificate &C : R.Certificates)
          Certs += C.Name + "\n" + C.SMT2 + "\n";
        std::string Out;
        raw_string_ostream OS(Out);
        bool OutOfUnits =
            R.V == Verdict::Unknown && R.Reason == Verifier::kResourceLimit;
        OS << unsigned(R.V) << ' ' << R.Resources << ' ' << OutOfUnits << '\n'
           << verdictLine(R) << '\n'
           << (Certs.empty() ? std::string("none") : toHex64(stableHash(Certs)))
           << '\n';
        if (R.CEX) {
          OS << R.CEX->Inputs.size() << '\n';
          for (auto &In : R.CEX->Inputs)
            OS << In.second << '\n';
        }
        writeAll(Fd, Out);
      },
      std::max(1u, GuardMs));
  if (!Child) {
    P.Line = toString(Child.takeError());
    return P;
  }
  if (Child->TimedOut) {
    P.Line = "unknown (wall-clock guard)";
    return P;
  }
  SmallVector<StringRef, 16> Lines;
  StringRef(Child->Output).split(Lines, '\n');
  SmallVector<StringRef, 3> Head;
  if (!Lines.empty())
    Lines[0].split(Head, ' ');
  unsigned V, Out;
  if (Lines.size() < 3 || Head.size() != 3 || Head[0].getAsInteger(10, V) ||
      V > 3 || Head[1].getAsInteger(10, P.Units) ||
      Head[2].getAsInteger(10, Out)) {
    P.Line = "unknown (verifier " + Child->describeEnd() + ")";
    return P;
  }
  P.OutOfUnits = Out;
  P.V = static_cast<Verdict>(V);
  P.Line = Lines[1].str();
  P.CertHash = Lines[2].str();
  unsigned N;
  if (Lines.size() > 3 && !Lines[3].getAsInteger(10, N) &&
      Lines.size() >= 4 + N) {
    std::vector<uint64_t> Vals;
    for (unsigned K = 0; K != N; ++K) {
      std::optional<uint64_t> X = parseCEXValue(Lines[4 + K]);
      if (!X)
        break;
      Vals.push_back(*X);
    }
    if (Vals.size() == N)
      P.CEX = std::move(Vals);
  }
  return P;
}

/// Known bits of the LHS result from the leaves' known bits, through the
/// bytecode.
KnownBits lhsKnownBits(const HarvestedDAG &DAG, const EncodedLHS &E) {
  unsigned NV = E.VarWidths.size(), NC = E.Set.Consts.size();
  std::vector<KnownBits> Slots;
  for (const LeafInfo &L : DAG.Leaves)
    Slots.push_back(L.Known);
  auto Get = [&](uint8_t S, unsigned W) -> KnownBits {
    if (S < NV)
      return Slots[S];
    if (S < NV + NC)
      return KnownBits::makeConstant(APInt(W, E.Set.Consts[S - NV] & mask(W)));
    return Slots[NV + (S - NV - NC)];
  };
  for (const filter::Inst &I : E.Set.Insts) {
    bool CmpOrCast =
        filter::ops::isComparison(I.Opcode) || filter::ops::isCast(I.Opcode);
    unsigned OpW = CmpOrCast ? I.SrcWidth : I.Width;
    unsigned N = filter::ops::numOperands(I.Opcode);
    const uint8_t S[3] = {I.A, I.B, I.C};
    KnownBits K[3] = {KnownBits(1), KnownBits(1), KnownBits(1)};
    SmallVector<const KnownBits *, 3> Ptrs;
    for (unsigned J = 0; J != N; ++J) {
      K[J] = Get(S[J], I.Opcode == Op::Select && J == 0 ? 1 : OpW);
      Ptrs.push_back(&K[J]);
    }
    Slots.push_back(transferKnownBits(I.Opcode, I.Width, 0, Ptrs));
  }
  return Slots.back();
}

/// Values tried for a hole before CEGIS: the usual suspects and the LHS's
/// own constants.
std::vector<uint64_t> guesses(unsigned W, const EncodedLHS &E) {
  uint64_t M = mask(W);
  std::vector<uint64_t> G = {0, 1, M, 2, (W - 1) & M, uint64_t(1) << (W - 1),
                             M >> 1, 3, 4, 8, W & M};
  for (uint64_t C : E.Constants) {
    G.push_back(C & M);
    G.push_back((0 - C) & M);
    G.push_back(~C & M);
  }
  std::vector<uint64_t> Out;
  for (uint64_t V : G)
    if (!is_contained(Out, V & M))
      Out.push_back(V & M);
  return Out;
}

static bool isOrderComparison(filter::Op O) {
  return O >= filter::Op::Ult && O <= filter::Op::Sge;
}
static bool isSignedComparison(filter::Op O) {
  return O >= filter::Op::Slt && O <= filter::Op::Sge;
}

/// The constants C (in [0, Max], unsigned order; a signed comparison's
/// operands come with the sign bit flipped) for which `C P O` (HoleFirst) or
/// `O P C` is Want. Empty as Lo > Hi.
static std::pair<uint64_t, uint64_t>
orderBounds(filter::Op P, bool HoleFirst, bool Want, uint64_t O, uint64_t Max) {
  using filter::Op;
  // Normalise to C < O, C <= O, C > O or C >= O.
  enum { LT, LE, GT, GE } R;
  switch (P) {
  case Op::Ult:
  case Op::Slt:
    R = LT;
    break;
  case Op::Ule:
  case Op::Sle:
    R = LE;
    break;
  case Op::Ugt:
  case Op::Sgt:
    R = GT;
    break;
  default:
    R = GE;
    break;
  }
  if (!HoleFirst) // O < C is C > O, and so on
    R = R == LT ? GT : R == LE ? GE : R == GT ? LT : LE;
  if (!Want) // not C < O is C >= O, and so on
    R = R == LT ? GE : R == LE ? GT : R == GT ? LE : LT;
  switch (R) {
  case LT:
    return O == 0 ? std::pair<uint64_t, uint64_t>{1, 0}
                  : std::pair<uint64_t, uint64_t>{0, O - 1};
  case LE:
    return {0, O};
  case GT:
    return O == Max ? std::pair<uint64_t, uint64_t>{1, 0}
                    : std::pair<uint64_t, uint64_t>{O + 1, Max};
  default:
    return {O, Max};
  }
}

/// What running a candidate backwards from the target's values says about
/// one of its constants (the others fixed).
struct Inversion {
  enum Kind {
    NotInvertible, ///< The hole is not under an invertible chain: CEGIS.
    Solved,        ///< Value agrees with the target on the inputs.
    None,          ///< No constant agrees on some input.
  } K = NotInvertible;
  uint64_t Value = 0;
  /// Whether Value is the only constant that can agree on the inputs.
  bool Unique = false;
  /// Whether some input said nothing exact (an eq that must be false):
  /// Value then still has to be checked on every input.
  bool Partial = false;
};

/// Solves constant \p Hole of a candidate, the others being \p Consts, when
/// the hole sits under a chain of operations that can be run backwards bit
/// by bit: add and sub (on the low bits), and, or, xor, shl and lshr of the
/// hole side by an operand that does not read the hole, zext, sext, trunc,
/// bswap, bitreverse, eq/ne where they must be true/false, and select (the
/// hole in an arm the condition picks, or in the condition). On one input
/// where the target is defined, the values of the hole that give the
/// target's value form a set of fixed and free bits (an instruction off the
/// chain cannot read the hole, so its value is known); a poisoned or UB
/// operand off the chain makes every constant disagree. The sets of all
/// inputs intersect exactly: an empty intersection means no constant
/// agrees, the exists-query CEGIS would have asked; otherwise its value with
/// the free bits cleared agrees on every input that gave a set. An order
/// comparison of the hole itself, at the bottom of the chain, gives an
/// interval per input instead; they intersect the same way, and \p Round
/// picks the value tried (see the end).
Inversion invertHole(ArrayRef<filter::Inst> Insts, unsigned NumVars,
                     ArrayRef<uint64_t> Consts, unsigned Hole,
                     unsigned HoleWidth, const filter::InputBatch &Batch,
                     unsigned Round, uint64_t &EvalMilli) {
  using namespace filter::ops;
  Inversion Out;
  const unsigned HoleSlot = NumVars + Hole, Base = NumVars + Consts.size();
  auto Chainable = [](const filter::Inst &I) {
    if (isOrderComparison(I.Opcode))
      return I.Flags == 0;
    switch (I.Opcode) {
    case Op::Add:
    case Op::Sub:
    case Op::Xor:
    case Op::And:
    case Op::Or:
    case Op::Shl:
    case Op::LShr:
    case Op::Eq:
    case Op::Ne:
    case Op::ZExt:
    case Op::SExt:
    case Op::Trunc:
    case Op::Bswap:
    case Op::BitReverse:
    case Op::Select:
      return I.Flags == 0;
    default:
      return false;
    }
  };
  // Which instructions read the hole, and the chain from the root down.
  std::vector<uint8_t> Reads(Insts.size(), 0);
  auto SlotReads = [&](unsigned Slot) {
    return Slot == HoleSlot || (Slot >= Base && Reads[Slot - Base]);
  };
  for (size_t I = 0; I != Insts.size(); ++I) {
    const filter::Inst &In = Insts[I];
    unsigned N = numOperands(In.Opcode);
    Reads[I] = SlotReads(In.A) || (N >= 2 && SlotReads(In.B)) ||
               (N >= 3 && SlotReads(In.C));
  }
  // Chain[k]: instruction index and which operand (0: A, 1: B, 2: C) reads
  // the hole.
  SmallVector<std::pair<unsigned, unsigned>, 4> Chain;
  unsigned Cur = Insts.size() - 1;
  while (true) {
    const filter::Inst &In = Insts[Cur];
    if (!Reads[Cur] || !Chainable(In))
      return Out;
    unsigned N = numOperands(In.Opcode);
    const uint8_t Slots[3] = {In.A, In.B, In.C};
    unsigned Side = 0, Readers = 0;
    for (unsigned K = 0; K != N; ++K)
      if (SlotReads(Slots[K])) {
        Side = K;
        ++Readers;
      }
    if (Readers != 1)
      return Out; // two operands read it
    if (Side == 1 && (In.Opcode == Op::Shl || In.Opcode == Op::LShr))
      return Out; // the hole is the shift amount
    Chain.push_back({Cur, Side});
    unsigned Next = Slots[Side];
    if (Next == HoleSlot)
      break;
    if (isOrderComparison(In.Opcode))
      return Out; // only a comparison of the hole itself gives an interval
    Cur = Next - Base;
  }

  const uint64_t HM = mask(HoleWidth);
  uint64_t AccMask = 0, AccVal = 0;
  // An order comparison of the hole bounds it instead: the constants that
  // agree on every input so far are [Lo, Hi], in unsigned order after
  // flipping the sign bit for a signed comparison (Bias).
  const filter::Inst &Bottom = Insts[Chain.back().first];
  const bool Interval = isOrderComparison(Bottom.Opcode);
  const uint64_t Bias =
      Interval && isSignedComparison(Bottom.Opcode) ? (HM >> 1) + 1 : 0;
  uint64_t Lo = 0, Hi = HM;
  // The hole's value does not matter: only the chain reads it.
  SmallVector<uint64_t, 2> Vals(Consts.begin(), Consts.end());
  Vals[Hole] = 0;
  SlotFile S;
  // The value of a slot off the chain on input In; false if poison.
  auto Known = [&](unsigned Slot, unsigned In, uint64_t &V) {
    if (Slot < NumVars)
      V = Batch.Values[Slot * Batch.NumInputs + In];
    else if (Slot < Base)
      V = Vals[Slot - NumVars];
    else if (S.Poison >> (Slot - Base) & 1)
      return false;
    else
      V = S.Bits[Slot - Base];
    return true;
  };
  auto Fail = [&] {
    Out.K = Inversion::None;
    return Out;
  };
  for (unsigned In = 0; In != Batch.NumInputs; ++In) {
    if (Batch.ExpectedPoison[In])
      continue;
    EvalMilli += Insts.size() * kEvalMilliUnits;
    // UB can only come from off the chain (no chain operation has any),
    // and it makes the whole program UB, whatever the hole is.
    if (evalProgram(Insts.data(), Insts.size(), Vals.data(), Vals.size(),
                    Batch.Values.data(), Batch.NumInputs, NumVars, In, S)
            .State &
        StateUB)
      return Fail();
    // Bits of the current chain value that must be Val where Mask is set.
    uint64_t Mask = mask(Insts.back().Width), Val = Batch.Expected[In];
    bool Exact = true, Free = false;
    for (auto [Idx, Side] : Chain) {
      const filter::Inst &X = Insts[Idx];
      const uint64_t M = mask(X.Width);
      uint64_t O = 0;
      if (X.Opcode == Op::Select) {
        uint64_t Cond, Arm;
        if (Side != 0) {
          // The hole is in an arm: the condition picks it, or the other
          // arm, which must then give the target's bits on its own.
          if (!Known(X.A, In, Cond))
            return Fail(); // a poison condition
          if (Cond == (Side == 1 ? 1u : 0u))
            continue;
          if (!Known(Side == 1 ? X.C : X.B, In, Arm) || (Arm ^ Val) & Mask)
            return Fail();
          Free = true; // this input says nothing of the hole
          break;
        }
        // The hole decides the condition: which arms give the target's bits?
        uint64_t BV, CV;
        bool BOk = Known(X.B, In, BV) && !((BV ^ Val) & Mask);
        bool COk = Known(X.C, In, CV) && !((CV ^ Val) & Mask);
        if (!BOk && !COk)
          return Fail();
        if (BOk && COk) {
          Free = true;
          break;
        }
        Mask = 1;
        Val = BOk ? 1 : 0;
        continue;
      }
      if (numOperands(X.Opcode) >= 2 && !Known(Side == 0 ? X.B : X.A, In, O))
        return Fail(); // poison whatever the hole is
      if (isOrderComparison(X.Opcode)) {
        // The bottom of the chain: hole P O (or O P hole) must be Val.
        if (!Mask) {
          Exact = false;
          break;
        }
        auto [L, H] = orderBounds(X.Opcode, Side == 0, Val != 0, O ^ Bias, HM);
        Lo = std::max(Lo, L);
        Hi = std::min(Hi, H);
        if (Lo > Hi)
          return Fail(); // no constant is on the right side of every input
        Mask = 0;
        break;
      }
      switch (X.Opcode) {
      case Op::Add:
      case Op::Sub: {
        // Carries run upwards: only the fixed bits below the lowest free
        // bit are exact.
        uint64_t FreeBits = ~Mask & M;
        uint64_t Low = FreeBits ? (FreeBits & (0 - FreeBits)) - 1 : M;
        if (Low != Mask)
          Out.Partial = true; // fixed bits above a free one are dropped
        Mask = Low;
        Val = (X.Opcode == Op::Add ? Val - O
               : Side == 0         ? Val + O
                                   : O - Val) &
              Mask;
        break;
      }
      case Op::Xor:
        Val = (Val ^ O) & Mask;
        break;
      case Op::And:
        if (Mask & ~O & Val)
          return Fail(); // a one where the other side forces zero
        Mask &= O;
        Val &= Mask;
        break;
      case Op::Or:
        if (Mask & O & ~Val & M)
          return Fail(); // a zero where the other side forces one
        Mask &= ~O & M;
        Val &= Mask;
        break;
      case Op::Shl:
        if (O >= X.Width || (O && (Mask & Val & mask(O))))
          return Fail(); // poison, or a one in the shifted-in zeros
        Mask >>= O;
        Val >>= O;
        break;
      case Op::LShr:
        if (O >= X.Width || (Mask & Val & ~(M >> O) & M))
          return Fail();
        Mask = (Mask << O) & M;
        Val = (Val << O) & M;
        break;
      case Op::ZExt:
        if (Mask & Val & ~mask(X.SrcWidth))
          return Fail();
        Mask &= mask(X.SrcWidth);
        Val &= Mask;
        break;
      case Op::SExt: {
        uint64_t SM = mask(X.SrcWidth), High = Mask & ~SM & M;
        if (High) {
          // Every fixed bit above the source is a copy of its sign bit.
          bool Sign = (Val & High) != 0;
          if (Sign && (Val & High) != High)
            return Fail();
          uint64_t SB = uint64_t(1) << (X.SrcWidth - 1);
          if ((Mask & SB) && ((Val & SB) != 0) != Sign)
            return Fail();
          Mask = (Mask & SM) | SB;
          Val = (Val & SM & ~SB) | (Sign ? SB : 0);
        } else {
          Mask &= SM;
          Val &= Mask;
        }
        break;
      }
      case Op::Trunc:
        break; // the operand's high bits are free
      case Op::Eq:
      case Op::Ne:
        if (Mask && Val == (X.Opcode == Op::Eq ? 1u : 0u)) {
          Mask = mask(X.SrcWidth);
          Val = O;
        } else if (Mask) {
          Exact = false; // many values differ from O: no fixed bits
        }
        break;
      default: // bswap and bitreverse permute bits: their own inverses
        Mask =
            evalOp(X.Opcode, X.Width, X.SrcWidth, 0, Mask, 0, 0, 0, 0, 0).Bits;
        Val = evalOp(X.Opcode, X.Width, X.SrcWidth, 0, Val, 0, 0, 0, 0, 0).Bits;
        break;
      }
      if (!Exact)
        break;
    }
    if (Free)
      continue;
    if (!Exact) {
      Out.Partial = true;
      continue;
    }
    Mask &= HM;
    Val &= Mask;
    if (AccMask & Mask & (AccVal ^ Val))
      return Fail(); // two inputs want different bits
    AccMask |= Mask;
    AccVal |= Val;
  }
  Out.K = Inversion::Solved;
  if (Interval) {
    // The bound sits where the inputs change sides: the lowest constant
    // first, then the highest, then halving what the counterexamples left.
    uint64_t V = Round == 0 ? Lo : Round == 1 ? Hi : Lo + (Hi - Lo) / 2;
    Out.Value = (V ^ Bias) & HM;
    Out.Unique = Lo == Hi;
    return Out;
  }
  Out.Value = AccVal;
  Out.Unique = AccMask == HM;
  return Out;
}

/// The values worth trying for the one constant of a candidate, when they
/// are few enough to try them all: every value of a hole of at most 8 bits;
/// for a hole read only as the amount of shl, lshr and ashr, 0 up to the
/// widest such shift's width (a larger amount makes every shift poison, as
/// that one does); for a hole read only as the amount of funnel shifts of one
/// width W, 0 to W - 1 (the amount is taken modulo W). Empty when the domain
/// is not small.
std::vector<uint64_t> smallDomain(ArrayRef<filter::Inst> Insts,
                                  unsigned HoleSlot, unsigned HoleWidth) {
  using namespace filter::ops;
  std::vector<uint64_t> Out;
  uint64_t Last = 0;
  if (HoleWidth <= 8) {
    Last = mask(HoleWidth);
  } else {
    unsigned ShiftW = 0, FunnelW = 0;
    for (const filter::Inst &I : Insts) {
      const uint8_t Slots[3] = {I.A, I.B, I.C};
      for (unsigned K = 0, N = numOperands(I.Opcode); K != N; ++K) {
        if (Slots[K] != HoleSlot)
          continue;
        bool Shift = (I.Opcode == Op::Shl || I.Opcode == Op::LShr ||
                      I.Opcode == Op::AShr) &&
                     K == 1;
        bool Funnel = (I.Opcode == Op::FShl || I.Opcode == Op::FShr) && K == 2;
        if (Shift) {
          ShiftW = std::max<unsigned>(ShiftW, I.Width);
        } else if (Funnel && (!FunnelW || FunnelW == I.Width)) {
          FunnelW = I.Width;
        } else {
          return Out; // read as something else, or funnel shifts of two widths
        }
      }
    }
    if (ShiftW && FunnelW)
      return Out;
    if (ShiftW)
      Last = std::min<uint64_t>(ShiftW, mask(HoleWidth));
    else if (FunnelW)
      Last = FunnelW - 1;
    else
      return Out;
  }
  for (uint64_t V = 0; V <= Last; ++V)
    Out.push_back(V);
  return Out;
}

/// The state of one synthesize() call.
class Driver {
public:
  Driver(const HarvestedDAG &LHS, const SynthOptions &Opts, SynthResult &R)
      : LHS(LHS), Opts(Opts), R(R), Work(synthBudgetUnits(Opts)),
        D(guardMs(Opts)) {}

  Error run();

private:
  const HarvestedDAG &LHS;
  const SynthOptions &Opts;
  SynthResult &R;
  WorkBudget Work;
  Deadline D;
  EncodedLHS E;
  std::unique_ptr<Module> LHSM;
  Function *LHSFn = nullptr;
  filter::InputBatch Batch;
  bool UseCUDA = false;
  bool Incomplete = false;
  /// Why the search stopped early: the work units (deterministic) or the
  /// wall-clock guard.
  enum class Stop { No, Units, Guard } Stopped = Stop::No;
  unsigned MaxInputs = 0;

  static unsigned guardMs(const SynthOptions &Opts) {
    if (Opts.GuardMs)
      return Opts.GuardMs;
    uint64_t Nominal = synthBudgetUnits(Opts) / SynthWorkUnitsPerMs;
    return unsigned(std::min<uint64_t>(4 * Nominal + 1000, UINT32_MAX));
  }
  uint64_t queryUnits() const {
    return uint64_t(Opts.SolverTimeoutMs) * SynthWorkUnitsPerMs;
  }
  unsigned queryGuardMs() const {
    return unsigned(
        std::min<uint64_t>(4ull * Opts.SolverTimeoutMs + 100, UINT32_MAX));
  }

  enum class Proof { Proved, Refuted, Unknown, Skipped };

  Error runFilter(const filter::ProgramSet &Set, std::vector<uint8_t> &Pass);
  /// Whether the program agrees with the target on inputs [From, end).
  bool agreesFrom(ArrayRef<filter::Inst> Insts, ArrayRef<uint64_t> Consts,
                  unsigned From);
  Proof tryProve(ArrayRef<filter::Inst> Insts, ArrayRef<uint64_t> Consts);
  Expected<bool> processLevel(std::vector<Candidate> &Level);
  Expected<bool> processPlain(std::vector<Candidate *> &Plain);
  Expected<bool> processHoles(std::vector<Candidate *> &Holey);
  bool twoHolesDisagree(const Candidate &C);
  Expected<bool> processSmallDomains(
      std::vector<std::pair<Candidate *, std::vector<uint64_t>>> &Cands,
      std::vector<Candidate *> &Cegis);
  /// Whether the search must stop (and why, in Stopped).
  bool stopped() {
    if (Stopped == Stop::No && Work.exhausted())
      Stopped = Stop::Units;
    if (Stopped == Stop::No && D.expired())
      Stopped = Stop::Guard;
    return Stopped != Stop::No;
  }
  /// Charges one filter call over \p Set.
  void chargeFilter(const filter::ProgramSet &Set) {
    Work.chargeMilli(Set.Programs.size() * kFilterCandidateMilliUnits);
  }
};

Error Driver::runFilter(const filter::ProgramSet &Set,
                        std::vector<uint8_t> &Pass) {
  if (UseCUDA) {
    if (!filter::filterCUDA(Set, Batch, Pass))
      return Error::success();
    UseCUDA = false; // Fall back for the rest of this problem.
    R.Stats.Backend = "cpu";
  }
  if (filter::Status S =
          filter::filterCPU(Set, Batch, Pass, Opts.FilterThreads))
    return createStringError(std::errc::invalid_argument, "%s",
                             S.message().c_str());
  return Error::success();
}

bool Driver::agreesFrom(ArrayRef<filter::Inst> Insts, ArrayRef<uint64_t> Consts,
                        unsigned From) {
  if (From >= Batch.NumInputs)
    return true;
  Work.chargeMilli(uint64_t(Batch.NumInputs - From) * Insts.size() *
                   kEvalMilliUnits);
  filter::ProgramSet Set;
  appendProgram(Set, Insts, Consts);
  for (unsigned I = From; I < Batch.NumInputs; ++I) {
    if (Batch.ExpectedPoison[I])
      continue;
    filter::ConcreteValue V = filter::evaluate(Set, 0, Batch, I);
    if (V.Poison || V.Bits != Batch.Expected[I])
      return false;
  }
  return true;
}

Driver::Proof Driver::tryProve(ArrayRef<filter::Inst> Insts,
                               ArrayRef<uint64_t> Consts) {
  if (stopped())
    return Proof::Unknown;
  unsigned NV = E.VarWidths.size();
  std::unique_ptr<Module> RHSM = buildRHS(*LHSM, Insts, Consts, NV);
  Function *RHSFn = RHSM->getFunction("rhs");
  unsigned Cost = functionCost(*RHSFn, Opts.TTI);
  if (Cost >= R.LHSCost)
    return Proof::Skipped;
  Work.charge(kChildUnits);
  if (stopped())
    return Proof::Unknown;
  uint64_t Left = Work.left();
  uint64_t Units = std::min(queryUnits(), Left);
  ProofOutcome P =
      prove(*LHSFn, *RHSFn, Units, queryGuardMs(), std::max(1u, D.leftMs()));
  Work.charge(P.Units);
  ++R.Stats.Proofs;
  ++R.Stats.SolverCalls;
  if (P.V == Verdict::Proved) {
    raw_string_ostream OS(R.RHSText);
    RHSM->print(OS, nullptr);
    R.RHSCost = Cost;
    R.Certificate = "verdict: " + P.Line + "\nengine: smt\nsmt2-fnv1a: " +
                    P.CertHash + "\n";
    return Proof::Proved;
  }
  if (P.V == Verdict::Refuted) {
    ++R.Stats.Refuted;
    if (P.CEX && P.CEX->size() == NV && Batch.NumInputs < MaxInputs)
      appendInput(Batch, E, *P.CEX);
    return Proof::Refuted;
  }
  if (P.OutOfUnits && Units == Left)
    Work.charge(Work.left()); // It had all that was left: the budget is spent.
  if (!stopped())
    ++R.Stats.Undecided;
  Incomplete = true;
  return Proof::Unknown;
}

/// Hole-free candidates: one filter pass per batch, then proofs in order.
Expected<bool> Driver::processPlain(std::vector<Candidate *> &Plain) {
  constexpr size_t BatchSize = 4096;
  for (size_t First = 0; First < Plain.size(); First += BatchSize) {
    if (stopped())
      return false;
    size_t End = std::min(Plain.size(), First + BatchSize);
    filter::ProgramSet Set;
    for (size_t K = First; K != End; ++K)
      appendProgram(Set, Plain[K]->Insts, {});
    std::vector<uint8_t> Pass;
    unsigned FilteredAt = Batch.NumInputs;
    chargeFilter(Set);
    if (Error Err = runFilter(Set, Pass))
      return Err;
    for (size_t K = First; K != End; ++K) {
      if (!Pass[K - First]) {
        ++R.Stats.Filtered;
        continue;
      }
      // Counterexamples found since the batch was filtered.
      if (!agreesFrom(Plain[K]->Insts, {}, FilteredAt)) {
        ++R.Stats.Filtered;
        continue;
      }
      Proof P = tryProve(Plain[K]->Insts, {});
      if (P == Proof::Proved)
        return true;
      if (Stopped != Stop::No)
        return false;
    }
  }
  return false;
}

/// Whether no pair of constants makes a two-constant candidate agree with
/// the target on the inputs, decided without the solver when one constant
/// has a small domain (smallDomain) and the other runs backwards
/// (invertHole) for each of its values. False when that cannot be decided
/// so; the candidate then goes to CEGIS.
bool Driver::twoHolesDisagree(const Candidate &C) {
  unsigned NV = E.VarWidths.size();
  std::vector<unsigned> HW = holeWidths(C.Insts, NV, 2);
  for (unsigned Small : {1u, 0u}) {
    std::vector<uint64_t> Dom = smallDomain(C.Insts, NV + Small, HW[Small]);
    if (Dom.empty())
      continue;
    unsigned Other = 1 - Small;
    uint64_t Consts[2] = {0, 0};
    bool Invertible = true, Agrees = false;
    for (uint64_t V : Dom) {
      Consts[Small] = V;
      uint64_t Milli = 0;
      Inversion Inv =
          invertHole(C.Insts, NV, Consts, Other, HW[Other], Batch, 0, Milli);
      Work.chargeMilli(Milli);
      if (Inv.K == Inversion::NotInvertible) {
        Invertible = false;
        break;
      }
      if (Inv.K == Inversion::Solved) {
        Agrees = true;
        break;
      }
    }
    if (Invertible)
      return !Agrees;
  }
  return false;
}

/// One-constant candidates whose constant has few useful values: all of
/// them through the filter, and the survivors proved in order, each
/// refutation adding its counterexample to the inputs. When every value is
/// out, so is the candidate, with no CEGIS query; a candidate that still has
/// agreeing values after kMaxDomainProofs refutations goes on to CEGIS.
Expected<bool> Driver::processSmallDomains(
    std::vector<std::pair<Candidate *, std::vector<uint64_t>>> &Cands,
    std::vector<Candidate *> &Cegis) {
  constexpr unsigned kMaxDomainProofs = 8;
  if (Cands.empty() || stopped())
    return false;
  filter::ProgramSet Set;
  std::vector<std::pair<size_t, size_t>> Owner; // Program -> (candidate, value)
  for (size_t K = 0; K != Cands.size(); ++K) {
    const Candidate &C = *Cands[K].first;
    for (size_t V = 0; V != Cands[K].second.size(); ++V) {
      appendProgram(Set, C.Insts, Cands[K].second[V]);
      Owner.push_back({K, V});
    }
  }
  std::vector<uint8_t> Pass;
  unsigned FilteredAt = Batch.NumInputs;
  chargeFilter(Set);
  if (Error Err = runFilter(Set, Pass))
    return Err;
  std::vector<unsigned> Proofs(Cands.size(), 0);
  std::vector<uint8_t> ToCegis(Cands.size(), 0);
  for (size_t P = 0; P != Set.Programs.size(); ++P) {
    auto [K, V] = Owner[P];
    if (!Pass[P] || ToCegis[K])
      continue;
    Candidate &C = *Cands[K].first;
    uint64_t Value = Cands[K].second[V];
    if (!agreesFrom(C.Insts, ArrayRef<uint64_t>(Value), FilteredAt))
      continue;
    if (Proofs[K] == kMaxDomainProofs) {
      ToCegis[K] = 1; // the inputs do not tell the values apart yet
      Cegis.push_back(&C);
      continue;
    }
    ++Proofs[K];
    Proof Pr = tryProve(C.Insts, ArrayRef<uint64_t>(Value));
    if (Pr == Proof::Proved)
      return true;
    if (Stopped != Stop::No)
      return false;
  }
  for (size_t K = 0; K != Cands.size(); ++K)
    if (!ToCegis[K]) {
      ++R.Stats.Exhausted;
      ++R.Stats.Filtered;
    }
  return false;
}

/// Candidates with holes: guessed constants through the filter, then CEGIS.
Expected<bool> Driver::processHoles(std::vector<Candidate *> &Holey) {
  unsigned NV = E.VarWidths.size();
  std::vector<Candidate *> Cegis;
  constexpr size_t ChunkCands = 256;
  // A bare constant needs no search: the target's defined values must all
  // be one value, and that is the constant.
  std::vector<Candidate *> Rest;
  for (Candidate *C : Holey) {
    const filter::Inst &I = C->Insts[0];
    if (C->Insts.size() != 1 || I.Opcode != Op::Or || I.A != I.B) {
      Rest.push_back(C);
      continue;
    }
    std::optional<uint64_t> Value;
    bool Unique = true;
    for (unsigned K = 0; K != Batch.NumInputs && Unique; ++K)
      if (!Batch.ExpectedPoison[K]) {
        Unique = !Value || *Value == Batch.Expected[K];
        Value = Batch.Expected[K];
      }
    if (!Unique) {
      ++R.Stats.Filtered;
      continue;
    }
    uint64_t V = Value.value_or(0);
    Proof P = tryProve(C->Insts, ArrayRef<uint64_t>(V));
    if (P == Proof::Proved)
      return true;
    if (Stopped != Stop::No)
      return false;
  }
  Holey = std::move(Rest);

  for (size_t First = 0; First < Holey.size(); First += ChunkCands) {
    if (stopped())
      return false;
    size_t End = std::min(Holey.size(), First + ChunkCands);
    filter::ProgramSet Set;
    std::vector<size_t> Owner; // Program -> candidate index.
    for (size_t K = First; K != End; ++K) {
      Candidate &C = *Holey[K];
      std::vector<unsigned> HW = holeWidths(C.Insts, NV, C.NumHoles);
      std::vector<std::vector<uint64_t>> G;
      for (unsigned W : HW) {
        G.push_back(guesses(W, E));
        if (C.NumHoles > 1 && G.back().size() > 8)
          G.back().resize(8);
      }
      std::vector<size_t> Pick(C.NumHoles, 0);
      while (true) {
        SmallVector<uint64_t, 2> Consts;
        for (unsigned H = 0; H != C.NumHoles; ++H)
          Consts.push_back(G[H][Pick[H]]);
        appendProgram(Set, C.Insts, Consts);
        Owner.push_back(K);
        unsigned H = 0;
        while (H != C.NumHoles && ++Pick[H] == G[H].size())
          Pick[H++] = 0;
        if (H == C.NumHoles)
          break;
      }
    }
    std::vector<uint8_t> Pass;
    unsigned FilteredAt = Batch.NumInputs;
    chargeFilter(Set);
    if (Error Err = runFilter(Set, Pass))
      return Err;
    std::vector<bool> Tried(End - First, false);
    for (size_t P = 0; P != Set.Programs.size(); ++P) {
      size_t K = Owner[P];
      if (!Pass[P] || Tried[K - First])
        continue;
      const filter::Program &Prog = Set.Programs[P];
      ArrayRef<uint64_t> Consts(Set.Consts.data() + Prog.FirstConst,
                                Prog.NumConsts);
      if (!agreesFrom(Holey[K]->Insts, Consts, FilteredAt))
        continue;
      Tried[K - First] = true;
      Proof Pr = tryProve(Holey[K]->Insts, Consts);
      if (Pr == Proof::Proved)
        return true;
      if (Stopped != Stop::No)
        return false;
    }
    // A constant that running the candidate backwards determines needs no
    // solver to be found: it is proved, and if no constant agrees on the
    // inputs, or the only one does not prove, the candidate is done.
    std::vector<std::pair<Candidate *, std::vector<uint64_t>>> Exhaust;
    for (size_t K = First; K != End; ++K) {
      Candidate &C = *Holey[K];
      Inversion Inv;
      const unsigned HW = C.NumHoles == 1 ? holeWidths(C.Insts, NV, 1)[0] : 0;
      auto Invert = [&](unsigned Round) {
        uint64_t Milli = 0;
        const uint64_t NoConst = 0;
        Inv = invertHole(C.Insts, NV, ArrayRef<uint64_t>(NoConst), 0, HW, Batch,
                         Round, Milli);
        Work.chargeMilli(Milli);
      };
      if (C.NumHoles == 1)
        Invert(0);
      if (C.NumHoles == 2 && twoHolesDisagree(C)) {
        ++R.Stats.Inverted;
        ++R.Stats.Filtered;
        continue;
      }
      if (Inv.K == Inversion::NotInvertible) {
        std::vector<uint64_t> Dom;
        if (C.NumHoles == 1)
          Dom = smallDomain(C.Insts, NV, HW);
        if (Dom.empty())
          Cegis.push_back(&C);
        else
          Exhaust.push_back({&C, std::move(Dom)});
        continue;
      }
      ++R.Stats.Inverted;
      // A refutation's counterexample joins the inputs and the candidate is
      // run backwards again, up to kInvertRounds times; then CEGIS goes on.
      constexpr unsigned kInvertRounds = 12;
      for (unsigned Round = 1;; ++Round) {
        if (Inv.K == Inversion::None) {
          ++R.Stats.Filtered;
          break;
        }
        if (!agreesFrom(C.Insts, ArrayRef<uint64_t>(Inv.Value), 0)) {
          // Only possible when an input gave no exact set; another constant
          // may still agree.
          if (Inv.Partial && !Inv.Unique)
            Cegis.push_back(&C);
          else
            ++R.Stats.Filtered;
          break;
        }
        unsigned Inputs = Batch.NumInputs;
        Proof P = tryProve(C.Insts, ArrayRef<uint64_t>(Inv.Value));
        if (P == Proof::Proved)
          return true;
        if (Stopped != Stop::No)
          return false;
        if (P != Proof::Refuted || Inv.Unique)
          break;
        if (Round == kInvertRounds || Batch.NumInputs == Inputs) {
          Cegis.push_back(&C);
          break;
        }
        Invert(Round);
      }
    }
    Expected<bool> Done = processSmallDomains(Exhaust, Cegis);
    if (!Done || *Done || Stopped != Stop::No)
      return Done;
  }

  // CEGIS, in chunks that share one child; a candidate whose constants are
  // refuted by the verifier goes round again with the counterexample.
  constexpr size_t CegisChunk = 256;
  constexpr unsigned kCegisRounds = 3;
  std::vector<std::pair<Candidate *, unsigned>> Queue;
  for (Candidate *C : Cegis)
    Queue.push_back({C, 0});
  size_t Head = 0;
  while (Head < Queue.size()) {
    if (stopped())
      return false;
    size_t End = std::min(Queue.size(), Head + CegisChunk);
    std::vector<CegisJob> Jobs;
    for (size_t K = Head; K != End; ++K)
      Jobs.push_back({Queue[K].first->Insts, Queue[K].first->NumHoles});
    Work.charge(kChildUnits);
    if (stopped())
      return false;
    CegisLimits L;
    L.GuardMs = std::max(1u, D.leftMs());
    L.QueryGuardMs = std::min(queryGuardMs(), 4000u);
    L.QueryUnits = std::min<uint64_t>(queryUnits(), 1000 * SynthWorkUnitsPerMs);
    L.Units = Work.left();
    std::vector<CegisAnswer> Answers = runCegis(Jobs, Batch, L);
    for (const CegisAnswer &A : Answers)
      Work.charge(A.Units);
    for (size_t K = Head; K != End; ++K) {
      const CegisAnswer &A = Answers[K - Head];
      R.Stats.SolverCalls += A.Queries;
      if (A.Outcome == CegisOutcome::NoConstants) {
        ++R.Stats.Filtered;
        continue;
      }
      if (A.Outcome == CegisOutcome::Unknown) {
        if (stopped())
          return false;
        ++R.Stats.Undecided;
        Incomplete = true;
        continue;
      }
      Candidate &C = *Queue[K].first;
      unsigned Round = Queue[K].second;
      bool Again = false;
      if (!agreesFrom(C.Insts, A.Constants, 0)) {
        Again = true; // inputs grew since the chunk started
      } else {
        Proof P = tryProve(C.Insts, A.Constants);
        if (P == Proof::Proved)
          return true;
        if (Stopped != Stop::No)
          return false;
        Again = P == Proof::Refuted;
      }
      if (!Again)
        continue;
      if (Round < kCegisRounds)
        Queue.push_back({&C, Round + 1});
      else
        Incomplete = true; // not ruled out: the space is not exhausted
    }
    Head = End;
  }
  return false;
}

Expected<bool> Driver::processLevel(std::vector<Candidate> &Level) {
  std::vector<Candidate *> Plain, Holey;
  for (Candidate &C : Level)
    (C.NumHoles ? Holey : Plain).push_back(&C);
  Expected<bool> Found = processPlain(Plain);
  if (!Found || *Found || Stopped != Stop::No)
    return Found;
  return processHoles(Holey);
}

/// Makes the leaves' facts a precondition of \p F (@lhs): the result
/// becomes poison when an argument is outside its range or contradicts its
/// known bits. The verifier then proves the replacement only for inputs
/// where the facts hold, which is where the harvested DAG runs (the facts
/// are context-free facts about the leaf values).
void addLeafPreconditions(Function &F, const HarvestedDAG &DAG) {
  auto *Ret = cast<ReturnInst>(F.getEntryBlock().getTerminator());
  IRBuilder<> B(Ret);
  Value *Ok = nullptr;
  auto And = [&](Value *C) { Ok = Ok ? B.CreateAnd(Ok, C) : C; };
  for (auto [I, L] : enumerate(DAG.Leaves)) {
    Value *X = F.getArg(I);
    if (!L.Range.isFullSet() && !L.Range.isEmptySet()) {
      // X in [Lo, Hi), possibly wrapping: X - Lo <u Hi - Lo.
      const APInt &Lo = L.Range.getLower(), &Hi = L.Range.getUpper();
      And(B.CreateICmpULT(B.CreateSub(X, B.getInt(Lo)), B.getInt(Hi - Lo)));
    }
    APInt Mask = L.Known.Zero | L.Known.One;
    if (!Mask.isZero())
      And(B.CreateICmpEQ(B.CreateAnd(X, B.getInt(Mask)), B.getInt(L.Known.One)));
  }
  if (!Ok)
    return;
  Value *V = Ret->getReturnValue();
  Ret->setOperand(0, B.CreateSelect(Ok, V, PoisonValue::get(V->getType())));
}

} // namespace
} // namespace synth

std::unique_ptr<Module> synthesisSource(const HarvestedDAG &DAG) {
  std::unique_ptr<Module> M = toFunction(DAG);
  Function &F = *M->getFunction("lhs");
  synth::addLeafPreconditions(F, DAG);
  // Leaves that can be neither undef nor poison (noundef arguments, for
  // instance) say so to the verifier: a value used twice is then the same
  // value twice, which proofs such as x*2 == x+x need.
  for (auto [I, L] : enumerate(DAG.Leaves))
    if (isGuaranteedNotToBeUndefOrPoison(L.V))
      F.addParamAttr(I, Attribute::NoUndef);
  return M;
}

namespace synth {
namespace {

Error Driver::run() {
  R.LHSCost = dagCost(LHS, Opts.TTI);
  Expected<EncodedLHS> Enc = encodeLHS(LHS);
  if (!Enc) {
    R.Status = SynthStatus::Unsupported;
    R.Reason = toString(Enc.takeError());
    return Error::success();
  }
  E = std::move(*Enc);
  LHSM = synthesisSource(LHS);
  LHSFn = LHSM->getFunction("lhs");

  Work.charge(kProblemUnits);
  Batch = makeInputs(LHS, E, Opts.NumInputs, Opts.Seed);
  MaxInputs = Batch.NumInputs + 256;

  // The LHS result's known bits: ValueTracking on the plain @lhs (which
  // sees the range attributes) and the leaves' known bits through the
  // bytecode.
  std::unique_ptr<Module> Plain = toFunction(LHS);
  const Value *Ret = cast<ReturnInst>(Plain->getFunction("lhs")
                                          ->getEntryBlock()
                                          .getTerminator())
                         ->getOperand(0);
  KnownBits RK = computeKnownBits(Ret, Plain->getDataLayout());
  // (Not through a freeze: the bytecode's identity knows nothing of the
  // value a frozen poison takes.)
  KnownBits Mine =
      E.HasFreeze ? KnownBits(E.ResultWidth) : lhsKnownBits(LHS, E);
  if (Mine.getBitWidth() == RK.getBitWidth())
    RK = RK.unionWith(Mine);
  // A conflict means the LHS is poison everywhere, where anything refines
  // it; and if no input gave a defined value, pruning has nothing to keep.
  bool AnyDefined = llvm::is_contained(Batch.ExpectedPoison, 0);
  if (RK.hasConflict() || !AnyDefined)
    RK = KnownBits(E.ResultWidth);

  switch (Opts.Filter) {
  case FilterBackend::CPU:
    UseCUDA = false;
    break;
  case FilterBackend::CUDA:
    if (filter::Status S = filter::cudaFilterAvailable())
      return createStringError(std::errc::not_supported,
                               "CUDA filter unavailable: %s",
                               S.message().c_str());
    UseCUDA = true;
    break;
  case FilterBackend::Auto:
    UseCUDA = !filter::cudaFilterAvailable();
    break;
  }
  R.Stats.Backend = UseCUDA ? "cuda" : "cpu";

  Enumerator::Config Cfg;
  Cfg.VarWidths = E.VarWidths;
  for (const LeafInfo &L : LHS.Leaves)
    Cfg.VarKnown.push_back(L.Known);
  Cfg.ResultWidth = E.ResultWidth;
  Cfg.MaxInsts = Opts.MaxRHSInsts;
  Cfg.MaxHoles = std::min(Opts.MaxHoles, filter::MaxConsts);
  Cfg.CostLimit = R.LHSCost;
  Cfg.ResultKnown = RK;
  // Only where the bytecode's poison is the IR's: otherwise a pair may be
  // poison in the IR and constrain nothing.
  Cfg.EssentialVars = E.DroppedPoison ? 0 : essentialLeaves(E, Batch);
  Cfg.Guide = &Opts.Guide;
  Cfg.TTI = Opts.TTI;
  Cfg.Ctx = &LHSM->getContext();
  Enumerator En(Cfg);

  std::vector<Candidate> Level;
  uint64_t EnumCharged = 0; // Thousandths.
  auto ChargeEnum = [&] {
    Work.chargeMilli(En.workMilliUnits() - EnumCharged);
    EnumCharged = En.workMilliUnits();
  };
  auto EnumStop = [&] {
    ChargeEnum();
    return stopped();
  };
  R.Status = SynthStatus::NoneCheaper;
  while (true) {
    if (stopped())
      break;
    bool More = En.nextLevel(Level, EnumStop);
    ChargeEnum();
    if (!More)
      break;
    if (En.truncated()) {
      if (!stopped()) {
        Incomplete = true;
        R.Reason = "enumeration stopped at " + std::to_string(Cfg.MaxNodes) +
                   " nodes";
      }
      break;
    }
    Expected<bool> Found = processLevel(Level);
    if (!Found)
      return Found.takeError();
    if (*Found) {
      R.Status = SynthStatus::Found;
      break;
    }
  }
  R.Stats.Units = Work.spent();
  R.Stats.Enumerated = En.enumerated();
  R.Stats.Pruned = En.pruned();
  R.Stats.Inputs = Batch.NumInputs;
  if (R.Status == SynthStatus::Found)
    return Error::success();
  if (Stopped == Stop::Units) {
    R.Status = SynthStatus::Budget;
    R.Reason = "budget of " + std::to_string(Work.limit()) + " work units";
  } else if (Stopped == Stop::Guard) {
    R.Status = SynthStatus::Budget;
    R.Reason = "wall-clock guard of " + std::to_string(guardMs(Opts)) + " ms";
  } else if (Incomplete) {
    R.Status = SynthStatus::Budget;
    if (R.Reason.empty())
      R.Reason = "solver limits left candidates undecided";
  }
  return Error::success();
}

} // namespace
} // namespace synth

Expected<SynthResult> synthesize(const HarvestedDAG &LHS,
                                 const SynthOptions &Opts) {
  auto Start = synth::Clock::now();
  if (!LHS.Root || LHS.Insts.empty())
    return createStringError(std::errc::invalid_argument,
                             "synthesize: empty DAG");
  SynthResult R;
  synth::Driver D(LHS, Opts, R);
  if (Error Err = D.run())
    return Err;
  R.Stats.Seconds =
      std::chrono::duration<double>(synth::Clock::now() - Start).count();
  return R;
}

} // namespace neuropt
