//===- CorpusTest.cpp - Unit tests for neuropt-corpus internals -----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Tests the pieces of neuropt-corpus that the lit tests reach only
// indirectly: Debian version ordering, package-name validation, failure
// classification, the path-independent module hash, time-limited child
// processes and the corpus database.
//
//===----------------------------------------------------------------------===//

#include "AptSource.h"
#include "CorpusDB.h"
#include "HeldOut.h"
#include "Subprocess.h"
#include "TUCompiler.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

using namespace llvm;
using namespace neuropt::corpus;

namespace {

TEST(DebianVersion, OrdersLikeDpkg) {
  EXPECT_LT(compareDebianVersions("1.0~rc1-1", "1.0-1"), 0);
  EXPECT_LT(compareDebianVersions("1.0-2", "1.0-2+deb12u1"), 0);
  EXPECT_GT(compareDebianVersions("2.5.0-1+deb12u5", "2.5.0-1+deb12u2"), 0);
  EXPECT_GT(compareDebianVersions("2.10-2", "2.9-7"), 0);
  EXPECT_GT(compareDebianVersions("1:0.9-1", "2.0-1"), 0);
  EXPECT_EQ(compareDebianVersions("1.2.13.dfsg-1", "0:1.2.13.dfsg-1"), 0);
  EXPECT_LT(compareDebianVersions("1.0a", "1.0b"), 0);
  EXPECT_LT(compareDebianVersions("1.0", "1.0a"), 0);
}

TEST(PackageName, ValidatesDebianPolicy) {
  EXPECT_TRUE(isValidPackageName("zlib"));
  EXPECT_TRUE(isValidPackageName("libpng1.6"));
  EXPECT_TRUE(isValidPackageName("libstdc++6"));
  EXPECT_FALSE(isValidPackageName("z"));
  EXPECT_FALSE(isValidPackageName("-o"));
  EXPECT_FALSE(isValidPackageName("Zlib"));
  EXPECT_FALSE(isValidPackageName("a b"));
  EXPECT_FALSE(isValidPackageName("../etc"));
}

TEST(HeldOut, CoversTheEvaluationPackages) {
  EXPECT_EQ(getHeldOutPackages().size(), 12u);
  EXPECT_TRUE(isHeldOutPackage("bzip2"));
  EXPECT_TRUE(isHeldOutPackage("SQLite3"));
  EXPECT_TRUE(isHeldOutPackage("libjpeg-turbo"));
  EXPECT_FALSE(isHeldOutPackage("zlib"));
  EXPECT_FALSE(isHeldOutPackage("bzip"));
}

TEST(ClassifyFailure, NamesTheCause) {
  EXPECT_EQ(classifyFailure("a.c:1:10: fatal error: 'x.h' file not found\n")
                .first,
            "missing-header");
  EXPECT_EQ(classifyFailure("warning: w\na.c:2:3: error: unknown type name "
                            "'u8'\n")
                .first,
            "unknown-type");
  EXPECT_EQ(classifyFailure("a.c:3:2: error: WIDTH must be defined\n"
                            "    3 | #error WIDTH must be defined\n"
                            "      |  ^\n")
                .first,
            "error-directive");
  EXPECT_EQ(classifyFailure("a.c:3:2: error: unknown type name 'u8'\n"
                            "    3 | u8 x;\n")
                .first,
            "unknown-type");
  EXPECT_EQ(classifyFailure("a.c:3:1: error: use of undeclared identifier "
                            "'x'\n")
                .first,
            "undeclared-identifier");
  EXPECT_EQ(classifyFailure("").first, "no-diagnostic");
  auto [Reason, Msg] =
      classifyFailure("note: x\nb.c:9:9: error: expected ';'\nmore\n");
  EXPECT_EQ(Reason, "syntax");
  EXPECT_EQ(Msg, "b.c:9:9: error: expected ';'");
}

static std::unique_ptr<Module> parse(StringRef IR, LLVMContext &Ctx,
                                     StringRef Name) {
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseAssemblyString(IR, Err, Ctx);
  EXPECT_TRUE(M) << Err.getMessage().str();
  M->setModuleIdentifier(Name);
  M->setSourceFileName(Name);
  return M;
}

TEST(ModuleHash, IndependentOfPathButNotOfContent) {
  const char *IR = "define i32 @f(i32 %x) {\n  %y = add i32 %x, 1\n  ret i32 "
                   "%y\n}\n";
  LLVMContext Ctx;
  auto A = parse(IR, Ctx, "/home/a/src/one.c");
  auto B = parse(IR, Ctx, "/tmp/elsewhere/two.c");
  EXPECT_NE(hashModule(*A), hashModule(*B));
  canonicalizeModule(*A);
  canonicalizeModule(*B);
  EXPECT_EQ(hashModule(*A), hashModule(*B));
  EXPECT_EQ(hashModule(*A).size(), 64u);
  auto C = parse("define i32 @f(i32 %x) {\n  %y = add i32 %x, 2\n  ret i32 "
                 "%y\n}\n",
                 Ctx, "/home/a/src/one.c");
  canonicalizeModule(*C);
  EXPECT_NE(hashModule(*A), hashModule(*C));
}

TEST(Subprocess, ReportsExitStatusCrashesAndTimeouts) {
  RunResult Ok = runProgram({"sh", "-c", "exit 0"}, "", 30);
  EXPECT_TRUE(Ok.succeeded());
  RunResult Three = runProgram({"sh", "-c", "exit 3"}, "", 30);
  EXPECT_FALSE(Three.succeeded());
  EXPECT_EQ(Three.ExitCode, 3);
  RunResult Crash = runProgram({"sh", "-c", "kill -SEGV $$"}, "", 30);
  EXPECT_TRUE(Crash.Crashed);
  RunResult Missing =
      runProgram({"neuropt-no-such-program-anywhere"}, "", 30);
  EXPECT_TRUE(Missing.FailedToStart);
  EXPECT_NE(Missing.Message.find("not found"), std::string::npos);
  RunResult Slow = runProgram({"sleep", "60"}, "", 1);
  EXPECT_TRUE(Slow.TimedOut);
  EXPECT_FALSE(Slow.succeeded());
}

TEST(Subprocess, WritesTheLog) {
  SmallString<128> Log;
  ASSERT_FALSE(sys::fs::createTemporaryFile("corpus-test", "log", Log));
  RunResult R = runProgram({"sh", "-c", "echo out; echo err >&2"}, Log, 30);
  EXPECT_TRUE(R.succeeded());
  std::string Text = readFilePrefix(Log, 100);
  EXPECT_NE(Text.find("out"), std::string::npos);
  EXPECT_NE(Text.find("err"), std::string::npos);
  sys::fs::remove(Log);
}

class CorpusDBTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(sys::fs::createUniqueDirectory("corpus-db-test", Dir));
    Path = Dir;
    sys::path::append(Path, "corpus.db");
  }
  void TearDown() override { sys::fs::remove_directories(Dir); }
  SmallString<128> Dir, Path;
};

