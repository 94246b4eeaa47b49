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

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstrTypes.h"
#include <z3++.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace neuropt {
namespace verify {

/// Thrown (inside lib/Verify only) when the IR leaves the supported fragment.
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
  bool Local = false; ///< pointer may point into an alloca
  std::vector<Val> Elems; ///< aggregates (with.overflow results)
  explicit Val(z3::context &C) : V(C), P(C), U(C), Bid(C), FU(C) {}
  Val(z3::expr V, z3::expr P, z3::expr U)
      : V(V), P(P), U(U), Bid(V.ctx()), FU(V.ctx().bool_val(false)) {}
};

/// Inputs shared by the source and the target: the arguments and the
/// caller's memory.
struct SharedInputs {
  z3::context &C;
  std::vector<z3::expr> X;  ///< argument bits
  std::vector<z3::expr> XP; ///< argument is poison
  std::vector<z3::expr> XU; ///< argument is undef
  /// Global variables referenced by either function, by name: (address,
  /// size in bytes). Their placement constraints are in GlobalPre.
  std::map<std::string, std::pair<z3::expr, uint64_t>> Globals;
  /// Names of the constant ones (writing to them is UB).
  std::set<std::string> ConstGlobals;
  std::vector<z3::expr> GlobalPre;
  /// Initial bytes, poison bytes, undef bytes; valid addresses.
  z3::expr Mem0, PM0, DM0, Valid;
  explicit SharedInputs(z3::context &C)
      : C(C), Mem0(C), PM0(C), DM0(C), Valid(C) {}
};

struct MemState {
  /// Bytes, poison bytes, uninitialised bytes, undef bytes.
  z3::expr Mem, PM, UM, DM;
  /// Allocas: the object is dead (outside its lifetime markers).
  z3::expr Dead;
  explicit MemState(z3::context &C)
      : Mem(C), PM(C), UM(C), DM(C), Dead(C.bool_val(false)) {}
};

/// The meaning of one function, as formulas over the shared inputs.
struct EncodedFunction {
  z3::expr UB, Cut, Approx;   ///< UB on some executed path; bound exceeded
  Val Ret;                    ///< returned value (void: unused)
  MemState MemOut;            ///< memory at return
  std::vector<z3::expr> Pre;  ///< assumptions about the environment
  std::vector<z3::expr> ForallVars; ///< source-side undef choices
  std::vector<std::vector<z3::expr>> ArgUseVars; ///< per arg, per use
  std::vector<std::pair<z3::expr, z3::expr>> Allocas; ///< (base, size)
  /// Fresh values read from undef memory bytes, in load order, with the
  /// stored bits they stand for (used to instantiate the source's choices).
  std::vector<std::pair<z3::expr, z3::expr>> UndefByteVars;
  std::set<std::string> ApproxWhat;
  bool HasLoops = false;
  bool UsesMemory = false;
  bool IsVoid = false;
  explicit EncodedFunction(z3::context &C)
      : UB(C), Cut(C), Approx(C), Ret(C), MemOut(C) {}
};

/// Builds the inputs for functions with F's signature.
void makeSharedInputs(SharedInputs &In, const llvm::Function &F);

/// Registers the global variables F references (call for both functions
/// before encoding either). Throws Unsupported.
void registerGlobals(SharedInputs &In, const llvm::Function &F);

/// Encodes F. IsSrc selects the quantifier of F's undef choices.
/// Throws Unsupported.
void encodeFunction(SharedInputs &In, const llvm::Function &F, bool IsSrc,
                    unsigned UnrollBound, EncodedFunction &Out);

/// How the encoder reports a call it cannot model ("call @f" or "indirect
/// call"): every call but an intrinsic.
std::string describeUnmodelledCall(const llvm::CallBase &CB);

/// z3 sort for an LLVM first-class type; throws Unsupported.
z3::sort sortFor(z3::context &C, llvm::Type *T);

} // namespace verify
} // namespace neuropt

#endif // NEUROPT_LIB_VERIFY_ENCODER_H
