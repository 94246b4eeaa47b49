//===- Models.cpp - Float MLP and GNN models, forward and backward --------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements ModelConfig, GraphBatch and the explicit forward and
// backward passes of the float models on top of kernels/cpu.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Models.h"
#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/QuantMath.h"
#include "neuropt/Model/Train.h"

#include <algorithm>
#include <cmath>

using namespace neuropt;
using namespace neuropt::model;

const char *neuropt::model::modelKindName(ModelKind K) {
  return K == ModelKind::MLP ? "mlp" : "gnn";
}

const char *neuropt::model::headKindName(HeadKind H) {
  switch (H) {
  case HeadKind::Regression:
    return "regression";
  case HeadKind::Classification:
    return "classification";
  case HeadKind::Ranking:
    return "ranking";
  }
  return "?";
}

bool neuropt::model::parseModelKind(const std::string &S, ModelKind &Out) {
  if (S == "mlp" || S == "gnn") {
    Out = S == "mlp" ? ModelKind::MLP : ModelKind::GNN;
    return true;
  }
  return false;
}

bool neuropt::model::parseHeadKind(const std::string &S, HeadKind &Out) {
  for (HeadKind H :
       {HeadKind::Regression, HeadKind::Classification, HeadKind::Ranking})
    if (S == headKindName(H)) {
      Out = H;
      return true;
    }
  return false;
}

float neuropt::model::countCode(int64_t C) {
  return float(quantizeCount(C)) / QuantCountScale;
}

//===----------------------------------------------------------------------===//
// ModelConfig
//===----------------------------------------------------------------------===//

Status ModelConfig::validate() const {
  auto Bad = [](const std::string &M) {
    return Status::error("invalid model architecture: " + M);
  };
  if (NumOutputs == 0 || NumOutputs > 4096)
    return Bad("output count " + std::to_string(NumOutputs));
  if (Head != HeadKind::Classification && NumOutputs != 1)
    return Bad(std::string(headKindName(Head)) + " head needs 1 output");
  if (Head == HeadKind::Classification && NumOutputs < 2)
    return Bad("classification head needs at least 2 outputs");
  for (unsigned H : Hidden)
    if (H == 0 || H > 4096)
      return Bad("hidden width " + std::to_string(H));
  if (Hidden.size() > 16)
    return Bad("too many hidden layers");
  if (Kind == ModelKind::MLP && (NumFeatures == 0 || NumFeatures > 65536))
    return Bad("MLP feature count " + std::to_string(NumFeatures));
  if (Kind == ModelKind::GNN) {
    if (NumNodeTypes == 0 || NumNodeTypes > (1u << 20))
      return Bad("GNN node-type count " + std::to_string(NumNodeTypes));
    if (EmbedDim == 0 || EmbedDim > 1024)
      return Bad("GNN embedding width " + std::to_string(EmbedDim));
    if (Rounds > 16)
      return Bad("GNN rounds " + std::to_string(Rounds));
    if (NumEdgeKinds == 0 || NumEdgeKinds > 16)
      return Bad("GNN edge kinds " + std::to_string(NumEdgeKinds));
  }
  return Status::success();
}

JsonValue ModelConfig::toJson() const {
  JsonValue O = JsonValue::object();
  O.set("kind", modelKindName(Kind));
  O.set("head", headKindName(Head));
  O.set("num_outputs", NumOutputs);
  JsonValue H = JsonValue::array();
  for (unsigned W : Hidden)
    H.push(W);
  O.set("hidden", H);
  if (Kind == ModelKind::MLP) {
    O.set("num_features", NumFeatures);
  } else {
    O.set("num_node_types", NumNodeTypes);
    O.set("embed_dim", EmbedDim);
    O.set("rounds", Rounds);
    O.set("edge_kinds", NumEdgeKinds);
  }
  return O;
}

