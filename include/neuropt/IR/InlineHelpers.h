//===- InlineHelpers.h - Inline functions a transformation created -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A pipeline may create functions that the source does not have: the IR
// outliner's outlined_ir_func_N, or a merged body under a new name. Such a
// helper has nothing to be checked against, and a call to it makes its
// caller differ from the source's version of the caller by a call the
// verifier cannot see through. Inlining every call of the helpers, in a copy
// of the module made for the check, gives callers that compute what the
// originals compute (inlining preserves the module's behaviour) with the
// helpers' code in place, which can be checked against the source's callers.
// A helper all of whose calls were inlined is then covered by its callers'
// checks.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_IR_INLINEHELPERS_H
#define NEUROPT_IR_INLINEHELPERS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace llvm {
class Function;
class Module;
} // namespace llvm

namespace neuropt {

/// Inlines, in \p M, every direct call of a defined function for which
/// \p IsHelper is true, also calls that inlining brings into other
/// functions, for at most \p MaxRounds rounds. Helpers that call themselves,
/// and calls LLVM's inliner refuses, stay calls. Inserts into \p Covered the helpers
/// left without any use (every call inlined); returns how many calls were
/// inlined. Meant for a copy of a module made for verification: the helpers
/// stay in \p M (unused).
unsigned inlineHelpers(llvm::Module &M,
                       llvm::function_ref<bool(const llvm::Function &)> IsHelper,
                       llvm::SmallPtrSetImpl<const llvm::Function *> &Covered,
                       unsigned MaxRounds = 4);

} // namespace neuropt

#endif
