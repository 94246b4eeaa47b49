//===- HarvestTest.cpp - Unit tests for DAG harvesting and hashing --------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/Hashing.h"
#include "neuropt/Synth/Harvest.h"
#include "IRTestUtil.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace neuropt;

namespace {

/// The DAG of the value that \p Fn returns.
HarvestedDAG returnedDAG(Module &M, StringRef Fn, HarvestOptions Opts = {}) {
  Function *F = M.getFunction(Fn);
  EXPECT_NE(F, nullptr) << Fn.str();
  for (BasicBlock &BB : *F)
    if (auto *Ret = dyn_cast<ReturnInst>(BB.getTerminator()))
      return extractDAG(*cast<Instruction>(Ret->getReturnValue()), Opts);
  ADD_FAILURE() << "no return in " << Fn.str();
  return {};
}

/// Parses \p IR and returns the DAGs of the values returned by @a and @b.
std::pair<HarvestedDAG, HarvestedDAG>
pairOf(LLVMContext &Ctx, std::unique_ptr<Module> &M, StringRef IR) {
  M = parseIR(Ctx, IR);
  if (!M)
    return {};
  return {returnedDAG(*M, "a"), returnedDAG(*M, "b")};
}

void expectSame(StringRef IR) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M;
  auto [A, B] = pairOf(Ctx, M, IR);
  ASSERT_TRUE(M);
  EXPECT_EQ(A.Canonical, B.Canonical);
  EXPECT_EQ(A.Hash, B.Hash);
}

void expectDifferent(StringRef IR) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M;
  auto [A, B] = pairOf(Ctx, M, IR);
  ASSERT_TRUE(M);
  EXPECT_NE(A.Canonical, B.Canonical);
  EXPECT_NE(A.Hash, B.Hash) << A.Canonical << "vs\n" << B.Canonical;
}

TEST(HarvestTest, CanonicalTextShape) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
define i32 @f(i32 %x, i32 %y) {
  %s = add nsw i32 %x, 7
  %m = mul i32 %s, %y
  ret i32 %m
}
)IR");
  ASSERT_TRUE(M);
  HarvestedDAG D = returnedDAG(*M, "f");
  EXPECT_EQ(D.Canonical, "%0 = leaf i32\n"
                         "%1 = leaf i32\n"
                         "%2 = add nsw i32 %0, i32 7\n"
                         "%3 = mul i32 %2, %1\n"
                         "root %3\n");
  EXPECT_EQ(D.size(), 2u);
  ASSERT_EQ(D.Leaves.size(), 2u);
  EXPECT_EQ(D.Leaves[0].V, M->getFunction("f")->getArg(0));
  EXPECT_EQ(D.hashHex().size(), 16u);
  EXPECT_EQ(D.hashHex().find_first_not_of("0123456789abcdef"),
            std::string::npos);
  EXPECT_EQ(D.hashHex(), toHex64(stableHash(D.Canonical)));
  // Cache keys: every digit, zero-padded, lower case.
  EXPECT_EQ(toHex64(0x0123456789abcdefULL), "0123456789abcdef");
  EXPECT_EQ(toHex64(0xfedcba9876543210ULL), "fedcba9876543210");
  EXPECT_EQ(toHex64(1), "0000000000000001");
}

TEST(HarvestTest, SameUnderRenamingArgOrderAndCommutation) {
  expectSame(R"IR(
define i32 @a(i32 %x, i32 %y, i32 %z) {
  %s = add nsw i32 %x, 7
  %m = mul i32 %s, %y
  %o = xor i32 %m, %z
  %c = icmp ult i32 %o, %x
  %r = select i1 %c, i32 %o, i32 %y
  ret i32 %r
}
define i32 @b(i32 %p, i32 %q, i32 %w) {
  %t = add nsw i32 %w, 7
  %u = mul i32 %q, %t
  %v = xor i32 %p, %u
  %k = icmp ugt i32 %w, %v
  %r = select i1 %k, i32 %v, i32 %q
  ret i32 %r
}
)IR");
}

TEST(HarvestTest, SameUnderInstructionOrder) {
  expectSame(R"IR(
define i32 @a(i32 %x, i32 %y) {
  %p = and i32 %x, 15
  %q = lshr i32 %y, 3
  %r = or disjoint i32 %p, %q
  ret i32 %r
}
define i32 @b(i32 %x, i32 %y) {
  %q = lshr i32 %y, 3
  %p = and i32 %x, 15
  %r = or disjoint i32 %q, %p
  ret i32 %r
}
)IR");
}

