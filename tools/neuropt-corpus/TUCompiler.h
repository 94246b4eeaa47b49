//===- TUCompiler.h - C translation units to canonical bitcode --*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Turns a source tree without a build system run into bitcode: finds the C
// translation units, guesses include paths, optionally runs a cheap configure
// step, compiles each TU with clang exactly as the front end emits it for the
// level studied (-Oz or -O2 with -disable-llvm-passes), and hashes a canonical
// form of the module so that identical code from different paths dedupes.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_CORPUS_TUCOMPILER_H
#define NEUROPT_TOOLS_CORPUS_TUCOMPILER_H

#include "CorpusDB.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace llvm {
class Module;
class MemoryBufferRef;
} // namespace llvm

namespace neuropt {
namespace corpus {

struct CompileOptions {
  std::string Clang;             ///< Path of clang 22.
  std::string Level = "Oz";      ///< "Oz" or "O2".
  unsigned TUTimeout = 60;       ///< Seconds per translation unit.
  unsigned ConfigureTimeout = 120; ///< Seconds for ./configure or cmake; 0 = never run.
  unsigned MemoryLimitMB = 4096; ///< Per clang process.
  /// Package-specific -D/-U flags from the package list (what its Makefile
  /// would pass, e.g. pcre2's -DPCRE2_CODE_UNIT_WIDTH=8).
  std::vector<std::string> ExtraFlags;
  /// Run a configure step again when it failed or timed out before.
  bool RetryConfigure = false;
};

/// What prepareTree learnt about a source tree.
struct TreePlan {
  std::string Root;                   ///< Absolute source root.
  std::vector<std::string> TUs;       ///< Relative paths of .c files to try.
  std::vector<std::string> Skipped;   ///< Relative paths in foreign-platform dirs.
  std::vector<std::string> IncludeDirs; ///< -I, absolute.
  std::vector<std::string> QuoteDirs;   ///< -iquote and -idirafter, absolute.
  std::string ShimDir;  ///< -idirafter dir of flattened headers, or empty.
  /// File names of .c files that other files #include (source fragments).
  std::set<std::string> IncludedSources;
  bool HaveConfigH = false;
  std::string Configure; ///< "ran", "failed", "timeout", "cmake", "cmake-failed", "none".
};

/// Scans \p Root, runs configure (or a CMake configure) when cheap and
/// allowed, and plans include paths. \p WorkDir receives logs and the header
/// shim directory.
llvm::Expected<TreePlan> prepareTree(llvm::StringRef Root,
                                     llvm::StringRef WorkDir,
                                     const CompileOptions &Opts);

/// The flags (between `clang` and the source file) used for \p TU.
std::vector<std::string> compileFlags(const TreePlan &Plan, llvm::StringRef TU,
                                      const CompileOptions &Opts);

/// The outcome of one TU.
struct CompileOutcome {
  TURecord TU;
  std::optional<ModuleRecord> Module; ///< Set when it compiled.
};

/// Compiles \p TU (relative to Plan.Root) into a temporary file under
/// \p TmpDir, canonicalizes and hashes it, and stores the module under
/// \p CorpusDir/modules/ when new. Never fails: failures are in the outcome.
CompileOutcome compileTU(const TreePlan &Plan, llvm::StringRef TU,
                         const CompileOptions &Opts, llvm::StringRef CorpusDir,
                         llvm::StringRef TmpDir);

/// Clears the module identifier and source file name so that the bitcode of
/// \p M no longer depends on where its source lived.
void canonicalizeModule(llvm::Module &M);

/// Hex SHA-256 of the canonical bitcode of \p M.
std::string hashModule(const llvm::Module &M);

/// Classifies a clang diagnostic log into a short failure reason and the
/// first error line.
std::pair<std::string, std::string> classifyFailure(llvm::StringRef Log);

} // namespace corpus
} // namespace neuropt

#endif // NEUROPT_TOOLS_CORPUS_TUCOMPILER_H
