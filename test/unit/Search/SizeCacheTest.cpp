//===- SizeCacheTest.cpp - Unit tests for neuropt-size's cache records ----===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/SizeCache.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

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

/// \p E with the first \p From in its record replaced by \p To.
CacheEntry edited(CacheEntry E, const std::string &From, const std::string &To) {
  E.Certificate.replace(E.Certificate.find(From), From.size(), To);
  return E;
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
  EXPECT_TRUE(refused(edited(E, "tried 5", "tried x")));
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

TEST(SizeCache, OutOfTimeSequencesCountAsTriedUpToTheirBudget) {
  // A run with a 29 s budget: sequence 0 stopped by it (with most of it
  // for itself), nothing smaller than -Oz.
  std::vector<unsigned> None, Top1 = {0}, Top2 = {0, 1}, Zero = {0};
  SizeCacheEffort E{"0123456789abcdef", None, 0, "", 30000};
  SizeCacheRecord R =
      mergeSizeRecord(std::nullopt, E, 0, found("", 1000, 1000), Zero, 29000);
  EXPECT_EQ(R.Tried, 0u);
  EXPECT_EQ(R.OutOfTime, 1u);
  EXPECT_EQ(R.OutOfTimeMs, 29000u);
  EXPECT_EQ(decoded(encodeSizeRecord(R)), R);

  // With a budget up to 29 s it counts as tried: a rebuild keeps -Oz
  // without paying;
  // with more time, or with a sequence never tried, the run goes ahead.
  EXPECT_EQ(sizeCacheDone(R, 29000), 1u);
  EXPECT_EQ(sizeCacheDone(R, 60000), 0u);
  SizeCacheEffort Again{"0123456789abcdef", Top1, 0, "", 29000};
  EXPECT_EQ(planSizeRun(R, Again), SizeCachePlan::KeepStock);
  Again.BudgetMs = 60000;
  EXPECT_EQ(planSizeRun(R, Again), SizeCachePlan::Full);
  Again.BudgetMs = 29000;
  Again.Sequences = Top2;
  EXPECT_EQ(planSizeRun(R, Again), SizeCachePlan::Full);

  // A run with 60 s measured sequence 0 after all: no longer out of time.
  SizeCacheEffort Long{"0123456789abcdef", Top1, 0, "", 60000};
  SizeCacheRecord M = mergeSizeRecord(R, Long, 0, found("", 1000, 1000));
  EXPECT_EQ(M.Tried, 1u);
  EXPECT_EQ(M.OutOfTime, 0u);
  EXPECT_EQ(M.OutOfTimeMs, 0u);

  // One budget for all bits: a later run that stops sequence 1 with a
  // smaller one lowers it; one that stops both with a larger one raises it.
  std::vector<unsigned> One = {1}, Both = {0, 1};
  SizeCacheRecord L = mergeSizeRecord(R, E, 0, found("", 1000, 1000), One, 9000);
  EXPECT_EQ(L.OutOfTime, 3u);
  EXPECT_EQ(L.OutOfTimeMs, 9000u);
  SizeCacheRecord H =
      mergeSizeRecord(L, E, 0, found("", 1000, 1000), Both, 59000);
  EXPECT_EQ(H.OutOfTime, 3u);
  EXPECT_EQ(H.OutOfTimeMs, 59000u);
  // A run that stops nothing keeps the earlier stops.
  EXPECT_EQ(mergeSizeRecord(H, E, 0, found("", 1000, 1000)).OutOfTimeMs, 59000u);

  // Inconsistent out-of-time fields are refused.
  EXPECT_TRUE(
      refused(edited(encodeSizeRecord(R), "outoftime 1 29000", "outoftime 1 0")));
}

TEST(SizeCache, Format1RecordsAreStillRead) {
  // Session 19's records have no out-of-time line (nor a guard line).
  SizeCacheRecord R = found("mergefunc", 1000, 960);
  CacheEntry E = encodeSizeRecord(R);
  std::string Cert = E.Certificate;
  Cert.replace(Cert.find("neuropt-size-cache/3"), 20, "neuropt-size-cache/1");
  Cert.erase(Cert.find("outoftime"));
  CacheEntry V1 = CacheEntry::rewrite(E.RHS, Cert, E.CostSaved,
                                      kSizeCacheFormatV1);
  EXPECT_EQ(decoded(V1), R);
  // ... but not with the new line, nor a new record without it.
  CacheEntry Mixed = E;
  Mixed.VerifierVersion = kSizeCacheFormatV1;
  EXPECT_TRUE(refused(Mixed));
  CacheEntry Short = CacheEntry::rewrite(E.RHS, Cert, E.CostSaved, kSizeCacheFormat);
  EXPECT_TRUE(refused(Short));
}

TEST(SizeCache, Format2RecordsReadAsUnguarded) {
  // Sessions 20-27 wrote no guard line; session 27's runs may have used the
  // guard, so their records are read as if made without it, which only
  // costs a guarded run the effort they saved.
  SizeCacheRecord R = found("mergefunc", 1000, 960);
  R.UnwindGuard = true;
  CacheEntry E = encodeSizeRecord(R);
  EXPECT_NE(E.Certificate.find("\nguard unwind\n"), std::string::npos);
  EXPECT_EQ(decoded(E), R);
  std::string Cert = E.Certificate;
  Cert.replace(Cert.find("neuropt-size-cache/3"), 20, "neuropt-size-cache/2");
  Cert.erase(Cert.find("guard"));
  CacheEntry V2 = CacheEntry::rewrite(E.RHS, Cert, E.CostSaved,
                                      kSizeCacheFormatV2);
  SizeCacheRecord Unguarded = R;
  Unguarded.UnwindGuard = false;
  EXPECT_EQ(decoded(V2), Unguarded);
  CacheEntry Mixed = E;
  Mixed.VerifierVersion = kSizeCacheFormatV2;
  EXPECT_TRUE(refused(Mixed));
  EXPECT_TRUE(refused(edited(E, "guard unwind", "guard maybe")));
}

TEST(SizeCache, WhatTheOtherUnwindRuleTriedDoesNotCount) {
  // A run without the guard found nothing smaller than -Oz on the
  // objective: a run with it would reject no less, but a run choosing by
  // either rule learns nothing from the other's rejections or choices.
  std::vector<unsigned> Top1 = {0};
  SizeCacheEffort Guarded{"0123456789abcdef", Top1, 0, "", 0, true};
  SizeCacheEffort Plain{"0123456789abcdef", Top1, 0, "", 0, false};
  SizeCacheRecord Nothing = mergeSizeRecord(std::nullopt, Guarded, 0,
                                            found("", 1000, 1000));
  EXPECT_TRUE(Nothing.UnwindGuard);
  EXPECT_TRUE(sizeCacheComparable(Nothing, Guarded));
  EXPECT_FALSE(sizeCacheComparable(Nothing, Plain));
  EXPECT_EQ(planSizeRun(Nothing, Guarded), SizeCachePlan::KeepStock);
  EXPECT_EQ(planSizeRun(Nothing, Plain), SizeCachePlan::Full);
  // A pipeline is tried first by a run with the other rule, then the rest.
  SizeCacheRecord Chosen = found("mergefunc", 1000, 960);
  EXPECT_FALSE(Chosen.UnwindGuard);
  EXPECT_EQ(planSizeRun(Chosen, Plain), SizeCachePlan::CachedOnly);
  EXPECT_EQ(planSizeRun(Chosen, Guarded), SizeCachePlan::CachedFirst);
  // Merging onto it keeps only this run's effort, under this run's rule.
  SizeCacheRecord M =
      mergeSizeRecord(Chosen, Guarded, 0, found("mergefunc", 1000, 960));
  EXPECT_TRUE(M.UnwindGuard);
  EXPECT_EQ(M.Tried, 1u);
  EXPECT_EQ(M.SearchEvaluations, 0u);
}

TEST(SizeCache, ConcurrentWritersKeepTheSmallerRecord) {
  SizeCacheRecord Read = found("mergefunc", 1000, 980);
  SizeCacheRecord Mine = found("mergefunc,iroutliner", 1000, 970);
  // Nothing there, or still what this run read: store.
  EXPECT_TRUE(shouldStoreSizeRecord(std::nullopt, std::nullopt, Mine));
  EXPECT_TRUE(shouldStoreSizeRecord(Read, Read, Mine));
  // The run read nothing smaller and found nothing; its record replaces the
  // one it read (it built on it, or refuted its pipeline).
  SizeCacheRecord Nothing = found("", 1000, 1000);
  EXPECT_TRUE(shouldStoreSizeRecord(Read, Read, Nothing));

  // Another compilation stored a long search's result meanwhile.
  SizeCacheRecord Long = found("iroutliner,mergefunc,gvn-sink", 1000, 940);
  Long.SearchEvaluations = 48;
  EXPECT_FALSE(shouldStoreSizeRecord(Long, std::nullopt, Mine));
  EXPECT_FALSE(shouldStoreSizeRecord(Long, Read, Nothing));
  // ... or a worse one: this run's smaller result replaces it.
  EXPECT_TRUE(shouldStoreSizeRecord(Read, std::nullopt, Mine));
  // A tie goes to the record that tried more.
  SizeCacheRecord Tie = Mine;
  Tie.Pipeline = "iroutliner";
  Tie.SearchEvaluations = 8;
  EXPECT_TRUE(shouldStoreSizeRecord(Tie, std::nullopt, Mine));
  EXPECT_FALSE(shouldStoreSizeRecord(Mine, std::nullopt, Tie));
  EXPECT_FALSE(shouldStoreSizeRecord(Mine, std::nullopt, Mine));
}

/// The module \p Text parses to; fails the test if it does not parse.
std::unique_ptr<Module> parse(LLVMContext &Ctx, StringRef Text) {
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseAssemblyString(Text, Err, Ctx);
  if (!M)
    ADD_FAILURE() << Err.getMessage().str();
  return M;
}

constexpr const char *kPlain = R"(
source_filename = "/home/a/src/f.c"
define i32 @f(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}
!llvm.module.flags = !{!0}
!0 = !{i32 1, !"wchar_size", i32 4}
)";

