//===- Hashing.cpp - Stable, host-independent content hashes ---------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/Hashing.h"

using namespace neuropt;

uint64_t neuropt::stableHash(llvm::StringRef Bytes) {
  StableHasher H;
  H.update(Bytes);
  return H.final();
}

std::string neuropt::toHex64(uint64_t V) {
  // By hand: snprintf costs several times more, and the superoptimizer
  // formats a hash for every DAG it looks up.
  std::string S(16, '0');
  for (int I = 15; I >= 0; --I, V >>= 4)
    S[I] = "0123456789abcdef"[V & 0xf];
  return S;
}
