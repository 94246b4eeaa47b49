//===- SMTVerifier.cpp - Refinement queries over the Z3 encoding -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements createSMTVerifier(): it encodes source and target
// (Encoder.cpp), builds the negated refinement query and interprets Z3's
// answer. Three queries, each under the time and memory budget:
//
//  1. Q: the negated refinement with every source undef choice instantiated.
//     Q over-approximates the real query, so "unsat" is a proof.
//  2. Q_exact: only when Q is "sat": source undef choices universally
//     quantified, approximations excluded. "sat" is a genuine refutation;
//     "unsat" is a proof when the encoding used no approximation.
//  3. Q_bound: with loops, whether any execution exceeds the unroll bound;
//     if none can, "bounded" becomes "proved".
//
//===----------------------------------------------------------------------===//

#include "Encoder.h"
#include "Internal.h"
#include "neuropt/IR/SameFunction.h"
#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/IR/Attributes.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>

using namespace llvm;

namespace neuropt {
using namespace verify;

namespace {

class SMTVerifier final : public Verifier {
public:
  VerifyResult verify(const Function &Src, const Function &Tgt,
                      const VerifyOptions &Opts) override;
  std::vector<VerifyResult> verifyAll(
      const std::vector<std::pair<const Function *, const Function *>> &Pairs,
      const VerifyOptions &Opts, unsigned DeadlineMs) override;
};

/// The solver's part of a check, for a pair staticVerdict has let through
/// (every entry point asks it first, before any child process). Shared: a
/// context to reuse (a batch in one child process creates one instead of
/// one per pair, which costs about 10 ms each), with its meter.
VerifyResult runSMT(const Function &Src, const Function &Tgt,
                    const VerifyOptions &Opts,
                    const std::vector<uint64_t> *Fixed,
                    z3::context *Shared = nullptr,
                    ResourceMeter *Meter = nullptr);

struct Query {
  z3::context &C;
  const VerifyOptions &Opts;
  SharedInputs In;
  EncodedFunction S, T;
  z3::expr CmpAddr;
  std::vector<bool> Substituted;
  Query(z3::context &C, const VerifyOptions &Opts)
      : C(C), Opts(Opts), In(C), S(C), T(C), CmpAddr(C) {}
};

} // namespace

static z3::expr mkAnd(z3::context &C, const std::vector<z3::expr> &V) {
  z3::expr_vector EV(C);
  for (auto &E : V)
    EV.push_back(E);
  return z3::mk_and(EV);
}

// IEEE 754 addition and multiplication commute (in fma's product too),
// SMT-LIB's fp.add, fp.mul and fp.fma have a single NaN, and a NaN result's
// bits are a choice whose domain is symmetric in the operands (resultBits in
// Encoder.cpp). So the multiplied or added operands of every fp.add, fp.mul
// and fp.fma may be put in a canonical order: a commuted fadd or fmul then
// builds the very term the other side built, where Z3 would otherwise have
// to bit-blast both to equate them (a timeout on doubles). The order is by
// AST id after the operands are rewritten, and so does not depend on which
// side built the term first. The walk is iterative: queries over memory
// nest deeply. Visit, if given, sees every rewritten application.
static z3::expr
sortCommutedFP(z3::context &C, const z3::expr &Root,
               const std::function<void(const z3::expr &)> &Visit = {}) {
  std::unordered_map<unsigned, z3::expr> Done;
  std::vector<std::pair<z3::expr, bool>> Stack{{Root, false}};
  while (!Stack.empty()) {
    auto [E, Expanded] = Stack.back();
    Stack.pop_back();
    unsigned Id = Z3_get_ast_id(C, E);
    if (Done.count(Id))
      continue;
    if (!E.is_app() || E.num_args() == 0) {
      Done.emplace(Id, E);
      continue;
    }
    if (!Expanded) {
      Stack.push_back({E, true});
      for (unsigned I = 0; I < E.num_args(); ++I)
        Stack.push_back({E.arg(I), false});
      continue;
    }
    std::vector<Z3_ast> Args;
    bool Changed = false;
    for (unsigned I = 0; I < E.num_args(); ++I) {
      const z3::expr &A = Done.at(Z3_get_ast_id(C, E.arg(I)));
      Changed |= !z3::eq(A, E.arg(I));
      Args.push_back(A);
    }
    Z3_decl_kind K = E.decl().decl_kind();
    // fp.add, fp.mul (rm, x, y) and fp.fma (rm, x, y, z): x and y commute.
    if ((((K == Z3_OP_FPA_ADD || K == Z3_OP_FPA_MUL) && Args.size() == 3) ||
         (K == Z3_OP_FPA_FMA && Args.size() == 4)) &&
        Z3_get_ast_id(C, Args[1]) > Z3_get_ast_id(C, Args[2])) {
      std::swap(Args[1], Args[2]);
      Changed = true;
    }
    z3::expr N = E;
    if (Changed) {
      N = z3::expr(C, Z3_update_term(C, E, Args.size(), Args.data()));
      C.check_error();
    }
    if (Visit)
      Visit(N);
    Done.emplace(Id, N);
  }
  return Done.at(Z3_get_ast_id(C, Root));
}

// Facts about In.InBounds (Encoder.h) that hold for every real memory,
// instantiated on its applications Apps: an allocated object is an interval, so an address between
// two in-bounds addresses of the same pointer's object is in bounds too.
// (Without them a proof that splits one GEP into two fails.) At most 16
// addresses per pointer are related.
static z3::expr inBoundsFacts(z3::context &C, const z3::func_decl &IB,
                              const std::vector<z3::expr> &Apps) {
  std::map<unsigned, std::vector<z3::expr>> ByRoot; // root's id -> addresses
  std::map<unsigned, z3::expr> Roots;
  for (const z3::expr &X : Apps) {
    unsigned R = Z3_get_ast_id(C, X.arg(0));
    Roots.emplace(R, X.arg(0));
    auto &As = ByRoot[R];
    bool Have = false;
    for (auto &A : As)
      Have |= z3::eq(A, X.arg(1));
    if (!Have && As.size() < 16)
      As.push_back(X.arg(1));
  }
  std::vector<z3::expr> Facts;
  for (auto &[R, As] : ByRoot) {
    const z3::expr &Root = Roots.at(R);
    for (auto &A : As)
      for (auto &B : As)
        for (auto &M : As)
          if (!z3::eq(M, A) && !z3::eq(M, B) && !z3::eq(A, B))
            Facts.push_back(z3::implies(IB(Root, A) && IB(Root, B) &&
                                            z3::ule(A, M) && z3::ule(M, B),
                                        IB(Root, M)));
  }
  return mkAnd(C, Facts);
}

/// Renders a model value of type T (a byte of memory when null).
static std::string renderValue(z3::context &C, z3::model &M, const z3::expr &E,
                               Type *T) {
  z3::expr V = M.eval(E, true);
  std::string S;
  raw_string_ostream OS(S);
  unsigned W = V.get_sort().bv_size();
  uint64_t U = 0;
  if (T && T->isFloatingPointTy() && V.is_numeral_u64(U)) {
    // Floating-point values are their IEEE bits (see sortFor).
    APFloat F(T->getFltSemantics(), APInt(W, U));
    SmallString<32> Text;
    F.toString(Text);
    OS << *T << " " << Text;
    if (F.isNaN())
      OS << " (" << format_hex(U, 2 + W / 4) << ")";
    return OS.str();
  }
  if (T && T->isPointerTy()) {
    V.is_numeral_u64(U);
    OS << "ptr " << format_hex(U, 18);
    return OS.str();
  }
  if (W <= 64 && V.is_numeral_u64(U)) {
    int64_t Sx = W == 64 ? (int64_t)U : SignExtend64(U, W);
    OS << "i" << W << " " << format_hex(U, 2 + (W + 3) / 4) << " (" << U;
    if (Sx < 0)
      OS << ", " << Sx;
    OS << ")";
    return OS.str();
  }
  OS << "i" << W << " " << Z3_get_numeral_string(C, V);
  return OS.str();
}

static std::string outcome(z3::context &C, z3::model &M, const EncodedFunction &F,
                           Type *T) {
  if (M.eval(F.UB, true).is_true())
    return "UB";
  if (F.IsVoid)
    return "returns (void)";
  if (M.eval(F.Ret.P, true).is_true())
    return "poison";
  return renderValue(C, M, F.Ret.V, T);
}

static Counterexample makeCEX(Query &Q, z3::model &M, const Function &Src) {
  Counterexample X;
  for (const Argument &A : Src.args()) {
    unsigned N = A.getArgNo();
    std::string Name = A.hasName() ? "%" + A.getName().str()
                                   : "%" + std::to_string(N);
    std::string V;
    if (M.eval(Q.In.XP[N], true).is_true())
      V = "poison";
    else if (!Q.Substituted[N] && M.eval(Q.In.XU[N], true).is_true())
      V = "undef";
    else
      V = renderValue(Q.C, M, Q.In.X[N], A.getType());
    X.Inputs.push_back({Name, V});
  }
  Type *RT = Src.getReturnType();
  X.SrcValue = outcome(Q.C, M, Q.S, RT);
  X.TgtValue = outcome(Q.C, M, Q.T, RT);
  bool AnyUndef = false;
  for (auto &In : X.Inputs)
    AnyUndef |= In.second == "undef";
  if (AnyUndef)
    X.Note = "for every choice of the source's undef values";
  if ((bool)Q.CmpAddr && X.SrcValue != "UB" && X.TgtValue != "UB") {
    z3::expr A = Q.CmpAddr;
    bool SameRet = X.SrcValue == X.TgtValue || X.SrcValue == "poison";
    if (SameRet) {
      auto byte = [&](const EncodedFunction &F) {
        if (M.eval(z3::select(F.MemOut.PM, A), true).is_true())
          return std::string("poison");
        return renderValue(Q.C, M, z3::select(F.MemOut.Mem, A), nullptr);
      };
      uint64_t Addr = 0;
      M.eval(A, true).is_numeral_u64(Addr);
      std::string S;
      raw_string_ostream OS(S);
      OS << "memory at " << format_hex(Addr, 18) << ": src " << byte(Q.S)
         << ", tgt " << byte(Q.T);
      X.Note = X.Note.empty() ? OS.str() : OS.str() + "; " + X.Note;
    }
  }
  return X;
}

static std::string unknownReason(const z3::solver &S) {
  std::string R = S.reason_unknown();
  if (R.empty())
    return "timeout";
  if (R.find("timeout") != std::string::npos ||
      R.find("canceled") != std::string::npos ||
      R.find("memory") != std::string::npos ||
      R.find("resource") != std::string::npos)
    return "timeout";
  return "solver: " + R;
}

/// What picks the solver of a quantifier-free query: whether it has a
/// product of two variables or a division other than an unsigned one by
/// a power of two (which bit-blasting decides
/// much faster than the SMT core's lazy bit-vector theory), and whether it
/// is pure bit-vector logic (no arrays, unknown functions or binders).
struct QueryShape {
  bool Nonlinear = false, PureBV = true;
  static bool isPowerOfTwoNumeral(const z3::expr &E) {
    uint64_t V;
    return E.is_numeral_u64(V) && V && !(V & (V - 1));
  }
  void visit(const z3::expr &E) {
    Z3_decl_kind K = E.decl().decl_kind();
    switch (K) {
    case Z3_OP_BMUL:
      Nonlinear |= E.num_args() == 2 && !E.arg(0).is_numeral() &&
                   !E.arg(1).is_numeral();
      break;
    case Z3_OP_BUDIV: case Z3_OP_BUREM: case Z3_OP_BUDIV_I:
    case Z3_OP_BUREM_I:
      // By a power of two (an alignment check: every load and store has
      // one) the simplifier makes it a shift or a mask.
      Nonlinear |= !isPowerOfTwoNumeral(E.arg(1));
      break;
    case Z3_OP_BSDIV: case Z3_OP_BSREM: case Z3_OP_BSMOD:
    case Z3_OP_BSDIV_I: case Z3_OP_BSREM_I: case Z3_OP_BSMOD_I:
      Nonlinear = true;
      break;
    case Z3_OP_UNINTERPRETED:
      PureBV = false;
      break;
    default:
      break;
    }
    for (unsigned I = 0; I < E.num_args() && PureBV; ++I) {
      z3::sort S = E.arg(I).get_sort();
      PureBV = (S.is_bv() || S.is_bool()) && !E.arg(I).is_quantifier();
    }
  }
};

namespace {
/// The budget of one function's encoding and queries: each query gets the
/// per-query time limit, never more than what is left of the verification's
/// deadline, and (with Opts.ResourceLimit) what is left of the function's
/// resource units, which the encoding's simplifications use as well.
struct QueryBudget {
  const VerifyOptions &Opts;
  std::chrono::steady_clock::time_point Start;
  ResourceMeter &Meter;
  uint64_t FnStart;

