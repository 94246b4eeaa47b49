//===- Coreset.cpp - neuropt-eval pool/sweep/coreset/dataset/rank ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The offline side of neuropt-size, after `label` has searched pass
// sequences for a sample of training modules:
//
//   pool     the distinct best sequences of the labelled training modules,
//            ranked by their gain, as a pipeline file;
//   sweep    measures -Oz and every pipeline of a file on the modules of a
//            split (sharded, resumable; table size_eval of corpus.db);
//   coreset  greedily picks the K pool sequences that together capture most
//            of the pool's gain on the swept training modules;
//   dataset  turns the sweep of a coreset into the size model's training set
//            (or, with --files, measures plain IR files directly);
//   rank     ranks the coreset with a trained model on swept modules (the
//            validation split) and reports the gain of the top-k
//            candidates against k, next to the coreset's oracle.
//
//===----------------------------------------------------------------------===//

#include "Coreset.h"
#include "EvalDB.h"
#include "Label.h"

#include "neuropt/Model/Runner.h"
#include "neuropt/Model/Train.h"
#include "neuropt/Search/ModuleSwap.h"
#include "neuropt/Search/PassSearch.h"
#include "neuropt/Search/PipelineEvaluator.h"
#include "neuropt/Search/SizeModel.h"
#include "neuropt/Support/Hashing.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

using namespace llvm;
using namespace neuropt;

static cl::OptionCategory CoresetCategory("neuropt-eval coreset options");

static cl::SubCommand PoolCmd("pool", "Collect the best sequences of labelled "
                                      "training modules into a pipeline file");
static cl::SubCommand SweepCmd("sweep", "Measure -Oz and a pipeline file on "
                                        "the modules of a split");
static cl::SubCommand CoresetCmd("coreset", "Pick a coreset of sequences "
                                            "from a swept pool");
static cl::SubCommand DatasetCmd("dataset", "Build the size model's dataset "
                                            "from a swept coreset");
static cl::SubCommand GranularityCmd(
    "granularity", "Compare choosing a sequence per module with choosing "
                   "per function (oracle bounds from function symbol sizes)");
static cl::SubCommand RankCmd("rank", "Rank a coreset with a size model and "
                                      "report gain against k");
static cl::SubCommand EstimateCmd(
    "estimate", "Write the IR size estimate of -Oz and of each coreset "
                "sequence beside their measured sizes (to calibrate an "
                "estimate prefilter: scripts/calibrate-size-estimate.py)");

static cl::opt<std::string> Corpus("corpus", cl::desc("Corpus directory"),
                                   cl::sub(PoolCmd), cl::sub(SweepCmd),
                                   cl::sub(CoresetCmd), cl::sub(DatasetCmd),
                                   cl::sub(RankCmd), cl::sub(EstimateCmd),
                                   cl::cat(CoresetCategory));
static cl::opt<std::string>
    Split("split", cl::desc("Split of the corpus (train or val)"),
          cl::init("train"), cl::sub(SweepCmd), cl::sub(CoresetCmd),
          cl::sub(DatasetCmd), cl::sub(RankCmd), cl::sub(EstimateCmd),
          cl::cat(CoresetCategory));
static cl::opt<std::string> ShardOpt("shard", cl::desc("Shard i/N"),
                                     cl::init("0/1"), cl::sub(SweepCmd),
                                     cl::sub(EstimateCmd),
                                     cl::cat(CoresetCategory));
static cl::opt<unsigned> MaxModules("max-modules",
                                    cl::desc("At most this many modules "
                                             "(0: all)"),
                                    cl::init(0), cl::sub(SweepCmd),
                                    cl::sub(EstimateCmd),
                                    cl::cat(CoresetCategory));
static cl::opt<unsigned>
    LabelBudget("label-budget",
                cl::desc("pool: use labels of this search budget; sweep: "
                         "only modules labelled with this budget (0: any "
                         "module of the split)"),
                cl::init(0), cl::sub(PoolCmd), cl::sub(SweepCmd),
                cl::cat(CoresetCategory));
static cl::opt<std::string> ModulesFile(
    "modules-file",
    cl::desc("sweep: only the modules listed in this file (hashes, one per "
             "line; the split's other modules are left alone), still in hash "
             "order and sharded"),
    cl::sub(SweepCmd), cl::cat(CoresetCategory));
static cl::opt<unsigned> Size("size", cl::desc("Sequences to keep"),
                              cl::init(32), cl::sub(PoolCmd),
                              cl::sub(CoresetCmd), cl::cat(CoresetCategory));
static cl::opt<std::string>
    PipelinesFile("pipelines", cl::desc("Pipeline file (one per line)"),
                  cl::sub(SweepCmd), cl::sub(CoresetCmd), cl::sub(DatasetCmd),
                  cl::sub(RankCmd), cl::sub(GranularityCmd),
                  cl::sub(EstimateCmd), cl::cat(CoresetCategory));
static cl::opt<std::string> Out("o", cl::desc("Output file"),
                                cl::sub(PoolCmd), cl::sub(CoresetCmd),
                                cl::sub(DatasetCmd), cl::sub(EstimateCmd),
                                cl::cat(CoresetCategory));
static cl::opt<std::string> ModelDir("model-dir", cl::desc("Model directory"),
                                     cl::sub(RankCmd), cl::cat(CoresetCategory));
static cl::opt<std::string> ModelName("model", cl::desc("Model name"),
                                      cl::init("size"), cl::sub(RankCmd),
                                      cl::cat(CoresetCategory));
static cl::opt<unsigned> DevPercent(
    "dev-percent",
    cl::desc("Model selection without the validation split: hold out this "
             "percentage of the split's packages (by a hash of the package "
             "name) as a development set"),
    cl::init(0), cl::sub(DatasetCmd), cl::sub(RankCmd),
    cl::cat(CoresetCategory));
static cl::opt<bool> RankingTask(
    "ranking",
    cl::desc("dataset: a ranking task (pairwise loss within each module) "
             "instead of regression of the gain"),
    cl::sub(DatasetCmd), cl::cat(CoresetCategory));
