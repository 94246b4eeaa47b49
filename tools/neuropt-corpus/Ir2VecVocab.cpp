//===- Ir2VecVocab.cpp - neuropt-corpus ir2vec-vocab: train a seed vocab --===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements `neuropt-corpus ir2vec-vocab`. No IR2Vec vocabulary
// ships with Debian's LLVM, so neuropt trains its own the way IR2Vec's seed
// embeddings were made: `llvm-ir2vec triplets` turns every training-split
// module into (head, tail, relation) triplets over LLVM's 110 IR2Vec
// entities; duplicates are removed; a TransE model (||h + r - t||, margin
// ranking loss, one corrupted triplet per positive) is trained with SGD from a
// fixed seed, single-threaded, so the result is bit-for-bit reproducible on a
// given build. The vocabulary is written in LLVM's JSON format, checked by
// loading it back through lib/IR, and a provenance file records the corpus,
// the parameters and a validation score on the validation split.
//
//===----------------------------------------------------------------------===//

#include "CorpusCommands.h"
#include "CorpusDB.h"
#include "Subprocess.h"

#include "neuropt/IR/IR2Vec.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/IR2Vec.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace llvm;

#ifndef NEUROPT_LLVM_TOOLS_DIR
#define NEUROPT_LLVM_TOOLS_DIR "/usr/lib/llvm-22/bin"
#endif

namespace neuropt {
namespace corpus {

namespace {

using Triplet = std::array<uint32_t, 3>; // head, tail, relation

/// TransE hyper-parameters (Bordes et al. 2013; the values OpenKE uses for
/// IR2Vec's seed vocabulary are of the same order).
struct TransEParams {
  unsigned Dim = 75;
  unsigned Epochs = 100;
  double Margin = 1.0;
  double LearningRate = 0.01;
  uint64_t Seed = 1;
};

/// A tiny deterministic RNG front end: std::mt19937_64 is fully specified by
/// the standard, unlike the std:: distributions, so draw integers and reals
/// from it directly.
class Rng {
public:
  explicit Rng(uint64_t Seed) : G(Seed) {}
  uint64_t below(uint64_t N) { return G() % N; }
  double uniform(double Lo, double Hi) {
    return Lo + (Hi - Lo) * (static_cast<double>(G() >> 11) * 0x1.0p-53);
  }

private:
  std::mt19937_64 G;
};

class TransE {
public:
  TransE(unsigned NumEntities, unsigned NumRelations, const TransEParams &P)
      : P(P), Ent(NumEntities, std::vector<double>(P.Dim)),
        Rel(NumRelations, std::vector<double>(P.Dim)), R(P.Seed) {
    double B = 6.0 / std::sqrt(static_cast<double>(P.Dim));
    for (auto &V : Rel) {
      for (double &X : V)
        X = R.uniform(-B, B);
      normalize(V);
    }
    for (auto &V : Ent) {
      for (double &X : V)
        X = R.uniform(-B, B);
      normalize(V);
    }
  }

  double distance(const Triplet &T) const {
    const auto &H = Ent[T[0]], &Tl = Ent[T[1]], &Rl = Rel[T[2]];
    double S = 0;
    for (unsigned I = 0; I < P.Dim; ++I) {
      double D = H[I] + Rl[I] - Tl[I];
      S += D * D;
    }
    return std::sqrt(S);
  }

