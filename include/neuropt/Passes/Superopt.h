//===- Superopt.h - The neuropt-superopt pass -------------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
#ifndef NEUROPT_PASSES_SUPEROPT_H
#define NEUROPT_PASSES_SUPEROPT_H

#include "llvm/IR/PassManager.h"

namespace neuropt {

/// Peephole superoptimization of loop-free integer DAGs, in the manner of
/// Souper. Every interesting integer root is harvested (Synth/Harvest.h) and
/// looked up by its canonical hash in the synthesis cache (Cache/Cache.h);
/// a proved, strictly cheaper replacement found there is spliced in. In
/// synthesize mode, cache misses go to the synthesis engine
/// (Synth/Synthesize.h) within a per-DAG and a total budget, and its results
/// are stored in the cache for later cache-mode compiles. Options are the
/// `-neuropt-superopt-*` flags and `-neuropt-cache`; each rewrite and each
/// rejected candidate is an optimization remark named "neuropt-superopt".
class SuperoptPass : public llvm::PassInfoMixin<SuperoptPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

  /// Whether -neuropt-superopt-mode asks for the pass at all; the plugin
  /// adds it to clang's pipelines only then.
  static bool isEnabled();
};

} // namespace neuropt

#endif // NEUROPT_PASSES_SUPEROPT_H
