//===- Paths.cpp - Locating neuropt's own files at run time ----------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/Paths.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>

using namespace neuropt;

std::string neuropt::getNeuroptBinaryDir() {
  Dl_info Info;
  // Any function defined in this library identifies the object it lives in.
  if (!dladdr(reinterpret_cast<void *>(&getNeuroptBinaryDir), &Info) ||
      !Info.dli_fname)
    return "";
  llvm::SmallString<256> Path;
  if (llvm::sys::fs::real_path(Info.dli_fname, Path))
    Path = Info.dli_fname;
  return llvm::sys::path::parent_path(Path).str();
}

std::string neuropt::getDefaultModelDir() {
  std::string Bin = getNeuroptBinaryDir();
  llvm::SmallVector<std::string, 3> Candidates;
  if (!Bin.empty()) {
    llvm::SmallString<256> P(Bin);
    llvm::sys::path::append(P, "..", "..", "models");
    Candidates.push_back(P.str().str());
    P = Bin;
    llvm::sys::path::append(P, "..", "share", "neuropt", "models");
    Candidates.push_back(P.str().str());
  }
  Candidates.push_back(NEUROPT_MODELS_DIR);
  for (const std::string &C : Candidates) {
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::is_directory(C) && !llvm::sys::fs::real_path(C, Real))
      return Real.str().str();
  }
  return "";
}
