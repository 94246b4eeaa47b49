//===- AptSource.h - Debian sources through a private apt setup -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// neuropt-corpus fetches Debian source packages with `apt-get source`, but
// never touches the machine's apt state. It derives deb-src entries from the
// host's own sources (/etc/apt/sources.list and sources.list.d/*.list and
// *.sources, one-line and deb822 formats), writes them into a private
// directory with its own state, lists and cache, and points apt-get there
// with -o Dir::... options. No archive host name is ever compiled in.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_CORPUS_APTSOURCE_H
#define NEUROPT_TOOLS_CORPUS_APTSOURCE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace neuropt {
namespace corpus {

/// The private deb-src configuration derived from a host's apt sources.
struct DerivedSources {
  /// One-line entries (for the private sources.list), from one-line inputs.
  std::string OneLine;
  /// deb822 stanzas (for the private sources.list.d/neuropt.sources).
  std::string Deb822;
  /// Host files that contributed an entry.
  std::vector<std::string> Files;
  unsigned Entries = 0;
};

/// Reads \p EtcApt/sources.list and \p EtcApt/sources.list.d/*.{list,sources}
/// (files with any other suffix are disabled, as apt treats them) and turns
/// every enabled `deb`/`deb-src` entry into a `deb-src` entry. Fails, naming
/// the directory, when nothing usable is found.
llvm::Expected<DerivedSources> deriveDebSrcSources(llvm::StringRef EtcApt);

/// A resolved source package.
struct SourcePackage {
  std::string Name;    ///< Source package name (binary names are mapped).
  std::string Version; ///< Upstream-and-Debian version, without the epoch.
};

/// What fetch() unpacked.
struct FetchedSource {
  std::string Root;    ///< The unpacked source tree.
  std::string Version; ///< The version fetched (an older one when the
                       ///< candidate could not be downloaded).
};

/// apt-get driven through a private configuration rooted at a directory.
class AptSource {
public:
  /// Prepares \p Dir (created if needed) from the sources under \p EtcApt.
  static llvm::Expected<AptSource> create(llvm::StringRef Dir,
                                          llvm::StringRef EtcApt,
                                          llvm::StringRef LogDir);

  /// Runs `apt-get update` on the private configuration when its lists are
  /// missing, older than a day, or the derived sources changed.
  llvm::Error updateIfStale(bool Force, unsigned TimeoutSeconds);

  /// Maps \p Name (a source or binary package name) to the source package
  /// and version apt would fetch. Fails with a message naming the package.
  llvm::Expected<SourcePackage> resolve(llvm::StringRef Name,
                                        unsigned TimeoutSeconds);

  /// Downloads and unpacks \p P into \p DestDir (reusing an earlier complete
  /// fetch there). When the candidate version cannot be downloaded, the other
  /// versions in the index are tried, newest first.
  llvm::Expected<FetchedSource> fetch(const SourcePackage &P,
                                    llvm::StringRef DestDir,
                                    unsigned TimeoutSeconds);

  /// The -o options that select the private configuration.
  const std::vector<std::string> &options() const { return Options; }

private:
  std::string Dir, LogDir;
  std::vector<std::string> Options;
  bool SourcesChanged = false;
};

/// Orders two Debian version strings as dpkg does: <0, 0 or >0.
int compareDebianVersions(llvm::StringRef A, llvm::StringRef B);

/// True when \p Name is a syntactically valid Debian package name.
bool isValidPackageName(llvm::StringRef Name);

} // namespace corpus
} // namespace neuropt

#endif // NEUROPT_TOOLS_CORPUS_APTSOURCE_H
