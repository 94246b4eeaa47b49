//===- InlineHelpers.cpp - Inline functions a transformation created -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/InlineHelpers.h"

#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/Cloning.h"

using namespace llvm;

unsigned neuropt::inlineHelpers(Module &M,
                                function_ref<bool(const Function &)> IsHelper,
                                SmallPtrSetImpl<const Function *> &Covered,
                                unsigned MaxRounds) {
  // A helper that calls itself would only be unrolled into its callers,
  // never covered: it stays a call.
  auto CallsItself = [](const Function &F) {
    return any_of(F.users(), [&](const User *U) {
      auto *CB = dyn_cast<CallBase>(U);
      return CB && CB->getFunction() == &F;
    });
  };
  SmallVector<Function *, 16> Helpers;
  for (Function &F : M)
    if (!F.isDeclaration() && IsHelper(F) && !CallsItself(F))
      Helpers.push_back(&F);
  if (Helpers.empty())
    return 0;
  unsigned Inlined = 0;
  for (unsigned Round = 0; Round < MaxRounds; ++Round) {
    // The calls of this round, collected first: inlining adds and removes
    // users while it runs.
    SmallVector<CallBase *, 32> Calls;
    for (Function *H : Helpers)
      for (User *U : H->users())
        if (auto *CB = dyn_cast<CallBase>(U))
          if (CB->getCalledOperand() == H && CB->getFunction() != H)
            Calls.push_back(CB);
    if (Calls.empty())
      break;
    unsigned Before = Inlined;
    for (CallBase *CB : Calls) {
      InlineFunctionInfo IFI;
      // No lifetime markers: they are not the callee's code.
      if (InlineFunction(*CB, IFI, /*MergeAttributes=*/false,
                         /*CalleeAAR=*/nullptr, /*InsertLifetime=*/false)
              .isSuccess())
        ++Inlined;
    }
    if (Inlined == Before)
      break;
  }
  for (Function *H : Helpers)
    if (H->use_empty())
      Covered.insert(H);
  return Inlined;
}
