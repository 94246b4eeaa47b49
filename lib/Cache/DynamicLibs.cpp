//===- DynamicLibs.cpp - SQLite and hiredis, loaded on first use ----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "DynamicLibs.h"
#include "CacheInternal.h"

#include <cstdlib>
#include <dlfcn.h>
#include <string>

using namespace llvm;
using namespace neuropt;
using namespace neuropt::cache_detail;

#ifndef NEUROPT_SQLITE_SONAME
#define NEUROPT_SQLITE_SONAME "libsqlite3.so.0"
#endif
#ifndef NEUROPT_HIREDIS_SONAME
#define NEUROPT_HIREDIS_SONAME "libhiredis.so"
#endif

// The sanitizer runtimes refuse RTLD_DEEPBIND: without it a library binds
// through the global scope, which is slower but the same.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define NEUROPT_NO_DEEPBIND 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||     \
    __has_feature(memory_sanitizer)
#define NEUROPT_NO_DEEPBIND 1
#endif
#endif

namespace {

/// A library loaded once per process, or why it could not be.
template <typename Table> struct Loaded {
  Table Lib;
  /// Empty when the library loaded.
  std::string Error;
};

/// Opens $EnvVar, else \p Soname; never closed, since connections and
/// statements may outlive any one cache. Sets \p Name to what was opened.
void *openLibrary(const char *EnvVar, const char *Soname, std::string &Name,
                  std::string &Error) {
  const char *Env = std::getenv(EnvVar);
  Name = Env && *Env ? Env : Soname;
  int Flags = RTLD_NOW | RTLD_LOCAL;
#if defined(RTLD_DEEPBIND) && !defined(NEUROPT_NO_DEEPBIND)
  Flags |= RTLD_DEEPBIND;
#endif
  void *Handle = ::dlopen(Name.c_str(), Flags);
  if (!Handle) {
    const char *Why = ::dlerror();
    Error = "cannot load the library '" + Name +
            "': " + (Why ? Why : "unknown error");
  }
  return Handle;
}

/// Looks \p Symbol up in \p Handle; adds it to \p Missing when absent.
template <typename Fn>
void resolve(void *Handle, const char *Symbol, Fn &Slot, std::string &Missing) {
  Slot = reinterpret_cast<Fn>(::dlsym(Handle, Symbol));
  if (!Slot)
    Missing += std::string(Missing.empty() ? "" : ", ") + Symbol;
}

/// Opens $EnvVar, else \p Soname, as the \p What library and fills its
/// table with \p ResolveAll(Handle, Table, Missing); \p Name is set to what
/// was opened.
template <typename Table, typename ResolveAllFn>
Loaded<Table> loadTable(const char *EnvVar, const char *Soname, StringRef What,
                        std::string &Name, ResolveAllFn ResolveAll) {
  Loaded<Table> L;
  void *Handle = openLibrary(EnvVar, Soname, Name, L.Error);
  if (!Handle)
    return L;
  std::string Missing;
  ResolveAll(Handle, L.Lib, Missing);
  if (!Missing.empty())
    L.Error = ("the " + What + " library '" + Name + "' lacks " + Missing).str();
  return L;
}

Loaded<SQLiteLib> loadSQLiteOnce() {
  std::string Name;
  Loaded<SQLiteLib> L = loadTable<SQLiteLib>(
      "NEUROPT_SQLITE_LIBRARY", NEUROPT_SQLITE_SONAME, "SQLite", Name,
      [](void *Handle, SQLiteLib &Lib, std::string &Missing) {
#define NEUROPT_SQLITE_RESOLVE(Fn)                                             \
  resolve(Handle, "sqlite3_" #Fn, Lib.Fn, Missing);
        NEUROPT_SQLITE_FUNCTIONS(NEUROPT_SQLITE_RESOLVE)
#undef NEUROPT_SQLITE_RESOLVE
      });
  if (!L.Error.empty())
    return L;
  // A library older than the headers may lack behaviour that dlsym cannot
  // see; a newer minor version is compatible.
  int Version = L.Lib.libversion_number();
  if (Version / 1000000 != SQLITE_VERSION_NUMBER / 1000000 ||
      Version < SQLITE_VERSION_NUMBER / 1000 * 1000)
    L.Error = "the SQLite library '" + Name + "' is version " +
              std::to_string(Version) + ", older than the " +
              std::to_string(SQLITE_VERSION_NUMBER) + " neuropt was built with";
  return L;
}

/// \p L's table, or its error.
template <typename Table>
Expected<const Table &> checked(const Loaded<Table> &L) {
  if (!L.Error.empty())
    return makeError(L.Error);
  return L.Lib;
}

} // namespace

Expected<const SQLiteLib &> neuropt::cache_detail::loadSQLite() {
  static const Loaded<SQLiteLib> L = loadSQLiteOnce();
  return checked(L);
}

const SQLiteLib &neuropt::cache_detail::sqlite() {
  return cantFail(loadSQLite(), "sqlite() before a successful loadSQLite()");
}

#ifdef NEUROPT_HAVE_HIREDIS
namespace {

Loaded<HiredisLib> loadHiredisOnce() {
  std::string Name;
  return loadTable<HiredisLib>(
      "NEUROPT_HIREDIS_LIBRARY", NEUROPT_HIREDIS_SONAME, "hiredis", Name,
      [](void *Handle, HiredisLib &Lib, std::string &Missing) {
#define NEUROPT_HIREDIS_RESOLVE(Fn) resolve(Handle, #Fn, Lib.Fn, Missing);
        NEUROPT_HIREDIS_FUNCTIONS(NEUROPT_HIREDIS_RESOLVE)
#undef NEUROPT_HIREDIS_RESOLVE
      });
}

} // namespace

Expected<const HiredisLib &> neuropt::cache_detail::loadHiredis() {
  static const Loaded<HiredisLib> L = loadHiredisOnce();
  return checked(L);
}

const HiredisLib &neuropt::cache_detail::hiredis() {
  return cantFail(loadHiredis(), "hiredis() before a successful loadHiredis()");
}
#endif
