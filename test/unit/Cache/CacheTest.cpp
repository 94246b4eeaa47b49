//===- CacheTest.cpp - Behaviour every cache backend must have ------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The same tests run against SQLite and against a real redis-server started
// on loopback: round trips, "no cheaper form", the overwrite policies, and
// several forked processes writing and reading one store at once. Also the
// entry encoding and the createCache() specification syntax.
//
//===----------------------------------------------------------------------===//

#include "CacheTestUtil.h"
#include "LoopbackRedis.h"
#include "neuropt/Support/Hashing.h"

#include "llvm/Support/Process.h"

#include <cstdlib>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;
using namespace neuropt;
using namespace neuropt::testing;

namespace {

class CacheBackendTest : public ::testing::TestWithParam<const char *> {
protected:
  void SetUp() override {
    if (StringRef(GetParam()) == "redis") {
      if (!hasRedisSupport())
        GTEST_SKIP() << "neuropt was built without Redis support (hiredis "
                        "not found); the Redis backend is not tested";
      std::string Server = findRedisServer();
      if (Server.empty())
        GTEST_SKIP() << "redis-server is not installed (apt-get install "
                        "redis-server); the Redis backend is not tested";
      Error E = Redis.start(Server, Dir.Path);
      ASSERT_FALSE(static_cast<bool>(E)) << toString(std::move(E));
      Spec = Redis.url();
    } else {
      Spec = Dir.file("cache.sqlite");
    }
  }

  Expected<std::unique_ptr<SynthesisCache>> open() {
    return createCache(Spec, collectingOptions(Warnings));
  }

