//===- Encoder.cpp - LLVM IR to Z3 encoding under poison/undef/UB -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the symbolic execution of one LLVM function into Z3
// formulas: integers of any width, the common intrinsics, basic floating
// point, acyclic and (bounded-unrolled) cyclic control flow, and a
// byte-level memory model. See Encoder.h for the conventions.
//
//===----------------------------------------------------------------------===//

#include "Encoder.h"
#include "neuropt/IR/SameFunction.h"

#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/GetElementPtrTypeIterator.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <map>

using namespace llvm;

namespace neuropt {
namespace verify {

uint64_t ResourceMeter::count() const {
  z3::stats St = Probe.statistics();
  for (unsigned I = 0; I < St.size(); ++I)
    if (St.key(I) == "rlimit count")
      return Charged +
             (St.is_uint(I) ? St.uint_value(I) : uint64_t(St.double_value(I)));
  return Charged;
}

z3::expr simplifyBounded(const z3::expr &E, uint64_t MaxSteps) {
  if (!MaxSteps)
    throw Unsupported{kResourceLimit};
  z3::params P(E.ctx());
  P.set("max_steps", unsigned(std::min<uint64_t>(MaxSteps, UINT32_MAX)));
  try {
    return E.simplify(P);
  } catch (z3::exception &) {
    throw Unsupported{kResourceLimit};
  }
}

/// Largest constant-size memory operation expanded byte by byte.
static constexpr uint64_t MaxMemOpBytes = 64;
/// Largest number of encoded instructions before giving up.
static constexpr unsigned MaxEncodedInsts = 20000;

/// Whether T is a floating-point type the encoder models (as its IEEE bits).
static bool isModelledFP(Type *T) {
  return T->isHalfTy() || T->isFloatTy() || T->isDoubleTy();
}

/// Why a load or store of T is outside the fragment; empty if it is not.
static std::string memTypeReason(Type *T, bool IsLoad) {
  bool IsPtr = T->isPointerTy() && T->getPointerAddressSpace() == 0;
  if (IsPtr || isModelledFP(T))
    return "";
  if (!T->isIntegerTy() || T->getIntegerBitWidth() % 8)
    return IsLoad ? "load of type other than i8*k, half, float, double or ptr"
                  : "store of type other than i8*k, half, float, double or ptr";
  if (T->getIntegerBitWidth() / 8 > MaxMemOpBytes)
    return IsLoad ? "load too wide" : "store too wide";
  return "";
}

/// Bytes a load or store of T (memTypeReason has let it through) accesses.
static uint64_t memBytes(Type *T) {
  return T->isPointerTy() ? 8 : T->getPrimitiveSizeInBits().getFixedValue() / 8;
}

/// \p V as text: an instruction's opcode, or the operand. \p M, the module
/// the operand is used in, names its unnamed struct types (%0, ...);
/// without it LLVM prints their addresses, which differ from run to run.
static std::string describe(const Value &V, const Module *M = nullptr) {
  std::string S;
  raw_string_ostream OS(S);
  if (auto *I = dyn_cast<Instruction>(&V))
    OS << I->getOpcodeName();
  else
    V.printAsOperand(OS, false, M);
  return S;
}

/// \p T as text. Without a module, LLVM names a struct type that has no
/// name by its address, which differs from run to run; such names are
/// replaced, so that verdicts and the unknown functions named after types
/// are the same on every run.
static std::string describeType(Type *T) {
  std::string S;
  raw_string_ostream OS(S);
  T->print(OS);
  static constexpr StringLiteral Unnamed = "%\"type 0x";
  for (size_t At = S.find(Unnamed); At != std::string::npos;
       At = S.find(Unnamed, At)) {
    size_t End = S.find('"', At + Unnamed.size());
    if (End == std::string::npos)
      break;
    S.replace(At, End + 1 - At, "%\"unnamed type\"");
  }
  return S;
}

static z3::expr bvAPInt(z3::context &C, const APInt &A) {
  if (A.getBitWidth() <= 64)
    return C.bv_val(A.getZExtValue(), A.getBitWidth());
  SmallString<80> S;
  A.toStringUnsigned(S, 10);
  return C.bv_val(S.c_str(), A.getBitWidth());
}

[[noreturn]] static void unsupported(const Twine &What) {
  throw Unsupported{What.str()};
}

z3::sort sortFor(z3::context &C, Type *T) {
  if (auto *IT = dyn_cast<IntegerType>(T))
    return C.bv_sort(IT->getBitWidth());
  if (T->isPointerTy()) {
    if (T->getPointerAddressSpace() != 0)
      unsupported("non-zero address space");
    return C.bv_sort(64);
  }
  // A floating-point value is its IEEE bits, so that memory, bitcasts and
  // calls see NaN payloads as LLVM does; arithmetic converts (fpSortOfBits).
  if (isModelledFP(T))
    return C.bv_sort(T->getPrimitiveSizeInBits().getFixedValue());
  unsupported("type " + describeType(T));
}

z3::expr preferredNaNBits(z3::context &C, unsigned Bits) {
  unsigned MB = Z3_fpa_get_sbits(C, fpSortOfBits(C, Bits)) - 1;
  return C.bv_val(APInt::getBitsSet(Bits, MB - 1, Bits - 1).getZExtValue(),
                  Bits);
}

z3::sort fpSortOfBits(z3::context &C, unsigned Bits) {
  switch (Bits) {
  case 16: return z3::sort(C, Z3_mk_fpa_sort(C, 5, 11));
  case 32: return z3::sort(C, Z3_mk_fpa_sort(C, 8, 24));
  case 64: return z3::sort(C, Z3_mk_fpa_sort(C, 11, 53));
  default: unsupported("floating-point width " + Twine(Bits));
  }
}

void makeSharedInputs(SharedInputs &In, const Function &F) {
  z3::context &C = In.C;
  for (const Argument &A : F.args()) {
    std::string N = "arg" + std::to_string(A.getArgNo());
    In.X.push_back(C.constant(N.c_str(), sortFor(C, A.getType())));
    In.XP.push_back(C.bool_const((N + "_poison").c_str()));
    In.XU.push_back(In.DefinedInputs ? C.bool_val(false)
                                     : C.bool_const((N + "_undef").c_str()));
    In.XPrv.push_back(A.getType()->isPointerTy()
                          ? C.bv_const((N + "_prov").c_str(), kProvBits)
                          : C.bv_val(0, kProvBits));
  }
  z3::sort Addr = C.bv_sort(64);
  In.Mem0 = C.constant("mem0", C.array_sort(Addr, C.bv_sort(8)));
  In.PM0 = C.constant("mem0_poison", C.array_sort(Addr, C.bool_sort()));
  In.DM0 = In.DefinedInputs
               ? z3::const_array(Addr, C.bool_val(false))
               : C.constant("mem0_undef", C.array_sort(Addr, C.bool_sort()));
  In.Valid = C.constant("valid", C.array_sort(Addr, C.bool_sort()));
  In.Writable = C.constant("writable", C.array_sort(Addr, C.bool_sort()));
  In.Prv0 = C.constant("mem0_prov", C.array_sort(Addr, C.bv_sort(kProvBits)));
  // Address space 0: null is never dereferenceable.
  In.GlobalPre.push_back(!z3::select(In.Valid, C.bv_val(0, 64)));
}

/// Collects into \p Stores the stores through \p U, a use of a global's
/// address (or of a constant expression over it); false if it has another
/// kind of use.
static bool collectStores(const Use &U,
                          SmallVectorImpl<const StoreInst *> &Stores) {
  const User *Usr = U.getUser();
  if (auto *SI = dyn_cast<StoreInst>(Usr)) {
    Stores.push_back(SI);
    return U.getOperandNo() == SI->getPointerOperandIndex() && SI->isSimple();
  }
  if (auto *CE = dyn_cast<ConstantExpr>(Usr);
      CE && (isa<GEPOperator>(CE) || CE->isCast()))
    return all_of(CE->uses(),
                  [&](const Use &CU) { return collectStores(CU, Stores); });
  return false;
}

/// Whether \p SI stores within \p GV at a constant offset, with an
/// alignment that \p GV's own gives: such a store is never UB.
static bool storeWithin(const StoreInst &SI, const GlobalVariable &GV) {
  const DataLayout &DL = SI.getModule()->getDataLayout();
  APInt Off(DL.getIndexTypeSizeInBits(SI.getPointerOperandType()), 0);
  const Value *Base = SI.getPointerOperand()->stripAndAccumulateConstantOffsets(
      DL, Off, /*AllowNonInbounds=*/true);
  TypeSize Bytes = DL.getTypeStoreSize(SI.getValueOperand()->getType());
  uint64_t Align = SI.getAlign().value();
  return Base == &GV && !Off.isNegative() && !Bytes.isScalable() &&
         Off.getZExtValue() + Bytes.getFixedValue() <=
             DL.getTypeAllocSize(GV.getValueType()) &&
         GV.getPointerAlignment(DL).value() >= Align &&
         Off.getZExtValue() % Align == 0;
}

/// A global variable no code can read: internal, and every use of its
/// address is a simple store within it (collectStores, storeWithin).
/// GlobalOpt deletes such a global with its stores, and a pipeline without
/// GlobalOpt keeps them, so one module may have it and the other not.
static bool computeWriteOnly(const GlobalVariable &GV) {
  // A section could be read by the linker's __start_/__stop_ symbols.
  if (!GV.hasLocalLinkage() || GV.isConstant() || GV.hasSection() ||
      GV.isExternallyInitialized() || GV.use_empty())
    return false;
  SmallVector<const StoreInst *, 8> Stores;
  return all_of(GV.uses(),
                [&](const Use &U) { return collectStores(U, Stores); }) &&
         all_of(Stores,
                [&](const StoreInst *SI) { return storeWithin(*SI, GV); });
}

/// isWriteOnlyGlobal's answers while a GlobalFactsScope lives on this
/// thread (each store asks about its global, and an answer walks all the
/// global's uses).
static thread_local DenseMap<const GlobalVariable *, bool> *WriteOnlyCache =
    nullptr;

GlobalFactsScope::GlobalFactsScope() : Owner(!WriteOnlyCache) {
  if (Owner)
    WriteOnlyCache = new DenseMap<const GlobalVariable *, bool>();
}

GlobalFactsScope::~GlobalFactsScope() {
  if (Owner) {
    delete WriteOnlyCache;
    WriteOnlyCache = nullptr;
  }
}

static bool isWriteOnlyGlobal(const GlobalVariable &GV) {
  if (!WriteOnlyCache)
    return computeWriteOnly(GV);
  auto It = WriteOnlyCache->find(&GV);
  if (It != WriteOnlyCache->end())
    return It->second;
  bool R = computeWriteOnly(GV);
  WriteOnlyCache->try_emplace(&GV, R);
  return R;
}

/// Whether \p SI stores to a write-only global (isWriteOnlyGlobal), which
/// no code can read: the store has no effect to model.
static bool storesToWriteOnlyGlobal(const StoreInst &SI) {
  auto *GV =
      dyn_cast<GlobalVariable>(getUnderlyingObject(SI.getPointerOperand()));
  return GV && isWriteOnlyGlobal(*GV);
}

namespace {

using Env = DenseMap<const Value *, Val>;

struct State {
  z3::expr Reach;
  Env E;
  MemState M;                 ///< caller memory (block 0)
  std::vector<MemState> Locals; ///< one block per alloca
  explicit State(z3::context &C) : Reach(C), M(C) {}
};

/// An edge into a block instance, with the state at the end of its source.
struct Incoming {
  const BasicBlock *From;
  z3::expr Guard; ///< reach(from) && edge condition
  std::shared_ptr<State> S;
};

class FunctionEncoder {
public:
  FunctionEncoder(SharedInputs &In, const Function &F, bool IsSrc,
                  unsigned Bound, EncodedFunction &Out)
      : C(In.C), In(In), F(F), DL(F.getParent()->getDataLayout()),
        IsSrc(IsSrc), Bound(Bound), Out(Out),
        Prefix(IsSrc ? "src_" : "tgt_") {}

  void run();

private:
  /// E simplified within what is left of the resource budget.
  z3::expr simp(const z3::expr &E) const {
    return simplifyBounded(E, In.UnitsLeft ? In.UnitsLeft() : UINT32_MAX);
  }

  z3::context &C;
  SharedInputs &In;
  const Function &F;
  const DataLayout &DL;
  bool IsSrc;
  unsigned Bound;
  EncodedFunction &Out;
  std::string Prefix;
  unsigned Fresh = 0;
  unsigned Encoded = 0;

  // Current instance.
  State *Cur = nullptr;
  std::vector<z3::expr> UBs, Cuts, Approxs, ProvUBs;
  std::vector<std::pair<z3::expr, Val>> Rets;
  std::vector<std::pair<z3::expr, MemState>> RetMems;
  /// Calls that may not return: (reached and did not return, token).
  std::vector<std::pair<z3::expr, z3::expr>> Stops;

  z3::expr t() { return C.bool_val(true); }
  z3::expr f() { return C.bool_val(false); }

  /// Applications of the unknown functions that stand for calls (their
  /// results and the memory after them), each behind a constant of its own
  /// until the function is encoded: their arguments hold all of memory
  /// before the call, which every later simplification would otherwise
  /// walk again. The simplifier cannot see into an unknown function, so
  /// it decides almost the same with the constant (it no longer rewrites
  /// the application's arguments). (constant, application), in the order
  /// made; an application mentions only earlier constants.
  std::vector<std::pair<z3::expr, z3::expr>> Opaque;
  z3::expr opaque(const z3::expr &App) {
    if (!In.CheapCalls)
      return App;
    z3::expr K = fresh(App.get_sort(), "opaque");
    Opaque.push_back({K, App});
    return K;
  }
  /// Out with every constant of Opaque replaced by its application.
  void expandOpaque();

  z3::expr fresh(z3::sort S, const char *Tag) {
    std::string N = Prefix + Tag + "_" + std::to_string(Fresh++);
    return C.constant(N.c_str(), S);
  }

  /// A nondeterministic choice: free in the target, universally quantified
  /// (in the exact query) in the source.
  z3::expr choice(z3::sort S, const char *Tag) {
    z3::expr X = fresh(S, Tag);
    if (IsSrc)
      Out.ForallVars.push_back(X);
    return X;
  }

  /// R && Cond with Cond simplified; R is not simplified again (unless
  /// !In.CheapCalls: all of it).
  z3::expr guardedBy(const z3::expr &R, const z3::expr &Cond) const {
    if (!In.CheapCalls)
      return simp(R && Cond);
    z3::expr Cs = simp(Cond);
    if (Cs.is_false() || R.is_true())
      return Cs;
    if (Cs.is_true())
      return R;
    return R && Cs;
  }
  void addUB(const z3::expr &Cond) { UBs.push_back(Cur->Reach && Cond); }
  /// UB of an access through a pointer outside its provenance's object:
  /// UB in the source; in the target kept apart (EncodedFunction::ProvUB).
  void addProvUB(const z3::expr &Cond) {
    if (IsSrc)
      addUB(Cond);
    else
      ProvUBs.push_back(Cur->Reach && Cond);
  }
  /// No provenance (null, bytes that held no pointer).
  z3::expr noProv() { return bvv(0, kProvBits); }
  /// V's provenance: none unless V is a pointer.
  z3::expr prvOf(const Val &V) { return (bool)V.Prv ? V.Prv : noProv(); }
  /// A is within the object of provenance Prv: a global's own provenance
  /// covers exactly its bytes; any other is the unknown inobj.
  z3::expr inObject(const z3::expr &Prv, const z3::expr &A);
  /// The provenance of a global variable or a function: one unknown id per
  /// name, the same in both functions. Variables and functions have
  /// prefixes that no name can make equal: C names a static local `x` of a
  /// function `fn` @fn.x, which a shared prefix would give function @x's id.
  static constexpr const char *kGlobalProv = "prov.g.";
  z3::expr globalProv(const GlobalValue &GV) {
    const char *Prefix = isa<Function>(GV) ? "prov.fn." : kGlobalProv;
    return C.bv_const((Prefix + GV.getName()).str().c_str(), kProvBits);
  }
  void addApprox(const z3::expr &Cond, const char *What) {
    z3::expr E = guardedBy(Cur->Reach, Cond);
    if (E.is_false())
      return;
    Approxs.push_back(E);
    Out.ApproxWhat.insert(What);
  }
  void addPre(const z3::expr &Cond) { Out.Pre.push_back(implies(Cur->Reach, Cond)); }
  /// Where V is undef in a way that makes a noundef use (a branch, an
  /// assume, a noundef argument or return) UB: over-approximated in the
  /// target, under-approximated in the source unless V.U is exact.
  z3::expr undefIsUB(const Val &V, const char *What) {
    z3::expr SrcU = V.UExact ? V.U : V.FU;
    if (!V.UExact)
      addApprox(V.U && !V.FU, What);
    return IsSrc ? SrcU : V.U;
  }

  static unsigned bw(const z3::expr &E) { return E.get_sort().bv_size(); }
  z3::expr bvv(uint64_t V, unsigned W) { return C.bv_val(V, W); }
  /// V (an address) is not a multiple of the power of two A.
  z3::expr misaligned(const z3::expr &V, uint64_t A) {
    return z3::urem(V, bvv(A, bw(V))) != bvv(0, bw(V));
  }
  z3::expr bvAPInt(const APInt &A) { return verify::bvAPInt(C, A); }
  z3::expr isZero(const z3::expr &E) { return E == bvv(0, bw(E)); }
  /// A value X passed to an unknown function (a call's argument, a
  /// volatile store's value), with its poison flag P: its bits, 0 where
  /// poison, and P, appended to Ins with their sorts to Dom; for a pointer
  /// also its provenance, which tells the callee what it may access (none
  /// where poison or null).
  void passInput(z3::expr_vector &Ins, z3::sort_vector &Dom, const Val &X,
                 const z3::expr &P, bool IsPtr) {
    Ins.push_back(z3::ite(P, bvv(0, bw(X.V)), X.V));
    Ins.push_back(P);
    Dom.push_back(X.V.get_sort());
    Dom.push_back(C.bool_sort());
    if (IsPtr) {
      Ins.push_back(z3::ite(P || isZero(X.V), noProv(), prvOf(X)));
      Dom.push_back(C.bv_sort(kProvBits));
    }
  }
  z3::expr intMin(unsigned W) { return bvAPInt(APInt::getSignedMinValue(W)); }
  z3::expr allOnes(unsigned W) { return bvAPInt(APInt::getAllOnes(W)); }

  Val get(const Value *V);
  Val constant(const Constant *K);
  Val argUse(const Argument *A);
  void setVal(const Instruction *I, Val V) { Cur->E.insert_or_assign(I, V); }

  void encodeBlock(const BasicBlock *BB, unsigned K,
                   std::map<std::pair<const BasicBlock *, unsigned>,
                            std::vector<Incoming>> &Work,
                   const DenseSet<std::pair<const BasicBlock *, const BasicBlock *>> &Back);
  void encodeInst(const Instruction &I);
  void encodeOp(const Instruction &I);
  /// Metadata on I that makes its result poison where it is violated
  /// (!range on a load or call, !nonnull and !align on a load), or its
  /// poison or undef undefined behaviour (!noundef).
  void resultMetadata(const Instruction &I);
  Val binop(const BinaryOperator &I, const Val &A, const Val &B);
  Val icmp(const ICmpInst &I, const Val &A, const Val &B);
  Val fcmp(const FCmpInst &I, const Val &A, const Val &B);
  Val castOp(const CastInst &I, const Val &A);
  Val intToFP(const CastInst &I, const Val &A);
  Val fpToInt(const CastInst &I, const Val &A);
  Val intrinsic(const IntrinsicInst &II);
  void encodeCall(const CallInst &CI);
  /// What an unknown function does (Eff) when called with Ins (of sorts
  /// Dom) under the name Key: whether it returns, and with Eff.Writes all
  /// of memory after it; the result is what makes its other results (name,
  /// sort).
  std::function<z3::expr(const char *, const z3::sort &)>
  opaqueEffects(std::string Key, z3::sort_vector Dom, z3::expr_vector Ins,
                const SharedInputs::CallEffects &Eff);
  /// An event of the environment (a volatile access, an atomic operation):
  /// opaqueEffects under the name Key, reading and writing any memory, that
  /// returns (Returns) or may not. Its result of type T, if T is not null,
  /// is what the environment chose, never undef.
  std::pair<std::function<z3::expr(const char *, const z3::sort &)>, Val>
  environmentEvent(const std::string &Key, z3::sort_vector Dom,
                   z3::expr_vector Ins, bool Returns, Type *T);
  void encodeVolatile(const Instruction &I);
  void encodeAtomic(const Instruction &I);
  /// V satisfies the attributes of AS that make a violating value poison
  /// (nonnull, align, range) on an argument or a returned value.
  z3::expr attrsHold(const AttributeSet &AS, const z3::expr &V);
  /// V as passed to or returned from a call with the attributes AS on it:
  /// poison where they do not hold (attrsHold), and UB where it is then
  /// poison or undef under noundef (What says which use that is).
  Val underCallAttrs(Val V, const AttributeSet &AS, const char *What) {
    if (!AS.hasAttributes())
      return V;
    V.P = V.P || !attrsHold(AS, V.V);
    if (AS.hasAttribute(Attribute::NoUndef))
      addUB(V.P || undefIsUB(V, What));
    return V;
  }
  Val fpBinop(const Instruction &I, const Val &A, const Val &B);
  /// The floating-point value of IEEE bits.
  z3::expr toFP(const z3::expr &Bits);
  /// The bits of an arithmetic result R computed from the operands' bits
  /// Ins: IEEE's, except for a NaN, whose sign and payload are chosen.
  z3::expr resultBits(const z3::expr &R, ArrayRef<z3::expr> Ins);