static cl::opt<bool> Centered(
    "centered",
    cl::desc("dataset: label each sequence by its gain minus the module's "
             "median gain over the coreset, clamped to [-5, 10] percent, so "
             "the model learns the order of sequences rather than how much a "
             "module can shrink"),
    cl::sub(DatasetCmd), cl::cat(CoresetCategory));
static cl::opt<std::string> ModulesOut(
    "modules-out",
    cl::desc("dataset: also write one line per module in the dataset, in "
             "its order (group N is line N): the module's hash and package "
             "(with --corpus), or its file, so that the rows can be joined "
             "with the corpus"),
    cl::sub(DatasetCmd), cl::cat(CoresetCategory));
static cl::opt<bool> GraphTask(
    "graph",
    cl::desc("dataset: one program graph per module for a GNN, labelled "
             "with its smallest coreset sequence (classification), instead "
             "of statistics rows"),
    cl::sub(DatasetCmd), cl::cat(CoresetCategory));
static cl::opt<bool> Hybrid(
    "hybrid",
    cl::desc("rank: interleave the coreset order and the model's order "
             "(coreset first), as the pass's -neuropt-size-rank=hybrid"),
    cl::sub(RankCmd), cl::cat(CoresetCategory));
static cl::opt<float> Gate(
    "gate",
    cl::desc("rank: with --hybrid, try the model's top sequence first instead "
             "of the coreset's first when its predicted gain exceeds the "
             "first's by at least this many points (an offline experiment; "
             "the pass has no such option)"),
    cl::init(std::numeric_limits<float>::infinity()), cl::sub(RankCmd),
    cl::cat(CoresetCategory));
static cl::opt<bool> DevOnly(
    "dev", cl::desc("rank: evaluate on the --dev-percent packages only"),
    cl::sub(RankCmd), cl::cat(CoresetCategory));
static cl::opt<float> MinPredicted(
    "min-predicted",
    cl::desc("As the pass's -neuropt-size-min-predicted: candidates predicted "
             "below this gain (percent) are not tried"),
    cl::init(0.0f), cl::sub(RankCmd), cl::cat(CoresetCategory));
static cl::list<std::string> Files(cl::Positional,
                                   cl::desc("<IR files> (dataset without "
                                            "--corpus)"),
                                   cl::sub(DatasetCmd),
                                   cl::sub(GranularityCmd),
                                   cl::cat(CoresetCategory));

const cl::OptionCategory &neuropt::getCoresetCategory() {
  return CoresetCategory;
}

namespace {
constexpr const char *OzPipeline = "default<Oz>";
constexpr unsigned CandidateTimeoutMs = 20000;

struct Measured {
  uint64_t Objective = 0;
  bool OK = false;
};

/// Rows of size_eval: module -> pipeline -> measurement.
using SweepTable = std::map<std::string, StringMap<Measured>>;

Error createSweepTable(sqlite3 *DB) {
  return execSQL(DB, "CREATE TABLE IF NOT EXISTS size_eval("
                     " module TEXT NOT NULL, pipeline TEXT NOT NULL,"
                     " text INTEGER, rodata INTEGER, data INTEGER,"
                     " ir INTEGER, status TEXT NOT NULL, seconds REAL,"
                     " PRIMARY KEY(module, pipeline));");
}

struct ModuleRef {
  std::string Hash, Path, Package;
};

/// Modules of \p SplitName in hash order (optionally only those labelled
/// with \p Budget).
Expected<std::vector<ModuleRef>> listModules(sqlite3 *DB, StringRef SplitName,
                                             unsigned Budget) {
  Stmt List(DB, Budget
                    ? "SELECT m.hash, m.path, m.package FROM modules m"
                      " JOIN packages p ON p.name = m.package"
                      " JOIN size_search s ON s.module = m.hash"
                      " WHERE p.split = ?1 AND s.budget = ?2 AND"
                      " s.status = 'ok' ORDER BY m.hash"
                    : "SELECT m.hash, m.path, m.package FROM modules m"
                      " JOIN packages p ON p.name = m.package"
                      " WHERE p.split = ?1 ORDER BY m.hash");
  if (!List)
    return sqlError(DB, "cannot list the corpus modules");
  sqlite3_bind_text(List.get(), 1, SplitName.data(), SplitName.size(),
                    SQLITE_TRANSIENT);
  if (Budget)
    sqlite3_bind_int64(List.get(), 2, Budget);
  std::vector<ModuleRef> Rows;
  while (sqlite3_step(List.get()) == SQLITE_ROW)
    Rows.push_back({columnText(List.get(), 0), columnText(List.get(), 1),
                    columnText(List.get(), 2)});
  if (Rows.empty())
    return createStringError(inconvertibleErrorCode(),
                             "no modules for split '%s'%s",
                             SplitName.str().c_str(),
                             Budget ? " with labels of that budget" : "");
  return Rows;
}

Expected<SweepTable> readSweep(sqlite3 *DB) {
  if (Error E = createSweepTable(DB))
    return E;
  Stmt Q(DB, "SELECT module, pipeline, text + rodata + data, status"
             " FROM size_eval");
  if (!Q)
    return sqlError(DB, "cannot read size_eval");
  SweepTable T;
  while (sqlite3_step(Q.get()) == SQLITE_ROW) {
    Measured M;
    M.OK = StringRef(columnText(Q.get(), 3)) == "ok";
    M.Objective = uint64_t(sqlite3_column_int64(Q.get(), 2));
    T[columnText(Q.get(), 0)][columnText(Q.get(), 1)] = M;
  }
  return T;
}

/// Modules of \p Mods whose sweep holds -Oz and every pipeline of \p C.
/// Whether \p Package is in the development part (--dev-percent).
bool isDevPackage(StringRef Package) {
  StableHasher H;
  H.update("neuropt-size-dev\n");
  H.update(Package);
  return H.final() % 100 < DevPercent;
}

/// Keeps the modules of the requested part: with --dev-percent, dataset
/// keeps the non-dev packages and `rank --dev` the dev ones.
void selectPart(std::vector<const ModuleRef *> &Mods, bool Dev) {
  if (!DevPercent)
    return;
  llvm::erase_if(Mods, [&](const ModuleRef *M) {
    return isDevPackage(M->Package) != Dev;
  });
}

std::vector<const ModuleRef *> completeModules(const std::vector<ModuleRef> &Mods,
                                               const SweepTable &T,
                                               const Coreset &C) {
  std::vector<const ModuleRef *> Out;
  for (const ModuleRef &M : Mods) {
    auto It = T.find(M.Hash);
    if (It == T.end())
      continue;
    auto Oz = It->second.find(OzPipeline);
    if (Oz == It->second.end() || !Oz->second.OK || !Oz->second.Objective)
      continue;
    if (all_of(C.Pipelines,
               [&](const std::string &P) { return It->second.count(P); }))
      Out.push_back(&M);
  }
  return Out;
}

/// The swept modules of --split: every module of the split, the sweep
/// table, and the modules whose sweep holds -Oz and all of \p C.
struct SweptSplit {
  std::vector<ModuleRef> Modules;
  SweepTable Table;
  std::vector<const ModuleRef *> Complete;
};

Expected<std::unique_ptr<SweptSplit>> loadSweptSplit(const Coreset &C) {
  Expected<SQLiteDB> DB = openCorpusDB(Corpus);
  if (!DB)
    return DB.takeError();
  auto S = std::make_unique<SweptSplit>();
  Expected<std::vector<ModuleRef>> Mods = listModules(DB->get(), Split, 0);
  if (!Mods)
    return Mods.takeError();
  S->Modules = std::move(*Mods);
  Expected<SweepTable> T = readSweep(DB->get());
  if (!T)
    return T.takeError();
  S->Table = std::move(*T);
  S->Complete = completeModules(S->Modules, S->Table, C);
  return S;
}

/// Parses the IR file \p Path into \p Ctx.
Expected<std::unique_ptr<Module>> parseIRPath(StringRef Path,
                                              LLVMContext &Ctx) {
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseIRFile(Path, Err, Ctx);
  if (!M)
    return createStringError(inconvertibleErrorCode(), "%s: %s",
                             Path.str().c_str(),
                             Err.getMessage().str().c_str());
  return M;
}

/// Parses corpus module \p Ref into \p Ctx.
Expected<std::unique_ptr<Module>> parseCorpusModule(const ModuleRef &Ref,
                                                    LLVMContext &Ctx) {
  SmallString<256> Path(Corpus);
  sys::path::append(Path, Ref.Path);
  return parseIRPath(Path, Ctx);
}

/// Relative gain of pipeline \p P on a module's sweep, 0 when it fails or
/// grows the module (the pass never keeps such a candidate).
double clampedGain(const StringMap<Measured> &Row, StringRef P) {
  const Measured &Oz = Row.find(OzPipeline)->second;
  auto It = Row.find(P);
  if (It == Row.end() || !It->second.OK || It->second.Objective >= Oz.Objective)
    return 0;
  return 1.0 - double(It->second.Objective) / double(Oz.Objective);
}

Error writeText(StringRef Path, StringRef Text) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC)
    return createStringError(EC, "cannot write '%s': %s", Path.str().c_str(),
                             EC.message().c_str());
  OS << Text;
  return Error::success();
}

