//===- neuropt-synth.cpp - Harvest and synthesize integer DAGs --*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the neuropt-synth driver. Its `harvest` subcommand
// dumps the loop-free integer DAGs of IR files with their canonical text and
// stable hash, as text or JSON Lines, followed by a summary.
//
//===----------------------------------------------------------------------===//

#include "SynthTool.h"
#include "neuropt/Model/Kernels.h"
#include "neuropt/Synth/Harvest.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/ModuleSlotTracker.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace neuropt;

static cl::SubCommand HarvestCmd("harvest",
                                 "Dump the integer DAGs of IR files with their "
                                 "canonical form and hash");

static cl::list<std::string> Inputs(cl::Positional, cl::OneOrMore,
                                    cl::desc("<file.ll|file.bc>..."),
                                    cl::sub(HarvestCmd));
static cl::opt<unsigned>
    MaxSize("max-size", cl::init(HarvestOptions().MaxSize),
            cl::desc("Most instructions in one DAG; operands past the cap "
                     "become leaves"),
            cl::sub(HarvestCmd));
static cl::opt<unsigned>
    MinSize("min-size", cl::init(HarvestOptions().MinSize),
            cl::desc("Drop DAGs with fewer instructions than this"),
            cl::sub(HarvestCmd));
static cl::opt<bool> NoFacts("no-facts",
                             cl::desc("Do not compute known bits or ranges "
                                      "for leaves"),
                             cl::sub(HarvestCmd));
static cl::opt<bool> JSONOut("json",
                             cl::desc("Print JSON Lines: one object per DAG "
                                      "({\"kind\":\"dag\"}), then one summary "
                                      "({\"kind\":\"summary\"})"),
                             cl::sub(HarvestCmd));

static cl::opt<bool>
    EmitLHS("emit-lhs",
            cl::desc("Also print each DAG as a standalone @lhs function "
                     "(checked with the IR verifier; \"lhs\" in JSON)"),
            cl::sub(HarvestCmd));

static const char *const ToolName = "neuropt-synth";

/// Reads one IR file, textual or bitcode, and says which file failed and why.
static Expected<std::unique_ptr<Module>> loadIR(StringRef Path,
                                                LLVMContext &Ctx) {
  if (!sys::fs::exists(Path))
    return createStringError(
        std::make_error_code(std::errc::no_such_file_or_directory),
        "'%s': no such file", Path.str().c_str());
  if (sys::fs::is_directory(Path))
    return createStringError(std::make_error_code(std::errc::is_a_directory),
                             "'%s': is a directory, not an IR file",
                             Path.str().c_str());
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseIRFile(Path, Diag, Ctx);
  if (!M) {
    std::string Msg;
    raw_string_ostream OS(Msg);
    OS << "'" << Path << "': not valid LLVM IR: ";
    if (Diag.getLineNo() > 0)
      OS << "line " << Diag.getLineNo() << ": ";
    OS << Diag.getMessage();
    return createStringError(std::make_error_code(std::errc::invalid_argument),
                             Msg);
  }
  // The parser does not run the verifier, and harvesting relies on valid
  // SSA (no use before its definition).
  std::string VerifyMsg;
  raw_string_ostream VS(VerifyMsg);
  if (verifyModule(*M, &VS)) {
    StringRef First = StringRef(VerifyMsg).split('\n').first;
    return createStringError(std::make_error_code(std::errc::invalid_argument),
                             "'%s': invalid LLVM IR: %s", Path.str().c_str(),
                             First.str().c_str());
  }
  return M;
}

static std::string rootName(const Instruction &I, ModuleSlotTracker &MST) {
  std::string S;
  raw_string_ostream OS(S);
  I.printAsOperand(OS, /*PrintType=*/false, MST);
  return S;
}

namespace {
struct Summary {
  unsigned Files = 0, Failed = 0, Functions = 0, DAGs = 0, BadLHS = 0;
  StringSet<> Hashes;
};
} // namespace

/// \p D as the text of its `@lhs` function, checked by the IR verifier; a
/// failure is a harvesting bug, reported and counted.
static std::string lhsText(const HarvestedDAG &D, StringRef Path,
                           StringRef Hash, Summary &Sum) {
  std::unique_ptr<Module> LHS = toFunction(D);
  Function *Fn = LHS->getFunction("lhs");
  std::string Err;
  raw_string_ostream ES(Err);
  if (verifyFunction(*Fn, &ES)) {
    WithColor::error(errs(), ToolName)
        << Path << ": @lhs for hash " << Hash << " fails the verifier: " << Err
        << '\n';
    ++Sum.BadLHS;
  }
  std::string Text;
  raw_string_ostream OS(Text);
  Fn->print(OS);
  return Text;
}