  /// One epoch of SGD; returns the mean hinge loss.
  double epoch(std::vector<Triplet> &Train, const std::set<Triplet> &Known) {
    // Fisher-Yates with our own RNG, for a portable order.
    for (size_t I = Train.size(); I > 1; --I)
      std::swap(Train[I - 1], Train[R.below(I)]);
    double Loss = 0;
    for (const Triplet &Pos : Train) {
      Triplet Neg = Pos;
      for (unsigned Try = 0; Try < 16; ++Try) {
        Neg = Pos;
        Neg[R.below(2)] = static_cast<uint32_t>(R.below(Ent.size()));
        if (!Known.count(Neg))
          break;
      }
      double DP = distance(Pos), DN = distance(Neg);
      double L = P.Margin + DP - DN;
      if (L <= 0)
        continue;
      Loss += L;
      step(Pos, DP, +1.0);
      step(Neg, DN, -1.0);
      normalize(Ent[Pos[0]]);
      normalize(Ent[Pos[1]]);
      normalize(Ent[Neg[0]]);
      normalize(Ent[Neg[1]]);
    }
    return Train.empty() ? 0 : Loss / Train.size();
  }

  /// Rank of the true tail among all entities (1 = best), raw setting.
  unsigned tailRank(const Triplet &T) const {
    double D = distance(T);
    unsigned Rank = 1;
    for (uint32_t E = 0; E < Ent.size(); ++E) {
      if (E == T[1])
        continue;
      if (distance({T[0], E, T[2]}) < D)
        ++Rank;
    }
    return Rank;
  }

  const std::vector<double> &entity(unsigned I) const { return Ent[I]; }

private:
  /// Moves a triplet's distance down (Sign +1) or up (Sign -1).
  void step(const Triplet &T, double Dist, double Sign) {
    if (Dist == 0)
      return;
    auto &H = Ent[T[0]], &Tl = Ent[T[1]], &Rl = Rel[T[2]];
    for (unsigned I = 0; I < P.Dim; ++I) {
      double G = Sign * P.LearningRate * (H[I] + Rl[I] - Tl[I]) / Dist;
      H[I] -= G;
      Rl[I] -= G;
      Tl[I] += G;
    }
  }

  static void normalize(std::vector<double> &V) {
    double S = 0;
    for (double X : V)
      S += X * X;
    S = std::sqrt(S);
    if (S > 0)
      for (double &X : V)
        X /= S;
  }

  TransEParams P;
  std::vector<std::vector<double>> Ent, Rel;
  Rng R;
};

} // namespace

/// Runs `llvm-ir2vec triplets` on one module and adds what it prints.
static Error collectTriplets(StringRef Tool, StringRef Module, StringRef Tmp,
                             std::set<Triplet> &Out, uint64_t &Total,
                             unsigned &MaxRelation, unsigned NumEntities) {
  RunResult R = runProgram({Tool.str(), "triplets", Module.str(), "-o",
                            Tmp.str()},
                           "", 120);
  if (!R.succeeded())
    return createStringError(inconvertibleErrorCode(),
                             "llvm-ir2vec triplets failed on '%s': %s",
                             Module.str().c_str(), R.Message.c_str());
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Tmp);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '%s'",
                             Tmp.str().c_str());
  SmallVector<StringRef, 0> Lines;
  (*Buf)->getBuffer().split(Lines, '\n', -1, false);
  for (StringRef L : Lines) {
    if (L.consume_front("MAX_RELATION=")) {
      unsigned M = 0;
      if (!L.trim().getAsInteger(10, M))
        MaxRelation = std::max(MaxRelation, M);
      continue;
    }
    SmallVector<StringRef, 3> F;
    L.split(F, '\t', -1, false);
    if (F.size() != 3)
      L.split(F, ' ', -1, false);
    Triplet T;
    if (F.size() != 3 || F[0].trim().getAsInteger(10, T[0]) ||
        F[1].trim().getAsInteger(10, T[1]) ||
        F[2].trim().getAsInteger(10, T[2]) || T[0] >= NumEntities ||
        T[1] >= NumEntities)
      return createStringError(inconvertibleErrorCode(),
                               "unexpected llvm-ir2vec triplet line '%s' for "
                               "'%s'",
                               L.str().c_str(), Module.str().c_str());
    MaxRelation = std::max(MaxRelation, T[2]);
    Out.insert(T);
    ++Total;
  }
  return Error::success();
}

