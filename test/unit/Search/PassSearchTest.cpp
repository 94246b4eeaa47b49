//===- PassSearchTest.cpp - Unit tests for the pass-sequence search -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/PassSearch.h"

#include "llvm/ADT/STLExtras.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace llvm;
using namespace neuropt;

namespace {

TEST(PassSearch, StepsOfSplitsAtTopLevelCommasInFirstSeenOrder) {
  std::vector<std::string> Pipelines = {
      "always-inline,function(sroa,early-cse),mergefunc",
      "mergefunc,cgscc(devirt<4>(inline,function(instcombine))),always-inline",
      "function(simplifycfg<bonus-inst-threshold=1;keep-loops>)"};
  std::vector<std::string> Expected = {
      "always-inline", "function(sroa,early-cse)", "mergefunc",
      "cgscc(devirt<4>(inline,function(instcombine)))",
      "function(simplifycfg<bonus-inst-threshold=1;keep-loops>)"};
  EXPECT_EQ(stepsOf(Pipelines), Expected);
  EXPECT_TRUE(stepsOf({}).empty());
}

TEST(PassSearch, MutationsAreDeterministicAndDrawFromTheVocabulary) {
  std::vector<std::string> Vocab = {"a", "b", "c"};
  PassSequence Start{{"x", "y", "z", "w"}};
  SplitMix64 R1(7), R2(7), R3(8);
  bool Changed = false, Differs = false;
  for (unsigned I = 0; I < 200; ++I) {
    PassSequence M1 = mutateSequence(Start, Vocab, R1);
    PassSequence M2 = mutateSequence(Start, Vocab, R2);
    PassSequence M3 = mutateSequence(Start, Vocab, R3);
    EXPECT_EQ(M1.Steps, M2.Steps); // the same seed, the same edits
    Changed |= M1.Steps != Start.Steps;
    Differs |= M1.Steps != M3.Steps;
    EXPECT_FALSE(M1.Steps.empty());
    // 1 to 3 edits: at most 3 steps more or fewer.
    EXPECT_LE(M1.Steps.size(), Start.Steps.size() + 3);
    EXPECT_GE(M1.Steps.size() + 3, Start.Steps.size());
    for (const std::string &S : M1.Steps)
      EXPECT_TRUE(is_contained(Start.Steps, S) || is_contained(Vocab, S)) << S;
  }
  EXPECT_TRUE(Changed);
  EXPECT_TRUE(Differs);
}

TEST(PassSearch, MutationsNeverEmptyASequence) {
  std::vector<std::string> Vocab = {"a"};
  SplitMix64 R(1);
  PassSequence S{{"only"}};
  for (unsigned I = 0; I < 500; ++I) {
    S = mutateSequence(S, Vocab, R);
    ASSERT_FALSE(S.Steps.empty());
    if (S.Steps.size() > 4)
      S.Steps.resize(1);
  }
}

TEST(PassSearch, RequireAlwaysInlineAddsItOnce) {
  PassSequence S{{"mergefunc"}};
  requireAlwaysInline(S);
  EXPECT_EQ(S.str(), "always-inline,mergefunc");
  requireAlwaysInline(S);
  EXPECT_EQ(S.str(), "always-inline,mergefunc");
  PassSequence T{{"function(sroa)", "always-inline"}};
  requireAlwaysInline(T);
  EXPECT_EQ(T.str(), "function(sroa),always-inline");
}

} // namespace
