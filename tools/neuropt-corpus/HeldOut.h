//===- HeldOut.h - Packages reserved for evaluation -------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The Debian source packages that neuropt evaluates on and therefore never
// trains or tunes on (DEVELOPERS.md, "Rules of work"). neuropt-corpus refuses
// them unless --allow-heldout is given, and labels them "heldout" if it is.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_CORPUS_HELDOUT_H
#define NEUROPT_TOOLS_CORPUS_HELDOUT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

namespace neuropt {
namespace corpus {

/// Debian source package names (checked with `apt-cache showsrc`).
inline llvm::ArrayRef<llvm::StringRef> getHeldOutPackages() {
  static const llvm::StringRef Names[] = {
      "bzip2", "libgsm",  "lame",   "libmad", "tiff",  "libjpeg-turbo",
      "ispell", "sqlite3", "p7zip", "clamav", "mafft", "ghostscript"};
  return Names;
}

inline bool isHeldOutPackage(llvm::StringRef Name) {
  return llvm::is_contained(getHeldOutPackages(), Name.lower());
}

} // namespace corpus
} // namespace neuropt

#endif // NEUROPT_TOOLS_CORPUS_HELDOUT_H
