//===- CorpusDB.cpp - The SQLite manifest of an IR corpus -----------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements CorpusDB on the SQLite C API: schema creation, the
// package, translation-unit and module tables, and the key/value meta table.
//
//===----------------------------------------------------------------------===//

#include "CorpusDB.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"

#include <sqlite3.h>

using namespace llvm;

namespace neuropt {
namespace corpus {

namespace {

const char *const Schema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS packages(
  name TEXT PRIMARY KEY, version TEXT NOT NULL, status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '', configure TEXT NOT NULL DEFAULT '',
  split TEXT NOT NULL DEFAULT '', n_tus INTEGER NOT NULL DEFAULT 0,
  n_ok INTEGER NOT NULL DEFAULT 0, n_failed INTEGER NOT NULL DEFAULT 0,
  n_skipped INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tus(
  package TEXT NOT NULL, file TEXT NOT NULL, version TEXT NOT NULL,
  flags TEXT NOT NULL, hash TEXT NOT NULL, n_functions INTEGER NOT NULL,
  status TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
  seconds REAL NOT NULL, PRIMARY KEY(package, file));
CREATE TABLE IF NOT EXISTS modules(
  hash TEXT PRIMARY KEY, path TEXT NOT NULL, n_functions INTEGER NOT NULL,
  bytes INTEGER NOT NULL, package TEXT NOT NULL, file TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tus_hash ON tus(hash);
)sql";

/// RAII prepared statement.
class Stmt {
public:
  Stmt(sqlite3 *DB, StringRef SQL) : DB(DB) {
    RC = sqlite3_prepare_v2(DB, SQL.data(), static_cast<int>(SQL.size()), &S,
                            nullptr);
  }
  ~Stmt() { sqlite3_finalize(S); }
  bool ok() const { return RC == SQLITE_OK; }
  Stmt &bind(int I, StringRef V) {
    sqlite3_bind_text(S, I, V.data(), static_cast<int>(V.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Stmt &bind(int I, int64_t V) {
    sqlite3_bind_int64(S, I, V);
    return *this;
  }
  Stmt &bindReal(int I, double V) {
    sqlite3_bind_double(S, I, V);
    return *this;
  }
  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(S); }
  std::string text(int I) {
    const unsigned char *T = sqlite3_column_text(S, I);
    return T ? std::string(reinterpret_cast<const char *>(T)) : std::string();
  }
  int64_t integer(int I) { return sqlite3_column_int64(S, I); }
  double real(int I) { return sqlite3_column_double(S, I); }

private:
  sqlite3 *DB;
  sqlite3_stmt *S = nullptr;
  int RC;
};

} // namespace

Expected<std::unique_ptr<CorpusDB>> CorpusDB::open(StringRef Path,
                                                   bool Create) {
  if (!Create && !sys::fs::exists(Path))
    return createStringError(
        inconvertibleErrorCode(),
        "no corpus database at '%s' (run 'neuropt-corpus build' first, or "
        "pass --corpus DIR)",
        Path.str().c_str());
  if (!Create && sys::fs::is_directory(Path))
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is a directory, not a corpus database",
                             Path.str().c_str());
  sqlite3 *DB = nullptr;
  int Flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
              (Create ? SQLITE_OPEN_CREATE : 0);
  std::string P = Path.str();
  if (sqlite3_open_v2(P.c_str(), &DB, Flags, nullptr) != SQLITE_OK) {
    std::string Msg = DB ? sqlite3_errmsg(DB) : "out of memory";
    sqlite3_close(DB);
    return createStringError(inconvertibleErrorCode(),
                             "cannot open corpus database '%s': %s",
                             P.c_str(), Msg.c_str());
  }
  std::unique_ptr<CorpusDB> C(new CorpusDB(DB, P));
  sqlite3_busy_timeout(DB, 10000);
  // A file that is not SQLite only shows up on the first real statement.
  if (Error E = C->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"))
    return E;
  if (Create) {
    if (Error E = C->exec(Schema))
      return E;
  } else {
    Expected<int64_t> N = C->queryInt(
        "SELECT count(*) FROM sqlite_master WHERE name IN "
        "('meta','packages','tus','modules')");
    if (!N)
      return N.takeError();
    if (*N != 4)
      return createStringError(inconvertibleErrorCode(),
                               "'%s' is an SQLite file but not a neuropt "
                               "corpus database",
                               P.c_str());
  }
  return C;
}

CorpusDB::~CorpusDB() { sqlite3_close(DB); }

Error CorpusDB::error(StringRef What) const {
  return createStringError(inconvertibleErrorCode(), "%s: %s: %s",
                           Path.c_str(), What.str().c_str(),
                           sqlite3_errmsg(DB));
}

Error CorpusDB::exec(StringRef SQL) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  char *Err = nullptr;
  if (sqlite3_exec(DB, SQL.str().c_str(), nullptr, nullptr, &Err) !=
      SQLITE_OK) {
    std::string Msg = Err ? Err : "unknown error";
    sqlite3_free(Err);
    return createStringError(inconvertibleErrorCode(), "%s: %s", Path.c_str(),
                             Msg.c_str());
  }
  return Error::success();
}

Expected<int64_t> CorpusDB::queryInt(StringRef SQL) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB, SQL);
  if (!S.ok())
    return error("query failed");
  int RC = S.step();
  if (RC == SQLITE_ROW)
    return S.integer(0);
  if (RC == SQLITE_DONE)
    return 0;
  return error("query failed");
}

Expected<std::optional<std::string>> CorpusDB::getMeta(StringRef Key) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB, "SELECT value FROM meta WHERE key = ?1");
  if (!S.ok())
    return error("reading meta");
  S.bind(1, Key);
  int RC = S.step();
  if (RC == SQLITE_ROW)
    return std::optional<std::string>(S.text(0));
  if (RC == SQLITE_DONE)
    return std::optional<std::string>();
  return error("reading meta");
}