TEST(HarvestTest, SameAcrossModulesAndIntrinsics) {
  LLVMContext Ctx;
  auto M1 = parseIR(Ctx, R"IR(
define i8 @one(i32 %x, i8 %y) {
  %t = trunc nuw i32 %x to i8
  %m = call i8 @llvm.umin.i8(i8 %t, i8 %y)
  %c = call i8 @llvm.ctlz.i8(i8 %m, i1 true)
  ret i8 %c
}
)IR");
  auto M2 = parseIR(Ctx, R"IR(
define i8 @two(i8 %b, i64 %unused, i32 %a) {
  %tr = trunc nuw i32 %a to i8
  %mn = call i8 @llvm.umin.i8(i8 %b, i8 %tr)
  %cz = call i8 @llvm.ctlz.i8(i8 %mn, i1 true)
  ret i8 %cz
}
)IR");
  ASSERT_TRUE(M1 && M2);
  HarvestedDAG A = returnedDAG(*M1, "one"), B = returnedDAG(*M2, "two");
  EXPECT_EQ(A.Canonical, B.Canonical);
  EXPECT_EQ(A.Hash, B.Hash);
}

TEST(HarvestTest, SharedSubexpressionIsOneNode) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
define i32 @f(i32 %x) {
  %s = mul i32 %x, %x
  %t = add i32 %s, %s
  ret i32 %t
}
)IR");
  ASSERT_TRUE(M);
  HarvestedDAG D = returnedDAG(*M, "f");
  EXPECT_EQ(D.size(), 2u);
  EXPECT_EQ(D.Leaves.size(), 1u);
  EXPECT_EQ(D.Canonical, "%0 = leaf i32\n"
                         "%1 = mul i32 %0, %0\n"
                         "%2 = add i32 %1, %1\n"
                         "root %2\n");
}

TEST(HarvestTest, TiedOperandsAreCanonical) {
  // The two ands have equal keys, and so do their leaf operands; only trying
  // both orders makes the numbering independent of the IR's operand order.
  expectSame(R"IR(
define i32 @a(i32 %x, i32 %y, i32 %z) {
  %p = and i32 %x, %y
  %q = and i32 %x, %z
  %r = or i32 %p, %q
  ret i32 %r
}
define i32 @b(i32 %x, i32 %y, i32 %z) {
  %p = and i32 %y, %x
  %q = and i32 %z, %x
  %r = or i32 %q, %p
  ret i32 %r
}
)IR");
  expectSame(R"IR(
define i1 @a(i32 %x, i32 %y, i32 %z) {
  %p = sub i32 %x, %y
  %q = sub i32 %z, %x
  %c = icmp eq i32 %p, %q
  ret i1 %c
}
define i1 @b(i32 %x, i32 %y, i32 %z) {
  %q = sub i32 %z, %x
  %p = sub i32 %x, %y
  %c = icmp eq i32 %q, %p
  ret i1 %c
}
)IR");
  // ...but (x & y) | (x & z) is not (x & y) | (z & w).
  expectDifferent(R"IR(
define i32 @a(i32 %x, i32 %y, i32 %z, i32 %w) {
  %p = and i32 %x, %y
  %q = and i32 %x, %z
  %r = or i32 %p, %q
  ret i32 %r
}
define i32 @b(i32 %x, i32 %y, i32 %z, i32 %w) {
  %p = and i32 %x, %y
  %q = and i32 %z, %w
  %r = or i32 %p, %q
  ret i32 %r
}
)IR");
}

TEST(HarvestTest, IcmpPredicateSwapIsCanonical) {
  expectSame(R"IR(
define i1 @a(i32 %x, i32 %y) {
  %c = icmp sgt i32 %x, %y
  ret i1 %c
}
define i1 @b(i32 %x, i32 %y) {
  %c = icmp slt i32 %y, %x
  ret i1 %c
}
)IR");
}

TEST(HarvestTest, DifferentConstant) {
  expectDifferent(R"IR(
define i32 @a(i32 %x) {
  %r = add i32 %x, 7
  ret i32 %r
}
define i32 @b(i32 %x) {
  %r = add i32 %x, 8
  ret i32 %r
}
)IR");
}