  // Memory.
  z3::expr undefBytes(const Val &V);
  MemState &block(unsigned K) { return K == 0 ? Cur->M : Cur->Locals[K - 1]; }
  std::vector<std::pair<unsigned, z3::expr>> blocksOf(const Val &Ptr);
  /// Blocks as written: an escaped object's guard moves to block 0.
  std::vector<std::pair<unsigned, z3::expr>>
  escapeAware(std::vector<std::pair<unsigned, z3::expr>> Bs);
  /// Passing an alloca pointer to a call: the object's bytes move to caller
  /// memory, where they stay valid while the object lives.
  void escape(const Val &Ptr, const CallInst &CI);
  /// Address A is within alloca K.
  z3::expr inAlloca(unsigned K, const z3::expr &A);
  /// The bound variable of every array lambda (one name for all, so that
  /// the two functions' lambdas over the same body are the same term).
  z3::expr lambdaAddr() { return C.bv_const("lambda.addr", 64); }
  /// M is the constant array of false (no byte undef or uninitialised).
  static bool isAllFalse(const z3::expr &M) {
    return M.is_app() && M.decl().decl_kind() == Z3_OP_CONST_ARRAY &&
           M.arg(0).is_false();
  }
  /// Alloca K's memory as it starts or restarts its lifetime, when it is
  /// passed to a call: undef bytes (as LLVM has uninitialised memory), the
  /// same terms in both functions, so that their callees see the same.
  void undefBlock(MemState &M, const z3::expr &G);
  /// The caller's memory at entry: the shared inputs', nothing
  /// uninitialised.
  MemState entryMemory() {
    MemState M(C);
    M.Mem = In.Mem0;
    M.PM = In.PM0;
    M.UM = z3::const_array(C.bv_sort(64), f());
    M.DM = In.DM0;
    M.Prv = In.Prv0;
    M.Valid = In.Valid;
    return M;
  }
  /// An undef byte (bits, poison, uninitialised, undef).
  MemByte undefByte() { return {bvv(0, 8), f(), f(), t(), noProv()}; }
  /// Where In holds (a condition on lambdaAddr()), M's bytes become those
  /// Byte gives per field (bits, poison, uninitialised, undef; in terms of
  /// lambdaAddr()), on the paths where G holds.
  void overwrite(MemState &M, const z3::expr &G, const z3::expr &In,
                 function_ref<z3::expr(unsigned)> Byte);
  /// Alloca K escapes to a call in this function (its address is observable).
  std::vector<bool> AllocaEscapes;
  /// Where each alloca is first passed to a call (firstCallUses).
  DenseMap<const AllocaInst *, std::pair<unsigned, unsigned>> CallUses;
  /// The allocas passed to calls (by number), with where each is first
  /// passed.
  std::vector<std::pair<std::pair<unsigned, unsigned>, unsigned>> EscapingAllocas;
  /// Reads one byte (bits, poison, uninitialised, undef) through Ptr.
  MemByte readByte(const Val &Ptr, const z3::expr &A);
  void writeByte(const Val &Ptr, const z3::expr &A, const MemByte &B);
  void checkAccess(const Val &Ptr, uint64_t Bytes, uint64_t Align, const char *What,
                   bool IsWrite);
  /// The source's own memory attributes (its memory(...) effects, and
  /// readnone, readonly and writeonly on the argument the access is based
  /// on) as UB of an access through P (Ptr) to caller memory, where Some.
  void attrAccessUB(const Value *P, const Val &Ptr, const z3::expr &Some,
                    bool IsWrite);
  /// The byte at A, accessed through Ptr, is caller memory that may not be
  /// accessed (not valid and in no global, or a constant global written).
  z3::expr callerByteBad(const Val &Ptr, const z3::expr &A, bool IsWrite);
  /// Address A is within the global of address G and Size bytes. A >= G
  /// need not be said: a global ends below 2^64 (In.GlobalPre), so an
  /// address below G is more than Size above it modulo 2^64, and A - G is
  /// a constant where A is G plus a constant.
  z3::expr inGlobal(const z3::expr &A, const z3::expr &G, uint64_t Size) {
    return z3::ult(A - G, bvv(Size, 64));
  }
  /// Accesses of Len bytes from Ptr, Len symbolic (memcpy, memmove and
  /// memset of a length that is not a small constant).
  void checkRange(const Val &Ptr, const z3::expr &Len, bool IsWrite);
  /// dereferenceable(Deref), or else dereferenceable_or_null(OrNull), on
  /// Ptr (a call's argument, a returned value): UB unless that many bytes
  /// may be read (none for a null pointer under the latter), as in Alive2.
  void checkDereferenceable(const Val &Ptr, uint64_t Deref, uint64_t OrNull);
  /// Writes Bytes(a) to every address a of [Ptr, Ptr + Len) at once.
  void writeRange(const Val &Ptr, const z3::expr &Len,
                  const std::function<MemByte(const z3::expr &)> &Bytes);
  /// The length operand of a memory intrinsic, zero-extended to 64 bits;
  /// a poison or undef length is UB.
  z3::expr memLength(const Value *Len);
  Val load(const Val &Ptr, Type *T, uint64_t Align);
  void store(const Val &Ptr, const Val &V, Type *T, uint64_t Align);
  Val gep(const GEPOperator &G);

