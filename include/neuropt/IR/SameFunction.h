//===- SameFunction.h - Exact equality of functions in two modules -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Decides whether two function definitions that live in different modules of
// one LLVMContext are the same code: same signature, attributes and calling
// convention, and the same instructions in the same blocks, operand for
// operand. Globals are matched by name, so @f in one module equals @f in the
// other. Everything else a semantic difference could hide in is compared
// exactly (flags, instruction metadata but !dbg, call-site attributes), and
// anything the comparison does not understand counts as a difference. So
// "same" is exact, while "different" may be a false alarm (e.g. functions
// that differ only in value names are reported the same; ones that differ in
// debug-info scopes are compared without them). dropsPromisesOnly is the
// same comparison with the target allowed to keep fewer of the source's
// promises, which makes it a refinement.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_IR_SAMEFUNCTION_H
#define NEUROPT_IR_SAMEFUNCTION_H

#include "llvm/IR/Attributes.h"

#include <optional>
#include <string>

namespace llvm {
class Constant;
class Function;
class Module;
class Type;
} // namespace llvm

namespace neuropt {

/// True if \p A and \p B are the same type up to the names of identified
/// structs: two structs are the same if their bodies are, element for
/// element (and packed alike). Names mean nothing in LLVM IR, but a module
/// read from bitcode into a context that already has its struct types gets
/// renamed copies of them (%struct.S.12), which LLVM compares as different.
/// Opaque structs are the same only as the same object. Types of two
/// contexts are compared by what they are (widths, address spaces, element
/// types); two opaque structs of two contexts are the same if their names
/// are.
bool isSameType(llvm::Type *A, llvm::Type *B);

/// True if \p A and \p B are the same attribute, the types of type
/// attributes (byval, sret, elementtype...) compared by isSameType.
bool isSameAttribute(llvm::Attribute A, llvm::Attribute B);

/// True if \p A and \p B, constants of two modules of the same context
/// (initializers, for one), are the same: globals matched by name, types
/// compared by isSameType.
bool isSameConstant(const llvm::Constant &A, const llvm::Constant &B);

/// True if \p A and \p B, definitions in two modules of the same context,
/// compute the same thing instruction for instruction.
bool isSameFunction(const llvm::Function &A, const llvm::Function &B);

/// True if \p Tgt is \p Src instruction for instruction, except that it
/// keeps fewer of Src's promises: poison-generating flags and fast-math
/// flags, attributes of the function, its parameters, its return value and
/// its calls (ABI attributes such as byval and zeroext aside, which must be
/// the same), metadata, the alignment of loads and stores, and tail
/// markers. Each of those only adds undefined behaviour or poison where it
/// does not hold (or is a hint without meaning), so Tgt is then defined
/// wherever Src is and does the same there: Tgt refines Src, whatever the
/// calls it makes do. The definitions' calling conventions and linkage are
/// not compared (they concern their callers). Globals are matched by name,
/// as in isSameFunction and in the SMT verifier, which also reads both
/// functions' globals as one object.
bool dropsPromisesOnly(const llvm::Function &Src, const llvm::Function &Tgt);

/// Where a module differs from another in what function-by-function checks
/// leave out.
struct ModuleDifference {
  /// The first wrong difference, or the first difference if none is wrong,
  /// as text.
  std::string Why;
  /// Wrong whatever the functions do: the definitions other modules link
  /// against (a symbol dropped or added, its linkage, visibility or type
  /// changed). Otherwise the checks may not compose (unknown).
  bool Wrong = false;
};

/// Compares what function-by-function checks of \p Tgt against \p Ref
/// (modules of one context) leave out: none if Tgt defines the same
/// globals, functions and aliases for other modules (names, linkage,
/// visibility, types), and every global variable both define has the same
/// initial value and attributes (section, at least Ref's alignment,
/// constant only if Ref's is), so that functions proved one by one make up
/// the same program. Tgt may drop or add internal definitions: they are
/// checked through the functions that use them.
///
/// \p Inlined, if given, is a copy of Tgt with the helpers its pipeline
/// created inlined into their callers (inlineHelpers), the module whose
/// functions the function checks compare. Whether an internal function is
/// only called, and so may change its calling convention, is then read
/// from it: the IR outliner passes functions to the helpers it creates,
/// which call them there. Calls with another convention than their callee's
/// are still looked for in Tgt, where inlining would hide them.
std::optional<ModuleDifference>
moduleDifference(const llvm::Module &Ref, const llvm::Module &Tgt,
                 const llvm::Module *Inlined = nullptr);

} // namespace neuropt

#endif
