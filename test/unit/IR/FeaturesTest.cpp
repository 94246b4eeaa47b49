//===- FeaturesTest.cpp - Unit tests for the statistics featurizer ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "IRTestUtil.h"
#include "neuropt/IR/Features.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/LLVMContext.h"

using namespace llvm;
using namespace neuropt;

namespace {

const char *TwoFunctions = R"IR(
@tbl = constant [4 x i8] c"abcd"
define i32 @a(i32 %x, i32 %y) minsize optsize {
  %s = add nsw i32 %x, %y
  %c = icmp eq i32 %s, 0
  %r = select i1 %c, i32 100000, i32 -1
  ret i32 %r
}
define internal i64 @b(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %q = getelementptr i8, ptr %p, i64 %i
  store i8 0, ptr %q
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %i
}
declare void @ext()
)IR";

int64_t get(const FeatureVector &V, FunctionFeature F) {
  return V[static_cast<unsigned>(F)];
}

TEST(Features, ManifestIsWellFormedAndStable) {
  EXPECT_GE(getNumFunctionFeatures(), 50u);
  EXPECT_EQ(getNumModuleFeatures(),
            getNumFunctionFeatures() + getModuleOnlyFeatureInfo().size());
  StringSet<> Names;
  for (const FeatureInfo &FI : getFunctionFeatureInfo()) {
    EXPECT_TRUE(Names.insert(FI.Name).second) << "duplicate " << FI.Name.str();
    EXPECT_FALSE(FI.Doc.empty()) << FI.Name.str();
  }
  for (const FeatureInfo &FI : getModuleOnlyFeatureInfo())
    EXPECT_TRUE(Names.insert(FI.Name).second) << "duplicate " << FI.Name.str();
  std::string H = getFeatureManifestHash();
  EXPECT_EQ(H.size(), 16u);
  EXPECT_EQ(H, getFeatureManifestHash());
  // The manifest is returned by value: keep it alive while O points into it.
  json::Value Manifest = getFeatureManifest();
  const json::Object *O = Manifest.getAsObject();
  ASSERT_TRUE(O);
  ASSERT_TRUE(O->getArray("function_features"));
  EXPECT_EQ(O->getArray("function_features")->size(), getNumFunctionFeatures());
  EXPECT_NE(getFeatureDocumentation().find("| 0 | Instructions |"),
            std::string::npos);
}

TEST(Features, CountsStraightLineCode) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, TwoFunctions);
  ASSERT_TRUE(M);
  FeatureVector V = computeFunctionFeatures(*M->getFunction("a"));
  ASSERT_EQ(V.size(), getNumFunctionFeatures());
  EXPECT_EQ(get(V, FunctionFeature::Instructions), 4);
  EXPECT_EQ(get(V, FunctionFeature::Arguments), 2);
  EXPECT_EQ(get(V, FunctionFeature::IntAddSub), 1);
  EXPECT_EQ(get(V, FunctionFeature::PoisonFlags), 1);
  EXPECT_EQ(get(V, FunctionFeature::Selects), 1);
  EXPECT_EQ(get(V, FunctionFeature::ICmps), 1);
  EXPECT_EQ(get(V, FunctionFeature::ResultsI1), 1);
  EXPECT_EQ(get(V, FunctionFeature::ResultsI32), 2);
  // 0, 100000 and -1: three int constants, two of them 0/1/-1, one wide.
  EXPECT_EQ(get(V, FunctionFeature::ConstIntOperands), 3);
  EXPECT_EQ(get(V, FunctionFeature::ZeroOneOperands), 2);
  EXPECT_EQ(get(V, FunctionFeature::WideConstOperands), 1);
  EXPECT_EQ(get(V, FunctionFeature::IsMinSize), 1);
  EXPECT_EQ(get(V, FunctionFeature::IsOptSize), 1);
  EXPECT_EQ(get(V, FunctionFeature::Loops), 0);
}

TEST(Features, CountsLoops) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, TwoFunctions);
  ASSERT_TRUE(M);
  FeatureVector V = computeFunctionFeatures(*M->getFunction("b"));
  EXPECT_EQ(get(V, FunctionFeature::BasicBlocks), 3);
  EXPECT_EQ(get(V, FunctionFeature::Loops), 1);
  EXPECT_EQ(get(V, FunctionFeature::MaxLoopDepth), 1);
  EXPECT_EQ(get(V, FunctionFeature::BlocksInLoops), 1);
  EXPECT_EQ(get(V, FunctionFeature::InstructionsInLoops), 6);
  EXPECT_EQ(get(V, FunctionFeature::LoopExitEdges), 1);
  EXPECT_EQ(get(V, FunctionFeature::Stores), 1);
  EXPECT_EQ(get(V, FunctionFeature::GEPs), 1);
  EXPECT_EQ(get(V, FunctionFeature::PHIIncoming), 2);
  EXPECT_EQ(get(V, FunctionFeature::IsInternal), 1);
  // A declaration has an all-zero vector.
  FeatureVector D = computeFunctionFeatures(*M->getFunction("ext"));
  EXPECT_EQ(D, FeatureVector(getNumFunctionFeatures(), 0));
}

TEST(Features, ModuleAggregatesBySumAndMax) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, TwoFunctions);
  ASSERT_TRUE(M);
  FeatureVector A = computeFunctionFeatures(*M->getFunction("a"));
  FeatureVector B = computeFunctionFeatures(*M->getFunction("b"));
  FeatureVector Mod = computeModuleFeatures(*M);
  ASSERT_EQ(Mod.size(), getNumModuleFeatures());
  ArrayRef<FeatureInfo> Infos = getFunctionFeatureInfo();
  for (unsigned I = 0; I < Infos.size(); ++I) {
    int64_t Expected = Infos[I].Agg == FeatureAggregation::Max
                           ? std::max(A[I], B[I])
                           : A[I] + B[I];
    EXPECT_EQ(Mod[I], Expected) << Infos[I].Name.str();
  }
  unsigned Base = getNumFunctionFeatures();
  auto ModSlot = [&](ModuleFeature F) {
    return Mod[Base + static_cast<unsigned>(F)];
  };
  EXPECT_EQ(ModSlot(ModuleFeature::DefinedFunctions), 2);
  EXPECT_EQ(ModSlot(ModuleFeature::DeclaredFunctions), 1);
  EXPECT_EQ(ModSlot(ModuleFeature::InternalFunctions), 1);
  EXPECT_EQ(ModSlot(ModuleFeature::ConstantGlobals), 1);
  EXPECT_EQ(ModSlot(ModuleFeature::GlobalInitializerBytes), 4);
}

} // namespace
