//===- PassSearch.cpp - Search over pass pipelines for smaller code --------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the step vocabulary and the search: a fixed number of
// random sequences, then greedy refinement (delete, insert, replace or swap a
// step) from the flattened -Oz sequence and from the best sequence so far.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/PassSearch.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassInstrumentation.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace llvm;
using namespace neuropt;

std::string PassSequence::str() const { return join(Steps, ","); }

std::vector<std::string> neuropt::getOzSteps() {
  PassInstrumentationCallbacks PIC;
  PassBuilder PB(nullptr, PipelineTuningOptions(), std::nullopt, &PIC);
  ModulePassManager MPM = PB.buildPerModuleDefaultPipeline(OptimizationLevel::Oz);
  std::string Text;
  raw_string_ostream OS(Text);
  MPM.printPipeline(OS, [&PIC](StringRef ClassName) {
    StringRef Name = PIC.getPassNameForClassName(ClassName);
    return Name.empty() ? ClassName : Name;
  });
  OS.flush();

  std::vector<std::string> Steps;
  for (StringRef E : splitPipelineElements(Text)) {
    if (E == "verify" || E.empty())
      continue;
    // function(...) and function<opts>(...) groups become one step per pass.
    if (E.starts_with("function") && E.ends_with(")")) {
      size_t Open = E.find('(');
      StringRef Inner = E.slice(Open + 1, E.size() - 1);
      for (StringRef P : splitPipelineElements(Inner))
        if (!P.empty())
          Steps.push_back(("function(" + P + ")").str());
      continue;
    }
    Steps.push_back(E.str());
  }
  return Steps;
}

std::vector<std::string> neuropt::getExtraSteps() {
  return {"mergefunc",
          "iroutliner",
          "function(gvn-sink)",
          "function(gvn-hoist)",
          "partial-inliner",
          "function(loop-mssa(licm))",
          "function(newgvn)",
          "function(reg2mem)",
          "function(sink)",
          "function(instsimplify)",
          "function(simplifycfg<hoist-common-insts;sink-common-insts>)",
          "cgscc(inline)",
          "function(dce)",
          "function(aggressive-instcombine)",
          "function(instcombine<no-verify-fixpoint>)",
          "function(lower-switch)",
          "globalopt",
          "globaldce",
          "constmerge",
          "deadargelim"};
}

/// The distinct steps of \p OzSteps, then of the extras if asked.
static std::vector<std::string> uniqueSteps(ArrayRef<std::string> OzSteps,
                                            bool WithExtras) {
  std::vector<std::string> Vocab;
  StringSet<> Seen;
  for (const std::string &S : OzSteps)
    if (Seen.insert(S).second)
      Vocab.push_back(S);
  if (WithExtras)
    for (std::string &S : getExtraSteps())
      if (Seen.insert(S).second)
        Vocab.push_back(std::move(S));
  return Vocab;
}

void neuropt::requireAlwaysInline(PassSequence &S) {
  if (!is_contained(S.Steps, AlwaysInlineStep))
    S.Steps.insert(S.Steps.begin(), AlwaysInlineStep);
}

std::vector<std::string> neuropt::getStepVocabulary(bool WithExtras) {
  return uniqueSteps(getOzSteps(), WithExtras);
}

PassSequence neuropt::mutateSequence(const PassSequence &In,
                                    ArrayRef<std::string> Vocab,
                                    SplitMix64 &R) {
  PassSequence S = In;
  unsigned NumEdits = 1 + R.below(3);
  for (unsigned E = 0; E < NumEdits; ++E) {
    size_t N = S.Steps.size();
    switch (R.below(4)) {
    case 0: // delete
      if (N > 1)
        S.Steps.erase(S.Steps.begin() + R.below(N));
      break;
    case 1: // insert
      S.Steps.insert(S.Steps.begin() + R.below(N + 1),
                     Vocab[R.below(Vocab.size())]);
      break;
    case 2: // replace
      if (N)
        S.Steps[R.below(N)] = Vocab[R.below(Vocab.size())];
      break;
    default: // swap neighbours
      if (N > 1) {
        size_t I = R.below(N - 1);
        std::swap(S.Steps[I], S.Steps[I + 1]);
      }
    }
  }
  return S;
}

