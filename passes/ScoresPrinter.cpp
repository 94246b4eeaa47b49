//===- ScoresPrinter.cpp - print<neuropt-scores> ---------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the printer of model scores. The first line names the
// backend; every other line depends only on the integer scores, so the output
// below the first line is byte-identical across -neuropt-device choices.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Passes/ScoresPrinter.h"
#include "neuropt/Model/IRInput.h"
#include "neuropt/Passes/ModelSupport.h"

#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#define DEBUG_TYPE "neuropt-scores"

using namespace llvm;
using namespace neuropt;

static cl::opt<std::string>
    ScoresModel("neuropt-scores-model",
                cl::desc("Model that print<neuropt-scores> runs"),
                cl::init("size"), cl::value_desc("name"));

PreservedAnalyses ScoresPrinterPass::run(Module &M, ModuleAnalysisManager &) {
  std::unique_ptr<model::ModelRunner> Runner = loadPassModel(ScoresModel, M);
  if (!Runner->isUsable()) {
    OS << "neuropt-scores: model '" << ScoresModel
       << "' unavailable; the stock heuristic decides\n";
    return PreservedAnalyses::all();
  }
  std::vector<const Function *> Fns;
  for (const Function &F : M)
    if (!F.isDeclaration())
      Fns.push_back(&F);
  OS << "neuropt-scores: model '" << ScoresModel << "' ("
     << model::modelKindName(Runner->config()->Kind) << ") on "
     << Runner->backendName() << "\n";
  if (Fns.empty())
    return PreservedAnalyses::all();

  model::IRBatch Batch = model::buildIRBatch(Fns, *Runner->config());
  model::StatusOr<model::Scores> S = Runner->evaluate(Batch.Input);
  if (!S) {
    M.getContext().diagnose(DiagnosticInfoGeneric(
        "neuropt: model '" + Twine(ScoresModel) +
            "' failed: " + S.status().message() +
            "; the stock heuristic decides",
        DS_Warning));
    return PreservedAnalyses::all();
  }
  std::vector<size_t> Order = S->ranking();
  std::vector<size_t> Rank(Order.size());
  for (size_t R = 0; R < Order.size(); ++R)
    Rank[Order[R]] = R;
  for (size_t I = 0; I < Fns.size(); ++I) {
    OS << "function " << Fns[I]->getName() << ": scores";
    for (unsigned K = 0; K < S->NumOutputs; ++K)
      OS << " " << S->raw(I, K);
    OS << " rank " << Rank[I];
    if (S->NumOutputs > 1)
      OS << " class " << S->argmax(I);
    OS << "\n";
  }
  return PreservedAnalyses::all();
}
