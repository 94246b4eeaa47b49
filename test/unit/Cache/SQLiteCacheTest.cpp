//===- SQLiteCacheTest.cpp - The SQLite cache never trusts a bad file -----===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Damaged files (garbage, truncated, foreign, older or newer schema) and
// damaged rows (a changed column, a flipped bit in the file), and several
// processes finding the same corrupt file at once.
//
//===----------------------------------------------------------------------===//

#include "CacheTestUtil.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;
using namespace neuropt;
using namespace neuropt::testing;

namespace {

std::string readFile(const std::string &Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> B = MemoryBuffer::getFile(
      Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  return B ? (*B)->getBuffer().str() : std::string();
}

void writeFile(const std::string &Path, StringRef Bytes) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  ASSERT_FALSE(EC) << EC.message();
  OS << Bytes;
}

/// Runs \p SQL on \p Path with plain SQLite, behind the cache's back.
void rawSQL(const std::string &Path, const std::string &SQL) {
  sqlite3 *DB = nullptr;
  ASSERT_EQ(sqlite3_open(Path.c_str(), &DB), SQLITE_OK);
  char *Err = nullptr;
  int RC = sqlite3_exec(DB, SQL.c_str(), nullptr, nullptr, &Err);
  EXPECT_EQ(RC, SQLITE_OK) << (Err ? Err : "") << " in: " << SQL;
  sqlite3_free(Err);
  sqlite3_close(DB);
}

class SQLiteCacheTest : public ::testing::Test {
protected:
  Expected<std::unique_ptr<SynthesisCache>> open() {
    return createSQLiteCache(Path, collectingOptions(Warnings));
  }

  /// Creates a cache holding \p N rewrites and closes it, which checkpoints
  /// the WAL into the main file.
  void populate(int N) {
    Expected<std::unique_ptr<SynthesisCache>> C = open();
    ASSERT_TRUE(static_cast<bool>(C)) << toString(C.takeError());
    for (int I = 0; I < N; ++I) {
      Expected<bool> P =
          (*C)->put("lhs-" + std::to_string(I),
                    makeRewrite("%r = shl i32 %x, " + std::to_string(I)));
      ASSERT_TRUE(P && *P);
    }
  }

  /// The cache must have set the file aside once and started empty.
  void expectSetAside(SynthesisCache &C, const std::string &OldBytes) {
    EXPECT_EQ(C.stats().Quarantined, 1u);
    ASSERT_EQ(Warnings.size(), 1u);
    RecordProperty("warning", Warnings[0]);
    EXPECT_NE(Warnings[0].find("is unusable"), std::string::npos)
        << Warnings[0];
    EXPECT_NE(Warnings[0].find(Path + ".corrupt-1"), std::string::npos)
        << Warnings[0];
    EXPECT_TRUE(sys::fs::exists(Path + ".corrupt-1"));
    EXPECT_EQ(readFile(Path + ".corrupt-1"), OldBytes);
    Expected<uint64_t> N = C.size();
    ASSERT_TRUE(static_cast<bool>(N)) << toString(N.takeError());
    EXPECT_EQ(*N, 0u);
    // The fresh cache works.
    Expected<bool> P = C.put("after", makeRewrite("R"));
    ASSERT_TRUE(P && *P);
    Expected<std::optional<CacheEntry>> G = C.get("after");
    ASSERT_TRUE(G && G->has_value());
  }