TEST(HarvestTest, DifferentOpcode) {
  expectDifferent(R"IR(
define i32 @a(i32 %x, i32 %y) {
  %r = sub i32 %x, %y
  ret i32 %r
}
define i32 @b(i32 %x, i32 %y) {
  %r = xor i32 %x, %y
  ret i32 %r
}
)IR");
}

TEST(HarvestTest, DifferentFlags) {
  expectDifferent(R"IR(
define i32 @a(i32 %x, i32 %y) {
  %r = add nsw i32 %x, %y
  ret i32 %r
}
define i32 @b(i32 %x, i32 %y) {
  %r = add nuw i32 %x, %y
  ret i32 %r
}
)IR");
  expectDifferent(R"IR(
define i32 @a(i32 %x) {
  %r = lshr exact i32 %x, 2
  ret i32 %r
}
define i32 @b(i32 %x) {
  %r = lshr i32 %x, 2
  ret i32 %r
}
)IR");
  expectDifferent(R"IR(
define i32 @a(i32 %x, i32 %y) {
  %r = or disjoint i32 %x, %y
  ret i32 %r
}
define i32 @b(i32 %x, i32 %y) {
  %r = or i32 %x, %y
  ret i32 %r
}
)IR");
  expectDifferent(R"IR(
define i32 @a(i8 %x) {
  %r = zext nneg i8 %x to i32
  ret i32 %r
}
define i32 @b(i8 %x) {
  %r = zext i8 %x to i32
  ret i32 %r
}
)IR");
  expectDifferent(R"IR(
define i1 @a(i8 %x, i8 %y) {
  %r = icmp samesign ult i8 %x, %y
  ret i1 %r
}
define i1 @b(i8 %x, i8 %y) {
  %r = icmp ult i8 %x, %y
  ret i1 %r
}
)IR");
}

TEST(HarvestTest, DifferentWidth) {
  expectDifferent(R"IR(
define i32 @a(i32 %x) {
  %r = add i32 %x, 1
  ret i32 %r
}
define i64 @b(i64 %x) {
  %r = add i64 %x, 1
  ret i64 %r
}
)IR");
  // Same result width, different source width.
  expectDifferent(R"IR(
define i32 @a(i8 %x) {
  %r = zext i8 %x to i32
  ret i32 %r
}
define i32 @b(i16 %x) {
  %r = zext i16 %x to i32
  ret i32 %r
}
)IR");
}

TEST(HarvestTest, DifferentOperandOrderOfNonCommutative) {
  expectDifferent(R"IR(
define i32 @a(i32 %x, i32 %y) {
  %s = shl i32 %x, 1
  %r = sub i32 %s, %y
  ret i32 %r
}
define i32 @b(i32 %x, i32 %y) {
  %s = shl i32 %x, 1
  %r = sub i32 %y, %s
  ret i32 %r
}
)IR");
}

TEST(HarvestTest, DifferentSharing) {
  // add(x, x) and add(x, y) are different computations.
  expectDifferent(R"IR(
define i32 @a(i32 %x, i32 %y) {
  %r = add i32 %x, %x
  ret i32 %r
}
define i32 @b(i32 %x, i32 %y) {
  %r = add i32 %x, %y
  ret i32 %r
}
)IR");
}

TEST(HarvestTest, LeafFactsAreRecordedAndHashed) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
define i32 @a(ptr %p) {
  %v = load i32, ptr %p, !range !0
  %r = add i32 %v, 1
  ret i32 %r
}
define i32 @b(ptr %p) {
  %v = load i32, ptr %p
  %r = add i32 %v, 1
  ret i32 %r
}
!0 = !{i32 0, i32 16}
)IR");
  ASSERT_TRUE(M);
  HarvestedDAG A = returnedDAG(*M, "a"), B = returnedDAG(*M, "b");
  ASSERT_EQ(A.Leaves.size(), 1u);
  EXPECT_TRUE(isa<LoadInst>(A.Leaves[0].V));
  EXPECT_EQ(A.Leaves[0].Known.countMinLeadingZeros(), 28u);
  EXPECT_EQ(A.Leaves[0].Range.getUpper(), 16u);
  EXPECT_NE(A.Canonical.find("known=0000000000000000000000000000xxxx"),
            std::string::npos)
      << A.Canonical;
  EXPECT_NE(A.Canonical.find("range=[0,16)"), std::string::npos);
  EXPECT_NE(A.Hash, B.Hash);

  HarvestOptions NoFacts;
  NoFacts.LeafFacts = false;
  EXPECT_EQ(returnedDAG(*M, "a", NoFacts).Hash,
            returnedDAG(*M, "b", NoFacts).Hash);
}

