//===- neuropt-train.cpp - Train, quantize, export and score models -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the neuropt-train tool:
//   neuropt-train train --data FILE --out-dir DIR --name NAME [options]
//   neuropt-train synthetic --kind mlp|gnn --task T --samples N --out FILE
//   neuropt-train import --features DUMP --labels FILE --out FILE [options]
//   neuropt-train score --model-dir DIR --name NAME --data FILE
//                       [--device auto|cpu|cuda] [--out FILE]
// The dataset format and the model files are described in models/README.md.
// Everything is seeded and sequential, so a command reproduces its output
// byte for byte.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"
#include "neuropt/Model/ModelCard.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Model/SafeTensors.h"
#include "neuropt/Model/Train.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace neuropt::model;

namespace {
/// --key value options.
class Options {
public:
  Options(int Argc, char **Argv, int First) {
    for (int I = First; I < Argc; ++I) {
      std::string A = Argv[I];
      if (A.rfind("--", 0) != 0 || I + 1 >= Argc) {
        Bad = "unexpected argument '" + A + "' (options are --key value)";
        return;
      }
      Values[A.substr(2)] = Argv[++I];
    }
  }
  std::string get(const std::string &K, const std::string &Default = "") {
    Used.push_back(K);
    auto It = Values.find(K);
    return It == Values.end() ? Default : It->second;
  }
  bool has(const std::string &K) const { return Values.count(K); }
  void set(const std::string &K, const std::string &V) { Values[K] = V; }
  /// Reports unknown or malformed options.
  Status check() const {
    if (!Bad.empty())
      return Status::error(Bad);
    for (const auto &KV : Values) {
      bool Known = false;
      for (const std::string &U : Used)
        Known |= U == KV.first;
      if (!Known)
        return Status::error("unknown option --" + KV.first);
    }
    return Status::success();
  }

private:
  std::map<std::string, std::string> Values;
  std::vector<std::string> Used;
  std::string Bad;
};

StatusOr<unsigned long long> parseUInt(const std::string &S,
                                       const std::string &What) {
  char *End = nullptr;
  unsigned long long V = std::strtoull(S.c_str(), &End, 10);
  if (S.empty() || *End || S[0] == '-')
    return Status::error("--" + What + ": '" + S + "' is not a number");
  return V;
}

StatusOr<double> parseReal(const std::string &S, const std::string &What) {
  char *End = nullptr;
  double V = std::strtod(S.c_str(), &End);
  if (S.empty() || *End)
    return Status::error("--" + What + ": '" + S + "' is not a number");
  return V;
}

int fail(const Status &S) {
  std::fprintf(stderr, "neuropt-train: error: %s\n", S.message().c_str());
  return 1;
}

#define TRY_ASSIGN(Var, Expr)                                                  \
  auto Var##OrErr = (Expr);                                                    \
  if (!Var##OrErr)                                                             \
    return fail(Var##OrErr.status());                                          \
  auto Var = *Var##OrErr;

std::vector<size_t> iota(size_t N) {
  std::vector<size_t> V(N);
  for (size_t I = 0; I < N; ++I)
    V[I] = I;
  return V;
}

JsonValue metricsJson(const Metrics &M) {
  JsonValue O = JsonValue::object();
  O.set("loss", M.Loss);
  O.set(M.MetricName, M.Metric);
  return O;
}

/// The manifest a dataset's rows follow.
FeatureManifestId manifestOf(const Dataset &D) {
  FeatureManifestId M;
  M.Hash = D.ManifestHash;
  M.NumFeatures = D.Kind == ModelKind::MLP ? D.NumFeatures : D.NumNodeTypes;
  return M;
}

int runSynthetic(Options &O) {
  ModelKind Kind;
  HeadKind Task;
  std::string KindS = O.get("kind", "mlp"), TaskS = O.get("task", "regression");
  if (!parseModelKind(KindS, Kind))
    return fail(Status::error("--kind must be mlp or gnn"));
  if (!parseHeadKind(TaskS, Task))
    return fail(Status::error(
        "--task must be regression, classification or ranking"));
  TRY_ASSIGN(Samples, parseUInt(O.get("samples", "1000"), "samples"));
  TRY_ASSIGN(Seed, parseUInt(O.get("seed", "1"), "seed"));
  TRY_ASSIGN(Features, parseUInt(O.get("features", "16"), "features"));
  TRY_ASSIGN(Classes, parseUInt(O.get("classes", "4"), "classes"));
  std::string Out = O.get("out");
  if (Status S = O.check())
    return fail(S);
  if (Out.empty())
    return fail(Status::error("synthetic: --out FILE is required"));
  if (Features < 4 || Features > 4096 || Classes < 2 || Classes > 256)
    return fail(Status::error("--features must be in [4, 4096] and --classes "
                              "in [2, 256]"));
  Dataset D = makeSyntheticDataset(Kind, Task, Samples, Seed,
                                   unsigned(Features), unsigned(Classes));
  if (Status S = writeDataset(Out, D))
    return fail(S);
  std::printf("wrote %zu %s %s samples to %s (hash %s)\n", D.size(), KindS.c_str(),
              TaskS.c_str(), Out.c_str(), D.contentHash().c_str());
  return 0;
}

int runTrain(Options &O, const std::string &Command) {
  std::string DataPath = O.get("data"), Dir = O.get("out-dir", "."),
              Name = O.get("name");
  std::string HiddenS = O.get("hidden", "64,64");
  TRY_ASSIGN(Embed, parseUInt(O.get("embed", "32"), "embed"));
  TRY_ASSIGN(Rounds, parseUInt(O.get("rounds", "2"), "rounds"));
  std::string EdgeKindsS = O.get("edge-kinds", "auto");
  TRY_ASSIGN(Epochs, parseUInt(O.get("epochs", "30"), "epochs"));
  TRY_ASSIGN(Batch, parseUInt(O.get("batch", "64"), "batch"));
  TRY_ASSIGN(Seed, parseUInt(O.get("seed", "1"), "seed"));
  TRY_ASSIGN(LR, parseReal(O.get("lr", "0.003"), "lr"));
  TRY_ASSIGN(WD, parseReal(O.get("weight-decay", "0.0001"), "weight-decay"));
  TRY_ASSIGN(Holdout, parseReal(O.get("holdout", "0.2"), "holdout"));
  std::string Corpus = O.get("corpus", DataPath);
  if (Status S = O.check())
    return fail(S);
  if (DataPath.empty() || Name.empty())
    return fail(Status::error("train: --data FILE and --name NAME are required"));
  if (!(Holdout >= 0 && Holdout < 1) || Batch == 0)
    return fail(Status::error("--holdout must be in [0, 1) and --batch > 0"));
  TRY_ASSIGN(D, readDataset(DataPath));

  ModelConfig C;
  C.Kind = D.Kind;
  C.Head = D.Task;
  C.NumFeatures = D.NumFeatures;
  C.NumNodeTypes = D.NumNodeTypes;
  C.NumOutputs = D.Task == HeadKind::Classification ? D.NumClasses : 1;
  C.EmbedDim = unsigned(Embed);
  C.Rounds = unsigned(Rounds);
  if (EdgeKindsS == "auto") {
    // One aggregate per edge kind present in the data.
    unsigned MaxKind = 0;
    for (const GraphBatch &G : D.Graphs)
      for (uint8_t K : G.EdgeKind)
        MaxKind = std::max<unsigned>(MaxKind, K);
    C.NumEdgeKinds = D.Kind == ModelKind::GNN ? MaxKind + 1 : 1;
  } else {
    TRY_ASSIGN(EK, parseUInt(EdgeKindsS, "edge-kinds"));
    C.NumEdgeKinds = unsigned(EK);
  }
  C.Hidden.clear();
  for (size_t P = 0; P < HiddenS.size();) {
    size_t Q = HiddenS.find(',', P);
    if (Q == std::string::npos)
      Q = HiddenS.size();
    TRY_ASSIGN(W, parseUInt(HiddenS.substr(P, Q - P), "hidden"));
    C.Hidden.push_back(unsigned(W));
    P = Q + 1;
  }

  // Deterministic split: the last Holdout fraction of groups (ranking) or
  // samples is held out, after a seeded shuffle of the group order.
  // Samples of one group (one decision: a ranking group, or the coreset rows
  // of one module for neuropt-size) stay on one side of the split.
  bool Grouped = D.Task == HeadKind::Ranking ||
                 std::any_of(D.Groups.begin(), D.Groups.end(),
                             [](uint32_t G) { return G != 0; });
  std::map<uint32_t, std::vector<size_t>> Groups;
  for (size_t I = 0; I < D.size(); ++I)
    Groups[Grouped ? D.Groups[I] : uint32_t(I)].push_back(I);
  std::vector<const std::vector<size_t> *> Order;
  for (const auto &G : Groups)
    Order.push_back(&G.second);
  Rng R(Seed ^ 0x5eed);
  for (size_t I = Order.size(); I > 1; --I)
    std::swap(Order[I - 1], Order[R.below(I)]);
  size_t NTest = size_t(double(Order.size()) * Holdout);
  std::vector<size_t> TrainIdx, TestIdx;
  for (size_t I = 0; I < Order.size(); ++I)
    for (size_t S : *Order[I])
      (I < Order.size() - NTest ? TrainIdx : TestIdx).push_back(S);
  Dataset Train = D.subset(TrainIdx), Test = D.subset(TestIdx);
  if (!Train.size())
    return fail(Status::error("train: no training samples after the holdout"));

  TRY_ASSIGN(M, FloatModel::create(C, Seed));
  fitInputNormalization(M, Train);
  TrainOptions TO;
  TO.Epochs = unsigned(Epochs);
  TO.BatchSize = unsigned(Batch);
  TO.LearningRate = float(LR);
  TO.WeightDecay = float(WD);
  TO.Seed = Seed;
  TRY_ASSIGN(Losses, trainModel(M, Train, TO));

  // Calibrate on (up to) 4096 training samples, evenly spaced.
  std::vector<size_t> Cal;
  size_t Step = Train.size() > 4096 ? Train.size() / 4096 : 1;
  for (size_t I = 0; I < Train.size() && Cal.size() < 4096; I += Step)
    Cal.push_back(I);
  std::vector<int64_t> SC;
  GraphBatch SG;
  TRY_ASSIGN(Q, quantizeModel(M, Train.batch(Cal, SC, SG)));

  const Dataset &Eval = Test.size() ? Test : Train;
  Metrics FM = evaluateModel(M, Eval);
  std::vector<int32_t> Raw = runQuantizedCPU(Q, Eval.batch(iota(Eval.size()), SC, SG));
  std::vector<float> Deq;
  for (int32_t V : Raw)
    Deq.push_back(float(V) * Q.ScoreScale);
  Metrics QM = computeMetrics(Eval, Deq, C.NumOutputs);

  ModelCard Card;
  Card.Name = Name;
  Card.Manifest = manifestOf(D);
  Card.CorpusName = Corpus;
  Card.CorpusHash = D.contentHash();
  Card.TrainCommand = Command;
  Card.Seed = Seed;
  JsonValue Met = JsonValue::object();
  Met.set("evaluated_on", Test.size() ? "holdout" : "training set");
  Met.set("samples", uint64_t(Eval.size()));
  Met.set("float32", metricsJson(FM));
  Met.set("int8", metricsJson(QM));
  // Positive = the integer model is worse (MSE up, or accuracy down).
  double Cost = D.Task == HeadKind::Regression ? QM.Metric - FM.Metric
                                               : FM.Metric - QM.Metric;
  Met.set("quantization_cost", Cost);
  JsonValue L = JsonValue::array();
  for (double X : Losses)
    L.push(X);
  Met.set("train_loss_per_epoch", L);
  Card.Metrics = Met;
  if (Status S = saveModel(Dir, Card, M, Q))
    return fail(S);
  std::printf("trained %s %s model '%s' on %zu samples (%zu held out)\n",
              modelKindName(C.Kind), headKindName(C.Head), Name.c_str(),
              Train.size(), Test.size());
  std::printf("  final train loss %.6g\n", Losses.empty() ? 0.0 : Losses.back());
  std::printf("  %s: float32 %.6g, int8 %.6g (quantization cost %.6g)\n",
              FM.MetricName, FM.Metric, QM.Metric, Cost);
  std::printf("  wrote %s and %s\n", weightsPath(Dir, Name).c_str(),
              cardPath(Dir, Name).c_str());
  return 0;
}

/// neuropt-train size: trains the neuropt-size model (an MLP regression of
/// each coreset sequence's reduction against -Oz, or a GNN classifier of the
/// module graph over the coreset's sequences) from the dataset that
/// `neuropt-eval dataset` built, and ships the coreset beside it.
int runSize(Options &O, const std::string &Command) {
  std::string CoresetPath = O.get("coreset");
  std::string Dir = O.get("out-dir", "."), Name = O.get("name", "size");
  if (CoresetPath.empty() || !O.has("data"))
    return fail(Status::error("size: --data FILE and --coreset FILE are "
                              "required"));
  TRY_ASSIGN(CoresetText, readFileBytes(CoresetPath));
  unsigned Sequences = 0;
  for (size_t P = 0; P < CoresetText.size();) {
    size_t Q = CoresetText.find('\n', P);
    if (Q == std::string::npos)
      Q = CoresetText.size();
    std::string Line = CoresetText.substr(P, Q - P);
    size_t First = Line.find_first_not_of(" \t\r");
    if (First != std::string::npos && Line[First] != '#')
      ++Sequences;
    P = Q + 1;
  }
  TRY_ASSIGN(D, readDataset(O.get("data")));
  // An MLP reads one row per (module, sequence); a GNN one graph per module
  // with a class per sequence (`neuropt-eval dataset --graph`).
  bool RowsMatch = D.Kind == ModelKind::MLP &&
                   (D.Task == HeadKind::Regression ||
                    D.Task == HeadKind::Ranking) &&
                   D.NumFeatures > Sequences && D.size() % Sequences == 0;
  bool GraphsMatch = D.Kind == ModelKind::GNN &&
                     D.Task == HeadKind::Classification &&
                     D.NumClasses == Sequences;
  if (!Sequences || !(RowsMatch || GraphsMatch))
    return fail(Status::error(
        "size: the dataset does not match the coreset (" +
        std::to_string(Sequences) + " sequences; dataset: " +
        std::to_string(D.size()) + " samples of " +
        std::to_string(D.NumFeatures) + " features); rebuild it with "
        "`neuropt-eval dataset --pipelines " + CoresetPath + "`"));
  Options &Train = O;
  Train.set("name", Name);
  Train.set("out-dir", Dir);
  if (int RC = runTrain(Train, Command))
    return RC;
  std::string Out = Dir + "/" + Name + ".coreset.txt";
  if (Status S = writeFileBytes(Out, CoresetText))
    return fail(S);
  std::printf("  wrote %s (%u sequences)\n", Out.c_str(), Sequences);
  return 0;
}

int runScore(Options &O) {
  std::string Dir = O.get("model-dir", "."), Name = O.get("name"),
              DataPath = O.get("data"), Out = O.get("out"),
              DevS = O.get("device", "auto");
  TRY_ASSIGN(Repeat, parseUInt(O.get("repeat", "0"), "repeat"));
  std::string LogPath = O.get("log");
  if (Status S = O.check())
    return fail(S);
  if (Name.empty() || DataPath.empty())
    return fail(Status::error("score: --name NAME and --data FILE are required"));
  TRY_ASSIGN(Dev, parseDevice(DevS));
  TRY_ASSIGN(D, readDataset(DataPath));
  RunnerLoad RL = loadRunner(Dir, Name, manifestOf(D), Dev);
  for (const std::string &W : RL.Warnings)
    std::fprintf(stderr, "neuropt-train: warning: %s\n", W.c_str());
  if (!RL.Runner->isUsable())
    return fail(Status::error("no usable model: " + RL.Runner->reason()));
  if (!LogPath.empty())
    RL.Runner = createLoggingRunner(std::move(RL.Runner), LogPath);
  std::vector<int64_t> SC;
  GraphBatch SG;
  ModelInput In = D.batch(iota(D.size()), SC, SG);
  TRY_ASSIGN(Sc, RL.Runner->evaluate(In));
  if (Repeat) {
    // Wall-clock throughput of whole evaluate() calls (transfers included),
    // for machines without Google Benchmark.
    auto Start = std::chrono::steady_clock::now();
    for (unsigned long long I = 0; I < Repeat; ++I)
      if (StatusOr<Scores> Again = RL.Runner->evaluate(In); !Again)
        return fail(Again.status());
    double Sec = std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - Start)
                     .count();
    std::fprintf(stderr,
                 "timing: %s, batch %zu, %llu calls: %.3f us per call, %.0f "
                 "samples/s\n",
                 RL.Runner->backendName(), D.size(), Repeat,
                 Sec / double(Repeat) * 1e6,
                 double(D.size()) * double(Repeat) / Sec);
  }
  std::string Text;
  for (size_t B = 0; B < Sc.Batch; ++B) {
    for (unsigned K = 0; K < Sc.NumOutputs; ++K)
      Text += (K ? " " : "") + std::to_string(Sc.raw(B, K));
    Text += '\n';
  }
  if (Out.empty()) {
    std::fputs(Text.c_str(), stdout);
  } else if (Status S = writeFileBytes(Out, Text)) {
    return fail(S);
  }
  std::fprintf(stderr, "scored %zu samples on %s (scores hash %s)\n", Sc.Batch,
               RL.Runner->backendName(), fnv1aHex(Text).c_str());
  return 0;
}

/// Reads a JSON array of non-negative integers below \p Limit.
Status readUIntArray(const JsonValue *V, uint64_t Limit, const std::string &What,
                     std::vector<uint64_t> &Out) {
  if (!V || !V->isArray())
    return Status::error("missing array '" + What + "'");
  Out.clear();
  for (const JsonValue &E : V->getArray()) {
    if (!E.isNumber() || E.getNumber() < 0 || E.getNumber() >= double(Limit) ||
        E.getNumber() != double(uint64_t(E.getNumber())))
      return Status::error("bad value in '" + What + "'");
    Out.push_back(uint64_t(E.getNumber()));
  }
  return Status::success();
}

/// Builds a dataset from a `neuropt-corpus features` dump (JSON lines: a
/// header naming the feature manifest, then one record per function with
/// its statistics vector and CSR program graph) and a labels file with one
/// `file<TAB>function<TAB>label[<TAB>group]` line per labelled function.
int runImport(Options &O) {
  std::string FeatPath = O.get("features"), LabelPath = O.get("labels"),
              Out = O.get("out"), KindS = O.get("kind", "mlp"),
              TaskS = O.get("task", "regression");
  TRY_ASSIGN(Classes, parseUInt(O.get("classes", "2"), "classes"));
  if (Status S = O.check())
    return fail(S);
  if (FeatPath.empty() || LabelPath.empty() || Out.empty())
    return fail(Status::error(
        "import: --features DUMP, --labels FILE and --out FILE are required"));
  Dataset D;
  if (!parseModelKind(KindS, D.Kind) || !parseHeadKind(TaskS, D.Task))
    return fail(Status::error("import: bad --kind or --task"));
  D.NumClasses = D.Task == HeadKind::Classification ? unsigned(Classes) : 1;

  TRY_ASSIGN(LabelText, readFileBytes(LabelPath));
  std::map<std::pair<std::string, std::string>, std::pair<float, uint32_t>>
      Labels;
  size_t LineNo = 0;
  for (size_t P = 0; P < LabelText.size();) {
    size_t E = LabelText.find('\n', P);
    if (E == std::string::npos)
      E = LabelText.size();
    std::string Line = LabelText.substr(P, E - P);
    P = E + 1;
    ++LineNo;
    if (Line.empty() || Line[0] == '#')
      continue;
    std::vector<std::string> F;
    for (size_t Q = 0;;) {
      size_t T = Line.find('\t', Q);
      F.push_back(Line.substr(Q, T == std::string::npos ? T : T - Q));
      if (T == std::string::npos)
        break;
      Q = T + 1;
    }
    char *End = nullptr;
    float L = F.size() >= 3 ? std::strtof(F[2].c_str(), &End) : 0;
    if (F.size() < 3 || F.size() > 4 || !End || *End)
      return fail(Status::error(LabelPath + ":" + std::to_string(LineNo) +
                                ": expected file<TAB>function<TAB>label"
                                "[<TAB>group]"));
    uint32_t G = F.size() == 4 ? uint32_t(std::strtoul(F[3].c_str(), nullptr, 10)) : 0;
    Labels[{F[0], F[1]}] = {L, G};
  }

  TRY_ASSIGN(Dump, readFileBytes(FeatPath));
  bool SawHeader = false;
  size_t Skipped = 0;
  LineNo = 0;
  for (size_t P = 0; P < Dump.size();) {
    size_t E = Dump.find('\n', P);
    if (E == std::string::npos)
      E = Dump.size();
    std::string Line = Dump.substr(P, E - P);
    P = E + 1;
    ++LineNo;
    if (Line.empty())
      continue;
    std::string Where = FeatPath + ":" + std::to_string(LineNo);
    TRY_ASSIGN(J, parseJson(Line, Where));
    const JsonValue *Type = J.get("type");
    if (!Type || !Type->isString())
      return fail(Status::error(Where + ": record without a type"));
    if (Type->getString() == "header") {
      TRY_ASSIGN(Hash, getJsonString(J, "feature_manifest_hash", Where));
      const JsonValue *Names = J.get("feature_names");
      const JsonValue *Nodes = J.get("node_types");
      if (!Names || !Names->isArray() || !Nodes || !Nodes->isArray())
        return fail(Status::error(Where + ": header without feature_names "
                                          "and node_types"));
      D.ManifestHash = Hash;
      if (D.Kind == ModelKind::MLP)
        D.NumFeatures = unsigned(Names->getArray().size());
      else
        D.NumNodeTypes = unsigned(Nodes->getArray().size());
      SawHeader = true;
      continue;
    }
    if (!SawHeader)
      return fail(Status::error(Where + ": function record before the header"));
    TRY_ASSIGN(File, getJsonString(J, "file", Where));
    TRY_ASSIGN(Fn, getJsonString(J, "function", Where));
    auto It = Labels.find({File, Fn});
    if (It == Labels.end()) {
      ++Skipped;
      continue;
    }
    if (D.Kind == ModelKind::MLP) {
      const JsonValue *F = J.get("features");
      if (!F || !F->isArray() || F->getArray().size() != D.NumFeatures)
        return fail(Status::error(Where + ": expected " +
                                  std::to_string(D.NumFeatures) + " features"));
      for (const JsonValue &X : F->getArray()) {
        if (!X.isNumber())
          return fail(Status::error(Where + ": non-numeric feature"));
        D.Counts.push_back(int64_t(X.getNumber()));
      }
    } else {
      const JsonValue *G = J.get("graph");
      if (!G || !G->isObject())
        return fail(Status::error(Where + ": record without a graph"));
      std::vector<uint64_t> Nodes, Row, Col, Kinds;
      if (Status S = readUIntArray(G->get("nodes"), D.NumNodeTypes, "nodes", Nodes))
        return fail(Status::error(Where + ": " + S.message()));
      if (Status S = readUIntArray(G->get("row_ptr"), uint64_t(1) << 32, "row_ptr", Row))
        return fail(Status::error(Where + ": " + S.message()));
      if (Status S = readUIntArray(G->get("col"), Nodes.size(), "col", Col))
        return fail(Status::error(Where + ": " + S.message()));
      if (Status S = readUIntArray(G->get("edge_kinds"), 256, "edge_kinds", Kinds))
        return fail(Status::error(Where + ": " + S.message()));
      GraphBatch GB;
      GB.NodeType.assign(Nodes.begin(), Nodes.end());
      GB.RowPtr.assign(Row.begin(), Row.end());
      GB.Col.assign(Col.begin(), Col.end());
      GB.EdgeKind.assign(Kinds.begin(), Kinds.end());
      GB.GraphPtr = {0, uint32_t(Nodes.size())};
      if (Status S = GB.validate(D.NumNodeTypes))
        return fail(Status::error(Where + ": " + S.message()));
      D.Graphs.push_back(std::move(GB));
    }
    D.Labels.push_back(It->second.first);
    D.Groups.push_back(It->second.second);
  }
  if (!SawHeader)
    return fail(Status::error(FeatPath + ": no header line (not a "
                                         "neuropt-corpus features dump?)"));
  if (Status S = writeDataset(Out, D))
    return fail(S);
  std::printf("imported %zu labelled functions (%zu without a label skipped) "
              "into %s\n",
              D.size(), Skipped, Out.c_str());
  return 0;
}

void usage() {
  std::fputs(
      "usage:\n"
      "  neuropt-train train --data FILE --name NAME [--out-dir DIR]\n"
      "      [--hidden 64,64] [--embed 32] [--rounds 2] [--edge-kinds auto|K]\n"
      "      [--epochs 30]\n"
      "      [--batch 64] [--lr 0.003] [--weight-decay 0.0001] [--seed 1]\n"
      "      [--holdout 0.2] [--corpus NAME] [--gemm blas|native]\n"
      "  neuropt-train synthetic --out FILE [--kind mlp|gnn]\n"
      "      [--task regression|classification|ranking] [--samples 1000]\n"
      "      [--features 16] [--classes 4] [--seed 1]\n"
      "  neuropt-train import --features DUMP.jsonl --labels FILE --out FILE\n"
      "      [--kind mlp|gnn] [--task regression|classification|ranking]\n"
      "      [--classes K]\n"
      "  neuropt-train size --data FILE --coreset FILE [--out-dir DIR]\n"
      "      [--name size] [the train options]\n"
      "  neuropt-train score --name NAME --data FILE [--model-dir DIR]\n"
      "      [--device auto|cpu|cuda] [--out FILE] [--repeat N] [--log FILE]\n",
      stderr);
}
} // namespace

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    usage();
    return 1;
  }
  std::string Cmd = Argv[1];
  Options O(Argc, Argv, 2);
  // Training's big float products go to OpenBLAS by default. OpenBLAS picks
  // its kernels by CPU, so its sums may round differently on another
  // machine. The hand-written kernel is the same code on every x86-64 CPU,
  // so "--gemm native" leaves only libm's CPU-specific variants (exp, log,
  // pow) between the weights and the machine (models/size/retrain.sh).
  std::string GemmS = O.get("gemm", "blas");
  if (GemmS != "blas" && GemmS != "native")
    return fail(Status::error("--gemm must be blas or native, not '" + GemmS +
                              "'"));
  neuropt::model::cpu::preferBlas(GemmS == "blas");
  if (Cmd == "synthetic")
    return runSynthetic(O);
  if (Cmd == "score")
    return runScore(O);
  if (Cmd == "import")
    return runImport(O);
  if (Cmd == "train" || Cmd == "size") {
    std::string Command = "neuropt-train";
    for (int I = 1; I < Argc; ++I)
      Command += std::string(" ") + Argv[I];
    return Cmd == "size" ? runSize(O, Command) : runTrain(O, Command);
  }
  usage();
  return Cmd == "--help" || Cmd == "-h" ? 0 : 1;
}
