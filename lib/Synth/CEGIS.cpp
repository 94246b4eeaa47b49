//===- CEGIS.cpp - Constants for candidate holes by CEGIS over Z3 -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements constant synthesis for candidates with holes. The
// bytecode semantics of SynthFilterOps.h (values, poison, program-wide UB)
// are encoded into Z3 bit-vectors with the candidate's inputs concrete and
// its holes free, so a query asks: which constants make the candidate agree
// with the target on these inputs? Counterexample-guided:
//
//   1. Solve on a small subset of the inputs (initially one).
//   2. Check the answer on every input with filter::evaluate(); the first
//      input where it disagrees joins the subset; go to 1.
//   3. An answer that agrees everywhere is returned; the driver then proves
//      it with the verifier, whose counterexample extends the inputs.
//
// Queries are tiny (a few concrete inputs), so the cost is dominated by
// process and solver start-up; all jobs of a call therefore share one forked
// child and one Z3 context. Each query is limited by Z3's resource count
// (deterministic), and each job reports the units it took; the jobs stop
// when the call's units are spent. Z3 runs in the child because it does not
// always honour its timeout (a guard here); the parent kills the child at
// the guard and reads whatever answers it wrote so far.
//
//===----------------------------------------------------------------------===//

#include "SynthInternal.h"
#include "neuropt/Kernels/SynthFilterOps.h"
#include "neuropt/Support/ChildProcess.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <z3++.h>

#include <algorithm>

using namespace llvm;

namespace neuropt {
namespace synth {

using filter::Op;

namespace {

struct ZVal {
  z3::expr V;
  z3::expr P;
};

/// Encodes one program on one concrete input.
class ProgramEncoder {
public:
  ProgramEncoder(z3::context &C, const std::vector<filter::Inst> &Insts,
                 unsigned NumVars, const std::vector<z3::expr> &Holes)
      : C(C), Insts(Insts), NumVars(NumVars), Holes(Holes) {}

  /// The constraint "the program is defined and equals \p Expected" on the
  /// input whose variable values are \p Vars.
  z3::expr agrees(const std::vector<uint64_t> &Vars,
                  const std::vector<uint8_t> &VarWidths, uint64_t Expected) {
    std::vector<ZVal> Slots;
    z3::expr F = C.bool_val(false);
    for (unsigned V = 0; V != NumVars; ++V)
      Slots.push_back({C.bv_val(static_cast<uint64_t>(Vars[V]), VarWidths[V]),
                       F});
    unsigned Base = NumVars + Holes.size();
    z3::expr UB = C.bool_val(false);
    for (const filter::Inst &I : Insts) {
      auto Get = [&](uint8_t S, unsigned W) -> ZVal {
        if (S < NumVars)
          return Slots[S];
        if (S < Base) {
          const z3::expr &H = Holes[S - NumVars];
          // A hole read at a narrower width than declared: its low bits.
          if (H.get_sort().bv_size() != W)
            return {H.extract(W - 1, 0), F};
          return {H, F};
        }
        return Slots[NumVars + (S - Base)];
      };
      bool CmpOrCast = filter::ops::isComparison(I.Opcode) ||
                       filter::ops::isCast(I.Opcode);
      unsigned OpW = CmpOrCast ? I.SrcWidth : I.Width;
      unsigned N = filter::ops::numOperands(I.Opcode);
      ZVal A = Get(I.A, I.Opcode == Op::Select ? 1 : OpW);
      ZVal B = N >= 2 ? Get(I.B, OpW) : A;
      ZVal Cv = N >= 3 ? Get(I.C, OpW) : A;
      Slots.push_back(encode(I, A, B, Cv, N, UB));
    }
    const ZVal &R = Slots.back();
    return !UB && !R.P && R.V == C.bv_val(static_cast<uint64_t>(Expected),
                                          Insts.back().Width);
  }

private:
  z3::context &C;
  const std::vector<filter::Inst> &Insts;
  unsigned NumVars;
  const std::vector<z3::expr> &Holes;

  z3::expr bv(uint64_t V, unsigned W) {
    return C.bv_val(static_cast<uint64_t>(V & filter::ops::mask(W)), W);
  }
  z3::expr bit(const z3::expr &Cond) { return z3::ite(Cond, bv(1, 1), bv(0, 1)); }

