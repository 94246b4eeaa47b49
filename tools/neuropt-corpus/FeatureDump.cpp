//===- FeatureDump.cpp - neuropt-corpus features: training data dump ------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements `neuropt-corpus features`: for every defined function
// of the corpus (or of IR files named on the command line) it writes one JSON
// line with the package, split, module hash, function name, the statistics
// feature vector (lib/IR Features) and the CSR program graph, after a header
// line that names the feature manifest hash the vectors were computed under.
//
//===----------------------------------------------------------------------===//

#include "CorpusCommands.h"
#include "CorpusDB.h"

#include "neuropt/IR/Features.h"
#include "neuropt/IR/ProgramGraph.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace llvm;

namespace neuropt {
namespace corpus {

namespace {
/// One module to featurize, with its provenance.
struct Item {
  std::string Path;
  std::string Package;
  std::string Split;
  std::string Hash;
  std::string File;
};
} // namespace

/// Parses \p Path as textual IR or bitcode. Non-IR input, a missing file and
/// IR that fails the verifier are all errors naming the file.
static Expected<std::unique_ptr<Module>> loadIR(StringRef Path,
                                                LLVMContext &Ctx) {
  if (!sys::fs::exists(Path))
    return createStringError(inconvertibleErrorCode(),
                             "cannot read '%s': no such file",
                             Path.str().c_str());
  if (sys::fs::is_directory(Path))
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is a directory, not an IR file",
                             Path.str().c_str());
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseIRFile(Path, Diag, Ctx);
  if (!M) {
    std::string Msg;
    raw_string_ostream OS(Msg);
    OS << Diag.getMessage();
    if (Diag.getLineNo() > 0)
      OS << " (line " << Diag.getLineNo() << ")";
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is not valid LLVM IR or bitcode: %s",
                             Path.str().c_str(), Msg.c_str());
  }
  std::string VerifyMsg;
  raw_string_ostream VOS(VerifyMsg);
  if (verifyModule(*M, &VOS))
    return createStringError(inconvertibleErrorCode(),
                             "'%s' fails the IR verifier: %s",
                             Path.str().c_str(),
                             StringRef(VerifyMsg).trim().str().c_str());
  return M;
}

int runFeatures(StringRef CorpusDir, StringRef OutFile, StringRef Split,
                ArrayRef<std::string> Inputs) {
  auto Fail = [](const Twine &Msg) {
    WithColor::error(errs(), "neuropt-corpus") << Msg << "\n";
    return 1;
  };
  if (Split != "all" && Split != "train" && Split != "val" &&
      Split != "heldout")
    return Fail("--split must be train, val, heldout or all, not '" + Split +
                "'");

  std::vector<Item> Items;
  std::string Level;
  if (!Inputs.empty()) {
    for (const std::string &I : Inputs)
      Items.push_back({I, "", "", "", I});
  } else {
    if (!sys::fs::is_directory(CorpusDir))
      return Fail("corpus directory '" + CorpusDir + "' does not exist");
    SmallString<256> DBPath(CorpusDir);
    sys::path::append(DBPath, "corpus.db");
    Expected<std::unique_ptr<CorpusDB>> DB = CorpusDB::open(DBPath, false);
    if (!DB)
      return Fail(toString(DB.takeError()));
    auto Pkgs = (*DB)->listPackages();
    if (!Pkgs)
      return Fail(toString(Pkgs.takeError()));
    std::map<std::string, std::string> SplitOf;
    for (const PackageRecord &P : *Pkgs)
      SplitOf[P.Name] = P.Split;
    auto Mods = (*DB)->listModules();
    if (!Mods)
      return Fail(toString(Mods.takeError()));
    if (Expected<std::optional<std::string>> L = (*DB)->getMeta("level");
        L && *L)
      Level = **L;
    else if (!L)
      consumeError(L.takeError());
    for (const ModuleRecord &M : *Mods) {
      std::string S = SplitOf[M.Package];
      if (Split != "all" && S != Split)
        continue;
      SmallString<256> P(CorpusDir);
      sys::path::append(P, M.Path);
      Items.push_back({std::string(P), M.Package, S, M.Hash, M.File});
    }
    if (Items.empty())
      return Fail("corpus '" + CorpusDir + "' has no modules" +
                  (Split == "all" ? Twine("")
                                  : Twine(" in split '") + Split +
                                        "' (run 'neuropt-corpus split')"));
  }

  std::error_code EC;
  raw_fd_ostream OS(OutFile, EC, sys::fs::OF_Text);
  if (EC)
    return Fail("cannot write '" + OutFile + "': " + EC.message());

  // Header line: everything a reader needs to interpret the vectors.
  json::Array Names, NodeNames, EdgeNames;
  for (const FeatureInfo &FI : getFunctionFeatureInfo())
    Names.push_back(FI.Name);
  for (unsigned T = 0; T < static_cast<unsigned>(NodeType::NumNodeTypes); ++T)
    NodeNames.push_back(getNodeTypeName(static_cast<NodeType>(T)));
  for (unsigned K = 0; K < NumEdgeKinds; ++K)
    EdgeNames.push_back(getEdgeKindName(static_cast<EdgeKind>(K)));
  json::Object Header{{"type", "header"},
                      {"format", "neuropt-features/1"},
                      {"feature_manifest_hash", getFeatureManifestHash()},
                      {"feature_names", std::move(Names)},
                      {"node_types", std::move(NodeNames)},
                      {"edge_kinds", std::move(EdgeNames)}};
  if (!Level.empty())
    Header["level"] = Level;
  if (Inputs.empty())
    Header["corpus"] = CorpusDir.str();
  OS << json::Value(std::move(Header)) << "\n";

  uint64_t Functions = 0, Modules = 0;
  unsigned Errors = 0;
  for (const Item &It : Items) {
    LLVMContext Ctx;
    Expected<std::unique_ptr<Module>> M = loadIR(It.Path, Ctx);
    if (!M) {
      WithColor::error(errs(), "neuropt-corpus")
          << toString(M.takeError()) << "\n";
      ++Errors;
      continue;
    }
    ++Modules;
    for (const Function &F : **M) {
      if (F.isDeclaration())
        continue;
      json::Object Rec{{"type", "function"},
                       {"function", F.getName()},
                       {"file", It.File}};
      if (!It.Package.empty()) {
        Rec["package"] = It.Package;
        Rec["split"] = It.Split;
        Rec["module"] = It.Hash;
      }
      FeatureVector V = computeFunctionFeatures(F);
      json::Array Feats;
      for (int64_t X : V)
        Feats.push_back(X);
      Rec["features"] = std::move(Feats);
      Rec["graph"] = buildProgramGraph(F).toJSON();
      OS << json::Value(std::move(Rec)) << "\n";
      ++Functions;
    }
  }
  OS.flush();
  if (OS.has_error())
    return Fail("error writing '" + OutFile + "': " + OS.error().message());
  errs() << "neuropt-corpus: wrote " << Functions << " functions from "
         << Modules << " modules to " << OutFile << "\n";
  if (Errors)
    return Fail(Twine(Errors) + " input" + (Errors == 1 ? "" : "s") +
                " could not be featurized");
  return 0;
}

} // namespace corpus
} // namespace neuropt
