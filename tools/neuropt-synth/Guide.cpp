//===- Guide.cpp - train-guide and eval-guide subcommands -------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the two corpus-level subcommands of the synthesis
// guide:
//
//   neuropt-synth train-guide --corpus-db corpus/oz/corpus.db --out DIR
//     harvests DAGs from modules of the corpus's TRAINING split (after an
//     -O2 pipeline, since harvesting targets optimized IR), runs unguided
//     synthesis on each, labels every solved problem with the opcodes of its
//     replacement, trains the MLP guide (lib/Model), quantizes it and writes
//     DIR/synth-guide.{safetensors,card.json} plus the dataset.
//
//   neuropt-synth eval-guide --corpus-db corpus/oz/corpus.db [--guide DIR]
//     harvests problems from the VALIDATION split the same way and runs each
//     unguided and, with --guide, guided; prints time per problem (median,
//     95th percentile), the share solved within 1 s and 10 s, the solver-call
//     rate and the pruned share, per mode, as a Markdown table, and writes one
//     JSON line per problem and mode with --records.
//
// Problems are deduplicated by DAG hash and sampled deterministically (the
// modules in hash order, the DAGs in hash order), so two runs see the same
// problems. The training command refuses the validation split.
//
//===----------------------------------------------------------------------===//

#include "SynthTool.h"

#include "neuropt/Model/ModelCard.h"
#include "neuropt/Model/Quantize.h"
#include "neuropt/Model/Train.h"
#include "neuropt/Synth/Harvest.h"
#include "neuropt/Synth/Synthesize.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <map>

using namespace llvm;
using namespace neuropt;

static cl::SubCommand TrainCmd("train-guide",
                               "Train the synthesis guide on solved problems "
                               "of the corpus's training split");
static cl::SubCommand EvalCmd("eval-guide",
                              "Measure synthesis, unguided and guided, on "
                              "problems of the corpus's validation split");

static cl::opt<std::string> CorpusDB("corpus-db", cl::Required,
                                     cl::desc("The corpus database "
                                              "(corpus/oz/corpus.db)"),
                                     cl::sub(TrainCmd), cl::sub(EvalCmd));
static cl::opt<unsigned>
    MaxModules("max-modules", cl::init(40),
               cl::desc("Modules to harvest (in module-hash order)"),
               cl::sub(TrainCmd), cl::sub(EvalCmd));
static cl::opt<unsigned>
    MaxProblems("max-problems", cl::init(400),
                cl::desc("Distinct DAGs to synthesize for"), cl::sub(TrainCmd),
                cl::sub(EvalCmd));
static cl::opt<unsigned>
    Budget("budget-ms", cl::init(1000),
           cl::desc("Synthesis budget per problem in nominal milliseconds "
                    "(deterministic work units, 2000 per ms)"),
           cl::sub(TrainCmd), cl::sub(EvalCmd));
static cl::opt<std::string> FilterOpt("filter", cl::init("cpu"),
                                      cl::desc("cpu, cuda or auto"),
                                      cl::sub(TrainCmd), cl::sub(EvalCmd));
static cl::opt<std::string> OutDir("out", cl::desc("Output directory"),
                                   cl::value_desc("DIR"), cl::sub(TrainCmd));
static cl::opt<unsigned> Epochs("epochs", cl::init(60),
                                cl::desc("Training epochs"), cl::sub(TrainCmd));
static cl::opt<uint64_t> TrainSeed("seed", cl::init(1),
                                   cl::desc("Training seed"),
                                   cl::sub(TrainCmd));
static cl::opt<std::string> Split("split", cl::init("val"),
                                  cl::desc("Corpus split to evaluate on"),
                                  cl::sub(EvalCmd));
static cl::opt<std::string>
    GuideDirOpt("guide", cl::desc("Also run guided with the model in DIR"),
                cl::value_desc("DIR"), cl::sub(EvalCmd));
static cl::opt<std::string>
    Records("records", cl::desc("Write one JSON line per problem and mode"),
            cl::value_desc("FILE"), cl::sub(EvalCmd));

static const char *const Tool = "neuropt-synth";

bool neuropt::synthtool::trainGuideSelected() {
  return static_cast<bool>(TrainCmd);
}
bool neuropt::synthtool::evalGuideSelected() {
  return static_cast<bool>(EvalCmd);
}

