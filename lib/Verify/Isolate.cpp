//===- Isolate.cpp - Run a verification in a child process ------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements runIsolated(): the solver runs in a forked child and
// sends its result back through a pipe; the parent kills the child at a
// wall-clock deadline. Z3's own timeout is not checked inside every
// preprocessing step (bit-blasting a wide multiplier can run for minutes),
// and the verifier must never hang or crash its host.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"
#include "neuropt/Support/ChildProcess.h"

#include <chrono>
#include <sys/wait.h>

namespace neuropt {
namespace verify {

namespace {

void putStr(std::string &Out, const std::string &S) {
  uint64_t N = S.size();
  Out.append(reinterpret_cast<const char *>(&N), sizeof(N));
  Out.append(S);
}

bool getStr(const std::string &In, size_t &Pos, std::string &S) {
  uint64_t N;
  if (Pos + sizeof(N) > In.size())
    return false;
  memcpy(&N, In.data() + Pos, sizeof(N));
  Pos += sizeof(N);
  if (Pos + N > In.size())
    return false;
  S.assign(In.data() + Pos, N);
  Pos += N;
  return true;
}

std::string serialize(const VerifyResult &R) {
  std::string O;
  putStr(O, std::to_string((int)R.V));
  putStr(O, R.Reason);
  putStr(O, std::to_string(R.Bound));
  putStr(O, R.Engine);
  putStr(O, std::to_string(R.Resources));
  putStr(O, R.CEX ? "1" : "0");
  if (R.CEX) {
    putStr(O, std::to_string(R.CEX->Inputs.size()));
    for (auto &[N, V] : R.CEX->Inputs)
      putStr(O, N), putStr(O, V);
    putStr(O, R.CEX->SrcValue);
    putStr(O, R.CEX->TgtValue);
    putStr(O, R.CEX->Note);
  }
  putStr(O, std::to_string(R.Certificates.size()));
  for (auto &C : R.Certificates)
    putStr(O, C.Name), putStr(O, C.SMT2);
  return O;
}

bool deserialize(const std::string &In, VerifyResult &R) {
  size_t P = 0;
  std::string S;
  auto num = [&](uint64_t &V) {
    if (!getStr(In, P, S))
      return false;
    V = std::strtoull(S.c_str(), nullptr, 10);
    return true;
  };
  uint64_t V, B, Has, N;
  if (!num(V) || V > 3 || !getStr(In, P, R.Reason) || !num(B) ||
      !getStr(In, P, R.Engine) || !num(R.Resources) || !num(Has))
    return false;
  R.V = (Verdict)V;
  R.Bound = B;
  if (Has) {
    Counterexample X;
    if (!num(N))
      return false;
    for (uint64_t I = 0; I < N; ++I) {
      std::string A, Bv;
      if (!getStr(In, P, A) || !getStr(In, P, Bv))
        return false;
      X.Inputs.push_back({A, Bv});
    }
    if (!getStr(In, P, X.SrcValue) || !getStr(In, P, X.TgtValue) ||
        !getStr(In, P, X.Note))
      return false;
    R.CEX = X;
  }
  if (!num(N))
    return false;
  for (uint64_t I = 0; I < N; ++I) {
    Certificate C;
    if (!getStr(In, P, C.Name) || !getStr(In, P, C.SMT2))
      return false;
    R.Certificates.push_back(C);
  }
  return P == In.size();
}

} // namespace

std::vector<VerifyResult>
runIsolatedBatch(const std::function<VerifyResult(size_t, unsigned)> &Fn,
                 size_t N, unsigned DeadlineMs, const char *Engine) {
  std::vector<VerifyResult> Rs(N);
  for (VerifyResult &R : Rs) {
    R.Engine = Engine;
    R.Reason = Verifier::kNotReached;
  }
  if (!N || !DeadlineMs)
    return Rs;
  // Leave the parent a little time to read the last result.
  unsigned ChildMs = DeadlineMs - std::min(DeadlineMs / 8, 20u);
  llvm::Expected<ChildOutcome> Child = runInChild(
      [&](int Fd) {
        auto Start = std::chrono::steady_clock::now();
        for (size_t I = 0; I < N; ++I) {
          auto Spent = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - Start)
                           .count();
          if (Spent >= (int64_t)ChildMs)
            return;
          std::string Framed;
          putStr(Framed, serialize(Fn(I, ChildMs - unsigned(Spent))));
          writeAll(Fd, Framed);
        }
      },
      DeadlineMs, kSolverChildHeapBytes);
  if (!Child) {
    std::string Why = llvm::toString(Child.takeError());
    for (VerifyResult &R : Rs)
      R.Reason = Why;
    return Rs;
  }
  size_t Pos = 0;
  std::string Blob;
  for (size_t I = 0; I < N && getStr(Child->Output, Pos, Blob); ++I) {
    VerifyResult R;
    if (!deserialize(Blob, R))
      break;
    Rs[I] = R;
  }
  return Rs;
}

VerifyResult runIsolated(const std::function<VerifyResult()> &Fn,
                         unsigned DeadlineMs, const char *Engine) {
  VerifyResult R;
  R.Engine = Engine;
  llvm::Expected<ChildOutcome> Child =
      runInChild([&](int Fd) { writeAll(Fd, serialize(Fn())); }, DeadlineMs,
                 kSolverChildHeapBytes);
  if (!Child) {
    R.Reason = llvm::toString(Child.takeError());
    return R;
  }
  if (Child->TimedOut) {
    R.Reason = "timeout";
    return R;
  }
  if (!deserialize(Child->Output, R)) {
    R = VerifyResult();
    R.Engine = Engine;
    R.Reason = WIFSIGNALED(Child->WaitStatus)
                   ? "verifier crashed (signal " +
                         std::to_string(WTERMSIG(Child->WaitStatus)) + ")"
                   : "verifier failed";
  }
  return R;
}

} // namespace verify
} // namespace neuropt
