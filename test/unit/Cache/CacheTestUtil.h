//===- CacheTestUtil.h - Shared helpers of the cache unit tests -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TEST_UNIT_CACHE_CACHETESTUTIL_H
#define NEUROPT_TEST_UNIT_CACHE_CACHETESTUTIL_H

#include "neuropt/Cache/Cache.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

namespace neuropt {
namespace testing {

/// A fresh directory, removed with everything in it at the end of the test.
class ScratchDir {
public:
  ScratchDir() {
    llvm::SmallString<128> P;
    std::error_code EC =
        llvm::sys::fs::createUniqueDirectory("neuropt-cache-test", P);
    EXPECT_FALSE(EC) << EC.message();
    Path = P.str().str();
  }
  ~ScratchDir() { llvm::sys::fs::remove_directories(Path); }
  std::string file(llvm::StringRef Name) const {
    llvm::SmallString<128> P(Path);
    llvm::sys::path::append(P, Name);
    return P.str().str();
  }
  std::string Path;
};

/// A rewrite with a fixed timestamp, so that entries compare equal after a
/// round trip.
inline CacheEntry makeRewrite(std::string RHS, int64_t Cost = 2) {
  CacheEntry E = CacheEntry::rewrite(
      std::move(RHS),
      "(set-logic QF_BV)\n(declare-const x (_ BitVec 32))\n"
      "(assert (not (= (bvmul x #x00000002) (bvshl x #x00000001))))\n"
      "(check-sat)\n; unsat\n",
      Cost, "neuropt-verify 0.1 / z3 4.13");
  E.Timestamp = 1763700000;
  return E;
}

inline CacheEntry makeNoCheaperForm() {
  CacheEntry E = CacheEntry::noCheaperForm(
      "; exhausted 3 instructions, 1000 ms", "neuropt-verify 0.1 / z3 4.13");
  E.Timestamp = 1763700000;
  return E;
}

/// Options whose warnings land in \p Sink instead of on stderr.
inline CacheOptions collectingOptions(std::vector<std::string> &Sink) {
  CacheOptions O;
  O.Warn = [&Sink](llvm::StringRef M) { Sink.push_back(M.str()); };
  return O;
}

} // namespace testing
} // namespace neuropt

#define ASSERT_OK_AND_ASSIGN(Var, Expr)                                        \
  auto Var##OrErr = (Expr);                                                    \
  ASSERT_TRUE(static_cast<bool>(Var##OrErr))                                   \
      << llvm::toString(Var##OrErr.takeError());                               \
  auto &Var = *Var##OrErr

#endif // NEUROPT_TEST_UNIT_CACHE_CACHETESTUTIL_H
