//===- SQLiteCache.cpp - The SQLite synthesis cache backend ---------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the default cache backend: one SQLite file shared by
// every compiler process of a build.
//
// Concurrency: the file is in WAL mode, so readers never block the writer;
// writers serialize through BEGIN IMMEDIATE and SQLite's busy timeout, which
// bounds how long any operation waits. Opening, creating and setting aside
// the file happen under flock() on "PATH.lock": shared while a process only
// checks the file, exclusive while it creates the schema or renames a bad
// file, so that two processes never both rename (and one of them lose) a
// freshly created cache.
//
// Trust: on every open the file must carry our application_id, schema
// version and tables, and `PRAGMA quick_check` must pass. The check reads the
// whole file (about 100 ms per 10,000 entries), so by default one process
// runs it once per CacheOptions::IntegrityCheckIntervalSec and records when
// in the metadata table; in between, SQLite's own detection of a damaged page
// on any query sets the file aside just the same. A file that fails is renamed
// to "PATH.corrupt-<n>" (with its -wal and -shm files) and replaced by an
// empty cache. A row whose checksum does not match its payload is reported,
// deleted and treated as a miss.
//
//===----------------------------------------------------------------------===//

#include "CacheInternal.h"
#include "DynamicLibs.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

using namespace llvm;
using namespace neuropt;
using namespace neuropt::cache_detail;

