//===- CacheBM.cpp - Synthesis cache latency and throughput ---------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Measures the synthesis cache as the superoptimizer uses it: lookups that
// hit and miss, stores, opening a file (with and without the integrity
// check) and several processes storing into one cache at once. SQLite always;
// Redis too when redis-server is installed, in which case the benchmark
// starts one on 127.0.0.1 and kills it at the end:
//
//   build/bench/CacheBM [--cache-dir=DIR] [google-benchmark flags]
//
// DIR (default: a fresh temporary directory) holds the SQLite files; put it
// on the file system the build's cache will live on.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Cache/Cache.h"

#include "LoopbackRedis.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <benchmark/benchmark.h>

#include <cstring>
#include <functional>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;
using namespace neuropt;

namespace {

/// A typical entry: a two-instruction RHS and a refinement query of about
/// 1.5 KB, as the verifier writes them.
CacheEntry typicalEntry(uint64_t I) {
  std::string RHS = "%0 = lshr i32 %x, " + std::to_string(I % 31 + 1) +
                    "\n%1 = and i32 %0, 255\nret i32 %1 ; cost 2\n";
  std::string Cert = "(set-logic QF_BV)\n(declare-const x (_ BitVec 32))\n";
  while (Cert.size() < 1500)
    Cert += "(assert (not (= (bvand (bvlshr x #x0000000" +
            std::to_string(I % 8) + ") #x000000ff) (bvurem x #x00000100))))\n";
  Cert += "(check-sat)\n; unsat\n";
  return CacheEntry::rewrite(std::move(RHS), std::move(Cert), 3,
                             "neuropt-verify 0.1 / z3 4.13");
}

/// An LHS hash like the synthesizer's: 16 hex digits.
std::string lhsKey(uint64_t I) {
  char Buf[17];
  std::snprintf(Buf, sizeof(Buf), "%016llx",
                static_cast<unsigned long long>(I * 0x9e3779b97f4a7c15ULL));
  return Buf;
}

void reportFailure(benchmark::State &State, Error E) {
  State.SkipWithError(toString(std::move(E)).c_str());
}

std::unique_ptr<SynthesisCache> openOrSkip(benchmark::State &State,
                                           const std::string &Spec,
                                           CacheOptions O = {}) {
  Expected<std::unique_ptr<SynthesisCache>> C = createCache(Spec, O);
  if (!C) {
    reportFailure(State, C.takeError());
    return nullptr;
  }
  return std::move(*C);
}

/// Brings the store behind \p Spec to exactly keys [0, N).
bool populate(benchmark::State &State, const std::string &Spec, uint64_t N) {
  std::unique_ptr<SynthesisCache> C = openOrSkip(State, Spec);
  if (!C)
    return false;
  Expected<uint64_t> Have = C->size();
  if (Have && *Have == N)
    return true;
  if (!Have)
    consumeError(Have.takeError());
  for (uint64_t I = 0; I < N; ++I)
    if (Expected<bool> P =
            C->put(lhsKey(I), typicalEntry(I), OverwritePolicy::Replace);
        !P) {
      reportFailure(State, P.takeError());
      return false;
    }
  return true;
}

void benchPut(benchmark::State &State, const std::string &Spec) {
  std::unique_ptr<SynthesisCache> C = openOrSkip(State, Spec);
  if (!C)
    return;
  // Fresh keys every time: each put is a transaction that stores.
  uint64_t Next = 1ULL << 40;
  if (Expected<uint64_t> N = C->size())
    Next += *N;
  else
    consumeError(N.takeError());
  size_t Bytes = encodeCacheEntry(lhsKey(0), typicalEntry(0)).size();
  for (auto _ : State) {
    Expected<bool> P = C->put(lhsKey(Next), typicalEntry(Next));
    ++Next;
    if (!P)
      return reportFailure(State, P.takeError());
    benchmark::DoNotOptimize(*P);
  }
  State.SetItemsProcessed(State.iterations());
  State.SetBytesProcessed(State.iterations() * Bytes);
}

void benchGet(benchmark::State &State,
              const std::function<std::string(uint64_t)> &SpecFor, bool Hit) {
  uint64_t N = State.range(0);
  std::string Spec = SpecFor(N);
  if (!populate(State, Spec, N))
    return;
  std::unique_ptr<SynthesisCache> C = openOrSkip(State, Spec);
  if (!C)
    return;
  uint64_t I = 0, Found = 0;
  size_t Bytes = encodeCacheEntry(lhsKey(0), typicalEntry(0)).size();
  for (auto _ : State) {
    // A stride coprime to N visits keys in a cache-unfriendly order.
    uint64_t K = Hit ? (I * 7919) % N : N + I;
    ++I;
    Expected<std::optional<CacheEntry>> G = C->get(lhsKey(K));
    if (!G)
      return reportFailure(State, G.takeError());
    Found += G->has_value();
    benchmark::DoNotOptimize(G->has_value());
  }
  if (Found != (Hit ? static_cast<uint64_t>(State.iterations()) : 0))
    State.SkipWithError("unexpected hit/miss count");
  State.SetItemsProcessed(State.iterations());
  if (Hit)
    State.SetBytesProcessed(State.iterations() * Bytes);
}

/// Forks range(0) processes that each store range(1) fresh entries into
/// the same store at once: what a `make -j` build does.
void benchConcurrentPut(benchmark::State &State, const std::string &Spec) {
  int Procs = State.range(0);
  int PerProc = State.range(1);
  // Fresh keys on every call: the store only grows, so its size is a safe
  // offset past every key used before.
  uint64_t Base = 1ULL << 50;
  {
    std::unique_ptr<SynthesisCache> C = openOrSkip(State, Spec);
    if (!C)
      return;
    Expected<uint64_t> N = C->size();
    if (!N)
      return reportFailure(State, N.takeError());
    Base += *N;
  }
  for (auto _ : State) {
    std::vector<pid_t> Pids;
    for (int P = 0; P < Procs; ++P) {
      uint64_t First = Base + static_cast<uint64_t>(P) * PerProc;
      pid_t Pid = ::fork();
      if (Pid == 0) {
        Expected<std::unique_ptr<SynthesisCache>> C = createCache(Spec);
        if (!C)
          ::_exit(1);
        for (int I = 0; I < PerProc; ++I) {
          Expected<bool> Put = (*C)->put(lhsKey(First + I),
                                         typicalEntry(First + I));
          if (!Put || !*Put)
            ::_exit(2);
        }
        ::_exit(0);
      }
      Pids.push_back(Pid);
    }
    bool OK = true;
    for (pid_t Pid : Pids) {
      int Status = 0;
      ::waitpid(Pid, &Status, 0);
      OK &= WIFEXITED(Status) && WEXITSTATUS(Status) == 0;
    }
    if (!OK)
      return State.SkipWithError("a writer process failed");
    Base += static_cast<uint64_t>(Procs) * PerProc;
  }
  State.SetItemsProcessed(State.iterations() * Procs * PerProc);
}

/// Opening a file of range(0) entries: the fixed cost every compiler
/// process pays. range(1) = 1 runs `PRAGMA quick_check` on this open (the
/// cost of IntegrityCheckIntervalSec = 0, or of the periodic check).
void benchOpen(benchmark::State &State, const std::string &Dir) {
  uint64_t N = State.range(0);
  std::string Path = Dir + "/open-" + std::to_string(N) + ".sqlite";
  if (!populate(State, Path, N))
    return;
  CacheOptions O;
  if (State.range(1))
    O.IntegrityCheckIntervalSec = 0;
  for (auto _ : State) {
    Expected<std::unique_ptr<SynthesisCache>> C = createCache(Path, O);
    if (!C)
      return reportFailure(State, C.takeError());
    benchmark::DoNotOptimize(C->get());
  }
  uint64_t Size = 0;
  sys::fs::file_size(Path, Size);
  State.counters["file_MiB"] = static_cast<double>(Size) / (1 << 20);
}

void registerAll(const std::string &Backend, const std::string &Spec,
                 const std::string &Dir) {
  std::string P = "BM_" + Backend;
  benchmark::RegisterBenchmark((P + "Put").c_str(), benchPut, Spec)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
  // One store per size, so that "miss" keys really are absent.
  std::function<std::string(uint64_t)> HitSpec = [=](uint64_t N) {
    if (Backend == "SQLite")
      return Dir + "/get-" + std::to_string(N) + ".sqlite";
    return Spec + "/" + std::to_string(N == 1000 ? 1 : 2);
  };
  for (bool Hit : {true, false})
    benchmark::RegisterBenchmark((P + (Hit ? "GetHit" : "GetMiss")).c_str(),
                                 benchGet, HitSpec, Hit)
        ->ArgName("entries")
        ->Arg(1000)
        ->Arg(100000)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark((P + "ConcurrentPut").c_str(),
                               benchConcurrentPut, Spec)
      ->ArgNames({"procs", "puts"})
      ->Args({1, 500})
      ->Args({2, 500})
      ->Args({4, 500})
      ->Args({8, 500})
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

} // namespace

int main(int argc, char **argv) {
  std::string Dir;
  std::vector<char *> Args;
  for (int I = 0; I < argc; ++I) {
    if (std::strncmp(argv[I], "--cache-dir=", 12) == 0)
      Dir = argv[I] + 12;
    else
      Args.push_back(argv[I]);
  }
  int Argc = Args.size();
  benchmark::Initialize(&Argc, Args.data());
  if (benchmark::ReportUnrecognizedArguments(Argc, Args.data()))
    return 1;

  bool OwnDir = Dir.empty();
  if (OwnDir) {
    SmallString<128> P;
    if (std::error_code EC =
            sys::fs::createUniqueDirectory("neuropt-cachebm", P)) {
      errs() << "CacheBM: cannot create a scratch directory: " << EC.message()
             << "\n";
      return 1;
    }
    Dir = P.str().str();
  } else if (std::error_code EC = sys::fs::create_directories(Dir)) {
    errs() << "CacheBM: cannot create '" << Dir << "': " << EC.message()
           << "\n";
    return 1;
  }

  registerAll("SQLite", Dir + "/put.sqlite", Dir);
  benchmark::RegisterBenchmark("BM_SQLiteOpen", benchOpen, Dir)
      ->ArgNames({"entries", "quick_check"})
      ->ArgsProduct({{0, 10000, 100000}, {0, 1}})
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);

  neuropt::testing::LoopbackRedis Redis;
  std::string Server = neuropt::testing::findRedisServer();
  if (!hasRedisSupport()) {
    errs() << "CacheBM: built without Redis support; Redis not measured\n";
  } else if (Server.empty()) {
    errs() << "CacheBM: redis-server is not installed; Redis not measured\n";
  } else if (Error E = Redis.start(Server, Dir)) {
    errs() << "CacheBM: " << toString(std::move(E)) << "; Redis not measured\n";
  } else {
    registerAll("Redis", Redis.url(), Dir);
  }

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  Redis.stop();
  if (OwnDir)
    sys::fs::remove_directories(Dir);
  return 0;
}
