//===- SizeModel.cpp - Coreset and model inputs of neuropt-size ------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the coreset file format, the size model's manifests
// and its inputs (statistics rows for the MLP, the module graph for the GNN).
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/SizeModel.h"

#include "neuropt/IR/Features.h"
#include "neuropt/IR/ProgramGraph.h"
#include "neuropt/Model/IRInput.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Support/Hashing.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>

using namespace llvm;
using namespace neuropt;

Expected<Coreset> neuropt::parseCoreset(StringRef Text, StringRef Where) {
  Coreset C;
  SmallVector<StringRef, 64> Lines;
  Text.split(Lines, '\n');
  for (StringRef L : Lines) {
    L = L.trim();
    if (L.empty() || L.starts_with("#"))
      continue;
    C.Pipelines.push_back(L.str());
  }
  if (C.Pipelines.empty())
    return createStringError(inconvertibleErrorCode(),
                             "%s: coreset has no pass sequences",
                             Where.str().c_str());
  return C;
}

Expected<Coreset> neuropt::loadCoreset(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read coreset '%s': %s",
                             Path.str().c_str(),
                             Buf.getError().message().c_str());
  return parseCoreset((*Buf)->getBuffer(), Path);
}

std::string neuropt::printCoreset(const Coreset &C,
                                  ArrayRef<std::string> Header) {
  std::string Out;
  for (const std::string &H : Header)
    Out += "# " + H + "\n";
  for (const std::string &P : C.Pipelines)
    Out += P + "\n";
  return Out;
}

std::string neuropt::getCoresetPath(StringRef Dir, StringRef Name) {
  SmallString<256> P(Dir);
  sys::path::append(P, Name + ".coreset.txt");
  return std::string(P);
}

std::string neuropt::getExtensionPath(StringRef Dir, StringRef Name) {
  SmallString<256> P(Dir);
  sys::path::append(P, Name + ".extension.txt");
  return std::string(P);
}

Expected<std::string> neuropt::loadExtension(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read extension '%s': %s",
                             Path.str().c_str(),
                             Buf.getError().message().c_str());
  std::vector<std::string> Pipelines;
  if (Expected<Coreset> C = parseCoreset((*Buf)->getBuffer(), Path))
    Pipelines = std::move(C->Pipelines);
  else
    consumeError(C.takeError()); // no pipeline: reported below
  if (Pipelines.size() != 1)
    return createStringError(inconvertibleErrorCode(),
                             "%s: an extension is one pipeline, not %zu",
                             Path.str().c_str(), Pipelines.size());
  return std::move(Pipelines[0]);
}

unsigned neuropt::getSizeModelNumFeatures(const Coreset &C) {
  return getNumModuleFeatures() + C.size();
}

std::string neuropt::getSizeModelManifestHash(const Coreset &C) {
  StableHasher H;
  H.update("neuropt-size-model-v1\n");
  H.update(getFeatureManifestHash());
  for (const std::string &P : C.Pipelines) {
    H.update("\n");
    H.update(P);
  }
  return toHex64(H.final());
}

std::vector<int64_t> neuropt::buildSizeModelRows(const Module &M,
                                                 const Coreset &C) {
  FeatureVector MF = computeModuleFeatures(M);
  unsigned W = getSizeModelNumFeatures(C);
  std::vector<int64_t> Rows(size_t(W) * C.size(), 0);
  for (size_t S = 0; S < C.size(); ++S) {
    int64_t *Row = Rows.data() + S * W;
    std::copy(MF.begin(), MF.end(), Row);
    Row[MF.size() + S] = 1;
  }
  return Rows;
}

unsigned neuropt::getSizeGraphNumNodeTypes() {
  return unsigned(NodeType::NumNodeTypes);
}

model::FeatureManifestId neuropt::getSizeModelManifest(const Coreset &C,
                                                       model::ModelKind Kind) {
  if (Kind == model::ModelKind::MLP)
    return {getSizeModelManifestHash(C), getSizeModelNumFeatures(C)};
  StableHasher H;
  H.update("neuropt-size-graph-model-v1\n");
  for (unsigned T = 0; T < getSizeGraphNumNodeTypes(); ++T) {
    H.update(getNodeTypeName(NodeType(T)));
    H.update("\n");
  }
  for (unsigned K = 0; K < NumEdgeKinds; ++K) {
    H.update(getEdgeKindName(EdgeKind(K)));
    H.update("\n");
  }
  for (const std::string &P : C.Pipelines) {
    H.update("\n");
    H.update(P);
  }
  return {toHex64(H.final()), getSizeGraphNumNodeTypes()};
}

