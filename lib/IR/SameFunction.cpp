//===- SameFunction.cpp - Exact equality of functions in two modules -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/SameFunction.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"

#include <optional>

using namespace llvm;
using namespace neuropt;

namespace {
/// Attributes that only promise something about the values, the memory or
/// the control flow (the breach of each is undefined behaviour or poison),
/// or are hints without meaning: a target may keep fewer of them. Any other
/// attribute (ABI attributes such as byval, sret and zeroext; ones that
/// change meaning such as null_pointer_is_valid or strictfp; string
/// attributes such as "denormal-fp-math") must be the same on both sides.
bool isDroppable(Attribute::AttrKind K) {
  switch (K) {
  case Attribute::NonNull: case Attribute::NoUndef:
  case Attribute::Dereferenceable: case Attribute::DereferenceableOrNull:
  case Attribute::Alignment: case Attribute::NoAlias:
  case Attribute::Captures: case Attribute::ReadNone:
  case Attribute::ReadOnly: case Attribute::WriteOnly:
  case Attribute::Memory: case Attribute::NoFree: case Attribute::NoSync:
  case Attribute::NoUnwind: case Attribute::WillReturn:
  case Attribute::NoReturn: case Attribute::MustProgress:
  case Attribute::NoRecurse: case Attribute::Returned: case Attribute::Range:
  case Attribute::NoFPClass: case Attribute::Writable:
  case Attribute::DeadOnUnwind: case Attribute::Initializes:
  case Attribute::Speculatable: case Attribute::Cold: case Attribute::Hot:
  case Attribute::InlineHint: case Attribute::NoInline:
  case Attribute::AlwaysInline: case Attribute::MinSize:
  case Attribute::OptimizeForSize: case Attribute::NoMerge:
  case Attribute::NonLazyBind: case Attribute::UWTable:
    return true;
  default:
    return false;
  }
}

/// Whether the attribute list \p T (the target's) is \p S (the source's),
/// or (\p Weaker) only drops promises of it: every attribute of T is S's at
/// the same place, and every attribute of S that is not droppable is T's
/// too. Types in attributes (byval, sret, elementtype...) are compared up to
/// the names of structs.
bool sameAttributes(const AttributeList &S, const AttributeList &T,
                    unsigned NumArgs, bool Weaker) {
  SmallVector<unsigned, 8> Indices = {AttributeList::FunctionIndex,
                                      AttributeList::ReturnIndex};
  for (unsigned I = 0; I < NumArgs; ++I)
    Indices.push_back(AttributeList::FirstArgIndex + I);
  auto In = [](AttributeSet Set, Attribute A) {
    return isSameAttribute(A.isStringAttribute()
                               ? Set.getAttribute(A.getKindAsString())
                               : Set.getAttribute(A.getKindAsEnum()),
                           A);
  };
  for (unsigned Index : Indices) {
    AttributeSet SA = S.getAttributes(Index), TA = T.getAttributes(Index);
    for (Attribute A : TA)
      if (!In(SA, A))
        return false;
    for (Attribute A : SA)
      if ((!Weaker || A.isStringAttribute() ||
           !isDroppable(A.getKindAsEnum())) &&
          !In(TA, A))
        return false;
  }
  return true;
}

/// Whether \p F is internal and only called, each call with its calling
/// convention: the convention is then a matter of its module alone.
bool onlyCalled(const Function &F) {
  if (!F.hasLocalLinkage())
    return false;
  for (const Use &U : F.uses()) {
    const auto *C = dyn_cast<CallBase>(U.getUser());
    if (!C || !C->isCallee(&U) || C->getCallingConv() != F.getCallingConv() ||
        C->getFunctionType() != F.getFunctionType())
      return false;
  }
  return true;
}

/// Whether \p C calls a function of its module that only calls use, each
/// with the callee's calling convention (globalopt makes such callees
/// fastcc): what the call does is then the same with any convention.
bool ownConvention(const CallBase &C) {
  const Function *F = C.getCalledFunction();
  return F && !F->isDeclaration() && onlyCalled(*F);
}

class Matcher {
public:
  /// \p Weaker: B may drop what A promises (flags, attributes, metadata,
  /// alignment, tail markers), so that B refines A; otherwise B must be A.
  explicit Matcher(bool Weaker) : Weaker(Weaker) {}

