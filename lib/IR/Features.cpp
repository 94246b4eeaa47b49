//===- Features.cpp - Statistics feature vectors for functions and modules -===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the statistics featurizer declared in Features.h. All
// features are exact integer counts over one pass of the instructions, plus
// loop info, so featurization is deterministic and cheap.
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/Features.h"
#include "neuropt/Support/Hashing.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace llvm;
using namespace neuropt;

/// Bump whenever the meaning of an existing feature changes without its name
/// changing; the manifest hash then changes too.
static constexpr unsigned FeatureSchemaVersion = 1;

static const FeatureInfo FunctionFeatureTable[] = {
#define NEUROPT_FUNCTION_FEATURE(Name, Agg, Doc)                               \
  {#Name, Doc, FeatureAggregation::Agg},
#include "neuropt/IR/Features.def"
};

static const FeatureInfo ModuleFeatureTable[] = {
#define NEUROPT_MODULE_FEATURE(Name, Doc) {#Name, Doc, FeatureAggregation::Sum},
#include "neuropt/IR/Features.def"
};

unsigned neuropt::getNumFunctionFeatures() {
  return std::size(FunctionFeatureTable);
}
unsigned neuropt::getNumModuleFeatures() {
  return std::size(FunctionFeatureTable) + std::size(ModuleFeatureTable);
}
ArrayRef<FeatureInfo> neuropt::getFunctionFeatureInfo() {
  return FunctionFeatureTable;
}
ArrayRef<FeatureInfo> neuropt::getModuleOnlyFeatureInfo() {
  return ModuleFeatureTable;
}

namespace {
/// Accumulates into a FeatureVector by enum.
class Counter {
public:
  explicit Counter(FeatureVector &V) : V(V) {}
  int64_t &operator[](FunctionFeature F) {
    return V[static_cast<unsigned>(F)];
  }
  void max(FunctionFeature F, int64_t X) {
    int64_t &Slot = (*this)[F];
    Slot = std::max(Slot, X);
  }

private:
  FeatureVector &V;
};
} // namespace

using FF = FunctionFeature;

static void countResultType(Counter &C, const Type *T) {
  if (T->isVoidTy())
    return;
  if (T->isVectorTy()) {
    ++C[FF::VectorInstructions];
    return;
  }
  if (T->isPointerTy()) {
    ++C[FF::ResultsPtr];
  } else if (T->isFloatingPointTy()) {
    ++C[FF::ResultsFP];
  } else if (auto *IT = dyn_cast<IntegerType>(T)) {
    switch (IT->getBitWidth()) {
    case 1:
      ++C[FF::ResultsI1];
      break;
    case 8:
    case 16:
      ++C[FF::ResultsI8I16];
      break;
    case 32:
      ++C[FF::ResultsI32];
      break;
    case 64:
      ++C[FF::ResultsI64];
      break;
    default:
      ++C[FF::ResultsOtherInt];
    }
  }
}

static void countOperands(Counter &C, const Instruction &I) {
  for (const Use &U : I.operands()) {
    const Value *V = U.get();
    // Successor blocks are control, not data.
    if (isa<BasicBlock>(V))
      continue;
    ++C[FF::Operands];
    if (auto *CI = dyn_cast<ConstantInt>(V)) {
      ++C[FF::ConstIntOperands];
      const APInt &A = CI->getValue();
      if (A.isZero() || A.isOne() || A.isAllOnes())
        ++C[FF::ZeroOneOperands];
      if (A.getSignificantBits() > 16)
        ++C[FF::WideConstOperands];
    } else if (isa<ConstantFP>(V)) {
      ++C[FF::ConstFPOperands];
    } else if (isa<GlobalVariable>(V)) {
      ++C[FF::GlobalOperands];
    } else if (isa<UndefValue>(V)) { // includes poison
      ++C[FF::UndefPoisonOperands];
    }
  }
}

static void countPoisonFlags(Counter &C, const Instruction &I) {
  if (auto *OBO = dyn_cast<OverflowingBinaryOperator>(&I))
    C[FF::PoisonFlags] += OBO->hasNoSignedWrap() + OBO->hasNoUnsignedWrap();
  if (auto *PE = dyn_cast<PossiblyExactOperator>(&I))
    C[FF::PoisonFlags] += PE->isExact();
  if (auto *PD = dyn_cast<PossiblyDisjointInst>(&I))
    C[FF::PoisonFlags] += PD->isDisjoint();
}

static void countCall(Counter &C, const CallBase &CB) {
  if (isa<DbgInfoIntrinsic>(CB))
    return;
  ++C[FF::Calls];
  if (isa<InvokeInst>(CB))
    ++C[FF::Invokes];
  const Function *Callee = CB.getCalledFunction();
  if (!Callee) {
    if (!CB.isInlineAsm())
      ++C[FF::IndirectCalls];
    return;
  }
  if (Callee->isIntrinsic()) {
    ++C[FF::IntrinsicCalls];
    if (isa<MemIntrinsic>(CB))
      ++C[FF::MemIntrinsics];
    return;
  }
  ++C[FF::DirectCalls];
  if (Callee->isDeclaration())
    ++C[FF::CallsToDeclarations];
}

static void countInstruction(Counter &C, const Instruction &I) {
  ++C[FF::Instructions];
  countResultType(C, I.getType());
  countOperands(C, I);
  countPoisonFlags(C, I);
  if (!I.getType()->isVoidTy()) {
    if (I.hasOneUse())
      ++C[FF::SingleUseValues];
    else if (I.use_empty())
      ++C[FF::UnusedValues];
    C.max(FF::MaxUses, I.getNumUses());
  }

  switch (I.getOpcode()) {
  case Instruction::Br:
    ++C[cast<BranchInst>(I).isConditional() ? FF::CondBranches
                                            : FF::UncondBranches];
    break;
  case Instruction::Switch:
    ++C[FF::Switches];
    C[FF::SwitchCases] += cast<SwitchInst>(I).getNumCases();
    break;
  case Instruction::Ret:
    ++C[FF::Returns];
    break;
  case Instruction::Unreachable:
    ++C[FF::Unreachables];
    break;
  case Instruction::PHI:
    ++C[FF::PHIs];
    C[FF::PHIIncoming] += cast<PHINode>(I).getNumIncomingValues();
    break;
  case Instruction::Select:
    ++C[FF::Selects];
    break;
  case Instruction::Add:
  case Instruction::Sub:
    ++C[FF::IntAddSub];
    break;
  case Instruction::Mul:
    ++C[FF::IntMul];
    break;
  case Instruction::UDiv:
  case Instruction::SDiv:
  case Instruction::URem:
  case Instruction::SRem:
    ++C[FF::IntDivRem];
    break;
  case Instruction::Shl:
  case Instruction::LShr:
  case Instruction::AShr:
    ++C[FF::Shifts];
    break;
  case Instruction::And:
  case Instruction::Or:
  case Instruction::Xor:
    ++C[FF::Bitwise];
    break;
  case Instruction::ICmp:
    ++C[FF::ICmps];
    break;
  case Instruction::FAdd:
  case Instruction::FSub:
  case Instruction::FMul:
  case Instruction::FDiv:
  case Instruction::FRem:
  case Instruction::FNeg:
    ++C[FF::FPArith];
    break;
  case Instruction::FCmp:
    ++C[FF::FCmps];
    break;
  case Instruction::ZExt:
  case Instruction::SExt:
    ++C[FF::IntExtends];
    break;
  case Instruction::Trunc:
    ++C[FF::IntTruncs];
    break;
  case Instruction::FPToUI:
  case Instruction::FPToSI:
  case Instruction::UIToFP:
  case Instruction::SIToFP:
  case Instruction::FPExt:
  case Instruction::FPTrunc:
    ++C[FF::FPCasts];
    break;
  case Instruction::PtrToInt:
  case Instruction::IntToPtr:
  case Instruction::BitCast:
    ++C[FF::PtrIntCasts];
    break;
  case Instruction::Load: {
    auto &L = cast<LoadInst>(I);
    ++C[FF::Loads];
    C[FF::VolatileAccesses] += L.isVolatile();
    C[FF::Atomics] += L.isAtomic();
    break;
  }
  case Instruction::Store: {
    auto &S = cast<StoreInst>(I);
    ++C[FF::Stores];
    C[FF::VolatileAccesses] += S.isVolatile();
    C[FF::Atomics] += S.isAtomic();
    break;
  }
  case Instruction::Alloca:
    ++C[FF::Allocas];
    break;
  case Instruction::GetElementPtr:
    ++C[FF::GEPs];
    C[FF::ConstantGEPs] += cast<GetElementPtrInst>(I).hasAllConstantIndices();
    break;
  case Instruction::Fence:
  case Instruction::AtomicRMW:
  case Instruction::AtomicCmpXchg:
    ++C[FF::Atomics];
    break;
  case Instruction::ExtractElement:
  case Instruction::InsertElement:
  case Instruction::ShuffleVector:
    ++C[FF::VectorElementOps];
    break;
  case Instruction::ExtractValue:
  case Instruction::InsertValue:
    ++C[FF::AggregateOps];
    break;
  default:
    break;
  }
  if (auto *CB = dyn_cast<CallBase>(&I))
    countCall(C, *CB);
}

static void countLoops(Counter &C, const LoopInfo &LI) {
  SmallVector<const Loop *, 8> Work(LI.begin(), LI.end());
  C[FF::TopLevelLoops] = Work.size();
  while (!Work.empty()) {
    const Loop *L = Work.pop_back_val();
    ++C[FF::Loops];
    C.max(FF::MaxLoopDepth, L->getLoopDepth());
    SmallVector<std::pair<BasicBlock *, BasicBlock *>, 4> Exits;
    L->getExitEdges(Exits);
    C[FF::LoopExitEdges] += Exits.size();
    Work.append(L->begin(), L->end());
  }
}

static FeatureVector computeWithLoopInfo(const Function &F,
                                         const LoopInfo &LI) {
  FeatureVector V(getNumFunctionFeatures(), 0);
  Counter C(V);
  C[FF::Arguments] = F.arg_size();
  for (const Argument &A : F.args())
    C.max(FF::MaxUses, A.getNumUses());
  C[FF::IsMinSize] = F.hasMinSize();
  C[FF::IsOptSize] = F.hasOptSize();
  C[FF::IsNoInline] = F.hasFnAttribute(Attribute::NoInline);
  C[FF::IsInternal] = F.hasLocalLinkage();
  C[FF::IsVarArg] = F.isVarArg();
  C[FF::ReturnsValue] = !F.getReturnType()->isVoidTy();

  for (const BasicBlock &BB : F) {
    ++C[FF::BasicBlocks];
    C.max(FF::MaxBlockSize, BB.size());
    unsigned NumSucc = succ_size(&BB);
    unsigned NumPred = pred_size(&BB);
    C[FF::CFGEdges] += NumSucc;
    if (NumSucc == 1)
      ++C[FF::BlocksOneSucc];
    else if (NumSucc == 2)
      ++C[FF::BlocksTwoSucc];
    else if (NumSucc > 2)
      ++C[FF::BlocksManySucc];
    if (NumPred == 1)
      ++C[FF::BlocksOnePred];
    else if (NumPred == 2)
      ++C[FF::BlocksTwoPred];
    else if (NumPred > 2)
      ++C[FF::BlocksManyPred];
    // An edge P->BB is critical when P has several successors and BB
    // several predecessors; count from the BB side, where pred_size() is
    // already known, instead of llvm::isCriticalEdge's per-edge walk.
    if (NumPred > 1)
      for (const BasicBlock *P : predecessors(&BB))
        C[FF::CriticalEdges] += succ_size(P) > 1;
    bool InLoop = LI.getLoopFor(&BB) != nullptr;
    C[FF::BlocksInLoops] += InLoop;
    if (InLoop)
      C[FF::InstructionsInLoops] += BB.size();
    for (const Instruction &I : BB)
      countInstruction(C, I);
  }
  countLoops(C, LI);
  return V;
}

/// True if some CFG edge goes to a block at or before its source in layout
/// order (a necessary condition for a cycle).
static bool hasRetreatingLayoutEdge(const Function &F) {
  SmallVector<unsigned, 64> Pos(F.getMaxBlockNumber(), 0);
  unsigned I = 0;
  for (const BasicBlock &BB : F)
    Pos[BB.getNumber()] = I++;
  for (const BasicBlock &BB : F)
    for (const BasicBlock *Succ : successors(&BB))
      if (Pos[Succ->getNumber()] <= Pos[BB.getNumber()])
        return true;
  return false;
}

FeatureVector neuropt::computeFunctionFeatures(const Function &F,
                                               const LoopInfo *LI) {
  if (F.isDeclaration())
    return FeatureVector(getNumFunctionFeatures(), 0);
  if (LI)
    return computeWithLoopInfo(F, *LI);
  // Building a dominator tree and loop info costs as much as all the counting
  // together. If every CFG edge goes forward in block layout order, the
  // layout is a topological order, the CFG is acyclic and an empty LoopInfo
  // describes it exactly; only otherwise are they built.
  if (!hasRetreatingLayoutEdge(F))
    return computeWithLoopInfo(F, LoopInfo());
  DominatorTree DT(const_cast<Function &>(F));
  LoopInfo LocalLI(DT);
  return computeWithLoopInfo(F, LocalLI);
}

FeatureVector neuropt::computeModuleFeatures(const Module &M) {
  unsigned NF = getNumFunctionFeatures();
  FeatureVector V(getNumModuleFeatures(), 0);
  auto ModuleSlot = [&](ModuleFeature MF) -> int64_t & {
    return V[NF + static_cast<unsigned>(MF)];
  };
  for (const Function &F : M) {
    if (F.isDeclaration()) {
      if (!F.isIntrinsic())
        ++ModuleSlot(ModuleFeature::DeclaredFunctions);
      continue;
    }
    ++ModuleSlot(ModuleFeature::DefinedFunctions);
    ModuleSlot(ModuleFeature::InternalFunctions) += F.hasLocalLinkage();
    ModuleSlot(ModuleFeature::AddressTakenFunctions) += F.hasAddressTaken();
    FeatureVector FV = computeFunctionFeatures(F);
    for (unsigned I = 0; I != NF; ++I) {
      if (FunctionFeatureTable[I].Agg == FeatureAggregation::Max)
        V[I] = std::max(V[I], FV[I]);
      else
        V[I] += FV[I];
    }
  }
  const DataLayout &DL = M.getDataLayout();
  for (const GlobalVariable &G : M.globals()) {
    ++ModuleSlot(ModuleFeature::GlobalVariables);
    ModuleSlot(ModuleFeature::ConstantGlobals) += G.isConstant();
    if (G.hasInitializer())
      ModuleSlot(ModuleFeature::GlobalInitializerBytes) +=
          DL.getTypeAllocSize(G.getValueType()).getKnownMinValue();
  }
  ModuleSlot(ModuleFeature::Aliases) = M.alias_size();
  return V;
}

static json::Array featureListJSON(ArrayRef<FeatureInfo> Infos) {
  json::Array A;
  for (const FeatureInfo &FI : Infos)
    A.push_back(json::Object{
        {"name", FI.Name},
        {"doc", FI.Doc},
        {"agg", FI.Agg == FeatureAggregation::Max ? "max" : "sum"},
        {"type", "int64"}});
  return A;
}

json::Value neuropt::getFeatureManifest() {
  return json::Object{{"schema", "neuropt-features"},
                      {"version", FeatureSchemaVersion},
                      {"function_features", featureListJSON(FunctionFeatureTable)},
                      {"module_features", featureListJSON(ModuleFeatureTable)}};
}

std::string neuropt::getFeatureManifestHash() {
  // llvm::json::Object keeps keys sorted when printed, so the text is
  // canonical.
  std::string Text;
  raw_string_ostream OS(Text);
  OS << getFeatureManifest();
  return toHex64(stableHash(OS.str()));
}

std::string neuropt::getFeatureDocumentation() {
  std::string Out;
  raw_string_ostream OS(Out);
  OS << "# neuropt statistics features\n\n"
     << "Generated from include/neuropt/IR/Features.def by `neuropt-opt "
        "--feature-docs`. Manifest hash: `"
     << getFeatureManifestHash() << "`.\n\n"
     << "| # | name | module aggregation | meaning |\n|---|---|---|---|\n";
  unsigned Idx = 0;
  for (const FeatureInfo &FI : FunctionFeatureTable)
    OS << "| " << Idx++ << " | " << FI.Name << " | "
       << (FI.Agg == FeatureAggregation::Max ? "max" : "sum") << " | "
       << FI.Doc << " |\n";
  for (const FeatureInfo &FI : ModuleFeatureTable)
    OS << "| " << Idx++ << " | " << FI.Name << " | module only | " << FI.Doc
       << " |\n";
  return OS.str();
}
