//===- neuropt-opt.cpp - neuropt's standalone IR driver --------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Reads IR and reports what neuropt's libraries see in it, without needing
// opt and the plugin:
//
//   neuropt-opt --feature-manifest           the feature manifest (JSON)
//   neuropt-opt --feature-manifest-hash      its hash and the vector width
//   neuropt-opt --feature-docs               docs/features.md
//   neuropt-opt --features FILE.{ll,bc}...   per-function features (JSON Lines)
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/Features.h"
#include "neuropt/IR/ProgramGraph.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace neuropt;

static cl::OptionCategory Category("neuropt-opt options");
static cl::opt<bool> PrintManifest("feature-manifest",
                                   cl::desc("Print the feature manifest (JSON)"),
                                   cl::cat(Category));
static cl::opt<bool> PrintManifestHash(
    "feature-manifest-hash",
    cl::desc("Print the feature manifest hash and the per-function width"),
    cl::cat(Category));
static cl::opt<bool> PrintDocs("feature-docs",
                               cl::desc("Print the feature documentation (Markdown)"),
                               cl::cat(Category));
static cl::opt<bool> PrintFeatures(
    "features", cl::desc("Print one JSON line of features per defined function"),
    cl::cat(Category));
static cl::opt<bool> WithGraph("graph",
                               cl::desc("With --features, include the CSR graph"),
                               cl::cat(Category));
static cl::list<std::string> Inputs(cl::Positional, cl::desc("<input IR files>"),
                                    cl::cat(Category));

static int printFeatures() {
  if (Inputs.empty()) {
    WithColor::error(errs(), "neuropt-opt") << "--features needs input files\n";
    return 1;
  }
  int Status = 0;
  for (const std::string &Path : Inputs) {
    LLVMContext Ctx;
    SMDiagnostic Err;
    std::unique_ptr<Module> M = parseIRFile(Path, Err, Ctx);
    if (!M) {
      Err.print("neuropt-opt", errs());
      Status = 1;
      continue;
    }
    for (const Function &F : *M) {
      if (F.isDeclaration())
        continue;
      json::Object O{{"file", Path},
                     {"function", F.getName()},
                     {"features", json::Array(computeFunctionFeatures(F))}};
      if (WithGraph)
        O["graph"] = buildProgramGraph(F).toJSON();
      outs() << json::Value(std::move(O)) << "\n";
    }
  }
  return Status;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Category);
  cl::ParseCommandLineOptions(argc, argv, "neuropt standalone driver\n");
  if (PrintManifest) {
    outs() << formatv("{0:2}", getFeatureManifest()) << "\n";
    return 0;
  }
  if (PrintManifestHash) {
    outs() << getFeatureManifestHash() << " " << getNumFunctionFeatures() << "\n";
    return 0;
  }
  if (PrintDocs) {
    outs() << getFeatureDocumentation();
    return 0;
  }
  if (PrintFeatures)
    return printFeatures();
  WithColor::error(errs(), "neuropt-opt")
      << "nothing to do; use --feature-manifest, --feature-docs or --features\n";
  return 1;
}
