//===- neuropt-eval.cpp - Measure code size under pass pipelines -----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
//   neuropt-eval measure [--pipeline=P]... FILE.{ll,bc}...
//     For each file and each pipeline (default: "default<Oz>"), runs the
//     pipeline and x86-64 code generation in memory, as clang -Oz -c would,
//     and prints one line: file, pipeline, .text, .rodata, .data, objective,
//     IR instructions.
//
//   neuropt-eval label --corpus=DIR [--split=train] [--shard=i/N] [--budget=N]
//     Offline labels for neuropt-size: the search on every module of a
//     neuropt-corpus database, stored in its size_search table; resumable.
//
//   neuropt-eval search [--budget=N] [--seed=S] [--no-extras] FILE...
//     The autotuning ceiling: random search plus greedy refinement over pass
//     sequences for each file, against default<Oz>, and the geometric-mean
//     reduction of the objective and of .text over all files.
//
//   neuropt-eval size [--no-ceiling] [--budget=N] [--jobs=N] [--out=DIR] DIR...
//     clang -Oz with and without the plugin on C programs or bitcode, against
//     the search ceiling (Size.cpp).
//
// `--json` prints JSON Lines instead of text.
//
//===----------------------------------------------------------------------===//

#include "Coreset.h"
#include "Label.h"
#include "Size.h"

#include "neuropt/Search/PassSearch.h"
#include "neuropt/Search/PipelineEvaluator.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

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
static cl::SubCommand SearchCmd("search",
                                "Search pass sequences for smaller objects");
static cl::opt<bool> AsJSON2("json", cl::desc("Print JSON Lines"),
                             cl::sub(SearchCmd), cl::cat(Category));
static cl::opt<unsigned> Budget("budget", cl::desc("Evaluations per file"),
                                cl::init(300), cl::sub(SearchCmd),
                                cl::cat(Category));
static cl::opt<uint64_t> Seed("seed", cl::desc("Random seed"), cl::init(1),
                              cl::sub(SearchCmd), cl::cat(Category));
static cl::opt<bool> NoExtras("no-extras",
                              cl::desc("Only use the passes of -Oz"),
                              cl::sub(SearchCmd), cl::cat(Category));
static cl::opt<std::string> EmitBest(
    "emit-best",
    cl::desc("Write each file's module after its best sequence to "
             "DIR/<name>.best.bc (for differential testing)"),
    cl::value_desc("dir"), cl::sub(SearchCmd), cl::cat(Category));
static cl::SubCommand LabelCmd("label",
                               "Label a corpus with searched pass sequences");
static cl::opt<std::string> LabelCorpus("corpus", cl::desc("Corpus directory"),
                                        cl::Required, cl::sub(LabelCmd),
                                        cl::cat(Category));
static cl::opt<std::string> LabelSplit("split",
                                       cl::desc("Only this split (train/val)"),
                                       cl::init("train"), cl::sub(LabelCmd),
                                       cl::cat(Category));
static cl::opt<std::string> LabelShardOpt("shard", cl::desc("Shard i/N"),
                                          cl::init("0/1"), cl::sub(LabelCmd),
                                          cl::cat(Category));
static cl::opt<unsigned> LabelBudget("budget", cl::desc("Evaluations per module"),
                                     cl::init(300), cl::sub(LabelCmd),
                                     cl::cat(Category));
static cl::opt<uint64_t> LabelSeed("seed", cl::desc("Random seed"), cl::init(1),
                                   cl::sub(LabelCmd), cl::cat(Category));
static cl::opt<unsigned> LabelMax("max-modules",
                                  cl::desc("Stop after this many new labels"),
                                  cl::init(0), cl::sub(LabelCmd),
                                  cl::cat(Category));
static cl::list<std::string> Inputs(cl::Positional, cl::desc("<IR files>"),
                                    cl::sub(MeasureCmd), cl::sub(SearchCmd),
                                    cl::cat(Category));

/// Creates the evaluator, or reports why not.
static std::unique_ptr<PipelineEvaluator> createEvaluator(StringRef Cmd) {
  if (Inputs.empty()) {
    WithColor::error(errs(), "neuropt-eval") << Cmd << ": no input files\n";
    return nullptr;
  }
  auto EvalOrErr = PipelineEvaluator::create();
  if (!EvalOrErr) {
    WithColor::error(errs(), "neuropt-eval") << toString(EvalOrErr.takeError()) << "\n";
    return nullptr;
  }
  return std::move(*EvalOrErr);
}

/// Parses one input file, printing the parser's diagnostic on failure.
static std::unique_ptr<Module> loadModule(StringRef Path, LLVMContext &Ctx) {
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseIRFile(Path, Err, Ctx);
  if (!M)
    Err.print("neuropt-eval", errs());
  return M;
}