namespace {

/// Harvested problems with the modules they point into.
struct ProblemSet {
  std::vector<std::unique_ptr<LLVMContext>> Contexts;
  std::vector<std::unique_ptr<Module>> Modules;
  std::vector<HarvestedDAG> DAGs;
  std::vector<std::string> Origin; ///< Module path per DAG.
  unsigned ModulesRead = 0, ModulesFailed = 0, Harvested = 0;
};

Expected<std::vector<std::string>> modulePaths(StringRef DB,
                                               StringRef SplitName) {
  sqlite3 *H = nullptr;
  if (sqlite3_open_v2(DB.str().c_str(), &H, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    std::string Msg = H ? sqlite3_errmsg(H) : "cannot open";
    sqlite3_close(H);
    return createStringError(std::errc::io_error, "'%s': %s",
                             DB.str().c_str(), Msg.c_str());
  }
  const char *SQL = "SELECT m.path FROM modules m JOIN packages p ON "
                    "p.name = m.package WHERE p.split = ?1 ORDER BY m.hash";
  sqlite3_stmt *St = nullptr;
  if (sqlite3_prepare_v2(H, SQL, -1, &St, nullptr) != SQLITE_OK) {
    std::string Msg = sqlite3_errmsg(H);
    sqlite3_close(H);
    return createStringError(std::errc::io_error,
                             "'%s': not a corpus database: %s",
                             DB.str().c_str(), Msg.c_str());
  }
  sqlite3_bind_text(St, 1, SplitName.data(), SplitName.size(),
                    SQLITE_TRANSIENT);
  std::vector<std::string> Paths;
  while (sqlite3_step(St) == SQLITE_ROW)
    Paths.push_back(reinterpret_cast<const char *>(sqlite3_column_text(St, 0)));
  sqlite3_finalize(St);
  sqlite3_close(H);
  if (Paths.empty())
    return createStringError(std::errc::invalid_argument,
                             "'%s': no modules in split '%s'",
                             DB.str().c_str(), SplitName.str().c_str());
  return Paths;
}

/// The -O2 module pipeline, without a target machine (as `opt -O2` without
/// a triple-specific TTI would).
void optimizeO2(Module &M) {
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB;
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  ModulePassManager MPM =
      PB.buildPerModuleDefaultPipeline(OptimizationLevel::O2);
  MPM.run(M, MAM);
}

Expected<ProblemSet> harvestSplit(StringRef SplitName) {
  Expected<std::vector<std::string>> Paths = modulePaths(CorpusDB, SplitName);
  if (!Paths)
    return Paths.takeError();
  SmallString<256> Root(CorpusDB.getValue());
  sys::path::remove_filename(Root);
  ProblemSet PS;
  StringSet<> Seen;
  std::vector<std::pair<std::string, size_t>> Order; // (hash, index)
  for (const std::string &Rel : *Paths) {
    if (PS.ModulesRead >= MaxModules)
      break;
    SmallString<256> Path(Root);
    sys::path::append(Path, Rel);
    auto Ctx = std::make_unique<LLVMContext>();
    SMDiagnostic Diag;
    std::unique_ptr<Module> M = parseIRFile(Path, Diag, *Ctx);
    if (!M) {
      ++PS.ModulesFailed;
      continue;
    }
    ++PS.ModulesRead;
    optimizeO2(*M);
    for (Function &F : *M)
      for (HarvestedDAG &D : harvestFunction(F)) {
        ++PS.Harvested;
        if (!Seen.insert(D.hashHex()).second)
          continue;
        Order.push_back({D.hashHex(), PS.DAGs.size()});
        PS.DAGs.push_back(std::move(D));
        PS.Origin.push_back(Rel);
      }
    PS.Contexts.push_back(std::move(Ctx));
    PS.Modules.push_back(std::move(M));
  }
  // A deterministic sample: the DAGs in hash order.
  llvm::sort(Order);
  if (Order.size() > MaxProblems)
    Order.resize(MaxProblems);
  std::vector<HarvestedDAG> DAGs;
  std::vector<std::string> Origin;
  for (auto &[Hash, I] : Order) {
    DAGs.push_back(std::move(PS.DAGs[I]));
    Origin.push_back(PS.Origin[I]);
  }
  PS.DAGs = std::move(DAGs);
  PS.Origin = std::move(Origin);
  return PS;
}

Expected<FilterBackend> parseFilter() {
  if (FilterOpt == "cpu")
    return FilterBackend::CPU;
  if (FilterOpt == "cuda")
    return FilterBackend::CUDA;
  if (FilterOpt == "auto")
    return FilterBackend::Auto;
  return createStringError(std::errc::invalid_argument,
                           "--filter must be cpu, cuda or auto");
}

int fail(Error E) {
  WithColor::error(errs(), Tool) << toString(std::move(E)) << '\n';
  return 1;
}

std::string commandLine() {
  // The options that matter to reproduce the model.
  std::string S;
  raw_string_ostream OS(S);
  OS << "neuropt-synth train-guide --corpus-db " << CorpusDB
     << " --max-modules " << MaxModules << " --max-problems " << MaxProblems
     << " --budget-ms " << Budget << " --epochs " << Epochs << " --seed "
     << TrainSeed << " --out " << OutDir;
  return S;
}

} // namespace

int neuropt::synthtool::runTrainGuide() {
  using namespace neuropt::model;
  if (OutDir.empty())
    return fail(createStringError(std::errc::invalid_argument,
                                  "train-guide: --out DIR is required"));
  Expected<FilterBackend> FB = parseFilter();
  if (!FB)
    return fail(FB.takeError());
  Expected<ProblemSet> PS = harvestSplit("train");
  if (!PS)
    return fail(PS.takeError());
  outs() << "train-guide: " << PS->ModulesRead << " training modules ("
         << PS->ModulesFailed << " unreadable), " << PS->Harvested
         << " DAGs, " << PS->DAGs.size() << " distinct problems sampled\n";

  Dataset D;
  D.Kind = ModelKind::MLP;
  D.Task = HeadKind::Classification;
  D.NumFeatures = numGuideFeatures();
  D.NumClasses = numGuideClasses();
  D.ManifestHash = guideManifestHash();
  std::vector<uint32_t> ProblemOf; // Sample -> problem, for the holdout.
  unsigned Found = 0, Unsupported = 0;
  auto T0 = std::chrono::steady_clock::now();
  for (size_t P = 0; P != PS->DAGs.size(); ++P) {
    const HarvestedDAG &DAG = PS->DAGs[P];
    SynthOptions Opts;
    Opts.BudgetMs = Budget;
    Opts.Filter = *FB;
    Expected<SynthResult> R = synthesize(DAG, Opts);
    if (!R)
      return fail(R.takeError());
    if (R->Status == SynthStatus::Unsupported)
      ++Unsupported;
    if (R->Status != SynthStatus::Found)
      continue;
    ++Found;
    SMDiagnostic Err;
    std::unique_ptr<Module> RHS =
        parseAssemblyString(R->RHSText, Err, DAG.Root->getContext());
    if (!RHS)
      return fail(createStringError(std::errc::invalid_argument,
                                    "synthesized RHS does not parse: %s",
                                    Err.getMessage().str().c_str()));
    std::vector<int64_t> F = guideFeatures(DAG);
    for (unsigned L : guideLabels(*RHS)) {
      D.Counts.insert(D.Counts.end(), F.begin(), F.end());
      D.Labels.push_back(float(L));
      D.Groups.push_back(0);
      ProblemOf.push_back(P);
    }
  }
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              T0)
                    .count();
  outs() << "train-guide: " << Found << " solved, " << Unsupported
         << " unsupported, " << D.size() << " (problem, opcode) samples in "
         << format("%.1f", Secs) << " s\n";
  if (D.size() < 8)
    return fail(createStringError(std::errc::invalid_argument,
                                  "train-guide: only %zu labelled samples; "
                                  "harvest more problems",
                                  D.size()));
  if (Status S = D.validate())
    return fail(createStringError(std::errc::invalid_argument, "%s",
                                  S.message().c_str()));

