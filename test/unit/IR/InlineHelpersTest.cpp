//===- InlineHelpersTest.cpp - Unit tests for inlineHelpers ---------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "IRTestUtil.h"
#include "neuropt/IR/InlineHelpers.h"

#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Verifier.h"

using namespace llvm;
using namespace neuropt;

namespace {

/// Two callers of an outlined helper that calls a second one; a recursive
/// helper; a helper whose address is taken; an external function that
/// must stay a call.
const char *Module = R"IR(
declare void @sink(ptr)
define internal void @outlined_ir_func_0(i32 %a, ptr %out) {
  %m = mul i32 %a, 3
  %r = call i32 @outlined_ir_func_1(i32 %m)
  store i32 %r, ptr %out
  ret void
}
define internal i32 @outlined_ir_func_1(i32 %b) {
  %r = add i32 %b, 1
  ret i32 %r
}
define internal i32 @rec(i32 %n) {
  %c = icmp eq i32 %n, 0
  br i1 %c, label %done, label %more
more:
  %m = sub i32 %n, 1
  %r = call i32 @rec(i32 %m)
  ret i32 %r
done:
  ret i32 0
}
define internal void @escapes() {
  ret void
}
define i32 @ext(i32 %x) {
  ret i32 %x
}
define i32 @f(i32 %x) {
  %p = alloca i32
  call void @outlined_ir_func_0(i32 %x, ptr %p)
  %v = load i32, ptr %p
  %e = call i32 @ext(i32 %v)
  ret i32 %e
}
define i32 @g(i32 %x, ptr %q) {
  call void @outlined_ir_func_0(i32 %x, ptr %q)
  %r = call i32 @rec(i32 %x)
  call void @sink(ptr @escapes)
  call void @escapes()
  ret i32 %r
}
)IR";

unsigned callsTo(const Function &F, StringRef Callee) {
  unsigned N = 0;
  for (const Instruction &I : instructions(F))
    if (auto *CB = dyn_cast<CallBase>(&I))
      if (const Function *C = CB->getCalledFunction())
        N += C->getName() == Callee;
  return N;
}

TEST(InlineHelpers, InlinesNestedHelpersAndKeepsTheRest) {
  LLVMContext Ctx;
  std::unique_ptr<llvm::Module> M = parseIR(Ctx, Module);
  ASSERT_TRUE(M);
  auto IsHelper = [](const Function &F) { return F.hasLocalLinkage(); };
  SmallPtrSet<const Function *, 8> Covered;
  unsigned N = inlineHelpers(*M, IsHelper, Covered);
  EXPECT_FALSE(verifyModule(*M, &errs()));
  // Round 1: both calls of outlined_ir_func_0, its own call of
  // outlined_ir_func_1, and the direct call of @escapes; round 2: the calls
  // of outlined_ir_func_1 that round 1 brought into f and g.
  EXPECT_EQ(N, 6u);
  for (StringRef Caller : {"f", "g"}) {
    EXPECT_EQ(callsTo(*M->getFunction(Caller), "outlined_ir_func_0"), 0u)
        << Caller.str();
    EXPECT_EQ(callsTo(*M->getFunction(Caller), "outlined_ir_func_1"), 0u)
        << Caller.str();
  }
  EXPECT_EQ(callsTo(*M->getFunction("f"), "ext"), 1u);
  EXPECT_TRUE(Covered.count(M->getFunction("outlined_ir_func_0")));
  EXPECT_TRUE(Covered.count(M->getFunction("outlined_ir_func_1")));
  // Recursive: left alone, so it is not covered.
  EXPECT_FALSE(Covered.count(M->getFunction("rec")));
  EXPECT_EQ(callsTo(*M->getFunction("g"), "rec"), 1u);
  // Its address is passed to @sink: not covered by its callers.
  EXPECT_FALSE(Covered.count(M->getFunction("escapes")));
  EXPECT_EQ(callsTo(*M->getFunction("g"), "escapes"), 0u);
  EXPECT_FALSE(Covered.count(M->getFunction("ext")));
}

TEST(InlineHelpers, NothingToDo) {
  LLVMContext Ctx;
  std::unique_ptr<llvm::Module> M = parseIR(Ctx, Module);
  ASSERT_TRUE(M);
  SmallPtrSet<const Function *, 8> Covered;
  EXPECT_EQ(inlineHelpers(*M, [](const Function &) { return false; }, Covered),
            0u);
  EXPECT_TRUE(Covered.empty());
  EXPECT_EQ(callsTo(*M->getFunction("f"), "outlined_ir_func_0"), 1u);
}

} // namespace
