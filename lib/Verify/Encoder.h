//===- Encoder.h - LLVM IR to Z3 encoding (private to lib/Verify) -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This header is private to lib/Verify: it is the only place where LLVM IR
// meets Z3 types, and it is never installed.
//
// The encoding follows Alive2's semantics. Every value is a triple (bits,
// poison, may-be-undef). Undef is a fresh variable at each use: the target's
// are free (existential in the negated query), the source's are collected in
// ForallVars and quantified universally in the exact query. Anything the
// encoding over-approximates (it makes the source more defined or the target
// less defined than LLVM does) is sound for proofs, but is recorded in
// Approx so that it never yields a spurious refutation.
//
//===----------------------------------------------------------------------===//
#ifndef NEUROPT_LIB_VERIFY_ENCODER_H
#define NEUROPT_LIB_VERIFY_ENCODER_H

#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/ConstantRange.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Instructions.h"
#include <z3++.h>

#include <array>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace neuropt {
namespace verify {

/// Z3's resource count of one context: it grows with the solver's work and
/// the simplifier's rewriting steps alike, and is the same on every run for
/// the same queries, which makes it a reproducible budget. Read through a
/// solver's statistics: one kept for that, and a simple one, because the
/// default solver's first statistics cost 3-4 ms of set-up (the count is
/// the context's either way).
class ResourceMeter {
public:
  explicit ResourceMeter(z3::context &C) : Probe(C, z3::solver::simple()) {}
  /// Z3's count plus the units charged for work it does not count.
  uint64_t count() const;
  void charge(uint64_t Units) { Charged += Units; }

private:
  z3::solver Probe;
  uint64_t Charged = 0;
};

/// What setting up one Z3 solver costs in resource units: about 4 ms, at
/// the 2,000 units per ms Z3 counts on the development machine.
constexpr uint64_t kSolverSetupUnits = 8000;
/// What setting up Z3's SMT core alone costs (solver::simple(), 0.07 ms).
constexpr uint64_t kLightSolverSetupUnits = 150;
/// What setting up Z3's qfbv tactic as a solver costs (0.18 ms).
constexpr uint64_t kBitBlastSolverSetupUnits = 400;

/// Replaces terms by closed terms (no loose bound variables) throughout
/// any number of terms, with one cache for all of them, so that each node
/// they share is rebuilt once. Z3's substitute (4.8) starts afresh under
/// each binder and walks what it substitutes there again: on the memory
/// encodings' nested lambdas one call took 12 s where this takes 2 ms
/// (bench/results/verify.md, session 45). Like it, a replacement is not
/// searched for further replacements.
class ClosedReplacer {
public:
  explicit ClosedReplacer(z3::context &C) : C(C) {}
  ClosedReplacer(const z3::expr_vector &From, const z3::expr_vector &To)
      : C(From.ctx()) {
    for (unsigned I = 0; I < From.size(); ++I)
      define(From[I], To[I]);
  }
  void define(const z3::expr &From, const z3::expr &To) {
    Done.try_emplace(Z3_get_ast_id(C, From), From, To);
  }
  z3::expr operator()(const z3::expr &E);

private:
  z3::context &C;
  /// By AST id: each term visited or defined, kept alive so that its id is
  /// not reused while the cache lives, and what it becomes.
  std::unordered_map<unsigned, std::pair<z3::expr, z3::expr>> Done;
};

/// The reason of a verification stopped by its resource limit.
constexpr const char *kResourceLimit = Verifier::kResourceLimit;

/// E simplified within MaxSteps rewriting steps; throws
/// Unsupported{kResourceLimit} when the bound is reached.
z3::expr simplifyBounded(const z3::expr &E, uint64_t MaxSteps);

/// Thrown (inside lib/Verify only) when the IR leaves the supported fragment
/// (or the encoding runs out of its resource budget: kResourceLimit).
struct Unsupported {
  std::string What;
};

/// One SSA value: bits, poison flag, and a may-be-undef flag.
struct Val {
  z3::expr V, P, U;
  z3::expr Bid;       ///< pointers: 0 = caller memory, k = k-th alloca
  /// The value is wholly undef (an under-approximation, where U is an
  /// over-approximation through arithmetic). For pointers: the base is undef.
  z3::expr FU;
  /// Pointers a GEP made: the pointer its chain of GEPs started from, whose
  /// allocated object the inbounds rules refer to (empty: V itself).
  z3::expr Root;
  /// Pointers: the provenance, the allocated object the pointer may be
  /// used to access (LangRef's "pointer aliasing rules"): a 16-bit id, 0
  /// for none (null, bytes that held no pointer). Two pointers with the
  /// same address may have different provenance, so a target that
  /// replaces one by the other (after comparing them equal) is not proved.
  z3::expr Prv;
  bool Local = false; ///< pointer may point into an alloca
  /// U is exact, not an over-approximation: a loaded value or an argument.
  bool UExact = false;
  std::vector<Val> Elems; ///< aggregates (with.overflow results)
  explicit Val(z3::context &C)
      : V(C), P(C), U(C), Bid(C), FU(C), Root(C), Prv(C) {}
  Val(z3::expr V, z3::expr P, z3::expr U)
      : V(V), P(P), U(U), Bid(V.ctx()), FU(V.ctx().bool_val(false)),
        Root(V.ctx()), Prv(V.ctx()) {}
};

/// The width of a provenance id (Val::Prv). A proof holds for every
/// assignment of ids to objects, so what matters is that the objects one
/// execution touches fit, and a function has fewer than 2^16 instructions.
constexpr unsigned kProvBits = 16;

/// The fields of one memory byte: bits, poison, uninitialised, undef, and
/// the provenance of the pointer the byte is part of (0: none).
constexpr unsigned kByteFields = 5;
using MemByte = std::array<z3::expr, kByteFields>;
/// Indices of MemByte's fields.
enum MemByteField : unsigned {
  kByteBits,
  kBytePoison,
  kByteUninit,
  kByteUndef,
  kByteProv
};

/// Inputs shared by the source and the target: the arguments and the
/// caller's memory.
struct SharedInputs {
  z3::context &C;
  /// inbounds(root, addr): addr is within the allocated object (its
  /// one-past-the-end address included) that the caller-memory pointer
  /// root is based on. Object extents are not modelled otherwise, so this
  /// is an unknown function, the same in both functions; a proof holds for
  /// every interpretation, the real one included.
  z3::func_decl InBounds;
  /// Resource units the encoding may still use (its simplifications); empty:
  /// unlimited.
  std::function<uint64_t()> UnitsLeft;
  /// VerifyOptions::CheapCallEncoding.
  bool CheapCalls = false;
  /// VerifyOptions::AssumeDefinedInputs (set before makeSharedInputs).
  bool DefinedInputs = false;
  std::vector<z3::expr> X;  ///< argument bits
  std::vector<z3::expr> XP; ///< argument is poison
  std::vector<z3::expr> XU; ///< argument is undef
  std::vector<z3::expr> XPrv; ///< pointer arguments: provenance (else 0)
  /// inobj(prov, addr): addr is within the object of provenance prov, as
  /// the caller's memory is laid out. Unknown like InBounds, except for a
  /// global's own provenance (see FunctionEncoder::inObject).
  z3::func_decl InObj;
  /// Global variables referenced by either function, by name: (address,
  /// size in bytes). Their placement constraints are in GlobalPre.
  std::map<std::string, std::pair<z3::expr, uint64_t>> Globals;
  /// Names of the constant ones (writing to them is UB).
  std::set<std::string> ConstGlobals;
  /// Constant globals whose initializer is not plain data the encoder can
  /// spell out (pointers, or too large): both functions read the same
  /// unknown contents, so a proof holds whatever they are, but a
  /// counterexample may rest on contents the global does not have.
  std::set<std::string> OpaqueGlobals;
  std::vector<z3::expr> GlobalPre;
  /// Initial bytes, poison bytes, undef bytes; valid addresses; of the
  /// valid addresses at entry, those that may be written (memory need not
  /// be writable where it is dereferenceable, as in Alive2).
  z3::expr Mem0, PM0, DM0, Valid, Writable;
  /// The provenance of each byte of caller memory at entry.
  z3::expr Prv0;
  /// What the calls to each callee, by name, may do, over both functions
  /// (see registerCalls).
  struct CallEffects {
    bool Reads = false, Writes = false, Returns = true, NoReturn = true;
  };
  std::map<std::string, CallEffects> Calls;
  std::set<const llvm::CallInst *> CallsSeen;
  explicit SharedInputs(z3::context &C)
      : C(C), InBounds(C.function("inbounds", C.bv_sort(64), C.bv_sort(64),
                                  C.bool_sort())),
        InObj(C.function("inobj", C.bv_sort(kProvBits), C.bv_sort(64),
                         C.bool_sort())),
        Mem0(C), PM0(C), DM0(C), Valid(C), Writable(C), Prv0(C) {}
};

struct MemState {
  /// The byte fields in MemByte's order.
  std::array<z3::expr *, kByteFields> fields() {
    return {&Mem, &PM, &UM, &DM, &Prv};
  }
  std::array<const z3::expr *, kByteFields> fields() const {
    return {&Mem, &PM, &UM, &DM, &Prv};
  }
  /// Bytes, poison bytes, uninitialised bytes, undef bytes, and each
  /// byte's provenance (see MemByte).
  z3::expr Mem, PM, UM, DM, Prv;
  /// Caller memory only: the addresses that may be accessed. SharedInputs'
  /// Valid at entry; a call may allocate or free (see call modelling).
  z3::expr Valid;
  /// Allocas: the object is dead (outside its lifetime markers).
  z3::expr Dead;
  /// Allocas: the object has been passed to a call. From then on its bytes
  /// live in caller memory (block 0), where the callees can reach them.
  z3::expr Esc;
  explicit MemState(z3::context &C)
      : Mem(C), PM(C), UM(C), DM(C), Prv(C), Valid(C), Dead(C.bool_val(false)),
        Esc(C.bool_val(false)) {}
};

/// The meaning of one function, as formulas over the shared inputs.
struct EncodedFunction {
  z3::expr UB, Cut, Approx;   ///< UB on some executed path; bound exceeded
  /// Target only: UB of an access through a pointer outside the object of
  /// its provenance (inobj). Kept apart from UB because inobj is unknown:
  /// a counterexample that rests on it is not a refutation.
  z3::expr ProvUB;
  Val Ret;                    ///< returned value (void: unused)
  MemState MemOut;            ///< memory at return
  std::vector<z3::expr> Pre;  ///< assumptions about the environment
  std::vector<z3::expr> ForallVars; ///< source-side undef choices
  std::vector<std::vector<z3::expr>> ArgUseVars; ///< per arg, per use
  std::vector<std::pair<z3::expr, z3::expr>> Allocas; ///< (base, size)
  /// Fresh values read from undef memory bytes, in load order, with the
  /// stored bits they stand for (used to instantiate the source's choices).
  std::vector<std::pair<z3::expr, z3::expr>> UndefByteVars;
  /// Choices a target makes in the same position as its source, in
  /// encoding order: each NaN result's bits, each fmuladd's fusion (used to
  /// instantiate the source's choices with the target's).
  std::vector<z3::expr> PairedChoices;
  /// Indices into ranges of symbolic length (one per memory intrinsic's
  /// range check), in encoding order: the source's are instantiated with
  /// the target's in the same position counted from the end.
  std::vector<z3::expr> IndexChoices;
  /// The addresses of the allocas passed to calls, in the order they are
  /// first passed (by call, then argument): the source's are choices,
  /// instantiated with the target's in the same position (a callee tells
  /// addresses apart).
  std::vector<z3::expr> EscapingBases;
  /// Source only: for a NaN's bits, a member of its domain likely to match
  /// what a target does (the first input NaN passed on unchanged), used
  /// when the target has no choice to pair it with.
  std::vector<std::pair<z3::expr, z3::expr>> LikelyChoice;
  /// Source only: the domain of its constrained choices (a NaN's bits, the
  /// placement of an alloca passed to a call). A choice outside it is no
  /// behaviour of the source, so it rescues nothing.
  std::vector<z3::expr> ChoiceDom;
  std::set<std::string> ApproxWhat;
  /// Calls to other functions are unknown functions of their inputs (the
  /// arguments and, unless the call leaves memory alone, caller memory);
  /// see encodeCall. Stop: the execution ended inside a call that did not
  /// return; StopTok: which call, as an unknown function of its inputs.
  z3::expr Stop, StopTok;
  bool HasCalls = false;
  bool HasLoops = false;
  bool UsesMemory = false;
  bool IsVoid = false;
  explicit EncodedFunction(z3::context &C)
      : UB(C), Cut(C), Approx(C), ProvUB(C.bool_val(false)), Ret(C), MemOut(C),
        Stop(C), StopTok(C) {}
};

/// While one is alive on this thread, the encoder remembers what it found
/// about global variables (whether a global is only ever stored to), so
/// that a batch of checks asks once per global. The modules must neither
/// change nor be freed meanwhile. Scopes nest; the outermost owns the facts.
class GlobalFactsScope {
public:
  GlobalFactsScope();
  ~GlobalFactsScope();
  GlobalFactsScope(const GlobalFactsScope &) = delete;
  GlobalFactsScope &operator=(const GlobalFactsScope &) = delete;

private:
  bool Owner;
};

/// Builds the inputs for functions with F's signature.
void makeSharedInputs(SharedInputs &In, const llvm::Function &F);

/// Registers the global variables F references (call for both functions
/// before encoding either). Throws Unsupported.
void registerGlobals(SharedInputs &In, const llvm::Function &F);

/// A global that F or G uses (by name) and that their two modules define
/// differently, as text: a variable in one module only, constant in one
/// only, or a constant with other contents. Each function is encoded as reading
/// its own module's constants, and both are taken to see the same memory, so
/// such a pair cannot be compared function by function. Empty if none (or if F
/// and G are in one module).
std::string differingGlobal(const llvm::Function &F, const llvm::Function &G);

/// Registers what F's calls may do (call for both functions before
/// encoding either): each callee is modelled with the weaker of the two
/// sides' attributes, since the modules they come from may have inferred
/// different ones for the same declaration.
void registerCalls(SharedInputs &In, const llvm::Function &F);

/// What the source's and the target's calls of one callee share (their
/// effects, and the unknown function that stands for the callee): the
/// callee's name, or for an indirect call its function type, so that
/// indirect calls of one type are calls of one unknown function that takes
/// the called pointer as one more argument.
std::string callKey(const llvm::CallBase &CB);

/// Encodes F. IsSrc selects the quantifier of F's undef choices.
/// Throws Unsupported.
void encodeFunction(SharedInputs &In, const llvm::Function &F, bool IsSrc,
                    unsigned UnrollBound, EncodedFunction &Out);

/// Why the encoder cannot model a call that is not an intrinsic ("indirect
/// call", "call @f with a float argument", ...); empty if it can.
std::string unmodelledCallReason(const llvm::CallBase &CB);

/// Why the encoder cannot model I whatever its operands' values: an opcode,
/// type, intrinsic or call outside the fragment, or a pointer into an
/// alloca that escapes (compared, stored, passed or returned); empty if it
/// can. The encoder checks each instruction with it.
std::string unsupportedReason(const llvm::Instruction &I);

/// The first reason (see unsupportedReason) in a block reachable from F's
/// entry, or one that makes F too large to encode; empty if none. It needs
/// no solver context, so a function outside the fragment costs nothing to
/// set aside.
std::string findUnsupported(const llvm::Function &F);

/// The values of an integer in a range attribute's constant range.
z3::expr inRange(const z3::expr &X, const llvm::ConstantRange &CR);

/// z3 sort for an LLVM first-class type; throws Unsupported. Half, float
/// and double are bit-vectors of their IEEE bits.
z3::sort sortFor(z3::context &C, llvm::Type *T);

/// The floating-point sort whose IEEE encoding has Bits bits (16, 32, 64).
z3::sort fpSortOfBits(z3::context &C, unsigned Bits);

/// The bits of the preferred quiet NaN (positive, quiet bit only) of the
/// format with Bits bits.
z3::expr preferredNaNBits(z3::context &C, unsigned Bits);

} // namespace verify
} // namespace neuropt

#endif // NEUROPT_LIB_VERIFY_ENCODER_H
