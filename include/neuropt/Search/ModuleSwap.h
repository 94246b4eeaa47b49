//===- ModuleSwap.h - Replace a module's contents with another's -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// neuropt-size decides between whole optimized versions of a translation
// unit. The winner must become the module the compiler goes on with, and it
// must stay exactly the module that was measured: same globals, same order,
// same use lists (code generation depends on use-list order). So the winner
// is built in the same LLVMContext and its globals, functions, aliases,
// ifuncs, comdats and named metadata are moved, not copied, into the
// emptied destination module.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SEARCH_MODULESWAP_H
#define NEUROPT_SEARCH_MODULESWAP_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace llvm {
class LLVMContext;
class MemoryBufferRef;
class Module;
} // namespace llvm

namespace neuropt {

/// Replaces everything in \p Dst with the contents of \p Src, which must
/// live in the same context. \p Src is left empty.
void replaceModuleContents(llvm::Module &Dst, llvm::Module &Src);

/// Bitcode of \p M with its use-list order.
std::string writeModuleBitcode(const llvm::Module &M);

/// Parses \p Bitcode into \p Ctx.
llvm::Expected<std::unique_ptr<llvm::Module>>
readModuleBitcode(llvm::StringRef Bitcode, llvm::LLVMContext &Ctx);

} // namespace neuropt

#endif // NEUROPT_SEARCH_MODULESWAP_H