StatusOr<ModelConfig> ModelConfig::fromJson(const JsonValue &V,
                                            const std::string &Where) {
  ModelConfig C;
  if (!V.isObject())
    return Status::error(Where + ": architecture is not a JSON object");
  StatusOr<std::string> Kind = getJsonString(V, "kind", Where);
  if (!Kind)
    return Kind.takeError();
  if (!parseModelKind(*Kind, C.Kind))
    return Status::error(Where + ": unknown model kind '" + *Kind + "'");
  StatusOr<std::string> Head = getJsonString(V, "head", Where);
  if (!Head)
    return Head.takeError();
  if (!parseHeadKind(*Head, C.Head))
    return Status::error(Where + ": unknown head '" + *Head + "'");
  auto GetU = [&](const char *Key, unsigned &Out) -> Status {
    StatusOr<int64_t> I = getJsonInt(V, Key, Where);
    if (!I)
      return I.takeError();
    if (*I < 0 || *I > (int64_t(1) << 30))
      return Status::error(Where + ": '" + Key + "' out of range");
    Out = unsigned(*I);
    return Status::success();
  };
  if (Status S = GetU("num_outputs", C.NumOutputs))
    return S;
  const JsonValue *H = V.get("hidden");
  if (!H || !H->isArray())
    return Status::error(Where + ": missing array member 'hidden'");
  C.Hidden.clear();
  for (const JsonValue &W : H->getArray()) {
    if (!W.isNumber() || W.getNumber() < 1 || W.getNumber() > 4096 ||
        W.getNumber() != std::floor(W.getNumber()))
      return Status::error(Where + ": bad hidden width");
    C.Hidden.push_back(unsigned(W.getNumber()));
  }
  if (C.Kind == ModelKind::MLP) {
    if (Status S = GetU("num_features", C.NumFeatures))
      return S;
  } else {
    if (Status S = GetU("num_node_types", C.NumNodeTypes))
      return S;
    if (Status S = GetU("embed_dim", C.EmbedDim))
      return S;
    if (Status S = GetU("rounds", C.Rounds))
      return S;
    if (V.get("edge_kinds"))
      if (Status S = GetU("edge_kinds", C.NumEdgeKinds))
        return S;
  }
  if (Status S = C.validate())
    return Status::error(Where + ": " + S.message());
  return C;
}

//===----------------------------------------------------------------------===//
// GraphBatch
//===----------------------------------------------------------------------===//

void GraphBatch::append(const GraphBatch &Other) {
  uint32_t NodeBase = uint32_t(numNodes());
  uint32_t EdgeBase = uint32_t(Col.size());
  for (size_t I = 1; I < Other.RowPtr.size(); ++I)
    RowPtr.push_back(EdgeBase + Other.RowPtr[I]);
  for (uint32_t C : Other.Col)
    Col.push_back(NodeBase + C);
  EdgeKind.insert(EdgeKind.end(), Other.EdgeKind.begin(),
                  Other.EdgeKind.end());
  NodeType.insert(NodeType.end(), Other.NodeType.begin(),
                  Other.NodeType.end());
  for (size_t I = 1; I < Other.GraphPtr.size(); ++I)
    GraphPtr.push_back(NodeBase + Other.GraphPtr[I]);
}

