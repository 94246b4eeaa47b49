//===- Synth.cpp - The `neuropt-synth synth` subcommand ---------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements `neuropt-synth synth FILE.ll`: the value returned by
// one function of the file (by default @lhs, as `harvest --emit-lhs` prints
// it) is harvested as one DAG and handed to the synthesis engine, which
// prints a cheaper, proved replacement as a module with @rhs, or says that
// there is none within the search space ("no cheaper form") or that the
// budget ran out ("budget").
//
//===----------------------------------------------------------------------===//

#include "SynthTool.h"

#include "neuropt/Synth/Harvest.h"
#include "neuropt/Synth/Synthesize.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace neuropt;

static cl::SubCommand SynthCmd("synth",
                               "Synthesize a cheaper, proved replacement for "
                               "the value a function returns");

static cl::opt<std::string> Input(cl::Positional, cl::Required,
                                  cl::desc("<file.ll|file.bc>"),
                                  cl::sub(SynthCmd));
static cl::opt<std::string>
    FunctionName("function", cl::init("lhs"),
                 cl::desc("The function whose returned value is the LHS"),
                 cl::sub(SynthCmd));
static cl::opt<unsigned>
    BudgetMs("budget-ms", cl::init(SynthOptions().BudgetMs),
             cl::desc("Budget in nominal milliseconds: deterministic work "
                      "units, 2000 per ms (the wall clock is a guard at 4x "
                      "plus one second)"),
             cl::sub(SynthCmd));
static cl::opt<uint64_t>
    BudgetUnits("budget-units", cl::init(0),
                cl::desc("Budget in work units (overrides --budget-ms)"),
                cl::sub(SynthCmd));
static cl::opt<unsigned>
    MaxInsts("max-insts", cl::init(SynthOptions().MaxRHSInsts),
             cl::desc("Most instructions in a replacement"), cl::sub(SynthCmd));
static cl::opt<unsigned>
    SolverMs("solver-timeout-ms", cl::init(SynthOptions().SolverTimeoutMs),
             cl::desc("Per verifier query, in nominal milliseconds (Z3's "
                      "resource units, 2000 per ms)"),
             cl::sub(SynthCmd));
static cl::opt<uint64_t> Seed("seed", cl::init(SynthOptions().Seed),
                              cl::desc("Seed of the concrete inputs"),
                              cl::sub(SynthCmd));
static cl::opt<std::string>
    FilterName("filter", cl::init("auto"),
               cl::desc("Concrete-input filter: cpu, cuda or auto (CUDA when "
                        "a device is present)"),
               cl::sub(SynthCmd));
static cl::opt<bool> JSONOut("json",
                             cl::desc("Print one JSON object instead of text"),
                             cl::sub(SynthCmd));
static cl::opt<std::string>
    GuideDir("guide", cl::desc("Order the search with the learned guide in "
                               "this directory (models/synth-guide)"),
             cl::value_desc("MODEL_DIR"), cl::sub(SynthCmd));

static const char *const ToolName = "neuropt-synth synth";

static Expected<std::unique_ptr<Module>> loadModule(StringRef Path,
                                                    LLVMContext &Ctx) {
  if (!sys::fs::exists(Path))
    return createStringError(std::errc::no_such_file_or_directory,
                             "'%s': no such file", Path.str().c_str());
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseIRFile(Path, Diag, Ctx);
  if (!M)
    return createStringError(std::errc::invalid_argument,
                             "'%s': not valid LLVM IR: line %d: %s",
                             Path.str().c_str(), Diag.getLineNo(),
                             Diag.getMessage().str().c_str());
  std::string Msg;
  raw_string_ostream OS(Msg);
  if (verifyModule(*M, &OS))
    return createStringError(std::errc::invalid_argument,
                             "'%s': invalid LLVM IR: %s", Path.str().c_str(),
                             StringRef(Msg).split('\n').first.str().c_str());
  return M;
}

/// The instruction @Name returns (one return of an integer instruction).
static Expected<const Instruction *> returnedRoot(const Module &M,
                                                  StringRef Name) {
  const Function *F = M.getFunction(Name);
  if (!F || F->isDeclaration())
    return createStringError(std::errc::invalid_argument,
                             "no function @%s defined in '%s'",
                             Name.str().c_str(), Input.c_str());
  const ReturnInst *Ret = nullptr;
  for (const BasicBlock &BB : *F)
    if (const auto *R = dyn_cast<ReturnInst>(BB.getTerminator())) {
      if (Ret)
        return createStringError(std::errc::invalid_argument,
                                 "@%s has more than one return",
                                 Name.str().c_str());
      Ret = R;
    }
  const auto *Root =
      Ret ? dyn_cast_or_null<Instruction>(Ret->getReturnValue()) : nullptr;
  if (!Root || !isHarvestableInst(*Root))
    return createStringError(std::errc::invalid_argument,
                             "@%s does not return an integer instruction "
                             "synthesis can start from",
                             Name.str().c_str());
  return Root;
}

bool neuropt::synthtool::synthSelected() { return static_cast<bool>(SynthCmd); }