  Val mergeVals(const std::vector<std::pair<z3::expr, Val>> &Ins);
  MemState mergeMem(const std::vector<std::pair<z3::expr, MemState>> &Ins);
};

} // namespace

static std::string allocaArgReason(const CallBase &CB);
static bool comparableLocals(const ICmpInst &I);
static DenseMap<const AllocaInst *, std::pair<unsigned, unsigned>>
firstCallUses(const Function &F);

static z3::expr orAll(z3::context &C, const std::vector<z3::expr> &V) {
  if (V.empty())
    return C.bool_val(false);
  z3::expr_vector EV(C);
  for (auto &E : V)
    EV.push_back(E);
  return z3::mk_or(EV);
}

static bool sameAst(const z3::expr &A, const z3::expr &B) {
  return (bool)A == (bool)B && (!(bool)A || z3::eq(A, B));
}

/// The pointer whose allocated object X is based on (see Val::Root).
static z3::expr rootOf(const Val &X) { return (bool)X.Root ? X.Root : X.V; }

Val FunctionEncoder::mergeVals(const std::vector<std::pair<z3::expr, Val>> &Ins) {
  Val R = Ins.back().second;
  for (int I = (int)Ins.size() - 2; I >= 0; --I) {
    const z3::expr &G = Ins[I].first;
    const Val &X = Ins[I].second;
    if ((bool)X.Root || (bool)R.Root) {
      z3::expr XR = rootOf(X), RR = rootOf(R);
      R.Root = sameAst(XR, RR) ? XR : z3::ite(G, XR, RR);
    }
    if (!sameAst(X.V, R.V))
      R.V = z3::ite(G, X.V, R.V);
    if (!sameAst(X.P, R.P))
      R.P = z3::ite(G, X.P, R.P);
    if (!sameAst(X.U, R.U))
      R.U = z3::ite(G, X.U, R.U);
    if ((bool)X.Bid && !sameAst(X.Bid, R.Bid))
      R.Bid = z3::ite(G, X.Bid, R.Bid);
    if (((bool)X.Prv || (bool)R.Prv) && !sameAst(prvOf(X), prvOf(R)))
      R.Prv = z3::ite(G, prvOf(X), prvOf(R));
    if (!sameAst(X.FU, R.FU))
      R.FU = z3::ite(G, X.FU, R.FU);
    R.Local |= X.Local;
    R.UExact = R.UExact && X.UExact;
    for (size_t E = 0; E < R.Elems.size(); ++E) {
      std::vector<std::pair<z3::expr, Val>> Sub = {{G, X.Elems[E]},
                                                   {t(), R.Elems[E]}};
      R.Elems[E] = mergeVals(Sub);
    }
  }
  return R;
}

MemState FunctionEncoder::mergeMem(
    const std::vector<std::pair<z3::expr, MemState>> &Ins) {
  MemState R = Ins.back().second;
  for (int I = (int)Ins.size() - 2; I >= 0; --I) {
    const z3::expr &G = Ins[I].first;
    const MemState &X = Ins[I].second;
    if (!sameAst(X.Mem, R.Mem))
      R.Mem = z3::ite(G, X.Mem, R.Mem);
    if (!sameAst(X.PM, R.PM))
      R.PM = z3::ite(G, X.PM, R.PM);
    if (!sameAst(X.UM, R.UM))
      R.UM = z3::ite(G, X.UM, R.UM);
    if (!sameAst(X.DM, R.DM))
      R.DM = z3::ite(G, X.DM, R.DM);
    if (!sameAst(X.Prv, R.Prv))
      R.Prv = z3::ite(G, X.Prv, R.Prv);
    if ((bool)X.Valid && !sameAst(X.Valid, R.Valid))
      R.Valid = z3::ite(G, X.Valid, R.Valid);
    if (!sameAst(X.Dead, R.Dead))
      R.Dead = z3::ite(G, X.Dead, R.Dead);
    if (!sameAst(X.Esc, R.Esc))
      R.Esc = z3::ite(G, X.Esc, R.Esc);
  }
  return R;
}

Val FunctionEncoder::argUse(const Argument *A) {
  unsigned N = A->getArgNo();
  z3::expr X = In.X[N];
  // Each use of an undef argument may see a different value.
  z3::expr Use = fresh(X.get_sort(), "arg_use");
  Out.ArgUseVars[N].push_back(Use);
  Val R(z3::ite(In.XU[N], Use, X), In.XP[N], In.XU[N]);
  R.FU = In.XU[N];
  R.UExact = true;
  if (A->getType()->isPointerTy()) {
    R.Bid = bvv(0, 8);
    R.Prv = In.XPrv[N];
  }
  // nonnull, align, range: a violating argument is poison.
  R.P = R.P || !attrsHold(F.getAttributes().getParamAttrs(N), R.V);
  return R;
}

Val FunctionEncoder::constant(const Constant *K) {
  Type *T = K->getType();
  if (isa<PoisonValue>(K)) {
    if (T->isStructTy())
      unsupported("aggregate constant");
    Val R(fresh(sortFor(C, T), "poison"), t(), f());
    if (T->isPointerTy())
      R.Bid = bvv(0, 8), R.FU = f(), R.Prv = noProv();
    return R;
  }
  if (isa<UndefValue>(K)) {
    if (T->isStructTy())
      unsupported("aggregate constant");
    Val R(choice(sortFor(C, T), "undef"), f(), t());
    R.FU = t();
    if (T->isPointerTy())
      R.Bid = bvv(0, 8), R.Prv = noProv();
    return R;
  }
  if (auto *CI = dyn_cast<ConstantInt>(K)) {
    if (T->isVectorTy())
      unsupported("vector constant");
    return Val(bvAPInt(CI->getValue()), f(), f());
  }
  if (isa<ConstantPointerNull>(K)) {
    Val R(bvv(0, 64), f(), f());
    R.Bid = bvv(0, 8);
    R.FU = f();
    R.Prv = noProv();
    return R;
  }
  if (auto *CF = dyn_cast<ConstantFP>(K)) {
    (void)sortFor(C, T); // a type the encoder models
    return Val(bvAPInt(CF->getValueAPF().bitcastToAPInt()), f(), f());
  }
  if (auto *GV = dyn_cast<GlobalVariable>(K)) {
    auto It = In.Globals.find(GV->getName().str());
    if (It == In.Globals.end())
      unsupported("global " + describe(*K, F.getParent()));
    Val R(It->second.first, f(), f());
    R.Bid = bvv(0, 8);
    R.Prv = globalProv(*GV);
    return R;
  }
  if (auto *G = dyn_cast<GEPOperator>(K))
    return gep(*G);
  if (auto *Fn = dyn_cast<Function>(K); Fn && Fn->hasName()) {
    // A function's address: one unknown per name, the same in both
    // functions (a context has one constant per name); not null unless the
    // symbol is weak. Nothing else is assumed (unnamed_addr functions may
    // even share an address).
    z3::expr A = C.bv_const(("fnaddr." + Fn->getName()).str().c_str(), 64);
    if (!Fn->hasExternalWeakLinkage())
      Out.Pre.push_back(A != bvv(0, 64));
    Val R(A, f(), f());
    R.Bid = bvv(0, 8);
    R.FU = f();
    R.Prv = globalProv(*Fn);
    return R;
  }
  if (isa<GlobalValue>(K))
    unsupported("global " + describe(*K, F.getParent()));
  unsupported("constant " + describe(*K, F.getParent()));
}

Val FunctionEncoder::get(const Value *V) {
  if (auto *K = dyn_cast<Constant>(V))
    return constant(K);
  if (auto *A = dyn_cast<Argument>(V))
    return argUse(A);
  auto It = Cur->E.find(V);
  if (It == Cur->E.end())
    unsupported("use of " + describe(*V, F.getParent()) +
                " not dominated on every path");
  return It->second;
}

//===----------------------------------------------------------------------===//
// Integer arithmetic
//===----------------------------------------------------------------------===//

Val FunctionEncoder::binop(const BinaryOperator &I, const Val &A, const Val &B) {
  if (I.getType()->isFloatingPointTy())
    return fpBinop(I, A, B);
  const z3::expr &X = A.V, &Y = B.V;
  unsigned W = bw(X);
  z3::expr P = A.P || B.P;
  z3::expr U = A.U || B.U;
  auto sext1 = [&](const z3::expr &E) { return z3::sext(E, 1); };
  auto zext1 = [&](const z3::expr &E) { return z3::zext(E, 1); };
  bool NSW = isa<OverflowingBinaryOperator>(I) && I.hasNoSignedWrap();
  bool NUW = isa<OverflowingBinaryOperator>(I) && I.hasNoUnsignedWrap();
  bool Exact = isa<PossiblyExactOperator>(I) && I.isExact();
  z3::expr R(C);
  switch (I.getOpcode()) {
  case Instruction::Add:
    R = X + Y;
    if (NSW)
      P = P || (sext1(X) + sext1(Y) != sext1(R));
    if (NUW)
      P = P || (zext1(X) + zext1(Y) != zext1(R));
    break;
  case Instruction::Sub:
    R = X - Y;
    if (NSW)
      P = P || (sext1(X) - sext1(Y) != sext1(R));
    if (NUW)
      P = P || z3::ult(X, Y);
    break;
  case Instruction::Mul:
    R = X * Y;
    if (NSW)
      P = P || (z3::sext(X, W) * z3::sext(Y, W) != z3::sext(R, W));
    if (NUW)
      P = P || (z3::zext(X, W) * z3::zext(Y, W) != z3::zext(R, W));
    break;
  case Instruction::UDiv:
  case Instruction::URem: {
    // Division by zero, or by poison, is immediate UB.
    addUB(B.P || isZero(Y));
    bool Div = I.getOpcode() == Instruction::UDiv;
    R = Div ? z3::udiv(X, Y) : z3::urem(X, Y);
    P = A.P;
    if (Exact)
      P = P || !isZero(z3::urem(X, Y));
    break;
  }
  case Instruction::SDiv:
  case Instruction::SRem: {
    z3::expr Ovf = (Y == allOnes(W));
    if (IsSrc) {
      // Only UB we are sure of: a poison dividend might not be INT_MIN.
      addUB(B.P || isZero(Y) || (!A.P && X == intMin(W) && Ovf));
    } else {
      addUB(B.P || isZero(Y) || ((A.P || X == intMin(W)) && Ovf));
      addApprox(A.P && Ovf && !B.P && !isZero(Y), "sdiv of poison by -1");
    }
    bool Div = I.getOpcode() == Instruction::SDiv;
    R = Div ? z3::expr(C, Z3_mk_bvsdiv(C, X, Y)) : z3::srem(X, Y);
    P = A.P;
    if (Exact)
      P = P || !isZero(z3::srem(X, Y));
    break;
  }
  case Instruction::Shl:
  case Instruction::LShr:
  case Instruction::AShr: {
    // W < 2^W, so W is representable in W bits for every width.
    z3::expr Over = z3::uge(Y, bvAPInt(APInt(W, W)));
    P = P || Over;
    if (I.getOpcode() == Instruction::Shl) {
      R = z3::shl(X, Y);
      if (NUW)
        P = P || (z3::lshr(R, Y) != X);
      if (NSW)
        P = P || (z3::ashr(R, Y) != X);
    } else if (I.getOpcode() == Instruction::LShr) {
      R = z3::lshr(X, Y);
      if (Exact)
        P = P || (z3::shl(R, Y) != X);
    } else {
      R = z3::ashr(X, Y);
      if (Exact)
        P = P || (z3::shl(R, Y) != X);
    }
    break;
  }
  case Instruction::And:
    R = X & Y;
    break;
  case Instruction::Or:
    R = X | Y;
    if (cast<PossiblyDisjointInst>(I).isDisjoint())
      P = P || !isZero(X & Y);
    break;
  case Instruction::Xor:
    R = X ^ Y;
    break;
  default:
    unsupported(Twine("opcode ") + I.getOpcodeName());
  }
  return Val(R, P, U);
}

Val FunctionEncoder::icmp(const ICmpInst &I, const Val &A, const Val &B) {
  // Addresses within one alloca, or an alloca's against null, compare as
  // their values, whatever its placement; others would depend on it.
  if ((A.Local || B.Local) && !comparableLocals(I))
    unsupported("comparison of alloca pointers");
  const z3::expr &X = A.V, &Y = B.V;
  z3::expr R(C);
  switch (I.getPredicate()) {
  case ICmpInst::ICMP_EQ: R = X == Y; break;
  case ICmpInst::ICMP_NE: R = X != Y; break;
  case ICmpInst::ICMP_UGT: R = z3::ugt(X, Y); break;
  case ICmpInst::ICMP_UGE: R = z3::uge(X, Y); break;
  case ICmpInst::ICMP_ULT: R = z3::ult(X, Y); break;
  case ICmpInst::ICMP_ULE: R = z3::ule(X, Y); break;
  case ICmpInst::ICMP_SGT: R = X > Y; break;
  case ICmpInst::ICMP_SGE: R = X >= Y; break;
  case ICmpInst::ICMP_SLT: R = X < Y; break;
  case ICmpInst::ICMP_SLE: R = X <= Y; break;
  default: unsupported("icmp predicate");
  }
  z3::expr P = A.P || B.P;
  if (I.hasSameSign()) {
    unsigned W = bw(X);
    P = P || (X.extract(W - 1, W - 1) != Y.extract(W - 1, W - 1));
  }
  return Val(z3::ite(R, bvv(1, 1), bvv(0, 1)), P, A.U || B.U);
}

Val FunctionEncoder::fcmp(const FCmpInst &I, const Val &A, const Val &B) {
  z3::expr X = toFP(A.V), Y = toFP(B.V);
  z3::expr Uno = X.mk_is_nan() || Y.mk_is_nan();
  z3::expr Eq(C, Z3_mk_fpa_eq(C, X, Y)), Lt(C, Z3_mk_fpa_lt(C, X, Y)),
      Gt(C, Z3_mk_fpa_gt(C, X, Y)), Le(C, Z3_mk_fpa_leq(C, X, Y)),
      Ge(C, Z3_mk_fpa_geq(C, X, Y));
  z3::expr R(C);
  switch (I.getPredicate()) {
  case FCmpInst::FCMP_FALSE: R = f(); break;
  case FCmpInst::FCMP_TRUE: R = t(); break;
  case FCmpInst::FCMP_OEQ: R = Eq; break;
  case FCmpInst::FCMP_OGT: R = Gt; break;
  case FCmpInst::FCMP_OGE: R = Ge; break;
  case FCmpInst::FCMP_OLT: R = Lt; break;
  case FCmpInst::FCMP_OLE: R = Le; break;
  case FCmpInst::FCMP_ONE: R = !Uno && !Eq; break;
  case FCmpInst::FCMP_ORD: R = !Uno; break;
  case FCmpInst::FCMP_UNO: R = Uno; break;
  case FCmpInst::FCMP_UEQ: R = Uno || Eq; break;
  case FCmpInst::FCMP_UGT: R = Uno || Gt; break;
  case FCmpInst::FCMP_UGE: R = Uno || Ge; break;
  case FCmpInst::FCMP_ULT: R = Uno || Lt; break;
  case FCmpInst::FCMP_ULE: R = Uno || Le; break;
  case FCmpInst::FCMP_UNE: R = Uno || !Eq; break;
  default: unsupported("fcmp predicate");
  }
  return Val(z3::ite(R, bvv(1, 1), bvv(0, 1)), A.P || B.P, A.U || B.U);
}

z3::expr FunctionEncoder::toFP(const z3::expr &Bits) {
  return z3::expr(C, Z3_mk_fpa_to_fp_bv(C, Bits, fpSortOfBits(C, bw(Bits))));
}

z3::expr FunctionEncoder::resultBits(const z3::expr &R,
                                     ArrayRef<z3::expr> Ins) {
  unsigned W = Z3_fpa_get_ebits(C, R.get_sort()) + Z3_fpa_get_sbits(C, R.get_sort());
  unsigned MB = Z3_fpa_get_sbits(C, R.get_sort()) - 1; // stored mantissa bits
  z3::expr Q = bvAPInt(APInt::getOneBitSet(W, MB - 1));
  z3::expr E = bvAPInt(APInt::getBitsSet(W, MB, W - 1));
  z3::expr MMask = bvAPInt(APInt::getLowBitsSet(W, MB));
  // LLVM's NaN results (LangRef, "Floating-point semantics"): any sign, and
  // either the preferred quiet NaN or an input NaN, quieted or unchanged.
  // The NaN is a choice constrained to that set: an assumption about the
  // target's, and in the source a domain outside which a choice rescues
  // nothing (SMTVerifier). A NaN is the only result whose bits IEEE 754
  // leaves open.
  // An input of another format (fpext, fptrunc) passes on its payload
  // (the quiet bit and the rest of the significand) padded or cut at the
  // low end; a payload cut to zero can only be passed on quieted.
  z3::expr N = choice(C.bv_sort(W), "nan");
  auto low = [&](const z3::expr &X) { return X.extract(W - 2, 0); };
  z3::expr Preferred = preferredNaNBits(C, W);
  std::vector<z3::expr> Members{low(N) == low(Preferred)};
  // A likely choice, for instantiating the source's: the first input NaN,
  // unchanged where it can be, else the preferred quiet NaN.
  z3::expr Likely = Preferred;
  for (const z3::expr &X : Ins) {
    unsigned WX = bw(X);
    unsigned MBX = Z3_fpa_get_sbits(C, fpSortOfBits(C, WX)) - 1;
    z3::expr EX = bvAPInt(APInt::getBitsSet(WX, MBX, WX - 1));
    z3::expr Pay = X.extract(MBX - 1, 0);
    z3::expr IsNaN = (X & EX) == EX && Pay != C.bv_val(0, MBX);
    if (MBX < MB)
      Pay = z3::concat(Pay, C.bv_val(0, MB - MBX));
    else if (MBX > MB)
      Pay = Pay.extract(MBX - 1, MBX - MB);
    z3::expr PX = E | z3::zext(Pay, W - MB);
    Members.push_back(IsNaN && ((Pay != C.bv_val(0, MB) && low(N) == low(PX)) ||
                                low(N) == low(PX | Q)));
    if (&X == &Ins.front())
      Likely = z3::ite(IsNaN && Pay != C.bv_val(0, MB),
                       z3::concat(X.extract(WX - 1, WX - 1), low(PX)), Likely);
  }
  z3::expr Dom = orAll(C, Members);
  if (IsSrc) {
    Out.ChoiceDom.push_back(Dom);
    Out.LikelyChoice.push_back({N, Likely});
  } else {
    Out.Pre.push_back(Dom);
  }
  Out.PairedChoices.push_back(N);
  return z3::ite(R.mk_is_nan(), N, z3::expr(C, Z3_mk_fpa_to_ieee_bv(C, R)));
}

Val FunctionEncoder::fpBinop(const Instruction &I, const Val &A, const Val &B) {
  z3::expr RM(C, Z3_mk_fpa_rne(C));
  z3::expr X = toFP(A.V), Y = toFP(B.V);
  // Wrap each raw Z3_ast at once: an unreferenced AST may be collected by
  // the next API call.
  z3::expr R(C);
  switch (I.getOpcode()) {
  case Instruction::FAdd: R = z3::expr(C, Z3_mk_fpa_add(C, RM, X, Y)); break;
  case Instruction::FSub: R = z3::expr(C, Z3_mk_fpa_sub(C, RM, X, Y)); break;
  case Instruction::FMul: R = z3::expr(C, Z3_mk_fpa_mul(C, RM, X, Y)); break;
  case Instruction::FDiv: R = z3::expr(C, Z3_mk_fpa_div(C, RM, X, Y)); break;
  default: unsupported(Twine("opcode ") + I.getOpcodeName());
  }
  return Val(resultBits(R, {A.V, B.V}), A.P || B.P, A.U || B.U);
}

Val FunctionEncoder::intToFP(const CastInst &I, const Val &A) {
  // Rounded to nearest, ties to even; never a NaN, so the bits are exact.
  z3::expr RM(C, Z3_mk_fpa_rne(C));
  unsigned W = I.getDestTy()->getPrimitiveSizeInBits();
  z3::sort S = fpSortOfBits(C, W);
  bool Signed = I.getOpcode() == Instruction::SIToFP;
  z3::expr R(C, Signed ? Z3_mk_fpa_to_fp_signed(C, RM, A.V, S)
                       : Z3_mk_fpa_to_fp_unsigned(C, RM, A.V, S));
  z3::expr P = A.P;
  if (!Signed && cast<PossiblyNonNegInst>(I).hasNonNeg())
    P = P || A.V < bvv(0, bw(A.V));
  return Val(z3::expr(C, Z3_mk_fpa_to_ieee_bv(C, R)), P, A.U);
}

Val FunctionEncoder::fpToInt(const CastInst &I, const Val &A) {
  // Rounded toward zero; poison unless the rounded value fits (NaN and
  // infinity never do). The bounds are powers of two, exact in every
  // format or beyond its range (then infinity, which bounds it as well).
  z3::expr RM(C, Z3_mk_fpa_rtz(C)), RNE(C, Z3_mk_fpa_rne(C));
  unsigned W = I.getDestTy()->getIntegerBitWidth();
  bool Signed = I.getOpcode() == Instruction::FPToSI;
  z3::expr X = toFP(A.V);
  z3::sort S = X.get_sort();
  z3::expr T(C, Z3_mk_fpa_round_to_integral(C, RM, X));
  auto pow2 = [&](unsigned K) {
    z3::expr Bits = bvAPInt(APInt::getOneBitSet(K + 1, K));
    return z3::expr(C, Z3_mk_fpa_to_fp_unsigned(C, RNE, Bits, S));
  };
  z3::expr Lo = Signed ? z3::expr(C, Z3_mk_fpa_neg(C, pow2(W - 1)))
                       : z3::expr(C, Z3_mk_fpa_to_fp_unsigned(
                                         C, RNE, bvv(0, 1), S));
  z3::expr Hi = pow2(Signed ? W - 1 : W);
  z3::expr Fits = !X.mk_is_nan() && !X.mk_is_inf() &&
                  z3::expr(C, Z3_mk_fpa_geq(C, T, Lo)) &&
                  z3::expr(C, Z3_mk_fpa_lt(C, T, Hi));
  z3::expr R(C, Signed ? Z3_mk_fpa_to_sbv(C, RM, X, W)
                       : Z3_mk_fpa_to_ubv(C, RM, X, W));
  return Val(R, A.P || !Fits, A.U);
}

Val FunctionEncoder::castOp(const CastInst &I, const Val &A) {
  // Between an integer and a floating-point type of its width: the same
  // bits (see unsupportedReason).
  if (I.getOpcode() == Instruction::BitCast)
    return A;
  if (I.getOpcode() == Instruction::SIToFP ||
      I.getOpcode() == Instruction::UIToFP)
    return intToFP(I, A);
  if (I.getOpcode() == Instruction::FPToSI ||
      I.getOpcode() == Instruction::FPToUI)
    return fpToInt(I, A);
  if (I.getOpcode() == Instruction::FPExt ||
      I.getOpcode() == Instruction::FPTrunc) {
    // Rounded to nearest, ties to even (exact for fpext); a NaN passes on
    // its payload as resultBits says.
    z3::expr RM(C, Z3_mk_fpa_rne(C));
    z3::sort S = fpSortOfBits(C, I.getDestTy()->getPrimitiveSizeInBits());
    z3::expr R(C, Z3_mk_fpa_to_fp_float(C, RM, toFP(A.V), S));
    return Val(resultBits(R, {A.V}), A.P, A.U);
  }
  Type *DT = I.getDestTy(); // an integer: see unsupportedReason
  unsigned From = bw(A.V), To = DT->getIntegerBitWidth();
  z3::expr P = A.P;
  z3::expr R(C);
  switch (I.getOpcode()) {
  case Instruction::ZExt:
    R = z3::zext(A.V, To - From);
    if (I.hasNonNeg())
      P = P || (A.V < bvv(0, From));
    break;
  case Instruction::SExt:
    R = z3::sext(A.V, To - From);
    break;
  case Instruction::PtrToInt:
    // The pointer's address (see unsupportedReason), truncated or
    // zero-extended to the integer's width.
    if (A.Local)
      unsupported("ptrtoint of an alloca pointer");
    R = To < From ? A.V.extract(To - 1, 0)
        : To > From ? z3::zext(A.V, To - From)
                    : A.V;
    break;
  case Instruction::Trunc: {
    R = A.V.extract(To - 1, 0);
    auto &TI = cast<TruncInst>(I);
    if (TI.hasNoUnsignedWrap())
      P = P || (z3::zext(R, From - To) != A.V);
    if (TI.hasNoSignedWrap())
      P = P || (z3::sext(R, From - To) != A.V);
    break;
  }
  default:
    unsupported(Twine("cast ") + I.getOpcodeName());
  }
  Val Res(R, P, A.U);
  // Widening copies every bit of the operand and adds defined ones (zeros,
  // or copies of the sign bit), so the result has an undef bit exactly
  // where the operand has one. Truncation may drop the undef bits.
  Res.UExact = A.UExact && To >= From;
  return Res;
}

static z3::expr popcount(z3::context &C, const z3::expr &X, unsigned W) {
  unsigned RW = W;
  z3::expr Sum = C.bv_val(0, RW);
  for (unsigned I = 0; I < W; ++I)
    Sum = Sum + z3::zext(X.extract(I, I), RW - 1);
  return Sum;
}

Val FunctionEncoder::intrinsic(const IntrinsicInst &II) {
  Intrinsic::ID ID = II.getIntrinsicID();
  // An argument, poison where the call's attributes on it (nonnull, align,
  // range) do not hold, and UB where it is poison or undef under noundef:
  // a memcpy given `align 8` copies only aligned pointers.
  auto arg = [&](unsigned N) {
    return underCallAttrs(get(II.getArgOperand(N)),
                          II.getAttributes().getParamAttrs(N),
                          "noundef argument of partially undef value");
  };
  auto constArg = [&](unsigned N) -> bool {
    auto *CI = dyn_cast<ConstantInt>(II.getArgOperand(N));
    if (!CI)
      unsupported("non-constant flag on " + II.getCalledFunction()->getName());
    return !CI->isZero();
  };
  switch (ID) {
  case Intrinsic::assume: {
    Val Cnd = arg(0);
    addUB(Cnd.P || Cnd.V == bvv(0, 1) ||
          undefIsUB(Cnd, "assume on partially undef value"));
    // Operand bundles are more assumptions. Whether a poison operand
    // violates one LangRef leaves open: the target's is UB, the source's
    // is not.
    for (unsigned B = 0; B < II.getNumOperandBundles(); ++B) {
      OperandBundleUse U = II.getOperandBundleAt(B);
      StringRef Tag = U.getTagName();
      if (Tag == "ignore")
        continue;
      Val X = get(U.Inputs[0].get());
      z3::expr Poison = X.P, Violated = f();
      if (Tag == "nonnull") {
        Violated = isZero(X.V);
      } else if (Tag == "align") {
        uint64_t A = cast<ConstantInt>(U.Inputs[1].get())->getZExtValue();
        z3::expr Addr = X.V;
        if (U.Inputs.size() == 3) {
          Val Off = get(U.Inputs[2].get());
          Poison = Poison || Off.P;
          // Addresses wrap at 64 bits, so a wider offset counts modulo
          // 2^64 (i128 operands are valid IR).
          unsigned W = bw(Off.V);
          Addr = Addr - (W > 64   ? Off.V.extract(63, 0)
                         : W < 64 ? z3::sext(Off.V, 64 - W)
                                  : Off.V);
        }
        Violated = misaligned(Addr, A);
      } else { // noundef
        Poison = f();
        Violated = X.P || undefIsUB(X, "assume noundef of partially undef value");
      }
      addUB(IsSrc ? !Poison && Violated : Poison || Violated);
    }
    return Val(C);
  }
  case Intrinsic::ctpop: {
    Val A = arg(0);
    return Val(popcount(C, A.V, bw(A.V)), A.P, A.U);
  }
  case Intrinsic::ctlz:
  case Intrinsic::cttz: {
    Val A = arg(0);
    unsigned W = bw(A.V);
    bool ZeroPoison = constArg(1);
    z3::expr R = bvAPInt(APInt(W, W));
    if (W == 1)
      R = z3::ite(A.V == bvv(0, 1), bvv(1, 1), bvv(0, 1));
    else
      for (unsigned I = 0; I < W; ++I) {
        // The outermost ite must test the bit nearest the counted end.
        unsigned Bit = ID == Intrinsic::ctlz ? I : W - 1 - I;
        unsigned Res = ID == Intrinsic::ctlz ? W - 1 - Bit : Bit;
        R = z3::ite(A.V.extract(Bit, Bit) == bvv(1, 1), bvv(Res, W), R);
      }
    z3::expr P = A.P;
    if (ZeroPoison)
      P = P || isZero(A.V);
    return Val(R, P, A.U);
  }
  case Intrinsic::abs: {
    Val A = arg(0);
    unsigned W = bw(A.V);
    bool MinPoison = constArg(1);
    z3::expr R = z3::ite(A.V < bvv(0, W), -A.V, A.V);
    z3::expr P = A.P;
    if (MinPoison)
      P = P || A.V == intMin(W);
    return Val(R, P, A.U);
  }
  case Intrinsic::smin:
  case Intrinsic::smax:
  case Intrinsic::umin:
  case Intrinsic::umax: {
    Val A = arg(0), B = arg(1);
    z3::expr Cnd(C);
    if (ID == Intrinsic::smin) Cnd = A.V < B.V;
    else if (ID == Intrinsic::smax) Cnd = A.V > B.V;
    else if (ID == Intrinsic::umin) Cnd = z3::ult(A.V, B.V);
    else Cnd = z3::ugt(A.V, B.V);
    return Val(z3::ite(Cnd, A.V, B.V), A.P || B.P, A.U || B.U);
  }
  case Intrinsic::expect:
  case Intrinsic::expect_with_probability:
    // A hint about the first argument's value, which it returns.
    return arg(0);
  case Intrinsic::fabs:
  case Intrinsic::copysign: {
    // Sign-bit operations, exact on a NaN too (LangRef: "Floating-point
    // semantics" lists fneg, fabs and copysign as bitwise).
    Val A = arg(0);
    unsigned W = bw(A.V);
    z3::expr Sign = bvAPInt(APInt::getSignMask(W));
    z3::expr Mag = A.V & ~Sign;
    if (ID == Intrinsic::fabs)
      return Val(Mag, A.P, A.U);
    Val B = arg(1);
    return Val(Mag | (B.V & Sign), A.P || B.P, A.U || B.U);
  }
  case Intrinsic::floor:
  case Intrinsic::ceil:
  case Intrinsic::trunc:
  case Intrinsic::round:
  case Intrinsic::roundeven:
  case Intrinsic::rint:
  case Intrinsic::nearbyint: {
    // IEEE 754 roundToIntegral in the direction each names (LangRef: as
    // libm's functions); rint and nearbyint round as the environment says,
    // which outside strictfp functions is the default, to nearest with ties
    // to even. The sign of a zero result is the operand's; a NaN gives a
    // NaN by LLVM's NaN rules.
    Val A = arg(0);
    Z3_ast RM;
    switch (ID) {
    case Intrinsic::floor:
      RM = Z3_mk_fpa_rtn(C);
      break;
    case Intrinsic::ceil:
      RM = Z3_mk_fpa_rtp(C);
      break;
    case Intrinsic::trunc:
      RM = Z3_mk_fpa_rtz(C);
      break;
    case Intrinsic::round:
      RM = Z3_mk_fpa_rna(C);
      break;
    default:
      RM = Z3_mk_fpa_rne(C);
      break;
    }
    z3::expr Mode(C, RM);
    z3::expr R(C, Z3_mk_fpa_round_to_integral(C, Mode, toFP(A.V)));
    return Val(resultBits(R, {A.V}), A.P, A.U);
  }
  case Intrinsic::is_fpclass: {
    // Whether the operand is in one of the classes the mask's bits name
    // (LangRef: 0 signalling NaN, 1 quiet NaN, 2 -inf, 3 -normal,
    // 4 -subnormal, 5 -0, 6 +0, 7 +subnormal, 8 +normal, 9 +inf), read
    // from the IEEE bits.
    auto *Mask = dyn_cast<ConstantInt>(II.getArgOperand(1));
    if (!Mask)
      unsupported("non-constant mask on llvm.is.fpclass");
    Val A = arg(0); // half, float or double: other types are unsupported
    unsigned W = bw(A.V);
    unsigned MB = Z3_fpa_get_sbits(C, fpSortOfBits(C, W)) - 1;
    z3::expr EMask = bvAPInt(APInt::getBitsSet(W, MB, W - 1));
    z3::expr Exp = A.V & EMask;
    z3::expr Man = A.V & bvAPInt(APInt::getLowBitsSet(W, MB));
    z3::expr ExpOnes = Exp == EMask;
    z3::expr ExpZero = isZero(Exp), ManZero = isZero(Man);
    z3::expr Neg = A.V.extract(W - 1, W - 1) == bvv(1, 1);
    z3::expr Quiet = A.V.extract(MB - 1, MB - 1) == bvv(1, 1);
    z3::expr Normal = !ExpZero && !ExpOnes, Sub = ExpZero && !ManZero;
    z3::expr Zero = ExpZero && ManZero, Inf = ExpOnes && ManZero;
    const z3::expr Classes[] = {ExpOnes && !ManZero && !Quiet,
                                ExpOnes && !ManZero && Quiet,
                                Neg && Inf,
                                Neg && Normal,
                                Neg && Sub,
                                Neg && Zero,
                                !Neg && Zero,
                                !Neg && Sub,
                                !Neg && Normal,
                                !Neg && Inf};
    uint64_t Bits = Mask->getZExtValue();
    z3::expr R = f();
    for (unsigned B = 0; B < 10; ++B)
      if (Bits & (1u << B))
        R = R || Classes[B];
    return Val(z3::ite(R, bvv(1, 1), bvv(0, 1)), A.P, A.U);
  }
  case Intrinsic::fma:
  case Intrinsic::fmuladd: {
    // fmuladd may be fused or not, as the compiler likes: a choice, which a
    // target's fmuladd makes in the same position as the source's. A NaN
    // result may come from any of the three operands either way.
    Val A = arg(0), B = arg(1), D = arg(2);
    z3::expr RM(C, Z3_mk_fpa_rne(C));
    z3::expr X = toFP(A.V), Y = toFP(B.V), Z = toFP(D.V);
    z3::expr R(C, Z3_mk_fpa_fma(C, RM, X, Y, Z));
    if (ID == Intrinsic::fmuladd) {
      z3::expr M(C, Z3_mk_fpa_mul(C, RM, X, Y));
      z3::expr Sep(C, Z3_mk_fpa_add(C, RM, M, Z));
      z3::expr Fuse = choice(C.bool_sort(), "fuse");
      Out.PairedChoices.push_back(Fuse);
      R = z3::ite(Fuse, R, Sep);
    }
    return Val(resultBits(R, {A.V, B.V, D.V}), A.P || B.P || D.P,
               A.U || B.U || D.U);
  }
  case Intrinsic::fshl:
  case Intrinsic::fshr: {
    Val A = arg(0), B = arg(1), S = arg(2);
    unsigned W = bw(A.V);
    z3::expr Amt = z3::urem(S.V, bvAPInt(APInt(W, W)));
    z3::expr Cat = z3::concat(A.V, B.V);
    z3::expr Amt2 = z3::zext(Amt, W);
    z3::expr R(C);
    if (ID == Intrinsic::fshl)
      R = z3::shl(Cat, Amt2).extract(2 * W - 1, W);
    else
      R = z3::lshr(Cat, Amt2).extract(W - 1, 0);
    return Val(R, A.P || B.P || S.P, A.U || B.U || S.U);
  }
  case Intrinsic::bswap: {
    Val A = arg(0);
    unsigned W = bw(A.V);
    if (W % 16)
      unsupported("bswap width");
    z3::expr R = A.V.extract(7, 0);
    for (unsigned B = 1; B < W / 8; ++B)
      R = z3::concat(R, A.V.extract(8 * B + 7, 8 * B));
    return Val(R, A.P, A.U);
  }
  case Intrinsic::bitreverse: {
    Val A = arg(0);
    unsigned W = bw(A.V);
    z3::expr R = A.V.extract(0, 0);
    for (unsigned B = 1; B < W; ++B)
      R = z3::concat(R, A.V.extract(B, B));
    return Val(R, A.P, A.U);
  }
  case Intrinsic::sadd_with_overflow:
  case Intrinsic::uadd_with_overflow:
  case Intrinsic::ssub_with_overflow:
  case Intrinsic::usub_with_overflow:
  case Intrinsic::smul_with_overflow:
  case Intrinsic::umul_with_overflow: {
    Val A = arg(0), B = arg(1);
    unsigned W = bw(A.V);
    z3::expr R(C), O(C);
    switch (ID) {
    case Intrinsic::sadd_with_overflow:
      R = A.V + B.V;
      O = z3::sext(A.V, 1) + z3::sext(B.V, 1) != z3::sext(R, 1);
      break;
    case Intrinsic::uadd_with_overflow:
      R = A.V + B.V;
      O = z3::zext(A.V, 1) + z3::zext(B.V, 1) != z3::zext(R, 1);
      break;
    case Intrinsic::ssub_with_overflow:
      R = A.V - B.V;
      O = z3::sext(A.V, 1) - z3::sext(B.V, 1) != z3::sext(R, 1);
      break;
    case Intrinsic::usub_with_overflow:
      R = A.V - B.V;
      O = z3::ult(A.V, B.V);
      break;
    case Intrinsic::smul_with_overflow:
      R = A.V * B.V;
      O = z3::sext(A.V, W) * z3::sext(B.V, W) != z3::sext(R, W);
      break;
    default:
      R = A.V * B.V;
      O = z3::zext(A.V, W) * z3::zext(B.V, W) != z3::zext(R, W);
      break;
    }
    z3::expr P = A.P || B.P, U = A.U || B.U;
    Val Agg(R, P, U);
    Agg.Elems.push_back(Val(R, P, U));
    Agg.Elems.push_back(Val(z3::ite(O, bvv(1, 1), bvv(0, 1)), P, U));
    return Agg;
  }
  case Intrinsic::uadd_sat:
  case Intrinsic::usub_sat:
  case Intrinsic::sadd_sat:
  case Intrinsic::ssub_sat: {
    Val A = arg(0), B = arg(1);
    unsigned W = bw(A.V);
    z3::expr R(C);
    z3::expr SMax = bvAPInt(APInt::getSignedMaxValue(W));
    switch (ID) {
    case Intrinsic::uadd_sat:
      R = z3::ite(z3::zext(A.V, 1) + z3::zext(B.V, 1) != z3::zext(A.V + B.V, 1),
                  allOnes(W), A.V + B.V);
      break;
    case Intrinsic::usub_sat:
      R = z3::ite(z3::ult(A.V, B.V), bvv(0, W), A.V - B.V);
      break;
    case Intrinsic::sadd_sat: {
      z3::expr Wide = z3::sext(A.V, 1) + z3::sext(B.V, 1);
      R = z3::ite(Wide > z3::sext(SMax, 1), SMax,
                  z3::ite(Wide < z3::sext(intMin(W), 1), intMin(W), A.V + B.V));
      break;
    }
    default: {
      z3::expr Wide = z3::sext(A.V, 1) - z3::sext(B.V, 1);
      R = z3::ite(Wide > z3::sext(SMax, 1), SMax,
                  z3::ite(Wide < z3::sext(intMin(W), 1), intMin(W), A.V - B.V));
      break;
    }
    }
    return Val(R, A.P || B.P, A.U || B.U);
  }
  case Intrinsic::memset: {
    if (cast<MemIntrinsic>(II).isVolatile())
      unsupported("volatile memory intrinsic");
    Val Dst = arg(0), V = arg(1);
    auto *Len = dyn_cast<ConstantInt>(II.getArgOperand(2));
    if (!Len || Len->getZExtValue() > MaxMemOpBytes) {
      Out.UsesMemory = true;
      z3::expr L = memLength(II.getArgOperand(2));
      attrAccessUB(II.getArgOperand(0), Dst, L != bvv(0, 64), true);
      checkRange(Dst, L, true);
      z3::expr Und = undefBytes(V);
      writeRange(Dst, L, [&](const z3::expr &) -> MemByte {
        return {V.V, V.P, f(), Und, noProv()};
      });
      return Val(C);
    }
    uint64_t N = Len->getZExtValue();
    if (N == 0)
      return Val(C);
    Out.UsesMemory = true;
    attrAccessUB(II.getArgOperand(0), Dst, t(), true);
    checkAccess(Dst, N, 1, "memset", true);
    z3::expr Und = undefBytes(V);
    for (uint64_t I = 0; I < N; ++I) {
      z3::expr A = Dst.V + bvv(I, 64);
      writeByte(Dst, A, {V.V, V.P, f(), Und, noProv()});
    }
    return Val(C);
  }
  case Intrinsic::memcpy:
  case Intrinsic::memmove: {
    if (cast<MemIntrinsic>(II).isVolatile())
      unsupported("volatile memory intrinsic");
    Val Dst = arg(0), Src = arg(1);
    auto *Len = dyn_cast<ConstantInt>(II.getArgOperand(2));
    if (!Len || Len->getZExtValue() > MaxMemOpBytes) {
      Out.UsesMemory = true;
      z3::expr L = memLength(II.getArgOperand(2));
      attrAccessUB(II.getArgOperand(0), Dst, L != bvv(0, 64), true);
      attrAccessUB(II.getArgOperand(1), Src, L != bvv(0, 64), false);
      checkRange(Dst, L, true);
      checkRange(Src, L, false);
      if (ID == Intrinsic::memcpy)
        addUB((z3::ult(Dst.V - Src.V, L) || z3::ult(Src.V - Dst.V, L)) &&
              Dst.V != Src.V);
      // Every byte is read before any is written (memmove's semantics,
      // and memcpy's wherever it is defined).
      writeRange(Dst, L, [&](const z3::expr &A) {
        return readByte(Src, Src.V + (A - Dst.V));
      });
      return Val(C);
    }
    uint64_t N = Len->getZExtValue();
    if (N == 0)
      return Val(C);
    Out.UsesMemory = true;
    attrAccessUB(II.getArgOperand(0), Dst, t(), true);
    attrAccessUB(II.getArgOperand(1), Src, t(), false);
    checkAccess(Dst, N, 1, "memcpy", true);
    checkAccess(Src, N, 1, "memcpy", false);
    if (ID == Intrinsic::memcpy) {
      // Overlapping memcpy is UB (exactly overlapping is allowed).
      z3::expr D = Dst.V - Src.V;
      z3::expr Overlap = (z3::ult(D, bvv(N, 64)) || z3::ult(Src.V - Dst.V, bvv(N, 64))) &&
                         Dst.V != Src.V;
      addUB(Overlap);
    }
    std::vector<MemByte> Bytes;
    for (uint64_t I = 0; I < N; ++I)
      Bytes.push_back(readByte(Src, Src.V + bvv(I, 64)));
    for (uint64_t I = 0; I < N; ++I)
      writeByte(Dst, Dst.V + bvv(I, 64), Bytes[I]);
    return Val(C);
  }
  case Intrinsic::lifetime_start:
  case Intrinsic::lifetime_end: {
    // Whether touching a dead object is UB or yields poison, the target is
    // treated as UB (less defined) and the source as not (more defined).
    // A restarted object is uninitialised again.
    Out.UsesMemory = true;
    Val Ptr = arg(II.arg_size() - 1);
    bool Start = ID == Intrinsic::lifetime_start;
    for (auto &[K, G] : blocksOf(Ptr)) {
      if (K == 0)
        continue;
      MemState &M = block(K);
      z3::expr Dead = Start ? f() : t();
      M.Dead = G.is_true() ? Dead : z3::ite(G, Dead, M.Dead);
      if (Start && AllocaEscapes[K - 1]) {
        undefBlock(M, G);
      } else if (Start && !IsSrc) {
        z3::expr P = z3::const_array(C.bv_sort(64), t());
        M.PM = G.is_true() ? P : z3::ite(G, P, M.PM);
      }
      // An escaped object: the same in caller memory, where its addresses
      // are valid only while it lives.
      if (!M.Esc.is_false()) {
        MemState &O = block(0);
        z3::expr A = lambdaAddr();
        z3::expr In = G && M.Esc && inAlloca(K, A);
        O.Valid = z3::lambda(A, Start ? z3::select(O.Valid, A) || In
                                      : z3::select(O.Valid, A) && !In);
        if (Start) {
          MemByte U = undefByte();
          overwrite(O, t(), In, [&](unsigned F) { return U[F]; });
        }
      }
    }
    return Val(C);
  }
  case Intrinsic::donothing:
  case Intrinsic::dbg_value:
  case Intrinsic::dbg_declare:
  case Intrinsic::dbg_label:
    return Val(C);
  default:
    unsupported("intrinsic " + II.getCalledFunction()->getName());
  }
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

/// Which stored bytes are undef: exactly-undef values in the source (more
/// defined), possibly-undef ones in the target (less defined).
z3::expr FunctionEncoder::undefBytes(const Val &V) {
  addApprox(V.U && !V.FU, "partially undef value stored");
  return IsSrc ? V.FU : V.U;
}

std::vector<std::pair<unsigned, z3::expr>>
FunctionEncoder::blocksOf(const Val &Ptr) {
  // Each alloca has its own memory block; caller memory is block 0. Valid
  // caller addresses never overlap an alloca, so provenance picks the block.
  z3::expr B = simp(Ptr.Bid);
  unsigned N = Cur->Locals.size();
  if (B.is_numeral()) {
    unsigned K = B.get_numeral_uint();
    if (K <= N)
      return {{K, t()}};
  }
  std::vector<std::pair<unsigned, z3::expr>> R;
  for (unsigned K = 0; K <= N; ++K)
    R.push_back({K, Ptr.Bid == bvv(K, 8)});
  return R;
}

MemByte FunctionEncoder::readByte(const Val &Ptr, const z3::expr &A) {
  auto Bs = blocksOf(Ptr);
  auto sel = [&](MemState &M) -> MemByte {
    return {z3::select(M.Mem, A), z3::select(M.PM, A), z3::select(M.UM, A),
            z3::select(M.DM, A), z3::select(M.Prv, A)};
  };
  auto get = [&](unsigned K) -> MemByte {
    MemByte R = sel(block(K));
    // An escaped object's bytes are in caller memory.
    if (K > 0 && !block(K).Esc.is_false()) {
      MemByte Out = sel(block(0));
      for (unsigned F = 0; F < kByteFields; ++F)
        R[F] = z3::ite(block(K).Esc, Out[F], R[F]);
    }
    return R;
  };
  MemByte R = get(Bs.back().first);
  for (int I = (int)Bs.size() - 2; I >= 0; --I) {
    MemByte X = get(Bs[I].first);
    for (unsigned F = 0; F < kByteFields; ++F)
      R[F] = z3::ite(Bs[I].second, X[F], R[F]);
  }
  return R;
}

void FunctionEncoder::writeByte(const Val &Ptr, const z3::expr &A,
                                const MemByte &B) {
  for (auto &[K, G] : escapeAware(blocksOf(Ptr))) {
    MemState &M = block(K);
    auto Fields = M.fields();
    for (unsigned F = 0; F < kByteFields; ++F) {
      // Defined bytes written where every byte is defined (the caller's
      // memory without undef inputs) leave it so: no store term to walk.
      if (In.DefinedInputs && (F == kByteUninit || F == kByteUndef) &&
          B[F].is_false() && isAllFalse(*Fields[F]))
        continue;
      z3::expr New = z3::store(*Fields[F], A, B[F]);
      *Fields[F] = G.is_true() ? New : z3::ite(G, New, *Fields[F]);
    }
  }
}

std::vector<std::pair<unsigned, z3::expr>> FunctionEncoder::escapeAware(
    std::vector<std::pair<unsigned, z3::expr>> Bs) {
  // Writes to an escaped object go to caller memory instead.
  std::vector<std::pair<unsigned, z3::expr>> R;
  for (auto &[K, G] : Bs) {
    z3::expr Esc = K > 0 ? block(K).Esc : f();
    if (Esc.is_false()) {
      R.push_back({K, G});
      continue;
    }
    R.push_back({0, simp(G && Esc)});
    if (!Esc.is_true())
      R.push_back({K, simp(G && !Esc)});
  }
  return R;
}

void FunctionEncoder::checkAccess(const Val &Ptr, uint64_t Bytes, uint64_t Align,
                                  const char *What, bool IsWrite) {
  // Dereferencing poison or an undef pointer is UB (the source may pick an
  // invalid address). An undef offset is only tracked approximately.
  // In the target every undef choice is a free variable already, so the
  // address check below covers it; in the source an argument's undef may
  // stand for one fixed value (see SMTVerifier), hence the approximation.
  addUB(Ptr.P || Ptr.FU);
  if (IsSrc)
    addApprox(Ptr.U && !Ptr.FU, "access through undef offset");
  if (Align > 1)
    addUB(misaligned(Ptr.V, Align));
  // Caller memory: every byte must be valid, and valid bytes never overlap
  // this function's allocas (they are fresh).
  std::vector<z3::expr> Bad;
  z3::expr Last = Ptr.V + bvv(Bytes - 1, 64);
  // Wraps around. Only caller memory needs saying so: an alloca's check
  // below implies it, and the sum's comparison costs the solver a
  // bit-blasted adder (a store and a load through an alloca: 30,329 units
  // with it, 1,564 without). A pointer known to be into caller memory
  // keeps the term it had.
  z3::expr Wraps = z3::ult(Last, Ptr.V);
  if (Ptr.Bid.is_numeral())
    Bad.push_back(Ptr.Bid.get_numeral_uint() ? f() : Wraps);
  else
    Bad.push_back(Ptr.Bid == bvv(0, 8) && Wraps);
  for (uint64_t I = 0; I < Bytes; ++I)
    Bad.push_back(callerByteBad(Ptr, Ptr.V + bvv(I, 64), IsWrite));
  // Alloca memory: within the object.
  for (unsigned K = 0; K < Out.Allocas.size(); ++K) {
    auto &[Base, Size] = Out.Allocas[K];
    // Ptr.V >= Base need not be said: every placement ends below 2^64
    // (Base + Size does not wrap), so an address below Base is more than
    // Size above it modulo 2^64. Ptr.V - Base is then the offset, which a
    // GEP's constant makes a constant.
    z3::expr Off = Ptr.V - Base;
    z3::expr InObj = z3::ule(Off + bvv(Bytes, 64), Size) && z3::ule(Off, Size);
    Bad.push_back(Ptr.Bid == bvv(K + 1, 8) && !InObj);
    if (!IsSrc) {
      z3::expr Dead = Cur->Locals[K].Dead;
      Bad.push_back(Ptr.Bid == bvv(K + 1, 8) && Dead);
      addApprox(Ptr.Bid == bvv(K + 1, 8) && Dead, "access to a dead alloca");
    }
  }
  addUB(orAll(C, Bad));
  // Caller memory: through a pointer whose provenance's object holds the
  // bytes (it is contiguous, so the first and the last decide).
  z3::expr Prv = prvOf(Ptr);
  addProvUB(Ptr.Bid == bvv(0, 8) &&
            (!inObject(Prv, Ptr.V) || !inObject(Prv, Last)));
  (void)What;
}

z3::expr FunctionEncoder::inObject(const z3::expr &Prv, const z3::expr &A) {
  if (Prv.is_app() && Prv.decl().decl_kind() == Z3_OP_ITE)
    return z3::ite(Prv.arg(0), inObject(Prv.arg(1), A),
                   inObject(Prv.arg(2), A));
  if (Prv.is_const() && !Prv.is_numeral()) {
    std::string N = Prv.decl().name().str();
    if (StringRef(N).starts_with(kGlobalProv)) {
      auto It = In.Globals.find(N.substr(strlen(kGlobalProv)));
      if (It != In.Globals.end())
        return inGlobal(A, It->second.first, It->second.second);
    }
  }
  return In.InObj(Prv, A);
}

void FunctionEncoder::attrAccessUB(const Value *P, const Val &Ptr,
                                   const z3::expr &Some, bool IsWrite) {
  // In the target the attributes are promises checked against the
  // source's (SMTVerifier); a UB they would add is left out, which only
  // asks more of the target.
  if (!IsSrc)
    return;
  MemoryEffects ME = F.getMemoryEffects();
  // Only where the pointer's static underlying object says which memory
  // it is: an argument's, or a writable global's (other memory). Reads of
  // a constant global, memory the function allocated, and memory reached
  // through pointers LLVM may follow further than getUnderlyingObject do
  // not count against memory(...) (FunctionAttrs leaves them out), so
  // nothing is assumed of them.
  const Value *U = getUnderlyingObject(P);
  ModRefInfo MR;
  if (auto *A = dyn_cast<Argument>(U)) {
    MR = ME.getModRef(IRMemLocation::ArgMem);
    if (A->hasAttribute(Attribute::ReadNone))
      MR = ModRefInfo::NoModRef;
    if (A->hasAttribute(Attribute::ReadOnly))
      MR &= ModRefInfo::Ref;
    if (A->hasAttribute(Attribute::WriteOnly))
      MR &= ModRefInfo::Mod;
  } else if (auto *GV = dyn_cast<GlobalVariable>(U); GV && !GV->isConstant()) {
    MR = ME.getModRef(IRMemLocation::Other);
  } else {
    return;
  }
  if (IsWrite ? isModSet(MR) : isRefSet(MR))
    return;
  // Caller memory: a pointer into no alloca (escaped allocas too are the
  // function's own).
  addUB(Some && Ptr.Bid == bvv(0, 8));
}

z3::expr FunctionEncoder::callerByteBad(const Val &Ptr, const z3::expr &A,
                                        bool IsWrite) {
  std::vector<z3::expr> Bad, InGlobal;
  for (auto &[Name, G] : In.Globals) {
    z3::expr InG = inGlobal(A, G.first, G.second);
    InGlobal.push_back(InG);
    if (IsWrite && In.ConstGlobals.count(Name))
      Bad.push_back(Ptr.Bid == bvv(0, 8) && InG);
  }
  z3::expr NotGlobal = !orAll(C, InGlobal);
  Bad.push_back(Ptr.Bid == bvv(0, 8) && !z3::select(Cur->M.Valid, A) &&
                NotGlobal);
  // Memory valid at entry may be read-only: a store where the source only
  // loads is not a refinement. Memory a call makes valid is writable.
  if (IsWrite)
    Bad.push_back(Ptr.Bid == bvv(0, 8) && z3::select(In.Valid, A) &&
                  !z3::select(In.Writable, A) && NotGlobal);
  return orAll(C, Bad);
}

z3::expr FunctionEncoder::memLength(const Value *Len) {
  // The length must be well defined (as Alive2 has it).
  Val L = get(Len);
  addUB(L.P || undefIsUB(L, "memory intrinsic of partially undef length"));
  return bw(L.V) < 64 ? z3::zext(L.V, 64 - bw(L.V)) : L.V;
}

void FunctionEncoder::checkDereferenceable(const Val &Ptr, uint64_t Deref,
                                           uint64_t OrNull) {
  if (Deref)
    checkRange(Ptr, bvv(Deref, 64), false);
  else if (OrNull)
    checkRange(Ptr, z3::ite(isZero(Ptr.V), bvv(0, 64), bvv(OrNull, 64)), false);
}

void FunctionEncoder::checkRange(const Val &Ptr, const z3::expr &Len,
                                 bool IsWrite) {
  // As checkAccess, for every byte of a range of symbolic length: nothing
  // is accessed when Len is 0. Caller memory is checked at one index into
  // the range, a choice: the target's picks a byte that may not be
  // accessed if there is one; the source's is quantified (every byte).
  z3::expr Some = Len != bvv(0, 64);
  addUB(Some && (Ptr.P || Ptr.FU));
  if (IsSrc)
    addApprox(Some && Ptr.U && !Ptr.FU, "access through undef offset");
  std::vector<z3::expr> Bad;
  Bad.push_back(Some && z3::ult(Ptr.V + (Len - bvv(1, 64)), Ptr.V)); // wraps
  z3::expr I = choice(C.bv_sort(64), "range_index");
  Out.IndexChoices.push_back(I);
  Bad.push_back(z3::ult(I, Len) && callerByteBad(Ptr, Ptr.V + I, IsWrite));
  // Within the provenance's object, at the same index (the first and the
  // last byte would do, but the last one's address holds Len, which the
  // two functions may compute differently).
  addProvUB(z3::ult(I, Len) && Ptr.Bid == bvv(0, 8) &&
            !inObject(prvOf(Ptr), Ptr.V + I));
  for (unsigned K = 0; K < Out.Allocas.size(); ++K) {
    auto &[Base, Size] = Out.Allocas[K];
    z3::expr Off = Ptr.V - Base;
    z3::expr InObj = z3::uge(Ptr.V, Base) && z3::ule(Off, Size) &&
                     z3::ule(Len, Size - Off);
    z3::expr Here = Some && Ptr.Bid == bvv(K + 1, 8);
    Bad.push_back(Here && !InObj);
    if (!IsSrc) {
      z3::expr Dead = Cur->Locals[K].Dead;
      Bad.push_back(Here && Dead);
      addApprox(Here && Dead, "access to a dead alloca");
    }
  }
  addUB(orAll(C, Bad));
}

void FunctionEncoder::writeRange(
    const Val &Ptr, const z3::expr &Len,
    const std::function<MemByte(const z3::expr &)> &Bytes) {
  // One array update for the whole range: at address a, the new byte when
  // a - Ptr < Len, else the old one. Bytes reads the memory as it was.
  z3::expr A = lambdaAddr();
  z3::expr InRange = z3::ult(A - Ptr.V, Len);
  MemByte B = Bytes(A);
  for (auto &[K, G] : escapeAware(blocksOf(Ptr)))
    overwrite(block(K), G, InRange, [&](unsigned F) { return B[F]; });
}

void FunctionEncoder::undefBlock(MemState &M, const z3::expr &G) {
  MemByte B = undefByte();
  auto Fields = M.fields();
  for (unsigned F = 0; F < kByteFields; ++F) {
    z3::expr Fresh = z3::const_array(C.bv_sort(64), B[F]);
    *Fields[F] = G.is_true() ? Fresh : z3::ite(G, Fresh, *Fields[F]);
  }
}

void FunctionEncoder::overwrite(MemState &M, const z3::expr &G,
                                const z3::expr &In,
                                function_ref<z3::expr(unsigned)> Byte) {
  // Byte is called inside the loop, where the terms are made: the order
  // they are made in gives them their AST ids, which the solver's choices
  // follow.
  z3::expr A = lambdaAddr();
  auto Fields = M.fields();
  for (unsigned F = 0; F < kByteFields; ++F) {
    z3::expr New =
        z3::lambda(A, z3::ite(In, Byte(F), z3::select(*Fields[F], A)));
    *Fields[F] = G.is_true() ? New : z3::ite(G, New, *Fields[F]);
  }
}

z3::expr FunctionEncoder::inAlloca(unsigned K, const z3::expr &A) {
  auto &[Base, Size] = Out.Allocas[K - 1];
  return z3::ult(A - Base, Size);
}

void FunctionEncoder::escape(const Val &Ptr, const CallInst &CI) {
  for (auto &[K, G] : blocksOf(Ptr)) {
    if (K == 0)
      continue;
    if (!AllocaEscapes[K - 1])
      unsupported(allocaArgReason(CI));
    MemState &L = block(K), &M = block(0);
    // The first time on a path: the object's bytes move to caller memory
    // as they are, and its addresses become valid there while it lives.
    // Valid caller memory never overlaps an alloca, so nothing is lost.
    z3::expr Move = simp(G && !L.Esc);
    if (!Move.is_false()) {
      z3::expr A = lambdaAddr();
      z3::expr In = Move && inAlloca(K, A);
      auto From = L.fields();
      overwrite(M, t(), In,
                [&](unsigned F) { return z3::select(*From[F], A); });
      M.Valid = z3::lambda(A, z3::select(M.Valid, A) || (In && !L.Dead));
    }
    L.Esc = simp(L.Esc || G);
  }
}

Val FunctionEncoder::load(const Val &Ptr, Type *T, uint64_t Align) {
  if (std::string Why = memTypeReason(T, true); !Why.empty())
    unsupported(Why);
  bool IsPtr = T->isPointerTy();
  Out.UsesMemory = true;
  uint64_t N = memBytes(T);
  checkAccess(Ptr, N, Align, "load", false);
  z3::expr V(C), Prv(C);
  std::vector<z3::expr> Poison, Uninit, Undef;
  for (uint64_t I = 0; I < N; ++I) {
    z3::expr A = Ptr.V + bvv(I, 64);
    MemByte RB = readByte(Ptr, A);
    // A pointer has its first byte's provenance. (A pointer whose bytes
    // come from different pointers is not modelled apart.)
    if (I == 0)
      Prv = RB[kByteProv];
    z3::expr Byte = RB[kByteBits];
    z3::expr Und = RB[kByteUndef];
    // An undef byte reads as a fresh value each time: free in the target,
    // universally quantified in the source.
    if (!simp(Und).is_false()) {
      z3::expr Any = choice(C.bv_sort(8), "undef_byte");
      Out.UndefByteVars.push_back({Any, Byte});
      Byte = z3::ite(Und, Any, Byte);
    }
    V = I == 0 ? Byte : z3::concat(Byte, V); // little endian
    Poison.push_back(RB[kBytePoison]);
    Uninit.push_back(RB[kByteUninit]);
    Undef.push_back(Und);
  }
  addApprox(orAll(C, Uninit), "read of uninitialised memory");
  z3::expr AnyUndef = orAll(C, Undef);
  Val R(V, orAll(C, Poison), AnyUndef);
  z3::expr_vector AllU(C);
  for (auto &E : Undef)
    AllU.push_back(E);
  R.FU = z3::mk_and(AllU);
  R.UExact = true;
  // Only caller pointers are ever stored (see store), so a loaded pointer
  // points to caller memory.
  if (IsPtr) {
    R.Bid = bvv(0, 8);
    R.Prv = Prv;
  }
  return R;
}

void FunctionEncoder::store(const Val &Ptr, const Val &V, Type *T,
                            uint64_t Align) {
  if (std::string Why = memTypeReason(T, false); !Why.empty())
    unsupported(Why);
  bool IsPtr = T->isPointerTy();
  if (IsPtr && V.Local)
    unsupported("storing an alloca pointer");
  Out.UsesMemory = true;
  uint64_t N = memBytes(T);
  checkAccess(Ptr, N, Align, "store", true);
  z3::expr Und = undefBytes(V);
  for (uint64_t I = 0; I < N; ++I) {
    z3::expr A = Ptr.V + bvv(I, 64);
    writeByte(Ptr, A,
              {V.V.extract(8 * I + 7, 8 * I), V.P, f(), Und,
               IsPtr ? prvOf(V) : noProv()});
  }
}

Val FunctionEncoder::gep(const GEPOperator &G) {
  Val Base = get(G.getPointerOperand());
  if (G.getType()->isVectorTy())
    unsupported("vector GEP");
  z3::expr Off = bvv(0, 64);
  // Exact offsets for the no-wrap flags, 128 bits: the signed sum, and the
  // unsigned one (each index sign-extended to 64 bits first, as LangRef
  // has it, then read as unsigned). nusw constrains every product
  // (SProds) and every partial sum (SSums); nuw's unsigned terms only
  // grow, so the final sum stands for every step.
  z3::expr SOff = bvv(0, 128), UOff = bvv(0, 128);
  std::vector<z3::expr> SProds, SSums;
  z3::expr P = Base.P, U = Base.U;
  // inbounds: the address after each index must stay in bounds, and the
  // rules apply only if some index is not zero.
  std::vector<z3::expr> Steps;
  std::vector<z3::expr> NonZero;
  for (gep_type_iterator GTI = gep_type_begin(G), E = gep_type_end(G);
       GTI != E; ++GTI) {
    const Value *Idx = GTI.getOperand();
    if (StructType *ST = GTI.getStructTypeOrNull()) {
      unsigned FieldNo = cast<ConstantInt>(Idx)->getZExtValue();
      uint64_t FO = DL.getStructLayout(ST)->getElementOffset(FieldNo);
      Off = Off + bvv(FO, 64);
      SOff = SOff + bvv(FO, 128);
      UOff = UOff + bvv(FO, 128);
      SSums.push_back(SOff);
      if (FieldNo) {
        NonZero.push_back(t());
        Steps.push_back(SOff);
      }
      continue;
    }
    TypeSize TS = GTI.getSequentialElementStride(DL);
    if (TS.isScalable())
      unsupported("scalable GEP");
    Val I = get(Idx);
    unsigned W = bw(I.V);
    if (W > 64)
      unsupported("GEP index wider than 64 bits");
    z3::expr I64 = W < 64 ? z3::sext(I.V, 64 - W) : I.V;
    uint64_t Scale = TS.getFixedValue();
    Off = Off + I64 * bvv(Scale, 64);
    z3::expr Prod = z3::sext(I.V, 128 - W) * bvv(Scale, 128);
    SOff = SOff + Prod;
    SProds.push_back(Prod);
    SSums.push_back(SOff);
    UOff = UOff + z3::zext(I64, 64) * bvv(Scale, 128);
    P = P || I.P;
    U = U || I.U;
    if (!simp(I.V == bvv(0, W)).is_true()) {
      NonZero.push_back(I.V != bvv(0, W));
      Steps.push_back(SOff);
    }
  }
  Val R(Base.V + Off, P, U);
  R.Bid = Base.Bid;
  R.Prv = Base.Prv;
  R.FU = Base.FU;
  R.Local = Base.Local;
  R.Root = rootOf(Base);
  GEPNoWrapFlags NW = G.getNoWrapFlags();
  z3::expr Base128 = z3::zext(Base.V, 64);
  z3::expr Top = bvAPInt(APInt::getOneBitSet(128, 64)); // 2^64
  if (NW.hasNoUnsignedSignedWrap()) {
    // Every product and partial offset fits in 64 bits signed, and the
    // base plus each partial offset does not wrap.
    auto fits = [](const z3::expr &X) {
      return z3::sext(X.extract(63, 0), 64) == X;
    };
    for (const z3::expr &X : SProds)
      R.P = R.P || !fits(X);
    for (const z3::expr &X : SSums) {
      z3::expr Sum = Base128 + X;
      R.P = R.P || !fits(X) || Sum < bvv(0, 128) || z3::uge(Sum, Top);
    }
  }
  if (NW.hasNoUnsignedWrap())
    R.P = R.P || z3::uge(UOff, Top) || z3::uge(Base128 + UOff, Top);
  if (NW.isInBounds() && !NonZero.empty()) {
    z3::expr AnyNonZero = orAll(C, NonZero);
    z3::expr B = simp(Base.Bid);
    if (B.is_numeral() && B.get_numeral_uint() > 0 &&
        B.get_numeral_uint() <= Out.Allocas.size()) {
      // Alloca: the object's extent is known, so the rule is exact (the
      // one-past-the-end address is in bounds).
      auto &[OB, OS] = Out.Allocas[B.get_numeral_uint() - 1];
      z3::expr Lo = z3::zext(OB, 64), Hi = z3::zext(OB, 64) + z3::zext(OS, 64);
      std::vector<z3::expr> Outside{z3::ult(Base128, Lo), z3::ugt(Base128, Hi)};
      for (const z3::expr &S : Steps) {
        z3::expr Res = Base128 + S;
        Outside.push_back(z3::ult(Res, Lo) || z3::ugt(Res, Hi));
      }
      R.P = R.P || (AnyNonZero && orAll(C, Outside));
    } else if (B.is_numeral()) {
      // Caller memory: whether an address is in bounds of the object the
      // chain's first pointer is based on is the shared unknown function
      // In.InBounds (the base inherits that pointer's object, so the
      // first pointer stands for it). A proof holds whatever the objects
      // are. A counterexample in which every such GEP stays in bounds holds
      // with one object around all of memory; one in which a GEP leaves
      // its object may rest on extents no real memory has, so it is not
      // final.
      z3::expr Root = R.Root;
      std::vector<z3::expr> Outside{!In.InBounds(Root, Base.V)};
      for (const z3::expr &S : Steps)
        Outside.push_back(!In.InBounds(Root, Base.V + S.extract(63, 0)));
      z3::expr Leaves = AnyNonZero && orAll(C, Outside);
      R.P = R.P || Leaves;
      addApprox(Leaves, "getelementptr inbounds on caller memory");
    } else {
      // Caller memory or an alloca, depending on the path. Source: ignore
      // (more defined). Target: poison unless the offset is zero (less
      // defined). Either way, approximate.
      if (!IsSrc)
        R.P = R.P || Off != bvv(0, 64);
      addApprox(Off != bvv(0, 64), "getelementptr inbounds on caller memory");
    }
  }
  return R;
}

//===----------------------------------------------------------------------===//
// Instructions and control flow
//===----------------------------------------------------------------------===//

void FunctionEncoder::encodeInst(const Instruction &I) {
  if (++Encoded > MaxEncodedInsts)
    unsupported("function too large to encode");
  if (std::string Why = unsupportedReason(I); !Why.empty())
    unsupported(Why);
  encodeOp(I);
  resultMetadata(I);
}

void FunctionEncoder::resultMetadata(const Instruction &I) {
  if (!I.hasMetadataOtherThanDebugLoc() ||
      !(I.getType()->isIntegerTy() || I.getType()->isPointerTy()))
    return;
  MDNode *Range = I.getMetadata(LLVMContext::MD_range);
  MDNode *Align = I.getMetadata(LLVMContext::MD_align);
  bool NonNull = I.hasMetadata(LLVMContext::MD_nonnull);
  bool NoUndef = I.hasMetadata(LLVMContext::MD_noundef);
  if (!Range && !Align && !NonNull && !NoUndef)
    return;
  Val V = get(&I);
  std::vector<z3::expr> Bad;
  if (Range) {
    // A union of [Lo, Hi) pairs: poison outside all of them.
    std::vector<z3::expr> In;
    for (unsigned K = 0; K + 1 < Range->getNumOperands(); K += 2)
      In.push_back(inRange(
          V.V, ConstantRange(
                   mdconst::extract<ConstantInt>(Range->getOperand(K))->getValue(),
                   mdconst::extract<ConstantInt>(Range->getOperand(K + 1))
                       ->getValue())));
    Bad.push_back(!orAll(C, In));
  }
  if (NonNull)
    Bad.push_back(isZero(V.V));
  if (Align) {
    uint64_t A =
        mdconst::extract<ConstantInt>(Align->getOperand(0))->getZExtValue();
    if (A > 1)
      Bad.push_back(misaligned(V.V, A));
  }
  V.P = V.P || orAll(C, Bad);
  if (NoUndef)
    addUB(V.P || undefIsUB(V, "noundef load of partially undef value"));
  setVal(&I, V);
}

void FunctionEncoder::encodeOp(const Instruction &I) {
  if (auto *BO = dyn_cast<BinaryOperator>(&I)) {
    Val A = get(BO->getOperand(0)), B = get(BO->getOperand(1));
    setVal(&I, binop(*BO, A, B));
    return;
  }
  if (auto *UO = dyn_cast<UnaryOperator>(&I)) {
    Val A = get(UO->getOperand(0));
    // fneg flips the sign bit and nothing else, of a NaN too.
    unsigned W = bw(A.V);
    z3::expr Neg = A.V ^ bvAPInt(APInt::getSignMask(W));
    setVal(&I, Val(Neg, A.P, A.U));
    return;
  }
  if (auto *IC = dyn_cast<ICmpInst>(&I)) {
    setVal(&I, icmp(*IC, get(IC->getOperand(0)), get(IC->getOperand(1))));
    return;
  }
  if (auto *FC = dyn_cast<FCmpInst>(&I)) {
    setVal(&I, fcmp(*FC, get(FC->getOperand(0)), get(FC->getOperand(1))));
    return;
  }
  if (auto *SI = dyn_cast<SelectInst>(&I)) {
    Val Cnd = get(SI->getCondition());
    Val A = get(SI->getTrueValue()), B = get(SI->getFalseValue());
    z3::expr Cb = Cnd.V == bvv(1, 1);
    Val R(z3::ite(Cb, A.V, B.V), Cnd.P || z3::ite(Cb, A.P, B.P),
          Cnd.U || z3::ite(Cb, A.U, B.U));
    if ((bool)A.Bid)
      R.Bid = z3::ite(Cb, A.Bid, B.Bid);
    if ((bool)A.Prv || (bool)B.Prv)
      R.Prv = z3::ite(Cb, prvOf(A), prvOf(B));
    if ((bool)A.Root || (bool)B.Root)
      R.Root = z3::ite(Cb, rootOf(A), rootOf(B));
    R.FU = z3::ite(Cb, A.FU, B.FU);
    R.Local = A.Local || B.Local;
    setVal(&I, R);
    return;
  }
  if (auto *CI = dyn_cast<CastInst>(&I)) {
    setVal(&I, castOp(*CI, get(CI->getOperand(0))));
    return;
  }
  if (auto *FI = dyn_cast<FreezeInst>(&I)) {
    Val A = get(FI->getOperand(0));
    // A poison or undef operand becomes one arbitrary, fixed value.
    z3::expr Any = choice(A.V.get_sort(), "freeze");
    setVal(&I, Val(z3::ite(A.P, Any, A.V), f(), f()));
    return;
  }
  if (auto *EV = dyn_cast<ExtractValueInst>(&I)) {
    Val A = get(EV->getAggregateOperand());
    if (A.Elems.empty())
      unsupported("extractvalue");
    setVal(&I, A.Elems[EV->getIndices()[0]]);
    return;
  }
  if (auto *II = dyn_cast<IntrinsicInst>(&I)) {
    Val R = intrinsic(*II);
    if (I.getType()->isVoidTy())
      return;
    setVal(&I, underCallAttrs(R, II->getAttributes().getRetAttrs(),
                              "noundef result of partially undef value"));
    return;
  }
  if (auto *CI = dyn_cast<CallInst>(&I)) {
    encodeCall(*CI);
    return;
  }
  if (auto *CB = dyn_cast<CallBase>(&I))
    unsupported(unmodelledCallReason(*CB));
  if (auto *AI = dyn_cast<AllocaInst>(&I)) {
    if (Out.Allocas.size() >= 200)
      unsupported("too many allocas");
    Out.UsesMemory = true;
    uint64_t N = AI->getAllocationSize(DL)->getFixedValue();
    uint64_t Align = AI->getAlign().value();
    // Placement is the implementation's choice. The address is observable
    // only through the calls an alloca is passed to (comparisons and casts
    // of alloca pointers are unsupported): other placements are as good as
    // any, and the source's placement of an alloca passed to a call is a
    // choice, instantiated with the target's (SMTVerifier), whose domain
    // is in ChoiceDom.
    auto CallUse = CallUses.find(AI);
    bool Escapes = CallUse != CallUses.end();
    bool Chosen = IsSrc && Escapes;
    z3::expr Base = Chosen ? choice(C.bv_sort(64), "alloca")
                           : fresh(C.bv_sort(64), "alloca");
    z3::expr Size = bvv(N, 64);
    auto place = [&](bool OwnChoice, const z3::expr &E) {
      (OwnChoice ? Out.ChoiceDom : Out.Pre).push_back(E);
    };
    place(Chosen, Base != bvv(0, 64));
    place(Chosen, z3::urem(Base, bvv(Align, 64)) == bvv(0, 64));
    place(Chosen, z3::ule(Base, bvv(0, 64) - Size - bvv(1, 64)));
    for (unsigned J = 0; J < Out.Allocas.size(); ++J) {
      auto &[OB, OS] = Out.Allocas[J];
      place(Chosen && AllocaEscapes[J],
            z3::uge(OB, Base + Size) || z3::uge(Base, OB + OS));
    }
    Out.Allocas.push_back({Base, Size});
    AllocaEscapes.push_back(Escapes);
    unsigned K = Out.Allocas.size();
    // A fresh block: uninitialised. The source reads one fixed choice of its
    // bytes, the target reads poison; both are marked approximate on read.
    MemState M(C);
    M.Mem = fresh(C.array_sort(C.bv_sort(64), C.bv_sort(8)), "uninit");
    M.PM = z3::const_array(C.bv_sort(64), IsSrc ? f() : t());
    M.UM = z3::const_array(C.bv_sort(64), t());
    M.DM = z3::const_array(C.bv_sort(64), f());
    M.Prv = z3::const_array(C.bv_sort(64), noProv());
    // An object passed to a call starts as undef bytes, as LLVM has it
    // (llvm/llvm-project#97702), in the same terms in both functions: their
    // callees then see the same memory.
    if (Escapes) {
      undefBlock(M, t());
      EscapingAllocas.push_back({CallUse->second, unsigned(Out.Allocas.size())});
    }
    if (!IsSrc)
      for (const User *U : AI->users())
        if (auto *LI = dyn_cast<IntrinsicInst>(U))
          if (LI->getIntrinsicID() == Intrinsic::lifetime_start)
            M.Dead = t();
    Cur->Locals.push_back(M);
    Val R(Base, f(), f());
    R.Bid = bvv(K, 8);
    R.FU = f();
    R.Local = true;
    // One unknown id per address, the same in both functions: the escaping
    // allocas' addresses are paired (SMTVerifier), and so are their ids.
    R.Prv =
        C.function("prov.alloca", C.bv_sort(64), C.bv_sort(kProvBits))(Base);
    setVal(&I, R);
    return;
  }
  if (isa<LoadInst, StoreInst, AtomicRMWInst, AtomicCmpXchgInst, FenceInst>(
          I) &&
      I.isAtomic()) {
    encodeAtomic(I);
    return;
  }
  if (isa<LoadInst, StoreInst>(I) && !I.isAtomic() && I.isVolatile()) {
    encodeVolatile(I);
    return;
  }
  if (auto *LI = dyn_cast<LoadInst>(&I)) {
    Val Ptr = get(LI->getPointerOperand());
    attrAccessUB(LI->getPointerOperand(), Ptr, t(), false);
    setVal(&I, load(Ptr, LI->getType(), LI->getAlign().value()));
    return;
  }
  if (auto *SI = dyn_cast<StoreInst>(&I)) {
    // Nothing reads the global: the store has no effect to model.
    if (storesToWriteOnlyGlobal(*SI))
      return;
    Val Ptr = get(SI->getPointerOperand());
    attrAccessUB(SI->getPointerOperand(), Ptr, t(), true);
    Val V = get(SI->getValueOperand());
    store(Ptr, V, SI->getValueOperand()->getType(), SI->getAlign().value());
    return;
  }
  if (auto *G = dyn_cast<GetElementPtrInst>(&I)) {
    setVal(&I, gep(*cast<GEPOperator>(G)));
    return;
  }
  unsupported(describe(I));
}

void FunctionEncoder::encodeBlock(
    const BasicBlock *BB, unsigned K,
    std::map<std::pair<const BasicBlock *, unsigned>, std::vector<Incoming>> &Work,
    const DenseSet<std::pair<const BasicBlock *, const BasicBlock *>> &Back) {
  auto It = Work.find({BB, K});
  State S(C);
  if (BB == &F.getEntryBlock() && K == 0) {
    S.Reach = t();
    S.M = entryMemory();
  } else {
    if (It == Work.end())
      return;
    std::vector<Incoming> &Ins = It->second;
    std::vector<z3::expr> Guards;
    for (auto &In2 : Ins)
      Guards.push_back(In2.Guard);
    S.Reach = In.CheapCalls ? orAll(C, Guards) : simp(orAll(C, Guards));
    // Environment: values defined on every incoming path.
    for (auto &[Key, V0] : Ins.front().S->E) {
      std::vector<std::pair<z3::expr, Val>> Vs;
      bool All = true;
      for (auto &In2 : Ins) {
        auto F2 = In2.S->E.find(Key);
        if (F2 == In2.S->E.end()) {
          All = false;
          break;
        }
        Vs.push_back({In2.Guard, F2->second});
      }
      if (All)
        S.E.insert({Key, mergeVals(Vs)});
    }
    std::vector<std::pair<z3::expr, MemState>> Ms;
    for (auto &In2 : Ins)
      Ms.push_back({In2.Guard, In2.S->M});
    S.M = mergeMem(Ms);
    for (size_t L = 0; L < Ins.front().S->Locals.size(); ++L) {
      std::vector<std::pair<z3::expr, MemState>> Ls;
      for (auto &In2 : Ins)
        Ls.push_back({In2.Guard, In2.S->Locals[L]});
      S.Locals.push_back(mergeMem(Ls));
    }
    // Phis read their operand at the end of the incoming block.
    std::vector<std::pair<const PHINode *, Val>> PhiVals;
    for (const PHINode &Phi : BB->phis()) {
      std::vector<std::pair<z3::expr, Val>> Vs;
      for (auto &In2 : Ins) {
        State *Saved = Cur;
        Cur = In2.S.get();
        Val V = get(Phi.getIncomingValueForBlock(In2.From));
        Cur = Saved;
        Vs.push_back({In2.Guard, V});
      }
      PhiVals.push_back({&Phi, mergeVals(Vs)});
    }
    for (auto &[Phi, V] : PhiVals)
      S.E.insert_or_assign(Phi, V);
    Work.erase(It);
  }
  Cur = &S;
  for (const Instruction &I : *BB) {
    if (isa<PHINode>(I))
      continue;
    if (I.isTerminator())
      break;
    encodeInst(I);
  }
  const Instruction *Term = BB->getTerminator();
  auto edge = [&](const BasicBlock *To, const z3::expr &Cond) {
    z3::expr G = guardedBy(S.Reach, Cond);
    if (G.is_false())
      return;
    if (Back.count({BB, To})) {
      Out.HasLoops = true;
      if (K + 1 > Bound) {
        Cuts.push_back(G);
        return;
      }
      Work[{To, K + 1}].push_back({BB, G, std::make_shared<State>(S)});
    } else {
      Work[{To, K}].push_back({BB, G, std::make_shared<State>(S)});
    }
  };
  auto branchUB = [&](const Val &Cnd) {
    // Branching on undef is UB. FU under- and U over-approximates it.
    addUB(Cnd.P || undefIsUB(Cnd, "branch on partially undef value"));
  };
  if (auto *Ret = dyn_cast<ReturnInst>(Term)) {
    if (Ret->getReturnValue()) {
      Val V = get(Ret->getReturnValue());
      if (V.Local)
        unsupported("returning an alloca pointer");
      if (!V.Elems.empty())
        unsupported("aggregate return");
      // Values the return attributes exclude are poison (then UB if noundef).
      V.P = V.P || !attrsHold(F.getAttributes().getRetAttrs(), V.V);
      if (F.getAttributes().hasRetAttr(Attribute::NoUndef)) {
        addUB(V.P || undefIsUB(V, "noundef return of partially undef value"));
      }
      AttributeSet RA = F.getAttributes().getRetAttrs();
      checkDereferenceable(V, RA.getDereferenceableBytes(),
                           RA.getDereferenceableOrNullBytes());
      Rets.push_back({S.Reach, V});
    }
    RetMems.push_back({S.Reach, S.M});
  } else if (auto *Br = dyn_cast<BranchInst>(Term)) {
    if (Br->isUnconditional()) {
      edge(Br->getSuccessor(0), t());
    } else {
      Val Cnd = get(Br->getCondition());
      branchUB(Cnd);
      z3::expr B = Cnd.V == bvv(1, 1);
      if (Br->getSuccessor(0) == Br->getSuccessor(1)) {
        edge(Br->getSuccessor(0), t());
      } else {
        edge(Br->getSuccessor(0), B);
        edge(Br->getSuccessor(1), !B);
      }
    }
  } else if (auto *Sw = dyn_cast<SwitchInst>(Term)) {
    Val Cnd = get(Sw->getCondition());
    branchUB(Cnd);
    // One edge per distinct successor; conditions are disjoint per case.
    std::vector<std::pair<const BasicBlock *, std::vector<z3::expr>>> Succs;
    auto add = [&](const BasicBlock *To, z3::expr E) {
      for (auto &P : Succs)
        if (P.first == To) {
          P.second.push_back(E);
          return;
        }
      Succs.push_back({To, {E}});
    };
    std::vector<z3::expr> AnyCase;
    for (auto &Case : Sw->cases()) {
      z3::expr E = Cnd.V == bvAPInt(Case.getCaseValue()->getValue());
      AnyCase.push_back(E);
      add(Case.getCaseSuccessor(), E);
    }
    add(Sw->getDefaultDest(), !orAll(C, AnyCase));
    for (auto &P : Succs)
      edge(P.first, orAll(C, P.second));
  } else if (isa<UnreachableInst>(Term)) {
    addUB(t());
  } else {
    unsupported(unsupportedReason(*Term));
  }
  Cur = nullptr;
}

z3::expr inRange(const z3::expr &X, const ConstantRange &CR) {
  z3::context &C = X.ctx();
  if (CR.isFullSet())
    return C.bool_val(true);
  if (CR.isEmptySet())
    return C.bool_val(false);
  // [Lo, Hi) modulo 2^w, which also covers wrapped ranges.
  return z3::ult(X - bvAPInt(C, CR.getLower()),
                 bvAPInt(C, CR.getUpper() - CR.getLower()));
}

z3::expr FunctionEncoder::attrsHold(const AttributeSet &AS, const z3::expr &V) {
  if (!V.get_sort().is_bv())
    return t();
  std::vector<z3::expr> Bad;
  if (AS.hasAttribute(Attribute::NonNull))
    Bad.push_back(isZero(V));
  if (MaybeAlign Al = AS.getAlignment(); Al && Al->value() > 1)
    Bad.push_back(misaligned(V, Al->value()));
  if (Attribute RA = AS.getAttribute(Attribute::Range); RA.isValid())
    Bad.push_back(!inRange(V, RA.getRange()));
  return !orAll(C, Bad);
}

std::string callKey(const CallBase &CB) {
  if (const Function *Callee = CB.getCalledFunction())
    return Callee->getName().str();
  return "indirect " + describeType(CB.getFunctionType());
}

/// The reason a call that is passed an alloca pointer is unsupported.
static std::string allocaArgReason(const CallBase &CB) {
  if (const Function *Callee = CB.getCalledFunction())
    return ("alloca pointer passed to @" + Callee->getName()).str();
  return "alloca pointer passed to an indirect call";
}

void registerCalls(SharedInputs &In, const Function &F) {
  for (const Instruction &I : instructions(F)) {
    const auto *CI = dyn_cast<CallInst>(&I);
    if (!CI || isa<IntrinsicInst>(CI) || CI->isInlineAsm() ||
        In.CallsSeen.count(CI))
      continue;
    In.CallsSeen.insert(CI);
    SharedInputs::CallEffects &E = In.Calls[callKey(*CI)];
    E.Reads |= !CI->doesNotAccessMemory();
    E.Writes |= !CI->onlyReadsMemory();
    E.Returns &= CI->hasFnAttr(Attribute::WillReturn) && CI->doesNotThrow();
    E.NoReturn &= CI->doesNotReturn();
  }
}

std::string unmodelledCallReason(const CallBase &CB) {
  if (CB.isInlineAsm())
    return "inline assembly";
  // An indirect call is a call of one unknown function per function type,
  // which takes the called pointer as an argument.
  const Function *Callee = CB.getCalledFunction();
  std::string What =
      Callee ? ("call @" + Callee->getName()).str() : "indirect call";
  if (!isa<CallInst>(CB))
    return What + " (not a plain call)";
  if (CB.hasOperandBundles())
    return What + " with operand bundles";
  if (Callee && CB.getFunctionType() != Callee->getFunctionType())
    return What + " through a different type";
  if (Callee && Callee->getName().empty())
    return What + " to an unnamed function";
  // Integers, pointers and the floating-point types the encoder models (as
  // their bits, so the callee tells NaN payloads apart).
  auto Plain = [](Type *T) {
    return T->isIntegerTy() ||
           (T->isPointerTy() && T->getPointerAddressSpace() == 0) ||
           isModelledFP(T);
  };
  if (!CB.getType()->isVoidTy() && !Plain(CB.getType()))
    return What + " returning " + describeType(CB.getType());
  // Fast-math flags make some results poison, which is not modelled.
  if (isa<FPMathOperator>(CB) && CB.getFastMathFlags().any())
    return What + " with fast-math flags";
  if (CB.getAttributes().hasRetAttr(Attribute::NoFPClass) ||
      (Callee && Callee->getAttributes().hasRetAttr(Attribute::NoFPClass)))
    return What + " with nofpclass";
  for (unsigned N = 0; N < CB.arg_size(); ++N) {
    if (!Plain(CB.getArgOperand(N)->getType()))
      return What + " with an argument of type " +
             describeType(CB.getArgOperand(N)->getType());
    if (CB.paramHasAttr(N, Attribute::NoFPClass))
      return What + " with nofpclass";
    // byval and sret pointers are plain pointers to the unknown callee
    // (which covers the real one's behaviour); a byval argument's bytes
    // are read at the call (see encodeCall).
    if (CB.paramHasAttr(N, Attribute::InAlloca) ||
        CB.paramHasAttr(N, Attribute::Preallocated))
      return What + " with an inalloca or preallocated argument";
  }
  return "";
}

/// Whether the encoder may mark V as a pointer into an alloca (Val::Local):
/// an alloca, or a GEP, select or phi over one. Exact but for phi inputs
/// on edges the encoder finds infeasible.
static bool mayBeLocal(const Value *V, SmallPtrSetImpl<const Value *> &Seen) {
  if (!V->getType()->isPointerTy() || !Seen.insert(V).second)
    return false;
  if (isa<AllocaInst>(V))
    return true;
  if (auto *G = dyn_cast<GetElementPtrInst>(V))
    return mayBeLocal(G->getPointerOperand(), Seen);
  if (auto *S = dyn_cast<SelectInst>(V))
    return mayBeLocal(S->getTrueValue(), Seen) ||
           mayBeLocal(S->getFalseValue(), Seen);
  if (auto *P = dyn_cast<PHINode>(V))
    return any_of(P->incoming_values(),
                  [&](const Value *In) { return mayBeLocal(In, Seen); });
  return false;
}

static bool mayBeLocal(const Value *V) {
  SmallPtrSet<const Value *, 8> Seen;
  return mayBeLocal(V, Seen);
}

/// The objects V may point into, through GEPs, casts, phis and selects;
/// V itself among them when the search stops early.
static SmallVector<const Value *, 4> underlyingObjects(const Value *V) {
  SmallVector<const Value *, 4> Objs;
  getUnderlyingObjects(V, Objs);
  return Objs;
}

/// Whether an icmp that involves alloca pointers compares two addresses
/// within one alloca, or one with null: its result does not depend on
/// where the alloca is placed (which is never at 0, and an object never
/// wraps around the address space).
static bool comparableLocals(const ICmpInst &I) {
  // The one object an operand may point into, or null when there are
  // several.
  auto object = [](const Value *V) -> const Value * {
    SmallVector<const Value *, 4> Objs = underlyingObjects(V);
    return Objs.size() == 1 ? Objs[0] : nullptr;
  };
  const Value *L = object(I.getOperand(0)), *R = object(I.getOperand(1));
  auto isNull = [](const Value *V) { return V && isa<ConstantPointerNull>(V); };
  return (L && isa<AllocaInst>(L) && (L == R || isNull(R))) ||
         (R && isa<AllocaInst>(R) && isNull(L));
}

/// Where each alloca of F is first passed to a call (not an intrinsic), as
/// (the call's position in F, the argument's).
static DenseMap<const AllocaInst *, std::pair<unsigned, unsigned>>
firstCallUses(const Function &F) {
  DenseMap<const AllocaInst *, std::pair<unsigned, unsigned>> Uses;
  unsigned Pos = 0;
  for (const Instruction &I : instructions(F)) {
    ++Pos;
    if (auto *CB = dyn_cast<CallBase>(&I); CB && !isa<IntrinsicInst>(CB))
      for (unsigned N = 0; N < CB->arg_size(); ++N) {
        const Value *Op = CB->getArgOperand(N);
        if (Op->getType()->isPointerTy())
          for (const Value *O : underlyingObjects(Op))
            if (auto *AI = dyn_cast<AllocaInst>(O))
              Uses.try_emplace(AI, Pos, N);
      }
  }
  return Uses;
}

/// The intrinsics FunctionEncoder::intrinsic models.
/// The operand bundles of llvm.assume that the encoder models: "nonnull",
/// "align" (a constant power of two, with or without an offset),
/// "noundef" and "ignore". Violating one is UB, like a false condition.
static bool isModelledAssumeBundle(const OperandBundleUse &U) {
  StringRef Tag = U.getTagName();
  if (Tag == "ignore")
    return true;
  if (Tag == "nonnull" || Tag == "noundef")
    return U.Inputs.size() == 1;
  if (Tag == "align") {
    auto *A = dyn_cast<ConstantInt>(U.Inputs.size() >= 2 ? U.Inputs[1].get()
                                                         : nullptr);
    return U.Inputs.size() <= 3 && A && A->getValue().isPowerOf2() &&
           A->getValue().getActiveBits() <= 63;
  }
  return false;
}

static bool isModelledIntrinsic(Intrinsic::ID ID) {
  switch (ID) {
  case Intrinsic::assume:
  case Intrinsic::ctpop:
  case Intrinsic::ctlz:
  case Intrinsic::cttz:
  case Intrinsic::abs:
  case Intrinsic::fabs:
  case Intrinsic::copysign:
  case Intrinsic::fma:
  case Intrinsic::fmuladd:
  case Intrinsic::floor:
  case Intrinsic::ceil:
  case Intrinsic::trunc:
  case Intrinsic::round:
  case Intrinsic::roundeven:
  case Intrinsic::rint:
  case Intrinsic::nearbyint:
  case Intrinsic::is_fpclass:
  case Intrinsic::expect:
  case Intrinsic::expect_with_probability:
  case Intrinsic::smin:
  case Intrinsic::smax:
  case Intrinsic::umin:
  case Intrinsic::umax:
  case Intrinsic::fshl:
  case Intrinsic::fshr:
  case Intrinsic::bswap:
  case Intrinsic::bitreverse:
  case Intrinsic::sadd_with_overflow:
  case Intrinsic::uadd_with_overflow:
  case Intrinsic::ssub_with_overflow:
  case Intrinsic::usub_with_overflow:
  case Intrinsic::smul_with_overflow:
  case Intrinsic::umul_with_overflow:
  case Intrinsic::uadd_sat:
  case Intrinsic::usub_sat:
  case Intrinsic::sadd_sat:
  case Intrinsic::ssub_sat:
  case Intrinsic::memset:
  case Intrinsic::memcpy:
  case Intrinsic::memmove:
  case Intrinsic::lifetime_start:
  case Intrinsic::lifetime_end:
  case Intrinsic::donothing:
  case Intrinsic::dbg_value:
  case Intrinsic::dbg_declare:
  case Intrinsic::dbg_label:
    return true;
  default:
    return false;
  }
}

/// Instruction metadata whose violation is undefined behaviour, or that
/// licenses a result the encoder does not produce (!fpmath), and that the
/// encoder does not model: ignoring it would make the target more defined
/// than it is. !range, !nonnull, !align and !noundef are modelled
/// (resultMetadata), and !callees on an indirect call (encodeCall); !tbaa
/// is ignored, as Alive2 does.
static const char *unmodelledMetadata(const Instruction &I) {
  static const std::pair<unsigned, const char *> Kinds[] = {
      {LLVMContext::MD_noalias, "noalias"},
      {LLVMContext::MD_alias_scope, "alias.scope"},
      {LLVMContext::MD_invariant_load, "invariant.load"},
      {LLVMContext::MD_invariant_group, "invariant.group"},
      {LLVMContext::MD_dereferenceable, "dereferenceable"},
      {LLVMContext::MD_dereferenceable_or_null, "dereferenceable_or_null"},
      {LLVMContext::MD_noalias_addrspace, "noalias.addrspace"},
      {LLVMContext::MD_fpmath, "fpmath"},
      {LLVMContext::MD_nofree, "nofree"},
      {LLVMContext::MD_captures, "captures"},
      {LLVMContext::MD_callees, "callees"}};
  if (!I.hasMetadataOtherThanDebugLoc())
    return nullptr;
  // On an indirect call, !callees is modelled (encodeCall).
  auto *CI = dyn_cast<CallInst>(&I);
  bool Indirect = CI && CI->isIndirectCall();
  for (auto [Kind, Name] : Kinds)
    if (I.hasMetadata(Kind) && !(Indirect && Kind == LLVMContext::MD_callees))
      return Name;
  return nullptr;
}

std::string unsupportedReason(const Instruction &I) {
  if (const char *MD = unmodelledMetadata(I))
    return std::string("metadata !") + MD;
  if (auto *CB = dyn_cast<CallBase>(&I); CB && !isa<IntrinsicInst>(CB)) {
    if (std::string Why = unmodelledCallReason(*CB); !Why.empty())
      return Why;
    // An alloca pointer may be passed (the object escapes to the callee)
    // when it is known which allocas it may point into.
    for (const Value *Op : CB->args())
      if (mayBeLocal(Op) && any_of(underlyingObjects(Op), [](const Value *O) {
            return isa<PHINode>(O) || isa<SelectInst>(O);
          }))
        return allocaArgReason(*CB);
    if (!CB->getCalledFunction() && mayBeLocal(CB->getCalledOperand()))
      return "indirect call through an alloca pointer";
    return "";
  }
  if (I.getType()->isVectorTy())
    return "vector " + describe(I);
  // Fast-math flags make some results poison, which is not modelled: on
  // any instruction (an intrinsic says first whether it is modelled).
  if (!isa<IntrinsicInst>(I) && isa<FPMathOperator>(I) &&
      I.getFastMathFlags().any())
    return "fast-math flags";
  if (isa<PHINode>(I) || isa<BranchInst>(I) || isa<SwitchInst>(I) ||
      isa<UnreachableInst>(I))
    return "";
  if (isa<UnaryOperator>(I))
    return I.getOpcode() == Instruction::FNeg ? "" : describe(I);
  if (auto *BO = dyn_cast<BinaryOperator>(&I)) {
    if (!BO->getType()->isFloatingPointTy())
      return "";
    switch (BO->getOpcode()) {
    case Instruction::FAdd:
    case Instruction::FSub:
    case Instruction::FMul:
    case Instruction::FDiv:
      return "";
    default:
      return (Twine("opcode ") + I.getOpcodeName()).str();
    }
  }
  if (auto *IC = dyn_cast<ICmpInst>(&I)) {
    if (IC->getOperand(0)->getType()->isVectorTy())
      return "vector icmp";
    if ((mayBeLocal(IC->getOperand(0)) || mayBeLocal(IC->getOperand(1))) &&
        !comparableLocals(*IC))
      return "comparison of alloca pointers";
    return "";
  }
  if (isa<FCmpInst>(I))
    return "";
  if (auto *SI = dyn_cast<SelectInst>(&I)) {
    if (SI->getCondition()->getType()->isVectorTy())
      return "vector select";
    return "";
  }
  if (auto *CI = dyn_cast<CastInst>(&I)) {
    // The address of a pointer into caller memory or a global, which both
    // functions see alike; an alloca's address is the function's own.
    if (CI->getOpcode() == Instruction::PtrToInt &&
        CI->getDestTy()->isIntegerTy() && CI->getSrcTy()->isPointerTy() &&
        CI->getSrcTy()->getPointerAddressSpace() == 0)
      return mayBeLocal(CI->getOperand(0)) ? "ptrtoint of an alloca pointer"
                                           : "";
    // Integer casts; a bitcast between an integer and a floating-point type
    // keeps the bits; the conversions round as LangRef says.
    Type *ST = CI->getSrcTy(), *DT = CI->getDestTy();
    bool SFP = isModelledFP(ST), DFP = isModelledFP(DT);
    bool SInt = ST->isIntegerTy(), DInt = DT->isIntegerTy();
    switch (CI->getOpcode()) {
    case Instruction::ZExt:
    case Instruction::SExt:
    case Instruction::Trunc:
      if (SInt && DInt)
        return "";
      break;
    case Instruction::BitCast:
      if ((SFP || DFP) && (SInt || SFP) && (DInt || DFP))
        return "";
      break;
    case Instruction::SIToFP:
    case Instruction::UIToFP:
      if (SInt && DFP)
        return "";
      break;
    case Instruction::FPToSI:
    case Instruction::FPToUI:
      if (SFP && DInt)
        return "";
      break;
    case Instruction::FPExt:
    case Instruction::FPTrunc:
      if (SFP && DFP)
        return "";
      break;
    default:
      break;
    }
    return (Twine("cast ") + I.getOpcodeName()).str();
  }
  if (isa<FreezeInst>(I))
    return I.getType()->isPointerTy() ? "freeze of a pointer" : "";
  if (auto *EV = dyn_cast<ExtractValueInst>(&I))
    return EV->getNumIndices() != 1 ? "extractvalue" : "";
  if (auto *II = dyn_cast<IntrinsicInst>(&I)) {
    if (!isModelledIntrinsic(II->getIntrinsicID()))
      return ("intrinsic " + II->getCalledFunction()->getName()).str();
    if (II->getType()->isFloatingPointTy() && !isModelledFP(II->getType()))
      return ("intrinsic " + II->getCalledFunction()->getName()).str();
    if (isa<FPMathOperator>(II) && II->getFastMathFlags().any())
      return "fast-math flags";
    if (auto *MI = dyn_cast<MemIntrinsic>(II); MI && MI->isVolatile())
      return "volatile memory intrinsic";
    for (unsigned B = 0; B < II->getNumOperandBundles(); ++B) {
      OperandBundleUse U = II->getOperandBundleAt(B);
      if (II->getIntrinsicID() != Intrinsic::assume ||
          !isModelledAssumeBundle(U))
        return ("intrinsic " + II->getCalledFunction()->getName() +
                " with operand bundle \"" + U.getTagName() + "\"")
            .str();
    }
    return "";
  }
  if (auto *AI = dyn_cast<AllocaInst>(&I)) {
    std::optional<TypeSize> Sz =
        AI->getAllocationSize(I.getModule()->getDataLayout());
    if (!Sz || Sz->isScalable() || Sz->getFixedValue() > (1u << 20) ||
        Sz->getFixedValue() == 0)
      return "alloca of non-constant or large size";
    if (I.getParent() != &I.getFunction()->getEntryBlock())
      return "alloca outside the entry block";
    return "";
  }
  if (auto *LI = dyn_cast<LoadInst>(&I)) {
    if (LI->isAtomic() && mayBeLocal(LI->getPointerOperand()))
      return "atomic access to an alloca";
    if (LI->isVolatile() && mayBeLocal(LI->getPointerOperand()))
      return "volatile access to an alloca";
    return memTypeReason(LI->getType(), true);
  }
  if (auto *SI = dyn_cast<StoreInst>(&I)) {
    if (storesToWriteOnlyGlobal(*SI))
      return "";
    if (SI->isAtomic() && mayBeLocal(SI->getPointerOperand()))
      return "atomic access to an alloca";
    if (SI->isVolatile() && mayBeLocal(SI->getPointerOperand()))
      return "volatile access to an alloca";
    Type *T = SI->getValueOperand()->getType();
    if (std::string Why = memTypeReason(T, false); !Why.empty())
      return Why;
    if (T->isPointerTy() && mayBeLocal(SI->getValueOperand()))
      return "storing an alloca pointer";
    return "";
  }
  if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
    if (mayBeLocal(RMW->getPointerOperand()))
      return "atomic access to an alloca";
    if (RMW->getValOperand()->getType()->isPointerTy() &&
        mayBeLocal(RMW->getValOperand()))
      return "storing an alloca pointer";
    return memTypeReason(RMW->getType(), true);
  }
  if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
    if (mayBeLocal(CX->getPointerOperand()))
      return "atomic access to an alloca";
    if (CX->getNewValOperand()->getType()->isPointerTy() &&
        (mayBeLocal(CX->getNewValOperand()) ||
         mayBeLocal(CX->getCompareOperand())))
      return "storing an alloca pointer";
    return memTypeReason(CX->getNewValOperand()->getType(), true);
  }
  if (isa<FenceInst>(I))
    return "";
  if (auto *G = dyn_cast<GetElementPtrInst>(&I)) {
    const DataLayout &DL = I.getModule()->getDataLayout();
    for (gep_type_iterator GTI = gep_type_begin(G), E = gep_type_end(G);
         GTI != E; ++GTI) {
      if (GTI.getStructTypeOrNull())
        continue;
      if (GTI.getSequentialElementStride(DL).isScalable())
        return "scalable GEP";
      if (GTI.getOperand()->getType()->getScalarSizeInBits() > 64)
        return "GEP index wider than 64 bits";
    }
    return "";
  }
  if (auto *Ret = dyn_cast<ReturnInst>(&I)) {
    const Value *V = Ret->getReturnValue();
    if (V && mayBeLocal(V))
      return "returning an alloca pointer";
    if (V && V->getType()->isAggregateType())
      return "aggregate return";
    return "";
  }
  return describe(I);
}

std::string findUnsupported(const Function &F) {
  if (F.isDeclaration())
    return "";
  // Memory is encoded little-endian.
  if (F.getDataLayout().isBigEndian())
    return "big-endian data layout";
  unsigned Insts = 0, Allocas = 0;
  ReversePostOrderTraversal<const Function *> RPOT(&F);
  for (const BasicBlock *BB : RPOT)
    for (const Instruction &I : *BB) {
      if (std::string Why = unsupportedReason(I); !Why.empty())
        return Why;
      if (isa<AllocaInst>(I) && ++Allocas > 200)
        return "too many allocas";
      // Each instruction is encoded at least once.
      if (!isa<PHINode>(I) && !I.isTerminator() && ++Insts > MaxEncodedInsts)
        return "function too large to encode";
    }
  return "";
}

// A call to another function is an unknown, deterministic function of its
// inputs: the arguments (bits, masked where poison, and poison flags) and,
// unless the call leaves memory alone, the caller's memory including which
// addresses are valid. The same unknown function stands for every call to
// the same callee with the same shape, in the source and in the target, so
// a proof holds for every behaviour the callee could have: it shows that
// the target makes the same calls on the same inputs, in the same order
// wherever memory threads them. A call that writes memory replaces it (and
// the valid addresses: it may allocate or free) by unknown functions too; a
// call that may not return ends the execution with a token of its inputs,
// which the target must reproduce. Counterexamples are never final: they
// depend on a chosen callee.
std::function<z3::expr(const char *, const z3::sort &)>
FunctionEncoder::opaqueEffects(std::string Key, z3::sort_vector Dom,
                               z3::expr_vector Ins,
                               const SharedInputs::CallEffects &Eff) {
  bool ReadsMem = Eff.Reads || Eff.Writes;
  bool WritesMem = Eff.Writes;
  MemState &M = Cur->M;
  // The token of a call that does not return includes memory even when the
  // callee cannot touch it: an unwinding call lets a handler see it.
  z3::sort Addr = C.bv_sort(64);
  z3::sort_vector TokDom = Dom;
  z3::expr_vector TokIns = Ins;
  for (const z3::expr &E : {M.Mem, M.PM, M.UM, M.DM, M.Prv, M.Valid}) {
    if (ReadsMem) {
      Ins.push_back(E);
      Dom.push_back(E.get_sort());
    }
    TokIns.push_back(E);
    TokDom.push_back(E.get_sort());
  }
  if (ReadsMem)
    Key += WritesMem ? "rw" : "r";
  auto UF = [this, Key, Dom, Ins](const char *What, const z3::sort &R) {
    return opaque(C.function((Key + "." + What).c_str(), Dom, R)(Ins));
  };
  z3::expr Ok = Eff.Returns    ? t()
                : Eff.NoReturn ? f()
                               : UF("ok", C.bool_sort());
  if (!Ok.is_true())
    Stops.push_back(
        {guardedBy(Cur->Reach, !Ok),
         C.function((Key + ".stop").c_str(), TokDom, Addr)(TokIns)});
  if (WritesMem) {
    M.Mem = UF("mem", C.array_sort(Addr, C.bv_sort(8)));
    M.PM = UF("mem_poison", C.array_sort(Addr, C.bool_sort()));
    // Which bytes are uninitialised or undef after the call.
    auto flags = [&](const z3::expr &Before, const char *What) {
      z3::sort S = C.array_sort(Addr, C.bool_sort());
      if (!In.DefinedInputs)
        return UF(What, S);
      // The callee writes and allocates no undef or uninitialised bytes; it
      // may define some (overwrite them), and leaves the others as they were.
      if (isAllFalse(Before))
        return Before;
      z3::expr A = lambdaAddr();
      return z3::lambda(A, z3::select(Before, A) && z3::select(UF(What, S), A));
    };
    M.UM = flags(M.UM, "mem_uninit");
    M.DM = flags(M.DM, "mem_undef");
    M.Prv = UF("mem_prov", C.array_sort(Addr, C.bv_sort(kProvBits)));
    M.Valid = UF("valid", C.array_sort(Addr, C.bool_sort()));
  }
  Cur->Reach = guardedBy(Cur->Reach, Ok);
  return UF;
}

void FunctionEncoder::encodeCall(const CallInst &CI) {
  if (std::string Why = unmodelledCallReason(CI); !Why.empty())
    unsupported(Why);
  // A tail call promises that the callee does not touch the caller's
  // allocas, a promise about the callee that the model of calls cannot
  // keep once an alloca may have reached it. In the target that is
  // unsupported. The source's promise is dropped: a source with fewer UB
  // executions is more defined, so a proof still holds, but a
  // counterexample may be an execution the promise made UB.
  if (CI.isTailCall() &&
      (any_of(CI.args(), [](const Use &U) { return mayBeLocal(U); }) ||
       any_of(Cur->Locals,
              [](const MemState &L) { return !L.Esc.is_false(); }))) {
    if (!IsSrc)
      unsupported("tail call after an alloca was passed to a call");
    addApprox(t(), "the source's tail call after an alloca was passed to a "
                   "call");
  }
  const Function *Callee = CI.getCalledFunction();
  Out.HasCalls = true;
  if (!In.CallsSeen.count(&CI))
    registerCalls(In, F); // normally done already, for both functions
  std::string Name = callKey(CI);
  const SharedInputs::CallEffects &Eff = In.Calls[Name];
  std::string Key = "call_" + Name + "(";
  z3::sort_vector Dom(C);
  z3::expr_vector Ins(C);
  if (!Callee) {
    // The called pointer is the unknown function's first argument. Calling
    // poison (or an undef pointer, which may be anything) is UB.
    Val Fp = get(CI.getCalledOperand());
    if (Fp.Local)
      unsupported("indirect call through an alloca pointer");
    addUB(Fp.P || undefIsUB(Fp, "indirect call through a partially undef "
                                "pointer"));
    // !callees: calling any other function is UB.
    if (MDNode *Cs = CI.getMetadata(LLVMContext::MD_callees)) {
      std::vector<z3::expr> Listed;
      for (const MDOperand &Op : Cs->operands()) {
        auto *Fn = mdconst::dyn_extract_or_null<Function>(Op);
        if (!Fn || !Fn->hasName())
          unsupported("metadata !callees");
        Listed.push_back(Fp.V == get(Fn).V);
      }
      addUB(!orAll(C, Listed));
    }
    Ins.push_back(Fp.V);
    Dom.push_back(Fp.V.get_sort());
    Key += "ptr;";
  }
  AttributeList NoAttrs;
  const AttributeList &CalleeAttrs =
      Callee ? Callee->getAttributes() : NoAttrs;
  for (unsigned N = 0; N < CI.arg_size(); ++N) {
    const Value *Op = CI.getArgOperand(N);
    Val A = get(Op);
    // The copy a byval argument makes reads its bytes: UB where they may
    // not be read.
    if (CI.isByValArgument(N))
      checkRange(A, bvv(DL.getTypeAllocSize(CI.getParamByValType(N)), 64),
                 false);
    checkDereferenceable(
        A,
        std::max(CI.getParamDereferenceableBytes(N),
                 CalleeAttrs.getParamDereferenceableBytes(N)),
        std::max(CI.getParamDereferenceableOrNullBytes(N),
                 CalleeAttrs.getParamDereferenceableOrNullBytes(N)));
    if (A.Local)
      escape(A, CI);
    // Attributes that make an argument poison, from the call and the callee.
    z3::expr P = A.P;
    for (AttributeSet AS : {CI.getAttributes().getParamAttrs(N),
                            CalleeAttrs.getParamAttrs(N)})
      P = P || !attrsHold(AS, A.V);
    if (CI.paramHasAttr(N, Attribute::NoUndef))
      addUB(P || undefIsUB(A, "noundef argument of partially undef value"));
    // An undef argument passes one value per call: the target's is free,
    // the source's is a choice that must match it (the unknown callee
    // tells any two values apart).
    passInput(Ins, Dom, A, P, Op->getType()->isPointerTy());
    Key += describeType(Op->getType()) + ",";
  }
  Key += ")";
  auto UF = opaqueEffects(Key, Dom, Ins, Eff);
  if (CI.getType()->isVoidTy())
    return;
  z3::sort RS = sortFor(C, CI.getType());
  Val R(UF("ret", RS), UF("ret_poison", C.bool_sort()), f());
  R.FU = f();
  if (CI.getType()->isPointerTy()) {
    R.Bid = bvv(0, 8);
    R.Prv = UF("ret_prov", C.bv_sort(kProvBits));
  }
  for (AttributeSet AS : {CI.getAttributes().getRetAttrs(),
                          CalleeAttrs.getRetAttrs()})
    R.P = R.P || !attrsHold(AS, R.V);
  if (CI.hasRetAttr(Attribute::NoUndef))
    addUB(R.P);
  setVal(&CI, R);
}

// A volatile access is an event of the program's environment (LangRef: its
// number and order are observable, it may touch state that no plain access
// reaches, and after a volatile store execution need not go on). It is
// modelled as a call of an unknown function named after the access, which
// takes the address, the stored value and all of memory, and gives new
// memory and the loaded value: the same function in both functions, so the
// target must make the same accesses, in the same order, on the same memory,
// and gets the same answers. A plain access to the same memory sees
// whatever the event left there; an access the target moved across it, or
// a store it removed before it, is therefore not proved (never refuted:
// HasCalls). An address need not point to memory (MMIO), so only a poison
// address and a broken alignment promise are UB.
void FunctionEncoder::encodeVolatile(const Instruction &I) {
  auto *LI = dyn_cast<LoadInst>(&I);
  auto *SI = dyn_cast<StoreInst>(&I);
  Type *T = LI ? LI->getType() : SI->getValueOperand()->getType();
  if (std::string Why = memTypeReason(T, LI != nullptr); !Why.empty())
    unsupported(Why);
  Val Ptr = get(getLoadStorePointerOperand(&I));
  if (Ptr.Local)
    unsupported("volatile access to an alloca");
  Out.HasCalls = true;
  Out.UsesMemory = true;
  uint64_t Align = getLoadStoreAlignment(&I).value();
  // An undef address passes one value, as an undef argument of a call does.
  addUB(Ptr.P);
  if (Align > 1)
    addUB(misaligned(Ptr.V, Align));
  std::string Key = std::string(LI ? "volatile_load_" : "volatile_store_") +
                    describeType(T) + "(";
  z3::sort_vector Dom(C);
  z3::expr_vector Ins(C);
  Ins.push_back(Ptr.V);
  Dom.push_back(Ptr.V.get_sort());
  if (SI) {
    Val V = get(SI->getValueOperand());
    if (V.Local)
      unsupported("storing an alloca pointer");
    passInput(Ins, Dom, V, V.P, T->isPointerTy());
  }
  Key += ")";
  // Execution goes on after a volatile load.
  auto [UF, R] =
      environmentEvent(Key, Dom, Ins, LI != nullptr, LI ? T : nullptr);
  if (LI)
    setVal(&I, R);
}

std::pair<std::function<z3::expr(const char *, const z3::sort &)>, Val>
FunctionEncoder::environmentEvent(const std::string &Key, z3::sort_vector Dom,
                                  z3::expr_vector Ins, bool Returns, Type *T) {
  SharedInputs::CallEffects Eff;
  Eff.Reads = Eff.Writes = true;
  Eff.Returns = Returns;
  Eff.NoReturn = false;
  auto UF = opaqueEffects(Key, Dom, Ins, Eff);
  Val R(C);
  if (!T)
    return {UF, R};
  R = Val(UF("ret", sortFor(C, T)), UF("ret_poison", C.bool_sort()), f());
  R.FU = f();
  if (T->isPointerTy()) {
    R.Bid = bvv(0, 8);
    R.Prv = UF("ret_prov", C.bv_sort(kProvBits));
  }
  return {UF, R};
}

// An atomic operation (load, store, atomicrmw, cmpxchg, fence) is an event
// of the environment too: other threads may act at it, on any memory. It
// is modelled as volatile accesses are: a call of an unknown function named
// after the operation, its type, orderings, scope and flags, which takes
// the address, the operands and all of memory, and gives new memory and
// the result. The target must make the same operations, in the same order,
// with the same orderings (a weaker one is another function), and plain
// accesses moved across one are not proved. It is never refuted
// (HasCalls). A poison address and a broken alignment are UB, and the
// operation always returns. An atomic result is never undef, as a call's
// is not.
void FunctionEncoder::encodeAtomic(const Instruction &I) {
  Out.HasCalls = true;
  Out.UsesMemory = true;
  std::string Key = std::string("atomic_") + I.getOpcodeName();
  // The orderings, then the scope, and whether the operation is volatile.
  auto Sync = [&](StringRef Orderings) {
    SyncScope::ID ID = *getAtomicSyncScopeID(&I);
    std::optional<StringRef> N = I.getContext().getSyncScopeName(ID);
    Key += "_" + Orderings.str() + "_" +
           (N ? (N->empty() ? std::string("system") : N->str())
              : std::to_string(unsigned(ID))) +
           (I.isVolatile() ? "_v" : "");
  };
  z3::sort_vector Dom(C);
  z3::expr_vector Ins(C);
  Type *T = nullptr;
  auto Address = [&](const Value *PtrOp, Align A) {
    Val Ptr = get(PtrOp);
    if (Ptr.Local)
      unsupported("atomic access to an alloca");
    addUB(Ptr.P);
    if (A.value() > 1)
      addUB(misaligned(Ptr.V, A.value()));
    Ins.push_back(Ptr.V);
    Dom.push_back(Ptr.V.get_sort());
  };
  auto Operand = [&](const Value *V) {
    Val X = get(V);
    if (X.Local)
      unsupported("storing an alloca pointer");
    passInput(Ins, Dom, X, X.P, V->getType()->isPointerTy());
  };
  if (auto *LI = dyn_cast<LoadInst>(&I)) {
    T = LI->getType();
    Sync(toIRString(LI->getOrdering()));
    Address(LI->getPointerOperand(), LI->getAlign());
  } else if (auto *SI = dyn_cast<StoreInst>(&I)) {
    Sync(toIRString(SI->getOrdering()));
    Address(SI->getPointerOperand(), SI->getAlign());
    Operand(SI->getValueOperand());
    Key += "_" + describeType(SI->getValueOperand()->getType());
  } else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
    T = RMW->getType();
    Key += "_" + AtomicRMWInst::getOperationName(RMW->getOperation()).str();
    Sync(toIRString(RMW->getOrdering()));
    Address(RMW->getPointerOperand(), RMW->getAlign());
    Operand(RMW->getValOperand());
  } else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
    T = CX->getNewValOperand()->getType();
    Sync(std::string(toIRString(CX->getSuccessOrdering())) + "_" +
         toIRString(CX->getFailureOrdering()));
    Key += CX->isWeak() ? "_weak" : "";
    Address(CX->getPointerOperand(), CX->getAlign());
    Operand(CX->getCompareOperand());
    Operand(CX->getNewValOperand());
  } else {
    Sync(toIRString(cast<FenceInst>(&I)->getOrdering()));
  }
  if (T) {
    if (std::string Why = memTypeReason(T, true); !Why.empty())
      unsupported(Why);
    Key += "_" + describeType(T);
  }
  Key += "(";
  for (unsigned K = 0; K < Dom.size(); ++K)
    Key += (K ? "," : "") + Dom[K].to_string();
  Key += ")";
  auto [UF, R] = environmentEvent(Key, Dom, Ins, /*Returns=*/true, T);
  if (!T)
    return;
  if (isa<AtomicCmpXchgInst>(I)) {
    Val Ok(UF("ok", C.bv_sort(1)), UF("ok_poison", C.bool_sort()), f());
    Ok.FU = f();
    Val Agg = R;
    Agg.Elems = {R, Ok};
    setVal(&I, Agg);
    return;
  }
  setVal(&I, R);
}

