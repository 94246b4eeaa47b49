//===- Subprocess.cpp - Time-limited child processes for neuropt-corpus ---===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements runProgram: launch with llvm::sys::ExecuteNoWait, poll
// with a non-blocking llvm::sys::Wait, and SIGKILL the child at the deadline.
//
//===----------------------------------------------------------------------===//

#include "Subprocess.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

#include <signal.h>
#include <sys/types.h>

using namespace llvm;

namespace neuropt {
namespace corpus {

RunResult runProgram(ArrayRef<std::string> Argv, StringRef LogFile,
                     unsigned TimeoutSeconds, unsigned MemoryLimitMB) {
  RunResult R;
  if (Argv.empty()) {
    R.FailedToStart = true;
    R.Message = "empty command line";
    return R;
  }
  std::string Program = Argv[0];
  if (Program.find('/') == std::string::npos) {
    ErrorOr<std::string> Found = sys::findProgramByName(Program);
    if (!Found) {
      R.FailedToStart = true;
      R.Message = "program '" + Program + "' not found on PATH";
      return R;
    }
    Program = *Found;
  }
  std::vector<StringRef> Args(Argv.begin(), Argv.end());
  std::optional<StringRef> Null(StringRef(""));
  std::optional<StringRef> Log =
      LogFile.empty() ? Null : std::optional<StringRef>(LogFile);
  std::optional<StringRef> Redirects[] = {Null, Log, Log};

  auto Start = std::chrono::steady_clock::now();
  std::string ErrMsg;
  bool ExecFailed = false;
  sys::ProcessInfo PI =
      sys::ExecuteNoWait(Program, Args, std::nullopt, Redirects, MemoryLimitMB,
                         &ErrMsg, &ExecFailed);
  if (ExecFailed || PI.Pid == sys::ProcessInfo::InvalidPid) {
    R.FailedToStart = true;
    R.Message = "cannot run '" + Program + "': " + ErrMsg;
    return R;
  }

  auto Deadline = Start + std::chrono::seconds(TimeoutSeconds);
  auto Sleep = std::chrono::milliseconds(2);
  sys::ProcessInfo Done;
  while (true) {
    std::string WaitErr;
    Done = sys::Wait(PI, /*SecondsToWait=*/0, &WaitErr);
    if (Done.Pid != 0) {
      ErrMsg = WaitErr;
      break;
    }
    if (TimeoutSeconds && std::chrono::steady_clock::now() >= Deadline) {
      ::kill(PI.Pid, SIGKILL);
      sys::Wait(PI, std::nullopt, &WaitErr);
      R.TimedOut = true;
      R.Message = "timed out after " + std::to_string(TimeoutSeconds) + " s";
      break;
    }
    std::this_thread::sleep_for(Sleep);
    if (Sleep < std::chrono::milliseconds(50))
      Sleep *= 2;
  }
  R.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                            Start)
                  .count();
  if (R.TimedOut)
    return R;
  // llvm::sys::Wait reports a death by signal as ReturnCode -2 plus a message.
  if (Done.ReturnCode < 0) {
    R.Crashed = true;
    R.Message = ErrMsg.empty() ? "terminated abnormally" : ErrMsg;
    return R;
  }
  R.ExitCode = Done.ReturnCode;
  if (R.ExitCode != 0)
    R.Message = "exit status " + std::to_string(R.ExitCode);
  return R;
}

std::string readFilePrefix(StringRef Path, size_t MaxBytes) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
      MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return "";
  StringRef Data = (*Buf)->getBuffer();
  return Data.take_front(MaxBytes).str();
}

} // namespace corpus
} // namespace neuropt