Status GraphBatch::validate(unsigned NumNodeTypes) const {
  size_t N = numNodes();
  if (RowPtr.size() != N + 1 || RowPtr[0] != 0)
    return Status::error("graph: RowPtr must have one entry per node plus one "
                         "and start at 0");
  for (size_t I = 0; I < N; ++I)
    if (RowPtr[I + 1] < RowPtr[I])
      return Status::error("graph: RowPtr is not monotonic at node " +
                           std::to_string(I));
  if (RowPtr[N] != Col.size())
    return Status::error("graph: RowPtr ends at " + std::to_string(RowPtr[N]) +
                         " but there are " + std::to_string(Col.size()) +
                         " edges");
  if (!EdgeKind.empty() && EdgeKind.size() != Col.size())
    return Status::error("graph: EdgeKind and Col differ in length");
  for (size_t E = 0; E < Col.size(); ++E)
    if (Col[E] >= N)
      return Status::error("graph: edge " + std::to_string(E) +
                           " targets node " + std::to_string(Col[E]) +
                           " of " + std::to_string(N));
  for (size_t I = 0; I < N; ++I)
    if (NodeType[I] >= NumNodeTypes)
      return Status::error("graph: node " + std::to_string(I) + " has type " +
                           std::to_string(NodeType[I]) +
                           " but the model knows " +
                           std::to_string(NumNodeTypes));
  if (GraphPtr.empty() || GraphPtr[0] != 0 || GraphPtr.back() != N)
    return Status::error("graph: GraphPtr must start at 0 and end at the "
                         "node count");
  for (size_t G = 0; G + 1 < GraphPtr.size(); ++G) {
    if (GraphPtr[G + 1] < GraphPtr[G])
      return Status::error("graph: GraphPtr is not monotonic");
    // Graphs are independent: an edge never leaves its graph. (Scoring
    // relies on it to process a batch in slices.)
    for (uint32_t N = GraphPtr[G]; N < GraphPtr[G + 1]; ++N)
      for (uint32_t E = RowPtr[N]; E < RowPtr[N + 1]; ++E)
        if (Col[E] < GraphPtr[G] || Col[E] >= GraphPtr[G + 1])
          return Status::error("graph: edge " + std::to_string(E) +
                               " leaves graph " + std::to_string(G));
  }
  return Status::success();
}

Status neuropt::model::validateInput(const ModelConfig &Config,
                                     const ModelInput &In) {
  if (Config.Kind == ModelKind::MLP) {
    if (!In.Counts && In.BatchSize)
      return Status::error("model input: the MLP needs a statistics vector");
    return Status::success();
  }
  if (!In.Graphs)
    return Status::error("model input: the GNN needs program graphs");
  if (In.Graphs->numGraphs() != In.BatchSize)
    return Status::error("model input: batch of " +
                         std::to_string(In.BatchSize) + " but " +
                         std::to_string(In.Graphs->numGraphs()) + " graphs");
  if (Status S = In.Graphs->validate(Config.NumNodeTypes))
    return S;
  if (Config.NumEdgeKinds > 1) {
    const GraphBatch &G = *In.Graphs;
    if (G.EdgeKind.size() != G.Col.size())
      return Status::error("model input: the model reads " +
                           std::to_string(Config.NumEdgeKinds) +
                           " edge kinds but the graph has none");
    for (size_t E = 0; E < G.EdgeKind.size(); ++E)
      if (G.EdgeKind[E] >= Config.NumEdgeKinds)
        return Status::error("graph: edge " + std::to_string(E) +
                             " has kind " + std::to_string(G.EdgeKind[E]) +
                             " but the model knows " +
                             std::to_string(Config.NumEdgeKinds));
  }
  return Status::success();
}

KindedEdges neuropt::model::splitEdgesByKind(const GraphBatch &G, unsigned K) {
  KindedEdges R;
  size_t N = G.numNodes();
  R.RowPtr.assign(K, std::vector<uint32_t>(N + 1, 0));
  R.Col.assign(K, {});
  for (size_t V = 0; V < N; ++V) {
    for (uint32_t E = G.RowPtr[V]; E < G.RowPtr[V + 1]; ++E) {
      unsigned Kind = K == 1 ? 0 : G.EdgeKind[E];
      R.Col[Kind].push_back(G.Col[E]);
    }
    for (unsigned Kd = 0; Kd < K; ++Kd)
      R.RowPtr[Kd][V + 1] = uint32_t(R.Col[Kd].size());
  }
  return R;
}

//===----------------------------------------------------------------------===//
// FloatModel
//===----------------------------------------------------------------------===//