  // Hold out every fifth solved problem (all its samples).
  std::vector<size_t> TrainIdx, TestIdx;
  for (size_t I = 0; I != D.size(); ++I)
    (ProblemOf[I] % 5 == 4 ? TestIdx : TrainIdx).push_back(I);
  Dataset Train = D.subset(TrainIdx), Test = D.subset(TestIdx);

  ModelConfig C;
  C.Kind = ModelKind::MLP;
  C.Head = HeadKind::Classification;
  C.NumFeatures = D.NumFeatures;
  C.NumOutputs = D.NumClasses;
  C.Hidden = {64, 32};
  StatusOr<FloatModel> MOr = FloatModel::create(C, TrainSeed);
  if (!MOr)
    return fail(createStringError(std::errc::invalid_argument, "%s",
                                  MOr.status().message().c_str()));
  FloatModel M = std::move(*MOr);
  fitInputNormalization(M, Train);
  TrainOptions TO;
  TO.Epochs = Epochs;
  TO.BatchSize = 32;
  TO.LearningRate = 3e-3f;
  TO.Seed = TrainSeed;
  StatusOr<std::vector<double>> Losses = trainModel(M, Train, TO);
  if (!Losses)
    return fail(createStringError(std::errc::invalid_argument, "%s",
                                  Losses.status().message().c_str()));
  std::vector<size_t> All(Train.size());
  for (size_t I = 0; I != All.size(); ++I)
    All[I] = I;
  std::vector<int64_t> SC;
  GraphBatch SG;
  StatusOr<QuantModel> Q = quantizeModel(M, Train.batch(All, SC, SG));
  if (!Q)
    return fail(createStringError(std::errc::invalid_argument, "%s",
                                  Q.status().message().c_str()));
  const Dataset &Eval = Test.size() ? Test : Train;
  Metrics FM = evaluateModel(M, Eval);
  std::vector<size_t> EvalIdx(Eval.size());
  for (size_t I = 0; I != EvalIdx.size(); ++I)
    EvalIdx[I] = I;
  std::vector<int32_t> Raw = runQuantizedCPU(*Q, Eval.batch(EvalIdx, SC, SG));
  std::vector<float> Deq;
  for (int32_t V : Raw)
    Deq.push_back(float(V) * Q->ScoreScale);
  Metrics QM = computeMetrics(Eval, Deq, C.NumOutputs);
  // Majority-class baseline on the same samples.
  std::map<unsigned, unsigned> Freq;
  for (float L : Train.Labels)
    ++Freq[unsigned(L)];
  unsigned Majority = 0, Best = 0;
  for (auto &[L, N] : Freq)
    if (N > Best)
      Best = N, Majority = L;
  unsigned Hits = 0;
  for (float L : Eval.Labels)
    Hits += unsigned(L) == Majority;

