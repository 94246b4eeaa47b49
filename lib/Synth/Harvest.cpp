//===- Harvest.cpp - Extract and hash loop-free integer DAGs ---*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements DAG harvesting: extraction by a bounded breadth-first
// walk over operands, a name-independent canonical text and its stable hash,
// and materialization as a standalone `@lhs` function.
//
// Canonicalization works in two steps. First every node gets a structural key,
// a hash of its opcode, flags, type and its operands' keys (leaves contribute
// only their type and facts, never their names). Commutative operands are
// sorted by key, and icmp operands too, with the predicate swapped to match.
// Then a depth-first post-order walk in that operand order numbers the leaves
// by first use and the instructions by completion, and the text is printed
// from those numbers. Operands whose keys tie are structurally identical up
// to leaf identity, so keys cannot order them: for those nodes every order is
// rendered and the smallest text wins. Past MaxTiedNodes tied nodes the rest
// keep their IR order, and when the size cap cuts a DAG, which nodes make it
// in follows the IR's operand order; only then can two spellings of one
// computation still print differently.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Synth/Harvest.h"
#include "neuropt/Support/Hashing.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/DepthFirstIterator.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <deque>

using namespace llvm;

namespace neuropt {

static bool isScalarInt(const Type *T) { return T->isIntegerTy(); }

static bool isHarvestableIntrinsic(Intrinsic::ID ID) {
  switch (ID) {
  case Intrinsic::ctpop:
  case Intrinsic::ctlz:
  case Intrinsic::cttz:
  case Intrinsic::abs:
  case Intrinsic::smin:
  case Intrinsic::smax:
  case Intrinsic::umin:
  case Intrinsic::umax:
  case Intrinsic::fshl:
  case Intrinsic::fshr:
  case Intrinsic::bswap:
  case Intrinsic::bitreverse:
  case Intrinsic::uadd_sat:
  case Intrinsic::usub_sat:
  case Intrinsic::sadd_sat:
  case Intrinsic::ssub_sat:
  case Intrinsic::ushl_sat:
  case Intrinsic::sshl_sat:
    return true;
  default:
    return false;
  }
}

bool isHarvestableInst(const Instruction &I) {
  if (!isScalarInt(I.getType()))
    return false;
  if (isa<BinaryOperator>(I) || isa<FreezeInst>(I))
    return true;
  if (const auto *Cmp = dyn_cast<ICmpInst>(&I))
    return isScalarInt(Cmp->getOperand(0)->getType());
  if (isa<SelectInst>(I))
    return I.getOperand(0)->getType()->isIntegerTy(1);
  if (isa<ZExtInst>(I) || isa<SExtInst>(I) || isa<TruncInst>(I))
    return isScalarInt(I.getOperand(0)->getType());
  if (const auto *II = dyn_cast<IntrinsicInst>(&I))
    return isHarvestableIntrinsic(II->getIntrinsicID()) &&
           !II->hasOperandBundles();
  return false;
}

/// Constants that stay constants in the DAG. Other constants (globals,
/// constant expressions) are opaque, so they are leaves.
static bool isDAGConstant(const Value *V) {
  return isa<ConstantInt>(V) || isa<UndefValue>(V);
}

std::string HarvestedDAG::hashHex() const { return toHex64(Hash); }

namespace {

/// The textual spelling of an instruction's opcode and poison flags, without
/// operands: everything about a node except what it is applied to.
std::string opSpelling(const Instruction &I, CmpInst::Predicate Pred) {
  std::string S;
  raw_string_ostream OS(S);
  if (const auto *II = dyn_cast<IntrinsicInst>(&I))
    OS << Intrinsic::getBaseName(II->getIntrinsicID());
  else
    OS << I.getOpcodeName();
  if (isa<OverflowingBinaryOperator>(I) || isa<TruncInst>(I)) {
    if (I.hasNoUnsignedWrap())
      OS << " nuw";
    if (I.hasNoSignedWrap())
      OS << " nsw";
  }
  if (isa<PossiblyExactOperator>(I) && I.isExact())
    OS << " exact";
  if (const auto *PD = dyn_cast<PossiblyDisjointInst>(&I);
      PD && PD->isDisjoint())
    OS << " disjoint";
  if (isa<PossiblyNonNegInst>(I) && I.hasNonNeg())
    OS << " nneg";
  if (const auto *Cmp = dyn_cast<ICmpInst>(&I)) {
    if (Cmp->hasSameSign())
      OS << " samesign";
    // Print the compared type, as LLVM does; the result is always i1.
    OS << ' ' << CmpInst::getPredicateName(Pred) << ' '
       << *Cmp->getOperand(0)->getType();
    return S;
  }
  OS << ' ' << *I.getType();
  return S;
}

std::string typeName(const Type *T) {
  std::string S;
  raw_string_ostream OS(S);
  OS << *T;
  return S;
}

/// Constants print signed (i1 as 0/1), at any width.
std::string constantText(const Value *V) {
  std::string S;
  raw_string_ostream OS(S);
  OS << *V->getType() << ' ';
  if (const auto *CI = dyn_cast<ConstantInt>(V))
    CI->getValue().print(OS, /*isSigned=*/CI->getBitWidth() > 1);
  else if (isa<PoisonValue>(V))
    OS << "poison";
  else
    OS << "undef";
  return S;
}

std::string factsText(const LeafInfo &L) {
  std::string S;
  raw_string_ostream OS(S);
  if (!L.Known.isUnknown()) {
    OS << " known=";
    for (unsigned B = L.Known.getBitWidth(); B-- > 0;)
      OS << (L.Known.One[B] ? '1' : L.Known.Zero[B] ? '0' : 'x');
  }
  if (!L.Range.isFullSet()) {
    OS << " range=[";
    L.Range.getLower().print(OS, /*isSigned=*/false);
    OS << ',';
    L.Range.getUpper().print(OS, /*isSigned=*/false);
    OS << ')';
  }
  return S;
}

/// Builds one DAG: membership, keys, canonical order and text.
class DAGBuilder {
public:
  DAGBuilder(const Instruction &Root, const HarvestOptions &Opts)
      : Root(Root), Opts(Opts), DL(Root.getModule()->getDataLayout()) {}

