//===- FeaturesPrinter.cpp - print<neuropt-features> -----------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the printer for everything lib/IR computes, in a
// line-oriented text form for people and FileCheck, or as one JSON document
// per module for scripts (-neuropt-features-format=json).
//
//===----------------------------------------------------------------------===//

#include "neuropt/Passes/FeaturesPrinter.h"
#include "neuropt/IR/Features.h"
#include "neuropt/IR/IR2Vec.h"
#include "neuropt/IR/ProgramGraph.h"
#include "neuropt/Passes/ModelSupport.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#define DEBUG_TYPE "neuropt-features"

using namespace llvm;
using namespace neuropt;

namespace {
enum class OutputFormat { Text, JSON };
} // namespace

static cl::opt<OutputFormat> FeaturesFormat(
    "neuropt-features-format", cl::desc("Output format of print<neuropt-features>"),
    cl::values(clEnumValN(OutputFormat::Text, "text", "one line per unit"),
               clEnumValN(OutputFormat::JSON, "json", "one JSON document per module")),
    cl::init(OutputFormat::Text));

static cl::opt<std::string> IR2VecVocab(
    "neuropt-ir2vec-vocab",
    cl::desc("IR2Vec seed vocabulary (JSON) for print<neuropt-features>; "
             "default: ir2vec/vocab.json in the model directory; 'none' "
             "prints no embedding"),
    cl::value_desc("file"));

/// The vocabulary to use: the option, else the shipped one if present.
static std::string vocabPath() {
  if (IR2VecVocab == "none")
    return "";
  if (!IR2VecVocab.empty())
    return IR2VecVocab;
  std::string Dir = getModelDir();
  if (Dir.empty())
    return "";
  SmallString<256> P(Dir);
  sys::path::append(P, "ir2vec", "vocab.json");
  return sys::fs::exists(P) ? P.str().str() : "";
}

static cl::opt<bool> FeaturesPrintGraph(
    "neuropt-features-graph",
    cl::desc("Include the full CSR program graph in JSON output"),
    cl::init(false));

/// Name=Value pairs of a feature vector.
static void printVector(raw_ostream &OS, const FeatureVector &V) {
  ArrayRef<FeatureInfo> FInfo = getFunctionFeatureInfo();
  ArrayRef<FeatureInfo> MInfo = getModuleOnlyFeatureInfo();
  for (size_t I = 0; I < V.size(); ++I) {
    StringRef Name = I < FInfo.size() ? FInfo[I].Name : MInfo[I - FInfo.size()].Name;
    OS << (I ? " " : "") << Name << "=" << V[I];
  }
}

static void printGraphSummary(raw_ostream &OS, const ProgramGraph &G) {
  unsigned Counts[NumEdgeKinds] = {};
  for (uint8_t K : G.EdgeKinds)
    ++Counts[K];
  OS << "nodes=" << G.getNumNodes() << " edges=" << G.getNumEdges();
  for (unsigned K = 0; K < NumEdgeKinds; ++K)
    OS << " " << getEdgeKindName(static_cast<EdgeKind>(K)) << "=" << Counts[K];
}

static json::Object graphSummaryJSON(const ProgramGraph &G) {
  json::Object O{{"nodes", G.getNumNodes()}, {"edges", G.getNumEdges()}};
  if (FeaturesPrintGraph)
    O["csr"] = G.toJSON();
  return O;
}

static json::Array toJSONArray(const FeatureVector &V) {
  return json::Array(V);
}

static void printEmbedding(raw_ostream &OS, ArrayRef<double> E) {
  OS << "[";
  for (size_t I = 0; I < E.size(); ++I)
    OS << (I ? ", " : "") << formatv("{0:F6}", E[I]);
  OS << "]";
}

PreservedAnalyses FeaturesPrinterPass::run(Module &M,
                                           ModuleAnalysisManager &MAM) {
  std::unique_ptr<ir2vec::Vocabulary> Vocab;
  if (std::string Path = vocabPath(); !Path.empty()) {
    auto VocabOrErr = loadIR2VecVocabulary(Path);
    if (!VocabOrErr) {
      // A bad vocabulary is the user's input error: say so and go on without
      // embeddings, as the compile must not fail for a printer.
      M.getContext().diagnose(DiagnosticInfoGeneric(
          toString(VocabOrErr.takeError()), DS_Warning));
    } else {
      Vocab = std::move(*VocabOrErr);
    }
  }

  auto &FAM = MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  FeatureVector ModuleVec = computeModuleFeatures(M);
  ProgramGraph ModuleGraph = buildModuleGraph(M);

  if (FeaturesFormat == OutputFormat::JSON) {
    json::Array Functions;
    for (Function &F : M) {
      if (F.isDeclaration())
        continue;
      json::Object FO{
          {"name", F.getName()},
          {"features", toJSONArray(computeFunctionFeatures(
                           F, &FAM.getResult<LoopAnalysis>(F)))},
          {"graph", graphSummaryJSON(buildProgramGraph(F))}};
      if (Vocab)
        FO["ir2vec"] = json::Array(computeIR2VecEmbedding(F, *Vocab));
      Functions.push_back(std::move(FO));
    }
    json::Object Root{{"module", M.getModuleIdentifier()},
                      {"manifest_hash", getFeatureManifestHash()},
                      {"features", toJSONArray(ModuleVec)},
                      {"graph", graphSummaryJSON(ModuleGraph)},
                      {"functions", std::move(Functions)}};
    if (Vocab)
      Root["ir2vec"] = json::Array(computeIR2VecEmbedding(M, *Vocab));
    OS << formatv("{0:2}", json::Value(std::move(Root))) << "\n";
    return PreservedAnalyses::all();
  }

  OS << "neuropt-features: module '" << M.getModuleIdentifier()
     << "' manifest " << getFeatureManifestHash() << " ("
     << getNumFunctionFeatures() << " function, " << getNumModuleFeatures()
     << " module features)\n";
  OS << "module: ";
  printVector(OS, ModuleVec);
  OS << "\nmodule graph: ";
  printGraphSummary(OS, ModuleGraph);
  OS << "\n";
  if (Vocab) {
    OS << "module ir2vec: ";
    printEmbedding(OS, computeIR2VecEmbedding(M, *Vocab));
    OS << "\n";
  }
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    OS << "function " << F.getName() << ": ";
    printVector(OS, computeFunctionFeatures(F, &FAM.getResult<LoopAnalysis>(F)));
    OS << "\nfunction " << F.getName() << " graph: ";
    printGraphSummary(OS, buildProgramGraph(F));
    OS << "\n";
    if (Vocab) {
      OS << "function " << F.getName() << " ir2vec: ";
      printEmbedding(OS, computeIR2VecEmbedding(F, *Vocab));
      OS << "\n";
    }
  }
  return PreservedAnalyses::all();
}
