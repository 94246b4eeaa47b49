//===- Layered.cpp - Verifier stacking and the one-call entry point -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements createLayeredVerifier (a cheap first line in front of
// a precise verifier, the way souper stacks its solvers), the default stack
// and verifyRefinement().
//
//===----------------------------------------------------------------------===//

#include "neuropt/Verify/Verifier.h"

namespace neuropt {

namespace {
class LayeredVerifier final : public Verifier {
public:
  LayeredVerifier(std::unique_ptr<Verifier> First, std::unique_ptr<Verifier> Second)
      : First(std::move(First)), Second(std::move(Second)) {}

  VerifyResult verify(const llvm::Function &Src, const llvm::Function &Tgt,
                      const VerifyOptions &Opts) override {
    VerifyResult A = First->verify(Src, Tgt, Opts);
    // A refutation from the first line is concrete; a proof from it is
    // trusted as well (the first line never claims more than it knows).
    if (A.V == Verdict::Refuted || A.V == Verdict::Proved)
      return A;
    VerifyResult B = Second->verify(Src, Tgt, Opts);
    if (B.V == Verdict::Unknown && !A.Reason.empty())
      B.Reason += "; " + A.Engine + ": " + A.Reason;
    return B;
  }

private:
  std::unique_ptr<Verifier> First, Second;
};
} // namespace

std::unique_ptr<Verifier> createLayeredVerifier(std::unique_ptr<Verifier> First,
                                                std::unique_ptr<Verifier> Second) {
  return std::make_unique<LayeredVerifier>(std::move(First), std::move(Second));
}

std::unique_ptr<Verifier> createDefaultVerifier() {
  return createLayeredVerifier(createDiffExecVerifier(), createSMTVerifier());
}

VerifyResult verifyRefinement(const llvm::Function &Src, const llvm::Function &Tgt,
                              const VerifyOptions &Opts) {
  return createDefaultVerifier()->verify(Src, Tgt, Opts);
}

} // namespace neuropt
