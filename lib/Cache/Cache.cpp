//===- Cache.cpp - Synthesis cache entries, records and factories ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements what the backends share: the canonical encoding and
// checksum of an entry, the overwrite policy, and createCache(), which picks a
// backend from a "redis://" URL, a "sqlite:" path or a plain path.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Cache/Cache.h"
#include "CacheInternal.h"

#include "neuropt/Support/Hashing.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;
using namespace neuropt;
using namespace neuropt::cache_detail;

/// First line of every encoded entry; bump it with the encoding.
static constexpr StringLiteral EncodingHeader =
    "neuropt-synthesis-cache-entry 1";

/// Field names in encoding order.
static constexpr StringLiteral FieldNames[] = {
    "lhs", "kind", "rhs", "certificate", "cost", "verifier", "created"};

static StringRef kindName(CacheEntry::ResultKind K) {
  return K == CacheEntry::ResultKind::Rewrite ? "rewrite" : "no-cheaper-form";
}

SynthesisCache::~SynthesisCache() = default;

CacheEntry CacheEntry::rewrite(std::string RHS, std::string Certificate,
                               int64_t CostSaved,
                               std::string VerifierVersion) {
  CacheEntry E;
  E.Kind = ResultKind::Rewrite;
  E.RHS = std::move(RHS);
  E.Certificate = std::move(Certificate);
  E.CostSaved = CostSaved;
  E.VerifierVersion = std::move(VerifierVersion);
  return E;
}

CacheEntry CacheEntry::noCheaperForm(std::string Certificate,
                                     std::string VerifierVersion) {
  CacheEntry E;
  E.Kind = ResultKind::NoCheaperForm;
  E.Certificate = std::move(Certificate);
  E.VerifierVersion = std::move(VerifierVersion);
  return E;
}

bool neuropt::isBetterEntry(const CacheEntry &New, const CacheEntry &Old) {
  if (New.isRewrite() != Old.isRewrite())
    return New.isRewrite();
  if (!New.isRewrite())
    return false;
  if (New.CostSaved != Old.CostSaved)
    return New.CostSaved > Old.CostSaved;
  return New.RHS < Old.RHS;
}

/// Passes the encoding of (\p LHSHash, \p Entry) to \p Emit, piece by
/// piece: encodeCacheEntry() appends the pieces, checksumCacheEntry() hashes
/// them without building the string (it runs on every cache hit).
template <typename EmitFn>
static void encodePieces(StringRef LHSHash, const CacheEntry &Entry,
                         EmitFn Emit) {
  std::string Cost = std::to_string(Entry.CostSaved);
  std::string Created = std::to_string(Entry.Timestamp);
  StringRef Values[] = {LHSHash,     kindName(Entry.Kind),
                        Entry.RHS,   Entry.Certificate,
                        Cost,        Entry.VerifierVersion,
                        Created};
  Emit(EncodingHeader);
  Emit("\n");
  for (size_t I = 0; I < std::size(FieldNames); ++I) {
    Emit(FieldNames[I]);
    Emit(" ");
    Emit(std::to_string(Values[I].size()));
    Emit("\n");
    Emit(Values[I]);
    Emit("\n");
  }
}

std::string neuropt::encodeCacheEntry(StringRef LHSHash,
                                      const CacheEntry &Entry) {
  std::string Out;
  encodePieces(LHSHash, Entry, [&](StringRef Piece) { Out += Piece; });
  return Out;
}

std::string neuropt::checksumCacheEntry(StringRef LHSHash,
                                        const CacheEntry &Entry) {
  StableHasher H;
  encodePieces(LHSHash, Entry, [&](StringRef Piece) { H.update(Piece); });
  return toHex64(H.final());
}

std::string cache_detail::makeRecord(StringRef LHSHash,
                                     const CacheEntry &Entry) {
  std::string Encoded = encodeCacheEntry(LHSHash, Entry);
  std::string Sum = toHex64(stableHash(Encoded));
  return Encoded + "checksum " + Sum + "\n";
}

