//===- Cache.h - Persistent cache of synthesis results ----------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The superoptimizer's memory: for each left-hand side (the canonical hash of
// an integer DAG) it records either a proved cheaper replacement or the fact
// that no cheaper form was found, together with the proof certificate.
//
// Two backends sit behind one interface:
//   * SQLite (the default), a file shared safely by the concurrent clang
//     processes of a `make -j` build;
//   * Redis through hiredis (optional at build time), so that a build farm
//     can share one cache.
// Neither trusts what it reads: every entry carries a checksum of its
// payload, and a SQLite file that is corrupt, foreign or of another schema is
// set aside and replaced by an empty one.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_CACHE_CACHE_H
#define NEUROPT_CACHE_CACHE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace neuropt {

/// One cached synthesis result.
struct CacheEntry {
  enum class ResultKind : uint8_t {
    /// \c RHS is a proved cheaper replacement for the LHS.
    Rewrite = 1,
    /// The search finished without finding anything cheaper.
    NoCheaperForm = 2,
  };

  ResultKind Kind = ResultKind::NoCheaperForm;
  /// Text IR of the replacement; empty for \c NoCheaperForm.
  std::string RHS;
  /// SMT-LIB2 text of the refinement proof. Required for a rewrite.
  std::string Certificate;
  /// Cost units saved by the rewrite (0 for \c NoCheaperForm).
  int64_t CostSaved = 0;
  /// Identifies the solver and verifier that produced the result, so that a
  /// caller can decide to distrust results of older verifiers.
  std::string VerifierVersion;
  /// Seconds since the Unix epoch; put() fills it in when it is 0.
  int64_t Timestamp = 0;

  static CacheEntry rewrite(std::string RHS, std::string Certificate,
                            int64_t CostSaved, std::string VerifierVersion);
  static CacheEntry noCheaperForm(std::string Certificate,
                                  std::string VerifierVersion);

  bool isRewrite() const { return Kind == ResultKind::Rewrite; }

  bool operator==(const CacheEntry &O) const {
    return Kind == O.Kind && RHS == O.RHS && Certificate == O.Certificate &&
           CostSaved == O.CostSaved && VerifierVersion == O.VerifierVersion &&
           Timestamp == O.Timestamp;
  }
  bool operator!=(const CacheEntry &O) const { return !(*this == O); }
};

/// What put() does when the key already has a valid entry.
enum class OverwritePolicy {
  /// Keep the better of the two: a rewrite beats "no cheaper form", a larger
  /// saving beats a smaller one, and an equal saving goes to the smaller RHS
  /// text. The stored result therefore does not depend on which of several
  /// concurrent writers came first.
  KeepBetter,
  /// Always store the new entry.
  Replace,
  /// Never replace a valid stored entry.
  KeepExisting,
};

/// True when \p New should replace \p Old under OverwritePolicy::KeepBetter.
bool isBetterEntry(const CacheEntry &New, const CacheEntry &Old);

/// Counters of one cache handle (not of the shared store).
struct CacheStats {
  uint64_t Hits = 0;
  uint64_t Misses = 0;
  /// put() calls that stored their entry.
  uint64_t Stores = 0;
  /// put() calls whose entry lost to the stored one.
  uint64_t KeptExisting = 0;
  uint64_t Erases = 0;
  /// Stored entries that failed their checksum or did not parse; they were
  /// reported and deleted (or, in put(), replaced), and read as misses.
  uint64_t Rejected = 0;
  /// SQLite files set aside as corrupt, foreign or of an older schema.
  uint64_t Quarantined = 0;
  /// Operations that failed with an error.
  uint64_t Errors = 0;
};