// The same code as clang emits it with -g (or with the locations -Rpass
// adds), compiled in another directory.
constexpr const char *kDebug = R"(
source_filename = "f.c"
define i32 @f(i32 %x) !dbg !5 {
  %y = add i32 %x, 1, !dbg !9
  ret i32 %y, !dbg !9
}
!llvm.dbg.cu = !{!3}
!llvm.module.flags = !{!0, !1, !2, !10}
!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 7, !"Dwarf Version", i32 5}
!2 = !{i32 2, !"Debug Info Version", i32 3}
!10 = !{i32 7, !"debug-info-assignment-tracking", i1 true}
!3 = distinct !DICompileUnit(language: DW_LANG_C11, file: !4, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!4 = !DIFile(filename: "f.c", directory: "/tmp/build")
!5 = distinct !DISubprogram(name: "f", scope: !4, file: !4, line: 1, type: !6, scopeLine: 1, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !3)
!6 = !DISubroutineType(types: !7)
!7 = !{!8, !8}
!8 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!9 = !DILocation(line: 1, column: 30, scope: !5)
)";

TEST(SizeCache, KeyIgnoresDebugInformationAndNames) {
  LLVMContext Ctx;
  std::unique_ptr<Module> Plain = parse(Ctx, kPlain);
  std::unique_ptr<Module> Debug = parse(Ctx, kDebug);
  ASSERT_TRUE(Plain && Debug);
  Debug->setModuleIdentifier("/tmp/build/f.bc");
  std::string K = getSizeCacheKey(*Plain);
  EXPECT_EQ(K.size(), 5u + 64u);
  EXPECT_EQ(K.substr(0, 5), "size:");
  EXPECT_EQ(K, getSizeCacheKey(*Plain));
  EXPECT_EQ(K, getSizeCacheKey(*Debug));
  // The module the key was computed from keeps its debug information.
  EXPECT_NE(Debug->getNamedMetadata("llvm.dbg.cu"), nullptr);
  EXPECT_EQ(Debug->getModuleFlagsMetadata()->getNumOperands(), 4u);
  EXPECT_EQ(Debug->getSourceFileName(), "f.c");

  // Anything that can change the code changes the key: an instruction, a
  // module flag that is not about debug information.
  std::string Other = kPlain;
  Other.replace(Other.find("i32 %x, 1"), 9, "i32 %x, 2");
  EXPECT_NE(K, getSizeCacheKey(*parse(Ctx, Other)));
  std::string Flag = kPlain;
  Flag.replace(Flag.find("i32 4}"), 6, "i32 2}");
  EXPECT_NE(K, getSizeCacheKey(*parse(Ctx, Flag)));
}