Error runPool() {
  Expected<SQLiteDB> DB = openCorpusDB(Corpus);
  if (!DB)
    return DB.takeError();
  Stmt Q(DB->get(),
         "SELECT s.best_pipeline, s.oz_text + s.oz_rodata + s.oz_data,"
         " s.best_text + s.best_rodata + s.best_data FROM size_search s"
         " JOIN packages p ON p.name = s.package WHERE p.split = 'train'"
         " AND s.status = 'ok' AND s.budget = ?1 ORDER BY s.module");
  if (!Q)
    return sqlError(DB->get(), "cannot read size_search");
  sqlite3_bind_int64(Q.get(), 1, LabelBudget);
  // Best gain per distinct sequence.
  StringMap<double> Gain;
  unsigned Labels = 0;
  while (sqlite3_step(Q.get()) == SQLITE_ROW) {
    ++Labels;
    StringRef P = columnText(Q.get(), 0);
    double Oz = double(sqlite3_column_int64(Q.get(), 1));
    double Best = double(sqlite3_column_int64(Q.get(), 2));
    if (P == OzPipeline || Oz <= 0 || Best >= Oz)
      continue;
    double G = 1.0 - Best / Oz;
    auto [It, New] = Gain.try_emplace(P, G);
    if (!New)
      It->second = std::max(It->second, G);
  }
  if (Gain.empty())
    return createStringError(inconvertibleErrorCode(),
                             "no improving training labels with budget %u "
                             "(run `neuropt-eval label` first)",
                             unsigned(LabelBudget));
  std::vector<std::pair<double, std::string>> Ranked;
  for (const auto &E : Gain)
    Ranked.push_back({E.second, E.first().str()});
  sort(Ranked, [](const auto &A, const auto &B) {
    return A.first != B.first ? A.first > B.first : A.second < B.second;
  });
  Coreset C;
  for (size_t I = 0; I < Ranked.size() && I < Size; ++I)
    C.Pipelines.push_back(Ranked[I].second);
  std::vector<std::string> Header = {
      formatv("pool of {0} sequences from {1} training labels (budget {2}); "
              "{3} distinct improving sequences",
              C.size(), Labels, unsigned(LabelBudget), Ranked.size())};
  if (Error E = writeText(Out, printCoreset(C, Header)))
    return E;
  outs() << Header.front() << "\n";
  return Error::success();
}

/// Normalises the pipelines of a file the way sweep stores them.
Coreset normalised(const Coreset &C) {
  Coreset N;
  for (const std::string &P : C.Pipelines) {
    PassSequence S;
    for (StringRef E : splitPipelineElements(P))
      S.Steps.push_back(E.str());
    requireAlwaysInline(S);
    N.Pipelines.push_back(S.str());
  }
  return N;
}