void FunctionEncoder::run() {
  Out.ArgUseVars.assign(F.arg_size(), {});
  CallUses = firstCallUses(F);
  Out.IsVoid = F.getReturnType()->isVoidTy();
  if (!Out.IsVoid)
    (void)sortFor(C, F.getReturnType());
  // noundef arguments: passing poison or undef is UB at the call, and so
  // is a value that breaks the argument's nonnull, align or range, which
  // makes it poison (LangRef).
  std::vector<z3::expr> ArgUB;
  for (const Argument &A : F.args())
    if (A.hasAttribute(Attribute::NoUndef)) {
      unsigned No = A.getArgNo();
      ArgUB.push_back(
          In.XP[No] || In.XU[No] ||
          !attrsHold(F.getAttributes().getParamAttrs(No), In.X[No]));
    }
  // A byval argument points to a copy the caller made for this call, and
  // an sret one to the memory that takes the result; both functions have
  // the same ones (the verifier checks), and each is taken as a plain
  // pointer into caller memory. That forgets what the caller guarantees
  // (the copy is private, so writes to it are unseen, and it aliases
  // nothing; an sret pointer is valid and aligned), so it proves less,
  // never more, and a counterexample is approximated (below). inalloca
  // and preallocated arguments live in the caller's frame: not modelled.
  for (const Argument &A : F.args())
    if (A.hasAttribute(Attribute::InAlloca) ||
        A.hasAttribute(Attribute::Preallocated))
      unsupported("argument with inalloca or preallocated");

  // The caller guarantees the source's dereferenceable and
  // dereferenceable_or_null bytes, and with writable that they may be
  // written; a poison or undef pointer there is UB (undef may be any
  // address), as in Alive2 and LangRef. The target's attributes are checked
  // against the source's by the verifier.
  if (IsSrc)
    for (const Argument &A : F.args()) {
      uint64_t N = A.getDereferenceableBytes();
      uint64_t OrNull = A.getDereferenceableOrNullBytes();
      if (!A.getType()->isPointerTy() || (!N && !OrNull))
        continue;
      unsigned No = A.getArgNo();
      z3::expr Null = N ? f() : In.X[No] == bvv(0, 64);
      bool Writable = A.hasAttribute(Attribute::Writable);
      // Poison includes a value that breaks nonnull, align or range.
      Out.Pre.push_back(
          !In.XP[No] && !In.XU[No] &&
          attrsHold(F.getAttributes().getParamAttrs(No), In.X[No]));
      // They are within the argument's object, too.
      uint64_t Last = std::max(N, OrNull) - 1;
      Out.Pre.push_back(Null ||
                        (inObject(In.XPrv[No], In.X[No]) &&
                         inObject(In.XPrv[No], In.X[No] + bvv(Last, 64))));
      for (uint64_t I = 0; I < std::max(N, OrNull) && I < MaxMemOpBytes; ++I) {
        z3::expr Addr = In.X[No] + bvv(I, 64);
        Out.Pre.push_back(Null || z3::select(In.Valid, Addr));
        if (Writable)
          Out.Pre.push_back(Null || z3::select(In.Writable, Addr));
      }
    }
  bool HasNoAlias = false, HasByValOrSRet = false;
  for (const Argument &A : F.args()) {
    HasNoAlias |= A.hasNoAliasAttr();
    HasByValOrSRet |= A.hasByValAttr() || A.hasStructRetAttr();
  }

  // Back edges from a DFS; the rest form a DAG, visited in RPO.
  DenseSet<std::pair<const BasicBlock *, const BasicBlock *>> Back;
  {
    SmallPtrSet<const BasicBlock *, 32> OnStack, Seen;
    std::vector<std::pair<const BasicBlock *, unsigned>> Stack;
    Stack.push_back({&F.getEntryBlock(), 0});
    OnStack.insert(&F.getEntryBlock());
    Seen.insert(&F.getEntryBlock());
    while (!Stack.empty()) {
      auto &[BB, Idx] = Stack.back();
      const Instruction *T = BB->getTerminator();
      if (Idx < T->getNumSuccessors()) {
        const BasicBlock *S = T->getSuccessor(Idx++);
        if (OnStack.count(S))
          Back.insert({BB, S});
        else if (Seen.insert(S).second) {
          OnStack.insert(S);
          Stack.push_back({S, 0});
        }
      } else {
        OnStack.erase(BB);
        Stack.pop_back();
      }
    }
  }
  ReversePostOrderTraversal<const Function *> RPOT(&F);
  std::vector<const BasicBlock *> Order(RPOT.begin(), RPOT.end());
  std::map<std::pair<const BasicBlock *, unsigned>, std::vector<Incoming>> Work;
  unsigned MaxK = Back.empty() ? 0 : Bound;
  for (unsigned K = 0; K <= MaxK; ++K)
    for (const BasicBlock *BB : Order)
      encodeBlock(BB, K, Work, Back);

  std::vector<z3::expr> AllUB = UBs;
  AllUB.insert(AllUB.end(), ArgUB.begin(), ArgUB.end());
  Out.UB = orAll(C, AllUB);
  Out.ProvUB = orAll(C, ProvUBs);
  Out.Cut = orAll(C, Cuts);
  // Stops are on disjoint paths: after one, nothing else runs.
  std::vector<z3::expr> StopGuards;
  Out.StopTok = bvv(0, 64);
  for (auto It = Stops.rbegin(); It != Stops.rend(); ++It) {
    StopGuards.push_back(It->first);
    Out.StopTok = z3::ite(It->first, It->second, Out.StopTok);
  }
  Out.Stop = orAll(C, StopGuards);
  if (HasNoAlias && Out.UsesMemory) {
    // noalias is not modelled: pointers may alias regardless.
    Approxs.push_back(t());
    Out.ApproxWhat.insert("noalias not modelled");
  }
  if (HasByValOrSRet && Out.UsesMemory) {
    // A counterexample may rest on what the caller guarantees them.
    Approxs.push_back(t());
    Out.ApproxWhat.insert("byval or sret argument taken as caller memory");
  }
  Out.Approx = orAll(C, Approxs);
  if (!Out.IsVoid) {
    if (Rets.empty()) {
      z3::sort S = sortFor(C, F.getReturnType());
      Out.Ret = Val(fresh(S, "noret"), t(), f());
    } else {
      Out.Ret = mergeVals(Rets);
    }
  }
  if (RetMems.empty()) {
    Out.MemOut = entryMemory();
  } else {
    Out.MemOut = mergeMem(RetMems);
  }
  // The allocas passed to calls, in the order they are first passed.
  std::stable_sort(
      EscapingAllocas.begin(), EscapingAllocas.end(),
      [](const auto &A, const auto &B) { return A.first < B.first; });
  for (auto &[Use, K] : EscapingAllocas)
    Out.EscapingBases.push_back(Out.Allocas[K - 1].first);
  // The allocas passed to calls die at the return: their addresses are not
  // valid caller memory afterwards.
  if (!EscapingAllocas.empty()) {
    z3::expr A = lambdaAddr();
    std::vector<z3::expr> In;
    for (auto &[Use, K] : EscapingAllocas)
      In.push_back(inAlloca(K, A));
    Out.MemOut.Valid =
        z3::lambda(A, z3::select(Out.MemOut.Valid, A) && !orAll(C, In));
  }
  expandOpaque();
}

