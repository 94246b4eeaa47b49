//===- SizeModel.cpp - Coreset and model inputs of neuropt-size ------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the coreset file format, the size model's manifest
// and its input rows.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/SizeModel.h"

#include "neuropt/IR/Features.h"
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