Error runSweep() {
  Expected<LabelShard> Shard = parseShard(ShardOpt);
  if (!Shard)
    return Shard.takeError();
  Expected<Coreset> C = loadCoreset(PipelinesFile);
  if (!C)
    return C.takeError();
  Expected<SQLiteDB> DBOrErr = openCorpusDB(Corpus);
  if (!DBOrErr)
    return DBOrErr.takeError();
  sqlite3 *DB = DBOrErr->get();
  if (Error E = createSweepTable(DB))
    return E;
  Expected<std::vector<ModuleRef>> Mods = listModules(DB, Split, LabelBudget);
  if (!Mods)
    return Mods.takeError();
  if (!ModulesFile.empty()) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
        MemoryBuffer::getFile(ModulesFile);
    if (!Buf)
      return createStringError(Buf.getError(), "cannot read %s: %s",
                               ModulesFile.c_str(),
                               Buf.getError().message().c_str());
    StringSet<> Listed;
    SmallVector<StringRef, 0> Lines;
    (*Buf)->getBuffer().split(Lines, '\n', -1, /*KeepEmpty=*/false);
    for (StringRef L : Lines)
      if (!L.trim().empty())
        Listed.insert(L.trim());
    size_t Listed0 = Listed.size();
    llvm::erase_if(*Mods, [&](const ModuleRef &R) {
      return !Listed.contains(R.Hash);
    });
    outs() << formatv("sweep: {0} of the {1} listed modules are in the {2} "
                      "split\n",
                      Mods->size(), Listed0, Split);
  }
  Stmt Have(DB, "SELECT 1 FROM size_eval WHERE module = ?1 AND pipeline = ?2");
  Stmt Insert(DB, "INSERT OR REPLACE INTO size_eval VALUES"
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!Have || !Insert)
    return sqlError(DB, "cannot prepare size_eval statements");
  auto EvalOrErr = PipelineEvaluator::create();
  if (!EvalOrErr)
    return EvalOrErr.takeError();
  std::vector<std::string> Ps = {OzPipeline};
  for (const std::string &P : normalised(*C).Pipelines)
    Ps.push_back(P);

  unsigned Done = 0, Measurements = 0, Failures = 0, Index = 0;
  for (const ModuleRef &Row : *Mods) {
    if (Index++ % Shard->Count != Shard->Index)
      continue;
    if (MaxModules && Done >= MaxModules)
      break;
    ++Done;
    std::unique_ptr<LLVMContext> Ctx;
    std::unique_ptr<Module> M;
    for (const std::string &P : Ps) {
      sqlite3_reset(Have.get());
      sqlite3_bind_text(Have.get(), 1, Row.Hash.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(Have.get(), 2, P.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(Have.get()) == SQLITE_ROW)
        continue;
      if (!M) {
        Ctx = std::make_unique<LLVMContext>();
        Expected<std::unique_ptr<Module>> Parsed = parseCorpusModule(Row, *Ctx);
        if (!Parsed)
          return Parsed.takeError();
        M = std::move(*Parsed);
      }
      auto Start = std::chrono::steady_clock::now();
      Expected<SizeMeasurement> R =
          (*EvalOrErr)->evaluateIsolated(*M, P, CandidateTimeoutMs);
      double Secs = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - Start)
                        .count();
      sqlite3_stmt *I = Insert.get();
      sqlite3_reset(I);
      sqlite3_clear_bindings(I);
      sqlite3_bind_text(I, 1, Row.Hash.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(I, 2, P.c_str(), -1, SQLITE_TRANSIENT);
      if (R) {
        sqlite3_bind_int64(I, 3, R->Object.Text);
        sqlite3_bind_int64(I, 4, R->Object.ROData);
        sqlite3_bind_int64(I, 5, R->Object.Data);
        sqlite3_bind_int64(I, 6, R->IRInstructions);
        sqlite3_bind_text(I, 7, "ok", -1, SQLITE_STATIC);
      } else {
        consumeError(R.takeError());
        sqlite3_bind_text(I, 7, "failed", -1, SQLITE_STATIC);
        ++Failures;
      }
      sqlite3_bind_double(I, 8, Secs);
      if (sqlite3_step(I) != SQLITE_DONE)
        return sqlError(DB, "cannot store a measurement of " + Row.Hash);
      ++Measurements;
    }
    outs() << formatv("[{0}] {1} {2}: {3} measurements so far\n", Done,
                      Row.Package, StringRef(Row.Hash).take_front(12),
                      Measurements);
    outs().flush();
  }
  outs() << formatv("sweep: shard {0}/{1}: {2} modules, {3} new measurements, "
                    "{4} failed candidates\n",
                    Shard->Index, Shard->Count, Done, Measurements, Failures);
  return Error::success();
}

