//===- TranslationValidation.h - neuropt-tv<PIPELINE> pass ------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
#ifndef NEUROPT_PASSES_TRANSLATIONVALIDATION_H
#define NEUROPT_PASSES_TRANSLATIONVALIDATION_H

#include "llvm/IR/PassManager.h"

#include <string>

namespace neuropt {

/// Runs an inner function pipeline on every function and checks that the
/// result refines the original (Verify/Verifier.h), reporting each verdict
/// as an optimization remark named "neuropt-tv". Translation validation of
/// any LLVM pass, in the manner of Alive2's opt plugin.
class TranslationValidationPass
    : public llvm::PassInfoMixin<TranslationValidationPass> {
public:
  TranslationValidationPass(llvm::FunctionPassManager Inner,
                            std::string PipelineText)
      : Inner(std::move(Inner)), PipelineText(std::move(PipelineText)) {}

  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  llvm::FunctionPassManager Inner;
  std::string PipelineText;
};

} // namespace neuropt

#endif // NEUROPT_PASSES_TRANSLATIONVALIDATION_H