void FloatModel::addParam(const std::string &Name, std::vector<int64_t> Shape,
                          bool Trainable) {
  Param P;
  P.Name = Name;
  P.Value = Tensor(DType::F32, Shape);
  P.Grad = Tensor(DType::F32, Shape);
  P.Trainable = Trainable;
  Params.push_back(std::move(P));
}

const Param *FloatModel::findParam(const std::string &Name) const {
  for (const Param &P : Params)
    if (P.Name == Name)
      return &P;
  return nullptr;
}

Param *FloatModel::findParam(const std::string &Name) {
  for (Param &P : Params)
    if (P.Name == Name)
      return &P;
  return nullptr;
}

float *FloatModel::value(const std::string &Name) {
  Param *P = findParam(Name);
  assert(P && "unknown parameter");
  return P->Value.data<float>();
}

float *FloatModel::grad(const std::string &Name) {
  Param *P = findParam(Name);
  assert(P && "unknown parameter");
  return P->Grad.data<float>();
}

static std::string headName(size_t I, const char *What) {
  return "head." + std::to_string(I) + "." + What;
}

static std::string sageName(size_t R, const char *What) {
  return "sage." + std::to_string(R) + "." + What;
}

StatusOr<FloatModel> FloatModel::create(const ModelConfig &Config,
                                        uint64_t Seed) {
  if (Status S = Config.validate())
    return S;
  FloatModel M(Config);
  Rng R(Seed);
  auto InitLinear = [&](const std::string &W, const std::string &B,
                        unsigned Out, unsigned In) {
    M.addParam(W, {int64_t(Out), int64_t(In)});
    M.addParam(B, {int64_t(Out)});
    // He-uniform: keeps ReLU activations at a stable scale.
    float Bound = std::sqrt(6.0f / float(In));
    float *P = M.value(W);
    for (size_t I = 0; I < size_t(Out) * In; ++I)
      P[I] = float((2 * R.uniform() - 1) * Bound);
  };
  unsigned Width;
  if (Config.Kind == ModelKind::MLP) {
    M.addParam("input.mean", {int64_t(Config.NumFeatures)}, false);
    M.addParam("input.std", {int64_t(Config.NumFeatures)}, false);
    float *Std = M.value("input.std");
    for (unsigned I = 0; I < Config.NumFeatures; ++I)
      Std[I] = 1;
    Width = Config.NumFeatures;
  } else {
    unsigned D = Config.EmbedDim;
    M.addParam("embed.weight", {int64_t(Config.NumNodeTypes), int64_t(D)});
    float *E = M.value("embed.weight");
    for (size_t I = 0; I < size_t(Config.NumNodeTypes) * D; ++I)
      E[I] = float(R.normal() * 0.5);
    for (unsigned Rd = 0; Rd < Config.Rounds; ++Rd)
      InitLinear(sageName(Rd, "weight"), sageName(Rd, "bias"), D,
                 Config.sageInputBlocks() * D);
    Width = D;
  }
  for (size_t I = 0; I <= Config.Hidden.size(); ++I) {
    unsigned Out =
        I < Config.Hidden.size() ? Config.Hidden[I] : Config.NumOutputs;
    InitLinear(headName(I, "weight"), headName(I, "bias"), Out, Width);
    Width = Out;
  }
  return M;
}

void FloatModel::setInputNormalization(const std::vector<float> &Mean,
                                       const std::vector<float> &Std) {
  assert(Config.Kind == ModelKind::MLP && Mean.size() == Config.NumFeatures &&
         Std.size() == Config.NumFeatures);
  std::copy(Mean.begin(), Mean.end(), value("input.mean"));
  std::copy(Std.begin(), Std.end(), value("input.std"));
}

void FloatModel::zeroGrad() {
  for (Param &P : Params)
    std::fill(P.Grad.data<float>(), P.Grad.data<float>() + P.Grad.numel(),
              0.0f);
}