z3::expr ClosedReplacer::operator()(const z3::expr &Root) {
  // Post-order over the DAG, on Z3's own handles: a node's children are
  // alive while it is, and it is alive while on the stack or in Done.
  auto id = [&](Z3_ast A) { return Z3_get_ast_id(C, A); };
  auto numKids = [&](Z3_ast A) -> unsigned {
    switch (Z3_get_ast_kind(C, A)) {
    case Z3_APP_AST:
      return Z3_get_app_num_args(C, Z3_to_app(C, A));
    case Z3_QUANTIFIER_AST:
      return 1;
    default:
      return 0;
    }
  };
  auto kid = [&](Z3_ast A, unsigned I) {
    return Z3_get_ast_kind(C, A) == Z3_QUANTIFIER_AST
               ? Z3_get_quantifier_body(C, A)
               : Z3_get_app_arg(C, Z3_to_app(C, A), I);
  };
  std::vector<std::pair<z3::expr, bool>> Stack{{Root, false}};
  std::vector<Z3_ast> New;
  while (!Stack.empty()) {
    Z3_ast E = Stack.back().first;
    if (Done.count(id(E))) {
      Stack.pop_back();
      continue;
    }
    unsigned N = numKids(E);
    if (!Stack.back().second) {
      Stack.back().second = true;
      for (unsigned I = 0; I < N; ++I)
        if (Z3_ast K = kid(E, I); !Done.count(id(K)))
          Stack.push_back({z3::expr(C, K), false});
      continue;
    }
    z3::expr Key = Stack.back().first;
    Stack.pop_back();
    New.clear();
    bool Changed = false;
    for (unsigned I = 0; I < N; ++I) {
      Z3_ast K = kid(E, I);
      Z3_ast To = Done.at(id(K)).second;
      Changed |= To != K;
      New.push_back(To);
    }
    z3::expr R = Key;
    if (Changed) {
      R = z3::expr(C, Z3_update_term(C, E, N, New.data()));
      C.check_error();
    }
    Done.try_emplace(id(E), Key, R);
  }
  return Done.at(id(Root)).second;
}

