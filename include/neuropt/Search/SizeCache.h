//===- SizeCache.h - neuropt-size's memory of earlier runs -------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// With -neuropt-size-cache, neuropt-size remembers, per translation unit,
// the smallest pipeline an earlier compilation found and how much it tried
// to find it, in the same store as the synthesis cache (lib/Cache: SQLite,
// or Redis for a build farm). The key is a hash of the unoptimized module's
// bitcode, so an edited file, another compiler or other flags miss.
//
// The cache only proposes: a remembered pipeline is run again, measured
// against -Oz and verified like any candidate, so a stale, foreign or
// damaged entry can cost size, never correctness or "never larger". What it
// saves is effort: when an earlier run tried at least what this run would
// try, this run tries the remembered pipeline alone, or nothing at all when
// that run found nothing smaller than -Oz. A build that once spent many
// candidates (-neuropt-size-k=16 -neuropt-size-search=48) thus keeps their
// result in later builds at the cost of one candidate.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SEARCH_SIZECACHE_H
#define NEUROPT_SEARCH_SIZECACHE_H

#include "neuropt/Cache/Cache.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace neuropt {

/// What runs of neuropt-size tried for one translation unit, and the best
/// they found.
struct SizeCacheRecord {
  /// The smallest verified pipeline (empty: nothing beat -Oz).
  std::string Pipeline;
  /// The pipeline runs on -Oz's result (an extension), not on the source.
  bool FromStock = false;
  /// -Oz's objective and the pipeline's (equal when Pipeline is empty).
  uint64_t StockObjective = 0, Objective = 0;
  /// The coreset the tried sequences index (getSizeModelManifestHash).
  std::string Coreset;
  /// Bit i: coreset sequence i was measured (sequences past 63 are never
  /// counted as tried).
  uint64_t Tried = 0;
  /// Search evaluations spent on this unit, over all runs.
  uint64_t SearchEvaluations = 0;
  /// Hash of the extension pipeline that was tried ("" if none).
  std::string Extension;
  /// Bit i: coreset sequence i was stopped by a budget of OutOfTimeMs
  /// although it had at least 90% of it for itself (a very large or
  /// repetitive module; the IR outliner is superlinear). A run whose budget
  /// is no larger counts it as tried, so a rebuild does not pay for it
  /// again; a larger budget tries it again.
  uint64_t OutOfTime = 0;
  uint64_t OutOfTimeMs = 0;
  /// The runs chose with -neuropt-size-unwind-guard: a candidate counted
  /// only if not larger with its unwind tables either. What they tried and
  /// found means something else to a run that chooses the other way.
  /// Records of formats 1 and 2 read as false.
  bool UnwindGuard = false;

  bool operator==(const SizeCacheRecord &O) const;
};

/// What one run would try without the cache.
struct SizeCacheEffort {
  std::string Coreset;
  llvm::ArrayRef<unsigned> Sequences;
  uint64_t SearchEvaluations = 0;
  std::string Extension;
  /// The run's budget (-neuropt-size-budget-ms).
  uint64_t BudgetMs = 0;
  /// The run's -neuropt-size-unwind-guard.
  bool UnwindGuard = false;
};

/// Whether what \p R's runs tried counts for a run with effort \p E: both
/// index the same coreset and choose by the same rule (the unwind guard).
bool sizeCacheComparable(const SizeCacheRecord &R, const SizeCacheEffort &E);

/// The coreset sequences \p R counts as done for a run with budget \p
/// BudgetMs: measured, or out of time with a budget at least as large.
uint64_t sizeCacheDone(const SizeCacheRecord &R, uint64_t BudgetMs);

enum class SizeCachePlan {
  /// No usable record: run as without the cache.
  Full,
  /// The record's pipeline first, then what the run would try anyway.
  CachedFirst,
  /// The record covers this run and holds a pipeline: try it alone.
  CachedOnly,
  /// The record covers this run and nothing beat -Oz: keep -Oz unmeasured.
  KeepStock,
};

/// Whether \p R tried at least what \p E would.
bool sizeCacheCovers(const SizeCacheRecord &R, const SizeCacheEffort &E);

/// The plan for a run with effort \p E, given the record found (if any).
SizeCachePlan planSizeRun(const std::optional<SizeCacheRecord> &R,
                          const SizeCacheEffort &E);

/// The record after a run that tried \p E (plus \p SearchDone search
/// evaluations) on top of \p Old and found \p Best (its pipeline empty when
/// nothing was smaller than -Oz). Pass \p Old only if the run confirmed its
/// pipeline (measured it smaller than -Oz and verified it): a record whose
/// pipeline failed is not built upon. \p OutOfTime: the coreset sequences
/// a budget of \p OutOfTimeMs stopped although each had most of it.
SizeCacheRecord mergeSizeRecord(const std::optional<SizeCacheRecord> &Old,
                                const SizeCacheEffort &E, uint64_t SearchDone,
                                SizeCacheRecord Best,
                                llvm::ArrayRef<unsigned> OutOfTime = {},
                                uint64_t OutOfTimeMs = 0);

/// Whether a run that read \p AtStart from the cache and built \p New should
/// store it over \p Current, the entry there now. Yes when nothing is there,
/// or when it is still what the run read (no other compilation wrote in
/// between; \p New already builds on it). When another compilation of the
/// same module wrote meanwhile, both records were measured and verified by
/// their runs: the smaller objective stays, and on a tie the one that tried
/// more (coreset sequences plus search evaluations). So a quick compilation
/// that finished last does not erase what a long search stored.
bool shouldStoreSizeRecord(const std::optional<SizeCacheRecord> &Current,
                           const std::optional<SizeCacheRecord> &AtStart,
                           const SizeCacheRecord &New);

/// The cache key of a translation unit: "size:" and the SHA-256, in hex, of
/// the bitcode of its unoptimized module \p Unopt without what does not
/// change the code: debug information (the locations clang adds for -Rpass
/// and -fsave-optimization-record, and -g's), the module flags that
/// describe it, the source file's name and the module's identifier. So a
/// build with remarks or -g, or from another directory, finds what a plain
/// build stored. \p Unopt itself is not changed (a copy is stripped).
std::string getSizeCacheKey(const llvm::Module &Unopt);

/// The cache key of \p Unopt's source file, whatever its contents: its
/// name as compiled (source_filename), made absolute against the directory
/// it was compiled in (the debug information's, else the current one), and
/// the target triple. So files of the same relative name in two directories
/// have two keys. It holds the
/// record of the file's last version that found a pipeline, so that an
/// edited file can start from it. Empty when the module has no file name.
std::string getSizeCacheFileKey(const llvm::Module &Unopt);

/// The 16-hex-digit hash that names an extension pipeline in a record.
std::string hashSizePipeline(llvm::StringRef Pipeline);

/// A record as a cache entry (a rewrite when it holds a pipeline; the
/// "certificate" field carries the record's other fields as text).
CacheEntry encodeSizeRecord(const SizeCacheRecord &R);
/// The inverse; an error for an entry neuropt-size did not write.
llvm::Expected<SizeCacheRecord> decodeSizeRecord(const CacheEntry &E);

/// The entries' VerifierVersion.
constexpr const char *kSizeCacheFormat = "neuropt-size-cache/3";
/// Session 20's format (no unwind guard line), still read.
constexpr const char *kSizeCacheFormatV2 = "neuropt-size-cache/2";
/// Session 19's format (no out-of-time line either), still read.
constexpr const char *kSizeCacheFormatV1 = "neuropt-size-cache/1";

} // namespace neuropt

#endif // NEUROPT_SEARCH_SIZECACHE_H