TEST(HarvestTest, LeafKinds) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
declare i32 @g()
define i32 @f(i1 %c, ptr %p, <2 x i32> %v) {
entry:
  br i1 %c, label %then, label %join
then:
  %call = call i32 @g()
  br label %join
join:
  %phi = phi i32 [ 0, %entry ], [ %call, %then ]
  %ld = load i32, ptr %p
  %e = extractelement <2 x i32> %v, i32 0
  %a = add i32 %phi, %ld
  %b = xor i32 %a, %e
  %pi = ptrtoint ptr %p to i32
  %r = sub i32 %b, %pi
  ret i32 %r
}
)IR");
  ASSERT_TRUE(M);
  HarvestedDAG D = returnedDAG(*M, "f");
  EXPECT_EQ(D.size(), 3u);
  ASSERT_EQ(D.Leaves.size(), 4u);
  for (const LeafInfo &L : D.Leaves)
    EXPECT_TRUE(isa<PHINode>(L.V) || isa<LoadInst>(L.V) ||
                isa<ExtractElementInst>(L.V) || isa<PtrToIntInst>(L.V));
}

TEST(HarvestTest, DAGSpansBlocks) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
define i32 @f(i32 %x, i1 %c) {
entry:
  %s = shl i32 %x, 2
  br i1 %c, label %t, label %e
t:
  %r = or i32 %s, 1
  ret i32 %r
e:
  ret i32 0
}
)IR");
  ASSERT_TRUE(M);
  HarvestedDAG D = returnedDAG(*M, "f");
  EXPECT_EQ(D.size(), 2u);
  auto L = toFunction(D);
  EXPECT_FALSE(verifyModule(*L, &errs()));
}

TEST(HarvestTest, MaxSizeCapsTheDAG) {
  LLVMContext Ctx;
  std::string IR = "define i32 @f(i32 %x0) {\n";
  for (int I = 1; I <= 20; ++I)
    IR += "  %x" + std::to_string(I) + " = mul i32 %x" + std::to_string(I - 1) +
          ", " + std::to_string(I + 2) + "\n";
  IR += "  ret i32 %x20\n}\n";
  auto M = parseIR(Ctx, IR);
  ASSERT_TRUE(M);
  HarvestedDAG Default = returnedDAG(*M, "f");
  EXPECT_EQ(Default.size(), HarvestOptions().MaxSize);
  HarvestOptions Opts;
  Opts.MaxSize = 5;
  HarvestedDAG D = returnedDAG(*M, "f", Opts);
  EXPECT_EQ(D.size(), 5u);
  ASSERT_EQ(D.Leaves.size(), 1u);
  // The cut-off instruction %x15 becomes the leaf.
  EXPECT_EQ(D.Leaves[0].V->getName(), "x15");
  Opts.MaxSize = 1;
  EXPECT_EQ(returnedDAG(*M, "f", Opts).size(), 1u);
}

TEST(HarvestTest, MaxSizeIsClamped) {
  LLVMContext Ctx;
  unsigned Len = MaxHarvestSize + 100;
  std::string IR = "define i32 @f(i32 %x0) {\n";
  for (unsigned I = 1; I <= Len; ++I)
    IR += "  %x" + std::to_string(I) + " = xor i32 %x" + std::to_string(I - 1) +
          ", " + std::to_string(I) + "\n";
  IR += "  ret i32 %x" + std::to_string(Len) + "\n}\n";
  auto M = parseIR(Ctx, IR);
  ASSERT_TRUE(M);
  HarvestOptions Opts;
  Opts.MaxSize = ~0u;
  HarvestedDAG D = returnedDAG(*M, "f", Opts);
  EXPECT_EQ(D.size(), MaxHarvestSize);
  EXPECT_EQ(D.Leaves.size(), 1u);
}

