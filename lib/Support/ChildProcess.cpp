//===- ChildProcess.cpp - Run work in a forked child with a deadline -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/ChildProcess.h"

#include "llvm/ADT/STLExtras.h"

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <system_error>
#include <vector>

#include <poll.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <sys/mman.h>
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

/// Children that answered and were still exiting when their parent had
/// read the answer: reaped by later calls, once they have exited. (Not by a
/// thread of our own: the host may unload this code before its exit.)
static std::mutex PendingMutex;
static std::vector<pid_t> Pending;

static void reapFinished() {
  std::lock_guard<std::mutex> Lock(PendingMutex);
  llvm::erase_if(Pending, [](pid_t Pid) {
    int Status;
    pid_t R = waitpid(Pid, &Status, WNOHANG);
    return R != 0 && !(R < 0 && errno == EINTR);
  });
}

void neuropt::preferHugePageHeap(size_t Bytes) {
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33) && defined(MADV_HUGEPAGE)
  if (!Bytes)
    return;
  // Requests below 64 MB come from the heap (not from fresh mappings, which
  // would not carry the advice), and the heap is never trimmed.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  // Large free blocks that the host left inside the heap would serve large
  // requests before the top does, and their pages are the host's,
  // copy-on-write. Take them out of play: the child ends soon, so nothing
  // is lost, and they are never touched. Blocks carved from the top (fresh
  // memory) lie at or above where the top starts now; mallinfo2 walks the
  // free lists, so it is asked once.
  char *Top = static_cast<char *>(sbrk(0)) - mallinfo2().keepcost;
  const size_t Large = size_t(4) << 20;
  for (unsigned I = 0; I < 64; ++I) {
    void *Q = malloc(Large);
    if (!Q)
      return;
    if (static_cast<char *>(Q) >= Top) {
      free(Q); // from the top: no large free block is left
      break;
    }
  }
  // Grow the heap by Bytes, advise its whole 2 MB pages, and give the block
  // back: it joins the free top of the heap, where the next large requests
  // are carved from.
  void *P = malloc(Bytes);
  if (!P)
    return;
  const uintptr_t Huge = uintptr_t(2) << 20;
  uintptr_t Begin = (uintptr_t(P) + Huge - 1) & ~(Huge - 1);
  uintptr_t End = (uintptr_t(P) + Bytes) & ~(Huge - 1);
  if (End > Begin)
    (void)madvise(reinterpret_cast<void *>(Begin), End - Begin, MADV_HUGEPAGE);
  free(P);
#else
  (void)Bytes;
#endif
}

Expected<ChildOutcome> neuropt::runInChild(function_ref<void(int Fd)> Body,
                                           unsigned TimeoutMs,
                                           size_t HugeHeapBytes) {
  reapFinished();
  // Fds carries the answer; Done one byte, written when Body has returned.
  int Fds[2], Done[2];
  if (pipe(Fds) != 0)
    return createStringError(std::error_code(errno, std::generic_category()),
                             "cannot create a pipe");
  if (pipe(Done) != 0) {
    int E = errno;
    close(Fds[0]);
    close(Fds[1]);
    return createStringError(std::error_code(E, std::generic_category()),
                             "cannot create a pipe");
  }
  // Buffered output would otherwise be written twice, once by each process.
  fflush(nullptr);
  pid_t Pid = fork();
  if (Pid < 0) {
    int E = errno;
    for (int Fd : {Fds[0], Fds[1], Done[0], Done[1]})
      close(Fd);
    return createStringError(std::error_code(E, std::generic_category()),
                             "cannot fork");
  }
  if (Pid == 0) {
    close(Fds[0]);
    close(Done[0]);
    preferHugePageHeap(HugeHeapBytes);
    Body(Fds[1]);
    // Finished: say so, and end the answer, before the exit, whose tear-down
    // of the copied address space takes milliseconds in a large host
    // process; the parent need not wait for it.
    (void)!write(Done[1], "", 1);
    close(Fds[1]);
    _exit(0);
  }
  close(Fds[1]);
  close(Done[1]);

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
  bool Finished = false;
  if (!Out.TimedOut) {
    struct pollfd P = {Done[0], POLLIN, 0};
    char B;
    Finished = poll(&P, 1, 0) == 1 && read(Done[0], &B, 1) == 1;
  }
  close(Done[0]);
  if (Finished) {
    // It exits with status 0 (see above); reap it whenever it has.
    Out.WaitStatus = 0;
    int Status;
    if (waitpid(Pid, &Status, WNOHANG) == 0) {
      std::lock_guard<std::mutex> Lock(PendingMutex);
      Pending.push_back(Pid);
    }
    return Out;
  }
  if (Out.TimedOut)
    kill(Pid, SIGKILL);
  while (waitpid(Pid, &Out.WaitStatus, 0) < 0 && errno == EINTR) {
  }
  return Out;
}
