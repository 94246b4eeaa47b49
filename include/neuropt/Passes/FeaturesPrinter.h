//===- FeaturesPrinter.h - print<neuropt-features> --------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_PASSES_FEATURESPRINTER_H
#define NEUROPT_PASSES_FEATURESPRINTER_H

#include "llvm/IR/PassManager.h"

namespace llvm {
class raw_ostream;
}

namespace neuropt {

/// Prints the statistics vector, program-graph summary and (with a
/// vocabulary) IR2Vec embedding of the module and of each defined function.
class FeaturesPrinterPass : public llvm::PassInfoMixin<FeaturesPrinterPass> {
public:
  explicit FeaturesPrinterPass(llvm::raw_ostream &OS) : OS(OS) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  llvm::raw_ostream &OS;
};

} // namespace neuropt

#endif // NEUROPT_PASSES_FEATURESPRINTER_H