void FunctionEncoder::expandOpaque() {
  if (Opaque.empty())
    return;
  ClosedReplacer Expand(C);
  for (auto &[K, App] : Opaque)
    Expand.define(K, Expand(App));
  auto sub = [&](z3::expr &E) {
    if ((bool)E)
      E = Expand(E);
  };
  sub(Out.UB), sub(Out.ProvUB), sub(Out.Cut), sub(Out.Approx), sub(Out.Stop),
      sub(Out.StopTok);
  for (z3::expr *E : {&Out.Ret.V, &Out.Ret.P, &Out.Ret.U, &Out.Ret.FU,
                      &Out.Ret.Bid, &Out.Ret.Root, &Out.Ret.Prv})
    sub(*E);
  for (z3::expr *E : Out.MemOut.fields())
    sub(*E);
  sub(Out.MemOut.Valid), sub(Out.MemOut.Dead), sub(Out.MemOut.Esc);
  for (auto *V : {&Out.Pre, &Out.ChoiceDom, &Out.PairedChoices,
                  &Out.IndexChoices, &Out.EscapingBases})
    for (z3::expr &E : *V)
      sub(E);
  for (auto *V : {&Out.UndefByteVars, &Out.LikelyChoice, &Out.Allocas})
    for (auto &[A, B] : *V)
      sub(A), sub(B);
}