TEST(HarvestTest, InterestingRootsOnly) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
declare void @use(i32)
define i32 @f(i32 %x, i32 %y, ptr %p) {
  %inner = add i32 %x, %y      ; one harvestable user: not a root
  %shared = mul i32 %inner, 3  ; two users: a root
  %s1 = sub i32 %shared, %x
  %s2 = xor i32 %shared, %y
  store i32 %s1, ptr %p        ; non-DAG user: a root
  call void @use(i32 %s2)      ; non-DAG user: a root
  %dead = and i32 %x, 1        ; no users: not a root
  %ptr = getelementptr i8, ptr %p, i32 %x
  ret i32 0
}
)IR");
  ASSERT_TRUE(M);
  std::vector<HarvestedDAG> Ds = harvestFunction(*M->getFunction("f"));
  StringSet<> Roots;
  for (const HarvestedDAG &D : Ds)
    Roots.insert(D.Root->getName());
  EXPECT_EQ(Ds.size(), 3u);
  EXPECT_TRUE(Roots.contains("shared"));
  EXPECT_TRUE(Roots.contains("s1"));
  EXPECT_TRUE(Roots.contains("s2"));

  HarvestOptions Opts;
  Opts.MinSize = 3;
  std::vector<HarvestedDAG> Big = harvestFunction(*M->getFunction("f"), Opts);
  ASSERT_EQ(Big.size(), 2u);
  EXPECT_EQ(Big[0].size(), 3u);
}

TEST(HarvestTest, NonIntegerInstructionsAreNotHarvestable) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
define void @f(<4 x i32> %v, ptr %p, ptr %q, double %d) {
  %a = add <4 x i32> %v, %v
  %c = icmp eq ptr %p, %q
  %fa = fadd double %d, %d
  %s = call {i32, i1} @llvm.uadd.with.overflow.i32(i32 1, i32 2)
  store <4 x i32> %a, ptr %p
  store i1 %c, ptr %p
  store double %fa, ptr %p
  store {i32, i1} %s, ptr %p
  ret void
}
)IR");
  ASSERT_TRUE(M);
  EXPECT_TRUE(harvestFunction(*M->getFunction("f")).empty());
}

TEST(HarvestTest, ToFunctionVerifiesAndRoundTrips) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
define i16 @f(i32 %x, i16 %y, i1 %c, ptr %p) {
  %v = load i16, ptr %p, !range !0
  %t = trunc nsw i32 %x to i16
  %a = call i16 @llvm.fshl.i16(i16 %t, i16 %y, i16 3)
  %b = call i16 @llvm.bswap.i16(i16 %a)
  %m = call i16 @llvm.smax.i16(i16 %b, i16 %v)
  %f = freeze i16 %m
  %s = select i1 %c, i16 %f, i16 %y, !prof !1
  %sat = call i16 @llvm.uadd.sat.i16(i16 %s, i16 %v)
  ret i16 %sat
}
!0 = !{i16 1, i16 100}
!1 = !{!"branch_weights", i32 1, i32 9}
)IR");
  ASSERT_TRUE(M);
  HarvestedDAG D = returnedDAG(*M, "f");
  EXPECT_EQ(D.size(), 7u);
  ASSERT_EQ(D.Leaves.size(), 4u);

  std::unique_ptr<Module> L = toFunction(D);
  ASSERT_TRUE(L);
  std::string Err;
  raw_string_ostream ES(Err);
  EXPECT_FALSE(verifyModule(*L, &ES)) << Err;
  Function *LHS = L->getFunction("lhs");
  ASSERT_NE(LHS, nullptr);
  EXPECT_EQ(LHS->arg_size(), D.Leaves.size());
  EXPECT_TRUE(LHS->getReturnType()->isIntegerTy(16));
  EXPECT_EQ(LHS->getEntryBlock().size(), D.size() + 1);
  // The load's range survives as a parameter attribute.
  bool SawRange = false;
  for (unsigned A = 0; A != LHS->arg_size(); ++A)
    SawRange |= LHS->getParamAttribute(A, Attribute::Range).isValid();
  EXPECT_TRUE(SawRange);
  for (const Instruction &I : LHS->getEntryBlock())
    EXPECT_FALSE(I.hasMetadataOtherThanDebugLoc());

  // Harvesting @lhs again gives the same computation: the range attribute
  // carries the leaf's facts over.
  HarvestedDAG Again = returnedDAG(*L, "lhs");
  EXPECT_EQ(Again.Canonical, D.Canonical);
  EXPECT_EQ(Again.Hash, D.Hash);
}