  bool functions(const Function &A, const Function &B) {
    if (&A.getContext() != &B.getContext() ||
        !isSameType(A.getFunctionType(), B.getFunctionType()) ||
        A.size() != B.size() || A.isDeclaration() || B.isDeclaration())
      return false;
    if (!sameAttributes(A.getAttributes(), B.getAttributes(), A.arg_size(),
                        Weaker))
      return false;
    // A definition's calling convention and linkage concern its callers,
    // not what its body does. Its callers are checked on their own: a call
    // may change its convention only with an internal callee's, which is
    // only called (ownConvention); any other must keep it.
    if (!Weaker && (A.getCallingConv() != B.getCallingConv() ||
                    A.getLinkage() != B.getLinkage()))
      return false;
    if (A.getCallingConv() != B.getCallingConv() && !onlyCalled(B))
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

  /// Two initializers (or other constants), globals matched by name.
  bool constants(const Constant &X, const Constant &Y) {
    return values(&X, &Y);
  }

private:
  /// The operation itself, apart from the operands: exactly, or (Weaker)
  /// with Y keeping fewer promises than X. This is LLVM's
  /// isSameOperationAs, except that types are compared up to the names of
  /// structs: a module read from bitcode into a context that has its struct
  /// types already gets renamed copies of them (%struct.S.12).
  bool sameOperation(const Instruction &X, const Instruction &Y) {
    if (X.getOpcode() != Y.getOpcode() ||
        X.getNumOperands() != Y.getNumOperands() ||
        !isSameType(X.getType(), Y.getType()))
      return false;
    for (unsigned I = 0, E = X.getNumOperands(); I < E; ++I)
      if (!isSameType(X.getOperand(I)->getType(), Y.getOperand(I)->getType()))
        return false;
    // Optional data (nsw, nuw, exact, disjoint, nneg, samesign, inbounds,
    // fast-math flags) "may be cleared to zero without affecting
    // conservative interpretation" (llvm/IR/Value.h): Y may clear bits.
    unsigned OX = X.getRawSubclassOptionalData(),
             OY = Y.getRawSubclassOptionalData();
    if (Weaker ? (OY & ~OX) != 0 : OX != OY)
      return false;
    // The special state that holds types, or that Y may weaken.
    if (const auto *CX = dyn_cast<CallBase>(&X)) {
      const auto *CY = cast<CallBase>(&Y);
      if (!isSameType(CX->getFunctionType(), CY->getFunctionType()) ||
          (CX->getCallingConv() != CY->getCallingConv() &&
           !(Weaker && ownConvention(*CY))) ||
          !CX->hasIdenticalOperandBundleSchema(*CY) ||
          !sameAttributes(CX->getAttributes(), CY->getAttributes(),
                          CX->arg_size(), Weaker))
        return false;
      // A tail marker promises that the callee reads none of the caller's
      // stack: Y may drop it, nothing else.
      if (const auto *TX = dyn_cast<CallInst>(CX)) {
        CallInst::TailCallKind KX = TX->getTailCallKind(),
                               KY = cast<CallInst>(CY)->getTailCallKind();
        return KX == KY ||
               (Weaker && KX == CallInst::TCK_Tail && KY == CallInst::TCK_None);
      }
      return true;
    }
    if (const auto *AX = dyn_cast<AllocaInst>(&X)) {
      const auto *AY = cast<AllocaInst>(&Y);
      return isSameType(AX->getAllocatedType(), AY->getAllocatedType()) &&
             AX->getAlign() == AY->getAlign() &&
             AX->isUsedWithInAlloca() == AY->isUsedWithInAlloca() &&
             AX->isSwiftError() == AY->isSwiftError();
    }
    if (const auto *GX = dyn_cast<GetElementPtrInst>(&X))
      return isSameType(GX->getSourceElementType(),
                        cast<GetElementPtrInst>(&Y)->getSourceElementType());
    // A load or store may promise less alignment; anything else that has
    // an alignment (alloca, atomics) gives it, so it stays the same.
    if (Weaker && isa<LoadInst, StoreInst>(X))
      return X.hasSameSpecialState(&Y, /*IgnoreAlignment=*/true) &&
             getLoadStoreAlignment(&Y) <= getLoadStoreAlignment(&X);
    return X.hasSameSpecialState(&Y);
  }

  bool instructions(const Instruction &X, const Instruction &Y) {
    if (!sameOperation(X, Y) || X.getNumOperands() != Y.getNumOperands())
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
    // and allocas (distinct nodes, so never equal across two copies). Y
    // may drop metadata (LLVM's rule: dropping it never changes meaning).
    auto MX = meaningfulMetadata(X), MY = meaningfulMetadata(Y);
    if (!Weaker)
      return MX == MY;
    return all_of(MY, [&](const auto &KV) { return is_contained(MX, KV); });
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
    if (X->getValueID() != Y->getValueID() ||
        !isSameType(X->getType(), Y->getType()))
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
          if (!isSameType(GX->getSourceElementType(),
                          cast<GEPOperator>(EY)->getSourceElementType()) ||
              GX->getNoWrapFlags() != cast<GEPOperator>(EY)->getNoWrapFlags() ||
              GX->getInRange() != cast<GEPOperator>(EY)->getInRange())
            return false;
      } else if (isa<ConstantAggregateZero, UndefValue>(CX)) {
        return true; // uniqued per type: the same up to the struct names
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

  bool Weaker;
  DenseMap<const Value *, const Value *> Map;
};
} // namespace

bool neuropt::isSameType(Type *A, Type *B) {
  if (A == B)
    return true;
  if (A->getTypeID() != B->getTypeID() ||
      A->getNumContainedTypes() != B->getNumContainedTypes())
    return false;
  // Types of one context are uniqued (but for identified structs); across
  // contexts, what makes them that type is compared.
  bool OneContext = &A->getContext() == &B->getContext();
  if (auto *SA = dyn_cast<StructType>(A)) {
    // Literal structs are uniqued by their elements, and so is A == B;
    // opaque ones have no body to compare.
    auto *SB = cast<StructType>(B);
    if (!OneContext && SA->isOpaque() && SB->isOpaque())
      return SA->getName() == SB->getName();
    if ((OneContext && (SA->isLiteral() || SB->isLiteral())) ||
        SA->isLiteral() != SB->isLiteral() || SA->isOpaque() ||
        SB->isOpaque() || SA->isPacked() != SB->isPacked())
      return false;
  } else if (OneContext && !isa<ArrayType, VectorType, FunctionType>(A)) {
    return false; // Other types are uniqued: different objects differ.
  } else if (auto *IA = dyn_cast<IntegerType>(A)) {
    return IA->getBitWidth() == cast<IntegerType>(B)->getBitWidth();
  } else if (auto *PA = dyn_cast<PointerType>(A)) {
    return PA->getAddressSpace() == cast<PointerType>(B)->getAddressSpace();
  } else if (isa<TargetExtType>(A)) {
    return false; // not met in the code neuropt verifies
  } else if (auto *AA = dyn_cast<ArrayType>(A)) {
    if (AA->getNumElements() != cast<ArrayType>(B)->getNumElements())
      return false;
  } else if (auto *VA = dyn_cast<VectorType>(A)) {
    if (VA->getElementCount() != cast<VectorType>(B)->getElementCount())
      return false;
  } else if (auto *FA = dyn_cast<FunctionType>(A)) {
    if (FA->isVarArg() != cast<FunctionType>(B)->isVarArg())
      return false;
  } else if (A->getNumContainedTypes()) {
    return false;
  }
  // Leaf types of two contexts (floating point, void, label...) are the
  // same by their type ID alone.
  for (unsigned I = 0, E = A->getNumContainedTypes(); I < E; ++I)
    if (!isSameType(A->getContainedType(I), B->getContainedType(I)))
      return false;
  return true;
}

bool neuropt::isSameAttribute(Attribute A, Attribute B) {
  if (A == B)
    return true;
  return A.isTypeAttribute() && B.isTypeAttribute() &&
         A.getKindAsEnum() == B.getKindAsEnum() &&
         isSameType(A.getValueAsType(), B.getValueAsType());
}

bool neuropt::isSameConstant(const Constant &A, const Constant &B) {
  return Matcher(/*Weaker=*/false).constants(A, B);
}

/// Why \p T (a global value of the target module) does not stand for \p R
/// (the reference's of the same name); none if it does.
static std::optional<ModuleDifference>
linkDifference(const GlobalValue &R, const GlobalValue &T,
               function_ref<bool(const Function &)> OnlyCalled) {
  std::string Name = "@" + R.getName().str();
  // What other modules link against: a change is wrong.
  bool Local = R.hasLocalLinkage();
  if (Local != T.hasLocalLinkage() ||
      (!Local && (R.getLinkage() != T.getLinkage() ||
                  R.getVisibility() != T.getVisibility() ||
                  R.getDLLStorageClass() != T.getDLLStorageClass() ||
                  (T.hasGlobalUnnamedAddr() && !R.hasGlobalUnnamedAddr()))))
    return ModuleDifference{"linkage of " + Name, true};
  bool Kind = R.getValueID() != T.getValueID() ||
              R.getAddressSpace() != T.getAddressSpace() ||
              R.getThreadLocalMode() != T.getThreadLocalMode();
  // An internal function may take other arguments (argument promotion, a
  // dead argument removed): a call of it is then not the reference's call,
  // which the check of its caller sees.
  bool Type = !(isa<Function>(R) && Local) &&
              !isSameType(R.getValueType(), T.getValueType());
  if (Kind || Type)
    return ModuleDifference{(Kind ? "kind of " : "type of ") + Name, !Local};
  // Another calling convention: other modules' calls break; within the
  // module, every call must use it (the function checks compare calls with
  // the reference's calls, not with their callees).
  const auto *FR = dyn_cast<Function>(&R);
  if (FR && FR->getCallingConv() != cast<Function>(T).getCallingConv() &&
      (!Local || !OnlyCalled(cast<Function>(T))))
    return ModuleDifference{"calling convention of " + Name, !Local};
  return std::nullopt;
}

std::optional<ModuleDifference>
neuropt::moduleDifference(const Module &Ref, const Module &Tgt,
                          const Module *Inlined) {
  Matcher M(/*Weaker=*/false);
  auto OnlyCalled = [&](const Function &F) {
    const Function *G = Inlined ? Inlined->getFunction(F.getName()) : nullptr;
    return onlyCalled(G ? *G : F);
  };
  // Every difference is looked for: a wrong one anywhere wins over unknown
  // ones found before it, which must not hide it.
  std::optional<ModuleDifference> First;
  auto found = [&](ModuleDifference D) {
    if (!First || (D.Wrong && !First->Wrong))
      First = std::move(D);
  };
  // What the target defines: visible to other modules only if the
  // reference defines it so too.
  for (const GlobalValue &T : Tgt.global_values()) {
    std::string Name = "@" + T.getName().str();
    const GlobalValue *R = Ref.getNamedValue(T.getName());
    if (T.isDeclaration()) {
      // A symbol of another file: not the reference's own internal one
      // (the function checks match globals by name), and called as the
      // reference calls it.
      const auto *FR = dyn_cast_or_null<Function>(R);
      if (R && !R->isDeclaration() && R->hasLocalLinkage())
        found({"declares " + Name + ", which -Oz defines internally", true});
      else if (R && R->isDeclaration() && R->getValueID() != T.getValueID())
        found({"kind of " + Name});
      else if (FR && FR->isDeclaration() &&
               FR->getCallingConv() != cast<Function>(T).getCallingConv())
        found({"calling convention of " + Name, true});
      continue;
    }
    if (!R || R->isDeclaration()) {
      if (!T.hasLocalLinkage())
        found({"defines " + Name + ", which -Oz does not", true});
      continue; // a new internal helper or constant, checked where used
    }
    if (std::optional<ModuleDifference> D = linkDifference(*R, T, OnlyCalled))
      found(std::move(*D));
    else if (const auto *GT = dyn_cast<GlobalVariable>(&T)) {
      const auto *GR = cast<GlobalVariable>(R);
      // A constant may become a variable (never stored to: every store in
      // the target is one the function checks found in the reference).
      if ((GT->isConstant() && !GR->isConstant()) ||
          GR->isExternallyInitialized() != GT->isExternallyInitialized() ||
          GR->getSection() != GT->getSection() ||
          GT->getAlign().valueOrOne() < GR->getAlign().valueOrOne() ||
          !M.constants(*GR->getInitializer(), *GT->getInitializer()))
        found({"initial value or attributes of " + Name});
    } else if (const auto *AT = dyn_cast<GlobalAlias>(&T)) {
      if (!M.constants(*cast<GlobalAlias>(R)->getAliasee(), *AT->getAliasee()))
        found({"aliasee of " + Name});
    } else if (isa<GlobalIFunc>(T)) {
      found({"ifunc " + Name});
    }
  }
  // A call with another convention than its callee's is undefined
  // behaviour, which the function checks do not see (they compare calls
  // with the reference's calls).
  for (const Function &F : Tgt)
    for (const Use &U : F.uses())
      if (const auto *C = dyn_cast<CallBase>(U.getUser()))
        if (C->isCallee(&U) && C->getCallingConv() != F.getCallingConv())
          found({"a call of @" + F.getName().str() +
                 " with another calling convention"});
  // What the reference defines for other modules, the target must define.
  for (const GlobalValue &R : Ref.global_values())
    if (!R.isDeclaration() && !R.hasLocalLinkage()) {
      const GlobalValue *T = Tgt.getNamedValue(R.getName());
      if (!T || T->isDeclaration())
        found({"does not define @" + R.getName().str(), true});
    }
  return First;
}

bool neuropt::isSameFunction(const Function &A, const Function &B) {
  return Matcher(/*Weaker=*/false).functions(A, B);
}

bool neuropt::dropsPromisesOnly(const Function &Src, const Function &Tgt) {
  return Matcher(/*Weaker=*/true).functions(Src, Tgt);
}