/// The bytes of a constant initializer, or false when it is not plain data.
static bool initializerBytes(const Constant *K, const DataLayout &DL,
                             std::vector<uint8_t> &Out) {
  uint64_t Size = DL.getTypeAllocSize(K->getType());
  if (isa<ConstantAggregateZero>(K)) {
    Out.insert(Out.end(), Size, 0);
    return true;
  }
  if (auto *CI = dyn_cast<ConstantInt>(K)) {
    APInt V = CI->getValue().zext(Size * 8);
    for (uint64_t I = 0; I < Size; ++I)
      Out.push_back((uint8_t)V.extractBitsAsZExtValue(8, 8 * I));
    return true;
  }
  if (auto *CF = dyn_cast<ConstantFP>(K)) {
    if (!isModelledFP(CF->getType()))
      return false;
    APInt V = CF->getValueAPF().bitcastToAPInt();
    for (uint64_t I = 0; I < Size; ++I)
      Out.push_back((uint8_t)V.extractBitsAsZExtValue(8, 8 * I));
    return true;
  }
  if (auto *CDS = dyn_cast<ConstantDataSequential>(K)) {
    Type *ET = CDS->getElementType();
    if (!isModelledFP(ET) &&
        (!ET->isIntegerTy() ||
         DL.getTypeAllocSize(ET) * 8 != ET->getIntegerBitWidth()))
      return false;
    StringRef Raw = CDS->getRawDataValues(); // host order: little endian
    Out.insert(Out.end(), Raw.bytes_begin(), Raw.bytes_end());
    return true;
  }
  if (auto *CA = dyn_cast<ConstantArray>(K)) {
    for (const Use &Op : CA->operands()) {
      size_t Before = Out.size();
      if (!initializerBytes(cast<Constant>(Op), DL, Out))
        return false;
      uint64_t ES = DL.getTypeAllocSize(Op->getType());
      Out.resize(Before + ES, 0);
    }
    return true;
  }
  if (auto *CS = dyn_cast<ConstantStruct>(K)) {
    const StructLayout *SL = DL.getStructLayout(CS->getType());
    size_t Base = Out.size();
    for (unsigned I = 0; I < CS->getNumOperands(); ++I) {
      Out.resize(Base + SL->getElementOffset(I), 0);
      if (!initializerBytes(CS->getOperand(I), DL, Out))
        return false;
    }
    Out.resize(Base + Size, 0);
    return true;
  }
  return false;
}

