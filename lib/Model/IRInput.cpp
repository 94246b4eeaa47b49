//===- IRInput.cpp - Model inputs from LLVM IR -----------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/IRInput.h"
#include "neuropt/IR/Features.h"
#include "neuropt/IR/ProgramGraph.h"

#include "llvm/IR/Function.h"

using namespace neuropt;
using namespace neuropt::model;

FeatureManifestId neuropt::model::getCompilerFeatureManifest() {
  return FeatureManifestId{getFeatureManifestHash(), getNumFunctionFeatures()};
}

GraphBatch neuropt::model::toGraphBatch(ProgramGraph &&PG) {
  GraphBatch G;
  G.RowPtr = std::move(PG.RowPtr);
  G.Col = std::move(PG.Col);
  G.EdgeKind = std::move(PG.EdgeKinds);
  G.NodeType = std::move(PG.NodeTypes);
  G.GraphPtr = {0, static_cast<uint32_t>(G.NodeType.size())};
  return G;
}

IRBatch neuropt::model::buildIRBatch(
    llvm::ArrayRef<const llvm::Function *> Functions, const ModelConfig &Config) {
  IRBatch B;
  B.Input.BatchSize = Functions.size();
  if (Config.Kind == ModelKind::MLP) {
    B.Counts.reserve(Functions.size() * getNumFunctionFeatures());
    for (const llvm::Function *F : Functions) {
      FeatureVector V = computeFunctionFeatures(*F);
      B.Counts.insert(B.Counts.end(), V.begin(), V.end());
    }
    B.Input.Counts = B.Counts.data();
    return B;
  }
  for (const llvm::Function *F : Functions) {
    B.Graphs.append(toGraphBatch(buildProgramGraph(*F)));
  }
  B.Input.Graphs = &B.Graphs;
  return B;
}
