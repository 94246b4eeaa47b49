//===- SameFunction.cpp - Exact equality of functions in two modules -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/SameFunction.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Operator.h"

using namespace llvm;

namespace {
class Matcher {
public:
  bool functions(const Function &A, const Function &B) {
    if (&A.getContext() != &B.getContext() ||
        A.getFunctionType() != B.getFunctionType() ||
        A.getAttributes() != B.getAttributes() ||
        A.getCallingConv() != B.getCallingConv() ||
        A.getLinkage() != B.getLinkage() || A.size() != B.size() ||
        A.isDeclaration() || B.isDeclaration())
      return false;
    for (auto [X, Y] : zip(A.args(), B.args()))
      Map[&X] = &Y;
    for (auto [X, Y] : zip(A, B))
      Map[&X] = &Y;
    for (auto [BA, BB] : zip(A, B)) {
      if (BA.size() != BB.size())
        return false;
      for (auto [X, Y] : zip(BA, BB))
        Map[&X] = &Y;
    }
    for (auto [BA, BB] : zip(A, B))
      for (auto [X, Y] : zip(BA, BB))
        if (!instructions(X, Y))
          return false;
    return true;
  }

private:
  bool instructions(const Instruction &X, const Instruction &Y) {
    if (!X.isSameOperationAs(&Y) ||
        X.getRawSubclassOptionalData() != Y.getRawSubclassOptionalData() ||
        X.getNumOperands() != Y.getNumOperands())
      return false;
    for (unsigned I = 0, E = X.getNumOperands(); I < E; ++I)
      if (!values(X.getOperand(I), Y.getOperand(I)))
        return false;
    if (const auto *PX = dyn_cast<PHINode>(&X)) {
      const auto *PY = cast<PHINode>(&Y);
      for (unsigned I = 0, E = PX->getNumIncomingValues(); I < E; ++I)
        if (!values(PX->getIncomingBlock(I), PY->getIncomingBlock(I)))
          return false;
    }
    // Metadata that carries meaning (!range, !nonnull, !tbaa, loop
    // metadata...) must be the same node. Debug information is ignored:
    // debug locations, and the assignment IDs that clang -g puts on stores
    // and allocas (distinct nodes, so never equal across two copies).
    return meaningfulMetadata(X) == meaningfulMetadata(Y);
  }

  static SmallVector<std::pair<unsigned, MDNode *>, 4>
  meaningfulMetadata(const Instruction &I) {
    SmallVector<std::pair<unsigned, MDNode *>, 4> MDs;
    I.getAllMetadataOtherThanDebugLoc(MDs);
    llvm::erase_if(MDs, [](const auto &KV) {
      return KV.first == LLVMContext::MD_DIAssignID;
    });
    return MDs;
  }

  bool values(const Value *X, const Value *Y) {
    if (X == Y)
      return true; // Uniqued constants, types, metadata of the one context.
    if (X->getType() != Y->getType() || X->getValueID() != Y->getValueID())
      return false;
    if (auto It = Map.find(X); It != Map.end())
      return It->second == Y;
    if (const auto *GX = dyn_cast<GlobalValue>(X)) {
      const auto *GY = cast<GlobalValue>(Y);
      return GX->hasName() && GX->getName() == GY->getName();
    }
    // Constants that mention globals are distinct objects in each module.
    if (const auto *CX = dyn_cast<Constant>(X)) {
      const auto *CY = cast<Constant>(Y);
      if (isa<BlockAddress>(CX) || isa<DSOLocalEquivalent>(CX) ||
          isa<NoCFIValue>(CX) || isa<ConstantPtrAuth>(CX))
        return false;
      if (const auto *EX = dyn_cast<ConstantExpr>(CX)) {
        const auto *EY = cast<ConstantExpr>(CY);
        if (EX->getOpcode() != EY->getOpcode() ||
            EX->getRawSubclassOptionalData() != EY->getRawSubclassOptionalData())
          return false;
        if (const auto *GX = dyn_cast<GEPOperator>(EX))
          if (GX->getSourceElementType() !=
                  cast<GEPOperator>(EY)->getSourceElementType() ||
              GX->getNoWrapFlags() != cast<GEPOperator>(EY)->getNoWrapFlags() ||
              GX->getInRange() != cast<GEPOperator>(EY)->getInRange())
            return false;
      } else if (!isa<ConstantAggregate>(CX)) {
        return false; // Other constants are uniqued: different objects differ.
      }
      if (CX->getNumOperands() != CY->getNumOperands())
        return false;
      for (unsigned I = 0, E = CX->getNumOperands(); I < E; ++I)
        if (!values(CX->getOperand(I), CY->getOperand(I)))
          return false;
      return true;
    }
    return false; // Metadata-as-value, inline asm and the like: be strict.
  }

  DenseMap<const Value *, const Value *> Map;
};
} // namespace

bool neuropt::isSameFunction(const Function &A, const Function &B) {
  return Matcher().functions(A, B);
}