  ZVal encode(const filter::Inst &I, const ZVal &A, const ZVal &B,
              const ZVal &Cv, unsigned N, z3::expr &UB) {
    const unsigned W = I.Width, SW = I.SrcWidth;
    const bool NSW = I.Flags & filter::FlagNSW, NUW = I.Flags & filter::FlagNUW,
               Exact = I.Flags & filter::FlagExact;
    z3::expr In = A.P;
    if (N >= 2)
      In = In || B.P;
    if (N >= 3)
      In = In || Cv.P;
    z3::expr Poison = C.bool_val(false);
    z3::expr R = bv(0, W);
    const z3::expr &a = A.V, &b = B.V;
    switch (I.Opcode) {
    case Op::Add:
      R = a + b;
      if (NSW)
        Poison = Poison || z3::sext(a, 1) + z3::sext(b, 1) != z3::sext(R, 1);
      if (NUW)
        Poison = Poison || z3::zext(a, 1) + z3::zext(b, 1) != z3::zext(R, 1);
      break;
    case Op::Sub:
      R = a - b;
      if (NSW)
        Poison = Poison || z3::sext(a, 1) - z3::sext(b, 1) != z3::sext(R, 1);
      if (NUW)
        Poison = Poison || z3::ult(a, b);
      break;
    case Op::Mul:
      R = a * b;
      if (NSW)
        Poison = Poison || z3::sext(a, W) * z3::sext(b, W) != z3::sext(R, W);
      if (NUW)
        Poison = Poison || z3::zext(a, W) * z3::zext(b, W) != z3::zext(R, W);
      break;
    case Op::UDiv:
    case Op::URem:
      UB = UB || B.P || b == bv(0, W);
      R = I.Opcode == Op::UDiv ? z3::udiv(a, b) : z3::urem(a, b);
      if (I.Opcode == Op::UDiv && Exact)
        Poison = Poison || z3::urem(a, b) != bv(0, W);
      break;
    case Op::SDiv:
    case Op::SRem: {
      z3::expr IntMin = bv(uint64_t(1) << (W - 1), W);
      UB = UB || B.P || b == bv(0, W) ||
           (b == bv(~uint64_t(0), W) && (A.P || a == IntMin));
      R = I.Opcode == Op::SDiv ? a / b : z3::srem(a, b);
      if (I.Opcode == Op::SDiv && Exact)
        Poison = Poison || z3::srem(a, b) != bv(0, W);
      break;
    }
    case Op::Shl:
      R = z3::shl(a, b);
      Poison = z3::uge(b, bv(W, W));
      if (NUW)
        Poison = Poison || z3::lshr(R, b) != a;
      if (NSW)
        Poison = Poison || z3::ashr(R, b) != a;
      break;
    case Op::LShr:
      R = z3::lshr(a, b);
      Poison = z3::uge(b, bv(W, W));
      if (Exact)
        Poison = Poison || z3::shl(R, b) != a;
      break;
    case Op::AShr:
      R = z3::ashr(a, b);
      Poison = z3::uge(b, bv(W, W));
      if (Exact)
        Poison = Poison || z3::shl(R, b) != a;
      break;
    case Op::And: R = a & b; break;
    case Op::Or: R = a | b; break;
    case Op::Xor: R = a ^ b; break;
    case Op::UMin: R = z3::ite(z3::ult(a, b), a, b); break;
    case Op::UMax: R = z3::ite(z3::ult(a, b), b, a); break;
    case Op::SMin: R = z3::ite(a < b, a, b); break;
    case Op::SMax: R = z3::ite(a < b, b, a); break;
    case Op::Eq: R = bit(a == b); break;
    case Op::Ne: R = bit(a != b); break;
    case Op::Ult: R = bit(z3::ult(a, b)); break;
    case Op::Ule: R = bit(z3::ule(a, b)); break;
    case Op::Ugt: R = bit(z3::ugt(a, b)); break;
    case Op::Uge: R = bit(z3::uge(a, b)); break;
    case Op::Slt: R = bit(a < b); break;
    case Op::Sle: R = bit(a <= b); break;
    case Op::Sgt: R = bit(a > b); break;
    case Op::Sge: R = bit(a >= b); break;
    case Op::Select: {
      z3::expr T = a == bv(1, 1);
      R = z3::ite(T, b, Cv.V);
      In = A.P || z3::ite(T, B.P, Cv.P);
      break;
    }
    case Op::FShl:
    case Op::FShr: {
      z3::expr S = z3::urem(Cv.V, bv(W, W));
      z3::expr Zero = S == bv(0, W);
      z3::expr InvS = bv(W, W) - S;
      if (I.Opcode == Op::FShl)
        R = z3::ite(Zero, a, z3::shl(a, S) | z3::lshr(b, InvS));
      else
        R = z3::ite(Zero, b, z3::lshr(b, S) | z3::shl(a, InvS));
      break;
    }
    case Op::ZExt: R = z3::zext(a, W - SW); break;
    case Op::SExt: R = z3::sext(a, W - SW); break;
    case Op::Trunc:
      R = a.extract(W - 1, 0);
      if (NUW)
        Poison = Poison || z3::zext(R, SW - W) != a;
      if (NSW)
        Poison = Poison || z3::sext(R, SW - W) != a;
      break;
    case Op::Ctpop: {
      R = bv(0, W);
      for (unsigned K = 0; K != W; ++K)
        R = R + (W > 1 ? z3::zext(a.extract(K, K), W - 1) : a.extract(K, K));
      break;
    }
    case Op::Ctlz:
      R = bv(W, W);
      for (unsigned K = 0; K != W; ++K)
        R = z3::ite(a.extract(K, K) == bv(1, 1), bv(W - 1 - K, W), R);
      break;
    case Op::Cttz:
      R = bv(W, W);
      for (unsigned K = W; K-- > 0;)
        R = z3::ite(a.extract(K, K) == bv(1, 1), bv(K, W), R);
      break;
    case Op::Bswap: {
      z3::expr Acc = a.extract(7, 0);
      for (unsigned K = 1; K != W / 8; ++K)
        Acc = z3::concat(Acc, a.extract(8 * K + 7, 8 * K));
      R = Acc;
      break;
    }
    case Op::BitReverse: {
      z3::expr Acc = a.extract(0, 0);
      for (unsigned K = 1; K != W; ++K)
        Acc = z3::concat(Acc, a.extract(K, K));
      R = Acc;
      break;
    }
    case Op::Abs:
      R = z3::ite(a < bv(0, W), -a, a);
      break;
    case Op::NumOps:
      UB = C.bool_val(true);
      break;
    }
    return {R, In || Poison};
  }
};

/// The first input where the program with \p Consts disagrees with the
/// target, or -1.
int firstDisagreement(const CegisJob &J, const std::vector<uint64_t> &Consts,
                      const filter::InputBatch &B) {
  filter::ProgramSet Set;
  appendProgram(Set, J.Insts, Consts);
  if (filter::validate(Set, B))
    return 0;
  for (unsigned I = 0; I != B.NumInputs; ++I) {
    if (B.ExpectedPoison[I])
      continue;
    filter::ConcreteValue V = filter::evaluate(Set, 0, B, I);
    if (V.Poison || V.Bits != B.Expected[I])
      return static_cast<int>(I);
  }
  return -1;
}

/// Z3's resource count of a context (through one kept solver's statistics).
uint64_t rlimitCount(const z3::solver &Probe) {
  z3::stats St = Probe.statistics();
  for (unsigned I = 0; I < St.size(); ++I)
    if (St.key(I) == "rlimit count")
      return St.is_uint(I) ? St.uint_value(I) : uint64_t(St.double_value(I));
  return 0;
}

/// Solves one job within \p UnitsLeft work units, counted from Z3's count
/// \p Start (solveOne sets the answer's units).
CegisAnswer solveQueries(z3::context &C, const z3::solver &Probe,
                         uint64_t Start, const CegisJob &J,
                         const filter::InputBatch &B, const CegisLimits &L,
                         uint64_t UnitsLeft) {
  CegisAnswer A;
  unsigned NumVars = B.NumVars;
  std::vector<unsigned> HW = holeWidths(J.Insts, NumVars, J.NumHoles);
  std::vector<z3::expr> Holes;
  for (unsigned K = 0; K != J.NumHoles; ++K)
    Holes.push_back(C.bv_const(("h" + std::to_string(K)).c_str(), HW[K]));
  ProgramEncoder Enc(C, J.Insts, NumVars, Holes);
  z3::solver S(C, "QF_BV");
  z3::params P(C);
  P.set("timeout", std::max(1u, L.QueryGuardMs));
  S.set(P);

  auto AddInput = [&](unsigned I) {
    std::vector<uint64_t> Vars(NumVars);
    for (unsigned V = 0; V != NumVars; ++V)
      Vars[V] = B.Values[uint64_t(V) * B.NumInputs + I];
    S.add(Enc.agrees(Vars, B.VarWidths, B.Expected[I]));
  };
  int First = -1;
  for (unsigned I = 0; I != B.NumInputs; ++I)
    if (!B.ExpectedPoison[I]) {
      First = static_cast<int>(I);
      break;
    }
  if (First < 0) {
    // The target is poison everywhere we looked: any constant will do here;
    // the proof decides.
    A.Outcome = CegisOutcome::Found;
    A.Constants.assign(J.NumHoles, 0);
    return A;
  }
  AddInput(First);
  // Each round adds one input; a candidate needing more than this many is
  // left to the next call with the verifier's counterexamples.
  for (unsigned Round = 0; Round != 32; ++Round) {
    uint64_t Used = cegisUnits(rlimitCount(Probe) - Start);
    if (Used >= UnitsLeft)
      return A; // Unknown: the call's units are spent.
    // Z3's rlimit is relative to the context's count at the check, and in
    // Z3's units (two per work unit here).
    S.set("rlimit",
          unsigned(std::clamp<uint64_t>(
              std::min(L.QueryUnits, 2 * (UnitsLeft - Used)), 1, UINT32_MAX)));
    ++A.Queries;
    z3::check_result R = S.check();
    if (R == z3::unsat) {
      A.Outcome = CegisOutcome::NoConstants;
      return A;
    }
    if (R != z3::sat)
      return A; // Unknown.
    z3::model M = S.get_model();
    std::vector<uint64_t> Consts;
    for (unsigned K = 0; K != J.NumHoles; ++K) {
      uint64_t V = 0;
      z3::expr E = M.eval(Holes[K], true);
      if (!E.is_numeral_u64(V))
        return A;
      Consts.push_back(V);
    }
    int Bad = firstDisagreement(J, Consts, B);
    if (Bad < 0) {
      A.Outcome = CegisOutcome::Found;
      A.Constants = std::move(Consts);
      return A;
    }
    AddInput(static_cast<unsigned>(Bad));
  }
  return A;
}

/// Solves one job within \p UnitsLeft work units; A.Units is what it took
/// (cegisUnits() of Z3's count).
CegisAnswer solveOne(z3::context &C, const z3::solver &Probe, const CegisJob &J,
                     const filter::InputBatch &B, const CegisLimits &L,
                     uint64_t UnitsLeft) {
  uint64_t Start = rlimitCount(Probe);
  CegisAnswer A = solveQueries(C, Probe, Start, J, B, L, UnitsLeft);
  A.Units = cegisUnits(rlimitCount(Probe) - Start);
  return A;
}

} // namespace

std::vector<CegisAnswer> runCegis(const std::vector<CegisJob> &Jobs,
                                  const filter::InputBatch &Batch,
                                  const CegisLimits &L) {
  std::vector<CegisAnswer> Answers(Jobs.size());
  if (Jobs.empty() || L.GuardMs == 0 || L.Units == 0)
    return Answers;
  Expected<ChildOutcome> Child = runInChild(
      [&](int Fd) {
        try {
          z3::context C;
          // A simple solver: the count is the context's, and the default
          // solver's first statistics cost 3-4 ms of set-up.
          z3::solver Probe(C, z3::solver::simple());
          uint64_t Used = 0;
          for (size_t I = 0; I != Jobs.size() && Used < L.Units; ++I) {
            CegisAnswer A =
                solveOne(C, Probe, Jobs[I], Batch, L, L.Units - Used);
            Used += A.Units;
            std::string Line;
            raw_string_ostream OS(Line);
            OS << I << ' ' << unsigned(A.Outcome) << ' ' << A.Queries << ' '
               << A.Units;
            for (uint64_t K : A.Constants)
              OS << ' ' << K;
            OS << '\n';
            if (!writeAll(Fd, Line))
              return;
          }
        } catch (const z3::exception &) {
          // Jobs without an answer stay Unknown.
        }
      },
      L.GuardMs, kSolverChildHeapBytes);
  if (!Child) {
    consumeError(Child.takeError());
    return Answers;
  }
  // Only whole lines: the child may have been killed in the middle of one.
  StringRef Out = Child->Output;
  size_t End = Out.rfind('\n');
  Out = End == StringRef::npos ? StringRef() : Out.take_front(End + 1);
  SmallVector<StringRef, 64> Lines;
  Out.split(Lines, '\n', -1, false);
  for (StringRef L : Lines) {
    SmallVector<StringRef, 8> F;
    L.split(F, ' ', -1, false);
    if (F.size() < 4)
      continue; // A line cut by the guard.
    uint64_t Idx, Outcome, Queries, Units;
    if (!to_integer(F[0], Idx) || !to_integer(F[1], Outcome) ||
        !to_integer(F[2], Queries) || !to_integer(F[3], Units) ||
        Idx >= Jobs.size() || Outcome > 2)
      continue;
    CegisAnswer A;
    A.Outcome = static_cast<CegisOutcome>(Outcome);
    A.Queries = Queries;
    A.Units = Units;
    bool Ok = true;
    for (size_t K = 4; K < F.size(); ++K) {
      uint64_t V;
      Ok &= to_integer(F[K], V);
      A.Constants.push_back(V);
    }
    if (A.Outcome == CegisOutcome::Found &&
        (!Ok || A.Constants.size() != Jobs[Idx].NumHoles))
      continue;
    Answers[Idx] = std::move(A);
  }
  return Answers;
}

} // namespace synth
} // namespace neuropt
