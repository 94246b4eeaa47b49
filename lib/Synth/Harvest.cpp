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

/// Texts and keys that do not depend on the DAG a value is in: a leaf's type
/// and context-free facts, a constant's spelling, an instruction's opcode
/// spelling. One memo serves every DAG of a harvest, so each is computed
/// once however many DAGs share the value; printing them was most of the
/// cost of harvesting.
class HarvestMemo {
public:
  HarvestMemo(const DataLayout &DL, bool LeafFacts)
      : DL(DL), LeafFacts(LeafFacts) {}

  struct Leaf {
    LeafInfo Info;
    /// The type and the facts: what follows "leaf " in the canonical text.
    std::string Text;
    /// The structural key of the leaf: its text, never its name.
    uint64_t Key = 0;
    explicit Leaf(unsigned BitWidth) : Info(BitWidth) {}
  };
  const Leaf &leaf(const Value *V);

  struct Constant {
    std::string Text;
    uint64_t Key = 0;
  };
  const Constant &constant(const Value *V);

  /// opSpelling(I, Pred).
  StringRef spelling(const Instruction &I, CmpInst::Predicate Pred);

private:
  const DataLayout &DL;
  bool LeafFacts;
  // Deques: references to their elements stay valid as they grow.
  std::deque<Leaf> LeafStore;
  DenseMap<const Value *, const Leaf *> Leaves;
  std::deque<Constant> ConstantStore;
  DenseMap<const Value *, const Constant *> Constants;
  std::deque<std::string> SpellingStore;
  DenseMap<std::pair<const Instruction *, unsigned>, StringRef> Spellings;
};

/// The structural key of a leaf or constant: the hash of its kind and text.
uint64_t textKey(StringRef Kind, StringRef Text) {
  StableHasher H;
  H.update(Kind);
  H.update(Text);
  return H.final();
}

const HarvestMemo::Leaf &HarvestMemo::leaf(const Value *V) {
  auto [It, New] = Leaves.try_emplace(V, nullptr);
  if (!New)
    return *It->second;
  Leaf &L = LeafStore.emplace_back(V->getType()->getIntegerBitWidth());
  L.Info.V = V;
  if (LeafFacts) {
    // Context-free on purpose: the facts must not depend on where the leaf
    // is used, or one computation would hash differently per use site.
    L.Info.Known = computeKnownBits(V, DL);
    L.Info.Range = computeConstantRange(V, /*ForSigned=*/false);
  }
  L.Text = typeName(V->getType()) + factsText(L.Info);
  L.Key = textKey("leaf ", L.Text);
  It->second = &L;
  return L;
}

const HarvestMemo::Constant &HarvestMemo::constant(const Value *V) {
  auto [It, New] = Constants.try_emplace(V, nullptr);
  if (!New)
    return *It->second;
  Constant &C = ConstantStore.emplace_back();
  C.Text = constantText(V);
  C.Key = textKey("const ", C.Text);
  It->second = &C;
  return C;
}

StringRef HarvestMemo::spelling(const Instruction &I, CmpInst::Predicate Pred) {
  auto [It, New] = Spellings.try_emplace({&I, unsigned(Pred)}, StringRef());
  if (New)
    It->second = SpellingStore.emplace_back(opSpelling(I, Pred));
  return It->second;
}

/// Appends \p N in decimal.
void appendNumber(std::string &S, unsigned N) {
  char Buf[16];
  char *End = Buf + sizeof(Buf), *P = End;
  do
    *--P = char('0' + N % 10);
  while (N /= 10);
  S.append(P, End);
}

/// Builds one DAG: membership, keys, canonical order and text.
class DAGBuilder {
public:
  DAGBuilder(const Instruction &Root, const HarvestOptions &Opts,
             HarvestMemo &Memo)
      : Root(Root), Opts(Opts), Memo(Memo) {}

  HarvestedDAG build();

private:
  const Instruction &Root;
  const HarvestOptions &Opts;
  HarvestMemo &Memo;

  /// Members in the order collect() found them; the index of a member is
  /// its position here.
  SmallVector<const Instruction *, 16> MemberList;
  DenseMap<const Instruction *, unsigned> MemberIndex;
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
  /// Per member index.
  SmallVector<CanonOps, 16> Canon;