Error runCoreset() {
  Expected<Coreset> PoolOrErr = loadCoreset(PipelinesFile);
  if (!PoolOrErr)
    return PoolOrErr.takeError();
  Coreset Pool = normalised(*PoolOrErr);
  Expected<std::unique_ptr<SweptSplit>> S = loadSweptSplit(Pool);
  if (!S)
    return S.takeError();
  const SweepTable *T = &(*S)->Table;
  const std::vector<const ModuleRef *> &Use = (*S)->Complete;
  if (Use.empty())
    return createStringError(inconvertibleErrorCode(),
                             "no module of split '%s' has a complete sweep of "
                             "the pool (run `neuropt-eval sweep` first)",
                             Split.c_str());
  // Gain matrix [module][pool sequence].
  std::vector<std::vector<double>> G;
  double Oracle = 0;
  for (const ModuleRef *M : Use) {
    const StringMap<Measured> &Row = T->find(M->Hash)->second;
    std::vector<double> R;
    for (const std::string &P : Pool.Pipelines)
      R.push_back(clampedGain(Row, P));
    Oracle += *std::max_element(R.begin(), R.end());
    G.push_back(std::move(R));
  }
  // Greedy: each step adds the sequence with the largest marginal gain;
  // ties go to the earlier pool entry, so the result is deterministic.
  std::vector<double> Cover(G.size(), 0.0);
  std::vector<bool> Taken(Pool.size(), false);
  Coreset C;
  std::vector<std::string> Header;
  Header.push_back(formatv("coreset of neuropt-size: greedy cover of a pool of "
                           "{0} sequences on {1} swept {2} modules",
                           Pool.size(), Use.size(), Split));
  Header.push_back("k, mean gain of the best of the first k, share of the "
                   "pool oracle:");
  for (unsigned K = 0; K < Size && K < Pool.size(); ++K) {
    size_t Best = Pool.size();
    double BestSum = -1;
    for (size_t P = 0; P < Pool.size(); ++P) {
      if (Taken[P])
        continue;
      double Sum = 0;
      for (size_t M = 0; M < G.size(); ++M)
        Sum += std::max(Cover[M], G[M][P]);
      if (Sum > BestSum + 1e-12) {
        BestSum = Sum;
        Best = P;
      }
    }
    Taken[Best] = true;
    C.Pipelines.push_back(Pool.Pipelines[Best]);
    for (size_t M = 0; M < G.size(); ++M)
      Cover[M] = std::max(Cover[M], G[M][Best]);
    Header.push_back(formatv("  {0,2}: {1:P2} ({2:P1})", K + 1,
                             BestSum / G.size(),
                             Oracle > 0 ? BestSum / Oracle : 0.0));
  }
  Header.push_back(formatv("pool oracle: {0:P2} mean gain", Oracle / G.size()));
  if (Error E = writeText(Out, printCoreset(C, Header)))
    return E;
  for (const std::string &H : Header)
    outs() << H << "\n";
  return Error::success();
}

/// The dataset rows of one module whose objectives are known.
void appendModuleRows(model::Dataset &D, const Module &M, const Coreset &C,
                      uint64_t OzObjective,
                      ArrayRef<std::optional<uint64_t>> SeqObjectives,
                      uint32_t Group) {
  std::vector<float> L;
  for (const std::optional<uint64_t> &Obj : SeqObjectives)
    // A sequence that fails to run is the worst possible choice.
    L.push_back(Obj ? getSizeModelLabel(OzObjective, *Obj)
                    : SizeModelFailedLabel);
  if (GraphTask) {
    model::GraphBatch G = buildSizeModelGraph(M);
    if (G.NodeType.empty())
      return; // Nothing to learn from a module without code.
    D.Graphs.push_back(std::move(G));
    D.Labels.push_back(float(getSizeModelBestSequence(L)));
    D.Groups.push_back(0);
    return;
  }
  std::vector<int64_t> Rows = buildSizeModelRows(M, C);
  D.Counts.insert(D.Counts.end(), Rows.begin(), Rows.end());
  if (Centered) {
    std::vector<float> Sorted = L;
    std::nth_element(Sorted.begin(), Sorted.begin() + Sorted.size() / 2,
                     Sorted.end());
    float Median = Sorted[Sorted.size() / 2];
    for (float &X : L)
      X = std::clamp(X - Median, -5.0f, 10.0f);
  }
  for (float X : L) {
    D.Labels.push_back(X);
    D.Groups.push_back(Group);
  }
}

Error runDataset() {
  Expected<Coreset> CRaw = loadCoreset(PipelinesFile);
  if (!CRaw)
    return CRaw.takeError();
  // The model sees the pipelines as the coreset file spells them; the sweep
  // stores them normalised.
  Coreset C = *CRaw, N = normalised(*CRaw);
  model::Dataset D;
  if (GraphTask && (RankingTask || Centered))
    return createStringError(inconvertibleErrorCode(),
                             "dataset: --graph labels each module with its "
                             "best sequence; --ranking and --centered do not "
                             "apply");
  D.Kind = GraphTask ? model::ModelKind::GNN : model::ModelKind::MLP;
  D.Task = GraphTask     ? model::HeadKind::Classification
           : RankingTask ? model::HeadKind::Ranking
                         : model::HeadKind::Regression;
  model::FeatureManifestId Manifest = getSizeModelManifest(C, D.Kind);
  if (GraphTask) {
    D.NumNodeTypes = Manifest.NumFeatures;
    D.NumClasses = unsigned(C.size());
  } else {
    D.NumFeatures = Manifest.NumFeatures;
  }
  D.ManifestHash = Manifest.Hash;
  uint32_t Group = 0;
  // The modules that got rows, for --modules-out.
  std::string Listed;
  auto append = [&](const Module &M, uint64_t OzObjective,
                    ArrayRef<std::optional<uint64_t>> Objs, StringRef Line) {
    size_t Before = D.size();
    appendModuleRows(D, M, C, OzObjective, Objs, ++Group);
    if (D.size() != Before)
      Listed += (Line + "\n").str();
  };
  if (!Corpus.empty()) {
    Expected<std::unique_ptr<SweptSplit>> S = loadSweptSplit(N);
    if (!S)
      return S.takeError();
    const SweepTable *T = &(*S)->Table;
    std::vector<const ModuleRef *> Use = (*S)->Complete;
    selectPart(Use, /*Dev=*/false);
    for (const ModuleRef *Ref : Use) {
      const StringMap<Measured> &Row = T->find(Ref->Hash)->second;
      std::vector<std::optional<uint64_t>> Objs;
      for (const std::string &P : N.Pipelines) {
        const Measured &X = Row.find(P)->second;
        Objs.push_back(X.OK ? std::optional<uint64_t>(X.Objective)
                            : std::nullopt);
      }
      LLVMContext Ctx;
      Expected<std::unique_ptr<Module>> M = parseCorpusModule(*Ref, Ctx);
      if (!M)
        return M.takeError();
      append(**M, Row.find(OzPipeline)->second.Objective, Objs,
             Ref->Hash + "\t" + Ref->Package);
    }
  } else {
    if (Files.empty())
      return createStringError(inconvertibleErrorCode(),
                               "dataset: give --corpus or IR files");
    auto EvalOrErr = PipelineEvaluator::create();
    if (!EvalOrErr)
      return EvalOrErr.takeError();
    for (const std::string &F : Files) {
      LLVMContext Ctx;
      Expected<std::unique_ptr<Module>> Parsed = parseIRPath(F, Ctx);
      if (!Parsed)
        return Parsed.takeError();
      std::unique_ptr<Module> M = std::move(*Parsed);
      Expected<SizeMeasurement> Oz =
          (*EvalOrErr)->evaluateIsolated(*M, OzPipeline, CandidateTimeoutMs);
      if (!Oz)
        return createStringError(inconvertibleErrorCode(), "%s: -Oz: %s",
                                 F.c_str(), toString(Oz.takeError()).c_str());
      std::vector<std::optional<uint64_t>> Objs;
      for (const std::string &P : N.Pipelines) {
        Expected<SizeMeasurement> R =
            (*EvalOrErr)->evaluateIsolated(*M, P, CandidateTimeoutMs);
        if (R)
          Objs.push_back(R->Object.objective());
        else {
          consumeError(R.takeError());
          Objs.push_back(std::nullopt);
        }
      }
      append(*M, Oz->Object.objective(), Objs, F);
    }
  }
  if (!D.size())
    return createStringError(inconvertibleErrorCode(),
                             "dataset: no module has a complete sweep of the "
                             "coreset (run `neuropt-eval sweep` first)");
  if (model::Status S = model::writeDataset(Out, D))
    return createStringError(inconvertibleErrorCode(), "%s",
                             S.message().c_str());
  if (!ModulesOut.empty())
    if (Error E = writeText(ModulesOut, Listed))
      return E;
  if (GraphTask)
    outs() << formatv("dataset: {0} module graphs ({1} of {2} modules have "
                      "code), {3} classes, manifest {4}\n",
                      D.size(), D.size(), Group, C.size(), D.ManifestHash);
  else
    outs() << formatv("dataset: {0} modules x {1} sequences = {2} samples, "
                      "{3} features, manifest {4}\n",
                      Group, C.size(), D.size(), D.NumFeatures,
                      D.ManifestHash);
  return Error::success();
}

