//===- ScoresPrinter.h - print<neuropt-scores> ------------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_PASSES_SCORESPRINTER_H
#define NEUROPT_PASSES_SCORESPRINTER_H

#include "llvm/IR/PassManager.h"

namespace llvm {
class raw_ostream;
}

namespace neuropt {

/// Scores every defined function with the model named by
/// -neuropt-scores-model and prints the integer scores and the ranking they
/// induce: the decision inputs of a model-driven pass, for tests and for
/// checking that backends agree.
class ScoresPrinterPass : public llvm::PassInfoMixin<ScoresPrinterPass> {
public:
  explicit ScoresPrinterPass(llvm::raw_ostream &OS) : OS(OS) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

private:
  llvm::raw_ostream &OS;
};

} // namespace neuropt

#endif // NEUROPT_PASSES_SCORESPRINTER_H