  /// One numbering of the DAG, for one choice of order at the tied nodes.
  struct Rendering {
    std::string Text;
    SmallVector<const Instruction *, 16> Insts;
    SmallVector<bool, 16> Swapped;
    SmallVector<const Value *, 8> Leaves;
  };
  /// Renders with the tied nodes whose bit is set in \p Flips (indexed by
  /// order of first visit) swapped; counts the tied nodes in \p NumTiedOut.
  Rendering render(uint64_t Flips, unsigned *NumTiedOut);

  /// The member index of \p V, or -1 when it is not a member.
  int memberIndex(const Value *V) const {
    const auto *I = dyn_cast<Instruction>(V);
    if (!I)
      return -1;
    auto It = MemberIndex.find(I);
    return It == MemberIndex.end() ? -1 : int(It->second);
  }
  bool isMember(const Value *V) const { return memberIndex(V) >= 0; }
  void collect();
  /// Orders operands by (rank, key): instructions, then leaves, then
  /// constants, which also keeps constants on the right as LLVM prints them.
  std::pair<unsigned, uint64_t> sortKey(const Value *V);
  uint64_t key(const Value *V);
};

} // namespace

void DAGBuilder::collect() {
  const unsigned Cap = std::min(Opts.MaxSize, MaxHarvestSize);
  auto Add = [&](const Instruction *I) {
    MemberIndex[I] = MemberList.size();
    MemberList.push_back(I);
  };
  // Breadth-first: MemberList doubles as the work queue.
  Add(&Root);
  for (unsigned Next = 0; Next != MemberList.size(); ++Next) {
    const Instruction *I = MemberList[Next];
    for (const Value *Op : I->operands()) {
      const auto *OpI = dyn_cast<Instruction>(Op);
      if (!OpI || MemberIndex.count(OpI) || !isHarvestableInst(*OpI) ||
          MemberList.size() >= Cap)
        continue;
      Add(OpI);
    }
  }
  Canon.resize(MemberList.size());
}

std::pair<unsigned, uint64_t> DAGBuilder::sortKey(const Value *V) {
  unsigned Rank = isMember(V) ? 0 : isDAGConstant(V) ? 2 : 1;
  return {Rank, key(V)};
}

uint64_t DAGBuilder::key(const Value *V) {
  if (isDAGConstant(V))
    return Memo.constant(V).Key;
  int Index = memberIndex(V);
  if (Index < 0)
    return Memo.leaf(V).Key;
  auto It = Keys.find(V);
  if (It != Keys.end())
    return It->second;
  StableHasher H;
  if (!InProgress.insert(V).second) {
    // Only self-referential code in unreachable blocks can get here; give
    // the back edge a fixed key rather than recursing forever.
    H.update("cycle");
    return H.final();
  }
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
  H.update(Memo.spelling(*I, C.Pred));
  for (unsigned Op : C.Order)
    H.update(key(I->getOperand(Op)));
  Canon[Index] = std::move(C);
  uint64_t K = H.final();
  Keys[V] = K;
  return K;
}

/// The most tied nodes whose orders are tried exhaustively (2^N renderings);
/// ties past these keep their IR order.
static constexpr unsigned MaxTiedNodes = 8;