Error runRank() {
  Expected<Coreset> CRaw = loadCoreset(
      getCoresetPath(ModelDir, ModelName == "off" ? std::string("size")
                                                  : ModelName.getValue()));
  if (!CRaw)
    return CRaw.takeError();
  Coreset C = *CRaw, N = normalised(*CRaw);
  // --model off ranks by the coreset's own (greedy coverage) order, the
  // pass's fallback without a model.
  bool NoModel = ModelName == "off";
  model::RunnerLoad L;
  if (!NoModel) {
    L = model::loadRunner(
        ModelDir, ModelName,
        getSizeModelManifest(C, peekSizeModelKind(ModelDir, ModelName)),
        model::Device::CPU);
    if (!L.Runner->isUsable())
      return createStringError(inconvertibleErrorCode(), "model '%s': %s",
                               ModelName.c_str(), L.Runner->reason().c_str());
  }
  Expected<std::unique_ptr<SweptSplit>> S = loadSweptSplit(N);
  if (!S)
    return S.takeError();
  const SweepTable *T = &(*S)->Table;
  std::vector<const ModuleRef *> Use = (*S)->Complete;
  selectPart(Use, DevOnly);
  if (Use.empty())
    return createStringError(inconvertibleErrorCode(),
                             "no module of split '%s' has a complete sweep of "
                             "the coreset",
                             Split.c_str());
  // LogKept[k]: sum of log(kept/oz) with the best of the model's top k.
  std::vector<double> LogKept(C.size() + 1, 0.0), MeanKept(C.size() + 1, 0.0);
  std::vector<unsigned> Improved(C.size() + 1, 0), Tried(C.size() + 1, 0);
  double LogOracle = 0, MeanOracle = 0;
  for (const ModuleRef *Ref : Use) {
    const StringMap<Measured> &Row = T->find(Ref->Hash)->second;
    LLVMContext Ctx;
    Expected<std::unique_ptr<Module>> M = parseCorpusModule(*Ref, Ctx);
    if (!M)
      return M.takeError();
    std::vector<size_t> Order;
    std::vector<float> Predicted(C.size(), 0.0f);
    if (NoModel) {
      for (size_t I = 0; I < C.size(); ++I)
        Order.push_back(I);
    } else {
      Expected<SizeModelScores> S = scoreSizeModel(*L.Runner, **M, C);
      if (!S)
        return createStringError(inconvertibleErrorCode(), "%s: scoring: %s",
                                 Ref->Hash.c_str(),
                                 toString(S.takeError()).c_str());
      Order = S->Order;
      if (Hybrid)
        Order = interleaveWithCoresetOrder(Order);
      Predicted = S->Value;
      if (Hybrid && Order[0] != S->Order[0] &&
          Predicted[S->Order[0]] - Predicted[Order[0]] >= Gate) {
        // The model is confident enough to go first.
        Order.erase(std::find(Order.begin(), Order.end(), S->Order[0]));
        Order.insert(Order.begin(), S->Order[0]);
      }
    }
    double Kept = 0;
    bool Stopped = false;
    unsigned TriedHere = 0;
    for (size_t K = 1; K <= C.size(); ++K) {
      // The pass stops at the first candidate predicted below the threshold.
      Stopped |= !NoModel && Predicted[Order[K - 1]] < MinPredicted;
      if (!Stopped) {
        ++TriedHere;
        Kept = std::max(Kept, clampedGain(Row, N.Pipelines[Order[K - 1]]));
      }
      Tried[K] += TriedHere;
      LogKept[K] += std::log(1.0 - Kept);
      MeanKept[K] += Kept;
      Improved[K] += Kept > 0;
    }
    double O = 0;
    for (const std::string &P : N.Pipelines)
      O = std::max(O, clampedGain(Row, P));
    LogOracle += std::log(1.0 - O);
    MeanOracle += O;
  }
  double NMods = double(Use.size());
  double Oracle = 1.0 - std::exp(LogOracle / NMods);
  outs() << formatv("rank: model '{0}' on {1} swept {2} modules, coreset of "
                    "{3}; objective reduction against -Oz (never larger: a "
                    "candidate that loses is not kept)\n",
                    ModelName, Use.size(), Split, C.size());
  outs() << formatv("candidates predicted below {0:F2}% are not tried\n",
                    float(MinPredicted));
  outs() << "   k  geomean   mean   improved  tried/module  share of coreset "
            "oracle\n";
  for (size_t K = 1; K <= C.size(); ++K) {
    double Geo = 1.0 - std::exp(LogKept[K] / NMods);
    outs() << formatv("  {0,2}  {1,6:P2}  {2,6:P2}  {3,8}  {4,12:F2}  {5,6:P1}\n",
                      K, Geo, MeanKept[K] / NMods, Improved[K],
                      Tried[K] / NMods, Oracle > 0 ? Geo / Oracle : 0.0);
  }
  outs() << formatv("  oracle of the coreset: {0:P2} geomean, {1:P2} mean\n",
                    Oracle, MeanOracle / NMods);
  return Error::success();
}
/// One optimized version of a module, in the caller's context.
struct Version {
  std::unique_ptr<Module> M;
  ObjectSize Size;
  StringMap<uint64_t> Bytes; ///< Function symbol sizes.
};

