//===- Guide.cpp - The learned guide of the synthesis search ----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the synthesis guide: a statistics vector of a DAG
// (GuideFeatures.def plus an opcode histogram), the labels of a found
// replacement (the opcodes it uses), and the model that maps the first to a
// distribution over the second. The model is a lib/Model MLP with a
// classification head over the opcodes; a replacement that uses several
// opcodes contributes one training sample per opcode, so the softmax learns
// the frequency with which each opcode appears in the replacement (a
// multi-label target, as a mixture). The enumerator orders the candidates of
// one cost by the mean predicted weight of their opcodes (Enumerate.cpp);
// the guide never removes a candidate, so it changes how fast a
// replacement is found, never whether.
//
//===----------------------------------------------------------------------===//

#include "SynthInternal.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Model/SafeTensors.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"

#include <cmath>

using namespace llvm;

namespace neuropt {

namespace {
enum GuideFeature : unsigned {
#define GUIDE_FEATURE(Name, Doc) GF_##Name,
#include "GuideFeatures.def"
  GF_NumNamed
};
const char *const GuideFeatureNames[] = {
#define GUIDE_FEATURE(Name, Doc) #Name,
#include "GuideFeatures.def"
};
} // namespace

unsigned numGuideFeatures() {
  return GF_NumNamed + unsigned(filter::Op::NumOps);
}

std::string guideFeatureName(unsigned I) {
  if (I < GF_NumNamed)
    return GuideFeatureNames[I];
  return std::string("op.") +
         synth::opName(static_cast<filter::Op>(I - GF_NumNamed));
}

std::string guideManifestHash() {
  std::string All = "synth-guide-v1";
  for (unsigned I = 0, E = numGuideFeatures(); I != E; ++I)
    All += "\n" + guideFeatureName(I);
  return model::fnv1aHex(All);
}

unsigned numGuideClasses() { return unsigned(filter::Op::NumOps) + 1; }
unsigned guideNoInstClass() { return unsigned(filter::Op::NumOps); }

std::vector<int64_t> guideFeatures(const HarvestedDAG &DAG) {
  std::vector<int64_t> F(numGuideFeatures(), 0);
  F[GF_Insts] = DAG.Insts.size();
  F[GF_Leaves] = DAG.Leaves.size();
  F[GF_ResultWidth] =
      DAG.Root ? DAG.Root->getType()->getIntegerBitWidth() : 0;
  SmallSet<unsigned, 8> Widths;
  int64_t MinW = 0, MaxW = 0;
  for (const LeafInfo &L : DAG.Leaves) {
    int64_t W = L.Known.getBitWidth();
    MaxW = std::max(MaxW, W);
    MinW = MinW ? std::min(MinW, W) : W;
    Widths.insert(W);
    unsigned K = L.Known.Zero.popcount() + L.Known.One.popcount();
    F[GF_KnownLeafBits] += K;
    F[GF_LeavesWithKnownBits] += K != 0;
    F[GF_LeavesWithRange] += !L.Range.isFullSet();
  }
  F[GF_MaxLeafWidth] = MaxW;
  F[GF_MinLeafWidth] = MinW;
  DenseMap<const Value *, unsigned> Uses, Depth;
  unsigned MaxDepth = 0;
  for (const Instruction *I : DAG.Insts) {
    Widths.insert(I->getType()->getIntegerBitWidth());
    if (std::optional<filter::Op> O = synth::filterOpOf(*I))
      ++F[GF_NumNamed + unsigned(*O)];
    else
      ++F[GF_OtherOps];
    if (isa<OverflowingBinaryOperator>(I) || isa<TruncInst>(I))
      F[GF_PoisonFlags] += I->hasNoSignedWrap() + I->hasNoUnsignedWrap();
    if (isa<PossiblyExactOperator>(I))
      F[GF_PoisonFlags] += I->isExact();
    if (const auto *PD = dyn_cast<PossiblyDisjointInst>(I))
      F[GF_PoisonFlags] += PD->isDisjoint();
    if (isa<PossiblyNonNegInst>(I))
      F[GF_PoisonFlags] += I->hasNonNeg();
    unsigned D = 0;
    for (const Value *Op : I->operands()) {
      ++Uses[Op];
      D = std::max(D, Depth.lookup(Op));
      const auto *CI = dyn_cast<ConstantInt>(Op);
      // The callee of an intrinsic call is no constant of the DAG.
      if (!CI)
        continue;
      const APInt &V = CI->getValue();
      ++F[GF_Constants];
      F[GF_PowerOfTwoConsts] += V.isPowerOf2();
      F[GF_LowMaskConsts] += V.isMask() && !V.isAllOnes();
      F[GF_AllOnesConsts] += V.isAllOnes();
      F[GF_SignBitConsts] += V.isSignMask();
    }
    Depth[I] = D + 1;
    MaxDepth = std::max(MaxDepth, D + 1);
  }
  for (auto &[V, N] : Uses)
    F[GF_SharedValues] += N > 1 && !isa<Constant>(V);
  F[GF_DistinctWidths] = Widths.size();
  F[GF_Depth] = MaxDepth;
  F[GF_Cost] = DAG.Root ? dagCost(DAG) : 0;
  return F;
}

std::vector<unsigned> guideLabels(const Module &RHS) {
  std::vector<unsigned> L;
  if (const Function *F = RHS.getFunction("rhs"))
    for (const BasicBlock &BB : *F)
      for (const Instruction &I : BB)
        if (std::optional<filter::Op> O = synth::filterOpOf(I)) {
          // The enumerator builds ugt/uge/sgt/sge as ult/ule/slt/sle with
          // swapped operands; label what it builds.
          switch (*O) {
          case filter::Op::Ugt: O = filter::Op::Ult; break;
          case filter::Op::Uge: O = filter::Op::Ule; break;
          case filter::Op::Sgt: O = filter::Op::Slt; break;
          case filter::Op::Sge: O = filter::Op::Sle; break;
          default: break;
          }
          if (!is_contained(L, unsigned(*O)))
            L.push_back(unsigned(*O));
        }
  llvm::sort(L);
  if (L.empty())
    L.push_back(guideNoInstClass());
  return L;
}

struct SynthGuideModel::Impl {
  std::unique_ptr<model::ModelRunner> Runner;
};

SynthGuideModel::SynthGuideModel() : P(std::make_unique<Impl>()) {}
SynthGuideModel::~SynthGuideModel() = default;

Expected<std::unique_ptr<SynthGuideModel>>
SynthGuideModel::load(const std::string &Dir, const std::string &Name) {
  model::FeatureManifestId Id;
  Id.Hash = guideManifestHash();
  Id.NumFeatures = numGuideFeatures();
  model::RunnerLoad RL = model::loadRunner(Dir, Name, Id, model::Device::CPU);
  if (!RL.Runner->isUsable())
    return createStringError(std::errc::invalid_argument,
                             "synthesis guide '%s' in '%s': %s", Name.c_str(),
                             Dir.c_str(), RL.Runner->reason().c_str());
  const model::ModelConfig *C = RL.Runner->config();
  if (!C || C->Kind != model::ModelKind::MLP ||
      C->Head != model::HeadKind::Classification ||
      C->NumOutputs != numGuideClasses())
    return createStringError(
        std::errc::invalid_argument,
        "synthesis guide '%s' in '%s': not an MLP classifier over %u "
        "opcode classes",
        Name.c_str(), Dir.c_str(), numGuideClasses());
  std::unique_ptr<SynthGuideModel> G(new SynthGuideModel());
  G->P->Runner = std::move(RL.Runner);
  return G;
}

Expected<SynthGuide> SynthGuideModel::predict(const HarvestedDAG &DAG) {
  std::vector<int64_t> F = guideFeatures(DAG);
  model::ModelInput In;
  In.BatchSize = 1;
  In.Counts = F.data();
  model::StatusOr<model::Scores> S = P->Runner->evaluate(In);
  if (!S)
    return createStringError(std::errc::invalid_argument,
                             "synthesis guide: %s",
                             S.status().message().c_str());
  unsigned K = numGuideClasses();
  std::vector<double> Logits(K);
  double Max = -1e300;
  for (unsigned I = 0; I != K; ++I) {
    Logits[I] = S->value(0, I);
    Max = std::max(Max, Logits[I]);
  }
  double Sum = 0;
  for (double &L : Logits)
    Sum += (L = std::exp(L - Max));
  SynthGuide G;
  G.OpcodeWeights.resize(unsigned(filter::Op::NumOps));
  for (unsigned I = 0; I != unsigned(filter::Op::NumOps); ++I)
    G.OpcodeWeights[I] = static_cast<float>(Logits[I] / Sum);
  // A likely bare leaf or constant: a hole-free form is no more likely than
  // one with constants, so the constant prior stays neutral.
  G.ConstantProb = 0.5f;
  return G;
}

} // namespace neuropt
