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
// debug-info scopes are compared without them).
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_IR_SAMEFUNCTION_H
#define NEUROPT_IR_SAMEFUNCTION_H

namespace llvm {
class Function;
} // namespace llvm

namespace neuropt {

/// True if \p A and \p B, definitions in two modules of the same context,
/// compute the same thing instruction for instruction.
bool isSameFunction(const llvm::Function &A, const llvm::Function &B);

} // namespace neuropt

#endif