static void harvestModule(StringRef Path, Module &M, const HarvestOptions &Opts,
                          Summary &Sum, raw_ostream &OS) {
  ModuleSlotTracker MST(&M);
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    ++Sum.Functions;
    MST.incorporateFunction(F);
    for (const HarvestedDAG &D : harvestFunction(F, Opts)) {
      ++Sum.DAGs;
      std::string Hash = D.hashHex();
      Sum.Hashes.insert(Hash);
      std::string Root = rootName(*D.Root, MST);
      std::string LHS = EmitLHS ? lhsText(D, Path, Hash, Sum) : "";
      if (JSONOut) {
        json::OStream J(OS);
        J.object([&] {
          J.attribute("kind", "dag");
          J.attribute("file", Path);
          J.attribute("function", F.getName());
          J.attribute("root", Root);
          J.attribute("size", D.size());
          J.attribute("leaves", static_cast<int64_t>(D.Leaves.size()));
          J.attribute("hash", Hash);
          J.attribute("canonical", D.Canonical);
          if (EmitLHS)
            J.attribute("lhs", LHS);
        });
        OS << '\n';
        continue;
      }
      OS << "; dag " << Path << " @" << F.getName() << ' ' << Root
         << " size=" << D.size() << " leaves=" << D.Leaves.size()
         << " hash=" << Hash << '\n'
         << D.Canonical << LHS << '\n';
    }
  }
}

static int runHarvest() {
  HarvestOptions Opts;
  Opts.MaxSize = MaxSize;
  Opts.MinSize = MinSize;
  Opts.LeafFacts = !NoFacts;
  if (Opts.MaxSize == 0 || Opts.MaxSize > MaxHarvestSize) {
    WithColor::error(errs(), ToolName)
        << "--max-size must be between 1 and " << MaxHarvestSize << '\n';
    return 1;
  }

  Summary Sum;
  for (const std::string &Path : Inputs) {
    // One context per file keeps memory bounded over a large corpus.
    LLVMContext Ctx;
    Expected<std::unique_ptr<Module>> M = loadIR(Path, Ctx);
    if (!M) {
      WithColor::error(errs(), ToolName) << toString(M.takeError()) << '\n';
      ++Sum.Failed;
      continue;
    }
    ++Sum.Files;
    harvestModule(Path, **M, Opts, Sum, outs());
  }

  if (JSONOut) {
    json::OStream J(outs());
    J.object([&] {
      J.attribute("kind", "summary");
      J.attribute("files", Sum.Files);
      J.attribute("failed", Sum.Failed);
      J.attribute("functions", Sum.Functions);
      J.attribute("dags", Sum.DAGs);
      J.attribute("distinct", static_cast<int64_t>(Sum.Hashes.size()));
    });
    outs() << '\n';
  } else {
    outs() << "; summary: " << Sum.Files << " files, " << Sum.Failed
           << " failed, " << Sum.Functions << " functions, " << Sum.DAGs
           << " DAGs, " << Sum.Hashes.size() << " distinct hashes\n";
  }
  return Sum.Failed || Sum.BadLHS ? 1 : 0;
}

// neuropt-synth superopt (Superopt.cpp).
namespace neuropt {
bool isSuperoptCommand();
int runSuperoptCommand(const char *Argv0);
} // namespace neuropt

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "neuropt-synth: integer DAG harvesting and "
                              "synthesis\n");
  if (HarvestCmd)
    return runHarvest();
  if (isSuperoptCommand())
    return runSuperoptCommand(argv[0]);
  if (synthtool::synthSelected())
    return synthtool::runSynth();
  if (synthtool::trainGuideSelected()) {
    neuropt::model::cpu::preferBlas(true); // Training: big products.
    return synthtool::runTrainGuide();
  }
  if (synthtool::evalGuideSelected())
    return synthtool::runEvalGuide();
  WithColor::error(errs(), ToolName)
      << "no subcommand given; try '" << ToolName << " harvest FILE...'\n";
  return 1;
}