/// Settings shared by the backends.
struct CacheOptions {
  /// SQLite: how long an operation waits for other processes to release the
  /// file before it fails.
  unsigned BusyTimeoutMs = 10000;
  /// SQLite: run `PRAGMA quick_check` when the file is opened and the last
  /// check is older than IntegrityCheckIntervalSec (0: on every open). The
  /// check reads the whole file; between checks, damage is still caught when
  /// a query reaches it, and damaged rows by their checksums.
  bool CheckIntegrityOnOpen = true;
  unsigned IntegrityCheckIntervalSec = 3600;
  /// Redis: limits on connecting and on each command, so that an unreachable
  /// server never hangs the compiler.
  unsigned ConnectTimeoutMs = 1000;
  unsigned CommandTimeoutMs = 1000;
  /// Redis: every key is this prefix followed by the LHS hash.
  std::string RedisKeyPrefix = "neuropt:synth:v1:";
  /// Redis: sent with AUTH when not empty; createCache() takes it from
  /// "redis://:PASSWORD@HOST...".
  std::string RedisPassword;
  /// Receives warnings (a store set aside, an entry rejected). When empty
  /// they are printed to llvm::errs() as "neuropt: warning: ...".
  std::function<void(llvm::StringRef)> Warn;
};

/// A map from LHS hash to synthesis result, shared between processes.
///
/// Methods are thread-safe. Failures the environment can cause (a locked or
/// unwritable file, a Redis server that went away) come back as errors; the
/// caller then continues without the cache. A stored entry that fails
/// validation is never returned.
class SynthesisCache {
public:
  virtual ~SynthesisCache();

  /// Looks up \p LHSHash; std::nullopt on a miss.
  virtual llvm::Expected<std::optional<CacheEntry>>
  get(llvm::StringRef LHSHash) = 0;

  /// Stores \p Entry for \p LHSHash according to \p Policy. Returns whether
  /// the entry was stored. A rewrite without a certificate is refused.
  virtual llvm::Expected<bool>
  put(llvm::StringRef LHSHash, const CacheEntry &Entry,
      OverwritePolicy Policy = OverwritePolicy::KeepBetter) = 0;

  /// Removes \p LHSHash. Returns whether an entry was removed.
  virtual llvm::Expected<bool> erase(llvm::StringRef LHSHash) = 0;

  /// Number of entries in the shared store.
  virtual llvm::Expected<uint64_t> size() = 0;

  /// This handle's counters.
  virtual CacheStats stats() const = 0;

  /// The store in the form createCache() accepts, for diagnostics.
  virtual std::string describe() const = 0;
};

/// Opens (creating if needed) the SQLite cache at \p Path. A file that is
/// corrupt, truncated, not a neuropt cache, or of an older schema is renamed
/// to "PATH.corrupt-<n>" with a warning and replaced by an empty cache; a file
/// written by a newer neuropt is left alone and reported as an error.
llvm::Expected<std::unique_ptr<SynthesisCache>>
createSQLiteCache(llvm::StringRef Path, const CacheOptions &Options = {});

/// Connects to the Redis server at \p Host:\p Port and selects database
/// \p Database. Fails with a clear error when the server cannot be reached
/// or when neuropt was built without Redis support.
llvm::Expected<std::unique_ptr<SynthesisCache>>
createRedisCache(llvm::StringRef Host, unsigned Port, unsigned Database = 0,
                 const CacheOptions &Options = {});

/// Opens the cache named by \p Spec: "redis://[:PASSWORD@]HOST[:PORT][/DB]"
/// (HOST may be a bracketed IPv6 address; PORT defaults to 6379, DB to 0),
/// "sqlite:PATH", or a plain path to a SQLite file.
llvm::Expected<std::unique_ptr<SynthesisCache>>
createCache(llvm::StringRef Spec, const CacheOptions &Options = {});

/// Whether this build can talk to Redis.
bool hasRedisSupport();

/// The default cache file: $NEUROPT_CACHE_DIR, else $XDG_CACHE_HOME/neuropt,
/// else ~/.cache/neuropt, followed by "synthesis.sqlite".
std::string getDefaultCachePath();

/// The canonical serialization of (\p LHSHash, \p Entry) that checksums are
/// computed over and that the Redis backend stores.
std::string encodeCacheEntry(llvm::StringRef LHSHash, const CacheEntry &Entry);

/// The checksum of an entry: 16 hex digits of the stable hash of its
/// encoding.
std::string checksumCacheEntry(llvm::StringRef LHSHash,
                               const CacheEntry &Entry);

} // namespace neuropt

#endif // NEUROPT_CACHE_CACHE_H