std::vector<float> FloatModel::forward(const ModelInput &In) {
  Batch = In.BatchSize;
  size_t L = Config.Hidden.size() + 1;
  HeadIn.assign(L + 1, {});
  HeadPre.assign(L, {});
  if (Config.Kind == ModelKind::MLP) {
    unsigned F = Config.NumFeatures;
    const float *Mean = value("input.mean");
    const float *Std = value("input.std");
    std::vector<float> &X = HeadIn[0];
    X.resize(Batch * F);
    for (size_t B = 0; B < Batch; ++B)
      for (unsigned J = 0; J < F; ++J)
        X[B * F + J] = (countCode(In.Counts[B * F + J]) - Mean[J]) / Std[J];
  } else {
    Graphs = *In.Graphs;
    size_t N = Graphs.numNodes();
    unsigned D = Config.EmbedDim;
    SageIn.assign(Config.Rounds + 1, {});
    SageCat.assign(Config.Rounds, {});
    SagePre.assign(Config.Rounds, {});
    SageIn[0].resize(N * D);
    cpu::embeddingForward(N, D, Graphs.NodeType.data(), value("embed.weight"),
                          SageIn[0].data());
    unsigned Blocks = Config.sageInputBlocks(), W = Blocks * D;
    Edges = splitEdgesByKind(Graphs, Config.NumEdgeKinds);
    std::vector<float> Agg(N * D);
    for (unsigned R = 0; R < Config.Rounds; ++R) {
      // SageCat[R] = [h ; mean over kind-0 edges ; ... ], one block each.
      SageCat[R].resize(N * W);
      for (size_t V = 0; V < N; ++V)
        std::copy(&SageIn[R][V * D], &SageIn[R][V * D] + D,
                  &SageCat[R][V * W]);
      for (unsigned K = 0; K < Config.NumEdgeKinds; ++K) {
        cpu::segmentForward(true, N, D, Edges.RowPtr[K].data(),
                            Edges.Col[K].data(), SageIn[R].data(), Agg.data());
        for (size_t V = 0; V < N; ++V)
          std::copy(&Agg[V * D], &Agg[V * D] + D,
                    &SageCat[R][V * W + (1 + K) * D]);
      }
      SagePre[R].resize(N * D);
      cpu::gemm(false, true, N, D, W, 1.0f, SageCat[R].data(), W,
                value(sageName(R, "weight")), W, 0.0f, SagePre[R].data(), D);
      cpu::biasForward(N, D, value(sageName(R, "bias")), SagePre[R].data());
      SageIn[R + 1].resize(N * D);
      cpu::reluForward(N * D, SagePre[R].data(), SageIn[R + 1].data());
    }
    PoolCol.resize(N);
    for (size_t I = 0; I < N; ++I)
      PoolCol[I] = uint32_t(I);
    HeadIn[0].resize(Batch * D);
    cpu::segmentForward(true, Batch, D, Graphs.GraphPtr.data(), PoolCol.data(),
                        SageIn[Config.Rounds].data(), HeadIn[0].data());
  }
  unsigned Width =
      Config.Kind == ModelKind::MLP ? Config.NumFeatures : Config.EmbedDim;
  for (size_t I = 0; I < L; ++I) {
    unsigned Out = I + 1 < L ? Config.Hidden[I] : Config.NumOutputs;
    HeadPre[I].resize(Batch * Out);
    cpu::gemm(false, true, Batch, Out, Width, 1.0f, HeadIn[I].data(), Width,
              value(headName(I, "weight")), Width, 0.0f, HeadPre[I].data(),
              Out);
    cpu::biasForward(Batch, Out, value(headName(I, "bias")),
                     HeadPre[I].data());
    if (I + 1 < L) {
      HeadIn[I + 1].resize(Batch * Out);
      cpu::reluForward(Batch * Out, HeadPre[I].data(), HeadIn[I + 1].data());
    }
    Width = Out;
  }
  return HeadPre[L - 1];
}

