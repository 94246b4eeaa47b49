//===- DynamicLibs.h - SQLite and hiredis, loaded on first use --*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Private to lib/Cache. The backends reach libsqlite3 and libhiredis through
// tables of functions rather than by linking them, for compile time: linked,
// both libraries are loaded with the plugin by every clang process, and
// binding SQLite's ~1,600 symbol references against clang's global scope
// (libLLVM and libclang-cpp first) cost about 2.4 M instructions per compile,
// more than half of what loading the plugin cost. Loaded here, only a
// compile that opens a cache pays, and with RTLD_DEEPBIND a library binds to
// itself first, which cuts SQLite's cost to about 0.9 M instructions
// (bench/results/superopt.md).
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_LIB_CACHE_DYNAMICLIBS_H
#define NEUROPT_LIB_CACHE_DYNAMICLIBS_H

#include "llvm/Support/Error.h"

#include <sqlite3.h>
#ifdef NEUROPT_HAVE_HIREDIS
#include <hiredis/hiredis.h>
#endif

namespace neuropt {
namespace cache_detail {

/// The SQLite functions lib/Cache uses, without their "sqlite3_" prefix.
#define NEUROPT_SQLITE_FUNCTIONS(X)                                            \
  X(bind_int64)                                                                \
  X(bind_text)                                                                 \
  X(busy_timeout)                                                              \
  X(changes)                                                                   \
  X(clear_bindings)                                                            \
  X(close_v2)                                                                  \
  X(column_bytes)                                                              \
  X(column_int64)                                                              \
  X(column_text)                                                               \
  X(errmsg)                                                                    \
  X(errstr)                                                                    \
  X(exec)                                                                      \
  X(extended_result_codes)                                                     \
  X(finalize)                                                                  \
  X(get_autocommit)                                                            \
  X(libversion_number)                                                         \
  X(open_v2)                                                                   \
  X(prepare_v2)                                                                \
  X(prepare_v3)                                                                \
  X(reset)                                                                     \
  X(step)

struct SQLiteLib {
#define NEUROPT_SQLITE_MEMBER(Name) decltype(&::sqlite3_##Name) Name = nullptr;
  NEUROPT_SQLITE_FUNCTIONS(NEUROPT_SQLITE_MEMBER)
#undef NEUROPT_SQLITE_MEMBER
};

/// Loads the SQLite library once per process: $NEUROPT_SQLITE_LIBRARY when
/// set (tests use it to simulate a missing library), else the soname the
/// build was configured with. Fails with a message that names the library
/// when it cannot be loaded, lacks a function, or is older than the headers
/// neuropt was built with.
llvm::Expected<const SQLiteLib &> loadSQLite();

/// The loaded library; only valid after loadSQLite() succeeded.
const SQLiteLib &sqlite();

#ifdef NEUROPT_HAVE_HIREDIS
/// The hiredis functions lib/Cache uses.
#define NEUROPT_HIREDIS_FUNCTIONS(X)                                           \
  X(freeReplyObject)                                                           \
  X(redisAppendCommandArgv)                                                    \
  X(redisCommandArgv)                                                          \
  X(redisConnectWithTimeout)                                                   \
  X(redisFree)                                                                 \
  X(redisGetReply)                                                             \
  X(redisSetTimeout)

struct HiredisLib {
#define NEUROPT_HIREDIS_MEMBER(Name) decltype(&::Name) Name = nullptr;
  NEUROPT_HIREDIS_FUNCTIONS(NEUROPT_HIREDIS_MEMBER)
#undef NEUROPT_HIREDIS_MEMBER
};

/// As loadSQLite(), for hiredis ($NEUROPT_HIREDIS_LIBRARY).
llvm::Expected<const HiredisLib &> loadHiredis();

/// The loaded library; only valid after loadHiredis() succeeded.
const HiredisLib &hiredis();
#endif

} // namespace cache_detail
} // namespace neuropt

#endif // NEUROPT_LIB_CACHE_DYNAMICLIBS_H
