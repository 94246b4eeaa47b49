//===- Train.cpp - Losses, AdamW, datasets and the training loop ----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements training: the three losses, AdamW, the text dataset
// format, synthetic tasks, seeded mini-batching and evaluation metrics.
// Everything is sequential with a fixed order, so a seed reproduces a run
// bit for bit.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Train.h"
#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/SafeTensors.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

using namespace neuropt;
using namespace neuropt::model;

//===----------------------------------------------------------------------===//
// Rng
//===----------------------------------------------------------------------===//

uint64_t Rng::next() {
  uint64_t Z = (State += 0x9E3779B97F4A7C15ULL);
  Z = (Z ^ (Z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94D049BB133111EBULL;
  return Z ^ (Z >> 31);
}

double Rng::uniform() { return double(next() >> 11) * 0x1.0p-53; }

double Rng::normal() {
  double U1 = uniform(), U2 = uniform();
  if (U1 < 1e-300)
    U1 = 1e-300;
  return std::sqrt(-2.0 * std::log(U1)) * std::cos(6.283185307179586 * U2);
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

double neuropt::model::mseLoss(const std::vector<float> &Pred,
                               const std::vector<float> &Target,
                               std::vector<float> &DPred) {
  size_t B = Pred.size();
  DPred.assign(B, 0.0f);
  if (!B)
    return 0;
  double L = 0;
  for (size_t I = 0; I < B; ++I) {
    double D = double(Pred[I]) - Target[I];
    L += D * D;
    DPred[I] = float(2 * D / double(B));
  }
  return L / double(B);
}

double neuropt::model::crossEntropyLoss(const std::vector<float> &Logits,
                                        size_t K,
                                        const std::vector<uint32_t> &Labels,
                                        std::vector<float> &DLogits) {
  size_t B = Labels.size();
  std::vector<float> LogP(B * K), DLogP(B * K, 0.0f);
  cpu::logSoftmaxForward(B, K, Logits.data(), LogP.data());
  double L = 0;
  for (size_t I = 0; I < B; ++I) {
    L -= LogP[I * K + Labels[I]];
    DLogP[I * K + Labels[I]] = -1.0f / float(B);
  }
  DLogits.assign(B * K, 0.0f);
  cpu::logSoftmaxBackward(B, K, LogP.data(), DLogP.data(), DLogits.data());
  return B ? L / double(B) : 0;
}

double neuropt::model::pairwiseRankingLoss(const std::vector<float> &Scores,
                                           const std::vector<float> &Relevance,
                                           const std::vector<uint32_t> &Group,
                                           std::vector<float> &DScores) {
  size_t B = Scores.size();
  DScores.assign(B, 0.0f);
  double L = 0;
  size_t Pairs = 0;
  std::vector<double> D(B, 0.0);
  // Bucket by group so the cost is quadratic in the group size only.
  std::map<uint32_t, std::vector<size_t>> ByGroup;
  for (size_t I = 0; I < B; ++I)
    ByGroup[Group[I]].push_back(I);
  for (const auto &G : ByGroup)
    for (size_t I : G.second)
      for (size_t J : G.second) {
        if (!(Relevance[I] > Relevance[J]))
          continue;
        double X = double(Scores[I]) - Scores[J];
        // log(1 + exp(-x)), stable for both signs.
        L += X > 0 ? std::log1p(std::exp(-X)) : -X + std::log1p(std::exp(X));
        double Gr = -1.0 / (1.0 + std::exp(X)); // d/dx
        D[I] += Gr;
        D[J] -= Gr;
        ++Pairs;
      }
  if (!Pairs)
    return 0;
  for (size_t I = 0; I < B; ++I)
    DScores[I] = float(D[I] / double(Pairs));
  return L / double(Pairs);
}

//===----------------------------------------------------------------------===//
// AdamW
//===----------------------------------------------------------------------===//

void AdamW::step(std::vector<Param> &Params) {
  if (M.size() != Params.size()) {
    M.assign(Params.size(), {});
    V.assign(Params.size(), {});
    for (size_t I = 0; I < Params.size(); ++I) {
      M[I].assign(size_t(Params[I].Value.numel()), 0.0f);
      V[I].assign(size_t(Params[I].Value.numel()), 0.0f);
    }
  }
  ++T;
  double C1 = 1.0 - std::pow(double(Beta1), double(T));
  double C2 = 1.0 - std::pow(double(Beta2), double(T));
  for (size_t I = 0; I < Params.size(); ++I) {
    Param &P = Params[I];
    if (!P.Trainable)
      continue;
    float *W = P.Value.data<float>();
    const float *G = P.Grad.data<float>();
    // Biases and embeddings are not decayed (rank-1 tensors are biases).
    bool Decay = P.Value.rank() == 2 && P.Name.rfind("embed", 0) != 0;
    for (size_t J = 0, E = size_t(P.Value.numel()); J < E; ++J) {
      M[I][J] = Beta1 * M[I][J] + (1 - Beta1) * G[J];
      V[I][J] = Beta2 * V[I][J] + (1 - Beta2) * G[J] * G[J];
      double MHat = M[I][J] / C1, VHat = V[I][J] / C2;
      double Upd = MHat / (std::sqrt(VHat) + Eps);
      if (Decay)
        Upd += WeightDecay * W[J];
      W[J] -= float(LR * Upd);
    }
  }
}

//===----------------------------------------------------------------------===//
// Dataset
//===----------------------------------------------------------------------===//

Dataset Dataset::subset(const std::vector<size_t> &Idx) const {
  Dataset S = *this;
  S.Counts.clear();
  S.Graphs.clear();
  S.Labels.clear();
  S.Groups.clear();
  for (size_t I : Idx) {
    if (Kind == ModelKind::MLP)
      S.Counts.insert(S.Counts.end(), Counts.begin() + I * NumFeatures,
                      Counts.begin() + (I + 1) * NumFeatures);
    else
      S.Graphs.push_back(Graphs[I]);
    S.Labels.push_back(Labels[I]);
    S.Groups.push_back(Groups[I]);
  }
  return S;
}

ModelInput Dataset::batch(const std::vector<size_t> &Idx,
                          std::vector<int64_t> &ScratchCounts,
                          GraphBatch &ScratchGraphs) const {
  ModelInput In;
  In.BatchSize = Idx.size();
  if (Kind == ModelKind::MLP) {
    ScratchCounts.clear();
    for (size_t I : Idx)
      ScratchCounts.insert(ScratchCounts.end(),
                           Counts.begin() + I * NumFeatures,
                           Counts.begin() + (I + 1) * NumFeatures);
    In.Counts = ScratchCounts.data();
  } else {
    ScratchGraphs = GraphBatch();
    for (size_t I : Idx)
      ScratchGraphs.append(Graphs[I]);
    In.Graphs = &ScratchGraphs;
  }
  return In;
}

template <typename T> static void appendRaw(std::string &S, const T &V) {
  S.append(reinterpret_cast<const char *>(&V), sizeof(T));
}

std::string Dataset::contentHash() const {
  std::string S;
  appendRaw(S, Kind);
  appendRaw(S, Task);
  appendRaw(S, NumFeatures);
  appendRaw(S, NumClasses);
  appendRaw(S, NumNodeTypes);
  S += ManifestHash;
  for (int64_t C : Counts)
    appendRaw(S, C);
  for (const GraphBatch &G : Graphs) {
    for (uint32_t V : G.RowPtr)
      appendRaw(S, V);
    for (uint32_t V : G.Col)
      appendRaw(S, V);
    for (uint8_t V : G.EdgeKind)
      appendRaw(S, V);
    for (uint32_t V : G.NodeType)
      appendRaw(S, V);
  }
  for (float L : Labels)
    appendRaw(S, L);
  for (uint32_t G : Groups)
    appendRaw(S, G);
  return fnv1aHex(S);
}

Status Dataset::validate() const {
  if (Groups.size() != Labels.size())
    return Status::error("dataset: groups and labels differ in length");
  if (Kind == ModelKind::MLP) {
    if (!NumFeatures)
      return Status::error("dataset: MLP dataset without features");
    if (Counts.size() != Labels.size() * NumFeatures)
      return Status::error("dataset: count matrix does not match the sample "
                           "count");
  } else {
    if (Graphs.size() != Labels.size())
      return Status::error("dataset: graph count does not match the sample "
                           "count");
    for (size_t I = 0; I < Graphs.size(); ++I)
      if (Status S = Graphs[I].validate(NumNodeTypes))
        return Status::error("dataset: sample " + std::to_string(I) + ": " +
                             S.message());
  }
  if (Task == HeadKind::Classification) {
    if (NumClasses < 2)
      return Status::error("dataset: classification needs 2+ classes");
    for (size_t I = 0; I < Labels.size(); ++I)
      if (Labels[I] < 0 || Labels[I] >= float(NumClasses) ||
          Labels[I] != std::floor(Labels[I]))
        return Status::error("dataset: sample " + std::to_string(I) +
                             " has class " + std::to_string(Labels[I]) +
                             " outside [0, " + std::to_string(NumClasses) +
                             ")");
  }
  return Status::success();
}

StatusOr<Dataset> neuropt::model::readDataset(const std::string &Path) {
  StatusOr<std::string> Bytes = readFileBytes(Path);
  if (!Bytes)
    return Bytes.takeError();
  std::istringstream In(*Bytes);
  Dataset D;
  std::string Line;
  unsigned LineNo = 0;
  auto Fail = [&](const std::string &M) {
    return Status::error(Path + ":" + std::to_string(LineNo) + ": " + M);
  };
  bool SawMagic = false;
  size_t Expected = 0;
  bool SawSamples = false;
  while (std::getline(In, Line)) {
    ++LineNo;
    if (Line.empty() || Line[0] == '#')
      continue;
    std::istringstream LS(Line);
    if (!SawMagic) {
      std::string Magic;
      int Version = 0;
      LS >> Magic >> Version;
      if (Magic != "neuropt-dataset" || Version != 1)
        return Fail("not a neuropt dataset (expected 'neuropt-dataset 1')");
      SawMagic = true;
      continue;
    }
    if (!SawSamples) {
      std::string Key, Val;
      LS >> Key >> Val;
      if (Key == "kind") {
        if (!parseModelKind(Val, D.Kind))
          return Fail("unknown kind '" + Val + "'");
      } else if (Key == "task") {
        if (!parseHeadKind(Val, D.Task))
          return Fail("unknown task '" + Val + "'");
      } else if (Key == "features") {
        D.NumFeatures = unsigned(std::strtoul(Val.c_str(), nullptr, 10));
      } else if (Key == "classes") {
        D.NumClasses = unsigned(std::strtoul(Val.c_str(), nullptr, 10));
      } else if (Key == "node-types") {
        D.NumNodeTypes = unsigned(std::strtoul(Val.c_str(), nullptr, 10));
      } else if (Key == "manifest") {
        D.ManifestHash = Val;
      } else if (Key == "samples") {
        Expected = size_t(std::strtoull(Val.c_str(), nullptr, 10));
        SawSamples = true;
        if (D.Kind == ModelKind::MLP && !D.NumFeatures)
          return Fail("'features' must precede 'samples' for an MLP dataset");
      } else {
        return Fail("unknown header key '" + Key + "'");
      }
      continue;
    }
    float Label;
    uint32_t Group;
    if (!(LS >> Label >> Group))
      return Fail("expected '<label> <group>'");
    D.Labels.push_back(Label);
    D.Groups.push_back(Group);
    if (D.Kind == ModelKind::MLP) {
      for (unsigned J = 0; J < D.NumFeatures; ++J) {
        long long C;
        if (!(LS >> C))
          return Fail("expected " + std::to_string(D.NumFeatures) +
                      " feature counts");
        D.Counts.push_back(C);
      }
    } else {
      size_t N, E;
      if (!(LS >> N) || N > (1u << 24))
        return Fail("expected a node count");
      GraphBatch G;
      G.NodeType.resize(N);
      for (size_t I = 0; I < N; ++I)
        if (!(LS >> G.NodeType[I]))
          return Fail("expected " + std::to_string(N) + " node types");
      if (!(LS >> E) || E > (1u << 26))
        return Fail("expected an edge count");
      std::vector<std::array<uint32_t, 3>> Edges(E);
      for (size_t I = 0; I < E; ++I) {
        unsigned Kind;
        if (!(LS >> Edges[I][0] >> Edges[I][1] >> Kind))
          return Fail("expected " + std::to_string(E) + " edge triples");
        if (Edges[I][0] >= N || Edges[I][1] >= N || Kind > 255)
          return Fail("edge " + std::to_string(I) + " out of range");
        Edges[I][2] = Kind;
      }
      std::stable_sort(Edges.begin(), Edges.end(),
                       [](const std::array<uint32_t, 3> &A,
                          const std::array<uint32_t, 3> &B) {
                         return A[0] < B[0];
                       });
      G.RowPtr.assign(N + 1, 0);
      for (const auto &Ed : Edges) {
        ++G.RowPtr[Ed[0] + 1];
        G.Col.push_back(Ed[1]);
        G.EdgeKind.push_back(uint8_t(Ed[2]));
      }
      for (size_t I = 0; I < N; ++I)
        G.RowPtr[I + 1] += G.RowPtr[I];
      G.GraphPtr = {0, uint32_t(N)};
      D.Graphs.push_back(std::move(G));
    }
    std::string Extra;
    if (LS >> Extra)
      return Fail("trailing data '" + Extra + "'");
  }
  if (!SawMagic)
    return Status::error(Path + ": empty dataset file");
  if (!SawSamples)
    return Status::error(Path + ": missing 'samples' header line");
  if (D.size() != Expected)
    return Status::error(Path + ": header promises " +
                         std::to_string(Expected) + " samples but the file "
                         "has " + std::to_string(D.size()) +
                         " (truncated?)");
  if (Status S = D.validate())
    return Status::error(Path + ": " + S.message());
  return D;
}

Status neuropt::model::writeDataset(const std::string &Path,
                                    const Dataset &D) {
  if (Status S = D.validate())
    return S;
  std::string Out = "neuropt-dataset 1\n";
  Out += std::string("kind ") + modelKindName(D.Kind) + "\n";
  Out += std::string("task ") + headKindName(D.Task) + "\n";
  if (D.Kind == ModelKind::MLP)
    Out += "features " + std::to_string(D.NumFeatures) + "\n";
  else
    Out += "node-types " + std::to_string(D.NumNodeTypes) + "\n";
  Out += "classes " + std::to_string(D.NumClasses) + "\n";
  if (!D.ManifestHash.empty())
    Out += "manifest " + D.ManifestHash + "\n";
  Out += "samples " + std::to_string(D.size()) + "\n";
  char Buf[32];
  for (size_t I = 0; I < D.size(); ++I) {
    std::snprintf(Buf, sizeof(Buf), "%.9g", double(D.Labels[I]));
    Out += Buf;
    Out += ' ' + std::to_string(D.Groups[I]);
    if (D.Kind == ModelKind::MLP) {
      for (unsigned J = 0; J < D.NumFeatures; ++J)
        Out += ' ' + std::to_string(D.Counts[I * D.NumFeatures + J]);
    } else {
      const GraphBatch &G = D.Graphs[I];
      Out += ' ' + std::to_string(G.numNodes());
      for (uint32_t T : G.NodeType)
        Out += ' ' + std::to_string(T);
      Out += ' ' + std::to_string(G.Col.size());
      for (size_t N = 0; N < G.numNodes(); ++N)
        for (uint32_t E = G.RowPtr[N]; E < G.RowPtr[N + 1]; ++E)
          Out += ' ' + std::to_string(N) + ' ' + std::to_string(G.Col[E]) +
                 ' ' +
                 std::to_string(G.EdgeKind.empty() ? 0 : G.EdgeKind[E]);
    }
    Out += '\n';
  }
  return writeFileBytes(Path, Out);
}

//===----------------------------------------------------------------------===//
// Synthetic tasks
//===----------------------------------------------------------------------===//

/// A count spread over several orders of magnitude, like real IR statistics.
static int64_t randomCount(Rng &R) {
  return int64_t(std::floor(std::exp2(R.uniform() * 10.0))) - 1;
}

/// A random program-like graph: a chain (control flow) plus random extra
/// edges (data flow).
static GraphBatch randomGraph(Rng &R, unsigned NumTypes) {
  unsigned N = 4 + unsigned(R.below(17));
  std::vector<std::vector<uint32_t>> Adj(N);
  for (unsigned I = 0; I + 1 < N; ++I)
    Adj[I].push_back(I + 1);
  for (unsigned E = 0; E < N; ++E)
    Adj[R.below(N)].push_back(uint32_t(R.below(N)));
  GraphBatch G;
  for (unsigned I = 0; I < N; ++I) {
    G.NodeType.push_back(uint32_t(R.below(NumTypes)));
    for (uint32_t C : Adj[I]) {
      G.Col.push_back(C);
      G.EdgeKind.push_back(C == I + 1 ? 0 : 1);
    }
    G.RowPtr.push_back(uint32_t(G.Col.size()));
  }
  G.GraphPtr = {0, N};
  return G;
}

/// The hidden function of the synthetic regression/ranking tasks.
static float syntheticTarget(const Dataset &D, size_t I) {
  if (D.Kind == ModelKind::MLP) {
    const int64_t *C = &D.Counts[I * D.NumFeatures];
    float X0 = countCode(C[0]), X1 = countCode(C[1]), X2 = countCode(C[2]),
          X3 = countCode(C[3]);
    return 0.4f * X0 - 0.3f * X1 + 0.25f * std::max(X2 - X3, 0.0f);
  }
  const GraphBatch &G = D.Graphs[I];
  size_t N = G.numNodes(), Type0 = 0, Linked = 0;
  for (size_t V = 0; V < N; ++V) {
    Type0 += G.NodeType[V] == 0;
    if (G.NodeType[V] != 1)
      continue;
    for (uint32_t E = G.RowPtr[V]; E < G.RowPtr[V + 1]; ++E)
      if (G.NodeType[G.Col[E]] == 2) {
        ++Linked;
        break;
      }
  }
  return 4.0f * float(Type0) / float(N) - 3.0f * float(Linked) / float(N);
}

Dataset neuropt::model::makeSyntheticDataset(ModelKind Kind, HeadKind Task,
                                             size_t Samples, uint64_t Seed,
                                             unsigned NumFeatures,
                                             unsigned NumClasses) {
  Rng R(Seed);
  Dataset D;
  D.Kind = Kind;
  D.Task = Task;
  D.NumFeatures = Kind == ModelKind::MLP ? NumFeatures : 0;
  D.NumNodeTypes = Kind == ModelKind::GNN ? 8 : 0;
  D.NumClasses = Task == HeadKind::Classification ? NumClasses : 1;
  D.ManifestHash = Kind == ModelKind::MLP
                       ? "synthetic-" + std::to_string(NumFeatures)
                       : "synthetic-graph";
  // Classification: the class is the argmax of a fixed random linear map of
  // the inputs (codes for the MLP, type fractions for the GNN).
  unsigned In = Kind == ModelKind::MLP ? NumFeatures : D.NumNodeTypes;
  std::vector<float> ClassW(size_t(NumClasses) * In);
  for (float &W : ClassW)
    W = float(R.normal());
  const unsigned GroupSize = 8;
  for (size_t I = 0; I < Samples; ++I) {
    std::vector<float> X(In, 0.0f);
    if (Kind == ModelKind::MLP) {
      for (unsigned J = 0; J < NumFeatures; ++J) {
        D.Counts.push_back(randomCount(R));
        X[J] = countCode(D.Counts.back());
      }
    } else {
      D.Graphs.push_back(randomGraph(R, D.NumNodeTypes));
      for (uint32_t T : D.Graphs.back().NodeType)
        X[T] += 8.0f / float(D.Graphs.back().numNodes());
    }
    D.Groups.push_back(Task == HeadKind::Ranking ? uint32_t(I / GroupSize) : 0);
    D.Labels.push_back(0);
    if (Task == HeadKind::Classification) {
      unsigned Best = 0;
      float BestV = -1e30f;
      for (unsigned K = 0; K < NumClasses; ++K) {
        float V = 0;
        for (unsigned J = 0; J < In; ++J)
          V += ClassW[K * In + J] * X[J];
        if (V > BestV) {
          BestV = V;
          Best = K;
        }
      }
      D.Labels.back() = float(Best);
    } else {
      D.Labels.back() = syntheticTarget(D, I);
    }
  }
  return D;
}

//===----------------------------------------------------------------------===//
// Training and evaluation
//===----------------------------------------------------------------------===//

void neuropt::model::fitInputNormalization(FloatModel &M, const Dataset &D) {
  unsigned F = D.NumFeatures;
  if (M.config().Kind != ModelKind::MLP || !F || !D.size())
    return;
  std::vector<double> Sum(F, 0), Sq(F, 0);
  for (size_t I = 0; I < D.size(); ++I)
    for (unsigned J = 0; J < F; ++J) {
      double X = countCode(D.Counts[I * F + J]);
      Sum[J] += X;
      Sq[J] += X * X;
    }
  std::vector<float> Mean(F), Std(F);
  for (unsigned J = 0; J < F; ++J) {
    double Mu = Sum[J] / double(D.size());
    double Var = Sq[J] / double(D.size()) - Mu * Mu;
    Mean[J] = float(Mu);
    // A constant feature keeps unit scale rather than exploding.
    Std[J] = Var > 1e-4 ? float(std::sqrt(Var)) : 1.0f;
  }
  M.setInputNormalization(Mean, Std);
}

/// Loss and output gradient of one batch for the dataset's task.
static double batchLoss(const Dataset &D, const std::vector<size_t> &Idx,
                        const std::vector<float> &Out, unsigned K,
                        std::vector<float> &DOut) {
  std::vector<float> Labels;
  for (size_t I : Idx)
    Labels.push_back(D.Labels[I]);
  switch (D.Task) {
  case HeadKind::Regression:
    return mseLoss(Out, Labels, DOut);
  case HeadKind::Classification: {
    std::vector<uint32_t> Cls(Labels.begin(), Labels.end());
    return crossEntropyLoss(Out, K, Cls, DOut);
  }
  case HeadKind::Ranking: {
    std::vector<uint32_t> G;
    for (size_t I : Idx)
      G.push_back(D.Groups[I]);
    return pairwiseRankingLoss(Out, Labels, G, DOut);
  }
  }
  return 0;
}

StatusOr<std::vector<double>>
neuropt::model::trainModel(FloatModel &M, const Dataset &D,
                           const TrainOptions &Opts) {
  if (Status S = D.validate())
    return S;
  const ModelConfig &C = M.config();
  if (C.Kind != D.Kind || C.Head != D.Task)
    return Status::error("training: the dataset is for a " +
                         std::string(modelKindName(D.Kind)) + " " +
                         headKindName(D.Task) + " model but the model is a " +
                         modelKindName(C.Kind) + " " + headKindName(C.Head));
  if (C.Kind == ModelKind::MLP && C.NumFeatures != D.NumFeatures)
    return Status::error("training: the dataset has " +
                         std::to_string(D.NumFeatures) +
                         " features but the model expects " +
                         std::to_string(C.NumFeatures));
  if (C.Head == HeadKind::Classification && C.NumOutputs != D.NumClasses)
    return Status::error("training: class count mismatch");
  if (!D.size())
    return Status::error("training: empty dataset");

  // Units of shuffling: whole groups for ranking (pairs never straddle a
  // batch), single samples otherwise. std::map keeps group order stable.
  std::vector<std::vector<size_t>> Units;
  if (D.Task == HeadKind::Ranking) {
    std::map<uint32_t, size_t> Slot;
    for (size_t I = 0; I < D.size(); ++I) {
      auto It = Slot.emplace(D.Groups[I], Units.size());
      if (It.second)
        Units.emplace_back();
      Units[It.first->second].push_back(I);
    }
  } else {
    for (size_t I = 0; I < D.size(); ++I)
      Units.push_back({I});
  }

  Rng R(Opts.Seed);
  AdamW Opt(Opts.LearningRate, Opts.WeightDecay);
  std::vector<double> EpochLoss;
  std::vector<size_t> Order(Units.size()), Idx;
  std::vector<int64_t> ScratchCounts;
  GraphBatch ScratchGraphs;
  std::vector<float> DOut;
  for (unsigned E = 0; E < Opts.Epochs; ++E) {
    for (size_t I = 0; I < Order.size(); ++I)
      Order[I] = I;
    for (size_t I = Order.size(); I > 1; --I)
      std::swap(Order[I - 1], Order[R.below(I)]);
    double Sum = 0;
    size_t Steps = 0;
    for (size_t U = 0; U < Order.size();) {
      Idx.clear();
      while (U < Order.size() && Idx.size() < Opts.BatchSize) {
        const std::vector<size_t> &Unit = Units[Order[U++]];
        Idx.insert(Idx.end(), Unit.begin(), Unit.end());
      }
      ModelInput In = D.batch(Idx, ScratchCounts, ScratchGraphs);
      std::vector<float> Out = M.forward(In);
      Sum += batchLoss(D, Idx, Out, C.NumOutputs, DOut);
      ++Steps;
      M.zeroGrad();
      M.backward(DOut);
      Opt.step(M.params());
    }
    EpochLoss.push_back(Sum / double(Steps));
  }
  return EpochLoss;
}

Metrics neuropt::model::computeMetrics(const Dataset &D,
                                       const std::vector<float> &Outputs,
                                       unsigned K) {
  Metrics Res;
  std::vector<size_t> All(D.size());
  for (size_t I = 0; I < All.size(); ++I)
    All[I] = I;
  std::vector<float> DOut;
  Res.Loss = batchLoss(D, All, Outputs, K, DOut);
  switch (D.Task) {
  case HeadKind::Regression:
    Res.Metric = Res.Loss;
    Res.MetricName = "mse";
    break;
  case HeadKind::Classification: {
    size_t Correct = 0;
    for (size_t I = 0; I < D.size(); ++I) {
      unsigned Best = 0;
      for (unsigned C = 1; C < K; ++C)
        if (Outputs[I * K + C] > Outputs[I * K + Best])
          Best = C;
      Correct += Best == unsigned(D.Labels[I]);
    }
    Res.Metric = D.size() ? double(Correct) / double(D.size()) : 0;
    Res.MetricName = "accuracy";
    break;
  }
  case HeadKind::Ranking: {
    // Fraction of (better, worse) pairs the scores order correctly; equal
    // scores are ordered by index, as the runtime's decisions are.
    size_t Pairs = 0, Right = 0;
    std::map<uint32_t, std::vector<size_t>> ByGroup;
    for (size_t I = 0; I < D.size(); ++I)
      ByGroup[D.Groups[I]].push_back(I);
    for (const auto &G : ByGroup)
      for (size_t A : G.second)
        for (size_t B : G.second) {
          if (!(D.Labels[A] > D.Labels[B]))
            continue;
          ++Pairs;
          Right += Outputs[A] > Outputs[B] ||
                   (Outputs[A] == Outputs[B] && A < B);
        }
    Res.Metric = Pairs ? double(Right) / double(Pairs) : 0;
    Res.MetricName = "pair_accuracy";
    break;
  }
  }
  return Res;
}

Metrics neuropt::model::evaluateModel(FloatModel &M, const Dataset &D) {
  std::vector<float> All;
  std::vector<int64_t> ScratchCounts;
  GraphBatch ScratchGraphs;
  std::vector<size_t> Idx;
  for (size_t B = 0; B < D.size(); B += 1024) {
    Idx.clear();
    for (size_t I = B; I < std::min(D.size(), B + 1024); ++I)
      Idx.push_back(I);
    std::vector<float> Out = M.forward(D.batch(Idx, ScratchCounts, ScratchGraphs));
    All.insert(All.end(), Out.begin(), Out.end());
  }
  return computeMetrics(D, All, M.config().NumOutputs);
}