  ScratchDir Dir;
  LoopbackRedis Redis;
  std::string Spec;
  std::vector<std::string> Warnings;
};

TEST_P(CacheBackendTest, RoundTrip) {
  ASSERT_OK_AND_ASSIGN(C, open());
  CacheEntry E = makeRewrite("%r = shl i32 %x, 1");
  ASSERT_OK_AND_ASSIGN(Stored, C->put("lhs-0001", E));
  EXPECT_TRUE(Stored);

  ASSERT_OK_AND_ASSIGN(Got, C->get("lhs-0001"));
  ASSERT_TRUE(Got.has_value());
  EXPECT_EQ(*Got, E);
  EXPECT_TRUE(Got->isRewrite());

  ASSERT_OK_AND_ASSIGN(Missing, C->get("lhs-9999"));
  EXPECT_FALSE(Missing.has_value());

  // A second handle sees the same store.
  ASSERT_OK_AND_ASSIGN(C2, open());
  ASSERT_OK_AND_ASSIGN(Got2, C2->get("lhs-0001"));
  ASSERT_TRUE(Got2.has_value());
  EXPECT_EQ(*Got2, E);

  CacheStats S = C->stats();
  EXPECT_EQ(S.Hits, 1u);
  EXPECT_EQ(S.Misses, 1u);
  EXPECT_EQ(S.Stores, 1u);
  EXPECT_EQ(S.Rejected, 0u);
  EXPECT_EQ(S.Errors, 0u);
  EXPECT_TRUE(Warnings.empty());
}

TEST_P(CacheBackendTest, BinaryAndLargePayloadsSurvive) {
  ASSERT_OK_AND_ASSIGN(C, open());
  std::string RHS("%r = and i8 %x, 0\n\0tail", 24);
  std::string Cert(1 << 20, 'x');
  for (size_t I = 0; I < Cert.size(); I += 97)
    Cert[I] = static_cast<char>(I & 0xff);
  CacheEntry E = makeRewrite(RHS, 7);
  E.Certificate = Cert;
  ASSERT_OK_AND_ASSIGN(Stored, C->put("lhs:with spaces\nand newline", E));
  EXPECT_TRUE(Stored);
  ASSERT_OK_AND_ASSIGN(Got, C->get("lhs:with spaces\nand newline"));
  ASSERT_TRUE(Got.has_value());
  EXPECT_EQ(*Got, E);
}

TEST_P(CacheBackendTest, NoCheaperFormEntries) {
  ASSERT_OK_AND_ASSIGN(C, open());
  ASSERT_OK_AND_ASSIGN(Stored, C->put("lhs-nothing", makeNoCheaperForm()));
  EXPECT_TRUE(Stored);
  ASSERT_OK_AND_ASSIGN(Got, C->get("lhs-nothing"));
  ASSERT_TRUE(Got.has_value());
  EXPECT_FALSE(Got->isRewrite());
  EXPECT_EQ(Got->Kind, CacheEntry::ResultKind::NoCheaperForm);
  EXPECT_TRUE(Got->RHS.empty());
  EXPECT_EQ(*Got, makeNoCheaperForm());
}

TEST_P(CacheBackendTest, RefusesInvalidEntries) {
  ASSERT_OK_AND_ASSIGN(C, open());
  CacheEntry NoProof = makeRewrite("%r = add i32 %x, %x");
  NoProof.Certificate.clear();
  Expected<bool> R = C->put("lhs-a", NoProof);
  ASSERT_FALSE(static_cast<bool>(R));
  EXPECT_NE(toString(R.takeError()).find("without a proof certificate"),
            std::string::npos);

  CacheEntry NoRHS = makeRewrite("");
  Expected<bool> R2 = C->put("lhs-a", NoRHS);
  EXPECT_FALSE(static_cast<bool>(R2));
  consumeError(R2.takeError());

  Expected<bool> R3 = C->put("", makeNoCheaperForm());
  EXPECT_FALSE(static_cast<bool>(R3));
  consumeError(R3.takeError());

  ASSERT_OK_AND_ASSIGN(N, C->size());
  EXPECT_EQ(N, 0u);
}

TEST_P(CacheBackendTest, OverwritePolicy) {
  ASSERT_OK_AND_ASSIGN(C, open());
  auto Current = [&]() -> CacheEntry {
    Expected<std::optional<CacheEntry>> G = C->get("k");
    EXPECT_TRUE(G && G->has_value());
    if (!G) {
      consumeError(G.takeError());
      return {};
    }
    return G->value_or(CacheEntry());
  };

  // "No cheaper form" loses to any rewrite...
  ASSERT_OK_AND_ASSIGN(S1, C->put("k", makeNoCheaperForm()));
  EXPECT_TRUE(S1);
  ASSERT_OK_AND_ASSIGN(S2, C->put("k", makeRewrite("B", 2)));
  EXPECT_TRUE(S2);
  // ...and never replaces one.
  ASSERT_OK_AND_ASSIGN(S3, C->put("k", makeNoCheaperForm()));
  EXPECT_FALSE(S3);
  EXPECT_EQ(Current().RHS, "B");
  // A smaller saving loses; a larger one wins.
  ASSERT_OK_AND_ASSIGN(S4, C->put("k", makeRewrite("C", 1)));
  EXPECT_FALSE(S4);
  ASSERT_OK_AND_ASSIGN(S5, C->put("k", makeRewrite("D", 3)));
  EXPECT_TRUE(S5);
  EXPECT_EQ(Current().RHS, "D");
  // Equal savings go to the smaller RHS, whatever the order of writers.
  ASSERT_OK_AND_ASSIGN(S6, C->put("k", makeRewrite("E", 3)));
  EXPECT_FALSE(S6);
  ASSERT_OK_AND_ASSIGN(S7, C->put("k", makeRewrite("A", 3)));
  EXPECT_TRUE(S7);
  EXPECT_EQ(Current().RHS, "A");

  ASSERT_OK_AND_ASSIGN(S8,
                       C->put("k", makeRewrite("Z", 9),
                              OverwritePolicy::KeepExisting));
  EXPECT_FALSE(S8);
  EXPECT_EQ(Current().RHS, "A");
  ASSERT_OK_AND_ASSIGN(
      S9, C->put("k", makeNoCheaperForm(), OverwritePolicy::Replace));
  EXPECT_TRUE(S9);
  EXPECT_FALSE(Current().isRewrite());

  CacheStats St = C->stats();
  EXPECT_EQ(St.Stores, 5u);
  EXPECT_EQ(St.KeptExisting, 4u);
}

TEST_P(CacheBackendTest, TimestampIsFilledIn) {
  ASSERT_OK_AND_ASSIGN(C, open());
  CacheEntry E = makeRewrite("X");
  E.Timestamp = 0;
  ASSERT_OK_AND_ASSIGN(Stored, C->put("k", E));
  EXPECT_TRUE(Stored);
  ASSERT_OK_AND_ASSIGN(Got, C->get("k"));
  ASSERT_TRUE(Got.has_value());
  EXPECT_GT(Got->Timestamp, 1700000000);
}

TEST_P(CacheBackendTest, EraseAndSize) {
  ASSERT_OK_AND_ASSIGN(C, open());
  for (int I = 0; I < 25; ++I) {
    ASSERT_OK_AND_ASSIGN(Stored,
                         C->put("k" + std::to_string(I),
                                makeRewrite("R" + std::to_string(I))));
    EXPECT_TRUE(Stored);
  }
  ASSERT_OK_AND_ASSIGN(N, C->size());
  EXPECT_EQ(N, 25u);
  ASSERT_OK_AND_ASSIGN(Removed, C->erase("k3"));
  EXPECT_TRUE(Removed);
  ASSERT_OK_AND_ASSIGN(RemovedAgain, C->erase("k3"));
  EXPECT_FALSE(RemovedAgain);
  ASSERT_OK_AND_ASSIGN(Got, C->get("k3"));
  EXPECT_FALSE(Got.has_value());
  ASSERT_OK_AND_ASSIGN(N2, C->size());
  EXPECT_EQ(N2, 24u);
  EXPECT_EQ(C->stats().Erases, 1u);
}

TEST_P(CacheBackendTest, ThreadsShareOneHandle) {
  ASSERT_OK_AND_ASSIGN(C, open());
  constexpr int Threads = 4, Keys = 100;
  std::vector<std::string> Failures(Threads);
  std::vector<std::thread> Pool;
  for (int T = 0; T < Threads; ++T)
    Pool.emplace_back([&, T] {
      for (int I = 0; I < Keys; ++I) {
        std::string Key = "t" + std::to_string(T) + "-" + std::to_string(I);
        Expected<bool> P = C->put(Key, makeRewrite("R" + Key));
        if (!P || !*P) {
          Failures[T] = P ? "not stored" : toString(P.takeError());
          return;
        }
        Expected<std::optional<CacheEntry>> G = C->get(Key);
        if (!G || !G->has_value() || (*G)->RHS != "R" + Key) {
          Failures[T] = G ? "wrong entry" : toString(G.takeError());
          return;
        }
      }
    });
  for (std::thread &T : Pool)
    T.join();
  for (const std::string &F : Failures)
    EXPECT_EQ(F, "");
  ASSERT_OK_AND_ASSIGN(N, C->size());
  EXPECT_EQ(N, static_cast<uint64_t>(Threads * Keys));
  EXPECT_EQ(C->stats().Hits, static_cast<uint64_t>(Threads * Keys));
}

/// The body of one forked writer: its own keys, contested shared keys, and
/// reads of everyone's keys. Returns a failure message, empty on success.
std::string concurrentWriter(const std::string &Spec, int Child, int Keys,
                             int Shared, int Children) {
  CacheOptions O;
  O.Warn = [](StringRef M) { errs() << "child warning: " << M << "\n"; };
  Expected<std::unique_ptr<SynthesisCache>> C = createCache(Spec, O);
  if (!C)
    return "open: " + toString(C.takeError());
  for (int I = 0; I < Keys; ++I) {
    std::string Key = "c" + std::to_string(Child) + "-" + std::to_string(I);
    CacheEntry E = makeRewrite("own " + Key, 1 + I % 5);
    Expected<bool> P = (*C)->put(Key, E);
    if (!P)
      return "put " + Key + ": " + toString(P.takeError());
    if (!*P)
      return "put " + Key + " was not stored";
    Expected<std::optional<CacheEntry>> G = (*C)->get(Key);
    if (!G)
      return "get " + Key + ": " + toString(G.takeError());
    if (!G->has_value() || **G != E)
      return "read back a different entry for " + Key;
    // Somebody else's key: may or may not be there yet, must not fail.
    std::string Other = "c" + std::to_string((Child + 1) % Children) + "-" +
                        std::to_string(I);
    Expected<std::optional<CacheEntry>> G2 = (*C)->get(Other);
    if (!G2)
      return "get " + Other + ": " + toString(G2.takeError());
    if (G2->has_value() && (*G2)->RHS != "own " + Other)
      return "wrong entry for " + Other;
    if (I % (Keys / Shared) == 0) {
      std::string SKey = "shared-" + std::to_string(I / (Keys / Shared));
      Expected<bool> SP =
          (*C)->put(SKey, makeRewrite("by " + std::to_string(Child), Child));
      if (!SP)
        return "put " + SKey + ": " + toString(SP.takeError());
    }
  }
  if ((*C)->stats().Errors != 0 || (*C)->stats().Rejected != 0)
    return "errors or rejected entries were counted";
  return "";
}

TEST_P(CacheBackendTest, ConcurrentProcessesLoseNothing) {
  constexpr int Children = 6, Keys = 200, Shared = 20;
  // Every child blocks on the pipe until all exist, so that they open the
  // (not yet existing) store and write at the same moment.
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
      std::string Failure =
          concurrentWriter(Spec, Child, Keys, Shared, Children);
      if (!Failure.empty()) {
        errs() << "child " << Child << ": " << Failure << "\n";
        errs().flush();
        ::_exit(1);
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
    EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0)
        << "writer process " << Pid << " failed (status " << Status << ")";
  }

