//===- NeuroptSize.h - Learned pass ordering for code size -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// neuropt-size: for each translation unit, a model ranks the coreset of pass
// sequences (include/neuropt/Search/SizeModel.h); the top k are applied to
// the unoptimized module, checked (LLVM verifier, neuropt's refinement
// verifier) and measured by real x86-64 code generation; the smallest is
// kept only if it beats the stock -Oz result, so the result is never larger
// than -Oz.
//
// In clang at -Oz the plugin adds two passes: NeuroptSizeStashPass at the
// pipeline start keeps the unoptimized module (and, with more than one
// thread, starts the candidates on it in the background, beside clang's own
// -Oz pipeline), and NeuroptSizePass at the optimizer's end compares clang's
// own -Oz result with the candidates. In opt, `-passes=neuropt-size` on
// unoptimized IR runs -Oz itself first.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_PASSES_NEUROPTSIZE_H
#define NEUROPT_PASSES_NEUROPTSIZE_H

#include "llvm/IR/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace neuropt {

/// The candidates' work, started at the pipeline start (NeuroptSize.cpp).
struct SizeEarlyStart;

/// The unoptimized module, handed from the pipeline start to the end; or,
/// with more than one thread, the candidates already running on it.
struct SizeStash {
  std::string ModuleID;
  std::string Bitcode;
  std::shared_ptr<SizeEarlyStart> Early;
};

class NeuroptSizeStashPass : public llvm::PassInfoMixin<NeuroptSizeStashPass> {
public:
  explicit NeuroptSizeStashPass(std::shared_ptr<SizeStash> Stash)
      : Stash(std::move(Stash)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
  void printPipeline(llvm::raw_ostream &OS,
                     llvm::function_ref<llvm::StringRef(llvm::StringRef)>) {
    OS << "neuropt-size-stash";
  }

private:
  std::shared_ptr<SizeStash> Stash;
};

class NeuroptSizePass : public llvm::PassInfoMixin<NeuroptSizePass> {
public:
  /// Without a stash (opt), the pass treats its input as unoptimized and
  /// runs -Oz on it itself.
  explicit NeuroptSizePass(std::shared_ptr<SizeStash> Stash = nullptr)
      : Stash(std::move(Stash)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

  void printPipeline(llvm::raw_ostream &OS,
                     llvm::function_ref<llvm::StringRef(llvm::StringRef)>) {
    OS << "neuropt-size";
  }

  /// Whether clang's -Oz pipeline should get the pass (-neuropt-size).
  static bool enabledInDefaultPipeline();

private:
  std::shared_ptr<SizeStash> Stash;
};

} // namespace neuropt

#endif // NEUROPT_PASSES_NEUROPTSIZE_H