/// A fresh copy of the module in \p Bitcode, in \p Ctx, after \p Pipeline.
Expected<std::unique_ptr<Module>> optimizedCopy(PipelineEvaluator &Eval,
                                                StringRef Bitcode,
                                                StringRef Pipeline,
                                                LLVMContext &Ctx) {
  Expected<std::unique_ptr<Module>> Copy = readModuleBitcode(Bitcode, Ctx);
  if (!Copy)
    return Copy.takeError();
  if (Error E = Eval.runPipeline(**Copy, Pipeline))
    return E;
  return Copy;
}

Expected<Version> optimizeAndMeasure(PipelineEvaluator &Eval, const Module &M,
                                     StringRef Pipeline, LLVMContext &Ctx) {
  Expected<std::unique_ptr<Module>> Copy =
      optimizedCopy(Eval, writeModuleBitcode(M), Pipeline, Ctx);
  if (!Copy)
    return Copy.takeError();
  Expected<SizeMeasurement> S = Eval.measure(**Copy);
  if (!S)
    return S.takeError();
  Version V;
  V.M = std::move(*Copy);
  V.Size = S->Object;
  for (const auto &[Name, Bytes] : S->Object.FunctionBytes)
    V.Bytes[Name] = Bytes;
  return V;
}

/// The global values \p F's body refers to, through constant expressions too.
SmallPtrSet<const GlobalValue *, 16> referencedGlobals(const Function &F) {
  SmallPtrSet<const GlobalValue *, 16> Out;
  SmallVector<const Constant *, 16> Work;
  SmallPtrSet<const Constant *, 32> Seen;
  for (const Instruction &I : instructions(F))
    for (const Value *Op : I.operands())
      if (const auto *C = dyn_cast<Constant>(Op))
        Work.push_back(C);
  while (!Work.empty()) {
    const Constant *C = Work.pop_back_val();
    if (!Seen.insert(C).second)
      continue;
    if (const auto *GV = dyn_cast<GlobalValue>(C)) {
      Out.insert(GV);
      continue;
    }
    for (const Value *Op : C->operands())
      if (const auto *CO = dyn_cast<Constant>(Op))
        Work.push_back(CO);
  }
  return Out;
}

/// Whether \p CandF (in another version) can replace \p StockF in the stock
/// module without re-checking the interfaces around it: both external,
/// same type, and every global it uses is an external declaration or
/// definition of the stock module with the same name and value type.
/// Internal functions and globals are excluded because interprocedural
/// passes (IPSCCP, dead-argument elimination, globalopt) change how they are
/// called or encoded differently in each version.
bool canSwap(const Function &StockF, const Function &CandF, Module &Stock,
             ValueToValueMapTy &VMap) {
  if (StockF.hasLocalLinkage() || CandF.hasLocalLinkage() ||
      StockF.isDeclaration() || CandF.isDeclaration() ||
      StockF.getFunctionType() != CandF.getFunctionType())
    return false;
  for (const GlobalValue *GV : referencedGlobals(CandF)) {
    GlobalValue *S = Stock.getNamedValue(GV->getName());
    if (!S || GV->hasLocalLinkage() || S->hasLocalLinkage() ||
        S->getValueType() != GV->getValueType())
      return false;
    VMap[GV] = S;
  }
  return true;
}