  ASSERT_OK_AND_ASSIGN(C, open());
  ASSERT_OK_AND_ASSIGN(N, C->size());
  EXPECT_EQ(N, static_cast<uint64_t>(Children * Keys + Shared));
  for (int Child = 0; Child < Children; ++Child)
    for (int I = 0; I < Keys; ++I) {
      std::string Key = "c" + std::to_string(Child) + "-" + std::to_string(I);
      ASSERT_OK_AND_ASSIGN(G, C->get(Key));
      ASSERT_TRUE(G.has_value()) << "lost " << Key;
      EXPECT_EQ(*G, makeRewrite("own " + Key, 1 + I % 5));
    }
  // The best entry wins every contested key, whoever wrote last.
  for (int S = 0; S < Shared; ++S) {
    ASSERT_OK_AND_ASSIGN(G, C->get("shared-" + std::to_string(S)));
    ASSERT_TRUE(G.has_value());
    EXPECT_EQ(G->CostSaved, Children - 1);
    EXPECT_EQ(G->RHS, "by " + std::to_string(Children - 1));
  }
  EXPECT_TRUE(Warnings.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CacheBackendTest,
                         ::testing::Values("sqlite", "redis"),
                         [](const ::testing::TestParamInfo<const char *> &I) {
                           return std::string(I.param);
                         });

TEST(CacheEntryTest, ChecksumSeesEveryByte) {
  CacheEntry E = makeRewrite("%r = sub i32 0, %x", 4);
  std::string Base = checksumCacheEntry("lhs", E);
  EXPECT_EQ(Base.size(), 16u);
  EXPECT_EQ(Base, checksumCacheEntry("lhs", E));
  // The checksum is hashed piece by piece, but is the stable hash of the
  // encoding, which stored rows and Redis records were checked with.
  EXPECT_EQ(Base, toHex64(stableHash(encodeCacheEntry("lhs", E))));
  // A fixed entry keeps a fixed checksum, or every existing cache would
  // read as corrupt (FNV-1a of the encoding, computed independently).
  EXPECT_EQ(Base, "05a2bc90ab0a1f9e");
  // Flip every bit of every text field in turn.
  for (std::string CacheEntry::*Field :
       {&CacheEntry::RHS, &CacheEntry::Certificate,
        &CacheEntry::VerifierVersion})
    for (size_t I = 0; I < (E.*Field).size(); ++I)
      for (int Bit = 0; Bit < 8; ++Bit) {
        CacheEntry F = E;
        (F.*Field)[I] ^= static_cast<char>(1 << Bit);
        EXPECT_NE(checksumCacheEntry("lhs", F), Base);
      }
  CacheEntry Cost = E;
  Cost.CostSaved = 5;
  EXPECT_NE(checksumCacheEntry("lhs", Cost), Base);
  CacheEntry Kind = E;
  Kind.Kind = CacheEntry::ResultKind::NoCheaperForm;
  EXPECT_NE(checksumCacheEntry("lhs", Kind), Base);
  EXPECT_NE(checksumCacheEntry("lhs2", E), Base);
  // Moving bytes between fields changes the encoding, so the checksum too.
  CacheEntry Moved = E;
  Moved.RHS += Moved.Certificate.substr(0, 1);
  Moved.Certificate.erase(0, 1);
  EXPECT_NE(encodeCacheEntry("lhs", Moved), encodeCacheEntry("lhs", E));
}

TEST(CacheEntryTest, BetterEntry) {
  EXPECT_TRUE(isBetterEntry(makeRewrite("A", 1), makeNoCheaperForm()));
  EXPECT_FALSE(isBetterEntry(makeNoCheaperForm(), makeRewrite("A", 1)));
  EXPECT_FALSE(isBetterEntry(makeNoCheaperForm(), makeNoCheaperForm()));
  EXPECT_TRUE(isBetterEntry(makeRewrite("B", 2), makeRewrite("A", 1)));
  EXPECT_TRUE(isBetterEntry(makeRewrite("A", 2), makeRewrite("B", 2)));
  EXPECT_FALSE(isBetterEntry(makeRewrite("B", 2), makeRewrite("A", 2)));
  EXPECT_FALSE(isBetterEntry(makeRewrite("A", 2), makeRewrite("A", 2)));
}

TEST(CreateCacheTest, RejectsBadSpecifications) {
  for (const char *Spec :
       {"", "sqlite:", "ftp://host/x", "redis://", "redis://:6379",
        "redis://host:0", "redis://host:99999", "redis://host:12x",
        "redis://host:6379/db", "redis://[::1"}) {
    Expected<std::unique_ptr<SynthesisCache>> C = createCache(Spec);
    EXPECT_FALSE(static_cast<bool>(C)) << "accepted '" << Spec << "'";
    if (!C) {
      std::string Msg = toString(C.takeError());
      EXPECT_FALSE(Msg.empty());
    }
  }
}

TEST(CreateCacheTest, OpensSQLiteFromPathAndScheme) {
  ScratchDir Dir;
  ASSERT_OK_AND_ASSIGN(A, createCache(Dir.file("a.sqlite")));
  EXPECT_EQ(A->describe(), "sqlite:" + Dir.file("a.sqlite"));
  ASSERT_OK_AND_ASSIGN(B, createCache("sqlite:" + Dir.file("sub/dir/b.db")));
  EXPECT_EQ(B->describe(), "sqlite:" + Dir.file("sub/dir/b.db"));
  EXPECT_TRUE(sys::fs::exists(Dir.file("sub/dir/b.db")));
  ASSERT_OK_AND_ASSIGN(M, createCache("sqlite::memory:"));
  ASSERT_OK_AND_ASSIGN(Stored, M->put("k", makeRewrite("R")));
  EXPECT_TRUE(Stored);
  ASSERT_OK_AND_ASSIGN(Got, M->get("k"));
  EXPECT_TRUE(Got.has_value());
}

TEST(CreateCacheTest, UnusablePathIsAClearError) {
  Expected<std::unique_ptr<SynthesisCache>> C =
      createCache("/proc/neuropt-no-such-dir/cache.sqlite");
  ASSERT_FALSE(static_cast<bool>(C));
  std::string Msg = toString(C.takeError());
  EXPECT_NE(Msg.find("/proc/neuropt-no-such-dir/cache.sqlite"),
            std::string::npos)
      << Msg;
}

TEST(CreateCacheTest, DefaultPathHonoursCacheDir) {
  ScratchDir Dir;
  std::optional<std::string> Old = sys::Process::GetEnv("NEUROPT_CACHE_DIR");
  ::setenv("NEUROPT_CACHE_DIR", Dir.Path.c_str(), 1);
  EXPECT_EQ(getDefaultCachePath(), Dir.file("synthesis.sqlite"));
  if (Old)
    ::setenv("NEUROPT_CACHE_DIR", Old->c_str(), 1);
  else
    ::unsetenv("NEUROPT_CACHE_DIR");
  EXPECT_TRUE(StringRef(getDefaultCachePath()).ends_with("synthesis.sqlite"));
}

} // namespace