model::ModelKind neuropt::peekSizeModelKind(StringRef Dir, StringRef Name) {
  model::StatusOr<model::ModelCard> Card =
      model::readModelCard(Dir.str(), Name.str());
  return Card ? Card->Config.Kind : model::ModelKind::MLP;
}

model::GraphBatch neuropt::buildSizeModelGraph(const Module &M) {
  return model::toGraphBatch(buildModuleGraph(M));
}

/// What SizeModelScores::Value means for each kind of model.
static const char *const RowsUnit = "% over the median sequence";
static const char *const GraphUnit = "% chance of being the smallest";

Expected<SizeModelScores> neuropt::scoreSizeModel(model::ModelRunner &R,
                                                  const Module &M,
                                                  const Coreset &C) {
  const model::ModelConfig *Config = R.config();
  bool Graph = Config && Config->Kind == model::ModelKind::GNN;
  std::vector<int64_t> Rows;
  model::GraphBatch G;
  model::ModelInput In;
  if (Graph) {
    if (Config->NumOutputs != C.size())
      return createStringError(
          inconvertibleErrorCode(),
          "the graph model has %u outputs but the coreset has %zu sequences",
          Config->NumOutputs, C.size());
    G = buildSizeModelGraph(M);
    if (G.NodeType.empty()) {
      // Nothing to read: the coreset's own order, all equally likely.
      SizeModelScores Out;
      for (size_t I = 0; I < C.size(); ++I) {
        Out.Order.push_back(I);
        Out.Value.push_back(100.0f / float(C.size()));
      }
      Out.Unit = GraphUnit;
      return Out;
    }
    In.BatchSize = 1;
    In.Graphs = &G;
  } else {
    Rows = buildSizeModelRows(M, C);
    In.BatchSize = C.size();
    In.Counts = Rows.data();
  }
  model::StatusOr<model::Scores> S = R.evaluate(In);
  if (!S)
    return createStringError(inconvertibleErrorCode(), "%s",
                             S.status().message().c_str());
  SizeModelScores Out;
  std::vector<int32_t> Raw;
  for (size_t I = 0; I < C.size(); ++I) {
    Raw.push_back(Graph ? S->raw(0, unsigned(I)) : S->raw(I));
    Out.Value.push_back(float(Raw.back()) * S->Scale);
    Out.Order.push_back(I);
  }
  Out.Unit = RowsUnit;
  if (Graph) {
    // Logits to probabilities in percent; only remarks and the
    // -neuropt-size-min-predicted cut read them, decisions use Raw.
    float Max = *std::max_element(Out.Value.begin(), Out.Value.end());
    double Sum = 0;
    for (float &V : Out.Value)
      Sum += (V = std::exp(V - Max));
    for (float &V : Out.Value)
      V = float(100.0 * V / Sum);
    Out.Unit = GraphUnit;
  }
  std::stable_sort(Out.Order.begin(), Out.Order.end(),
                   [&](size_t A, size_t B) { return Raw[A] > Raw[B]; });
  return Out;
}

uint32_t neuropt::getSizeModelBestSequence(ArrayRef<float> Gains) {
  uint32_t Best = 0;
  for (uint32_t I = 1; I < Gains.size(); ++I)
    if (Gains[I] > Gains[Best])
      Best = I;
  return Best;
}

float neuropt::getSizeModelLabel(uint64_t OzObjective, uint64_t SeqObjective) {
  if (!OzObjective)
    return 0;
  double Pct = 100.0 * (double(OzObjective) - double(SeqObjective)) /
               double(OzObjective);
  return float(std::clamp(Pct, double(SizeModelFailedLabel), 50.0));
}

/// The coreset's own order (0, 1, 2, ...) interleaved with \p ModelOrder,
/// the coreset's first: 0, m1, 1, m2, ... without repeats.
std::vector<size_t>
neuropt::interleaveWithCoresetOrder(const std::vector<size_t> &ModelOrder) {
  std::vector<size_t> Out;
  std::vector<bool> Used(ModelOrder.size(), false);
  size_t P = 0, M = 0;
  while (Out.size() < ModelOrder.size()) {
    bool FromPrior = Out.size() % 2 == 0;
    size_t &Pos = FromPrior ? P : M;
    while (Pos < ModelOrder.size() && Used[FromPrior ? Pos : ModelOrder[Pos]])
      ++Pos;
    if (Pos == ModelOrder.size()) {
      FromPrior = !FromPrior;
      size_t &Other = FromPrior ? P : M;
      while (Used[FromPrior ? Other : ModelOrder[Other]])
        ++Other;
      size_t I = FromPrior ? Other : ModelOrder[Other];
      Used[I] = true;
      Out.push_back(I);
      continue;
    }
    size_t I = FromPrior ? Pos : ModelOrder[Pos];
    Used[I] = true;
    Out.push_back(I);
  }
  return Out;
}

