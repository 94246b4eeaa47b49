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

#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

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
      !getStr(In, P, R.Engine) || !num(Has))
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

VerifyResult runIsolated(const std::function<VerifyResult()> &Fn,
                         unsigned DeadlineMs, const char *Engine) {
  VerifyResult R;
  R.Engine = Engine;
  int Fds[2];
  if (pipe(Fds) != 0) {
    R.Reason = "cannot create pipe";
    return R;
  }
  fflush(nullptr);
  pid_t Pid = fork();
  if (Pid < 0) {
    close(Fds[0]);
    close(Fds[1]);
    R.Reason = "cannot fork";
    return R;
  }
  if (Pid == 0) {
    close(Fds[0]);
    std::string Out = serialize(Fn());
    size_t Done = 0;
    while (Done < Out.size()) {
      ssize_t W = write(Fds[1], Out.data() + Done, Out.size() - Done);
      if (W <= 0)
        break;
      Done += W;
    }
    _exit(0);
  }
  close(Fds[1]);
  std::string Buf;
  auto Deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(DeadlineMs);
  bool TimedOut = false;
  for (;;) {
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    Deadline - std::chrono::steady_clock::now())
                    .count();
    if (Left <= 0) {
      TimedOut = true;
      break;
    }
    struct pollfd P = {Fds[0], POLLIN, 0};
    int N = poll(&P, 1, (int)Left);
    if (N < 0 && errno == EINTR)
      continue;
    if (N == 0) {
      TimedOut = true;
      break;
    }
    if (N < 0)
      break;
    char Tmp[65536];
    ssize_t Got = read(Fds[0], Tmp, sizeof(Tmp));
    if (Got <= 0)
      break;
    Buf.append(Tmp, Got);
  }
  close(Fds[0]);
  if (TimedOut)
    kill(Pid, SIGKILL);
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR)
    ;
  if (TimedOut) {
    R.Reason = "timeout";
    return R;
  }
  if (!deserialize(Buf, R)) {
    R = VerifyResult();
    R.Engine = Engine;
    R.Reason = WIFSIGNALED(Status) ? "verifier crashed (signal " +
                                         std::to_string(WTERMSIG(Status)) + ")"
                                   : "verifier failed";
  }
  return R;
}

} // namespace verify
} // namespace neuropt
