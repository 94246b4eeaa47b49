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
// A size model may instead be a GNN over the module's program graph
// (buildModuleGraph): one graph per module, a classification head with one
// logit per coreset sequence, trained on which sequence was smallest
// (`neuropt-eval dataset --graph`). scoreSizeModel hides the difference.
//
// The coreset travels with the model: `<dir>/<name>.coreset.txt` beside the
// weights. The feature manifest the model is tied to hashes the compiler's
// feature manifest together with the coreset, so a model trained for another
// coreset or another feature set is refused at load time.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SEARCH_SIZEMODEL_H
#define NEUROPT_SEARCH_SIZEMODEL_H

#include "neuropt/Model/ModelCard.h"
#include "neuropt/Model/Models.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class Module;
}

namespace neuropt {
namespace model {
class ModelRunner;
}

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

/// neuropt-size's extension: one pipeline that the pass runs on -Oz's own
/// result as one more candidate, beside the coreset's (it needs no
/// optimization of its own from the source, only its passes and a code
/// generation). It lives beside the coreset in `<dir>/<name>.extension.txt`,
/// in the coreset's format with exactly one pipeline, and is not part of the
/// model's manifest: the model ranks the coreset only.
std::string getExtensionPath(llvm::StringRef Dir, llvm::StringRef Name);
llvm::Expected<std::string> loadExtension(llvm::StringRef Path);

/// Width of one model input row: module features plus the one-hot code.
unsigned getSizeModelNumFeatures(const Coreset &C);

/// The manifest hash a size model is tied to (16 hex digits).
std::string getSizeModelManifestHash(const Coreset &C);

/// One input row per coreset sequence for \p M, row-major
/// [C.size(), getSizeModelNumFeatures(C)].
std::vector<int64_t> buildSizeModelRows(const llvm::Module &M,
                                        const Coreset &C);

/// The manifest a size model of kind \p Kind is tied to: for an MLP, the
/// compiler's feature manifest and the coreset (getSizeModelManifestHash,
/// getSizeModelNumFeatures); for a GNN, lib/IR's node-type vocabulary and
/// edge kinds and the coreset, with the vocabulary size as its width.
model::FeatureManifestId getSizeModelManifest(const Coreset &C,
                                              model::ModelKind Kind);
/// The architecture of size model \p Name in \p Dir as its card says; MLP
/// when the card cannot be read (loading then reports why).
model::ModelKind peekSizeModelKind(llvm::StringRef Dir, llvm::StringRef Name);
/// Node-type vocabulary of GNN size models (lib/IR's NodeTypes.def).
unsigned getSizeGraphNumNodeTypes();
/// The GNN input for \p M: one graph, the module's program graph.
model::GraphBatch buildSizeModelGraph(const llvm::Module &M);
/// A size model's opinion of each coreset sequence for one module.
struct SizeModelScores {
  /// Per sequence: the MLP's predicted gain in percent over the median
  /// sequence, or the GNN's probability in percent (softmax of its logits)
  /// that the sequence is the smallest.
  std::vector<float> Value;
  /// What Value means, for remarks: "% over the median sequence" or "%
  /// chance of being the smallest".
  const char *Unit = "";
  /// Sequence indices by descending integer score, ties to the lower index.
  std::vector<size_t> Order;
};
/// Scores every sequence of \p C for \p M with \p R, an MLP (one row per
/// sequence) or a GNN (one graph, one logit per sequence).
llvm::Expected<SizeModelScores> scoreSizeModel(model::ModelRunner &R,
                                               const llvm::Module &M,
                                               const Coreset &C);
/// Classification label of a module for a GNN size model: the sequence with
/// the largest gain, the earliest in coreset order among equals (so a module
/// no sequence improves is labelled with the first, the pass's default).
uint32_t getSizeModelBestSequence(llvm::ArrayRef<float> Gains);
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
