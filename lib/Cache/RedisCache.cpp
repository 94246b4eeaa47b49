//===- RedisCache.cpp - The Redis synthesis cache backend -----------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the shared cache of a build farm: entries live in a
// Redis server, reached through hiredis, under "<prefix><LHS hash>". Each
// value is a self-checking record (see makeRecord()), so a damaged value is
// rejected like a damaged SQLite row.
//
// Every connect and every command has a timeout, so a server that is down or
// stalled costs the compiler at most those limits: the operation fails with a
// clear error and the caller goes on without the cache. After a failure the
// backend retries with a growing delay (1 s to 64 s) rather than paying the
// connect timeout on every lookup.
//
// put() under KeepBetter or KeepExisting is a WATCH/MULTI/EXEC transaction,
// retried when another writer touched the key in between, in two pipelined
// round trips (WATCH+GET, then MULTI+SET+EXEC).
//
// Built without hiredis, createRedisCache() reports that instead.
//
//===----------------------------------------------------------------------===//

#include "CacheInternal.h"

using namespace llvm;
using namespace neuropt;
using namespace neuropt::cache_detail;

#ifndef NEUROPT_HAVE_HIREDIS

bool neuropt::hasRedisSupport() { return false; }

Expected<std::unique_ptr<SynthesisCache>>
neuropt::createRedisCache(StringRef Host, unsigned Port, unsigned Database,
                          const CacheOptions &Options) {
  return makeError("cannot use the Redis cache at " + Host + ":" +
                   Twine(Port) +
                   ": neuropt was built without Redis support (hiredis was "
                   "not found at configure time)");
}

#else

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"

#include "DynamicLibs.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <vector>

