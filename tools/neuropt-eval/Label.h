//===- Label.h - neuropt-eval label: sharded, resumable size labels -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_NEUROPT_EVAL_LABEL_H
#define NEUROPT_TOOLS_NEUROPT_EVAL_LABEL_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace llvm {
class raw_ostream;
}

namespace neuropt {

struct LabelShard {
  unsigned Index = 0, Count = 1;
};

/// Parses "i/N".
llvm::Expected<LabelShard> parseShard(llvm::StringRef Text);

struct LabelOptions {
  std::string CorpusDir; ///< Holds corpus.db and the modules/ it names.
  std::string Split;     ///< "train", "val", or "" for every package.
  LabelShard Shard;
  unsigned Budget = 300;
  uint64_t Seed = 1;
  unsigned MaxModules = 0; ///< Stop after this many new labels (0: no limit).
};

/// Labels the shard's modules, storing results in the size_search table.
llvm::Error runLabelling(const LabelOptions &Opts, llvm::raw_ostream &Log);

} // namespace neuropt

#endif // NEUROPT_TOOLS_NEUROPT_EVAL_LABEL_H