  HarvestedDAG build();

private:
  const Instruction &Root;
  const HarvestOptions &Opts;
  const DataLayout &DL;

  DenseSet<const Instruction *> Members;
  DenseMap<const Value *, LeafInfo> Facts;
  DenseMap<const Value *, uint64_t> Keys;
  DenseSet<const Value *> InProgress;

  /// The canonical operand order of a member, and its predicate after
  /// canonicalization (icmp only).
  struct CanonOps {
    SmallVector<unsigned, 3> Order;
    CmpInst::Predicate Pred = CmpInst::BAD_ICMP_PREDICATE;
    /// The two operands have equal keys, so their order is free.
    bool Tied = false;
  };

  /// One numbering of the DAG, for one choice of order at the tied nodes.
  struct Rendering {
    std::string Text;
    SmallVector<const Instruction *, 16> Insts;
    SmallVector<bool, 16> Swapped;
    SmallVector<const Value *, 8> Leaves;
  };
  /// Renders with the tied nodes whose bit is set in \p Flips (indexed by
  /// order of first visit) swapped.
  Rendering render(uint64_t Flips,
                   SmallVectorImpl<const Instruction *> *TiedOut);

  DenseMap<const Instruction *, CanonOps> Canon;

  bool isMember(const Value *V) const {
    const auto *I = dyn_cast<Instruction>(V);
    return I && Members.contains(I);
  }
  void collect();
  const LeafInfo &leafInfo(const Value *V);
  /// Orders operands by (rank, key): instructions, then leaves, then
  /// constants, which also keeps constants on the right as LLVM prints them.
  std::pair<unsigned, uint64_t> sortKey(const Value *V);
  uint64_t key(const Value *V);
};

} // namespace

void DAGBuilder::collect() {
  const unsigned Cap = std::min(Opts.MaxSize, MaxHarvestSize);
  std::deque<const Instruction *> Work;
  Members.insert(&Root);
  Work.push_back(&Root);
  while (!Work.empty()) {
    const Instruction *I = Work.front();
    Work.pop_front();
    for (const Value *Op : I->operands()) {
      const auto *OpI = dyn_cast<Instruction>(Op);
      if (!OpI || Members.contains(OpI) || !isHarvestableInst(*OpI) ||
          Members.size() >= Cap)
        continue;
      Members.insert(OpI);
      Work.push_back(OpI);
    }
  }
}

const LeafInfo &DAGBuilder::leafInfo(const Value *V) {
  auto It = Facts.find(V);
  if (It != Facts.end())
    return It->second;
  LeafInfo L(V->getType()->getIntegerBitWidth());
  L.V = V;
  if (Opts.LeafFacts) {
    // Context-free on purpose: the facts must not depend on where the leaf
    // is used, or one computation would hash differently per use site.
    L.Known = computeKnownBits(V, DL);
    L.Range = computeConstantRange(V, /*ForSigned=*/false);
  }
  return Facts.try_emplace(V, std::move(L)).first->second;
}

std::pair<unsigned, uint64_t> DAGBuilder::sortKey(const Value *V) {
  unsigned Rank = isMember(V) ? 0 : isDAGConstant(V) ? 2 : 1;
  return {Rank, key(V)};
}

uint64_t DAGBuilder::key(const Value *V) {
  auto It = Keys.find(V);
  if (It != Keys.end())
    return It->second;
  StableHasher H;
  if (isDAGConstant(V)) {
    H.update("const ");
    H.update(constantText(V));
  } else if (!isMember(V)) {
    const LeafInfo &L = leafInfo(V);
    H.update("leaf ");
    H.update(typeName(V->getType()));
    H.update(factsText(L));
  } else if (!InProgress.insert(V).second) {
    // Only self-referential code in unreachable blocks can get here; give
    // the back edge a fixed key rather than recursing forever.
    H.update("cycle");
    return H.final();
  } else {
    const auto *I = cast<Instruction>(V);
    CanonOps C;
    for (unsigned Op = 0, E = I->getNumOperands(); Op != E; ++Op)
      if (!isa<IntrinsicInst>(I) || Op + 1 != E) // Skip the callee.
        C.Order.push_back(Op);
    if (const auto *Cmp = dyn_cast<ICmpInst>(I)) {
      C.Pred = Cmp->getPredicate();
      auto K0 = sortKey(I->getOperand(0)), K1 = sortKey(I->getOperand(1));
      CmpInst::Predicate Swapped = CmpInst::getSwappedPredicate(C.Pred);
      if (K1 < K0 || (K0 == K1 && Swapped < C.Pred)) {
        std::swap(C.Order[0], C.Order[1]);
        C.Pred = Swapped;
      }
      C.Tied = K0 == K1;
    } else if (I->isCommutative()) {
      auto K0 = sortKey(I->getOperand(0)), K1 = sortKey(I->getOperand(1));
      if (K1 < K0)
        std::swap(C.Order[0], C.Order[1]);
      C.Tied = K0 == K1;
    }
    H.update("inst ");
    H.update(opSpelling(*I, C.Pred));
    for (unsigned Op : C.Order)
      H.update(key(I->getOperand(Op)));
    Canon[I] = std::move(C);
  }
  uint64_t K = H.final();
  Keys[V] = K;
  return K;
}

/// The most tied nodes whose orders are tried exhaustively (2^N renderings);
/// ties past these keep their IR order.
static constexpr unsigned MaxTiedNodes = 8;

DAGBuilder::Rendering
DAGBuilder::render(uint64_t Flips,
                   SmallVectorImpl<const Instruction *> *TiedOut) {
  // Depth-first post-order; leaves are numbered at first use.
  Rendering R;
  DenseMap<const Value *, unsigned> LeafNo, InstNo;
  DenseMap<const Instruction *, CanonOps> Chosen;
  unsigned NumTied = 0;
  SmallVector<std::pair<const Instruction *, unsigned>, 16> Stack;
  auto Enter = [&](const Instruction *I) {
    CanonOps C = Canon.lookup(I);
    if (C.Tied && NumTied < MaxTiedNodes) {
      if (TiedOut)
        TiedOut->push_back(I);
      if (Flips >> NumTied & 1) {
        std::swap(C.Order[0], C.Order[1]);
        if (isa<ICmpInst>(I))
          C.Pred = CmpInst::getSwappedPredicate(C.Pred);
      }
      ++NumTied;
    }
    Chosen[I] = std::move(C);
    Stack.push_back({I, 0});
  };
  Enter(&Root);
  while (!Stack.empty()) {
    auto &[I, Next] = Stack.back();
    const CanonOps &C = Chosen[I];
    if (Next == C.Order.size()) {
      InstNo[I] = R.Insts.size();
      R.Insts.push_back(I);
      R.Swapped.push_back(C.Order.size() >= 2 && C.Order[0] == 1);
      Stack.pop_back();
      continue;
    }
    const Value *Op = I->getOperand(C.Order[Next++]);
    if (isMember(Op)) {
      const auto *OpI = cast<Instruction>(Op);
      if (!Chosen.count(OpI))
        Enter(OpI);
    } else if (!isDAGConstant(Op) && !LeafNo.count(Op)) {
      LeafNo[Op] = R.Leaves.size();
      R.Leaves.push_back(Op);
    }
  }

  raw_string_ostream OS(R.Text);
  unsigned NumLeaves = R.Leaves.size();
  for (unsigned L = 0; L != NumLeaves; ++L)
    OS << '%' << L << " = leaf " << *R.Leaves[L]->getType()
       << factsText(leafInfo(R.Leaves[L])) << '\n';
  auto Operand = [&](const Value *V) -> std::string {
    if (isDAGConstant(V))
      return constantText(V);
    if (isMember(V))
      return "%" + std::to_string(NumLeaves + InstNo.lookup(V));
    return "%" + std::to_string(LeafNo.lookup(V));
  };
  for (const Instruction *I : R.Insts) {
    const CanonOps &C = Chosen[I];
    OS << '%' << NumLeaves + InstNo.lookup(I) << " = "
       << opSpelling(*I, C.Pred);
    ListSeparator LS(",");
    for (unsigned Op : C.Order)
      OS << LS << ' ' << Operand(I->getOperand(Op));
    OS << '\n';
  }
  OS << "root %" << NumLeaves + InstNo.lookup(&Root) << '\n';
  return R;
}

HarvestedDAG DAGBuilder::build() {
  collect();
  key(&Root);

  // Keys cannot order the operands of a tied node, so try every order of
  // the tied nodes and keep the smallest text: the set of renderings, hence
  // its minimum, is the same whatever operand order the IR had.
  SmallVector<const Instruction *, 8> Tied;
  Rendering Best = render(0, &Tied);
  for (uint64_t Flips = 1, E = uint64_t(1) << Tied.size(); Flips < E; ++Flips) {
    Rendering R = render(Flips, nullptr);
    if (R.Text < Best.Text)
      Best = std::move(R);
  }

  HarvestedDAG D;
  D.Root = &Root;
  D.Insts = std::move(Best.Insts);
  D.Swapped = std::move(Best.Swapped);
  for (const Value *L : Best.Leaves)
    D.Leaves.push_back(leafInfo(L));
  D.Canonical = std::move(Best.Text);
  D.Hash = stableHash(D.Canonical);
  return D;
}

HarvestedDAG extractDAG(const Instruction &Root, const HarvestOptions &Opts) {
  assert(isHarvestableInst(Root) && "root is not an integer DAG node");
  return DAGBuilder(Root, Opts).build();
}

/// A root is interesting when its value leaves the integer DAG; see the file
/// comment of Harvest.h for why.
static bool isInterestingRoot(const Instruction &I) {
  if (!isHarvestableInst(I) || I.use_empty())
    return false;
  if (!I.hasOneUse())
    return true;
  const auto *User = dyn_cast<Instruction>(*I.user_begin());
  return !User || !isHarvestableInst(*User);
}

std::vector<HarvestedDAG> harvestFunction(const Function &F,
                                          const HarvestOptions &Opts) {
  std::vector<HarvestedDAG> Result;
  if (F.isDeclaration())
    return Result;
  // Unreachable blocks may hold self-referential code (`%a = add %a, 1` is
  // valid there), which is no DAG; reachable code cannot use their values.
  SmallPtrSet<const BasicBlock *, 32> Reachable;
  for (const BasicBlock *BB : depth_first(&F.getEntryBlock()))
    Reachable.insert(BB);
  for (const Instruction &I : instructions(F)) {
    if (!Reachable.contains(I.getParent()) || !isInterestingRoot(I))
      continue;
    HarvestedDAG D = extractDAG(I, Opts);
    if (D.size() >= Opts.MinSize)
      Result.push_back(std::move(D));
  }
  return Result;
}

std::unique_ptr<Module> toFunction(const HarvestedDAG &DAG) {
  const Module &Src = *DAG.Root->getModule();
  LLVMContext &Ctx = Src.getContext();
  auto M = std::make_unique<Module>("lhs", Ctx);
  M->setDataLayout(Src.getDataLayout());
  M->setTargetTriple(Src.getTargetTriple());

  SmallVector<Type *, 8> ParamTys;
  for (const LeafInfo &L : DAG.Leaves)
    ParamTys.push_back(L.V->getType());
  auto *FTy = FunctionType::get(DAG.Root->getType(), ParamTys, false);
  Function *F = Function::Create(FTy, GlobalValue::ExternalLinkage, "lhs", *M);
  for (unsigned A = 0, E = DAG.Leaves.size(); A != E; ++A) {
    // Known bits that a range can express (a clear sign bit, say) go into
    // the attribute too; intersectWith() may over-approximate, which only
    // weakens the precondition, so it stays sound.
    const LeafInfo &L = DAG.Leaves[A];
    ConstantRange CR = L.Range.intersectWith(
        ConstantRange::fromKnownBits(L.Known, /*IsSigned=*/false));
    if (!CR.isFullSet() && !CR.isEmptySet())
      F->addParamAttr(A, Attribute::get(Ctx, Attribute::Range, CR));
  }

  DenseMap<const Value *, Value *> Map;
  for (unsigned A = 0, E = DAG.Leaves.size(); A != E; ++A)
    Map[DAG.Leaves[A].V] = F->getArg(A);
  BasicBlock *BB = BasicBlock::Create(Ctx, "entry", F);
  for (auto [I, Swapped] : zip_equal(DAG.Insts, DAG.Swapped)) {
    Instruction *NewI = I->clone();
    // Canonical operand order, so that equal hashes give equal functions.
    if (Swapped) {
      if (auto *Cmp = dyn_cast<ICmpInst>(NewI))
        Cmp->swapOperands();
      else if (auto *BO = dyn_cast<BinaryOperator>(NewI))
        (void)BO->swapOperands();
      else {
        Value *Op0 = NewI->getOperand(0);
        NewI->setOperand(0, NewI->getOperand(1));
        NewI->setOperand(1, Op0);
      }
    }
    NewI->dropUnknownNonDebugMetadata();
    NewI->setDebugLoc(DebugLoc());
    for (Use &U : NewI->operands())
      if (Value *New = Map.lookup(U.get()))
        U.set(New);
    if (auto *Call = dyn_cast<CallInst>(NewI)) {
      Function *Callee = Call->getCalledFunction();
      Call->setCalledFunction(M->getOrInsertFunction(Callee->getName(),
                                                     Callee->getFunctionType(),
                                                     Callee->getAttributes()));
    }
    NewI->insertInto(BB, BB->end());
    Map[I] = NewI;
  }
  ReturnInst::Create(Ctx, Map.lookup(DAG.Root), BB);
  return M;
}

} // namespace neuropt
