//===- CacheInternal.h - Helpers shared by the cache backends ---*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Private to lib/Cache: record framing, entry validation and warnings, used
// by both the SQLite and the Redis backend.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_LIB_CACHE_CACHEINTERNAL_H
#define NEUROPT_LIB_CACHE_CACHEINTERNAL_H

#include "neuropt/Cache/Cache.h"

#include "llvm/ADT/Twine.h"

namespace neuropt {
namespace cache_detail {

/// encodeCacheEntry() followed by a "checksum <hex>" line: the self-checking
/// record the Redis backend stores.
std::string makeRecord(llvm::StringRef LHSHash, const CacheEntry &Entry);

/// Parses a record written by makeRecord() for \p LHSHash. Fails when it does
/// not parse, belongs to another key, or fails its checksum.
llvm::Expected<CacheEntry> parseRecord(llvm::StringRef LHSHash,
                                       llvm::StringRef Record);

/// Checks what put() is given: a non-empty key, a rewrite with an RHS and a
/// certificate, "no cheaper form" without an RHS.
llvm::Error checkEntryForPut(llvm::StringRef LHSHash, const CacheEntry &Entry);

/// Whether a put() under \p Policy replaces the valid entry \p Old.
bool shouldReplace(OverwritePolicy Policy, const CacheEntry &New,
                   const CacheEntry &Old);

/// \p Entry with its timestamp filled in when it is 0.
CacheEntry withTimestamp(const CacheEntry &Entry);

/// Sends \p Message to the handler in \p Options or to llvm::errs().
void warn(const CacheOptions &Options, const llvm::Twine &Message);

/// An llvm::StringError with \p Message.
llvm::Error makeError(const llvm::Twine &Message);

} // namespace cache_detail
} // namespace neuropt

#endif // NEUROPT_LIB_CACHE_CACHEINTERNAL_H