  ModelCard Card;
  Card.Name = SynthGuideModel::DefaultName;
  Card.Config = C;
  Card.Manifest.Hash = guideManifestHash();
  Card.Manifest.NumFeatures = numGuideFeatures();
  Card.CorpusName = "corpus/oz train split, -O2, neuropt-synth harvest; " +
                    std::to_string(PS->DAGs.size()) + " problems, " +
                    std::to_string(Found) + " solved";
  Card.CorpusHash = D.contentHash();
  Card.TrainCommand = commandLine();
  Card.Seed = TrainSeed;
  JsonValue Met = JsonValue::object();
  Met.set("evaluated_on", Test.size() ? "holdout (every 5th solved problem)"
                                      : "training set");
  Met.set("samples", uint64_t(Eval.size()));
  JsonValue FJ = JsonValue::object();
  FJ.set("loss", FM.Loss);
  FJ.set(FM.MetricName, FM.Metric);
  Met.set("float32", FJ);
  JsonValue QJ = JsonValue::object();
  QJ.set("loss", QM.Loss);
  QJ.set(QM.MetricName, QM.Metric);
  Met.set("int8", QJ);
  Met.set("majority_class_accuracy",
          Eval.size() ? double(Hits) / double(Eval.size()) : 0.0);
  Met.set("problems", uint64_t(PS->DAGs.size()));
  Met.set("solved", uint64_t(Found));
  JsonValue L = JsonValue::array();
  for (double X : *Losses)
    L.push(X);
  Met.set("train_loss_per_epoch", L);
  Card.Metrics = Met;
  if (std::error_code EC = sys::fs::create_directories(OutDir))
    return fail(createStringError(EC, "cannot create '%s'", OutDir.c_str()));
  if (Status S = saveModel(OutDir, Card, M, *Q))
    return fail(createStringError(std::errc::io_error, "%s",
                                  S.message().c_str()));
  std::string DataPath = (Twine(OutDir) + "/synth-guide.data.txt").str();
  if (Status S = writeDataset(DataPath, D))
    return fail(createStringError(std::errc::io_error, "%s",
                                  S.message().c_str()));
  outs() << "train-guide: " << FM.MetricName << " on " << Eval.size()
         << " held-out samples: float32 " << format("%.3f", FM.Metric)
         << ", int8 " << format("%.3f", QM.Metric) << " (majority class "
         << format("%.3f", Eval.size() ? double(Hits) / Eval.size() : 0.0)
         << ")\n"
         << "train-guide: wrote " << weightsPath(OutDir, Card.Name) << ", "
         << cardPath(OutDir, Card.Name) << " and " << DataPath << '\n';
  return 0;
}

