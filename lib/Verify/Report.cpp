//===- Report.cpp - Verdicts as text and JSON, signature checks -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the solver-independent parts of the Verifier API:
// verdict names, the text and JSON reports, and the signature check.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"
#include "neuropt/IR/SameFunction.h"
#include "neuropt/Verify/Verifier.h"

#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;

namespace neuropt {

Verifier::~Verifier() = default;

std::vector<VerifyResult> Verifier::verifyAll(
    const std::vector<std::pair<const llvm::Function *, const llvm::Function *>>
        &Pairs,
    const VerifyOptions &Opts, unsigned DeadlineMs) {
  auto Start = std::chrono::steady_clock::now();
  std::vector<VerifyResult> Rs(Pairs.size());
  uint64_t Used = 0;
  for (size_t I = 0; I < Pairs.size(); ++I) {
    auto Spent = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - Start)
                     .count();
    std::optional<uint64_t> Share = verify::batchShare(Opts, Used);
    if (Spent >= (int64_t)DeadlineMs || !Share) {
      for (size_t J = I; J < Pairs.size(); ++J)
        Rs[J].Reason = kNotReached;
      break;
    }
    VerifyOptions O = Opts;
    O.DeadlineMs = O.ExecTimeoutMs = DeadlineMs - unsigned(Spent);
    O.ResourceLimit = *Share;
    Rs[I] = verify(*Pairs[I].first, *Pairs[I].second, O);
    Used += Rs[I].Resources;
  }
  return Rs;
}

const char *verdictName(Verdict V) {
  switch (V) {
  case Verdict::Proved:
    return "proved";
  case Verdict::Refuted:
    return "refuted";
  case Verdict::Unknown:
    return "unknown";
  case Verdict::Bounded:
    return "bounded";
  }
  return "unknown";
}

std::string verdictLine(const VerifyResult &R) {
  // A proof or bound under an assumption names it.
  std::string Assumed =
      R.Reason == Verifier::kDefinedInputs ? std::string(R.Reason) : "";
  switch (R.V) {
  case Verdict::Proved:
    return Assumed.empty() ? "proved" : "proved (" + Assumed + ")";
  case Verdict::Refuted:
    return verdictName(R.V);
  case Verdict::Bounded:
    return "bounded (k=" + std::to_string(R.Bound) +
           (Assumed.empty() ? "" : ", " + Assumed) + ")";
  case Verdict::Unknown:
    return "unknown (" + (R.Reason.empty() ? std::string("no reason") : R.Reason) + ")";
  }
  return "unknown";
}

std::string checkSignatures(const Function &Src, const Function &Tgt) {
  std::string S;
  raw_string_ostream OS(S);
  if (Src.getFunctionType()->getNumParams() != Tgt.getFunctionType()->getNumParams()) {
    OS << "@" << Src.getName() << " takes " << Src.arg_size() << " arguments, @"
       << Tgt.getName() << " takes " << Tgt.arg_size();
    return OS.str();
  }
  auto str = [](Type *T) {
    std::string X;
    raw_string_ostream O(X);
    T->print(O);
    return O.str();
  };
  // Types are compared up to the names of structs (a module read into a
  // context that has its struct types renames them), by what they are when
  // the functions live in different contexts.
  if (!isSameType(Src.getReturnType(), Tgt.getReturnType())) {
    OS << "return types differ: " << str(Src.getReturnType()) << " vs "
       << str(Tgt.getReturnType());
    return OS.str();
  }
  for (unsigned I = 0; I < Src.arg_size(); ++I)
    if (!isSameType(Src.getArg(I)->getType(), Tgt.getArg(I)->getType())) {
      OS << "argument " << I << " types differ: " << str(Src.getArg(I)->getType())
         << " vs " << str(Tgt.getArg(I)->getType());
      return OS.str();
    }
  if (Src.isVarArg() != Tgt.isVarArg())
    return "one function is variadic";
  return "";
}

void printResult(raw_ostream &OS, const VerifyResult &R) {
  OS << "verdict: " << verdictLine(R) << "\n";
  if (!R.Engine.empty())
    OS << "engine: " << R.Engine << "\n";
  if (R.CEX) {
    OS << "counterexample:\n";
    for (auto &[Name, V] : R.CEX->Inputs)
      OS << "  " << Name << " = " << V << "\n";
    OS << "  src: " << R.CEX->SrcValue << "\n";
    OS << "  tgt: " << R.CEX->TgtValue << "\n";
    if (!R.CEX->Note.empty())
      OS << "  note: " << R.CEX->Note << "\n";
  }
}

void printResultJSON(raw_ostream &OS, const VerifyResult &R) {
  json::Object O;
  O["verdict"] = verdictName(R.V);
  O["line"] = verdictLine(R);
  if (!R.Reason.empty())
    O["reason"] = R.Reason;
  if (R.V == Verdict::Bounded)
    O["bound"] = (int64_t)R.Bound;
  O["engine"] = R.Engine;
  if (R.Resources)
    O["resources"] = (int64_t)R.Resources;
  if (R.CEX) {
    json::Object X;
    json::Array In;
    for (auto &[Name, V] : R.CEX->Inputs)
      In.push_back(json::Object{{"name", Name}, {"value", V}});
    X["inputs"] = std::move(In);
    X["src"] = R.CEX->SrcValue;
    X["tgt"] = R.CEX->TgtValue;
    if (!R.CEX->Note.empty())
      X["note"] = R.CEX->Note;
    O["counterexample"] = std::move(X);
  }
  json::Array Certs;
  for (auto &C : R.Certificates)
    Certs.push_back(C.Name);
  if (!Certs.empty())
    O["certificates"] = std::move(Certs);
  OS << formatv("{0:2}", json::Value(std::move(O))) << "\n";
}

} // namespace neuropt
