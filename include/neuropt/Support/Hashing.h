//===- Hashing.h - Stable, host-independent content hashes ------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// llvm::hash_value is seeded per process and must never be persisted. These
// hashes are stable across runs and hosts, so they can key caches, manifests
// and corpus deduplication.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SUPPORT_HASHING_H
#define NEUROPT_SUPPORT_HASHING_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace neuropt {

/// Incremental 64-bit FNV-1a.
class StableHasher {
public:
  void update(llvm::StringRef Bytes) {
    for (unsigned char C : Bytes) {
      State ^= C;
      State *= 0x100000001b3ULL;
    }
  }
  void update(uint64_t V) {
    char Buf[8];
    for (int I = 0; I < 8; ++I)
      Buf[I] = static_cast<char>((V >> (8 * I)) & 0xff);
    update(llvm::StringRef(Buf, 8));
  }
  uint64_t final() const { return State; }

private:
  uint64_t State = 0xcbf29ce484222325ULL;
};

/// FNV-1a over \p Bytes.
uint64_t stableHash(llvm::StringRef Bytes);

/// \p V as 16 lower-case hex digits.
std::string toHex64(uint64_t V);

} // namespace neuropt

#endif // NEUROPT_SUPPORT_HASHING_H
