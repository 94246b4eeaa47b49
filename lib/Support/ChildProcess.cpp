//===- ChildProcess.cpp - Run work in a forked child with a deadline -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/ChildProcess.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <system_error>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;
using namespace neuropt;

bool neuropt::writeAll(int Fd, StringRef Bytes) {
  size_t Done = 0;
  while (Done < Bytes.size()) {
    ssize_t W = write(Fd, Bytes.data() + Done, Bytes.size() - Done);
    if (W < 0 && errno == EINTR)
      continue;
    if (W <= 0)
      return false;
    Done += W;
  }
  return true;
}

std::string ChildOutcome::describeEnd() const {
  if (TimedOut)
    return "timeout";
  if (WIFSIGNALED(WaitStatus))
    return "signal " + std::to_string(WTERMSIG(WaitStatus));
  if (WIFEXITED(WaitStatus))
    return "exit status " + std::to_string(WEXITSTATUS(WaitStatus));
  return "unknown end";
}

Expected<ChildOutcome> neuropt::runInChild(function_ref<void(int Fd)> Body,
                                           unsigned TimeoutMs) {
  int Fds[2];
  if (pipe(Fds) != 0)
    return createStringError(std::error_code(errno, std::generic_category()),
                             "cannot create a pipe");
  // Buffered output would otherwise be written twice, once by each process.
  fflush(nullptr);
  pid_t Pid = fork();
  if (Pid < 0) {
    int E = errno;
    close(Fds[0]);
    close(Fds[1]);
    return createStringError(std::error_code(E, std::generic_category()),
                             "cannot fork");
  }
  if (Pid == 0) {
    close(Fds[0]);
    Body(Fds[1]);
    _exit(0);
  }
  close(Fds[1]);

  ChildOutcome Out;
  auto Deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(TimeoutMs);
  for (;;) {
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    Deadline - std::chrono::steady_clock::now())
                    .count();
    if (Left <= 0) {
      Out.TimedOut = true;
      break;
    }
    struct pollfd P = {Fds[0], POLLIN, 0};
    int N = poll(&P, 1, static_cast<int>(Left));
    if (N < 0 && errno == EINTR)
      continue;
    if (N == 0) {
      Out.TimedOut = true;
      break;
    }
    if (N < 0)
      break;
    char Buf[65536];
    ssize_t Got = read(Fds[0], Buf, sizeof(Buf));
    if (Got < 0 && errno == EINTR)
      continue;
    if (Got <= 0)
      break; // end of file: the child is done or dead
    Out.Output.append(Buf, Got);
  }
  close(Fds[0]);
  if (Out.TimedOut)
    kill(Pid, SIGKILL);
  while (waitpid(Pid, &Out.WaitStatus, 0) < 0 && errno == EINTR) {
  }
  return Out;
}