/// Whether two constant globals of two modules hold the same contents:
/// the same bytes where the encoder can spell them out, otherwise the same
/// initializer (isSameConstant: globals by name, struct types by body).
static bool sameInitializer(const GlobalVariable &A, const GlobalVariable &B) {
  if (!A.hasDefinitiveInitializer() || !B.hasDefinitiveInitializer())
    return A.hasDefinitiveInitializer() == B.hasDefinitiveInitializer() &&
           A.getValueType() == B.getValueType();
  std::vector<uint8_t> BA, BB;
  if (initializerBytes(A.getInitializer(), A.getDataLayout(), BA) &&
      initializerBytes(B.getInitializer(), B.getDataLayout(), BB))
    return BA == BB;
  return isSameConstant(*A.getInitializer(), *B.getInitializer());
}

/// The global variables F's instructions use, directly or in constant
/// expressions, each once.
static std::vector<const GlobalVariable *> usedGlobals(const Function &F) {
  std::vector<const GlobalVariable *> R;
  SmallPtrSet<const Value *, 32> Seen;
  std::vector<const Value *> Work;
  for (const Instruction &I : instructions(F))
    for (const Value *Op : I.operands())
      if (isa<Constant>(Op))
        Work.push_back(Op);
  while (!Work.empty()) {
    const Value *V = Work.back();
    Work.pop_back();
    if (!Seen.insert(V).second)
      continue;
    if (auto *CE = dyn_cast<ConstantExpr>(V))
      for (const Value *Op : CE->operands())
        Work.push_back(Op);
    // A write-only global's stores are not modelled (storesToWriteOnlyGlobal),
    // nor is the global: one module may have deleted it.
    if (auto *GV = dyn_cast<GlobalVariable>(V); GV && !isWriteOnlyGlobal(*GV))
      R.push_back(GV);
  }
  return R;
}

std::string differingGlobal(const Function &F, const Function &G) {
  if (F.getParent() == G.getParent())
    return "";
  for (auto [A, OtherModule] :
       {std::pair(&F, G.getParent()), std::pair(&G, F.getParent())})
    for (const GlobalVariable *GV : usedGlobals(*A)) {
      if (GV->getName().empty())
        continue;
      const GlobalVariable *Other = OtherModule->getNamedGlobal(GV->getName());
      // A variable only one module has: its memory at return means nothing
      // to the other (a dead store one pipeline kept to a global the other
      // deleted), so the pair is not comparable function by function. A
      // constant only one has (a lookup table one pipeline made) is read
      // as its contents, which is exact.
      if (!Other) {
        if (!GV->isConstant())
          return ("global variable @" + GV->getName() +
                  " is in one module only")
              .str();
        continue;
      }
      if (GV->isConstant() != Other->isConstant())
        return ("global @" + GV->getName() + " is constant in one module only")
            .str();
      if (GV->isConstant() && !sameInitializer(*GV, *Other))
        return ("constant global @" + GV->getName() +
                " has other contents in the other module")
            .str();
    }
  return "";
}

void registerGlobals(SharedInputs &In, const Function &F) {
  z3::context &C = In.C;
  const DataLayout &DL = F.getParent()->getDataLayout();
  for (const GlobalVariable *GV : usedGlobals(F)) {
    std::string Name = GV->getName().str();
    if (Name.empty())
      unsupported("unnamed global");
    uint64_t Size = DL.getTypeAllocSize(GV->getValueType());
    auto It = In.Globals.find(Name);
    if (It != In.Globals.end()) {
      if (It->second.second != Size)
        unsupported("global @" + Name + " differs in size");
      continue;
    }
    if (GV->isThreadLocal() || GV->getAddressSpace() != 0)
      unsupported("thread-local or non-zero address space global");
    if (Size == 0 || Size > (1u << 20))
      unsupported("global @" + Name + " of unsupported size");
    z3::expr Addr = C.bv_const(("global_" + Name).c_str(), 64);
    // What LLVM's analyses take as known (Value::getPointerAlignment): the
    // explicit alignment, or without one the preferred alignment of its
    // type for a definition, which code generation gives it, and the ABI
    // alignment for a declaration.
    uint64_t Align = GV->getPointerAlignment(DL).value();
    In.GlobalPre.push_back(Addr != C.bv_val(0, 64));
    In.GlobalPre.push_back(z3::urem(Addr, C.bv_val(Align, 64)) == C.bv_val(0, 64));
    In.GlobalPre.push_back(z3::ule(Addr, C.bv_val(0, 64) - C.bv_val(Size + 1, 64)));
    for (auto &[ON, OG] : In.Globals)
      In.GlobalPre.push_back(z3::uge(OG.first, Addr + C.bv_val(Size, 64)) ||
                             z3::uge(Addr, OG.first + C.bv_val(OG.second, 64)));
    if (GV->isConstant()) {
      // Both functions may rely on a constant global's contents. Where they
      // cannot be spelled out, both read the same unknown bytes.
      std::vector<uint8_t> Bytes;
      if (!GV->hasDefinitiveInitializer() ||
          !initializerBytes(GV->getInitializer(), DL, Bytes) ||
          Bytes.size() > 4096) {
        In.OpaqueGlobals.insert(Name);
        Bytes.clear();
      }
      for (size_t I = 0; I < Bytes.size(); ++I) {
        z3::expr A = Addr + C.bv_val(I, 64);
        In.GlobalPre.push_back(z3::select(In.Mem0, A) == C.bv_val(Bytes[I], 8));
        In.GlobalPre.push_back(!z3::select(In.PM0, A));
        In.GlobalPre.push_back(!z3::select(In.DM0, A));
      }
    }
    if (GV->isConstant())
      In.ConstGlobals.insert(Name);
    In.Globals.insert({Name, {Addr, Size}});
  }
}

void encodeFunction(SharedInputs &In, const Function &F, bool IsSrc,
                    unsigned UnrollBound, EncodedFunction &Out) {
  if (F.isDeclaration())
    unsupported("declaration without a body");
  FunctionEncoder(In, F, IsSrc, UnrollBound, Out).run();
}

} // namespace verify
} // namespace neuropt
