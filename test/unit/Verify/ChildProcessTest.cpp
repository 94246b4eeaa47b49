//===- ChildProcessTest.cpp - Tests of runInChild ---------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// runInChild is what keeps the verifier's solver, and the code under
// differential test, from taking its host down: answers come back, crashes
// and timeouts are reported, and children that answered are reaped without
// the caller waiting for their exit.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/ChildProcess.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33)
#include <malloc.h>
#endif
#include <signal.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace neuropt;

namespace {

/// This process's children that have exited and are not reaped yet.
unsigned zombieChildren() {
  unsigned N = 0;
  DIR *D = opendir("/proc");
  if (!D)
    return 0;
  while (dirent *E = readdir(D)) {
    std::ifstream In(std::string("/proc/") + E->d_name + "/stat");
    std::string Line;
    if (!In || !std::getline(In, Line))
      continue;
    // pid (comm) state ppid ...: comm may hold spaces, so parse after ')'.
    size_t Close = Line.rfind(')');
    if (Close == std::string::npos)
      continue;
    std::istringstream Rest(Line.substr(Close + 1));
    char State;
    long PPid;
    if (Rest >> State >> PPid && PPid == getpid() && State == 'Z')
      ++N;
  }
  closedir(D);
  return N;
}

TEST(ChildProcess, AnswerCrashAndTimeout) {
  llvm::Expected<ChildOutcome> A =
      runInChild([](int Fd) { writeAll(Fd, "answer"); }, 10000);
  ASSERT_TRUE(bool(A));
  EXPECT_EQ(A->Output, "answer");
  EXPECT_FALSE(A->TimedOut);
  EXPECT_TRUE(WIFEXITED(A->WaitStatus) && WEXITSTATUS(A->WaitStatus) == 0);

  llvm::Expected<ChildOutcome> C = runInChild(
      [](int Fd) {
        writeAll(Fd, "partial");
        raise(SIGSEGV);
      },
      10000);
  ASSERT_TRUE(bool(C));
  EXPECT_EQ(C->Output, "partial");
  EXPECT_FALSE(C->TimedOut);
  EXPECT_EQ(C->describeEnd(), "signal 11");

  llvm::Expected<ChildOutcome> T =
      runInChild([](int) { std::this_thread::sleep_for(std::chrono::seconds(30)); },
                 100);
  ASSERT_TRUE(bool(T));
  EXPECT_TRUE(T->TimedOut);
  EXPECT_EQ(T->describeEnd(), "timeout");

  llvm::Expected<ChildOutcome> E = runInChild([](int) { _exit(3); }, 10000);
  ASSERT_TRUE(bool(E));
  EXPECT_EQ(E->describeEnd(), "exit status 3");
}

// Children that answered are not waited for, but each later call reaps the
// ones that have exited since: they never pile up.
TEST(ChildProcess, AnsweredChildrenAreReaped) {
  for (int I = 0; I < 20; ++I)
    ASSERT_TRUE(bool(runInChild([](int Fd) { writeAll(Fd, "x"); }, 10000)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(bool(runInChild([](int Fd) { writeAll(Fd, "x"); }, 10000)));
  EXPECT_LE(zombieChildren(), 1u);
}

/// A store the compiler must keep.
void *volatile Escape;

/// The VmFlags of the mapping that holds \p Addr, from /proc/self/smaps.
std::string vmFlagsOf(const void *Addr) {
  std::ifstream In("/proc/self/smaps");
  std::string Line;
  bool Inside = false;
  uintptr_t A = reinterpret_cast<uintptr_t>(Addr);
  while (std::getline(In, Line)) {
    unsigned long Lo, Hi;
    if (sscanf(Line.c_str(), "%lx-%lx ", &Lo, &Hi) == 2 &&
        Line.find(':') > Line.find(' ')) {
      Inside = Lo <= A && A < Hi;
      continue;
    }
    if (Inside && Line.rfind("VmFlags:", 0) == 0)
      return Line;
  }
  return "";
}

// A solver's child sets aside a heap region for its tables: large requests
// (a Z3 context's two 8 MB tables) come from that region, which carries
// the huge-page advice ("hg" in VmFlags), rather than from fresh mappings,
// and they work as memory. Whether the kernel then gives huge pages depends
// on the machine, so only the advice is checked, where the kernel has
// transparent huge pages at all.
TEST(ChildProcess, SolverChildServesLargeTablesFromAdvisedHeap) {
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33)
  auto Tables = [](int Fd) {
    const size_t Bytes = size_t(8) << 20;
    char *A = static_cast<char *>(malloc(Bytes));
    char *B = static_cast<char *>(malloc(Bytes));
    if (!A || !B) {
      writeAll(Fd, "no memory");
      return;
    }
    memset(A, 1, Bytes);
    memset(B, 2, Bytes);
    bool Advised = vmFlagsOf(A + Bytes / 2).find(" hg") != std::string::npos &&
                   vmFlagsOf(B + Bytes / 2).find(" hg") != std::string::npos;
    writeAll(Fd, std::string(Advised ? "advised" : "not advised") +
                     (A[Bytes - 1] == 1 && B[0] == 2 ? " ok" : " corrupt"));
  };
  // A large free block inside this process's heap, as a long compile leaves
  // behind: it would serve the tables if the child did not take such blocks
  // out of play first.
  // The hole is carved from the top of the heap and pinned by the next
  // block, so that nothing free borders it: it can serve the tables (8 MB)
  // but not the child's whole set-aside (32 MB).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  const size_t HoleBytes = size_t(24) << 20;
  std::vector<void *> Held;
  void *Hole = nullptr;
  for (int I = 0; I < 16 && !Hole; ++I) {
    char *Top = static_cast<char *>(sbrk(0)) - mallinfo2().keepcost;
    void *B = malloc(HoleBytes);
    ASSERT_NE(B, nullptr);
    (static_cast<char *>(B) >= Top ? Hole : Held.emplace_back()) = B;
  }
  ASSERT_NE(Hole, nullptr);
  void *Pin = malloc(HoleBytes);
  // Seen from outside, so that the compiler keeps these allocations.
  for (void *B : {Hole, Pin})
    Escape = B;
  free(Hole);
  llvm::Expected<ChildOutcome> Solver =
      runInChild(Tables, 10000, kSolverChildHeapBytes);
  llvm::Expected<ChildOutcome> Plain = runInChild(Tables, 10000);
  free(Pin);
  for (void *B : Held)
    free(B);
  mallopt(M_MMAP_THRESHOLD, 128 << 10);
  ASSERT_TRUE(bool(Solver));
  ASSERT_TRUE(bool(Plain));
  if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) != 0) {
    EXPECT_EQ(Solver->Output, "not advised ok");
    GTEST_SKIP() << "no transparent huge pages in this kernel: only checked "
                    "that the tables work";
  }
  EXPECT_EQ(Solver->Output, "advised ok");
  // Without the set-aside, nothing is advised and the free block serves.
  EXPECT_EQ(Plain->Output, "not advised ok");
#else
  GTEST_SKIP() << "the heap set-aside is for glibc's allocator";
#endif
}

} // namespace
