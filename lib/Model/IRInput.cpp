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
    ProgramGraph PG = buildProgramGraph(*F);
    GraphBatch One;
    One.RowPtr = PG.RowPtr;
    One.Col = PG.Col;
    One.EdgeKind = PG.EdgeKinds;
    One.NodeType = PG.NodeTypes;
    One.GraphPtr = {0, static_cast<uint32_t>(PG.getNumNodes())};
    B.Graphs.append(One);
  }
  B.Input.Graphs = &B.Graphs;
  return B;
}
