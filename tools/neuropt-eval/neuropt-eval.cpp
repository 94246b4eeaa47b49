//===- neuropt-eval.cpp - Measure code size under pass pipelines -----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
//   neuropt-eval measure [--pipeline=P]... FILE.{ll,bc}...
//
// For each file and each pipeline (default: "default<Oz>"), runs the pipeline
// and x86-64 code generation in memory, as clang -Oz -c would, and prints one
// line: file, pipeline, .text, .rodata, .data, objective, IR instructions.
// `--json` prints JSON Lines instead.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/PipelineEvaluator.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace neuropt;

static cl::OptionCategory Category("neuropt-eval options");
static cl::SubCommand MeasureCmd("measure",
                                 "Measure object size under pass pipelines");
static cl::list<std::string> Pipelines(
    "pipeline", cl::desc("New-PM pipeline to apply (repeatable; default "
                         "default<Oz>); 'none' measures the IR as it is"),
    cl::sub(MeasureCmd), cl::cat(Category));
static cl::opt<bool> AsJSON("json", cl::desc("Print JSON Lines"),
                            cl::sub(MeasureCmd), cl::cat(Category));
static cl::list<std::string> Inputs(cl::Positional, cl::desc("<IR files>"),
                                    cl::sub(MeasureCmd), cl::cat(Category));

static int runMeasure() {
  if (Inputs.empty()) {
    WithColor::error(errs(), "neuropt-eval") << "measure: no input files\n";
    return 1;
  }
  auto EvalOrErr = PipelineEvaluator::create();
  if (!EvalOrErr) {
    WithColor::error(errs(), "neuropt-eval") << toString(EvalOrErr.takeError()) << "\n";
    return 1;
  }
  std::vector<std::string> Ps(Pipelines.begin(), Pipelines.end());
  if (Ps.empty())
    Ps.push_back("default<Oz>");
  int Status = 0;
  for (const std::string &Path : Inputs) {
    LLVMContext Ctx;
    SMDiagnostic Err;
    std::unique_ptr<Module> M = parseIRFile(Path, Err, Ctx);
    if (!M) {
      Err.print("neuropt-eval", errs());
      Status = 1;
      continue;
    }
    for (const std::string &P : Ps) {
      Expected<SizeMeasurement> R = P == "none" ? (*EvalOrErr)->measure(*M)
                                                : (*EvalOrErr)->evaluate(*M, P);
      if (!R) {
        WithColor::error(errs(), "neuropt-eval")
            << Path << ": " << toString(R.takeError()) << "\n";
        Status = 1;
        continue;
      }
      const ObjectSize &O = R->Object;
      if (AsJSON)
        outs() << json::Value(json::Object{{"file", Path},
                                           {"pipeline", P},
                                           {"text", O.Text},
                                           {"rodata", O.ROData},
                                           {"data", O.Data},
                                           {"objective", O.objective()},
                                           {"ir_insts", R->IRInstructions}})
               << "\n";
      else
        outs() << Path << " pipeline=" << P << " text=" << O.Text
               << " rodata=" << O.ROData << " data=" << O.Data
               << " objective=" << O.objective()
               << " ir_insts=" << R->IRInstructions << "\n";
    }
  }
  return Status;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Category);
  cl::ParseCommandLineOptions(argc, argv, "neuropt evaluation driver\n");
  if (MeasureCmd)
    return runMeasure();
  WithColor::error(errs(), "neuropt-eval") << "missing subcommand; try --help\n";
  return 1;
}
