//===- ModelCard.cpp - Model cards and model bundles on disk --------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the model card JSON, and saving and loading a model
// (card + safetensors) with every consistency check: card schema, feature
// manifest, weights hash, tensor presence, dtypes and shapes.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/ModelCard.h"
#include "neuropt/Model/QuantMath.h"
#include "neuropt/Model/SafeTensors.h"

using namespace neuropt;
using namespace neuropt::model;

static constexpr const char *CardFormat = "neuropt-model-card";
static constexpr int CardVersion = 1;

std::string neuropt::model::weightsPath(const std::string &Dir,
                                        const std::string &Name) {
  return (Dir.empty() ? std::string(".") : Dir) + "/" + Name + ".safetensors";
}

std::string neuropt::model::cardPath(const std::string &Dir,
                                     const std::string &Name) {
  return (Dir.empty() ? std::string(".") : Dir) + "/" + Name + ".card.json";
}

JsonValue ModelCard::toJson() const {
  JsonValue O = JsonValue::object();
  O.set("format", CardFormat);
  O.set("version", CardVersion);
  O.set("name", Name);
  O.set("architecture", Config.toJson());
  JsonValue M = JsonValue::object();
  M.set("hash", Manifest.Hash);
  M.set("num_features", Manifest.NumFeatures);
  O.set("feature_manifest", M);
  O.set("quantization", Quantization);
  JsonValue T = JsonValue::object();
  T.set("corpus", CorpusName);
  T.set("corpus_hash", CorpusHash);
  T.set("command", TrainCommand);
  T.set("seed", std::to_string(Seed));
  O.set("training", T);
  O.set("metrics", Metrics);
  JsonValue W = JsonValue::object();
  W.set("file", Name + ".safetensors");
  W.set("fnv1a", WeightsHash);
  O.set("weights", W);
  return O;
}

StatusOr<ModelCard> ModelCard::fromJson(const JsonValue &V,
                                        const std::string &Where) {
  if (!V.isObject())
    return Status::error(Where + ": model card is not a JSON object");
  StatusOr<std::string> Format = getJsonString(V, "format", Where);
  if (!Format)
    return Format.takeError();
  if (*Format != CardFormat)
    return Status::error(Where + ": not a neuropt model card (format '" +
                         *Format + "')");
  StatusOr<int64_t> Version = getJsonInt(V, "version", Where);
  if (!Version)
    return Version.takeError();
  if (*Version != CardVersion)
    return Status::error(Where + ": model card version " +
                         std::to_string(*Version) + " is not supported (this "
                         "runtime reads version " +
                         std::to_string(CardVersion) + ")");
  ModelCard C;
  StatusOr<std::string> Name = getJsonString(V, "name", Where);
  if (!Name)
    return Name.takeError();
  C.Name = *Name;
  const JsonValue *Arch = V.get("architecture");
  if (!Arch)
    return Status::error(Where + ": missing member 'architecture'");
  StatusOr<ModelConfig> Config = ModelConfig::fromJson(*Arch, Where);
  if (!Config)
    return Config.takeError();
  C.Config = *Config;
  const JsonValue *M = V.get("feature_manifest");
  if (!M || !M->isObject())
    return Status::error(Where + ": missing object member 'feature_manifest'");
  StatusOr<std::string> Hash = getJsonString(*M, "hash", Where);
  if (!Hash)
    return Hash.takeError();
  StatusOr<int64_t> NF = getJsonInt(*M, "num_features", Where);
  if (!NF)
    return NF.takeError();
  C.Manifest.Hash = *Hash;
  C.Manifest.NumFeatures = unsigned(*NF);
  if (const JsonValue *Q = V.get("quantization"))
    C.Quantization = *Q;
  if (const JsonValue *T = V.get("training")) {
    if (const JsonValue *S = T->get("corpus"); S && S->isString())
      C.CorpusName = S->getString();
    if (const JsonValue *S = T->get("corpus_hash"); S && S->isString())
      C.CorpusHash = S->getString();
    if (const JsonValue *S = T->get("command"); S && S->isString())
      C.TrainCommand = S->getString();
    if (const JsonValue *S = T->get("seed"); S && S->isString())
      C.Seed = std::strtoull(S->getString().c_str(), nullptr, 10);
  }
  if (const JsonValue *Me = V.get("metrics"))
    C.Metrics = *Me;
  const JsonValue *W = V.get("weights");
  if (!W || !W->isObject())
    return Status::error(Where + ": missing object member 'weights'");
  StatusOr<std::string> WH = getJsonString(*W, "fnv1a", Where);
  if (!WH)
    return WH.takeError();
  C.WeightsHash = *WH;
  return C;
}

