//===- Hashing.cpp - Stable, host-independent content hashes ---------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/Hashing.h"

#include <cstdio>

using namespace neuropt;

uint64_t neuropt::stableHash(llvm::StringRef Bytes) {
  StableHasher H;
  H.update(Bytes);
  return H.final();
}

std::string neuropt::toHex64(uint64_t V) {
  char Buf[17];
  std::snprintf(Buf, sizeof(Buf), "%016llx", static_cast<unsigned long long>(V));
  return Buf;
}