  /// Z3's default solver; its set-up (about 4 ms, more than most queries
  /// here take) is charged to the budget, so that the budget also bounds
  /// the time of many small functions.
  z3::solver solver(z3::context &C) const {
    Meter.charge(kSolverSetupUnits);
    return z3::solver(C);
  }
  /// Z3's SMT core alone, without the default solver's tactics: set up in
  /// under 0.1 ms, it is the solver of the bound check; at the same budget
  /// it reaches and proves more functions than the default solver
  /// (bench/results/verify.md, session 24). The exact query, with its
  /// quantifier, keeps the default solver.
  z3::solver lightSolver(z3::context &C) const {
    Meter.charge(kLightSolverSetupUnits);
    return z3::solver(C, z3::solver::simple());
  }
  /// The SMT core behind Z3's simplifier and value propagation, as one
  /// tactic: the solver of the main query (see QueryShape). The SMT core's
  /// own preprocessing leaves equalities that fix a term to a constant
  /// (a global's bytes, a loaded pointer) unpropagated, and then
  /// bit-blasts what one more round of propagation decides. byacc's
  /// dollar_warning (three loads of globals and a call of fprintf): the
  /// main query took 120 ms on the SMT core alone and 2 ms here, and the
  /// whole proof 29,100 units against 14,400 (bench/results/verify.md,
  /// session 25). Set up in 0.03 ms, charged as the SMT core.
  ///
  /// With sort_store, Z3's rewriter puts two stores whose addresses it
  /// finds distinct (p and p + 4) in one order, so that a target that
  /// reorders stores to distinct bytes builds the source's memory term
  /// and the final memories compare without array reasoning. Two i64
  /// stores to p and p + 8, swapped: 5,343 units against a timeout after
  /// 20 s; the 1,539 sample functions' verdicts are the same
  /// (bench/results/verify.md, session 50).
  z3::solver propagatingSolver(z3::context &C) const {
    Meter.charge(kLightSolverSetupUnits);
    z3::params P(C);
    P.set("sort_store", true);
    return z3::with(z3::tactic(C, "simplify") &
                        z3::tactic(C, "propagate-values") &
                        z3::tactic(C, "smt"),
                    P)
        .mk_solver();
  }
  /// Z3's qfbv tactic (simplification, bit-blasting, SAT) as a solver, for
  /// pure bit-vector queries with products or divisions; set up in 0.2 ms.
  z3::solver bitBlastSolver(z3::context &C) const {
    Meter.charge(kBitBlastSolverSetupUnits);
    return z3::tactic(C, "qfbv").mk_solver();
  }

