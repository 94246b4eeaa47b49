//===- CorpusCommands.h - Subcommands that consume a built corpus -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Entry points of the neuropt-corpus subcommands that read a finished corpus
// through lib/IR: the training feature dump and the IR2Vec vocabulary
// trainer. Each returns the process exit status.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_CORPUS_CORPUSCOMMANDS_H
#define NEUROPT_TOOLS_CORPUS_CORPUSCOMMANDS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace neuropt {
namespace corpus {

/// `features`: JSON Lines, a header naming the feature manifest hash, then
/// one object per defined function. With \p Inputs, featurizes those IR
/// files instead of the corpus in \p CorpusDir.
int runFeatures(llvm::StringRef CorpusDir, llvm::StringRef OutFile,
                llvm::StringRef Split, llvm::ArrayRef<std::string> Inputs);

/// `ir2vec-vocab`: trains a TransE seed vocabulary on the training split.
int runIr2VecVocab(llvm::StringRef CorpusDir, llvm::StringRef OutFile,
                   unsigned Dim, uint64_t Seed, unsigned Epochs,
                   unsigned MaxTriplets);

} // namespace corpus
} // namespace neuropt

#endif // NEUROPT_TOOLS_CORPUS_CORPUSCOMMANDS_H
