//===- IRTestUtil.h - Parsing and printing IR in unit tests ----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TEST_UNIT_COMMON_IRTESTUTIL_H
#define NEUROPT_TEST_UNIT_COMMON_IRTESTUTIL_H

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

namespace neuropt {
inline std::unique_ptr<llvm::Module> parseIR(llvm::LLVMContext &Ctx,
                                             llvm::StringRef Text) {
  llvm::SMDiagnostic Err;
  auto M = llvm::parseAssemblyString(Text, Err, Ctx);
  if (!M)
    ADD_FAILURE() << "bad test IR: " << Err.getMessage().str();
  return M;
}

/// \p M printed as textual IR.
inline std::string printModule(const llvm::Module &M) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  M.print(OS, nullptr);
  return S;
}
} // namespace neuropt

#endif