DAGBuilder::Rendering DAGBuilder::render(uint64_t Flips, unsigned *NumTiedOut) {
  // Depth-first post-order; leaves are numbered at first use.
  Rendering R;
  const unsigned N = MemberList.size();
  // Per member index: its number in post-order (-1 before it completes),
  // whether it was entered, and whether its tied operands are flipped.
  SmallVector<int, 16> InstNo(N, -1);
  SmallVector<bool, 16> Entered(N, false), Flipped(N, false);
  unsigned NumTied = 0;
  SmallVector<std::pair<unsigned, unsigned>, 16> Stack;
  // Member indices in post-order, beside R.Insts.
  SmallVector<unsigned, 16> PostOrder;
  auto Enter = [&](unsigned Index) {
    Entered[Index] = true;
    if (Canon[Index].Tied && NumTied < MaxTiedNodes)
      Flipped[Index] = Flips >> NumTied++ & 1;
    Stack.push_back({Index, 0});
  };
  // The operand of member \p Index at canonical position \p Pos.
  auto OperandAt = [&](unsigned Index, unsigned Pos) {
    const CanonOps &C = Canon[Index];
    if (Flipped[Index] && Pos < 2)
      Pos = 1 - Pos;
    return MemberList[Index]->getOperand(C.Order[Pos]);
  };
  Enter(0); // The root.
  while (!Stack.empty()) {
    auto &[Index, Next] = Stack.back();
    const CanonOps &C = Canon[Index];
    if (Next == C.Order.size()) {
      InstNo[Index] = R.Insts.size();
      R.Insts.push_back(MemberList[Index]);
      PostOrder.push_back(Index);
      unsigned First = C.Order.empty() ? 0 : C.Order[Flipped[Index] ? 1 : 0];
      R.Swapped.push_back(C.Order.size() >= 2 && First == 1);
      Stack.pop_back();
      continue;
    }
    const Value *Op = OperandAt(Index, Next++);
    int OpIndex = memberIndex(Op);
    if (OpIndex >= 0) {
      if (!Entered[OpIndex])
        Enter(OpIndex);
    } else if (!isDAGConstant(Op) && !is_contained(R.Leaves, Op)) {
      R.Leaves.push_back(Op);
    }
  }
  if (NumTiedOut)
    *NumTiedOut = NumTied;

  std::string &S = R.Text;
  S.reserve(48 * (R.Leaves.size() + N + 1));
  unsigned NumLeaves = R.Leaves.size();
  for (unsigned L = 0; L != NumLeaves; ++L) {
    S += '%';
    appendNumber(S, L);
    S += " = leaf ";
    S += Memo.leaf(R.Leaves[L]).Text;
    S += '\n';
  }
  auto Operand = [&](const Value *V) {
    if (isDAGConstant(V)) {
      S += Memo.constant(V).Text;
      return;
    }
    S += '%';
    int Index = memberIndex(V);
    if (Index >= 0)
      appendNumber(S, NumLeaves + InstNo[Index]);
    else
      appendNumber(S, find(R.Leaves, V) - R.Leaves.begin());
  };
  for (unsigned Index : PostOrder) {
    const Instruction *I = MemberList[Index];
    const CanonOps &C = Canon[Index];
    CmpInst::Predicate Pred = C.Pred;
    if (Flipped[Index] && isa<ICmpInst>(I))
      Pred = CmpInst::getSwappedPredicate(Pred);
    S += '%';
    appendNumber(S, NumLeaves + InstNo[Index]);
    S += " = ";
    S += Memo.spelling(*I, Pred);
    for (unsigned Pos = 0, E = C.Order.size(); Pos != E; ++Pos) {
      if (Pos)
        S += ',';
      S += ' ';
      Operand(OperandAt(Index, Pos));
    }
    S += '\n';
  }
  S += "root %";
  appendNumber(S, NumLeaves + InstNo[0]);
  S += '\n';
  return R;
}

HarvestedDAG DAGBuilder::build() {
  collect();
  key(&Root);

  // Keys cannot order the operands of a tied node, so try every order of
  // the tied nodes and keep the smallest text: the set of renderings, hence
  // its minimum, is the same whatever operand order the IR had.
  unsigned NumTied = 0;
  Rendering Best = render(0, &NumTied);
  for (uint64_t Flips = 1, E = uint64_t(1) << NumTied; Flips < E; ++Flips) {
    Rendering R = render(Flips, nullptr);
    if (R.Text < Best.Text)
      Best = std::move(R);
  }

  HarvestedDAG D;
  D.Root = &Root;
  D.Insts = std::move(Best.Insts);
  D.Swapped = std::move(Best.Swapped);
  for (const Value *L : Best.Leaves)
    D.Leaves.push_back(Memo.leaf(L).Info);
  D.Canonical = std::move(Best.Text);
  D.Hash = stableHash(D.Canonical);
  return D;
}

HarvestedDAG extractDAG(const Instruction &Root, const HarvestOptions &Opts) {
  assert(isHarvestableInst(Root) && "root is not an integer DAG node");
  HarvestMemo Memo(Root.getModule()->getDataLayout(), Opts.LeafFacts);
  return DAGBuilder(Root, Opts, Memo).build();
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
  HarvestMemo Memo(F.getDataLayout(), Opts.LeafFacts);
  for (const Instruction &I : instructions(F)) {
    if (!Reachable.contains(I.getParent()) || !isInterestingRoot(I))
      continue;
    HarvestedDAG D = DAGBuilder(I, Opts, Memo).build();
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