  uint64_t used() const { return Meter.count() - FnStart; }
  uint64_t left() const {
    if (!Opts.ResourceLimit)
      return UINT32_MAX;
    return Opts.ResourceLimit - std::min(used(), Opts.ResourceLimit);
  }
  /// Limits S's check to the time and units left (or 1/Share of the units).
  void set(z3::solver &S, unsigned Share = 1) const {
    auto Spent = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - Start)
                     .count();
    int64_t Left = (int64_t)verify::smtSolveDeadlineMs(Opts) - Spent;
    S.set("timeout", (unsigned)std::max<int64_t>(
                         1, std::min<int64_t>(Opts.TimeoutMs, Left)));
    // Z3's rlimit is relative to the context's count at the check.
    if (Opts.ResourceLimit)
      S.set("rlimit",
            (unsigned)std::clamp<uint64_t>(left() / Share, 1, UINT32_MAX));
  }
  bool spent() const { return Opts.ResourceLimit && !left(); }
  /// Why a check answered unknown.
  std::string reason(const z3::solver &S) const {
    return spent() ? kResourceLimit : unknownReason(S);
  }
};
} // namespace

/// Value attributes the encoder models: noundef, nonnull, align, range (a
/// violating argument or returned value is UB or poison on either side)
/// and the ABI's extension attributes, which do not change the IR's values.
static bool isModelledValueAttr(Attribute::AttrKind K) {
  switch (K) {
  case Attribute::NoUndef:
  case Attribute::NonNull:
  case Attribute::Alignment:
  case Attribute::Range:
  case Attribute::ZExt:
  case Attribute::SExt:
  case Attribute::NoExt:
    return true;
  default:
    return false;
  }
}

/// Function attributes that cannot make a function less defined.
static bool isHarmlessFnAttr(Attribute::AttrKind K) {
  switch (K) {
  case Attribute::NoInline:
  case Attribute::OptimizeNone:
  case Attribute::UWTable:
  case Attribute::NoUnwind:
  case Attribute::Cold:
  case Attribute::Hot:
  case Attribute::MinSize:
  case Attribute::OptimizeForSize:
  case Attribute::AlwaysInline:
  case Attribute::InlineHint:
    return true;
  default:
    return false;
  }
}

/// The first attribute of \p Tgt that is not \p Accepted and that \p Src
/// lacks, as text; empty if none. One the source has may be repeated: for
/// an argument it is the caller's promise to both; for a returned value,
/// the target returns the same value and keeps the promise whenever the
/// source does (the source's own such attributes are ignored, which only
/// makes it more defined).
static std::string addedAttribute(AttributeSet Src, AttributeSet Tgt,
                                  bool (*Accepted)(Attribute::AttrKind)) {
  for (Attribute A : Tgt) {
    if (A.isStringAttribute() || Accepted(A.getKindAsEnum()))
      continue;
    // byval(%struct.S) and byval(%struct.S.12) are the same: a module read
    // from bitcode into a context that has its struct types renames them.
    if (!Src.hasAttribute(A.getKindAsEnum()) ||
        !isSameAttribute(Src.getAttribute(A.getKindAsEnum()), A))
      return A.getAsString();
  }
  return "";
}

/// Tgt may not promise callers more than Src does, nor pass its arguments
/// otherwise: byval, sret, inalloca and preallocated are part of how the
/// caller passes the argument, so the target must keep the source's.
static std::string checkAttributes(const Function &Src, const Function &Tgt) {
  const AttributeList &SL = Src.getAttributes(), &TL = Tgt.getAttributes();
  for (unsigned N = 0; N < Src.arg_size(); ++N) {
    if (std::string A = addedAttribute(SL.getParamAttrs(N), TL.getParamAttrs(N),
                                       isModelledValueAttr);
        !A.empty())
      return "target adds parameter attribute " + A;
    for (Attribute::AttrKind K : {Attribute::ByVal, Attribute::StructRet,
                                  Attribute::InAlloca, Attribute::Preallocated})
      if (SL.hasParamAttr(N, K) &&
          (!TL.hasParamAttr(N, K) ||
           !isSameAttribute(SL.getParamAttr(N, K), TL.getParamAttr(N, K))))
        return "target drops parameter attribute " +
               SL.getParamAttr(N, K).getAsString();
  }
  // Function attributes the target adds may make it less defined
  // (memory(none), willreturn, ...); only harmless ones are accepted.
  if (std::string A =
          addedAttribute(SL.getFnAttrs(), TL.getFnAttrs(), isHarmlessFnAttr);
      !A.empty())
    return "target adds function attribute " + A;
  if (std::string A = addedAttribute(SL.getRetAttrs(), TL.getRetAttrs(),
                                     isModelledValueAttr);
      !A.empty())
    return "target adds return attribute " + A;
  return "";
}

/// Call-site attributes the encoder models at a call (a violating argument
/// or result is UB or poison: the value attributes, dereferenceable,
/// dereferenceable_or_null) or that cannot make a call less defined.
static bool isModelledCallAttr(Attribute::AttrKind K) {
  return isModelledValueAttr(K) || isHarmlessFnAttr(K) ||
         K == Attribute::Dereferenceable ||
         K == Attribute::DereferenceableOrNull || K == Attribute::NoBuiltin ||
         K == Attribute::Builtin;
}

