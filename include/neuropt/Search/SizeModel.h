//===- SizeModel.h - Coreset and model inputs of neuropt-size -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// neuropt-size ranks a small, fixed set of pass sequences (the coreset,
// distilled offline from searched labels) for each translation unit. The
// model is an MLP that scores one (module, sequence) pair at a time: its
// input is the module's feature vector (computeModuleFeatures) followed by a
// one-hot code of the sequence, and its output is the predicted reduction of
// the size objective in percent (the shipped model: relative to the
// module's median coreset sequence, see `neuropt-eval dataset --centered`).
//
// The coreset travels with the model: `<dir>/<name>.coreset.txt` beside the
// weights. The feature manifest the model is tied to hashes the compiler's
// feature manifest together with the coreset, so a model trained for another
// coreset or another feature set is refused at load time.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SEARCH_SIZEMODEL_H
#define NEUROPT_SEARCH_SIZEMODEL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class Module;
}

namespace neuropt {

struct Coreset {
  /// One textual new-PM pipeline per sequence, in model output order.
  std::vector<std::string> Pipelines;
  size_t size() const { return Pipelines.size(); }
};

/// Parses a coreset file: one pipeline per line; blank lines and lines
/// starting with '#' are ignored. An empty coreset is an error.
llvm::Expected<Coreset> parseCoreset(llvm::StringRef Text,
                                     llvm::StringRef Where);
llvm::Expected<Coreset> loadCoreset(llvm::StringRef Path);

/// Writes \p C with the comment lines \p Header.
std::string printCoreset(const Coreset &C,
                         llvm::ArrayRef<std::string> Header = {});

/// The path of the coreset beside model \p Name in \p Dir.
std::string getCoresetPath(llvm::StringRef Dir, llvm::StringRef Name);

/// Width of one model input row: module features plus the one-hot code.
unsigned getSizeModelNumFeatures(const Coreset &C);

/// The manifest hash a size model is tied to (16 hex digits).
std::string getSizeModelManifestHash(const Coreset &C);

/// One input row per coreset sequence for \p M, row-major
/// [C.size(), getSizeModelNumFeatures(C)].
std::vector<int64_t> buildSizeModelRows(const llvm::Module &M,
                                        const Coreset &C);

/// The label of a sequence that fails to run: the worst possible choice.
constexpr float SizeModelFailedLabel = -20.0f;

/// The training label of one sequence: its reduction of the objective
/// against -Oz in percent, clamped to [-20, 50] so that a few pathological
/// sequences do not dominate the loss.
float getSizeModelLabel(uint64_t OzObjective, uint64_t SeqObjective);

/// The hybrid ranking of neuropt-size: the coreset's own order (greedy
/// coverage order, best on average first) interleaved with the model's
/// order \p ModelOrder, the coreset's first, without repeats. On held-out
/// training packages the model alone ranked worse than the coreset order,
/// and the interleaving at least as well (bench/results/size.md).
std::vector<size_t>
interleaveWithCoresetOrder(const std::vector<size_t> &ModelOrder);

} // namespace neuropt

#endif // NEUROPT_SEARCH_SIZEMODEL_H
