//===- CutDAG.h - A harvested DAG cut at its shared interior nodes -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Harvested DAGs are not cut at interior nodes that have users outside the
// DAG (see Harvest.h). When such a DAG's root is replaced, those nodes stay
// alive, so a right-hand side for the whole DAG pays only if it is cheaper
// than the part that dies with the root. cutDAG() makes that part a DAG of
// its own, with the shared nodes as leaves: the problem a rewrite in this
// context really has to solve. neuropt-superopt and `neuropt-synth superopt`
// both build it the same way, so its hash keys the same cache entry in both.
//
// Header-only: the pass plugin and the driver share it without a library.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SYNTH_CUTDAG_H
#define NEUROPT_SYNTH_CUTDAG_H

#include "neuropt/Synth/Harvest.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#include <memory>
#include <optional>
#include <vector>

namespace neuropt {

/// The instructions of \p D that die when its root is replaced: the root,
/// and interior nodes all of whose users die too.
inline llvm::SmallPtrSet<const llvm::Instruction *, 16>
dyingInsts(const HarvestedDAG &D) {
  llvm::SmallPtrSet<const llvm::Instruction *, 16> Dead;
  for (const llvm::Instruction *I : llvm::reverse(D.Insts))
    if (I == D.Root || llvm::all_of(I->users(), [&](const llvm::User *U) {
          const auto *UI = llvm::dyn_cast<llvm::Instruction>(U);
          return UI && Dead.contains(UI);
        }))
      Dead.insert(I);
  return Dead;
}

/// A DAG cut at its shared nodes, materialized as `@cut` in a module of its
/// own (in the source's context), which DAG points into.
struct CutDAG {
  std::unique_ptr<llvm::Module> M;
  HarvestedDAG DAG;
  /// Per leaf of DAG, in order: the value of the source function it stands
  /// for (an original leaf or a shared interior node).
  std::vector<llvm::Value *> Sources;
};

/// Cuts \p D at the interior nodes that do not die with its root; nullopt
/// when all of them die (the cut would be \p D itself). The leaves of the cut
/// carry the context-free facts of the values they stand for, as `range`
/// attributes, so that a rewrite proved for the cut holds in \p D's
/// function.
inline std::optional<CutDAG> cutDAG(const HarvestedDAG &D) {
  using namespace llvm;
  SmallPtrSet<const Instruction *, 16> Dying = dyingInsts(D);
  if (Dying.size() == D.Insts.size())
    return std::nullopt;
  const Module &Src = *D.Root->getModule();
  const DataLayout &DL = Src.getDataLayout();
  LLVMContext &Ctx = Src.getContext();

  // Inputs of the dying part, in first-use order.
  std::vector<Value *> Inputs;
  DenseMap<const Value *, unsigned> InputNo;
  auto IsOperand = [](const Instruction &I, unsigned Op) {
    return !isa<CallBase>(I) || Op + 1 != I.getNumOperands(); // Not the callee.
  };
  for (const Instruction *I : D.Insts) {
    if (!Dying.contains(I))
      continue;
    for (unsigned Op = 0, E = I->getNumOperands(); Op != E; ++Op) {
      Value *V = I->getOperand(Op);
      const auto *VI = dyn_cast<Instruction>(V);
      if (!IsOperand(*I, Op) || (VI && Dying.contains(VI)) ||
          isa<ConstantInt>(V) || isa<UndefValue>(V))
        continue;
      if (InputNo.try_emplace(V, Inputs.size()).second)
        Inputs.push_back(V);
    }
  }

  CutDAG C;
  C.M = std::make_unique<Module>("cut", Ctx);
  C.M->setDataLayout(DL);
  C.M->setTargetTriple(Src.getTargetTriple());
  SmallVector<Type *, 8> Tys;
  for (Value *V : Inputs)
    Tys.push_back(V->getType());
  Function *F = Function::Create(FunctionType::get(D.Root->getType(), Tys, false),
                                 GlobalValue::ExternalLinkage, "cut", *C.M);
  for (unsigned A = 0, E = Inputs.size(); A != E; ++A) {
    KnownBits Known = computeKnownBits(Inputs[A], DL);
    ConstantRange CR = computeConstantRange(Inputs[A], /*ForSigned=*/false)
                           .intersectWith(ConstantRange::fromKnownBits(
                               Known, /*IsSigned=*/false));
    if (!CR.isFullSet() && !CR.isEmptySet())
      F->addParamAttr(A, Attribute::get(Ctx, Attribute::Range, CR));
  }
  DenseMap<const Value *, Value *> Map;
  for (unsigned A = 0, E = Inputs.size(); A != E; ++A)
    Map[Inputs[A]] = F->getArg(A);
  BasicBlock *BB = BasicBlock::Create(Ctx, "entry", F);
  for (const Instruction *I : D.Insts) {
    if (!Dying.contains(I))
      continue;
    Instruction *NewI = I->clone();
    NewI->dropUnknownNonDebugMetadata();
    NewI->setDebugLoc(DebugLoc());
    for (unsigned Op = 0, E = NewI->getNumOperands(); Op != E; ++Op)
      if (Value *New = Map.lookup(NewI->getOperand(Op)); New && IsOperand(*I, Op))
        NewI->setOperand(Op, New);
    if (auto *Call = dyn_cast<CallInst>(NewI)) {
      Function *Callee = Call->getCalledFunction();
      Call->setCalledFunction(C.M->getOrInsertFunction(
          Callee->getName(), Callee->getFunctionType(), Callee->getAttributes()));
    }
    NewI->insertInto(BB, BB->end());
    Map[I] = NewI;
  }
  auto *Root = cast<Instruction>(Map.lookup(D.Root));
  ReturnInst::Create(Ctx, Root, BB);

  HarvestOptions All;
  All.MaxSize = MaxHarvestSize;
  C.DAG = extractDAG(*Root, All);
  for (const LeafInfo &L : C.DAG.Leaves)
    C.Sources.push_back(Inputs[cast<Argument>(L.V)->getArgNo()]);
  return C;
}

} // namespace neuropt

#endif // NEUROPT_SYNTH_CUTDAG_H