/// Whether call CI has attribute A at Index, on its callee's declaration
/// or, unless DeclOnly, on the call; for memory(...), whether the effects
/// there are within A's.
static bool callHasAttribute(const CallInst &CI, unsigned Index, Attribute A,
                             bool DeclOnly = false) {
  Attribute::AttrKind K = A.getKindAsEnum();
  auto has = [&](const AttributeList &L) {
    AttributeSet S = L.getAttributes(Index);
    if (K == Attribute::Memory && S.hasAttribute(K))
      return (S.getMemoryEffects() | A.getMemoryEffects()) ==
             A.getMemoryEffects();
    return S.hasAttribute(K) && isSameAttribute(S.getAttribute(K), A);
  };
  const Function *Callee = CI.getCalledFunction();
  return (!DeclOnly && has(CI.getAttributes())) ||
         (Callee && has(Callee->getAttributes()));
}

/// The first attribute a call of Tgt carries (on the call itself, not on
/// its callee's declaration) that the encoder does not model and that a
/// call of the same callee in Src lacks, as text; empty if none. Such an
/// attribute is the target's promise about the callee (readnone on an argument,
/// memory(none), willreturn, ...): a callee that breaks it makes the target's
/// call UB. The encoder models a callee with the weaker of the two sides'
/// effects, so it would not see that UB. (A declaration's attributes are taken
/// as facts about the external function, as both sides' modules inferred them.)
static std::string addedCallAttribute(const Function &Src,
                                      const Function &Tgt) {
  std::map<std::string, std::vector<const CallInst *>> SrcCalls;
  for (const Instruction &I : instructions(Src))
    if (auto *CI = dyn_cast<CallInst>(&I); CI && !isa<IntrinsicInst>(CI))
      SrcCalls[verify::callKey(*CI)].push_back(CI);
  for (const Instruction &I : instructions(Tgt)) {
    auto *CI = dyn_cast<CallInst>(&I);
    if (!CI || isa<IntrinsicInst>(CI))
      continue;
    const std::vector<const CallInst *> &Same = SrcCalls[verify::callKey(*CI)];
    const AttributeList &TL = CI->getAttributes();
    for (unsigned Index : TL.indexes())
      for (Attribute A : TL.getAttributes(Index)) {
        if (A.isStringAttribute() || isModelledCallAttr(A.getKindAsEnum()) ||
            callHasAttribute(*CI, Index, A, /*DeclOnly=*/true))
          continue;
        if (!Same.empty() && all_of(Same, [&](const CallInst *S) {
              return callHasAttribute(*S, Index, A);
            }))
          continue;
        std::string Callee =
            CI->getCalledFunction()
                ? ("@" + CI->getCalledFunction()->getName()).str()
                : "an indirect callee";
        return A.getAsString() + " on a call of " + Callee;
      }
  }
  return "";
}

/// The verdict on a pair that needs no solver, found without a Z3 context
/// (creating one costs more than 10 ms): proved when the target is the
/// source with promises dropped (SameFunction.h), whatever instructions it
/// has; unknown when the encoder could not take the pair whatever the
/// solver did (mismatched signatures, attributes or an instruction outside
/// the fragment), since encoding up to such an instruction can cost all of
/// a batch's units. None if the pair needs the solver.
static std::optional<VerifyResult> staticVerdict(const Function &Src,
                                                 const Function &Tgt) {
  VerifyResult R;
  R.Engine = "smt";
  if (std::string Why = checkSignatures(Src, Tgt); !Why.empty()) {
    R.Reason = "signature mismatch: " + Why;
    return R;
  }
  // Both are taken to read the same constants.
  if (std::string Why = verify::differingGlobal(Src, Tgt); !Why.empty()) {
    R.Reason = "unsupported: " + Why;
    return R;
  }
  // The source with promises dropped refines it, whatever it does: no
  // solver needed, even for instructions the encoder does not model.
  if (dropsPromisesOnly(Src, Tgt)) {
    R.V = Verdict::Proved;
    R.Reason = "the source with promises dropped";
    return R;
  }
  std::string Why = checkAttributes(Src, Tgt);
  if (Why.empty())
    if (std::string A = addedCallAttribute(Src, Tgt); !A.empty())
      Why = "target adds call attribute " + A;
  for (const Function *F : {&Src, &Tgt})
    if (Why.empty())
      Why = verify::findUnsupported(*F);
  if (Why.empty())
    return std::nullopt;
  R.Reason = "unsupported: " + Why;
  return R;
}

VerifyResult SMTVerifier::verify(const Function &Src, const Function &Tgt,
                                 const VerifyOptions &Opts) {
  verify::GlobalFactsScope Facts;
  if (std::optional<VerifyResult> Static = staticVerdict(Src, Tgt))
    return *Static; // no solver, and so no child, needed
  if (!Opts.Isolate)
    return runSMT(Src, Tgt, Opts, nullptr);
  return runIsolated([&] { return runSMT(Src, Tgt, Opts, nullptr); },
                     smtDeadlineMs(Opts), "smt");
}

std::vector<VerifyResult> SMTVerifier::verifyAll(
    const std::vector<std::pair<const Function *, const Function *>> &Pairs,
    const VerifyOptions &Opts, unsigned DeadlineMs) {
  verify::GlobalFactsScope Facts;
  // Pairs the solver is not needed for are settled here, whatever their
  // place in the batch: they cost the child no time or units, and a batch
  // of only such pairs needs no child.
  std::vector<VerifyResult> Rs(Pairs.size());
  std::vector<size_t> Solve;
  for (size_t I = 0; I < Pairs.size(); ++I) {
    if (std::optional<VerifyResult> Static =
            staticVerdict(*Pairs[I].first, *Pairs[I].second))
      Rs[I] = *Static;
    else
      Solve.push_back(I);
  }
  if (!Opts.Isolate) {
    std::vector<std::pair<const Function *, const Function *>> Rest;
    for (size_t I : Solve)
      Rest.push_back(Pairs[I]);
    std::vector<VerifyResult> Solved =
        Verifier::verifyAll(Rest, Opts, DeadlineMs);
    for (size_t K = 0; K < Solve.size(); ++K)
      Rs[Solve[K]] = std::move(Solved[K]);
    return Rs;
  }
  std::optional<z3::context> C; // created in the child, on first use
  std::optional<ResourceMeter> Meter;
  uint64_t Used = 0;
  std::vector<VerifyResult> Solved = runIsolatedBatch(
      [&](size_t K, unsigned LeftMs) {
        size_t I = Solve[K];
        std::optional<uint64_t> Share = batchShare(Opts, Used);
        if (!Share) {
          VerifyResult R;
          R.Engine = "smt";
          R.Reason = kNotReached;
          return R;
        }
        VerifyOptions O = Opts;
        O.DeadlineMs = LeftMs;
        O.ResourceLimit = *Share;
        if (!C) {
          z3::set_param("memory_max_size", (int)Opts.MemoryMB);
          C.emplace();
          Meter.emplace(*C);
        }
        VerifyResult R =
            runSMT(*Pairs[I].first, *Pairs[I].second, O, nullptr, &*C, &*Meter);
        Used += R.Resources;
        return R;
      },
      Solve.size(), DeadlineMs, "smt");
  for (size_t K = 0; K < Solve.size(); ++K)
    Rs[Solve[K]] = std::move(Solved[K]);
  return Rs;
}