/// The card's description of the integer model.
static JsonValue describeQuantization(const QuantModel &Q) {
  JsonValue O = JsonValue::object();
  O.set("scheme", "int8 symmetric weights (per output channel) and "
                  "activations (per tensor, max-abs calibration), int32 "
                  "accumulation, fixed-point requantization "
                  "round(acc*mult/2^shift) with halves towards +inf");
  O.set("count_code_scale", double(QuantCountScale));
  O.set("pad", QuantPad);
  O.set("score_scale", double(Q.ScoreScale));
  JsonValue S = JsonValue::array();
  for (float A : Q.ActivationScales)
    S.push(double(A));
  O.set("activation_scales", S);
  JsonValue L = JsonValue::array();
  auto Add = [&](const std::string &Name, const QLinear &Q) {
    JsonValue E = JsonValue::object();
    E.set("name", Name);
    E.set("in", Q.In);
    E.set("out", Q.Out);
    E.set("in_pad", Q.InPad);
    E.set("out_pad", Q.OutPad);
    E.set("relu", Q.Relu);
    E.set("requantized", Q.Requant);
    L.push(E);
  };
  for (size_t I = 0; I < Q.Sage.size(); ++I)
    Add("q.sage." + std::to_string(I), Q.Sage[I]);
  for (size_t I = 0; I < Q.Head.size(); ++I)
    Add("q.head." + std::to_string(I), Q.Head[I]);
  O.set("layers", L);
  return O;
}

Status neuropt::model::saveModel(const std::string &Dir, const ModelCard &Card,
                                 const FloatModel &Float,
                                 const QuantModel &Quant) {
  if (Status S = Quant.validate())
    return S;
  NamedTensors T;
  for (const Param &P : Float.params())
    T.emplace_back("f." + P.Name, P.Value);
  for (auto &Q : Quant.toTensors())
    T.push_back(std::move(Q));
  std::string Bytes =
      serializeSafeTensors(T, {{"format", "neuropt"}, {"model", Card.Name}});
  ModelCard C = Card;
  C.Config = Float.config();
  C.Quantization = describeQuantization(Quant);
  C.WeightsHash = fnv1aHex(Bytes);
  if (Status S = writeFileBytes(weightsPath(Dir, Card.Name), Bytes))
    return S;
  return writeFileBytes(cardPath(Dir, Card.Name), C.toJson().write(2) + "\n");
}

StatusOr<ModelCard> neuropt::model::readModelCard(const std::string &Dir,
                                                  const std::string &Name) {
  std::string CPath = cardPath(Dir, Name);
  StatusOr<std::string> CardText = readFileBytes(CPath);
  if (!CardText)
    return CardText.takeError();
  StatusOr<JsonValue> CardJson = parseJson(*CardText, CPath);
  if (!CardJson)
    return CardJson.takeError();
  return ModelCard::fromJson(*CardJson, CPath);
}

StatusOr<ModelBundle>
neuropt::model::loadModel(const std::string &Dir, const std::string &Name,
                          const FeatureManifestId *Expected) {
  std::string CPath = cardPath(Dir, Name), WPath = weightsPath(Dir, Name);
  StatusOr<ModelCard> Card = readModelCard(Dir, Name);
  if (!Card)
    return Card.takeError();
  if (Expected && (Card->Manifest.Hash != Expected->Hash ||
                   Card->Manifest.NumFeatures != Expected->NumFeatures))
    return Status::error(
        CPath + ": feature manifest mismatch: the model was trained for "
                "manifest " +
        Card->Manifest.Hash + " (" + std::to_string(Card->Manifest.NumFeatures) +
        " features) but this compiler provides manifest " + Expected->Hash +
        " (" + std::to_string(Expected->NumFeatures) +
        " features); retrain it with neuropt-train");
  if (Card->Config.Kind == ModelKind::MLP && Expected &&
      Card->Config.NumFeatures != Expected->NumFeatures)
    return Status::error(CPath + ": the architecture reads " +
                         std::to_string(Card->Config.NumFeatures) +
                         " features but the manifest has " +
                         std::to_string(Expected->NumFeatures));
  StatusOr<std::string> Bytes = readFileBytes(WPath);
  if (!Bytes)
    return Bytes.takeError();
  // Structure first (its errors say what is wrong), then the hash (which
  // catches damage inside the tensor data).
  StatusOr<SafeTensorsFile> File = parseSafeTensors(*Bytes, WPath);
  if (!File)
    return File.takeError();
  std::string Hash = fnv1aHex(*Bytes);
  if (Hash != Card->WeightsHash)
    return Status::error(WPath + ": weights do not match the model card (file "
                                 "hash " +
                         Hash + ", card expects " + Card->WeightsHash +
                         "); the file is corrupt or from another model");
  StatusOr<FloatModel> FM = FloatModel::create(Card->Config, 0);
  if (!FM)
    return Status::error(CPath + ": " + FM.status().message());
  for (Param &P : FM->params()) {
    const Tensor *T = File->find("f." + P.Name);
    if (!T)
      return Status::error(WPath + ": missing tensor 'f." + P.Name + "'");
    if (T->dtype() != DType::F32 || T->shape() != P.Value.shape())
      return Status::error(WPath + ": tensor 'f." + P.Name + "' is " +
                           dtypeName(T->dtype()) + " " + T->shapeString() +
                           ", the architecture needs F32 " +
                           P.Value.shapeString());
    P.Value = *T;
  }
  StatusOr<QuantModel> QM =
      QuantModel::fromTensors(Card->Config, File->Tensors, WPath);
  if (!QM)
    return QM.takeError();
  ModelBundle B;
  B.Card = std::move(*Card);
  B.Float = std::make_shared<FloatModel>(std::move(*FM));
  B.Quant = std::make_shared<const QuantModel>(std::move(*QM));
  return B;
}