/// Measures a real per-function choice against the best per-module choice:
/// starting from -Oz's module, each external function whose body is smaller
/// in some sequence's version (by its symbol size) and can be swapped
/// (canSwap) gets that body; the mixed module is then measured by code
/// generation like any candidate.
Error runGranularity() {
  Expected<Coreset> CRaw = loadCoreset(PipelinesFile);
  if (!CRaw)
    return CRaw.takeError();
  Coreset C = normalised(*CRaw);
  auto EvalOrErr = PipelineEvaluator::create();
  if (!EvalOrErr)
    return EvalOrErr.takeError();
  PipelineEvaluator &Eval = **EvalOrErr;
  double LogModule = 0, LogFunction = 0, LogBoth = 0;
  unsigned N = 0, Swapped = 0, Functions = 0;
  outs() << "file: per-module best, per-function mix, best of the two "
            "(objective reduction against -Oz)\n";
  for (const std::string &F : Files) {
    LLVMContext Ctx;
    Expected<std::unique_ptr<Module>> Parsed = parseIRPath(F, Ctx);
    if (!Parsed)
      return Parsed.takeError();
    std::unique_ptr<Module> M = std::move(*Parsed);
    Expected<Version> Stock = optimizeAndMeasure(Eval, *M, OzPipeline, Ctx);
    if (!Stock)
      return Stock.takeError();
    uint64_t StockObj = Stock->Size.objective(), BestModule = StockObj;
    if (!StockObj) {
      outs() << F << ": no code or data under -Oz; skipped\n";
      continue;
    }
    std::vector<Version> Versions;
    for (const std::string &P : C.Pipelines) {
      Expected<Version> V = optimizeAndMeasure(Eval, *M, P, Ctx);
      if (!V) {
        consumeError(V.takeError());
        continue;
      }
      BestModule = std::min(BestModule, V->Size.objective());
      Versions.push_back(std::move(*V));
    }
    // Per function: the smallest swappable version.
    for (Function &SF : *Stock->M) {
      if (SF.isDeclaration() || SF.hasLocalLinkage())
        continue;
      ++Functions;
      uint64_t Best = Stock->Bytes.lookup(SF.getName());
      const Function *Pick = nullptr;
      ValueToValueMapTy PickMap;
      for (Version &V : Versions) {
        const Function *CF = V.M->getFunction(SF.getName());
        auto It = V.Bytes.find(SF.getName());
        if (!CF || It == V.Bytes.end() || It->second >= Best)
          continue;
        ValueToValueMapTy Map;
        if (!canSwap(SF, *CF, *Stock->M, Map))
          continue;
        Best = It->second;
        Pick = CF;
      }
      if (!Pick)
        continue;
      canSwap(SF, *Pick, *Stock->M, PickMap);
      SF.deleteBody();
      auto DstArg = SF.arg_begin();
      for (const Argument &A : Pick->args())
        PickMap[&A] = &*DstArg++;
      SmallVector<ReturnInst *, 8> Returns;
      CloneFunctionInto(&SF, Pick, PickMap,
                        CloneFunctionChangeType::DifferentModule, Returns);
      ++Swapped;
    }
    if (verifyModule(*Stock->M, &errs()))
      return createStringError(inconvertibleErrorCode(),
                               "%s: the per-function mix is invalid IR",
                               F.c_str());
    Expected<SizeMeasurement> Mixed = Eval.measure(*Stock->M);
    if (!Mixed)
      return Mixed.takeError();
    uint64_t MixObj = Mixed->Object.objective();
    double GM = 1.0 - double(BestModule) / double(StockObj);
    double GF = 1.0 - double(MixObj) / double(StockObj);
    double GB = std::max(GM, GF);
    LogModule += std::log(1 - GM);
    LogFunction += std::log(1 - GF);
    LogBoth += std::log(1 - GB);
    ++N;
    outs() << formatv("{0}: {1:P2}, {2:P2}, {3:P2}\n", F, GM, GF, GB);
  }
  if (N)
    outs() << formatv("geomean over {0} files: per-module {1:P2}, per-function "
                      "{2:P2}, best of both {3:P2}; {4} of {5} external "
                      "functions swapped\n",
                      N, 1 - std::exp(LogModule / N),
                      1 - std::exp(LogFunction / N), 1 - std::exp(LogBoth / N),
                      Swapped, Functions);
  return Error::success();
}

/// One TSV line per (module, sequence): module, sequence index, the -Oz and
/// the sequence's estimate, and their measured objectives from the sweep.
/// The sequence's estimate is taken as the pass takes it: on the pipeline's
/// output, before clang's tail pipeline.
Error runEstimate() {
  Expected<LabelShard> Shard = parseShard(ShardOpt);
  if (!Shard)
    return Shard.takeError();
  Expected<Coreset> C = loadCoreset(PipelinesFile);
  if (!C)
    return C.takeError();
  Coreset N = normalised(*C);
  Expected<std::unique_ptr<SweptSplit>> S = loadSweptSplit(N);
  if (!S)
    return S.takeError();
  auto EvalOrErr = PipelineEvaluator::create();
  if (!EvalOrErr)
    return EvalOrErr.takeError();
  PipelineEvaluator &Eval = **EvalOrErr;
  std::error_code EC;
  raw_fd_ostream OS(Out, EC, sys::fs::OF_Text);
  if (EC)
    return createStringError(EC, "cannot write '%s'", Out.c_str());
  unsigned Index = 0, Done = 0;
  for (const ModuleRef *Ref : (*S)->Complete) {
    if (Index++ % Shard->Count != Shard->Index)
      continue;
    if (MaxModules && Done >= MaxModules)
      break;
    ++Done;
    const StringMap<Measured> &Row = (*S)->Table.find(Ref->Hash)->second;
    LLVMContext Ctx;
    Expected<std::unique_ptr<Module>> M = parseCorpusModule(*Ref, Ctx);
    if (!M)
      return M.takeError();
    std::string Source = writeModuleBitcode(**M);
    auto Run = [&](StringRef P) -> Expected<uint64_t> {
      Expected<std::unique_ptr<Module>> Copy =
          optimizedCopy(Eval, Source, P, Ctx);
      if (!Copy)
        return Copy.takeError();
      return Eval.estimateObjective(**Copy);
    };
    // -Oz's module (its tail included; the estimate leaves unused internal
    // symbols out, which is most of what the tail removes).
    Expected<uint64_t> Oz = Run(OzPipeline);
    if (!Oz)
      return Oz.takeError();
    for (size_t I = 0; I < N.size(); ++I) {
      const Measured &Real = Row.find(N.Pipelines[I])->second;
      if (!Real.OK)
        continue;
      Expected<uint64_t> Est = Run(C->Pipelines[I]);
      if (!Est) {
        consumeError(Est.takeError());
        continue;
      }
      OS << formatv("{0}\t{1}\t{2}\t{3}\t{4}\t{5}\n", Ref->Hash, I, *Oz, *Est,
                    Row.find(OzPipeline)->second.Objective, Real.Objective);
    }
    OS.flush();
    outs() << formatv("[{0}] {1}\n", Done, Ref->Hash);
    outs().flush();
  }
  return Error::success();
}
} // namespace

std::optional<int> neuropt::runCoresetCommand() {
  Error E = Error::success();
  if (PoolCmd)
    E = runPool();
  else if (SweepCmd)
    E = runSweep();
  else if (CoresetCmd)
    E = runCoreset();
  else if (DatasetCmd)
    E = runDataset();
  else if (RankCmd)
    E = runRank();
  else if (GranularityCmd)
    E = runGranularity();
  else if (EstimateCmd)
    E = runEstimate();
  else {
    consumeError(std::move(E));
    return std::nullopt;
  }
  if (E) {
    WithColor::error(errs(), "neuropt-eval") << toString(std::move(E)) << "\n";
    return 1;
  }
  return 0;
}
