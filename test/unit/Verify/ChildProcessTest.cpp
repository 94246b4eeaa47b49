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
#include <dirent.h>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

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

} // namespace