TEST_F(CorpusDBTest, MissingDatabaseIsAnErrorNamingIt) {
  Expected<std::unique_ptr<CorpusDB>> DB = CorpusDB::open(Path, false);
  ASSERT_FALSE(DB);
  std::string Msg = toString(DB.takeError());
  EXPECT_NE(Msg.find("no corpus database at"), std::string::npos);
  EXPECT_NE(Msg.find(std::string(Path)), std::string::npos);
}

TEST_F(CorpusDBTest, RecordsAndResumes) {
  Expected<std::unique_ptr<CorpusDB>> DB = CorpusDB::open(Path, true);
  ASSERT_TRUE(!!DB) << toString(DB.takeError());
  TURecord Ok;
  Ok.Package = "p";
  Ok.File = "a.c";
  Ok.Status = "ok";
  Ok.Hash = std::string(64, 'a');
  Ok.Functions = 3;
  ModuleRecord M;
  M.Hash = Ok.Hash;
  M.Path = "modules/aa/x.bc";
  M.Functions = 3;
  M.Package = "p";
  ASSERT_FALSE((*DB)->addTU(Ok, &M));
  TURecord Bad = Ok;
  Bad.File = "b.c";
  Bad.Status = "failed";
  Bad.Hash.clear();
  ASSERT_FALSE((*DB)->addTU(Bad, nullptr));
  // A second TU with the same content adds no module.
  TURecord Dup = Ok;
  Dup.File = "sub/a.c";
  ASSERT_FALSE((*DB)->addTU(Dup, &M));

  auto All = (*DB)->doneFiles("p", /*IncludeFailed=*/true);
  ASSERT_TRUE(!!All);
  EXPECT_EQ(All->size(), 3u);
  auto OkOnly = (*DB)->doneFiles("p", /*IncludeFailed=*/false);
  ASSERT_TRUE(!!OkOnly);
  EXPECT_EQ(OkOnly->size(), 2u);
  auto Mods = (*DB)->listModules();
  ASSERT_TRUE(!!Mods);
  EXPECT_EQ(Mods->size(), 1u);

  PackageRecord P;
  P.Name = "p";
  P.Version = "1";
  P.Status = "done";
  ASSERT_FALSE((*DB)->putPackage(P));
  ASSERT_FALSE((*DB)->setSplit("p", "val"));
  P.Version = "2";
  ASSERT_FALSE((*DB)->putPackage(P)); // a rebuild keeps the split
  auto Got = (*DB)->getPackage("p");
  ASSERT_TRUE(Got && *Got);
  EXPECT_EQ((*Got)->Split, "val");
  EXPECT_EQ((*Got)->Version, "2");

  // Reopening without Create sees the same data.
  DB->reset();
  Expected<std::unique_ptr<CorpusDB>> Again = CorpusDB::open(Path, false);
  ASSERT_TRUE(!!Again) << toString(Again.takeError());
  auto TUs = (*Again)->listTUs();
  ASSERT_TRUE(!!TUs);
  EXPECT_EQ(TUs->size(), 3u);
}

} // namespace