static std::string sha256Hex(StringRef Data) {
  auto H = SHA256::hash(ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(Data.data()), Data.size()));
  return toHex(H, /*LowerCase=*/true);
}

int runIr2VecVocab(StringRef CorpusDir, StringRef OutFile, unsigned Dim,
                   uint64_t Seed, unsigned Epochs, unsigned MaxTriplets) {
  auto Fail = [](const Twine &Msg) {
    WithColor::error(errs(), "neuropt-corpus") << Msg << "\n";
    return 1;
  };
  if (Dim == 0 || Dim > 4096)
    return Fail("--dim must be between 1 and 4096");
  if (!sys::fs::is_directory(CorpusDir))
    return Fail("corpus directory '" + CorpusDir + "' does not exist");
  SmallString<256> DBPath(CorpusDir);
  sys::path::append(DBPath, "corpus.db");
  Expected<std::unique_ptr<CorpusDB>> DB = CorpusDB::open(DBPath, false);
  if (!DB)
    return Fail(toString(DB.takeError()));
  Expected<std::optional<std::string>> SplitSeed = (*DB)->getMeta("split_seed");
  if (!SplitSeed)
    return Fail(toString(SplitSeed.takeError()));
  if (!*SplitSeed)
    return Fail("corpus '" + CorpusDir +
                "' has no train/validation split yet (run 'neuropt-corpus "
                "split --seed N' first)");
  auto Pkgs = (*DB)->listPackages();
  if (!Pkgs)
    return Fail(toString(Pkgs.takeError()));
  std::map<std::string, std::string> SplitOf;
  std::vector<std::string> TrainPkgs, ValPkgs;
  for (const PackageRecord &P : *Pkgs) {
    SplitOf[P.Name] = P.Split;
    if (P.Split == "train")
      TrainPkgs.push_back(P.Name);
    else if (P.Split == "val")
      ValPkgs.push_back(P.Name);
  }
  auto Mods = (*DB)->listModules();
  if (!Mods)
    return Fail(toString(Mods.takeError()));

  using V = ir2vec::Vocabulary;
  const unsigned NumEntities = V::MaxOpcodes + V::MaxCanonicalTypeIDs +
                               V::MaxOperandKinds + V::MaxPredicateKinds;
  std::string Tool = NEUROPT_LLVM_TOOLS_DIR "/llvm-ir2vec";
  if (!sys::fs::can_execute(Tool))
    return Fail("'" + Tool + "' not found (it ships with llvm-22)");

  SmallString<256> Tmp;
  if (std::error_code EC =
          sys::fs::createTemporaryFile("neuropt-triplets", "txt", Tmp))
    return Fail("cannot create a temporary file: " + EC.message());
  std::set<Triplet> Train, Val;
  uint64_t TrainTotal = 0, ValTotal = 0;
  unsigned MaxRelation = 0, TrainModules = 0;
  std::string ModuleList; // hashes of the training modules, for provenance
  for (const ModuleRecord &M : *Mods) {
    StringRef S = SplitOf[M.Package];
    if (S != "train" && S != "val")
      continue;
    SmallString<256> P(CorpusDir);
    sys::path::append(P, M.Path);
    Error E = collectTriplets(Tool, P, Tmp, S == "train" ? Train : Val,
                              S == "train" ? TrainTotal : ValTotal,
                              MaxRelation, NumEntities);
    if (E) {
      sys::fs::remove(Tmp);
      return Fail(toString(std::move(E)));
    }
    if (S == "train") {
      ++TrainModules;
      ModuleList += M.Hash + "\n";
    }
  }
  sys::fs::remove(Tmp);
  if (Train.empty())
    return Fail("the training split of '" + CorpusDir +
                "' yields no triplets");

  std::vector<Triplet> TrainV(Train.begin(), Train.end());
  if (MaxTriplets && TrainV.size() > MaxTriplets) {
    std::vector<Triplet> Kept;
    for (size_t I = 0; I < MaxTriplets; ++I)
      Kept.push_back(TrainV[I * TrainV.size() / MaxTriplets]);
    TrainV = std::move(Kept);
  }
  std::vector<Triplet> ValOnly;
  for (const Triplet &T : Val)
    if (!Train.count(T))
      ValOnly.push_back(T);

  TransEParams Params;
  Params.Dim = Dim;
  Params.Epochs = Epochs;
  Params.Seed = Seed;
  TransE Model(NumEntities, MaxRelation + 1, Params);
  errs() << "neuropt-corpus: training TransE on " << TrainV.size()
         << " unique triplets (" << TrainTotal << " before deduplication) from "
         << TrainModules << " modules of " << TrainPkgs.size()
         << " training packages; dim " << Dim << ", " << Epochs
         << " epochs\n";
  double Loss = 0;
  for (unsigned E = 0; E < Epochs; ++E) {
    Loss = Model.epoch(TrainV, Train);
    if ((E + 1) % std::max(1u, Epochs / 10) == 0 || E + 1 == Epochs)
      errs() << formatv("  epoch {0,4}: mean hinge loss {1:f4}\n", E + 1, Loss);
  }

  // Link prediction on held-back triplets: how well the vocabulary
  // generalizes to packages it never saw.
  auto Evaluate = [&](ArrayRef<Triplet> Ts) {
    double RankSum = 0;
    unsigned Hits = 0;
    for (const Triplet &T : Ts) {
      unsigned R = Model.tailRank(T);
      RankSum += R;
      Hits += R <= 10;
    }
    return std::make_pair(Ts.empty() ? 0.0 : RankSum / Ts.size(),
                          Ts.empty() ? 0.0 : double(Hits) / Ts.size());
  };
  auto [TrainMR, TrainHits] = Evaluate(TrainV);
  auto [ValMR, ValHits] = Evaluate(ValOnly);

  // The vocabulary, in LLVM's section layout, rounded to 1e-6 so the file is
  // compact and diffs stay readable.
  json::Object Vocab;
  const unsigned Sizes[] = {V::MaxOpcodes, V::MaxCanonicalTypeIDs,
                            V::MaxOperandKinds, V::MaxPredicateKinds};
  const char *const Sections[] = {"Opcodes", "Types", "Arguments",
                                  "Predicates"};
  unsigned Pos = 0;
  for (unsigned S = 0; S < 4; ++S) {
    json::Object Sec;
    for (unsigned I = 0; I < Sizes[S]; ++I, ++Pos) {
      json::Array Vec;
      for (double X : Model.entity(Pos))
        Vec.push_back(std::round(X * 1e6) / 1e6);
      // getStringKey may return a view of a reused buffer: copy it.
      Sec[V::getStringKey(Pos).str()] = std::move(Vec);
    }
    Vocab[Sections[S]] = std::move(Sec);
  }
  std::string Text;
  {
    raw_string_ostream OS(Text);
    OS << formatv("{0:2}", json::Value(std::move(Vocab))) << "\n";
  }
  if (StringRef Parent = sys::path::parent_path(OutFile); !Parent.empty())
    if (std::error_code EC = sys::fs::create_directories(Parent))
      return Fail("cannot create '" + Parent + "': " + EC.message());
  {
    std::error_code EC;
    raw_fd_ostream OS(OutFile, EC, sys::fs::OF_Text);
    if (EC)
      return Fail("cannot write '" + OutFile + "': " + EC.message());
    OS << Text;
  }
  // The file must load through the same path the passes use.
  Expected<std::unique_ptr<ir2vec::Vocabulary>> Loaded =
      loadIR2VecVocabulary(OutFile);
  if (!Loaded)
    return Fail("the vocabulary just written does not load: " +
                toString(Loaded.takeError()));

  SmallString<256> ProvPath(OutFile);
  sys::path::replace_extension(ProvPath, "provenance.json");
  json::Array TP, VP;
  for (const std::string &P : TrainPkgs)
    TP.push_back(P);
  for (const std::string &P : ValPkgs)
    VP.push_back(P);
  Expected<std::optional<std::string>> Level = (*DB)->getMeta("level");
  Expected<std::optional<std::string>> Clang = (*DB)->getMeta("clang");
  auto MetaOr = [](Expected<std::optional<std::string>> &M) -> std::string {
    if (!M) {
      consumeError(M.takeError());
      return "";
    }
    return *M ? **M : "";
  };
  json::Object Prov{
      {"format", "neuropt-ir2vec-vocab-provenance/1"},
      {"vocabulary", sys::path::filename(OutFile)},
      {"vocabulary_sha256", sha256Hex(Text)},
      {"command",
       formatv("neuropt-corpus ir2vec-vocab --corpus {0} --dim {1} --seed {2} "
               "--epochs {3} --max-triplets {4} --out {5}",
               CorpusDir, Dim, Seed, Epochs, MaxTriplets, OutFile)
           .str()},
      {"method",
       "TransE (L2 distance, margin ranking loss, one corrupted head or tail "
       "per positive, SGD, unit-norm entities) over the unique triplets "
       "printed by `llvm-ir2vec triplets` for every module of the corpus "
       "training split"},
      {"llvm_version", LLVM_VERSION_STRING},
      {"entities", NumEntities},
      {"relations", MaxRelation + 1},
      {"dim", Dim},
      {"epochs", Epochs},
      {"seed", static_cast<int64_t>(Seed)},
      {"margin", Params.Margin},
      {"learning_rate", Params.LearningRate},
      {"final_mean_hinge_loss", std::round(Loss * 1e6) / 1e6},
      {"corpus",
       json::Object{{"level", MetaOr(Level)},
                    {"clang", MetaOr(Clang)},
                    {"split_seed", **SplitSeed},
                    {"train_packages", std::move(TP)},
                    {"val_packages", std::move(VP)},
                    {"train_modules", TrainModules},
                    {"train_modules_sha256", sha256Hex(ModuleList)}}},
      {"triplets",
       json::Object{{"train_total", static_cast<int64_t>(TrainTotal)},
                    {"train_unique", static_cast<int64_t>(Train.size())},
                    {"train_used", static_cast<int64_t>(TrainV.size())},
                    {"val_total", static_cast<int64_t>(ValTotal)},
                    {"val_unique_unseen",
                     static_cast<int64_t>(ValOnly.size())}}},
      {"tail_prediction",
       json::Object{
           {"train_mean_rank", std::round(TrainMR * 1000) / 1000},
           {"train_hits_at_10", std::round(TrainHits * 1e4) / 1e4},
           {"val_unseen_mean_rank", std::round(ValMR * 1000) / 1000},
           {"val_unseen_hits_at_10", std::round(ValHits * 1e4) / 1e4},
           {"entities_ranked", NumEntities}}},
      {"license", "Derived from Debian source packages compiled by "
                  "neuropt-corpus; see the corpus manifest for each "
                  "package's version"}};
  std::error_code EC;
  raw_fd_ostream PO(ProvPath, EC, sys::fs::OF_Text);
  if (EC)
    return Fail("cannot write '" + ProvPath + "': " + EC.message());
  PO << formatv("{0:2}", json::Value(std::move(Prov))) << "\n";
  errs() << formatv("neuropt-corpus: wrote {0} ({1} entities x {2}) and {3}; "
                    "tail hits@10 train {4:f3}, unseen val {5:f3} ({6} "
                    "triplets)\n",
                    OutFile, NumEntities, Dim, ProvPath, TrainHits, ValHits,
                    ValOnly.size());
  return 0;
}

} // namespace corpus
} // namespace neuropt