void FloatModel::backward(const std::vector<float> &DOut) {
  size_t L = Config.Hidden.size() + 1;
  std::vector<float> DPre = DOut;
  std::vector<float> DIn;
  for (size_t I = L; I-- > 0;) {
    unsigned Out = I + 1 < L ? Config.Hidden[I] : Config.NumOutputs;
    unsigned Width = I > 0 ? Config.Hidden[I - 1]
                     : Config.Kind == ModelKind::MLP ? Config.NumFeatures
                                                     : Config.EmbedDim;
    // dW[Out, Width] += dPre^T * In; db += colsum(dPre); dIn = dPre * W.
    cpu::gemm(true, false, Out, Width, Batch, 1.0f, DPre.data(), Out,
              HeadIn[I].data(), Width, 1.0f, grad(headName(I, "weight")),
              Width);
    cpu::biasBackward(Batch, Out, DPre.data(), grad(headName(I, "bias")));
    if (I == 0 && Config.Kind == ModelKind::MLP)
      break;
    DIn.assign(Batch * Width, 0.0f);
    cpu::gemm(false, false, Batch, Width, Out, 1.0f, DPre.data(), Out,
              value(headName(I, "weight")), Width, 0.0f, DIn.data(), Width);
    if (I > 0) {
      DPre.resize(Batch * Width);
      cpu::reluBackward(Batch * Width, HeadPre[I - 1].data(), DIn.data(),
                        DPre.data());
    }
  }
  if (Config.Kind == ModelKind::MLP)
    return;
  size_t N = Graphs.numNodes();
  unsigned D = Config.EmbedDim;
  std::vector<float> DH(N * D, 0.0f);
  cpu::segmentBackward(true, Batch, D, Graphs.GraphPtr.data(), PoolCol.data(),
                       DIn.data(), DH.data());
  unsigned W = Config.sageInputBlocks() * D;
  std::vector<float> DP(N * D), DCat(N * W), DSelf(N * D), DAgg(N * D);
  for (unsigned R = Config.Rounds; R-- > 0;) {
    cpu::reluBackward(N * D, SagePre[R].data(), DH.data(), DP.data());
    cpu::gemm(true, false, D, W, N, 1.0f, DP.data(), D, SageCat[R].data(), W,
              1.0f, grad(sageName(R, "weight")), W);
    cpu::biasBackward(N, D, DP.data(), grad(sageName(R, "bias")));
    cpu::gemm(false, false, N, W, D, 1.0f, DP.data(), D,
              value(sageName(R, "weight")), W, 0.0f, DCat.data(), W);
    // Split DCat into the node's own block and one block per edge kind,
    // which flows back through that kind's mean.
    for (size_t V = 0; V < N; ++V)
      std::copy(&DCat[V * W], &DCat[V * W] + D, &DSelf[V * D]);
    for (unsigned K = 0; K < Config.NumEdgeKinds; ++K) {
      for (size_t V = 0; V < N; ++V)
        std::copy(DCat.data() + V * W + (1 + K) * D,
                  DCat.data() + V * W + (2 + K) * D, DAgg.data() + V * D);
      cpu::segmentBackward(true, N, D, Edges.RowPtr[K].data(),
                           Edges.Col[K].data(), DAgg.data(), DSelf.data());
    }
    DH.swap(DSelf);
  }
  cpu::embeddingBackward(N, D, Graphs.NodeType.data(), DH.data(),
                         grad("embed.weight"));
}

std::vector<const std::vector<float> *> FloatModel::stageOutputs() const {
  std::vector<const std::vector<float> *> Out;
  if (Config.Kind == ModelKind::GNN)
    for (unsigned R = 1; R <= Config.Rounds; ++R)
      Out.push_back(&SageIn[R]);
  for (size_t I = 1; I <= Config.Hidden.size(); ++I)
    Out.push_back(&HeadIn[I]);
  return Out;
}