static int runMeasure() {
  std::unique_ptr<PipelineEvaluator> Eval = createEvaluator("measure");
  if (!Eval)
    return 1;
  std::vector<std::string> Ps(Pipelines.begin(), Pipelines.end());
  if (Ps.empty())
    Ps.push_back("default<Oz>");
  int Status = 0;
  for (const std::string &Path : Inputs) {
    LLVMContext Ctx;
    std::unique_ptr<Module> M = loadModule(Path, Ctx);
    if (!M) {
      Status = 1;
      continue;
    }
    for (const std::string &P : Ps) {
      Expected<SizeMeasurement> R = P == "none" ? Eval->measure(*M)
                                                : Eval->evaluate(*M, P);
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

/// Reduction of \p New against \p Old as a fraction (positive = smaller).
static double reduction(uint64_t Old, uint64_t New) {
  return Old ? 1.0 - double(New) / double(Old) : 0.0;
}

/// Applies \p Pipeline to \p M in place and writes it as bitcode into
/// --emit-best, named after \p Path.
static Error writeBest(PipelineEvaluator &Eval, Module &M, StringRef Pipeline,
                       StringRef Path) {
  if (Error E = Eval.runPipeline(M, Pipeline))
    return E;
  if (std::error_code EC = sys::fs::create_directories(EmitBest))
    return createStringError(EC, "cannot create '%s'", EmitBest.c_str());
  SmallString<256> Out(EmitBest);
  sys::path::append(Out, sys::path::stem(Path) + ".best.bc");
  std::error_code EC;
  raw_fd_ostream OS(Out, EC, sys::fs::OF_None);
  if (EC)
    return createStringError(EC, "cannot write '%s'", Out.c_str());
  WriteBitcodeToFile(M, OS);
  return Error::success();
}

static int runSearch() {
  std::unique_ptr<PipelineEvaluator> Eval = createEvaluator("search");
  if (!Eval)
    return 1;
  SearchOptions Opts;
  Opts.Budget = Budget;
  Opts.Seed = Seed;
  Opts.WithExtras = !NoExtras;
  double LogObj = 0, LogText = 0;
  unsigned N = 0;
  int Status = 0;
  for (const std::string &Path : Inputs) {
    LLVMContext Ctx;
    std::unique_ptr<Module> M = loadModule(Path, Ctx);
    if (!M) {
      Status = 1;
      continue;
    }
    Expected<SearchResult> R = searchPassSequences(*Eval, *M, Opts);
    if (!R) {
      WithColor::error(errs(), "neuropt-eval")
          << Path << ": " << toString(R.takeError()) << "\n";
      Status = 1;
      continue;
    }
    if (!EmitBest.empty()) {
      if (Error E = writeBest(*Eval, *M, R->BestPipeline, Path)) {
        WithColor::error(errs(), "neuropt-eval")
            << Path << ": " << toString(std::move(E)) << "\n";
        Status = 1;
      }
    }
    const ObjectSize &B = R->Baseline.Object, &S = R->Best.Object;
    double RO = reduction(B.objective(), S.objective());
    double RT = reduction(B.Text, S.Text);
    LogObj += std::log(double(S.objective()) / double(B.objective()));
    LogText += std::log(double(S.Text ? S.Text : 1) / double(B.Text ? B.Text : 1));
    ++N;
    if (AsJSON2) {
      outs() << json::Value(json::Object{
                    {"file", Path},
                    {"oz_objective", B.objective()},
                    {"oz_text", B.Text},
                    {"oz_ir_insts", R->Baseline.IRInstructions},
                    {"best_objective", S.objective()},
                    {"best_text", S.Text},
                    {"best_ir_insts", R->Best.IRInstructions},
                    {"evaluations", R->Evaluations},
                    {"failures", R->Failures},
                    {"best_pipeline", R->BestPipeline}})
             << "\n";
    } else {
      outs() << formatv("{0}: oz={1} best={2} ({3:P2} objective, {4:P2} .text) "
                        "evals={5} failed={6}\n",
                        Path, B.objective(), S.objective(), RO, RT,
                        R->Evaluations, R->Failures);
    }
  }
  if (N && !AsJSON2)
    outs() << formatv("geomean reduction over {0} files: {1:P2} objective, "
                      "{2:P2} .text\n",
                      N, 1.0 - std::exp(LogObj / N), 1.0 - std::exp(LogText / N));
  return Status;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions({&Category, &getCoresetCategory()});
  cl::ParseCommandLineOptions(argc, argv, "neuropt evaluation driver\n");
  if (MeasureCmd)
    return runMeasure();
  if (SearchCmd)
    return runSearch();
  if (std::optional<int> RC = runCoresetCommand())
    return *RC;
  if (isSizeCommand())
    return runSizeCommand(argv[0]);
  if (LabelCmd) {
    auto Shard = parseShard(LabelShardOpt);
    if (!Shard) {
      WithColor::error(errs(), "neuropt-eval") << toString(Shard.takeError()) << "\n";
      return 1;
    }
    LabelOptions Opts{LabelCorpus, LabelSplit, *Shard, LabelBudget, LabelSeed,
                      LabelMax};
    if (Error E = runLabelling(Opts, outs())) {
      WithColor::error(errs(), "neuropt-eval") << "label: " << toString(std::move(E)) << "\n";
      return 1;
    }
    return 0;
  }
  WithColor::error(errs(), "neuropt-eval") << "missing subcommand; try --help\n";
  return 1;
}
