//===- PipelineEvaluatorTest.cpp - Unit tests for PipelineEvaluator -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "IRTestUtil.h"
#include "neuropt/Search/PipelineEvaluator.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/Error.h"

#include "gtest/gtest.h"

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

} // namespace