/// Consumes "\p Name <len>\n<bytes>\n" from the front of \p In.
static Expected<StringRef> takeField(StringRef &In, StringRef Name) {
  if (!In.consume_front(Name) || !In.consume_front(" "))
    return makeError("expected field '" + Name + "'");
  size_t EOL = In.find('\n');
  uint64_t Len = 0;
  if (EOL == StringRef::npos || In.take_front(EOL).getAsInteger(10, Len) ||
      Len > In.size() - EOL - 1)
    return makeError("bad length for field '" + Name + "'");
  In = In.drop_front(EOL + 1);
  StringRef Value = In.take_front(Len);
  In = In.drop_front(Len);
  if (!In.consume_front("\n"))
    return makeError("field '" + Name + "' is not terminated");
  return Value;
}

Expected<CacheEntry> cache_detail::parseRecord(StringRef LHSHash,
                                               StringRef Record) {
  StringRef In = Record;
  if (!In.consume_front(EncodingHeader) || !In.consume_front("\n"))
    return makeError("not a neuropt cache record (bad header)");
  StringRef Values[std::size(FieldNames)];
  for (size_t I = 0; I < std::size(FieldNames); ++I) {
    Expected<StringRef> V = takeField(In, FieldNames[I]);
    if (!V)
      return V.takeError();
    Values[I] = *V;
  }
  size_t EncodedLen = Record.size() - In.size();
  StringRef Sum;
  if (!In.consume_front("checksum ") || In.size() != 17 || !In.ends_with("\n"))
    return makeError("missing or malformed checksum");
  Sum = In.drop_back();
  if (Sum != toHex64(stableHash(Record.take_front(EncodedLen))))
    return makeError("checksum mismatch");
  if (Values[0] != LHSHash)
    return makeError("record belongs to key '" + Values[0] + "'");

  CacheEntry E;
  if (Values[1] == "rewrite")
    E.Kind = CacheEntry::ResultKind::Rewrite;
  else if (Values[1] == "no-cheaper-form")
    E.Kind = CacheEntry::ResultKind::NoCheaperForm;
  else
    return makeError("unknown result kind '" + Values[1] + "'");
  E.RHS = Values[2].str();
  E.Certificate = Values[3].str();
  if (Values[4].getAsInteger(10, E.CostSaved) ||
      Values[6].getAsInteger(10, E.Timestamp))
    return makeError("malformed number");
  E.VerifierVersion = Values[5].str();
  if (Error Err = checkEntryForPut(LHSHash, E))
    return Err;
  return E;
}

Error cache_detail::checkEntryForPut(StringRef LHSHash,
                                     const CacheEntry &Entry) {
  if (LHSHash.empty())
    return makeError("empty LHS hash");
  if (Entry.isRewrite()) {
    if (Entry.RHS.empty())
      return makeError("a rewrite entry for '" + LHSHash + "' has no RHS");
    if (Entry.Certificate.empty())
      return makeError("refusing to cache the rewrite for '" + LHSHash +
                       "' without a proof certificate");
  } else if (!Entry.RHS.empty()) {
    return makeError("a 'no cheaper form' entry for '" + LHSHash +
                     "' carries an RHS");
  }
  return Error::success();
}

bool cache_detail::shouldReplace(OverwritePolicy Policy, const CacheEntry &New,
                                 const CacheEntry &Old) {
  switch (Policy) {
  case OverwritePolicy::Replace:
    return true;
  case OverwritePolicy::KeepExisting:
    return false;
  case OverwritePolicy::KeepBetter:
    return isBetterEntry(New, Old);
  }
  return false;
}

CacheEntry cache_detail::withTimestamp(const CacheEntry &Entry) {
  CacheEntry E = Entry;
  if (E.Timestamp == 0)
    E.Timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return E;
}

void cache_detail::warn(const CacheOptions &Options, const Twine &Message) {
  if (Options.Warn) {
    Options.Warn(Message.str());
    return;
  }
  errs() << "neuropt: warning: " << Message << "\n";
}

