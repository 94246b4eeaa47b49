//===- CorpusDB.h - The SQLite manifest of an IR corpus ---------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The corpus manifest: one SQLite file (corpus.db) beside the deduplicated
// bitcode. It records every package (version, split, outcome), every
// translation unit tried (flags, content hash, defined functions, status and
// the reason it failed) and every unique module. Re-running a build consults
// it to skip finished work.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_CORPUS_CORPUSDB_H
#define NEUROPT_TOOLS_CORPUS_CORPUSDB_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace neuropt {
namespace corpus {

/// One source package in the corpus.
struct PackageRecord {
  std::string Name;    ///< Debian source package name (or --package-name).
  std::string Version; ///< Debian version, or "local" for --source-dir.
  std::string Status;  ///< "done", "fetch-failed", "no-sources".
  std::string Reason;  ///< Why it failed, when it did.
  std::string Configure; ///< "ran", "failed", "timeout", "cmake", "none".
  std::string Split;     ///< "train", "val" or empty before `split`.
  int64_t TUs = 0, Ok = 0, Failed = 0, Skipped = 0;
  double Seconds = 0;
};

/// One translation unit that was tried.
struct TURecord {
  std::string Package;
  std::string Version;
  std::string File;   ///< Path relative to the package's source root.
  std::string Flags;  ///< Compiler flags, with the source root written $SRC.
  std::string Hash;   ///< SHA-256 of the canonical bitcode; empty on failure.
  int64_t Functions = 0; ///< Defined functions in the module.
  std::string Status; ///< "ok", "failed" or "skipped".
  /// Failure class ("missing-header", "timeout", ...) or, for skipped TUs,
  /// why ("foreign-platform", "included-fragment").
  std::string Reason;
  std::string Message; ///< First diagnostic line, for a human.
  double Seconds = 0;
};

/// One unique module (deduplicated by content hash).
struct ModuleRecord {
  std::string Hash;
  std::string Path;     ///< Relative to the corpus directory.
  int64_t Functions = 0;
  int64_t Bytes = 0;
  std::string Package;  ///< The first package that produced it.
  std::string File;
};

/// A thread-safe handle on corpus.db. All methods serialize on one mutex.
class CorpusDB {
public:
  /// Opens \p Path. With \p Create the file and schema are created when
  /// missing; without it a missing file is an error naming the path.
  static llvm::Expected<std::unique_ptr<CorpusDB>> open(llvm::StringRef Path,
                                                       bool Create);
  ~CorpusDB();
  CorpusDB(const CorpusDB &) = delete;
  CorpusDB &operator=(const CorpusDB &) = delete;

  llvm::Expected<std::optional<std::string>> getMeta(llvm::StringRef Key);
  llvm::Error setMeta(llvm::StringRef Key, llvm::StringRef Value);

  llvm::Expected<std::optional<PackageRecord>>
  getPackage(llvm::StringRef Name);
  llvm::Error putPackage(const PackageRecord &P);
  llvm::Expected<std::vector<PackageRecord>> listPackages();
  llvm::Error setSplit(llvm::StringRef Package, llvm::StringRef Split);

  /// Files of \p Package already recorded; failed ones only when
  /// \p IncludeFailed.
  llvm::Expected<std::vector<std::string>> doneFiles(llvm::StringRef Package,
                                                     bool IncludeFailed);
  /// Records a TU and, when it produced a new module, that module, atomically.
  llvm::Error addTU(const TURecord &T, const ModuleRecord *M);
  llvm::Expected<std::vector<TURecord>> listTUs();
  llvm::Expected<std::vector<ModuleRecord>> listModules();

  /// Runs one SQL statement that returns a single integer (for stats).
  llvm::Expected<int64_t> queryInt(llvm::StringRef SQL);

  llvm::StringRef path() const { return Path; }

private:
  CorpusDB(sqlite3 *DB, std::string Path) : DB(DB), Path(std::move(Path)) {}
  llvm::Error exec(llvm::StringRef SQL);
  llvm::Error error(llvm::StringRef What) const;

  sqlite3 *DB;
  std::string Path;
  std::recursive_mutex Mu;
};

} // namespace corpus
} // namespace neuropt

#endif // NEUROPT_TOOLS_CORPUS_CORPUSDB_H
