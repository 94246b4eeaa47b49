//===- Label.cpp - neuropt-eval label: sharded, resumable size labels ------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Offline label generation for neuropt-size: runs the pass-sequence search on
// every module of a neuropt-corpus database (optionally one split, one shard)
// and stores the -Oz baseline and the best sequence in the table
// size_search of the same database. A module already labelled with the same
// budget and seed is skipped, so a run can be stopped and resumed, and shards
// can run in parallel processes (SQLite WAL with a busy timeout).
//
//===----------------------------------------------------------------------===//

#include "Label.h"
#include "EvalDB.h"

#include "neuropt/Search/PassSearch.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"


#include <chrono>

using namespace llvm;
using namespace neuropt;

namespace {
struct ModuleRow {
  std::string Hash, Path, Package;
};
} // namespace

Expected<LabelShard> neuropt::parseShard(StringRef Text) {
  unsigned I = 0, N = 0;
  auto [A, B] = Text.split('/');
  if (A.getAsInteger(10, I) || B.getAsInteger(10, N) || N == 0 || I >= N)
    return createStringError(inconvertibleErrorCode(),
                             "invalid shard '%s': expected i/N with 0 <= i < N",
                             Text.str().c_str());
  return LabelShard{I, N};
}

Expected<SQLiteDB> neuropt::openCorpusDB(StringRef CorpusDir) {
  SmallString<256> DBPath(CorpusDir);
  sys::path::append(DBPath, "corpus.db");
  sqlite3 *Raw = nullptr;
  int RC = sqlite3_open_v2(DBPath.c_str(), &Raw, SQLITE_OPEN_READWRITE, nullptr);
  SQLiteDB DB(Raw);
  if (RC != SQLITE_OK)
    return createStringError(inconvertibleErrorCode(),
                             "cannot open corpus database '%s': %s",
                             DBPath.c_str(),
                             Raw ? sqlite3_errmsg(Raw) : "out of memory");
  sqlite3_busy_timeout(Raw, 30000);
  if (Error E = execSQL(Raw, "PRAGMA journal_mode=WAL;"))
    return createStringError(inconvertibleErrorCode(), "corpus database '%s': %s",
                             DBPath.c_str(), toString(std::move(E)).c_str());
  return DB;
}

