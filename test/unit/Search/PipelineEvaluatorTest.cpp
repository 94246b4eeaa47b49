//===- PipelineEvaluatorTest.cpp - Unit tests for PipelineEvaluator -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "HeapLayout.h"
#include "IRTestUtil.h"
#include "neuropt/Search/PipelineEvaluator.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/Error.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

using namespace llvm;
using namespace neuropt;

namespace {

/// A module big enough that -Oz takes well over a millisecond on it: many
/// functions with loops, each calling the next.
std::string bigModule(unsigned N) {
  std::string S;
  for (unsigned I = 0; I < N; ++I) {
    std::string F = "f" + std::to_string(I);
    std::string Next = "f" + std::to_string(I + 1);
    S += "define i32 @" + F + "(i32 %n, ptr %p) {\n"
         "entry:\n  br label %loop\n"
         "loop:\n  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]\n"
         "  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]\n"
         "  %q = getelementptr i32, ptr %p, i32 %i\n"
         "  %v = load i32, ptr %q\n  %m = mul i32 %v, %i\n"
         "  %s1 = add i32 %s, %m\n  %i1 = add i32 %i, 1\n"
         "  %c = icmp slt i32 %i1, %n\n  br i1 %c, label %loop, label %exit\n"
         "exit:\n";
    if (I + 1 < N)
      S += "  %r = call i32 @" + Next + "(i32 %s1, ptr %p)\n  ret i32 %r\n}\n";
    else
      S += "  ret i32 %s1\n}\n";
  }
  return S;
}

TEST(PipelineEvaluator, TimeLimitStopsThePipelineAndSaysSo) {
  Expected<std::unique_ptr<PipelineEvaluator>> Eval =
      PipelineEvaluator::create();
  ASSERT_TRUE(!!Eval) << toString(Eval.takeError());
  LLVMContext Ctx;
  std::string Text = bigModule(400);
  std::unique_ptr<Module> M = parseIR(Ctx, Text.c_str());
  ASSERT_TRUE(M);
  // 1 ms runs out long before -Oz is done with 400 functions: the rest of
  // the pipeline is skipped, the module stays valid IR, and the error says
  // why.
  Error E = (*Eval)->runPipeline(*M, "default<Oz>", /*TimeLimitMs=*/1);
  ASSERT_TRUE(!!E);
  std::string Msg = toString(std::move(E));
  EXPECT_NE(Msg.find("stopped at the time limit of 1 ms"), std::string::npos)
      << Msg;
  // It names the pass that took longest (the first pass runs before the
  // limit is checked again).
  EXPECT_NE(Msg.find(" ms of it in "), std::string::npos) << Msg;
  EXPECT_FALSE(verifyModule(*M, &errs()));

  // Without a limit, or with a generous one, the same pipeline completes.
  std::unique_ptr<Module> M2 = parseIR(Ctx, Text.c_str());
  EXPECT_FALSE(!!(*Eval)->runPipeline(*M2, "default<Oz>"));
  std::unique_ptr<Module> M3 = parseIR(Ctx, Text.c_str());
  EXPECT_FALSE(!!(*Eval)->runPipeline(*M3, "default<Oz>", 600000));
}

/// Functions that repeat one run of stores, each with a tail of its own:
/// the machine outliner can make the run one function they call.
std::string repeatedStores(unsigned N) {
  std::string S;
  for (unsigned I = 0; I < N; ++I)
    S += "define void @f" + std::to_string(I) +
         "(ptr %r, i32 %id) {\n"
         "  store i32 %id, ptr %r\n"
         "  %f = shl i32 %id, 3\n  %x = xor i32 %f, 1445\n"
         "  %p1 = getelementptr i8, ptr %r, i64 4\n  store i32 %x, ptr %p1\n"
         "  %c = mul i32 %id, 7\n  %c1 = add i32 %c, 3\n"
         "  %p2 = getelementptr i8, ptr %r, i64 8\n  store i32 %c1, ptr %p2\n"
         "  %w = sext i32 %c1 to i64\n  %t = mul i64 %w, 1000003\n"
         "  %p3 = getelementptr i8, ptr %r, i64 16\n  store i64 %t, ptr %p3\n"
         "  %p4 = getelementptr i8, ptr %r, i64 24\n"
         "  store i32 " + std::to_string(I * 11 + 5) + ", ptr %p4\n"
         "  ret void\n}\n";
  return S;
}

TEST(PipelineEvaluator, MeasuresWithTheMachineOutlinerWhenAsked) {
  ASSERT_TRUE(MachineOutliner::available());
  Expected<std::unique_ptr<PipelineEvaluator>> Eval =
      PipelineEvaluator::create();
  ASSERT_TRUE(!!Eval) << toString(Eval.takeError());
  LLVMContext Ctx;
  std::string Text = repeatedStores(8);
  std::unique_ptr<Module> M = parseIR(Ctx, Text.c_str());
  ASSERT_TRUE(M);

  Expected<SizeMeasurement> Plain = (*Eval)->measure(*M);
  ASSERT_TRUE(!!Plain) << toString(Plain.takeError());
  EXPECT_FALSE(Plain->Outlined.has_value());

  (*Eval)->setAlsoOutlined(true);
  Expected<SizeMeasurement> Both = (*Eval)->measure(*M);
  ASSERT_TRUE(!!Both) << toString(Both.takeError());
  ASSERT_TRUE(Both->Outlined.has_value());
  // The plain measurement is the same as without the second one, and the
  // outliner makes these functions smaller.
  EXPECT_EQ(Both->Object.objective(), Plain->Object.objective());
  EXPECT_LT(Both->Outlined->objective(), Plain->Object.objective());
  EXPECT_NE(std::find_if(Both->Outlined->FunctionBytes.begin(),
                         Both->Outlined->FunctionBytes.end(),
                         [](const auto &F) {
                           return F.first.find("OUTLINED_FUNCTION") !=
                                  std::string::npos;
                         }),
            Both->Outlined->FunctionBytes.end());

  // A decision for clang's code generation does not leak into the
  // measurements: each builds its pipeline with the outliner as asked.
  (*Eval)->setAlsoOutlined(false);
  MachineOutliner::setForCodegen(true);
  Expected<SizeMeasurement> Again = (*Eval)->measure(*M);
  MachineOutliner::setForCodegen(false);
  ASSERT_TRUE(!!Again) << toString(Again.takeError());
  EXPECT_EQ(Again->Object.objective(), Plain->Object.objective());
  EXPECT_FALSE(Again->Outlined.has_value());
}

TEST(PipelineEvaluator, CountsUnwindTableEntries) {
  Expected<std::unique_ptr<PipelineEvaluator>> Eval =
      PipelineEvaluator::create();
  ASSERT_TRUE(!!Eval) << toString(Eval.takeError());
  LLVMContext Ctx;
  auto Measure = [&](const char *IR) -> std::optional<ObjectSize> {
    std::unique_ptr<Module> M = parseIR(Ctx, IR);
    if (!M)
      return std::nullopt;
    Expected<SizeMeasurement> S = (*Eval)->measure(*M);
    if (!S) {
      ADD_FAILURE() << toString(S.takeError());
      return std::nullopt;
    }
    return S->Object;
  };
  // Three functions with unwind tables (uwtable) and one without
  // (nounwind, no uwtable): three FDEs after one CIE.
  std::optional<ObjectSize> S = Measure(R"(
    declare void @g()
    define void @a() uwtable { call void @g() ret void }
    define void @b() uwtable { call void @g() call void @g() ret void }
    define i32 @c(i32 %x) uwtable { %y = add i32 %x, 1 ret i32 %y }
    define i32 @d(i32 %x) nounwind { ret i32 %x }
  )");
  ASSERT_TRUE(S);
  EXPECT_EQ(S->UnwindEntries, 3u);
  EXPECT_GT(S->EHFrame, 0u);
  EXPECT_EQ(S->unwindBytes(), S->EHFrame + 3 * 8);

  // No unwind tables at all: no .eh_frame, no entries.
  std::optional<ObjectSize> T =
      Measure("define i32 @d(i32 %x) nounwind { ret i32 %x }");
  ASSERT_TRUE(T);
  EXPECT_EQ(T->UnwindEntries, 0u);
  EXPECT_EQ(T->unwindBytes(), T->EHFrame);
}

// LLVM's own gvn-sink, run in this process, sinks differently as the heap's
// layout changes (it orders users by address). The evaluator runs that step
// on a copy read from bitcode where nothing else has laid out the heap, so
// runPipeline, evaluate and evaluateIsolated give one result: sweeps and
// label searches, resumed or resharded, and the pass's candidates, in a
// child or not, measure the same (HeapLayout.h).
TEST(PipelineEvaluator, GVNSinkDoesNotFollowTheHeap) {
  const std::string IR = fourWayTwins();
  ASSERT_GT(sinkUnderScrambledHeaps(IR).size(), 1u)
      << "LLVM's gvn-sink no longer follows the heap's layout: this test "
         "needs another pass that does to show anything";
  Expected<std::unique_ptr<PipelineEvaluator>> Eval =
      PipelineEvaluator::create();
  ASSERT_TRUE(!!Eval) << toString(Eval.takeError());
  LLVMContext Ctx;
  std::set<std::string> Printed;
  std::set<uint64_t> Here, Isolated;
  for (unsigned Seed = 1; Seed <= 6; ++Seed) {
    scrambleHeap(Seed);
    std::unique_ptr<Module> M = parseIR(Ctx, IR);
    ASSERT_TRUE(M);
    ASSERT_FALSE(bool((*Eval)->runPipeline(*M, "function(gvn-sink)")));
    EXPECT_FALSE(verifyModule(*M, &errs()));
    Printed.insert(printModule(*M));
  }
  EXPECT_EQ(Printed.size(), 1u);
  EXPECT_NE(Printed.begin()->find(".sink"), std::string::npos)
      << *Printed.begin();
  std::unique_ptr<Module> M = parseIR(Ctx, IR);
  ASSERT_TRUE(M);
  for (unsigned Seed = 1; Seed <= 4; ++Seed) {
    scrambleHeap(Seed);
    Expected<SizeMeasurement> S = (*Eval)->evaluate(*M, "function(gvn-sink)");
    ASSERT_TRUE(!!S) << toString(S.takeError());
    Here.insert(S->Object.objective());
    S = (*Eval)->evaluateIsolated(*M, "function(gvn-sink)", 60000);
    ASSERT_TRUE(!!S) << toString(S.takeError());
    Isolated.insert(S->Object.objective());
  }
  EXPECT_EQ(Here.size(), 1u);
  EXPECT_EQ(Isolated, Here);
}

// gvn-sink on a module with nothing to sink leaves it exactly as it was;
// with something to sink, the module's other contents survive the copy.
TEST(PipelineEvaluator, GVNSinkCopyKeepsTheRestOfTheModule) {
  Expected<std::unique_ptr<PipelineEvaluator>> Eval =
      PipelineEvaluator::create();
  ASSERT_TRUE(!!Eval) << toString(Eval.takeError());
  LLVMContext Ctx;
  const std::string Plain = "@g = internal global i32 7\n"
                            "define i32 @f(i32 %x) {\n"
                            "  %a = add i32 %x, 1\n"
                            "  ret i32 %a\n}\n";
  std::unique_ptr<Module> M = parseIR(Ctx, Plain);
  ASSERT_TRUE(M);
  const std::string Before = printModule(*M);
  ASSERT_FALSE(bool((*Eval)->runPipeline(*M, "function(gvn-sink)")));
  EXPECT_EQ(printModule(*M), Before);

  std::string IR = fourWayTwins("target triple = \"x86_64-pc-linux-gnu\"\n");
  IR += "@keep = global [2 x i8] c\"ok\"\n"
        "!llvm.ident = !{!0}\n!0 = !{!\"neuropt test\"}\n";
  M = parseIR(Ctx, IR);
  ASSERT_TRUE(M);
  ASSERT_FALSE(bool((*Eval)->runPipeline(*M, "function(gvn-sink)")));
  EXPECT_FALSE(verifyModule(*M, &errs()));
  const std::string After = printModule(*M);
  EXPECT_NE(After.find(".sink"), std::string::npos);
  EXPECT_EQ(M->getTargetTriple().str(), "x86_64-pc-linux-gnu");
  EXPECT_NE(M->getNamedGlobal("keep"), nullptr);
  EXPECT_NE(M->getNamedMetadata("llvm.ident"), nullptr);
  EXPECT_EQ(M->size(), 21u); // @h and @t0..@t19
}

} // namespace