TEST(SizeCache, FileKeyNamesTheSourceFileNotItsContents) {
  LLVMContext Ctx;
  std::unique_ptr<Module> Plain = parse(Ctx, kPlain);
  ASSERT_TRUE(Plain);
  std::string K = getSizeCacheFileKey(*Plain);
  EXPECT_EQ(K.size(), 10u + 64u);
  EXPECT_EQ(K.substr(0, 10), "size-file:");
  // An edit keeps the file's key; another name or target changes it, and a
  // module without a file name has none.
  std::string Edited = kPlain;
  Edited.replace(Edited.find("i32 %x, 1"), 9, "i32 %x, 2");
  std::unique_ptr<Module> E = parse(Ctx, Edited);
  EXPECT_NE(getSizeCacheKey(*Plain), getSizeCacheKey(*E));
  EXPECT_EQ(K, getSizeCacheFileKey(*E));
  E->setSourceFileName("/home/a/src/g.c");
  EXPECT_NE(K, getSizeCacheFileKey(*E));
  E->setSourceFileName("/home/a/src/f.c");
  E->setTargetTriple(Triple("aarch64-unknown-linux-gnu"));
  EXPECT_NE(K, getSizeCacheFileKey(*E));
  E->setSourceFileName("");
  EXPECT_EQ(getSizeCacheFileKey(*E), "");
}

