//===- LogRunner.cpp - Logging and replay runners -------------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the logging wrapper (one JSON line per evaluate():
// the input, its content hash and the scores) and the replay runner that
// answers from such a log, layered over the runner interface the way souper
// layers caching and logging over its solvers.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Json.h"
#include "neuropt/Model/Runner.h"
#include "neuropt/Model/SafeTensors.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <map>

using namespace neuropt;
using namespace neuropt::model;

template <typename T>
static void appendBytes(std::string &S, const T *P, size_t N) {
  S.append(reinterpret_cast<const char *>(P), N * sizeof(T));
  S += '|';
}

std::string neuropt::model::hashModelInput(const ModelInput &In,
                                           unsigned NumFeatures) {
  std::string S = std::to_string(In.BatchSize) + "|";
  if (In.Graphs) {
    const GraphBatch &G = *In.Graphs;
    appendBytes(S, G.RowPtr.data(), G.RowPtr.size());
    appendBytes(S, G.Col.data(), G.Col.size());
    appendBytes(S, G.EdgeKind.data(), G.EdgeKind.size());
    appendBytes(S, G.NodeType.data(), G.NodeType.size());
    appendBytes(S, G.GraphPtr.data(), G.GraphPtr.size());
  } else if (In.Counts) {
    S += std::to_string(NumFeatures) + "|";
    appendBytes(S, In.Counts, In.BatchSize * NumFeatures);
  }
  return fnv1aHex(S);
}

template <typename T> static JsonValue toArray(const T *P, size_t N) {
  JsonValue A = JsonValue::array();
  for (size_t I = 0; I < N; ++I)
    A.push(int64_t(P[I]));
  return A;
}

template <typename T> static JsonValue toArray(const std::vector<T> &V) {
  return toArray(V.data(), V.size());
}

namespace {
class LoggingRunner final : public ModelRunner {
public:
  LoggingRunner(std::unique_ptr<ModelRunner> Inner, std::string Path)
      : Inner(std::move(Inner)), Path(std::move(Path)) {}
  const char *backendName() const override { return Inner->backendName(); }
  bool isUsable() const override { return Inner->isUsable(); }
  std::string reason() const override { return Inner->reason(); }
  const ModelConfig *config() const override { return Inner->config(); }

  StatusOr<Scores> evaluate(const ModelInput &In) override {
    StatusOr<Scores> S = Inner->evaluate(In);
    if (!S)
      return S;
    unsigned Width = config() ? config()->NumFeatures : 0;
    JsonValue L = JsonValue::object();
    L.set("backend", Inner->backendName());
    L.set("input_hash", hashModelInput(In, Width));
    L.set("batch", uint64_t(In.BatchSize));
    if (In.Graphs) {
      const GraphBatch &G = *In.Graphs;
      JsonValue GJ = JsonValue::object();
      GJ.set("nodes", toArray(G.NodeType));
      GJ.set("row_ptr", toArray(G.RowPtr));
      GJ.set("col", toArray(G.Col));
      GJ.set("edge_kinds", toArray(G.EdgeKind));
      GJ.set("graph_ptr", toArray(G.GraphPtr));
      L.set("graphs", GJ);
    } else if (In.Counts) {
      L.set("features", Width);
      L.set("counts", toArray(In.Counts, In.BatchSize * Width));
    }
    L.set("outputs", S->NumOutputs);
    L.set("scale", double(S->Scale));
    L.set("scores", toArray(S->Raw));
    std::string Line = L.write() + "\n";
    std::FILE *F = std::fopen(Path.c_str(), "ab");
    if (!F)
      return Status::error(Path + ": cannot open the model log: " +
                           std::strerror(errno));
    bool Ok = std::fwrite(Line.data(), 1, Line.size(), F) == Line.size();
    Ok &= std::fclose(F) == 0;
    if (!Ok)
      return Status::error(Path + ": cannot append to the model log");
    return S;
  }

private:
  std::unique_ptr<ModelRunner> Inner;
  std::string Path;
};

/// Scores recorded in a log, keyed by input hash.
class ReplayRunner final : public ModelRunner {
public:
  const char *backendName() const override { return "replay"; }
  StatusOr<Scores> evaluate(const ModelInput &In) override {
    // The width is unknown here; MLP entries are keyed with the width the
    // log recorded, so try each width the log holds.
    for (unsigned W : Widths) {
      auto It = Recorded.find(hashModelInput(In, W));
      if (It != Recorded.end() && It->second.Batch == In.BatchSize)
        return It->second;
    }
    return Status::error(Path + ": no recorded scores for this input");
  }

  std::string Path;
  std::map<std::string, Scores> Recorded;
  std::vector<unsigned> Widths;
};
} // namespace

std::unique_ptr<ModelRunner>
neuropt::model::createLoggingRunner(std::unique_ptr<ModelRunner> Inner,
                                    std::string LogPath) {
  return std::make_unique<LoggingRunner>(std::move(Inner), std::move(LogPath));
}

StatusOr<std::unique_ptr<ModelRunner>>
neuropt::model::createReplayRunner(const std::string &LogPath) {
  StatusOr<std::string> Text = readFileBytes(LogPath);
  if (!Text)
    return Text.takeError();
  auto R = std::make_unique<ReplayRunner>();
  R->Path = LogPath;
  R->Widths.push_back(0);
  size_t LineNo = 0;
  for (size_t P = 0; P < Text->size();) {
    size_t E = Text->find('\n', P);
    if (E == std::string::npos)
      E = Text->size();
    std::string Line = Text->substr(P, E - P);
    P = E + 1;
    ++LineNo;
    if (Line.empty())
      continue;
    std::string Where = LogPath + ":" + std::to_string(LineNo);
    StatusOr<JsonValue> J = parseJson(Line, Where);
    if (!J)
      return J.takeError();
    StatusOr<std::string> Hash = getJsonString(*J, "input_hash", Where);
    StatusOr<int64_t> Batch = getJsonInt(*J, "batch", Where);
    StatusOr<int64_t> Outputs = getJsonInt(*J, "outputs", Where);
    StatusOr<double> Scale = getJsonNumber(*J, "scale", Where);
    const JsonValue *Raw = J->get("scores");
    if (!Hash || !Batch || !Outputs || !Scale || !Raw || !Raw->isArray() ||
        *Batch < 0 || *Outputs < 0 ||
        Raw->getArray().size() != size_t(*Batch) * size_t(*Outputs))
      return Status::error(Where + ": not a model log record");
    Scores S;
    S.Batch = size_t(*Batch);
    S.NumOutputs = unsigned(*Outputs);
    S.Scale = float(*Scale);
    for (const JsonValue &V : Raw->getArray()) {
      if (!V.isNumber())
        return Status::error(Where + ": non-numeric score");
      S.Raw.push_back(int32_t(V.getNumber()));
    }
    if (const JsonValue *W = J->get("features"); W && W->isNumber()) {
      unsigned Width = unsigned(W->getNumber());
      if (std::find(R->Widths.begin(), R->Widths.end(), Width) ==
          R->Widths.end())
        R->Widths.push_back(Width);
    }
    R->Recorded[*Hash] = std::move(S);
  }
  return std::unique_ptr<ModelRunner>(std::move(R));
}