Error cache_detail::makeError(const Twine &Message) {
  return createStringError(inconvertibleErrorCode(), Message);
}

/// Parses "[:PASSWORD@]HOST[:PORT][/DB]" (HOST may be a bracketed IPv6
/// address).
static Expected<std::unique_ptr<SynthesisCache>>
openRedisURL(StringRef Spec, StringRef Rest, const CacheOptions &Options) {
  auto Bad = [&](const Twine &Why) {
    // Never echo a password.
    StringRef Shown = Spec.contains('@') ? "redis://..." : Spec;
    return makeError("bad cache URL '" + Shown + "': " + Why +
                     " (expected redis://[:PASSWORD@]HOST[:PORT][/DB])");
  };
  StringRef Authority = Rest, DBPart;
  size_t Slash = Rest.find('/');
  if (Slash != StringRef::npos) {
    Authority = Rest.take_front(Slash);
    DBPart = Rest.drop_front(Slash + 1);
  }
  CacheOptions WithAuth = Options;
  if (size_t At = Authority.rfind('@'); At != StringRef::npos) {
    StringRef UserInfo = Authority.take_front(At);
    Authority = Authority.drop_front(At + 1);
    if (!UserInfo.consume_front(":") || UserInfo.empty())
      return Bad("credentials must be ':PASSWORD@'");
    WithAuth.RedisPassword = UserInfo.str();
  }
  StringRef Host = Authority, PortPart;
  if (Authority.starts_with("[")) {
    size_t Close = Authority.find(']');
    if (Close == StringRef::npos)
      return Bad("unterminated '['");
    Host = Authority.slice(1, Close);
    StringRef After = Authority.drop_front(Close + 1);
    if (!After.empty() && !After.consume_front(":"))
      return Bad("junk after ']'");
    PortPart = After;
  } else if (size_t Colon = Authority.rfind(':'); Colon != StringRef::npos) {
    Host = Authority.take_front(Colon);
    PortPart = Authority.drop_front(Colon + 1);
  }
  if (Host.empty())
    return Bad("no host");
  unsigned Port = 6379, DB = 0;
  if (!PortPart.empty() &&
      (PortPart.getAsInteger(10, Port) || Port == 0 || Port > 65535))
    return Bad("bad port '" + PortPart + "'");
  if (!DBPart.empty() && DBPart.getAsInteger(10, DB))
    return Bad("bad database number '" + DBPart + "'");
  return createRedisCache(Host, Port, DB, WithAuth);
}

Expected<std::unique_ptr<SynthesisCache>>
neuropt::createCache(StringRef Spec, const CacheOptions &Options) {
  if (Spec.empty())
    return makeError("empty cache specification");
  StringRef Rest = Spec;
  if (Rest.consume_front("redis://"))
    return openRedisURL(Spec, Rest, Options);
  if (Rest.consume_front("sqlite:")) {
    if (Rest.empty())
      return makeError("bad cache specification '" + Spec + "': no path");
    return createSQLiteCache(Rest, Options);
  }
  if (Spec.contains("://"))
    return makeError("unknown cache URL scheme in '" + Spec +
                     "' (expected redis://HOST:PORT, sqlite:PATH or a path)");
  return createSQLiteCache(Spec, Options);
}

std::string neuropt::getDefaultCachePath() {
  SmallString<256> Dir;
  if (std::optional<std::string> D = sys::Process::GetEnv("NEUROPT_CACHE_DIR");
      D && !D->empty()) {
    Dir = *D;
  } else if (std::optional<std::string> X =
                 sys::Process::GetEnv("XDG_CACHE_HOME");
             X && !X->empty()) {
    Dir = *X;
    sys::path::append(Dir, "neuropt");
  } else if (sys::path::cache_directory(Dir)) {
    sys::path::append(Dir, "neuropt");
  } else {
    Dir = ".";
  }
  sys::path::append(Dir, "synthesis.sqlite");
  return Dir.str().str();
}