  ScratchDir Dir;
  std::string Path = Dir.file("cache.sqlite");
  std::vector<std::string> Warnings;
};

TEST_F(SQLiteCacheTest, CreatesWALFileWithSchema) {
  ASSERT_OK_AND_ASSIGN(C, open());
  EXPECT_EQ(C->stats().Quarantined, 0u);
  sqlite3 *DB = nullptr;
  ASSERT_EQ(sqlite3_open(Path.c_str(), &DB), SQLITE_OK);
  sqlite3_stmt *S = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(DB, "PRAGMA journal_mode", -1, &S, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(S), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char *>(sqlite3_column_text(S, 0)),
               "wal");
  sqlite3_finalize(S);
  ASSERT_EQ(sqlite3_prepare_v2(DB, "PRAGMA user_version", -1, &S, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(S), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(S, 0), 1);
  sqlite3_finalize(S);
  sqlite3_close(DB);
  EXPECT_TRUE(Warnings.empty());
}

TEST_F(SQLiteCacheTest, ReopenKeepsEntries) {
  populate(10);
  ASSERT_OK_AND_ASSIGN(C, open());
  ASSERT_OK_AND_ASSIGN(N, C->size());
  EXPECT_EQ(N, 10u);
  ASSERT_OK_AND_ASSIGN(G, C->get("lhs-7"));
  ASSERT_TRUE(G.has_value());
  EXPECT_EQ(G->RHS, "%r = shl i32 %x, 7");
  EXPECT_TRUE(Warnings.empty());
  EXPECT_FALSE(sys::fs::exists(Path + ".corrupt-1"));
}

TEST_F(SQLiteCacheTest, GarbageFileIsSetAside) {
  std::string Garbage;
  for (int I = 0; I < 300; ++I)
    Garbage += "this is not a database, it is line " + std::to_string(I) + "\n";
  writeFile(Path, Garbage);
  ASSERT_OK_AND_ASSIGN(C, open());
  expectSetAside(*C, Garbage);
}

TEST_F(SQLiteCacheTest, TruncatedFileIsSetAside) {
  populate(400);
  std::string Whole = readFile(Path);
  ASSERT_GT(Whole.size(), 8192u);
  std::string Half = Whole.substr(0, Whole.size() / 2);
  writeFile(Path, Half);
  ASSERT_OK_AND_ASSIGN(C, open());
  expectSetAside(*C, Half);
}

TEST_F(SQLiteCacheTest, FileTruncatedInsideTheHeaderIsSetAside) {
  populate(5);
  std::string Stub = readFile(Path).substr(0, 60);
  writeFile(Path, Stub);
  ASSERT_OK_AND_ASSIGN(C, open());
  expectSetAside(*C, Stub);
}

TEST_F(SQLiteCacheTest, ForeignDatabaseIsSetAside) {
  rawSQL(Path, "CREATE TABLE users(name TEXT); "
               "INSERT INTO users VALUES('alice');");
  std::string Before = readFile(Path);
  ASSERT_OK_AND_ASSIGN(C, open());
  expectSetAside(*C, Before);
  EXPECT_NE(Warnings[0].find("not a neuropt synthesis cache"),
            std::string::npos);
}

TEST_F(SQLiteCacheTest, OlderSchemaVersionIsSetAside) {
  populate(3);
  rawSQL(Path, "PRAGMA journal_mode=DELETE; PRAGMA user_version = 0;");
  std::string Before = readFile(Path);
  ASSERT_OK_AND_ASSIGN(C, open());
  expectSetAside(*C, Before);
  EXPECT_NE(Warnings[0].find("schema version 0, expected 1"),
            std::string::npos)
      << Warnings[0];
}

TEST_F(SQLiteCacheTest, MismatchedMetadataIsSetAside) {
  populate(3);
  rawSQL(Path, "PRAGMA journal_mode=DELETE; UPDATE neuropt_meta SET value = "
               "'7' WHERE key = 'schema_version';");
  std::string Before = readFile(Path);
  ASSERT_OK_AND_ASSIGN(C, open());
  expectSetAside(*C, Before);
}

TEST_F(SQLiteCacheTest, NewerSchemaIsLeftAlone) {
  populate(3);
  rawSQL(Path, "PRAGMA journal_mode=DELETE; PRAGMA user_version = 2;");
  std::string Before = readFile(Path);
  Expected<std::unique_ptr<SynthesisCache>> C = open();
  ASSERT_FALSE(static_cast<bool>(C));
  std::string Msg = toString(C.takeError());
  EXPECT_NE(Msg.find("newer"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find(Path), std::string::npos) << Msg;
  EXPECT_EQ(readFile(Path), Before);
  EXPECT_FALSE(sys::fs::exists(Path + ".corrupt-1"));
}

TEST_F(SQLiteCacheTest, ChangedRowIsRejected) {
  populate(3);
  rawSQL(Path, "UPDATE entries SET rhs = '%r = shl i32 %x, 9' "
               "WHERE lhs = 'lhs-1';");
  ASSERT_OK_AND_ASSIGN(C, open());
  ASSERT_OK_AND_ASSIGN(G, C->get("lhs-1"));
  EXPECT_FALSE(G.has_value());
  EXPECT_EQ(C->stats().Rejected, 1u);
  EXPECT_EQ(C->stats().Hits, 0u);
  ASSERT_EQ(Warnings.size(), 1u);
  EXPECT_NE(Warnings[0].find("checksum mismatch"), std::string::npos)
      << Warnings[0];
  // The damaged row is gone; its neighbours are intact.
  ASSERT_OK_AND_ASSIGN(N, C->size());
  EXPECT_EQ(N, 2u);
  ASSERT_OK_AND_ASSIGN(G0, C->get("lhs-0"));
  EXPECT_TRUE(G0.has_value());
  // A put replaces it normally afterwards.
  ASSERT_OK_AND_ASSIGN(P, C->put("lhs-1", makeRewrite("R")));
  EXPECT_TRUE(P);
}

TEST_F(SQLiteCacheTest, ChangedCostOrKindIsRejected) {
  populate(3);
  rawSQL(Path, "UPDATE entries SET cost_saved = 100 WHERE lhs = 'lhs-0';"
               "UPDATE entries SET kind = 2, rhs = '' WHERE lhs = 'lhs-2';");
  ASSERT_OK_AND_ASSIGN(C, open());
  ASSERT_OK_AND_ASSIGN(G0, C->get("lhs-0"));
  EXPECT_FALSE(G0.has_value());
  ASSERT_OK_AND_ASSIGN(G2, C->get("lhs-2"));
  EXPECT_FALSE(G2.has_value());
  EXPECT_EQ(C->stats().Rejected, 2u);
}

TEST_F(SQLiteCacheTest, DamagedRowLosesToAnyPut) {
  populate(1);
  rawSQL(Path, "UPDATE entries SET cost_saved = 100 WHERE lhs = 'lhs-0';");
  ASSERT_OK_AND_ASSIGN(C, open());
  // KeepExisting only protects valid entries.
  ASSERT_OK_AND_ASSIGN(P, C->put("lhs-0", makeNoCheaperForm(),
                                 OverwritePolicy::KeepExisting));
  EXPECT_TRUE(P);
  EXPECT_EQ(C->stats().Rejected, 1u);
  ASSERT_OK_AND_ASSIGN(G, C->get("lhs-0"));
  ASSERT_TRUE(G.has_value());
  EXPECT_FALSE(G->isRewrite());
}

TEST_F(SQLiteCacheTest, BitFlippedInFileIsRejected) {
  {
    ASSERT_OK_AND_ASSIGN(C, open());
    ASSERT_OK_AND_ASSIGN(
        P, C->put("victim", makeRewrite("%r = lshr i32 %x, 31 ; MARKERXYZ")));
    EXPECT_TRUE(P);
    ASSERT_OK_AND_ASSIGN(P2, C->put("bystander", makeRewrite("%r = add")));
    EXPECT_TRUE(P2);
  }
  ASSERT_FALSE(sys::fs::exists(Path + "-wal")) << "WAL was not checkpointed";
  std::string Bytes = readFile(Path);
  size_t At = Bytes.find("MARKERXYZ");
  ASSERT_NE(At, std::string::npos);
  ASSERT_EQ(Bytes.find("MARKERXYZ", At + 1), std::string::npos);
  Bytes[At + 3] ^= 0x04; // 'K' -> 'O'
  writeFile(Path, Bytes);

  ASSERT_OK_AND_ASSIGN(C, open());
  // The file is structurally fine, so it is kept...
  EXPECT_EQ(C->stats().Quarantined, 0u);
  // ...but the flipped row is not used.
  ASSERT_OK_AND_ASSIGN(G, C->get("victim"));
  EXPECT_FALSE(G.has_value());
  EXPECT_EQ(C->stats().Rejected, 1u);
  ASSERT_OK_AND_ASSIGN(B, C->get("bystander"));
  EXPECT_TRUE(B.has_value());
}

TEST_F(SQLiteCacheTest, SetAsideNamesDoNotCollide) {
  writeFile(Path + ".corrupt-1", "an earlier casualty");
  writeFile(Path, "garbage garbage garbage garbage garbage garbage garbage");
  ASSERT_OK_AND_ASSIGN(C, open());
  EXPECT_EQ(readFile(Path + ".corrupt-1"), "an earlier casualty");
  EXPECT_TRUE(sys::fs::exists(Path + ".corrupt-2"));
  EXPECT_EQ(C->stats().Quarantined, 1u);
}

TEST_F(SQLiteCacheTest, ConcurrentOpenersSetAsideOnce) {
  std::string Garbage(64 * 1024, '\x5a');
  writeFile(Path, Garbage);
  constexpr int Children = 6;
  int Gate[2];
  ASSERT_EQ(::pipe(Gate), 0);
  std::vector<pid_t> Pids;
  for (int Child = 0; Child < Children; ++Child) {
    pid_t Pid = ::fork();
    ASSERT_GE(Pid, 0);
    if (Pid == 0) {
      ::close(Gate[1]);
      char B;
      (void)::read(Gate[0], &B, 1);
      CacheOptions O;
      O.Warn = [](StringRef) {};
      Expected<std::unique_ptr<SynthesisCache>> C = createSQLiteCache(Path, O);
      if (!C) {
        errs() << "child: " << toString(C.takeError()) << "\n";
        ::_exit(1);
      }
      for (int I = 0; I < 50; ++I) {
        std::string K = std::to_string(Child) + "/" + std::to_string(I);
        Expected<bool> P = (*C)->put(K, makeRewrite("R" + K));
        if (!P || !*P) {
          if (!P)
            errs() << "child: " << toString(P.takeError()) << "\n";
          ::_exit(1);
        }
      }
      ::_exit(0);
    }
    Pids.push_back(Pid);
  }
  ::close(Gate[0]);
  ::close(Gate[1]);
  for (pid_t Pid : Pids) {
    int Status = 0;
    ASSERT_EQ(::waitpid(Pid, &Status, 0), Pid);
    EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0);
  }
  // Exactly one process set the garbage aside; nobody set aside the fresh
  // cache another had just created.
  EXPECT_EQ(readFile(Path + ".corrupt-1"), Garbage);
  EXPECT_FALSE(sys::fs::exists(Path + ".corrupt-2"));
  ASSERT_OK_AND_ASSIGN(C, open());
  ASSERT_OK_AND_ASSIGN(N, C->size());
  EXPECT_EQ(N, static_cast<uint64_t>(Children * 50));
  EXPECT_TRUE(Warnings.empty());
}

TEST_F(SQLiteCacheTest, CorruptionFoundDuringUseSetsTheFileAside) {
  populate(400);
  // Zero the root page of the entries table (page 3: page 1 holds the
  // schema, page 2 the metadata table), leaving the header intact so that
  // the file opens without the integrity check.
  std::string Bytes = readFile(Path);
  ASSERT_GT(Bytes.size(), 3u * 4096);
  std::fill(Bytes.begin() + 2 * 4096, Bytes.begin() + 3 * 4096, '\0');
  writeFile(Path, Bytes);
  CacheOptions O = collectingOptions(Warnings);
  O.CheckIntegrityOnOpen = false;
  ASSERT_OK_AND_ASSIGN(C, createSQLiteCache(Path, O));
  EXPECT_EQ(C->stats().Quarantined, 0u);
  ASSERT_OK_AND_ASSIGN(G, C->get("lhs-5"));
  EXPECT_FALSE(G.has_value());
  EXPECT_EQ(C->stats().Quarantined, 1u);
  ASSERT_EQ(Warnings.size(), 1u);
  RecordProperty("warning", Warnings[0]);
  EXPECT_EQ(readFile(Path + ".corrupt-1"), Bytes);
  // The handle now works on a fresh file.
  ASSERT_OK_AND_ASSIGN(P, C->put("lhs-5", makeRewrite("R")));
  EXPECT_TRUE(P);
  ASSERT_OK_AND_ASSIGN(N, C->size());
  EXPECT_EQ(N, 1u);
}

/// Zeroes a page two thirds into the file at \p Path: deep inside the
/// entries table, where the cheap checks on open never read.
void zeroDeepPage(const std::string &Path) {
  std::string Bytes = readFile(Path);
  size_t Page = Bytes.size() / 4096 * 2 / 3;
  ASSERT_GT(Page, 8u);
  std::fill(Bytes.begin() + (Page - 1) * 4096, Bytes.begin() + Page * 4096,
            '\0');
  writeFile(Path, Bytes);
}

TEST_F(SQLiteCacheTest, PeriodicIntegrityCheckRunsWhenDue) {
  populate(400);
  rawSQL(Path, "UPDATE neuropt_meta SET value = 0 "
               "WHERE key = 'last_integrity_check';");
  zeroDeepPage(Path);
  std::string Before = readFile(Path);
  ASSERT_OK_AND_ASSIGN(C, open());
  expectSetAside(*C, Before);
  EXPECT_NE(Warnings[0].find("integrity check failed"), std::string::npos)
      << Warnings[0];
}

TEST_F(SQLiteCacheTest, PeriodicIntegrityCheckIsRecordedAndSkipped) {
  populate(400);
  zeroDeepPage(Path);
  // Checked when the file was created, so not again within the interval...
  {
    ASSERT_OK_AND_ASSIGN(C, open());
    EXPECT_EQ(C->stats().Quarantined, 0u);
  }
  EXPECT_TRUE(Warnings.empty());
  // ...unless asked to check on every open.
  CacheOptions O = collectingOptions(Warnings);
  O.IntegrityCheckIntervalSec = 0;
  ASSERT_OK_AND_ASSIGN(C, createSQLiteCache(Path, O));
  EXPECT_EQ(C->stats().Quarantined, 1u);
  ASSERT_EQ(Warnings.size(), 1u);
  EXPECT_NE(Warnings[0].find("integrity check failed"), std::string::npos)
      << Warnings[0];
}

TEST_F(SQLiteCacheTest, IntegrityCheckCanBeSkipped) {
  populate(2);
  CacheOptions O = collectingOptions(Warnings);
  O.CheckIntegrityOnOpen = false;
  ASSERT_OK_AND_ASSIGN(C, createSQLiteCache(Path, O));
  ASSERT_OK_AND_ASSIGN(G, C->get("lhs-1"));
  EXPECT_TRUE(G.has_value());
  // Without the check a garbage file is still recognised from its header.
  writeFile(Dir.file("other.sqlite"), std::string(4096, 'g'));
  ASSERT_OK_AND_ASSIGN(C2, createSQLiteCache(Dir.file("other.sqlite"), O));
  EXPECT_EQ(C2->stats().Quarantined, 1u);
}

} // namespace
