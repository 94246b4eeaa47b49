//===- EvalDB.h - SQLite helpers of neuropt-eval's corpus commands -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The corpus database (corpus.db of neuropt-corpus) as neuropt-eval's label,
// sweep, coreset and dataset commands use it: opened read-write in WAL mode
// with a busy timeout, so shards can run in parallel processes.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_NEUROPT_EVAL_EVALDB_H
#define NEUROPT_TOOLS_NEUROPT_EVAL_EVALDB_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <sqlite3.h>

#include <memory>
#include <string>

namespace neuropt {

/// A prepared statement that finalizes itself.
class Stmt {
public:
  Stmt(sqlite3 *DB, const char *SQL) {
    if (sqlite3_prepare_v2(DB, SQL, -1, &S, nullptr) != SQLITE_OK)
      S = nullptr;
  }
  ~Stmt() { sqlite3_finalize(S); }
  Stmt(const Stmt &) = delete;
  Stmt &operator=(const Stmt &) = delete;
  sqlite3_stmt *get() const { return S; }
  explicit operator bool() const { return S != nullptr; }

private:
  sqlite3_stmt *S = nullptr;
};

inline llvm::Error sqlError(sqlite3 *DB, const llvm::Twine &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                 What.str().c_str(), sqlite3_errmsg(DB));
}

inline llvm::Error execSQL(sqlite3 *DB, const char *SQL) {
  char *Msg = nullptr;
  if (sqlite3_exec(DB, SQL, nullptr, nullptr, &Msg) != SQLITE_OK) {
    std::string M = Msg ? Msg : "unknown error";
    sqlite3_free(Msg);
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s",
                                   M.c_str());
  }
  return llvm::Error::success();
}

inline const char *columnText(sqlite3_stmt *S, int Col) {
  const unsigned char *T = sqlite3_column_text(S, Col);
  return T ? reinterpret_cast<const char *>(T) : "";
}

struct SQLiteCloser {
  void operator()(sqlite3 *DB) const { sqlite3_close(DB); }
};
using SQLiteDB = std::unique_ptr<sqlite3, SQLiteCloser>;

/// Opens `<CorpusDir>/corpus.db` read-write, in WAL mode with a 30 s busy
/// timeout.
llvm::Expected<SQLiteDB> openCorpusDB(llvm::StringRef CorpusDir);

} // namespace neuropt

#endif // NEUROPT_TOOLS_NEUROPT_EVAL_EVALDB_H