namespace {

/// "NPSC" in the database header marks a neuropt synthesis cache.
constexpr int32_t ApplicationID = 0x4e505343;
/// Bump with any change to the tables or to the entry encoding.
constexpr int SchemaVersion = 1;

struct DBCloser {
  void operator()(sqlite3 *DB) const { sqlite().close_v2(DB); }
};
using DBPtr = std::unique_ptr<sqlite3, DBCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt *S) const { sqlite().finalize(S); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

/// Result codes that mean the file itself cannot be trusted.
bool isCorruption(int RC) {
  int Primary = RC & 0xff;
  return Primary == SQLITE_CORRUPT || Primary == SQLITE_NOTADB ||
         Primary == SQLITE_FORMAT || RC == SQLITE_IOERR_SHORT_READ;
}

bool isBusy(int RC) {
  int Primary = RC & 0xff;
  return Primary == SQLITE_BUSY || Primary == SQLITE_LOCKED;
}

/// Resets a cached statement when the operation using it ends.
class StmtUse {
public:
  explicit StmtUse(sqlite3_stmt *S) : S(S) {}
  ~StmtUse() {
    sqlite().reset(S);
    sqlite().clear_bindings(S);
  }
  StmtUse(const StmtUse &) = delete;
  StmtUse &operator=(const StmtUse &) = delete;

private:
  sqlite3_stmt *S;
};

/// flock() on "PATH.lock", with a deadline instead of an unbounded wait.
class LockFile {
public:
  ~LockFile() {
    if (FD >= 0)
      ::close(FD);
  }

  Error acquire(StringRef Path, bool Exclusive, unsigned TimeoutMs) {
    if (FD < 0) {
      std::string P = Path.str();
      FD = ::open(P.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      // Another user's lock file: flock() works on a read-only descriptor.
      if (FD < 0 && errno == EACCES)
        FD = ::open(P.c_str(), O_RDONLY | O_CLOEXEC);
      if (FD < 0)
        return makeError("cannot open lock file '" + Path +
                         "': " + std::strerror(errno));
    }
    auto Deadline = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(TimeoutMs);
    auto Pause = std::chrono::milliseconds(1);
    while (true) {
      if (::flock(FD, (Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
        return Error::success();
      if (errno != EWOULDBLOCK && errno != EINTR)
        return makeError("cannot lock '" + Path + "': " + std::strerror(errno));
      if (std::chrono::steady_clock::now() >= Deadline)
        return makeError("timed out after " + Twine(TimeoutMs) +
                         " ms waiting for the lock on '" + Path + "'");
      std::this_thread::sleep_for(Pause);
      Pause = std::min(Pause * 2, std::chrono::milliseconds(20));
    }
  }

  void release() {
    if (FD >= 0)
      ::flock(FD, LOCK_UN);
  }

private:
  int FD = -1;
};

/// What inspecting a file found.
enum class Health {
  /// A neuropt cache of our schema, in WAL mode.
  Good,
  /// Empty, or ours but not fully set up: create the schema.
  NeedsSetup,
  /// Passed the cheap checks; the periodic integrity check is due and
  /// needs the exclusive lock.
  CheckDue,
  /// Corrupt, foreign or of an older schema: set it aside.
  Bad,
  /// Written by a newer neuropt: leave it alone.
  Newer,
};

struct Inspection {
  Health State = Health::Bad;
  std::string Why;
  DBPtr DB;
};

std::string sqliteMessage(sqlite3 *DB, int RC) {
  if (DB)
    return sqlite().errmsg(DB);
  return sqlite().errstr(RC);
}

/// Runs \p SQL, which must return one row, and passes the first column of
/// it to \p Use.
int queryOne(sqlite3 *DB, const char *SQL,
             function_ref<void(sqlite3_stmt *)> Use) {
  sqlite3_stmt *Raw = nullptr;
  int RC = sqlite().prepare_v2(DB, SQL, -1, &Raw, nullptr);
  StmtPtr S(Raw);
  if (RC != SQLITE_OK)
    return RC;
  RC = sqlite().step(S.get());
  if (RC == SQLITE_ROW) {
    Use(S.get());
    return SQLITE_OK;
  }
  return RC == SQLITE_DONE ? SQLITE_ERROR : RC;
}

std::string columnText(sqlite3_stmt *S, int Col) {
  const unsigned char *T = sqlite().column_text(S, Col);
  int N = sqlite().column_bytes(S, Col);
  return T ? std::string(reinterpret_cast<const char *>(T), N) : std::string();
}

class SQLiteCache final : public SynthesisCache {
public:
  SQLiteCache(std::string Path, CacheOptions Options)
      : Path(std::move(Path)), Options(std::move(Options)) {}

  /// Opens, checks and if needed rebuilds the file. When \p Condemned is set,
  /// the file with that identity is known to be corrupt (\p Why) and is set
  /// aside unless another process already replaced it.
  Error open(std::optional<sys::fs::UniqueID> Condemned = std::nullopt,
             StringRef Why = "");

  Expected<std::optional<CacheEntry>> get(StringRef LHSHash) override;
  Expected<bool> put(StringRef LHSHash, const CacheEntry &Entry,
                     OverwritePolicy Policy) override;
  Expected<bool> erase(StringRef LHSHash) override;
  Expected<uint64_t> size() override;

  CacheStats stats() const override {
    std::lock_guard<std::mutex> Guard(Mu);
    return Stats;
  }
  std::string describe() const override { return "sqlite:" + Path; }

private:
  bool inMemory() const { return Path == ":memory:"; }
  /// Opens the file and checks it; \p Exclusive says whether this process
  /// holds the exclusive lock.
  Expected<Inspection> inspect(bool Exclusive);
  Error setUp(sqlite3 *DB);
  Error quarantine(StringRef Why);
  Error prepareStatements();
  /// Describes failure \p RC of \p Conn (default: DB) during \p During.
  Error dbError(int RC, const Twine &During, sqlite3 *Conn = nullptr);
  /// Reads the row \p S points at as the entry for \p LHSHash.
  Expected<CacheEntry> readRow(sqlite3_stmt *S, StringRef LHSHash);
  void rejectRow(StringRef LHSHash, StringRef StoredSum, const Twine &Why);
  /// Sets the file aside after a query found it corrupt and opens a fresh one.
  void recoverFromCorruption(int RC);
  Error unavailable();

  const std::string Path;
  const CacheOptions Options;
  mutable std::mutex Mu;
  CacheStats Stats;
  DBPtr DB;
  /// The identity of the file DB was opened on.
  std::optional<sys::fs::UniqueID> FileID;
  /// Why the cache is unusable after a failed recovery.
  std::string Broken;
  StmtPtr Get, Put, Delete, DeleteExact, Count, Begin, Commit, Rollback;
};

} // namespace

static int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Expected<Inspection> SQLiteCache::inspect(bool Exclusive) {
  Inspection I;
  sqlite3 *Raw = nullptr;
  int RC = sqlite().open_v2(Path.c_str(), &Raw,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                SQLITE_OPEN_NOMUTEX,
                            nullptr);
  I.DB.reset(Raw);
  auto Fail = [&](int RC, StringRef What) -> Expected<Inspection> {
    if (isCorruption(RC)) {
      I.State = Health::Bad;
      I.Why = (What + ": " + sqliteMessage(I.DB.get(), RC)).str();
      I.DB.reset();
      return std::move(I);
    }
    return makeError("cannot open synthesis cache '" + Path + "': " + What +
                     ": " + sqliteMessage(I.DB.get(), RC));
  };
  auto BadBecause = [&](const Twine &Why) -> Expected<Inspection> {
    I.State = Health::Bad;
    I.Why = Why.str();
    I.DB.reset();
    return std::move(I);
  };
  if (RC != SQLITE_OK)
    return Fail(RC, "open");
  sqlite().extended_result_codes(I.DB.get(), 1);
  sqlite().busy_timeout(I.DB.get(), Options.BusyTimeoutMs);

  // The cheap checks, on every open: header, application id, schema.
  int64_t AppID = 0, UserVersion = 0, Objects = 0;
  for (auto [SQL, Out] :
       {std::pair<const char *, int64_t *>{"PRAGMA application_id", &AppID},
        {"PRAGMA user_version", &UserVersion},
        {"SELECT count(*) FROM sqlite_schema", &Objects}}) {
    int64_t *Dest = Out;
    RC = queryOne(I.DB.get(), SQL, [&](sqlite3_stmt *S) {
      *Dest = sqlite().column_int64(S, 0);
    });
    if (RC != SQLITE_OK)
      return Fail(RC, "reading the header");
  }
  if (AppID == 0 && UserVersion == 0 && Objects == 0) {
    I.State = Health::NeedsSetup;
    return I;
  }
  if (AppID != ApplicationID)
    return BadBecause("not a neuropt synthesis cache (application_id " +
                      Twine(AppID) + ")");
  if (UserVersion > SchemaVersion) {
    I.State = Health::Newer;
    I.Why = ("it has schema version " + Twine(UserVersion) +
             ", newer than this neuropt's " + Twine(SchemaVersion))
                .str();
    I.DB.reset();
    return I;
  }
  if (UserVersion != SchemaVersion)
    return BadBecause("schema version " + Twine(UserVersion) +
                      ", expected " + Twine(SchemaVersion));

  std::string MetaVersion;
  int64_t LastCheck = 0;
  {
    sqlite3_stmt *RawS = nullptr;
    RC = sqlite().prepare_v2(I.DB.get(), "SELECT key, value FROM neuropt_meta",
                             -1, &RawS, nullptr);
    StmtPtr S(RawS);
    if (isCorruption(RC) || isBusy(RC))
      return Fail(RC, "reading the metadata");
    if (RC != SQLITE_OK)
      return BadBecause("its metadata table is missing or malformed");
    while ((RC = sqlite().step(S.get())) == SQLITE_ROW) {
      std::string Key = columnText(S.get(), 0);
      if (Key == "schema_version")
        MetaVersion = columnText(S.get(), 1);
      else if (Key == "last_integrity_check")
        LastCheck = sqlite().column_int64(S.get(), 1);
    }
    if (RC != SQLITE_DONE)
      return Fail(RC, "reading the metadata");
  }
  if (MetaVersion != std::to_string(SchemaVersion))
    return BadBecause("its metadata names schema version '" + MetaVersion +
                      "', expected " + Twine(SchemaVersion));
  {
    sqlite3_stmt *RawS = nullptr;
    RC = sqlite().prepare_v2(I.DB.get(),
                             "SELECT lhs, kind, rhs, certificate, cost_saved, "
                             "verifier, created, checksum FROM entries LIMIT 0",
                             -1, &RawS, nullptr);
    StmtPtr Probe(RawS);
    if (isCorruption(RC) || isBusy(RC))
      return Fail(RC, "reading the schema");
    if (RC != SQLITE_OK)
      return BadBecause("its entries table is missing or malformed");
  }

  std::string Mode;
  RC = queryOne(I.DB.get(), "PRAGMA journal_mode",
                [&](sqlite3_stmt *S) { Mode = columnText(S, 0); });
  if (RC != SQLITE_OK)
    return Fail(RC, "reading the journal mode");
  if (Mode != "wal" && !inMemory()) {
    I.State = Health::NeedsSetup;
    return I;
  }

  // The full check reads every page, so by default it runs once per
  // interval, by one process, which records when it ran.
  if (!Options.CheckIntegrityOnOpen || inMemory()) {
    I.State = Health::Good;
    return I;
  }
  int64_t Now = unixNow();
  bool EveryOpen = Options.IntegrityCheckIntervalSec == 0;
  bool Due = EveryOpen || LastCheck > Now + 60 ||
             Now - LastCheck >=
                 static_cast<int64_t>(Options.IntegrityCheckIntervalSec);
  if (!Due) {
    I.State = Health::Good;
    return I;
  }
  if (!EveryOpen && !Exclusive) {
    I.State = Health::CheckDue;
    return I;
  }
  {
    sqlite3_stmt *RawS = nullptr;
    RC = sqlite().prepare_v2(I.DB.get(), "PRAGMA quick_check", -1, &RawS,
                             nullptr);
    StmtPtr S(RawS);
    if (RC != SQLITE_OK)
      return Fail(RC, "integrity check");
    RC = sqlite().step(S.get());
    if (RC != SQLITE_ROW)
      return Fail(RC, "integrity check");
    std::string First = columnText(S.get(), 0);
    if (First != "ok")
      return BadBecause("integrity check failed: " + First);
  }
  if (!EveryOpen) {
    std::string Record =
        "INSERT OR REPLACE INTO neuropt_meta VALUES('last_integrity_check', " +
        std::to_string(Now) + ")";
    RC = sqlite().exec(I.DB.get(), Record.c_str(), nullptr, nullptr, nullptr);
    if (RC != SQLITE_OK)
      return Fail(RC, "recording the integrity check");
  }
  I.State = Health::Good;
  return I;
}

/// Runs \p SQL statements that return no rows.
static int execSQL(sqlite3 *DB, const char *SQL) {
  return sqlite().exec(DB, SQL, nullptr, nullptr, nullptr);
}

Error SQLiteCache::setUp(sqlite3 *DB) {
  if (!inMemory()) {
    std::string Mode;
    int RC = queryOne(DB, "PRAGMA journal_mode=WAL",
                      [&](sqlite3_stmt *S) { Mode = columnText(S, 0); });
    if (RC != SQLITE_OK)
      return dbError(RC, "switching to WAL mode", DB);
    if (Mode != "wal")
      return makeError("synthesis cache '" + Path +
                       "': cannot use WAL mode (journal mode is '" + Mode +
                       "'); is it on a network file system?");
  }
  std::string Schema =
      "BEGIN IMMEDIATE;"
      "CREATE TABLE IF NOT EXISTS neuropt_meta("
      "  key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
      "INSERT OR IGNORE INTO neuropt_meta VALUES"
      "  ('format', 'neuropt synthesis cache'),"
      "  ('schema_version', '" +
      std::to_string(SchemaVersion) +
      "'),"
      "  ('last_integrity_check', " +
      std::to_string(unixNow()) +
      ");"
      "CREATE TABLE IF NOT EXISTS entries("
      "  lhs TEXT PRIMARY KEY NOT NULL,"
      "  kind INTEGER NOT NULL,"
      "  rhs TEXT NOT NULL,"
      "  certificate TEXT NOT NULL,"
      "  cost_saved INTEGER NOT NULL,"
      "  verifier TEXT NOT NULL,"
      "  created INTEGER NOT NULL,"
      "  checksum TEXT NOT NULL);"
      "PRAGMA application_id = " +
      std::to_string(ApplicationID) +
      ";"
      "PRAGMA user_version = " +
      std::to_string(SchemaVersion) +
      ";"
      "COMMIT;";
  int RC = execSQL(DB, Schema.c_str());
  if (RC != SQLITE_OK) {
    Error E = dbError(RC, "creating the schema", DB);
    execSQL(DB, "ROLLBACK");
    return E;
  }
  return Error::success();
}

Error SQLiteCache::quarantine(StringRef Why) {
  std::string Aside;
  for (unsigned N = 1;; ++N) {
    if (N > 1000)
      return makeError("cannot set aside synthesis cache '" + Path +
                       "': too many " + Path + ".corrupt-* files");
    Aside = Path + ".corrupt-" + std::to_string(N);
    if (!sys::fs::exists(Aside) && !sys::fs::exists(Aside + "-wal"))
      break;
  }
  if (std::error_code EC = sys::fs::rename(Path, Aside))
    return makeError("synthesis cache '" + Path + "' is unusable (" + Why +
                     ") and cannot be moved aside: " + EC.message());
  // The journal files belong to the old database; a fresh one must not
  // replay them.
  for (StringRef Suffix : {"-wal", "-shm", "-journal"})
    if (sys::fs::exists(Path + Suffix))
      if (std::error_code EC = sys::fs::rename(Path + Suffix, Aside + Suffix))
        return makeError("cannot move '" + Path + Suffix +
                         "' aside: " + EC.message());
  ++Stats.Quarantined;
  warn(Options, "synthesis cache '" + Path + "' is unusable (" + Why +
                    "); moved it to '" + Aside +
                    "' and started an empty cache");
  return Error::success();
}

Error SQLiteCache::open(std::optional<sys::fs::UniqueID> Condemned,
                        StringRef CondemnedWhy) {
  Broken.clear();
  if (inMemory()) {
    Expected<Inspection> I = inspect(/*Exclusive=*/true);
    if (!I)
      return I.takeError();
    if (I->State == Health::NeedsSetup)
      if (Error E = setUp(I->DB.get()))
        return E;
    DB = std::move(I->DB);
    return prepareStatements();
  }

  StringRef Parent = sys::path::parent_path(Path);
  if (!Parent.empty())
    if (std::error_code EC = sys::fs::create_directories(Parent))
      return makeError("cannot create the directory of synthesis cache '" +
                       Path + "': " + EC.message());

  LockFile Lock;
  std::string LockPath = Path + ".lock";
  bool Exclusive = Condemned.has_value();
  for (int Attempt = 0; Attempt < 6; ++Attempt) {
    if (Error E = Lock.acquire(LockPath, Exclusive, Options.BusyTimeoutMs))
      return E;
    if (Condemned) {
      sys::fs::UniqueID Now;
      if (!sys::fs::getUniqueID(Path, Now) && Now == *Condemned)
        if (Error E = quarantine(CondemnedWhy))
          return E;
      Condemned.reset();
    }
    Expected<Inspection> I = inspect(Exclusive);
    if (!I)
      return I.takeError();
    switch (I->State) {
    case Health::Good:
      break;
    case Health::Newer:
      return makeError("synthesis cache '" + Path + "' was written by a newer "
                       "neuropt (" + I->Why + "); not using it");
    case Health::NeedsSetup:
    case Health::CheckDue:
    case Health::Bad:
      if (!Exclusive) {
        // Check again under the exclusive lock: another process may be
        // fixing the same file.
        I->DB.reset();
        Lock.release();
        Exclusive = true;
        continue;
      }
      if (I->State == Health::Bad) {
        if (Error E = quarantine(I->Why))
          return E;
        continue;
      }
      // Under the exclusive lock inspect() runs a due check itself.
      if (I->State == Health::NeedsSetup)
        if (Error E = setUp(I->DB.get()))
          return E;
      break;
    }
    sys::fs::UniqueID ID;
    if (!sys::fs::getUniqueID(Path, ID))
      FileID = ID;
    DB = std::move(I->DB);
    return prepareStatements();
  }
  return makeError("cannot open synthesis cache '" + Path +
                   "': it kept changing while being checked");
}

Error SQLiteCache::prepareStatements() {
  execSQL(DB.get(), "PRAGMA synchronous = NORMAL");
  struct {
    StmtPtr *Slot;
    const char *SQL;
  } Stmts[] = {
      {&Get, "SELECT lhs, kind, rhs, certificate, cost_saved, verifier, "
             "created, checksum FROM entries WHERE lhs = ?1"},
      {&Put, "INSERT OR REPLACE INTO entries(lhs, kind, rhs, certificate, "
             "cost_saved, verifier, created, checksum) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&Delete, "DELETE FROM entries WHERE lhs = ?1"},
      {&DeleteExact, "DELETE FROM entries WHERE lhs = ?1 AND checksum = ?2"},
      {&Count, "SELECT count(*) FROM entries"},
      {&Begin, "BEGIN IMMEDIATE"},
      {&Commit, "COMMIT"},
      {&Rollback, "ROLLBACK"},
  };
  for (auto &S : Stmts) {
    sqlite3_stmt *Raw = nullptr;
    int RC = sqlite().prepare_v3(DB.get(), S.SQL, -1, SQLITE_PREPARE_PERSISTENT,
                                 &Raw, nullptr);
    S.Slot->reset(Raw);
    if (RC != SQLITE_OK)
      return dbError(RC, "preparing statements");
  }
  return Error::success();
}

Error SQLiteCache::dbError(int RC, const Twine &During, sqlite3 *Conn) {
  std::string Msg = sqliteMessage(Conn ? Conn : DB.get(), RC);
  if (isBusy(RC))
    return makeError("synthesis cache '" + Path + "': " + During +
                     ": still locked by another process after " +
                     Twine(Options.BusyTimeoutMs) + " ms (" + Msg + ")");
  return makeError("synthesis cache '" + Path + "': " + During + ": " + Msg);
}

Error SQLiteCache::unavailable() {
  ++Stats.Errors;
  return makeError("synthesis cache '" + Path + "' is unavailable: " + Broken);
}

void SQLiteCache::recoverFromCorruption(int RC) {
  std::string Why = "a query failed: " + sqliteMessage(DB.get(), RC);
  std::optional<sys::fs::UniqueID> ID = FileID;
  for (StmtPtr *S :
       {&Get, &Put, &Delete, &DeleteExact, &Count, &Begin, &Commit, &Rollback})
    S->reset();
  DB.reset();
  FileID.reset();
  Error E = inMemory() ? makeError(Why) : open(ID, Why);
  if (E) {
    Broken = toString(std::move(E));
    DB.reset();
  }
}

Expected<CacheEntry> SQLiteCache::readRow(sqlite3_stmt *S, StringRef LHSHash) {
  if (columnText(S, 0) != LHSHash)
    return makeError("row key does not match");
  CacheEntry E;
  int64_t Kind = sqlite().column_int64(S, 1);
  if (Kind != static_cast<int64_t>(CacheEntry::ResultKind::Rewrite) &&
      Kind != static_cast<int64_t>(CacheEntry::ResultKind::NoCheaperForm))
    return makeError("unknown result kind " + Twine(Kind));
  E.Kind = static_cast<CacheEntry::ResultKind>(Kind);
  E.RHS = columnText(S, 2);
  E.Certificate = columnText(S, 3);
  E.CostSaved = sqlite().column_int64(S, 4);
  E.VerifierVersion = columnText(S, 5);
  E.Timestamp = sqlite().column_int64(S, 6);
  if (columnText(S, 7) != checksumCacheEntry(LHSHash, E))
    return makeError("checksum mismatch");
  if (Error Err = checkEntryForPut(LHSHash, E))
    return Err;
  return E;
}

void SQLiteCache::rejectRow(StringRef LHSHash, StringRef StoredSum,
                            const Twine &Why) {
  ++Stats.Rejected;
  warn(Options, "synthesis cache '" + Path + "': ignoring the damaged entry "
                "for '" + LHSHash + "' (" + Why + ")");
  // Delete exactly the row that was read, not one a concurrent writer may
  // have stored since. Failure is harmless: the row stays rejected.
  StmtUse U(DeleteExact.get());
  sqlite().bind_text(DeleteExact.get(), 1, LHSHash.data(), LHSHash.size(),
                     SQLITE_STATIC);
  sqlite().bind_text(DeleteExact.get(), 2, StoredSum.data(), StoredSum.size(),
                     SQLITE_STATIC);
  sqlite().step(DeleteExact.get());
}

Expected<std::optional<CacheEntry>> SQLiteCache::get(StringRef LHSHash) {
  std::lock_guard<std::mutex> Guard(Mu);
  if (!DB)
    return unavailable();
  int RC;
  std::optional<CacheEntry> Found;
  std::string Damage, StoredSum;
  {
    StmtUse U(Get.get());
    sqlite().bind_text(Get.get(), 1, LHSHash.data(), LHSHash.size(),
                       SQLITE_STATIC);
    RC = sqlite().step(Get.get());
    if (RC == SQLITE_ROW) {
      StoredSum = columnText(Get.get(), 7);
      Expected<CacheEntry> Row = readRow(Get.get(), LHSHash);
      if (Row)
        Found = std::move(*Row);
      else
        Damage = toString(Row.takeError());
    }
  }
  if (RC == SQLITE_DONE) {
    ++Stats.Misses;
    return std::nullopt;
  }
  if (RC != SQLITE_ROW) {
    if (isCorruption(RC)) {
      // Nothing read from a corrupt file is used; the lookup is a miss.
      ++Stats.Misses;
      recoverFromCorruption(RC);
      return std::nullopt;
    }
    ++Stats.Errors;
    return dbError(RC, "reading '" + LHSHash + "'");
  }
  if (!Found) {
    rejectRow(LHSHash, StoredSum, Damage);
    return std::nullopt;
  }
  ++Stats.Hits;
  return Found;
}

Expected<bool> SQLiteCache::put(StringRef LHSHash, const CacheEntry &Entry,
                                OverwritePolicy Policy) {
  if (Error E = checkEntryForPut(LHSHash, Entry))
    return E;
  CacheEntry New = withTimestamp(Entry);
  std::string Sum = checksumCacheEntry(LHSHash, New);

  std::lock_guard<std::mutex> Guard(Mu);
  if (!DB)
    return unavailable();
  auto Fail = [&](int RC, const Twine &During) -> Error {
    // Build the message before ROLLBACK replaces SQLite's error text.
    Error E = dbError(RC, During);
    if (!sqlite().get_autocommit(DB.get())) {
      StmtUse U(Rollback.get());
      sqlite().step(Rollback.get());
    }
    ++Stats.Errors;
    if (isCorruption(RC))
      recoverFromCorruption(RC);
    return E;
  };

  {
    StmtUse U(Begin.get());
    int RC = sqlite().step(Begin.get());
    if (RC != SQLITE_DONE)
      return Fail(RC, "starting a write");
  }
  if (Policy != OverwritePolicy::Replace) {
    std::optional<CacheEntry> Old;
    std::string OldSum;
    std::string Damage;
    {
      StmtUse U(Get.get());
      sqlite().bind_text(Get.get(), 1, LHSHash.data(), LHSHash.size(),
                         SQLITE_STATIC);
      int RC = sqlite().step(Get.get());
      if (RC == SQLITE_ROW) {
        Expected<CacheEntry> Row = readRow(Get.get(), LHSHash);
        if (Row)
          Old = std::move(*Row);
        else
          Damage = toString(Row.takeError());
      } else if (RC != SQLITE_DONE) {
        return Fail(RC, "reading '" + LHSHash + "'");
      }
    }
    if (!Damage.empty()) {
      // The damaged row is about to be replaced by the new entry.
      ++Stats.Rejected;
      warn(Options, "synthesis cache '" + Path + "': replacing the damaged "
                    "entry for '" + LHSHash + "' (" + Damage + ")");
    }
    if (Old && !shouldReplace(Policy, New, *Old)) {
      StmtUse U(Commit.get());
      int RC = sqlite().step(Commit.get());
      if (RC != SQLITE_DONE)
        return Fail(RC, "finishing a read");
      ++Stats.KeptExisting;
      return false;
    }
  }
  {
    StmtUse U(Put.get());
    sqlite3_stmt *S = Put.get();
    sqlite().bind_text(S, 1, LHSHash.data(), LHSHash.size(), SQLITE_STATIC);
    sqlite().bind_int64(S, 2, static_cast<int64_t>(New.Kind));
    sqlite().bind_text(S, 3, New.RHS.data(), New.RHS.size(), SQLITE_STATIC);
    sqlite().bind_text(S, 4, New.Certificate.data(), New.Certificate.size(),
                       SQLITE_STATIC);
    sqlite().bind_int64(S, 5, New.CostSaved);
    sqlite().bind_text(S, 6, New.VerifierVersion.data(),
                       New.VerifierVersion.size(), SQLITE_STATIC);
    sqlite().bind_int64(S, 7, New.Timestamp);
    sqlite().bind_text(S, 8, Sum.data(), Sum.size(), SQLITE_STATIC);
    int RC = sqlite().step(S);
    if (RC != SQLITE_DONE)
      return Fail(RC, "writing '" + LHSHash + "'");
  }
  {
    StmtUse U(Commit.get());
    int RC = sqlite().step(Commit.get());
    if (RC != SQLITE_DONE)
      return Fail(RC, "committing '" + LHSHash + "'");
  }
  ++Stats.Stores;
  return true;
}

Expected<bool> SQLiteCache::erase(StringRef LHSHash) {
  std::lock_guard<std::mutex> Guard(Mu);
  if (!DB)
    return unavailable();
  StmtUse U(Delete.get());
  sqlite().bind_text(Delete.get(), 1, LHSHash.data(), LHSHash.size(),
                     SQLITE_STATIC);
  int RC = sqlite().step(Delete.get());
  if (RC != SQLITE_DONE) {
    ++Stats.Errors;
    Error E = dbError(RC, "erasing '" + LHSHash + "'");
    if (isCorruption(RC))
      recoverFromCorruption(RC);
    return E;
  }
  bool Removed = sqlite().changes(DB.get()) > 0;
  if (Removed)
    ++Stats.Erases;
  return Removed;
}

Expected<uint64_t> SQLiteCache::size() {
  std::lock_guard<std::mutex> Guard(Mu);
  if (!DB)
    return unavailable();
  StmtUse U(Count.get());
  int RC = sqlite().step(Count.get());
  if (RC != SQLITE_ROW) {
    ++Stats.Errors;
    Error E = dbError(RC, "counting entries");
    if (isCorruption(RC))
      recoverFromCorruption(RC);
    return E;
  }
  return static_cast<uint64_t>(sqlite().column_int64(Count.get(), 0));
}

Expected<std::unique_ptr<SynthesisCache>>
neuropt::createSQLiteCache(StringRef Path, const CacheOptions &Options) {
  if (Path.empty())
    return makeError("empty synthesis cache path");
  if (Expected<const SQLiteLib &> Lib = loadSQLite(); !Lib)
    return Lib.takeError();
  auto C = std::make_unique<SQLiteCache>(Path.str(), Options);
  if (Error E = C->open())
    return E;
  return std::unique_ptr<SynthesisCache>(std::move(C));
}