Error neuropt::runLabelling(const LabelOptions &Opts, raw_ostream &Log) {
  Expected<SQLiteDB> DBOrErr = openCorpusDB(Opts.CorpusDir);
  if (!DBOrErr)
    return DBOrErr.takeError();
  sqlite3 *DB = DBOrErr->get();
  if (Error E = execSQL(DB, "CREATE TABLE IF NOT EXISTS size_search("
                         " module TEXT NOT NULL, budget INTEGER NOT NULL,"
                         " seed INTEGER NOT NULL, package TEXT NOT NULL,"
                         " oz_text INTEGER, oz_rodata INTEGER, oz_data INTEGER,"
                         " oz_ir INTEGER, best_text INTEGER,"
                         " best_rodata INTEGER, best_data INTEGER,"
                         " best_ir INTEGER, best_pipeline TEXT,"
                         " evaluations INTEGER, failures INTEGER,"
                         " seconds REAL, status TEXT NOT NULL,"
                         " PRIMARY KEY(module, budget, seed));"))
    return createStringError(inconvertibleErrorCode(),
                             "corpus database in '%s': %s",
                             Opts.CorpusDir.c_str(),
                             toString(std::move(E)).c_str());

  // Modules of the requested split, in hash order; the shard is the hash
  // order index modulo N, so shards are disjoint and stable.
  Stmt List(DB, "SELECT m.hash, m.path, m.package FROM modules m"
                " JOIN packages p ON p.name = m.package"
                " WHERE (?1 = '' OR p.split = ?1) ORDER BY m.hash");
  if (!List)
    return sqlError(DB, "corpus database has no modules/packages tables");
  sqlite3_bind_text(List.get(), 1, Opts.Split.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<ModuleRow> Rows;
  for (size_t Index = 0; sqlite3_step(List.get()) == SQLITE_ROW; ++Index) {
    if (Index % Opts.Shard.Count != Opts.Shard.Index)
      continue;
    Rows.push_back({reinterpret_cast<const char *>(sqlite3_column_text(List.get(), 0)),
                    reinterpret_cast<const char *>(sqlite3_column_text(List.get(), 1)),
                    reinterpret_cast<const char *>(sqlite3_column_text(List.get(), 2))});
  }
  if (Rows.empty())
    return createStringError(inconvertibleErrorCode(),
                             "no modules in '%s/corpus.db' for split '%s' "
                             "shard %u/%u%s",
                             Opts.CorpusDir.c_str(), Opts.Split.c_str(),
                             Opts.Shard.Index, Opts.Shard.Count,
                             Opts.Split.empty() ? ""
                                                : " (did `neuropt-corpus split` run?)");

  Stmt Done(DB, "SELECT 1 FROM size_search WHERE module=?1 AND budget=?2 AND seed=?3");
  Stmt Insert(DB, "INSERT OR REPLACE INTO size_search VALUES("
                  "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)");
  if (!Done || !Insert)
    return sqlError(DB, "cannot prepare size_search statements");

  auto EvalOrErr = PipelineEvaluator::create();
  if (!EvalOrErr)
    return EvalOrErr.takeError();
  SearchOptions SOpts;
  SOpts.Budget = Opts.Budget;
  SOpts.Seed = Opts.Seed;

  unsigned Labelled = 0, Skipped = 0, Failed = 0, Count = 0;
  for (const ModuleRow &Row : Rows) {
    ++Count;
    if (Opts.MaxModules && Labelled >= Opts.MaxModules)
      break;
    sqlite3_reset(Done.get());
    sqlite3_bind_text(Done.get(), 1, Row.Hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(Done.get(), 2, Opts.Budget);
    sqlite3_bind_int64(Done.get(), 3, Opts.Seed);
    if (sqlite3_step(Done.get()) == SQLITE_ROW) {
      ++Skipped;
      continue;
    }
    auto Start = std::chrono::steady_clock::now();
    SmallString<256> Path(Opts.CorpusDir);
    sys::path::append(Path, Row.Path);
    LLVMContext Ctx;
    SMDiagnostic Err;
    std::unique_ptr<Module> M = parseIRFile(Path, Err, Ctx);
    Expected<SearchResult> R =
        M ? searchPassSequences(**EvalOrErr, *M, SOpts)
          : Expected<SearchResult>(createStringError(
                inconvertibleErrorCode(), "%s", Err.getMessage().str().c_str()));
    double Secs = std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - Start)
                      .count();
    sqlite3_stmt *I = Insert.get();
    sqlite3_reset(I);
    sqlite3_clear_bindings(I);
    sqlite3_bind_text(I, 1, Row.Hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(I, 2, Opts.Budget);
    sqlite3_bind_int64(I, 3, Opts.Seed);
    sqlite3_bind_text(I, 4, Row.Package.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(I, 16, Secs);
    if (R) {
      const SizeMeasurement &B = R->Baseline, &S = R->Best;
      uint64_t Vals[] = {B.Object.Text, B.Object.ROData, B.Object.Data,
                         B.IRInstructions, S.Object.Text, S.Object.ROData,
                         S.Object.Data, S.IRInstructions};
      for (unsigned K = 0; K < 8; ++K)
        sqlite3_bind_int64(I, 5 + K, Vals[K]);
      sqlite3_bind_text(I, 13, R->BestPipeline.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(I, 14, R->Evaluations);
      sqlite3_bind_int64(I, 15, R->Failures);
      sqlite3_bind_text(I, 17, "ok", -1, SQLITE_STATIC);
      ++Labelled;
      Log << formatv("[{0}/{1}] {2} {3}: oz={4} best={5} ({6:F1}s)\n", Count,
                     Rows.size(), Row.Package, Row.Hash.substr(0, 12),
                     B.Object.objective(), S.Object.objective(), Secs);
    } else {
      std::string Msg = toString(R.takeError());
      sqlite3_bind_text(I, 13, Msg.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(I, 17, "failed", -1, SQLITE_STATIC);
      ++Failed;
      Log << formatv("[{0}/{1}] {2} {3}: failed: {4}\n", Count, Rows.size(),
                     Row.Package, Row.Hash.substr(0, 12), Msg);
    }
    if (sqlite3_step(I) != SQLITE_DONE)
      return sqlError(DB, "cannot store the label of " + Row.Hash);
    Log.flush();
  }
  Log << formatv("label: shard {0}/{1}: {2} modules, {3} labelled now, {4} "
                 "already done, {5} failed\n",
                 Opts.Shard.Index, Opts.Shard.Count, Rows.size(), Labelled,
                 Skipped, Failed);
  return Error::success();
}