int neuropt::synthtool::runSynth() {
  SynthOptions Opts;
  Opts.BudgetMs = BudgetMs;
  Opts.BudgetUnits = BudgetUnits;
  Opts.MaxRHSInsts = MaxInsts;
  Opts.SolverTimeoutMs = SolverMs;
  Opts.Seed = Seed;
  if (FilterName == "cpu")
    Opts.Filter = FilterBackend::CPU;
  else if (FilterName == "cuda")
    Opts.Filter = FilterBackend::CUDA;
  else if (FilterName == "auto")
    Opts.Filter = FilterBackend::Auto;
  else {
    WithColor::error(errs(), ToolName)
        << "--filter must be cpu, cuda or auto, not '" << FilterName << "'\n";
    return 1;
  }
  if (MaxInsts == 0 || MaxInsts > 8) {
    WithColor::error(errs(), ToolName) << "--max-insts must be 1..8\n";
    return 1;
  }

  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M = loadModule(Input, Ctx);
  if (!M) {
    WithColor::error(errs(), ToolName) << toString(M.takeError()) << '\n';
    return 1;
  }
  Expected<const Instruction *> Root = returnedRoot(**M, FunctionName);
  if (!Root) {
    WithColor::error(errs(), ToolName) << toString(Root.takeError()) << '\n';
    return 1;
  }
  HarvestOptions HO;
  HO.MaxSize = MaxHarvestSize;
  HarvestedDAG DAG = extractDAG(**Root, HO);

  if (!GuideDir.empty()) {
    Expected<std::unique_ptr<SynthGuideModel>> G =
        SynthGuideModel::load(GuideDir);
    if (!G) {
      WithColor::error(errs(), ToolName) << toString(G.takeError()) << '\n';
      return 1;
    }
    Expected<SynthGuide> Guide = (*G)->predict(DAG);
    if (!Guide) {
      WithColor::error(errs(), ToolName) << toString(Guide.takeError())
                                         << '\n';
      return 1;
    }
    Opts.Guide = std::move(*Guide);
  }

  Expected<SynthResult> R = synthesize(DAG, Opts);
  if (!R) {
    WithColor::error(errs(), ToolName) << toString(R.takeError()) << '\n';
    return 1;
  }
  const SynthStats &S = R->Stats;
  if (JSONOut) {
    json::OStream J(outs(), 2);
    J.object([&] {
      J.attribute("status", synthStatusName(R->Status));
      J.attribute("hash", DAG.hashHex());
      J.attribute("lhs_cost", R->LHSCost);
      if (R->Status == SynthStatus::Found) {
        J.attribute("rhs_cost", R->RHSCost);
        J.attribute("rhs", R->RHSText);
        J.attribute("certificate", R->Certificate);
      }
      if (!R->Reason.empty())
        J.attribute("reason", R->Reason);
      J.attributeObject("stats", [&] {
        J.attribute("enumerated", static_cast<int64_t>(S.Enumerated));
        J.attribute("pruned", static_cast<int64_t>(S.Pruned));
        J.attribute("filtered", static_cast<int64_t>(S.Filtered));
        J.attribute("solver_calls", static_cast<int64_t>(S.SolverCalls));
        J.attribute("inverted", static_cast<int64_t>(S.Inverted));
        J.attribute("exhausted", static_cast<int64_t>(S.Exhausted));
        J.attribute("proofs", static_cast<int64_t>(S.Proofs));
        J.attribute("refuted", static_cast<int64_t>(S.Refuted));
        J.attribute("undecided", static_cast<int64_t>(S.Undecided));
        J.attribute("inputs", static_cast<int64_t>(S.Inputs));
        J.attribute("backend", S.Backend);
        J.attribute("units", static_cast<int64_t>(S.Units));
        J.attribute("seconds", S.Seconds);
      });
    });
    outs() << '\n';
    return 0;
  }
  outs() << "; lhs " << DAG.hashHex() << " cost " << R->LHSCost;
  switch (R->Status) {
  case SynthStatus::Found:
    outs() << ", rhs cost " << R->RHSCost << '\n';
    break;
  case SynthStatus::NoneCheaper:
    outs() << ": no cheaper form\n";
    break;
  case SynthStatus::Budget:
    outs() << ": budget (" << R->Reason << ")\n";
    break;
  case SynthStatus::Unsupported:
    outs() << ": unsupported (" << R->Reason << ")\n";
    break;
  }
  outs() << "; " << S.Enumerated << " candidates, " << S.Pruned << " pruned, "
         << S.Filtered << " filtered, " << S.SolverCalls << " solver calls ("
         << S.Proofs << " proofs), " << S.Inputs << " inputs, " << S.Backend
         << " filter, " << S.Units << " work units, "
         << format("%.3f", S.Seconds) << " s\n";
  if (R->Status == SynthStatus::Found) {
    for (StringRef L : split(StringRef(R->Certificate).rtrim(), '\n'))
      outs() << "; " << L << '\n';
    outs() << R->RHSText;
  }
  return 0;
}