TEST(HarvestTest, ToFunctionOfEveryRootVerifies) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
define i32 @f(i32 %x, i32 %y, i8 %z) {
  %a = call i32 @llvm.ctpop.i32(i32 %x)
  %b = call i32 @llvm.cttz.i32(i32 %y, i1 false)
  %c = call i32 @llvm.abs.i32(i32 %a, i1 true)
  %d = call i32 @llvm.umax.i32(i32 %b, i32 %c)
  %e = call i8 @llvm.bitreverse.i8(i8 %z)
  %f = sext i8 %e to i32
  %g = sdiv exact i32 %d, %f
  %h = call i32 @llvm.fshr.i32(i32 %g, i32 %x, i32 %y)
  %i = call i32 @llvm.ssub.sat.i32(i32 %h, i32 %g)
  ret i32 %i
}
)IR");
  ASSERT_TRUE(M);
  std::vector<HarvestedDAG> Ds = harvestFunction(*M->getFunction("f"));
  ASSERT_FALSE(Ds.empty());
  for (const HarvestedDAG &D : Ds) {
    auto L = toFunction(D);
    std::string Err;
    raw_string_ostream ES(Err);
    EXPECT_FALSE(verifyModule(*L, &ES)) << Err << D.Canonical;
  }
}

TEST(HarvestTest, EqualHashesGiveEqualFunctions) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M;
  auto [A, B] = pairOf(Ctx, M, R"IR(
define i32 @a(i32 %x, i32 %y, i32 %z) {
  %s = add nsw i32 %x, 7
  %m = mul i32 %s, %y
  %o = call i32 @llvm.smin.i32(i32 %m, i32 %z)
  %c = icmp ult i32 %o, %x
  %r = select i1 %c, i32 %o, i32 %y
  ret i32 %r
}
define i32 @b(i32 %p, i32 %q, i32 %w) {
  %t = add nsw i32 %w, 7
  %u = mul i32 %q, %t
  %v = call i32 @llvm.smin.i32(i32 %p, i32 %u)
  %k = icmp ugt i32 %w, %v
  %r = select i1 %k, i32 %v, i32 %q
  ret i32 %r
}
)IR");
  ASSERT_TRUE(M);
  ASSERT_EQ(A.Hash, B.Hash);
  auto Print = [](const HarvestedDAG &D) {
    std::unique_ptr<Module> L = toFunction(D);
    EXPECT_FALSE(verifyModule(*L, &errs()));
    std::string S;
    raw_string_ostream OS(S);
    L->getFunction("lhs")->print(OS);
    return S;
  };
  std::string FA = Print(A), FB = Print(B);
  EXPECT_EQ(FA, FB);
  EXPECT_NE(FA.find("icmp ult i32 %5, %0"), std::string::npos) << FA;
}

TEST(HarvestTest, SelfReferenceInUnreachableCodeTerminates) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, R"IR(
define i32 @f(i32 %x) {
entry:
  ret i32 %x
dead:
  %a = add i32 %a, 1
  %b = mul i32 %a, %b
  ret i32 %b
}
)IR");
  ASSERT_TRUE(M);
  Function *F = M->getFunction("f");
  EXPECT_TRUE(harvestFunction(*F).empty());
  // Called directly on the cycle, extraction still terminates.
  const Instruction *B = F->back().front().getNextNode();
  ASSERT_EQ(B->getName(), "b");
  HarvestedDAG D = extractDAG(*B);
  EXPECT_EQ(D.size(), 2u);
}

TEST(HarvestTest, Deterministic) {
  const char *IR = R"IR(
define i32 @f(i32 %x, i32 %y) {
  %a = and i32 %x, %y
  %b = or i32 %x, %y
  %c = add i32 %a, %b
  ret i32 %c
}
)IR";
  LLVMContext C1, C2;
  auto M1 = parseIR(C1, IR), M2 = parseIR(C2, IR);
  ASSERT_TRUE(M1 && M2);
  EXPECT_EQ(returnedDAG(*M1, "f").Hash, returnedDAG(*M2, "f").Hash);
}

} // namespace