namespace {

struct Run {
  SynthStatus Status = SynthStatus::Budget;
  double Seconds = 0;
  SynthStats Stats;
  std::string RHS;
};

double percentile(std::vector<double> V, double P) {
  if (V.empty())
    return 0;
  llvm::sort(V);
  size_t I = std::min(V.size() - 1, size_t(P * double(V.size() - 1) + 0.5));
  return V[I];
}

struct Summary {
  unsigned N = 0, Found = 0, None = 0, Budget = 0, Within1 = 0, Within10 = 0;
  double TotalSecs = 0;
  uint64_t SolverCalls = 0, Enumerated = 0, Pruned = 0, Filtered = 0;
  std::vector<double> Times, FoundTimes, FoundUnits;

  void add(const Run &R) {
    ++N;
    Found += R.Status == SynthStatus::Found;
    None += R.Status == SynthStatus::NoneCheaper;
    Budget += R.Status == SynthStatus::Budget;
    Within1 += R.Status == SynthStatus::Found && R.Seconds <= 1.0;
    Within10 += R.Status == SynthStatus::Found && R.Seconds <= 10.0;
    TotalSecs += R.Seconds;
    SolverCalls += R.Stats.SolverCalls;
    Enumerated += R.Stats.Enumerated;
    Pruned += R.Stats.Pruned;
    Filtered += R.Stats.Filtered;
    Times.push_back(R.Seconds);
    if (R.Status == SynthStatus::Found) {
      FoundTimes.push_back(R.Seconds);
      FoundUnits.push_back(double(R.Stats.Units));
    }
  }
};

void printRow(raw_ostream &OS, StringRef Mode, const Summary &S) {
  auto Pct = [&](double A, double B) { return B ? 100.0 * A / B : 0.0; };
  OS << "| " << Mode << " | " << S.N << " | " << S.Found << " | " << S.None
     << " | " << S.Budget << " | " << format("%.1f%%", Pct(S.Within1, S.N))
     << " | " << format("%.1f%%", Pct(S.Within10, S.N)) << " | "
     << format("%.3f", percentile(S.Times, 0.5)) << " | "
     << format("%.3f", percentile(S.Times, 0.95)) << " | "
     << format("%.3f", percentile(S.FoundTimes, 0.5)) << " | "
     << format("%.0f", percentile(S.FoundUnits, 0.5)) << " | "
     << format("%.1f", S.N ? double(S.SolverCalls) / S.N : 0.0) << " | "
     << format("%.0f", S.TotalSecs ? S.SolverCalls / S.TotalSecs : 0.0) << " | "
     << format("%.1f%%", Pct(S.Pruned, S.Enumerated)) << " |\n";
}

} // namespace