Error CorpusDB::setMeta(StringRef Key, StringRef Value) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
  if (!S.ok())
    return error("writing meta");
  S.bind(1, Key).bind(2, Value);
  if (S.step() != SQLITE_DONE)
    return error("writing meta");
  return Error::success();
}

static PackageRecord readPackage(Stmt &S) {
  PackageRecord P;
  P.Name = S.text(0);
  P.Version = S.text(1);
  P.Status = S.text(2);
  P.Reason = S.text(3);
  P.Configure = S.text(4);
  P.Split = S.text(5);
  P.TUs = S.integer(6);
  P.Ok = S.integer(7);
  P.Failed = S.integer(8);
  P.Skipped = S.integer(9);
  P.Seconds = S.real(10);
  return P;
}

static const char *const PackageColumns =
    "name, version, status, reason, configure, split, n_tus, n_ok, n_failed, "
    "n_skipped, seconds";

Expected<std::optional<PackageRecord>> CorpusDB::getPackage(StringRef Name) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB, formatv("SELECT {0} FROM packages WHERE name = ?1",
                     PackageColumns)
                 .str());
  if (!S.ok())
    return error("reading packages");
  S.bind(1, Name);
  int RC = S.step();
  if (RC == SQLITE_ROW)
    return std::optional<PackageRecord>(readPackage(S));
  if (RC == SQLITE_DONE)
    return std::optional<PackageRecord>();
  return error("reading packages");
}

Error CorpusDB::putPackage(const PackageRecord &P) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  // Keep an existing split assignment when a package is rebuilt.
  Stmt S(DB, formatv("INSERT INTO packages({0}) VALUES(?1, ?2, ?3, ?4, ?5, "
                     "?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(name) DO UPDATE "
                     "SET version=?2, status=?3, reason=?4, configure=?5, "
                     "n_tus=?7, n_ok=?8, n_failed=?9, n_skipped=?10, "
                     "seconds=?11",
                     PackageColumns)
                 .str());
  if (!S.ok())
    return error("writing packages");
  S.bind(1, P.Name)
      .bind(2, P.Version)
      .bind(3, P.Status)
      .bind(4, P.Reason)
      .bind(5, P.Configure)
      .bind(6, P.Split)
      .bind(7, P.TUs)
      .bind(8, P.Ok)
      .bind(9, P.Failed)
      .bind(10, P.Skipped)
      .bindReal(11, P.Seconds);
  if (S.step() != SQLITE_DONE)
    return error("writing packages");
  return Error::success();
}

Expected<std::vector<PackageRecord>> CorpusDB::listPackages() {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB,
         formatv("SELECT {0} FROM packages ORDER BY name", PackageColumns)
             .str());
  if (!S.ok())
    return error("reading packages");
  std::vector<PackageRecord> Out;
  int RC;
  while ((RC = S.step()) == SQLITE_ROW)
    Out.push_back(readPackage(S));
  if (RC != SQLITE_DONE)
    return error("reading packages");
  return Out;
}