std::vector<std::string> neuropt::stepsOf(ArrayRef<std::string> Pipelines) {
  std::vector<std::string> Steps;
  StringSet<> Seen;
  for (const std::string &P : Pipelines)
    for (StringRef E : splitPipelineElements(P))
      if (!E.empty() && Seen.insert(E).second)
        Steps.push_back(E.str());
  return Steps;
}

namespace {
class Searcher {
public:
  Searcher(PipelineEvaluator &Eval, const Module &M, const SearchOptions &Opts)
      : Eval(Eval), M(M), Opts(Opts), R(Opts.Seed), Oz{getOzSteps()},
        Vocab(uniqueSteps(Oz.Steps, Opts.WithExtras)) {}

  Expected<SearchResult> run() {
    // The baseline runs isolated too: a module LLVM itself cannot compile
    // must fail this search, not the labelling run around it.
    Expected<SizeMeasurement> Base =
        Eval.evaluateIsolated(M, "default<Oz>", Opts.CandidateTimeoutMs);
    if (!Base)
      return Base.takeError();
    Result.Baseline = *Base;
    Result.Best = *Base;
    Result.BestPipeline = "default<Oz>";
    BestLen = ~0u; // The baseline loses every tie against a real sequence.
    note();

    try_(Oz);
    for (unsigned I = 0; I < Opts.RandomSamples && budgetLeft(); ++I)
      try_(randomSequence());
    // Greedy refinement: mutate the incumbent (or flattened -Oz while the
    // baseline is still best).
    while (budgetLeft()) {
      const PassSequence &Start = Incumbent.Steps.empty() ? Oz : Incumbent;
      try_(mutate(Start));
    }
    return std::move(Result);
  }

private:
  bool budgetLeft() const { return Result.Evaluations < Opts.Budget; }
  void note() {
    ++Result.Evaluations;
    Result.BestSoFar.push_back(Result.Best.Object.objective());
  }

  void try_(PassSequence S) {
    if (!budgetLeft() || S.Steps.empty())
      return;
    requireAlwaysInline(S);
    std::string P = S.str();
    Expected<SizeMeasurement> Size =
        Eval.evaluateIsolated(M, P, Opts.CandidateTimeoutMs);
    if (!Size) {
      consumeError(Size.takeError());
      ++Result.Failures;
      note();
      return;
    }
    uint64_t Obj = Size->Object.objective();
    uint64_t BestObj = Result.Best.Object.objective();
    if (Obj < BestObj || (Obj == BestObj && S.Steps.size() < BestLen)) {
      Result.Best = *Size;
      Result.BestPipeline = P;
      BestLen = S.Steps.size();
      Incumbent = S;
    }
    note();
  }

  PassSequence randomSequence() {
    size_t Len = Opts.MinLength + R.below(Opts.MaxLength - Opts.MinLength + 1);
    PassSequence S;
    for (size_t I = 0; I < Len; ++I)
      S.Steps.push_back(Vocab[R.below(Vocab.size())]);
    return S;
  }

  PassSequence mutate(const PassSequence &In) {
    return mutateSequence(In, Vocab, R);
  }

  PipelineEvaluator &Eval;
  const Module &M;
  SearchOptions Opts;
  SplitMix64 R;
  /// -Oz flattened into steps: a candidate, and the start of refinement.
  PassSequence Oz;
  std::vector<std::string> Vocab;
  SearchResult Result;
  PassSequence Incumbent;
  size_t BestLen = 0;
};
} // namespace

Expected<SearchResult> neuropt::searchPassSequences(PipelineEvaluator &Eval,
                                                    const Module &M,
                                                    const SearchOptions &Opts) {
  if (Opts.Budget == 0)
    return createStringError(inconvertibleErrorCode(),
                             "search budget must be at least 1 evaluation");
  if (Opts.MinLength == 0 || Opts.MinLength > Opts.MaxLength)
    return createStringError(inconvertibleErrorCode(),
                             "invalid sequence lengths %u..%u", Opts.MinLength,
                             Opts.MaxLength);
  return Searcher(Eval, M, Opts).run();
}