VerifyResult verify::checkConcreteInput(const Function &Src, const Function &Tgt,
                                        const std::vector<uint64_t> &Args,
                                        const VerifyOptions &Opts) {
  verify::GlobalFactsScope Facts;
  if (std::optional<VerifyResult> Static = staticVerdict(Src, Tgt))
    return *Static;
  if (!Opts.Isolate)
    return runSMT(Src, Tgt, Opts, &Args);
  return runIsolated([&] { return runSMT(Src, Tgt, Opts, &Args); },
                     smtDeadlineMs(Opts), "smt");
}

namespace {
VerifyResult runQueries(const Function &Src, const Function &Tgt,
                        const VerifyOptions &Opts,
                        const std::vector<uint64_t> *Fixed, z3::context &C,
                        ResourceMeter &Meter);

VerifyResult runSMT(const Function &Src, const Function &Tgt,
                    const VerifyOptions &Opts,
                    const std::vector<uint64_t> *Fixed, z3::context *Shared,
                    ResourceMeter *Meter) {
  VerifyResult R;
  R.Engine = "smt";
  try {
    z3::set_param("memory_max_size", (int)Opts.MemoryMB);
    std::optional<z3::context> OwnC;
    if (!Shared)
      OwnC.emplace();
    z3::context &C = Shared ? *Shared : *OwnC;
    std::optional<ResourceMeter> OwnM;
    if (!Meter)
      OwnM.emplace(C);
    ResourceMeter &M = Meter ? *Meter : *OwnM;
    uint64_t Before = M.count();
    R = runQueries(Src, Tgt, Opts, Fixed, C, M);
    R.Resources = M.count() - Before;
  } catch (z3::exception &E) {
    R.Reason = "solver error: " + std::string(E.msg());
  }
  return R;
}

VerifyResult runQueries(const Function &Src, const Function &Tgt,
                        const VerifyOptions &Opts,
                        const std::vector<uint64_t> *Fixed, z3::context &C,
                        ResourceMeter &Meter) {
  QueryBudget Budget{Opts, std::chrono::steady_clock::now(), Meter,
                     Meter.count()};
  VerifyResult R;
  R.Engine = "smt";
  try {
    Query Q(C, Opts);
    Q.In.UnitsLeft = [&] { return Budget.left(); };
    Q.In.CheapCalls = Opts.CheapCallEncoding;
    Q.In.DefinedInputs = Opts.AssumeDefinedInputs;
    makeSharedInputs(Q.In, Src);
    registerGlobals(Q.In, Src);
    registerGlobals(Q.In, Tgt);
    verify::registerCalls(Q.In, Src);
    verify::registerCalls(Q.In, Tgt);
    encodeFunction(Q.In, Src, /*IsSrc=*/true, Opts.UnrollBound, Q.S);
    encodeFunction(Q.In, Tgt, /*IsSrc=*/false, Opts.UnrollBound, Q.T);

    if (Fixed) {
      for (unsigned N = 0; N < Src.arg_size() && N < Fixed->size(); ++N) {
        z3::expr X = Q.In.X[N];
        z3::expr V = C.bv_val((*Fixed)[N], X.get_sort().bv_size());
        Q.S.Pre.push_back(X == V && !Q.In.XP[N] && !Q.In.XU[N]);
      }
    }
    // Arguments used at most once on each side need no per-use undef
    // variables: an undef argument then behaves like some defined value.
    // Neither do the source's noundef arguments, however often they are
    // used: an undef one makes the source UB at its entry, so no target
    // behaviour for it is a counterexample.
    z3::expr_vector From(C), To(C);
    // Two instantiations of the source's per-use argument variables: all
    // uses see the argument's value, or the i-th use sees the target's i-th.
    z3::expr_vector InstFrom(C), Inst1(C), Inst2(C);
    Q.Substituted.assign(Src.arg_size(), false);
    for (unsigned N = 0; N < Src.arg_size(); ++N) {
      bool SameNoUndef = Src.getArg(N)->hasAttribute(Attribute::NoUndef) ==
                         Tgt.getArg(N)->hasAttribute(Attribute::NoUndef);
      auto &SU = Q.S.ArgUseVars[N], &TU = Q.T.ArgUseVars[N];
      if ((SU.size() <= 1 && TU.size() <= 1 && SameNoUndef) ||
          Src.getArg(N)->hasAttribute(Attribute::NoUndef)) {
        Q.Substituted[N] = true;
        for (auto &V : SU)
          From.push_back(V), To.push_back(Q.In.X[N]);
        for (auto &V : TU)
          From.push_back(V), To.push_back(Q.In.X[N]);
        continue;
      }
      for (size_t I = 0; I < SU.size(); ++I) {
        Q.S.ForallVars.push_back(SU[I]);
        InstFrom.push_back(SU[I]);
        Inst1.push_back(Q.In.X[N]);
        Inst2.push_back(TU.empty() ? Q.In.X[N] : TU[std::min(I, TU.size() - 1)]);
      }
    }
    // Every other source choice (undef constants, freeze) is instantiated
    // by a fresh copy, so that no universally quantified variable is ever
    // free in a candidate query.
    for (size_t I = 0; I < Q.S.ForallVars.size(); ++I) {
      const z3::expr &V = Q.S.ForallVars[I];
      bool Done = false;
      for (unsigned J = 0; J < InstFrom.size() && !Done; ++J)
        Done = z3::eq(InstFrom[J], V);
      if (Done)
        continue;
      // Undef memory bytes: the stored bits, or the target's read in the
      // same position.
      std::optional<size_t> ByteIdx;
      for (size_t J = 0; J < Q.S.UndefByteVars.size() && !ByteIdx; ++J)
        if (z3::eq(Q.S.UndefByteVars[J].first, V))
          ByteIdx = J;
      // The target's choice in V's position among the source's choices in
      // S (counted from the end with FromEnd), or Fallback where the
      // target has fewer; nothing when V is not in S.
      // (Fallback is made only when needed: a term made earlier than
      // before gets another AST id, which the solver's choices follow.)
      auto samePosition =
          [&](const std::vector<z3::expr> &S, const std::vector<z3::expr> &T,
              bool FromEnd, function_ref<z3::expr()> Fallback)
          -> std::optional<z3::expr> {
        for (size_t J = 0; J < S.size(); ++J)
          if (z3::eq(S[J], V)) {
            size_t Pos = FromEnd ? S.size() - 1 - J : J;
            if (Pos >= T.size())
              return Fallback();
            return FromEnd ? T[T.size() - 1 - Pos] : T[Pos];
          }
        return std::nullopt;
      };
      // The address of an alloca passed to a call: the target's alloca in
      // the same position among those passed to calls (a callee tells
      // addresses apart), or a fresh copy. An index into a range of
      // symbolic length (a memory intrinsic's access check): the target's
      // in the same position counted from the end, so that the source
      // checks the byte the target does.
      std::optional<z3::expr> Same =
          samePosition(Q.S.EscapingBases, Q.T.EscapingBases, false, [&] {
            return C.constant(("inst_" + V.decl().name().str()).c_str(),
                              V.get_sort());
          });
      if (!Same)
        Same = samePosition(Q.S.IndexChoices, Q.T.IndexChoices, true,
                            [&] { return C.bv_val(0, 64); });
      if (Same) {
        InstFrom.push_back(V);
        Inst1.push_back(*Same);
        Inst2.push_back(*Same);
        continue;
      }
      // A NaN's bits or a fusion: the target's choice of the same sort in
      // the same position among those of that sort, counted from the end
      // (the last operations are those nearest the results). A fusion the
      // target does not make: fused in one instantiation, not in the other.
      std::optional<z3::expr> Pair;
      std::optional<size_t> Rank;
      const auto &SP = Q.S.PairedChoices, &TP = Q.T.PairedChoices;
      for (size_t J = SP.size(), K = 0; J-- > 0 && !Rank;)
        if (z3::eq(SP[J], V))
          Rank = K;
        else if (z3::eq(SP[J].get_sort(), V.get_sort()))
          ++K;
      for (size_t J = TP.size(), K = 0; Rank && J-- > 0 && !Pair;)
        if (z3::eq(TP[J].get_sort(), V.get_sort()) && K++ == *Rank)
          Pair = TP[J];
      InstFrom.push_back(V);
      if (Rank && V.is_bool()) {
        Inst1.push_back(C.bool_val(true));
        Inst2.push_back(Pair ? *Pair : C.bool_val(false));
        continue;
      }
      if (Rank) {
        // A NaN's bits: the preferred quiet NaN, always in the source's
        // domain (a value outside it would make the instantiation hold
        // vacuously), or the target's. An intermediate NaN the target has
        // no counterpart for (fmul then fadd against fmuladd) takes the
        // target's last NaN, which it may pass on to the result unchanged;
        // with no NaN in the target at all, the first input NaN passed on
        // (fpext then fptrunc against nothing).
        if (!Pair)
          for (size_t J = TP.size(); J-- > 0 && !Pair;)
            if (z3::eq(TP[J].get_sort(), V.get_sort()))
              Pair = TP[J];
        z3::expr QNaN = verify::preferredNaNBits(C, V.get_sort().bv_size());
        z3::expr Likely = QNaN;
        for (auto &[Var, L] : Q.S.LikelyChoice)
          if (z3::eq(Var, V))
            Likely = L;
        Inst1.push_back(QNaN);
        Inst2.push_back(Pair ? *Pair : Likely);
        continue;
      }
      if (ByteIdx) {
        const auto &TB = Q.T.UndefByteVars;
        Inst1.push_back(Q.S.UndefByteVars[*ByteIdx].second);
        Inst2.push_back(TB.empty() ? Q.S.UndefByteVars[*ByteIdx].second
                                   : TB[*ByteIdx % TB.size()].first);
        continue;
      }
      z3::expr Copy = C.constant(("inst_" + V.decl().name().str()).c_str(), V.get_sort());
      Inst1.push_back(Copy);
      Inst2.push_back(Copy);
    }
    // With the cheap encoding the terms hold lambdas over whole memories,
    // under which Z3's substitute is slow (see ClosedReplacer). Without
    // it, Z3's substitute as before: another order of making the terms
    // gives them other ids, which the solver's choices follow.
    auto replacer = [&](const z3::expr_vector &F, const z3::expr_vector &T)
        -> std::function<z3::expr(const z3::expr &)> {
      if (Opts.CheapCallEncoding)
        return [R = std::make_shared<ClosedReplacer>(F, T)](const z3::expr &E) {
          return (*R)(E);
        };
      return [F, T](const z3::expr &E) {
        z3::expr Copy = E;
        return Copy.substitute(F, T);
      };
    };
    auto SubArgs = replacer(From, To);
    // A replacement may mention other source choices (a byte read through
    // a pointer that was itself read from undef memory): resolve to a
    // fixpoint, which exists because reads only depend on earlier reads.
    for (z3::expr_vector *Inst : {&Inst1, &Inst2})
      for (unsigned Round = 0; Round < 16 && InstFrom.size(); ++Round) {
        bool Changed = false;
        z3::expr_vector Next(C);
        auto SubInst = replacer(InstFrom, *Inst);
        for (unsigned J = 0; J < Inst->size(); ++J) {
          z3::expr E = SubInst((*Inst)[J]);
          if (From.size())
            E = SubArgs(E);
          Changed |= !z3::eq(E, (*Inst)[J]);
          Next.push_back(E);
        }
        *Inst = Next;
        if (!Changed)
          break;
      }
    auto sub = [&](z3::expr &E) {
      if ((bool)E && From.size())
        E = SubArgs(E);
    };
    for (EncodedFunction *F : {&Q.S, &Q.T}) {
      sub(F->UB), sub(F->ProvUB), sub(F->Cut), sub(F->Approx);
      if (!F->IsVoid)
        sub(F->Ret.V), sub(F->Ret.P), sub(F->Ret.U), sub(F->Ret.Prv);
      for (z3::expr *E : F->MemOut.fields())
        sub(*E);
      sub(F->MemOut.Valid), sub(F->Stop), sub(F->StopTok);
      for (auto &P : F->Pre)
        sub(P);
      for (auto &D : F->ChoiceDom)
        sub(D);
    }

    // The negated refinement: source defined, target UB or different.
    // With calls, an execution may also end inside a call that does not
    // return: both must end so, in the same call, or both return.
    std::vector<z3::expr> Bad;
    Bad.push_back(Q.T.UB);
    bool Calls = Q.S.HasCalls || Q.T.HasCalls;
    z3::expr BothReturn = Calls ? !Q.S.Stop && !Q.T.Stop : C.bool_val(true);
    if (Calls) {
      Bad.push_back(Q.S.Stop != Q.T.Stop);
      Bad.push_back(Q.S.Stop && Q.T.Stop && Q.S.StopTok != Q.T.StopTok);
    }
    // Pointer provenance: the target's accesses within their objects, and
    // the pointers it returns or leaves in memory with the source's
    // provenance, where the source's has one (a byte that held no pointer
    // in the source may hold one in the target). Whether they are is
    // decided by the unknown inobj and by ids that no input fixes, so a
    // counterexample that needs ProvBad refutes nothing. A null pointer
    // (a zero byte) has no provenance to compare: LLVM replaces a pointer
    // found equal to null by null.
    std::vector<z3::expr> ProvBad;
    ProvBad.push_back(Q.T.ProvUB);
    if (!Q.S.IsVoid) {
      Bad.push_back(BothReturn && !Q.S.Ret.P &&
                    (Q.T.Ret.P || Q.T.Ret.V != Q.S.Ret.V));
      if ((bool)Q.S.Ret.Prv && (bool)Q.T.Ret.Prv)
        ProvBad.push_back(BothReturn && !Q.S.Ret.P && !Q.T.Ret.P &&
                          Q.S.Ret.V != C.bv_val(0, 64) &&
                          Q.T.Ret.Prv != Q.S.Ret.Prv);
    }
    if (Q.S.UsesMemory || Q.T.UsesMemory || Calls) {
      // Calls may allocate and free: the valid addresses must agree too.
      // The address compared is a function of the source's choices (a
      // Skolem function): the source is refined if some choice makes every
      // address agree, so each choice needs an address of its own. One
      // address shared by the instantiations below would let each choice
      // agree on the other's address only, and "prove" a target that
      // matches no single choice (a store to @p under one, to @q under the
      // other, against neither).
      z3::expr A = C.bv_const("cmp_addr", 64);
      if (!Q.S.ForallVars.empty()) {
        z3::sort_vector Dom(C);
        z3::expr_vector Args(C);
        for (auto &V : Q.S.ForallVars)
          Dom.push_back(V.get_sort()), Args.push_back(V);
        A = z3::function("cmp_addr", Dom, C.bv_sort(64))(Args);
      }
      Q.CmpAddr = A;
      z3::expr SV = z3::select(Q.S.MemOut.Valid, A),
               TV = z3::select(Q.T.MemOut.Valid, A);
      Bad.push_back(
          BothReturn &&
          (SV != TV ||
           (SV && !z3::select(Q.S.MemOut.PM, A) &&
            !z3::select(Q.S.MemOut.DM, A) &&
            (z3::select(Q.T.MemOut.PM, A) || z3::select(Q.T.MemOut.DM, A) ||
             z3::select(Q.T.MemOut.Mem, A) != z3::select(Q.S.MemOut.Mem, A)))));
      z3::expr SP = z3::select(Q.S.MemOut.Prv, A);
      ProvBad.push_back(BothReturn && SV && !z3::select(Q.S.MemOut.PM, A) &&
                        !z3::select(Q.S.MemOut.DM, A) &&
                        SP != C.bv_val(0, kProvBits) &&
                        z3::select(Q.S.MemOut.Mem, A) != C.bv_val(0, 8) &&
                        z3::select(Q.T.MemOut.Prv, A) != SP);
    }
    z3::expr_vector BadV(C), ProvBadV(C);
    for (auto &B : Bad)
      BadV.push_back(B);
    for (auto &B : ProvBad)
      ProvBadV.push_back(B);
    z3::expr NotRefHard = !Q.S.UB && z3::mk_or(BadV);
    z3::expr NotRef = !Q.S.UB && (z3::mk_or(BadV) || z3::mk_or(ProvBadV));
    z3::expr PreS = mkAnd(C, Q.S.Pre) && !Q.S.Cut;
    // A source choice outside its domain is no execution of the source.
    z3::expr OutS = !mkAnd(C, Q.S.ChoiceDom);
    z3::expr PreT = mkAnd(C, Q.T.Pre) && !Q.T.Cut && mkAnd(C, Q.In.GlobalPre);
    bool HasLoops = Q.S.HasLoops || Q.T.HasLoops;
    bool ProvFree =
        simplifyBounded(z3::mk_or(ProvBadV), Budget.left()).is_false();
    bool Exact = simplifyBounded(Q.S.Approx, Budget.left()).is_false() &&
                 simplifyBounded(Q.T.Approx, Budget.left()).is_false();

    // After a proof of the main query: are executions beyond the bound
    // possible at all?
    auto finishProof = [&](z3::solver &Proof) {
      if (Opts.AssumeDefinedInputs)
        R.Reason = Verifier::kDefinedInputs;
      if (Opts.WantCertificate)
        R.Certificates.push_back({"q", Proof.to_smt2("unsat")});
      if (!HasLoops) {
        R.V = Verdict::Proved;
        return;
      }
      z3::solver B = Budget.lightSolver(C);
      Budget.set(B);
      B.add(mkAnd(C, Q.S.Pre) && mkAnd(C, Q.T.Pre) && mkAnd(C, Q.In.GlobalPre) &&
            (Q.S.Cut || Q.T.Cut));
      if (B.check() == z3::unsat) {
        R.V = Verdict::Proved;
        if (Opts.WantCertificate)
          R.Certificates.push_back({"q-bound", B.to_smt2("unsat")});
        return;
      }
      R.V = Verdict::Bounded;
      R.Bound = Opts.UnrollBound;
    };

    // A counterexample with calls rests on one choice of what the callees
    // do, which the real ones need not make: it is never final.
    auto refute = [&](z3::model &M) {
      if (Calls) {
        R.Reason = "a counterexample exists for some behaviour of the called "
                   "functions";
        return R;
      }
      if (!Q.In.OpaqueGlobals.empty()) {
        R.Reason = "approximated: contents of constant global @" +
                   *Q.In.OpaqueGlobals.begin() + " not modelled";
        return R;
      }
      R.V = Verdict::Refuted;
      R.CEX = makeCEX(Q, M, Src);
      return R;
    };

    z3::expr Main = (PreS && NotRef) || OutS;
    auto SubInst1 = replacer(InstFrom, Inst1),
         SubInst2 = replacer(InstFrom, Inst2);
    if (InstFrom.size())
      Main = SubInst1(Main) && SubInst2(Main);
    std::vector<z3::expr> InBoundsApps;
    QueryShape Shape;
    z3::expr Query = sortCommutedFP(C, PreT && Main, [&](const z3::expr &E) {
      if (z3::eq(E.decl(), Q.In.InBounds))
        InBoundsApps.push_back(E);
      Shape.visit(E);
    });
    // Products and divisions can take the SMT core's lazy bit-vector
    // theory much longer than eager bit-blasting: a pure bit-vector query
    // with them goes to the qfbv tactic; another one gets half of the units
    // on the SMT core (after propagation), then the rest on the default
    // solver. Any other query goes to the SMT core after propagation.
    bool Split = Shape.Nonlinear && !Shape.PureBV;
    z3::solver S1 = Shape.Nonlinear && Shape.PureBV
                        ? Budget.bitBlastSolver(C)
                        : Budget.propagatingSolver(C);
    Budget.set(S1, Split ? 2 : 1);
    S1.add(Query);
    z3::expr Facts = inBoundsFacts(C, Q.In.InBounds, InBoundsApps);
    S1.add(Facts);
    z3::check_result CR = S1.check();
    if (Split && CR == z3::unknown && !Budget.spent()) {
      S1 = Budget.solver(C);
      Budget.set(S1);
      S1.add(Query);
      S1.add(Facts);
      CR = S1.check();
    }
    if (getenv("NEUROPT_VERIFY_DEBUG") && CR == z3::sat)
      errs() << "Q sat, model:\n" << S1.get_model().to_string() << "\n";
    if (CR == z3::unsat) {
      finishProof(S1);
      return R;
    }
    if (CR == z3::unknown) {
      R.Reason = Budget.reason(S1);
      return R;
    }
    // The exact query's body: the source, under its choices, is defined and
    // the target is not a refinement, or a choice is outside its domain.
    z3::expr Body = (PreS && !Q.S.Approx && NotRef) || OutS;
    // The same without ProvBad: a counterexample refutes only if it is one
    // for this body as well.
    z3::expr BodyHard = (PreS && !Q.S.Approx && NotRefHard) || OutS;
    // Can some source choice make the candidate M (inputs, target choices)
    // a refinement? If not (the solver answers unsat), M is a
    // counterexample.
    auto rescue = [&](z3::model &M, const z3::expr &B) {
      z3::solver Chk = Budget.solver(C);
      Budget.set(Chk);
      Chk.add(!M.eval(B, false));
      return Chk;
    };
    // M, a counterexample, is one without provenance too.
    auto isHard = [&](z3::model &M) {
      return ProvFree || Calls ||
             (Q.S.ForallVars.empty()
                  ? M.eval(BodyHard, true).is_true()
                  : rescue(M, BodyHard).check() == z3::unsat);
    };
    {
      z3::model M = S1.get_model();
      if (Q.S.ForallVars.empty()) {
        if (M.eval(Q.S.Approx || Q.T.Approx, true).is_false() && isHard(M))
          return refute(M);
      } else if (M.eval(PreT && !Q.T.Approx, true).is_true() &&
                 rescue(M, Body).check() == z3::unsat && isHard(M)) {
        // The main query's model is often one already: checking it first
        // saves the instantiation loop below, whose path depends on the
        // terms the main query's tactics created.
        return refute(M);
      }
    }
    // The exact query, exists-forall over the source's undef choices, by
    // counterexample-guided instantiation: a candidate (inputs, target
    // choices) must violate refinement under every instantiation found so
    // far; a candidate that no source choice can rescue is a counterexample.
    // B is the body: Body, or BodyHard.
    z3::expr_vector Vars(C);
    for (auto &V : Q.S.ForallVars)
      Vars.push_back(V);
    struct ExactResult {
      z3::check_result CR;
      z3::solver S;
      std::optional<z3::model> CEX;
    };
    auto exact = [&](const z3::expr &B) -> ExactResult {
      std::optional<z3::model> CEX;
      z3::solver S2 = Budget.solver(C);
      Budget.set(S2);
      S2.add(sortCommutedFP(C, PreT && !Q.T.Approx));
      if (Vars.empty()) {
        S2.add(sortCommutedFP(C, B));
      } else {
        S2.add(sortCommutedFP(C, SubInst1(B)));
        S2.add(sortCommutedFP(C, SubInst2(B)));
      }
      z3::check_result CR2 = z3::unknown;
      bool UsedMBQI = false;
      for (unsigned Round = 0; Round < 16; ++Round) {
        if (std::chrono::steady_clock::now() - Budget.Start >
                std::chrono::milliseconds(verify::smtSolveDeadlineMs(Opts)) ||
            Budget.spent()) {
          CR2 = z3::unknown;
          break;
        }
        if (Round > 0) // the solver keeps its own limits; refresh them
          Budget.set(S2);
        if (Round == 12 && !Vars.empty()) {
          // Instantiation is not converging: hand the quantifier to Z3.
          S2.add(z3::forall(Vars, sortCommutedFP(C, B)));
          UsedMBQI = true;
        }
        CR2 = S2.check();
        if (CR2 != z3::sat)
          break;
        z3::model M = S2.get_model();
        if (Vars.empty() || UsedMBQI) {
          CEX = M;
          break;
        }
        z3::solver Chk = rescue(M, B);
        z3::check_result CR3 = Chk.check();
        if (CR3 == z3::unsat) {
          CEX = M;
          break;
        }
        if (CR3 == z3::unknown) {
          CR2 = z3::unknown;
          break;
        }
        z3::model CM = Chk.get_model();
        z3::expr_vector Choice(C);
        for (auto &V : Q.S.ForallVars)
          Choice.push_back(CM.eval(V, true));
        S2.add(sortCommutedFP(C, replacer(Vars, Choice)(B)));
        CR2 = z3::unknown;
      }
      return {CR2, S2, CEX};
    };
    auto unknownReason = [&](z3::solver &S) -> std::string {
      return Vars.empty() ? Budget.reason(S) : "timeout (undef quantifier)";
    };
    ExactResult E = exact(Body);
    if (E.CEX) {
      if (isHard(*E.CEX))
        return refute(*E.CEX);
      // Every counterexample may rest on provenance: look for one that
      // does not.
      ExactResult H = exact(BodyHard);
      if (H.CEX)
        return refute(*H.CEX);
      R.Reason = H.CR == z3::unknown ? unknownReason(H.S)
                                     : "approximated: pointer provenance";
      return R;
    }
    if (E.CR == z3::unsat && Exact) {
      finishProof(E.S);
      return R;
    }
    if (E.CR == z3::unknown) {
      R.Reason = unknownReason(E.S);
      return R;
    }
    std::string What;
    for (auto *F : {&Q.S, &Q.T})
      for (auto &W : F->ApproxWhat)
        if (What.find(W) == std::string::npos)
          What += (What.empty() ? "" : ", ") + W;
    R.Reason = "approximated: " + What;
    return R;
  } catch (z3::exception &E) {
    std::string Msg = E.msg();
    R.V = Verdict::Unknown;
    R.Certificates.clear();
    R.CEX.reset();
    if (Msg.find("memory") != std::string::npos ||
        Msg.find("canceled") != std::string::npos)
      R.Reason = "timeout";
    else
      R.Reason = "solver error: " + Msg;
    return R;
  } catch (Unsupported &U) { // outside the fragment, or out of units
    R = VerifyResult();
    R.Engine = "smt";
    R.Reason = U.What == kResourceLimit ? U.What : "unsupported: " + U.What;
    return R;
  }
}
} // namespace

std::unique_ptr<Verifier> createSMTVerifier() {
  return std::make_unique<SMTVerifier>();
}

} // namespace neuropt