Error CorpusDB::setSplit(StringRef Package, StringRef Split) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB, "UPDATE packages SET split = ?2 WHERE name = ?1");
  if (!S.ok())
    return error("writing split");
  S.bind(1, Package).bind(2, Split);
  if (S.step() != SQLITE_DONE)
    return error("writing split");
  return Error::success();
}

Expected<std::vector<std::string>> CorpusDB::doneFiles(StringRef Package,
                                                      bool IncludeFailed) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB, IncludeFailed ? "SELECT file FROM tus WHERE package = ?1"
                           : "SELECT file FROM tus WHERE package = ?1 AND "
                             "status != 'failed'");
  if (!S.ok())
    return error("reading tus");
  S.bind(1, Package);
  std::vector<std::string> Out;
  int RC;
  while ((RC = S.step()) == SQLITE_ROW)
    Out.push_back(S.text(0));
  if (RC != SQLITE_DONE)
    return error("reading tus");
  return Out;
}

Error CorpusDB::addTU(const TURecord &T, const ModuleRecord *M) {
  std::lock_guard<std::recursive_mutex> L(Mu);
  if (Error E = exec("BEGIN IMMEDIATE"))
    return E;
  auto Fail = [&](StringRef What) {
    Error E = error(What);
    consumeError(exec("ROLLBACK"));
    return E;
  };
  if (M) {
    Stmt S(DB, "INSERT OR IGNORE INTO modules(hash, path, n_functions, "
               "bytes, package, file) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!S.ok())
      return Fail("writing modules");
    S.bind(1, M->Hash)
        .bind(2, M->Path)
        .bind(3, M->Functions)
        .bind(4, M->Bytes)
        .bind(5, M->Package)
        .bind(6, M->File);
    if (S.step() != SQLITE_DONE)
      return Fail("writing modules");
  }
  Stmt S(DB, "INSERT OR REPLACE INTO tus(package, file, version, flags, hash, "
             "n_functions, status, reason, message, seconds) VALUES(?1, ?2, "
             "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!S.ok())
    return Fail("writing tus");
  S.bind(1, T.Package)
      .bind(2, T.File)
      .bind(3, T.Version)
      .bind(4, T.Flags)
      .bind(5, T.Hash)
      .bind(6, T.Functions)
      .bind(7, T.Status)
      .bind(8, T.Reason)
      .bind(9, T.Message)
      .bindReal(10, T.Seconds);
  if (S.step() != SQLITE_DONE)
    return Fail("writing tus");
  return exec("COMMIT");
}

Expected<std::vector<TURecord>> CorpusDB::listTUs() {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB, "SELECT package, file, version, flags, hash, n_functions, "
             "status, reason, message, seconds FROM tus ORDER BY package, "
             "file");
  if (!S.ok())
    return error("reading tus");
  std::vector<TURecord> Out;
  int RC;
  while ((RC = S.step()) == SQLITE_ROW) {
    TURecord T;
    T.Package = S.text(0);
    T.File = S.text(1);
    T.Version = S.text(2);
    T.Flags = S.text(3);
    T.Hash = S.text(4);
    T.Functions = S.integer(5);
    T.Status = S.text(6);
    T.Reason = S.text(7);
    T.Message = S.text(8);
    T.Seconds = S.real(9);
    Out.push_back(std::move(T));
  }
  if (RC != SQLITE_DONE)
    return error("reading tus");
  return Out;
}

Expected<std::vector<ModuleRecord>> CorpusDB::listModules() {
  std::lock_guard<std::recursive_mutex> L(Mu);
  Stmt S(DB, "SELECT hash, path, n_functions, bytes, package, file FROM "
             "modules ORDER BY package, file, hash");
  if (!S.ok())
    return error("reading modules");
  std::vector<ModuleRecord> Out;
  int RC;
  while ((RC = S.step()) == SQLITE_ROW) {
    ModuleRecord M;
    M.Hash = S.text(0);
    M.Path = S.text(1);
    M.Functions = S.integer(2);
    M.Bytes = S.integer(3);
    M.Package = S.text(4);
    M.File = S.text(5);
    Out.push_back(std::move(M));
  }
  if (RC != SQLITE_DONE)
    return error("reading modules");
  return Out;
}

} // namespace corpus
} // namespace neuropt