namespace {

struct ContextFree {
  void operator()(redisContext *C) const { hiredis().redisFree(C); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextFree>;

struct ReplyFree {
  void operator()(redisReply *R) const { hiredis().freeReplyObject(R); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

timeval toTimeval(unsigned Ms) {
  timeval TV;
  TV.tv_sec = Ms / 1000;
  TV.tv_usec = (Ms % 1000) * 1000;
  return TV;
}

/// Escapes the glob characters of \p S for SCAN MATCH.
std::string globEscape(StringRef S) {
  std::string Out;
  for (char C : S) {
    if (C == '*' || C == '?' || C == '[' || C == ']' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out;
}

class RedisCache final : public SynthesisCache {
public:
  RedisCache(std::string Host, unsigned Port, unsigned Database,
             CacheOptions Options)
      : Host(std::move(Host)), Port(Port), Database(Database),
        Options(std::move(Options)) {}

  Error connect();

  Expected<std::optional<CacheEntry>> get(StringRef LHSHash) override;
  Expected<bool> put(StringRef LHSHash, const CacheEntry &Entry,
                     OverwritePolicy Policy) override;
  Expected<bool> erase(StringRef LHSHash) override;
  Expected<uint64_t> size() override;

  CacheStats stats() const override {
    std::lock_guard<std::mutex> Guard(Mu);
    return Stats;
  }
  std::string describe() const override {
    return "redis://" + Where() + "/" + std::to_string(Database);
  }

private:
  std::string Where() const {
    bool V6 = StringRef(Host).contains(':');
    return (V6 ? "[" + Host + "]" : Host) + ":" + std::to_string(Port);
  }
  std::string key(StringRef LHSHash) const {
    return Options.RedisKeyPrefix + LHSHash.str();
  }
  /// Sends \p Cmds in one write and reads their replies: one round trip.
  /// Reconnects first when the connection was lost. Fails on an I/O error,
  /// a timeout, or an error reply to any of them.
  Expected<std::vector<ReplyPtr>>
  pipeline(ArrayRef<std::vector<StringRef>> Cmds);
  Expected<ReplyPtr> command(ArrayRef<StringRef> Args);
  Error fail(const Twine &Why);
  /// Deletes \p Key if it still holds the rejected value \p Damaged, and not
  /// a value another client stored since.
  void dropIfUnchanged(StringRef Key, StringRef Damaged);
  /// Describes the I/O error on Ctx.
  std::string ioError() const;
  /// Drops the connection after a failure and schedules the next attempt.
  void markDown(std::string Why);

  const std::string Host;
  const unsigned Port;
  const unsigned Database;
  const CacheOptions Options;
  mutable std::mutex Mu;
  CacheStats Stats;
  ContextPtr Ctx;
  /// When the connection is down, no reconnect is tried before this.
  std::chrono::steady_clock::time_point RetryAfter;
  std::chrono::seconds RetryDelay{1};
  std::string LastError;
};

} // namespace

std::string RedisCache::ioError() const {
  // hiredis reports a read or write timeout as EAGAIN.
  if (Ctx->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK))
    return "no reply within " + std::to_string(Options.CommandTimeoutMs) +
           " ms";
  if (Ctx->err == REDIS_ERR_EOF)
    return "the server closed the connection";
  return Ctx->errstr;
}

Error RedisCache::connect() {
  Ctx.reset(
      hiredis().redisConnectWithTimeout(Host.c_str(), static_cast<int>(Port),
                                        toTimeval(Options.ConnectTimeoutMs)));
  if (!Ctx)
    return makeError("cannot connect to the Redis cache at " + Where() +
                     ": out of memory");
  if (Ctx->err) {
    std::string Why = Ctx->errstr;
    Ctx.reset();
    return makeError("cannot connect to the Redis cache at " + Where() + ": " +
                     Why);
  }
  if (hiredis().redisSetTimeout(
          Ctx.get(), toTimeval(Options.CommandTimeoutMs)) != REDIS_OK) {
    Ctx.reset();
    return makeError("cannot set timeouts on the connection to " + Where());
  }
  // PING proves that a Redis server, not some other service, answers.
  std::string DBText = std::to_string(Database);
  std::vector<std::vector<StringRef>> Hello;
  if (!Options.RedisPassword.empty())
    Hello.push_back({"AUTH", Options.RedisPassword});
  Hello.push_back({"PING"});
  Hello.push_back({"SELECT", DBText});
  for (const std::vector<StringRef> &Cmd : Hello) {
    std::vector<const char *> Argv;
    std::vector<size_t> Lens;
    for (StringRef A : Cmd) {
      Argv.push_back(A.data());
      Lens.push_back(A.size());
    }
    ReplyPtr R(static_cast<redisReply *>(hiredis().redisCommandArgv(
        Ctx.get(), Argv.size(), Argv.data(), Lens.data())));
    if (!R) {
      std::string Why = ioError();
      Ctx.reset();
      return makeError("the Redis cache at " + Where() + " did not answer " +
                       Cmd[0] + ": " + Why);
    }
    if (R->type == REDIS_REPLY_ERROR) {
      std::string Why(R->str, R->len);
      Ctx.reset();
      return makeError("the Redis cache at " + Where() + " refused " + Cmd[0] +
                       ": " + Why);
    }
  }
  return Error::success();
}

void RedisCache::markDown(std::string Why) {
  Ctx.reset();
  LastError = std::move(Why);
  // Back off (1 s, 2 s, ... 64 s) so that an unreachable server costs at most
  // one connect timeout per delay, not one per lookup.
  RetryAfter = std::chrono::steady_clock::now() + RetryDelay;
  RetryDelay = std::min(RetryDelay * 2, std::chrono::seconds(64));
}

Error RedisCache::fail(const Twine &Why) {
  ++Stats.Errors;
  return makeError("Redis cache at " + Where() + ": " + Why);
}

Expected<std::vector<ReplyPtr>>
RedisCache::pipeline(ArrayRef<std::vector<StringRef>> Cmds) {
  if (!Ctx) {
    if (std::chrono::steady_clock::now() < RetryAfter)
      return fail("unavailable (" + LastError + ")");
    if (Error E = connect()) {
      markDown(toString(std::move(E)));
      ++Stats.Errors;
      return makeError(LastError);
    }
  }
  std::vector<const char *> Argv;
  std::vector<size_t> Lens;
  for (const std::vector<StringRef> &Args : Cmds) {
    Argv.clear();
    Lens.clear();
    for (StringRef A : Args) {
      Argv.push_back(A.data());
      Lens.push_back(A.size());
    }
    if (hiredis().redisAppendCommandArgv(Ctx.get(), Argv.size(), Argv.data(),
                                         Lens.data()) != REDIS_OK) {
      Ctx.reset();
      return fail(Args[0] + " could not be queued (out of memory)");
    }
  }
  std::vector<ReplyPtr> Replies;
  for (const std::vector<StringRef> &Args : Cmds) {
    void *Raw = nullptr;
    if (hiredis().redisGetReply(Ctx.get(), &Raw) != REDIS_OK || !Raw) {
      // The connection is unusable after an I/O error or a timeout.
      markDown(ioError());
      return fail(Args[0] + " failed: " + LastError);
    }
    Replies.emplace_back(static_cast<redisReply *>(Raw));
  }
  RetryDelay = std::chrono::seconds(1);
  for (size_t I = 0; I < Cmds.size(); ++I)
    if (Replies[I]->type == REDIS_REPLY_ERROR) {
      std::string Why(Replies[I]->str, Replies[I]->len);
      // Replies may be left half-consumed in a transaction; start afresh.
      if (Cmds.size() > 1)
        Ctx.reset();
      return fail(Cmds[I][0] + " failed: " + Why);
    }
  return Replies;
}

Expected<ReplyPtr> RedisCache::command(ArrayRef<StringRef> Args) {
  Expected<std::vector<ReplyPtr>> R = pipeline({Args.vec()});
  if (!R)
    return R.takeError();
  return std::move(R->front());
}

Expected<std::optional<CacheEntry>> RedisCache::get(StringRef LHSHash) {
  std::lock_guard<std::mutex> Guard(Mu);
  std::string K = key(LHSHash);
  Expected<ReplyPtr> R = command({"GET", K});
  if (!R)
    return R.takeError();
  if ((*R)->type == REDIS_REPLY_NIL) {
    ++Stats.Misses;
    return std::nullopt;
  }
  if ((*R)->type != REDIS_REPLY_STRING)
    return fail("unexpected reply to GET");
  StringRef Record((*R)->str, (*R)->len);
  Expected<CacheEntry> E = parseRecord(LHSHash, Record);
  if (E) {
    ++Stats.Hits;
    return std::optional<CacheEntry>(std::move(*E));
  }
  ++Stats.Rejected;
  warn(Options, "Redis cache at " + Where() + ": ignoring the damaged entry "
                "for '" + LHSHash + "' (" + toString(E.takeError()) + ")");
  dropIfUnchanged(K, Record);
  return std::nullopt;
}

void RedisCache::dropIfUnchanged(StringRef Key, StringRef Damaged) {
  // Failures only mean that the damaged value stays; it is rejected again.
  Expected<std::vector<ReplyPtr>> WG = pipeline({{"WATCH", Key}, {"GET", Key}});
  if (!WG) {
    consumeError(WG.takeError());
    return;
  }
  redisReply *Cur = (*WG)[1].get();
  bool Same = Cur->type == REDIS_REPLY_STRING &&
              StringRef(Cur->str, Cur->len) == Damaged;
  Expected<std::vector<ReplyPtr>> Done =
      Same ? pipeline({{"MULTI"}, {"DEL", Key}, {"EXEC"}})
           : pipeline({{"UNWATCH"}});
  if (!Done)
    consumeError(Done.takeError());
}

Expected<bool> RedisCache::put(StringRef LHSHash, const CacheEntry &Entry,
                               OverwritePolicy Policy) {
  if (Error E = checkEntryForPut(LHSHash, Entry))
    return E;
  CacheEntry New = withTimestamp(Entry);
  std::string Record = makeRecord(LHSHash, New);
  std::lock_guard<std::mutex> Guard(Mu);
  std::string K = key(LHSHash);
  if (Policy == OverwritePolicy::Replace) {
    Expected<ReplyPtr> R = command({"SET", K, Record});
    if (!R)
      return R.takeError();
    ++Stats.Stores;
    return true;
  }
  // Optimistic transaction: EXEC fails (nil reply) when another client
  // changed the key after WATCH, and the decision is made again. A failure
  // half-way drops the connection, so that no WATCH or MULTI state leaks
  // into later commands.
  bool Done = false;
  scope_exit DropUnlessDone([&] {
    if (!Done)
      Ctx.reset();
  });
  for (int Attempt = 0; Attempt < 64; ++Attempt) {
    Expected<std::vector<ReplyPtr>> WG = pipeline({{"WATCH", K}, {"GET", K}});
    if (!WG)
      return WG.takeError();
    ReplyPtr &Cur = (*WG)[1];
    if (Cur->type == REDIS_REPLY_STRING) {
      Expected<CacheEntry> Old =
          parseRecord(LHSHash, StringRef(Cur->str, Cur->len));
      if (!Old) {
        ++Stats.Rejected;
        warn(Options, "Redis cache at " + Where() +
                          ": replacing the damaged entry for '" + LHSHash +
                          "' (" + toString(Old.takeError()) + ")");
      } else if (!shouldReplace(Policy, New, *Old)) {
        Expected<ReplyPtr> U = command({"UNWATCH"});
        if (!U)
          return U.takeError();
        Done = true;
        ++Stats.KeptExisting;
        return false;
      }
    }
    Expected<std::vector<ReplyPtr>> MSX =
        pipeline({{"MULTI"}, {"SET", K, Record}, {"EXEC"}});
    if (!MSX)
      return MSX.takeError();
    ReplyPtr &X = (*MSX)[2];
    if (X->type == REDIS_REPLY_ARRAY) {
      Done = true;
      ++Stats.Stores;
      return true;
    }
  }
  Done = true;
  return fail("writing '" + LHSHash + "' kept conflicting with other writers");
}

Expected<bool> RedisCache::erase(StringRef LHSHash) {
  std::lock_guard<std::mutex> Guard(Mu);
  Expected<ReplyPtr> R = command({"DEL", key(LHSHash)});
  if (!R)
    return R.takeError();
  bool Removed = (*R)->type == REDIS_REPLY_INTEGER && (*R)->integer > 0;
  if (Removed)
    ++Stats.Erases;
  return Removed;
}

Expected<uint64_t> RedisCache::size() {
  std::lock_guard<std::mutex> Guard(Mu);
  std::string Pattern = globEscape(Options.RedisKeyPrefix) + "*";
  std::string Cursor = "0";
  // SCAN may return a key more than once.
  StringSet<> Seen;
  do {
    Expected<ReplyPtr> R =
        command({"SCAN", Cursor, "MATCH", Pattern, "COUNT", "1000"});
    if (!R)
      return R.takeError();
    redisReply *Rep = R->get();
    if (Rep->type != REDIS_REPLY_ARRAY || Rep->elements != 2 ||
        Rep->element[0]->type != REDIS_REPLY_STRING ||
        Rep->element[1]->type != REDIS_REPLY_ARRAY)
      return fail("unexpected reply to SCAN");
    Cursor.assign(Rep->element[0]->str, Rep->element[0]->len);
    for (size_t I = 0; I < Rep->element[1]->elements; ++I) {
      redisReply *Key = Rep->element[1]->element[I];
      if (Key->type == REDIS_REPLY_STRING)
        Seen.insert(StringRef(Key->str, Key->len));
    }
  } while (Cursor != "0");
  return static_cast<uint64_t>(Seen.size());
}

bool neuropt::hasRedisSupport() { return true; }

Expected<std::unique_ptr<SynthesisCache>>
neuropt::createRedisCache(StringRef Host, unsigned Port, unsigned Database,
                          const CacheOptions &Options) {
  if (Host.empty())
    return makeError("empty Redis host");
  if (Expected<const HiredisLib &> Lib = loadHiredis(); !Lib)
    return makeError("cannot use the Redis cache at " + Host + ":" +
                     Twine(Port) + ": " + toString(Lib.takeError()));
  auto C = std::make_unique<RedisCache>(Host.str(), Port, Database, Options);
  if (Error E = C->connect())
    return E;
  return std::unique_ptr<SynthesisCache>(std::move(C));
}

#endif // NEUROPT_HAVE_HIREDIS