int neuropt::synthtool::runEvalGuide() {
  Expected<FilterBackend> FB = parseFilter();
  if (!FB)
    return fail(FB.takeError());
  std::unique_ptr<SynthGuideModel> Guide;
  if (!GuideDirOpt.empty()) {
    Expected<std::unique_ptr<SynthGuideModel>> G =
        SynthGuideModel::load(GuideDirOpt);
    if (!G)
      return fail(G.takeError());
    Guide = std::move(*G);
  }
  Expected<ProblemSet> PS = harvestSplit(Split);
  if (!PS)
    return fail(PS.takeError());
  std::unique_ptr<raw_fd_ostream> Rec;
  if (!Records.empty()) {
    std::error_code EC;
    Rec = std::make_unique<raw_fd_ostream>(Records, EC);
    if (EC)
      return fail(createStringError(EC, "cannot write '%s'", Records.c_str()));
  }
  outs() << "eval-guide: split '" << Split << "': " << PS->ModulesRead
         << " modules (" << PS->ModulesFailed << " unreadable), "
         << PS->Harvested << " DAGs, " << PS->DAGs.size()
         << " distinct problems sampled; budget " << Budget << " ms\n";

  Summary Unguided, Guided;
  unsigned Unsupported = 0, BothSolved = 0;
  double BothUnguided = 0, BothGuided = 0;
  uint64_t BothUnguidedUnits = 0, BothGuidedUnits = 0;
  for (size_t P = 0; P != PS->DAGs.size(); ++P) {
    const HarvestedDAG &DAG = PS->DAGs[P];
    auto RunOnce = [&](const SynthGuide *G) -> Expected<Run> {
      auto T0 = std::chrono::steady_clock::now();
      SynthOptions Opts;
      Opts.BudgetMs = Budget;
      Opts.Filter = *FB;
      if (G)
        Opts.Guide = *G;
      Expected<SynthResult> R = synthesize(DAG, Opts);
      if (!R)
        return R.takeError();
      Run X;
      X.Status = R->Status;
      X.Stats = R->Stats;
      X.RHS = R->RHSText;
      X.Seconds = std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - T0)
                      .count();
      return X;
    };
    Expected<Run> U = RunOnce(nullptr);
    if (!U)
      return fail(U.takeError());
    if (U->Status == SynthStatus::Unsupported) {
      ++Unsupported;
      continue;
    }
    Unguided.add(*U);
    auto Record = [&](StringRef Mode, const Run &X) {
      if (!Rec)
        return;
      json::OStream J(*Rec);
      J.object([&] {
        J.attribute("hash", DAG.hashHex());
        J.attribute("module", PS->Origin[P]);
        J.attribute("insts", DAG.size());
        J.attribute("mode", Mode);
        J.attribute("status", synthStatusName(X.Status));
        J.attribute("seconds", X.Seconds);
        J.attribute("enumerated", int64_t(X.Stats.Enumerated));
        J.attribute("pruned", int64_t(X.Stats.Pruned));
        J.attribute("filtered", int64_t(X.Stats.Filtered));
        J.attribute("solver_calls", int64_t(X.Stats.SolverCalls));
        J.attribute("inverted", int64_t(X.Stats.Inverted));
        J.attribute("exhausted", int64_t(X.Stats.Exhausted));
        J.attribute("units", int64_t(X.Stats.Units));
        if (X.Status == SynthStatus::Found) {
          J.attribute("lhs", DAG.Canonical);
          J.attribute("rhs", X.RHS);
        }
      });
      *Rec << '\n';
    };
    Record("unguided", *U);
    if (!Guide)
      continue;
    auto T0 = std::chrono::steady_clock::now();
    Expected<SynthGuide> G = Guide->predict(DAG);
    if (!G)
      return fail(G.takeError());
    double Predict =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - T0)
            .count();
    Expected<Run> W = RunOnce(&*G);
    if (!W)
      return fail(W.takeError());
    W->Seconds += Predict;
    Guided.add(*W);
    Record("guided", *W);
    if (U->Status == SynthStatus::Found && W->Status == SynthStatus::Found) {
      ++BothSolved;
      BothUnguided += U->Seconds;
      BothGuided += W->Seconds;
      BothUnguidedUnits += U->Stats.Units;
      BothGuidedUnits += W->Stats.Units;
    }
  }
  outs() << "eval-guide: " << Unsupported
         << " problems unsupported (not counted)\n\n"
         << "| mode | problems | found | none cheaper | budget | solved <= 1 s "
            "| solved <= 10 s | median s | p95 s | median s (found) | median "
            "work units (found) | solver calls/problem | solver calls/s | "
            "pruned |\n"
         << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  printRow(outs(), "unguided", Unguided);
  if (Guide) {
    printRow(outs(), "guided", Guided);
    outs() << "\nsolved by both: " << BothSolved
           << "; total time to solution unguided "
           << format("%.3f", BothUnguided) << " s, guided "
           << format("%.3f", BothGuided) << " s; work units unguided "
           << BothUnguidedUnits << ", guided " << BothGuidedUnits << '\n';
  }
  return 0;
}
