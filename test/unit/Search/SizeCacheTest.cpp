//===- SizeCacheTest.cpp - Unit tests for neuropt-size's cache records ----===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/SizeCache.h"


#include "gtest/gtest.h"

#include <vector>

using namespace llvm;
using namespace neuropt;

namespace {

/// Decodes \p E, failing the test with the error if it does not decode.
SizeCacheRecord decoded(const CacheEntry &E) {
  Expected<SizeCacheRecord> R = decodeSizeRecord(E);
  if (!R) {
    ADD_FAILURE() << toString(R.takeError());
    return {};
  }
  return *R;
}

bool refused(const CacheEntry &E) {
  Expected<SizeCacheRecord> R = decodeSizeRecord(E);
  if (R)
    return false;
  consumeError(R.takeError());
  return true;
}

SizeCacheRecord found(std::string Pipeline, uint64_t Stock, uint64_t Obj) {
  SizeCacheRecord R;
  R.Pipeline = std::move(Pipeline);
  R.StockObjective = Stock;
  R.Objective = Obj;
  R.Coreset = "0123456789abcdef";
  R.Tried = 0b101;
  R.SearchEvaluations = 16;
  return R;
}

TEST(SizeCache, RecordsRoundTripThroughCacheEntries) {
  SizeCacheRecord R = found("always-inline,mergefunc", 1000, 960);
  R.Extension = "fedcba9876543210";
  CacheEntry E = encodeSizeRecord(R);
  EXPECT_TRUE(E.isRewrite());
  EXPECT_EQ(E.RHS, "always-inline,mergefunc");
  EXPECT_EQ(E.CostSaved, 40);
  EXPECT_EQ(E.VerifierVersion, kSizeCacheFormat);
  EXPECT_EQ(decoded(E), R);

  SizeCacheRecord None;
  None.StockObjective = None.Objective = 500;
  None.FromStock = false;
  CacheEntry N = encodeSizeRecord(None);
  EXPECT_FALSE(N.isRewrite());
  EXPECT_EQ(decoded(N), None);

  SizeCacheRecord Ext = found("mergefunc", 800, 790);
  Ext.FromStock = true;
  EXPECT_TRUE(decoded(encodeSizeRecord(Ext)).FromStock);
}

TEST(SizeCache, ForeignOrInconsistentEntriesAreRefused) {
  // A synthesis entry in the same store.
  EXPECT_TRUE(refused(CacheEntry::rewrite("%r = add i8 %x, 1", "(check-sat)",
                                           1, "neuropt-superopt/1")));
  CacheEntry E = encodeSizeRecord(found("mergefunc", 1000, 960));
  CacheEntry Saving = E;
  Saving.CostSaved = 41; // disagrees with the sizes
  EXPECT_TRUE(refused(Saving));
  CacheEntry Larger = encodeSizeRecord(found("mergefunc", 1000, 1000));
  EXPECT_TRUE(refused(Larger));
  CacheEntry Truncated = E;
  Truncated.Certificate.resize(Truncated.Certificate.size() / 2);
  EXPECT_TRUE(refused(Truncated));
  CacheEntry Garbled = E;
  Garbled.Certificate.replace(Garbled.Certificate.find("tried 5"), 7,
                              "tried x");
  EXPECT_TRUE(refused(Garbled));
}

TEST(SizeCache, PlanFollowsWhatEarlierRunsTried) {
  std::vector<unsigned> Top1 = {0}, Top2 = {0, 1}, Top3 = {2, 0};
  SizeCacheEffort E{"0123456789abcdef", Top1, 0, ""};
  EXPECT_EQ(planSizeRun(std::nullopt, E), SizeCachePlan::Full);

  SizeCacheRecord R = found("mergefunc", 1000, 960); // tried 0 and 2
  EXPECT_EQ(planSizeRun(R, E), SizeCachePlan::CachedOnly);
  E.Sequences = Top3;
  EXPECT_EQ(planSizeRun(R, E), SizeCachePlan::CachedOnly);
  E.Sequences = Top2; // sequence 1 was never measured
  EXPECT_EQ(planSizeRun(R, E), SizeCachePlan::CachedFirst);
  E.Sequences = Top1;
  E.SearchEvaluations = 17; // more search than the record spent
  EXPECT_EQ(planSizeRun(R, E), SizeCachePlan::CachedFirst);
  E.SearchEvaluations = 16;
  E.Extension = "fedcba9876543210"; // an extension it never ran
  EXPECT_EQ(planSizeRun(R, E), SizeCachePlan::CachedFirst);
  R.Extension = E.Extension;
  EXPECT_EQ(planSizeRun(R, E), SizeCachePlan::CachedOnly);
  E.Coreset = "1111111111111111"; // another coreset: its indices mean nothing
  EXPECT_EQ(planSizeRun(R, E), SizeCachePlan::CachedFirst);

  SizeCacheRecord Nothing = found("", 1000, 1000);
  E.Coreset = Nothing.Coreset;
  E.Extension = "";
  EXPECT_EQ(planSizeRun(Nothing, E), SizeCachePlan::KeepStock);
  E.Sequences = Top2;
  EXPECT_EQ(planSizeRun(Nothing, E), SizeCachePlan::Full);

  std::vector<unsigned> Far = {70}; // past the mask: never covered
  E.Sequences = Far;
  EXPECT_EQ(planSizeRun(Nothing, E), SizeCachePlan::Full);
}

TEST(SizeCache, MergeAddsEffortAndKeepsTheNewBest) {
  std::vector<unsigned> Seqs = {1, 3};
  SizeCacheEffort E{"0123456789abcdef", Seqs, 8, "fedcba9876543210"};
  SizeCacheRecord Old = found("mergefunc", 1000, 960);
  SizeCacheRecord M =
      mergeSizeRecord(Old, E, 8, found("mergefunc,iroutliner", 1000, 950));
  EXPECT_EQ(M.Pipeline, "mergefunc,iroutliner");
  EXPECT_EQ(M.Objective, 950u);
  EXPECT_EQ(M.Tried, 0b1111u);
  EXPECT_EQ(M.SearchEvaluations, 24u);
  EXPECT_EQ(M.Extension, "fedcba9876543210");

  // Without a record to build on, only this run's effort counts.
  SizeCacheRecord Fresh = mergeSizeRecord(std::nullopt, E, 8, found("", 1000, 1000));
  EXPECT_EQ(Fresh.Tried, 0b1010u);
  EXPECT_EQ(Fresh.SearchEvaluations, 8u);

  // What another coreset tried does not carry over.
  SizeCacheRecord Other = Old;
  Other.Coreset = "1111111111111111";
  EXPECT_EQ(mergeSizeRecord(Other, E, 0, found("mergefunc", 1000, 960)).Tried,
            0b1010u);
}

TEST(SizeCache, KeyIsTheBitcodeDigest) {
  std::string K = getSizeCacheKey("BC\xC0\xDE");
  EXPECT_EQ(K.size(), 5u + 64u);
  EXPECT_EQ(K.substr(0, 5), "size:");
  EXPECT_EQ(K, getSizeCacheKey("BC\xC0\xDE"));
  EXPECT_NE(K, getSizeCacheKey("BC\xC0\xDF"));
  EXPECT_EQ(getSizeCacheKey(""),
            "size:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

} // namespace