TEST(SizeCache, FileKeyTakesARelativeNameAgainstItsDirectory) {
  LLVMContext Ctx;
  // "f.c" compiled with -g in /tmp/build is /tmp/build/f.c, however it is
  // spelled, and wherever the pass runs.
  std::unique_ptr<Module> Debug = parse(Ctx, kDebug);
  std::unique_ptr<Module> Plain = parse(Ctx, kPlain);
  ASSERT_TRUE(Debug && Plain);
  Plain->setTargetTriple(Debug->getTargetTriple());
  Plain->setSourceFileName("/tmp/build/f.c");
  EXPECT_EQ(getSizeCacheFileKey(*Debug), getSizeCacheFileKey(*Plain));
  Debug->setSourceFileName("./sub/../f.c");
  EXPECT_EQ(getSizeCacheFileKey(*Debug), getSizeCacheFileKey(*Plain));
  std::string Elsewhere = kDebug;
  Elsewhere.replace(Elsewhere.find("/tmp/build"), 10, "/tmp/other");
  EXPECT_NE(getSizeCacheFileKey(*parse(Ctx, Elsewhere)),
            getSizeCacheFileKey(*Plain));

  // Without debug information, against the current directory.
  SmallString<256> Cwd;
  ASSERT_FALSE(sys::fs::current_path(Cwd));
  std::unique_ptr<Module> Rel = parse(Ctx, kPlain);
  ASSERT_TRUE(Rel);
  Rel->setSourceFileName("f.c");
  sys::path::append(Cwd, "f.c");
  Plain->setTargetTriple(Rel->getTargetTriple());
  Plain->setSourceFileName(Cwd);
  EXPECT_EQ(getSizeCacheFileKey(*Rel), getSizeCacheFileKey(*Plain));
}

} // namespace
