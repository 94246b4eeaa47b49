//===- ChildProcess.h - Run work in a forked child with a deadline -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Some work cannot be trusted to return: an LLVM pass that aborts with a
// fatal error, JIT-compiled code under test that crashes or loops, a solver
// that ignores its own timeout. runInChild() forks, runs the work in the
// child, which writes its answer to a pipe, and kills the child at the
// deadline. The caller gets whatever the child wrote, whether it timed out,
// and how it ended; the caller's process is never at risk.
//
// The caller must be single-threaded at the time of the call (fork copies
// only the calling thread).
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SUPPORT_CHILDPROCESS_H
#define NEUROPT_SUPPORT_CHILDPROCESS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace neuropt {

struct ChildOutcome {
  std::string Output;    ///< Everything the child wrote, even on timeout.
  bool TimedOut = false; ///< The deadline passed and the child was killed.
  int WaitStatus = 0;    ///< From waitpid: use WIFSIGNALED and friends.

  /// A short description of how a child that did not answer ended, e.g.
  /// "signal 6" or "exit status 1".
  std::string describeEnd() const;
};

/// Forks; the child runs \p Body with the write end of a pipe and then exits
/// with status 0 without running exit handlers (Body may also _exit itself).
/// The parent reads until end of file or until \p TimeoutMs have passed,
/// then kills the child if needed and reaps it. A child whose Body returned
/// exits with status 0, and is not waited for: a later call reaps it (a
/// large process's exit takes milliseconds). Fails only if a pipe or the fork
/// cannot be created.
///
/// \p HugeHeapBytes: for work that fills large tables at once (a Z3 context
/// writes two 8 MB tables as it is made: 4,300 page faults), the child first
/// sets aside that much at the top of its heap, asks for transparent huge
/// pages there and serves allocations below 64 MB from the heap, so the
/// tables take a few huge-page faults instead (where the kernel offers
/// them; elsewhere it changes nothing). Only the child's allocator changes.
llvm::Expected<ChildOutcome> runInChild(llvm::function_ref<void(int Fd)> Body,
                                        unsigned TimeoutMs,
                                        size_t HugeHeapBytes = 0);

/// In a forked child: runs \p Fn on a new thread and waits for it. That
/// thread allocates from a fresh malloc arena, not from the heap the fork
/// copied, whose holes (left by the parent's earlier work) would decide
/// where \p Fn's objects go. LLVM 22's GVNSink sorts each instruction's
/// users by address, so what it sinks follows that layout
/// (bench/results/size.md, session 30). ChildJobs runs every job so.
/// In a child that prepareForkedChild() prepared, the thread is then
/// parked until the child ends, so that no later thread takes over its
/// arena; elsewhere it ends, and the next new thread may.
void runOnFreshArena(llvm::function_ref<void()> Fn);

/// Runs \p Fn where its allocations are laid out by its own work alone,
/// and returns its answer: in a forked child, on a new thread
/// (runOnFreshArena); in a single-threaded process, in a child forked for
/// it (\p TimeoutMs bounds it); in a process with threads, where forking
/// is unsafe, on the calling thread. Fails if the child crashed or timed
/// out.
llvm::Expected<std::string> runOnFreshHeap(llvm::function_ref<std::string()> Fn,
                                           unsigned TimeoutMs);

/// Waits for the children that answered and were left exiting (see
/// runInChild), so that none outlives the caller's work: their resource use
/// is then counted with the caller's, and none is left a zombie. They
/// answered earlier, so this rarely waits.
void reapChildren();

/// HugeHeapBytes for a child that makes a Z3 context: its tables (17 MB)
/// and room for the queries.
constexpr size_t kSolverChildHeapBytes = size_t(32) << 20;

/// What runInChild does in the child for \p HugeHeapBytes; exposed for
/// tests. Call it only in a process about to exit: it keeps the heap from
/// shrinking and large allocations from being returned to the system.
void preferHugePageHeap(size_t Bytes);

/// Writes all of \p Bytes to \p Fd, retrying short writes; false on error.
bool writeAll(int Fd, llvm::StringRef Bytes);

/// Makes a freshly forked child end alone when its work crashes, aborts or
/// hits a fatal LLVM error. The host's handlers would otherwise run in the
/// child: clang runs its integrated cc1 under a CrashRecoveryContext, which
/// would jump back into the driver's code in the child, and LLVM's signal
/// handlers print a stack dump and remove the files the host registered for
/// removal (clang's output). So crash recovery is turned off, the signals
/// get their default action, and a fatal LLVM error calls \p OnFatal (if
/// given) with its reason and exits with status 70 without exit handlers.
/// Every child that runInChild() and WorkerChild make calls it first.
void prepareForkedChild(void (*OnFatal)(const char *Reason) = nullptr);

/// Whether the calling process has one thread (Linux: /proc/self/task).
/// fork() copies only the calling thread, so a child of a process with
/// other threads may wait forever on a lock one of them held.
bool isSingleThreaded();

/// A forked child that works while its parent goes on, and answers in
/// messages of any size. Each message's bytes go to a memory file both
/// share and only its place to a pipe, so a child never waits on a parent
/// that is busy, and what a child sent before it was killed or crashed
/// stays readable. The parent waits on several children at once with
/// poll() on fd(). Linux only (memfd); spawn() fails elsewhere.
class WorkerChild {
public:
  /// Forks. The child calls prepareForkedChild(), then \p Work (which may
  /// start threads and send() from each), then marks its answer complete
  /// and exits with status 0 without exit handlers. A fatal LLVM error in
  /// the child is sent as a message beginning with kFatalTag. The caller
  /// must be single-threaded.
  /// With a \p Deadline, the child ends itself then (SIGALRM), even while
  /// its parent is busy elsewhere and not waiting; timedOut() says so.
  static llvm::Expected<std::unique_ptr<WorkerChild>>
  spawn(llvm::function_ref<void(WorkerChild &Self)> Work,
        std::optional<std::chrono::steady_clock::time_point> Deadline =
            std::nullopt);
  /// Kills a child that is still running, and reaps it.
  ~WorkerChild();
  WorkerChild(const WorkerChild &) = delete;
  WorkerChild &operator=(const WorkerChild &) = delete;

  /// In the child: sends \p Bytes as one message. Thread-safe. False if
  /// the parent is gone.
  bool send(llvm::StringRef Bytes);

  /// In the parent: the pipe to poll() for input.
  int fd() const { return PipeFd; }
  /// In the parent: reads what the pipe holds without blocking and calls
  /// \p OnMessage for each complete message, in the order sent. Returns
  /// true once the child has ended (its pipe is closed); it is then reaped.
  bool pump(llvm::function_ref<void(llvm::StringRef)> OnMessage);
  /// In the parent: pump()s until the child ends (true) or \p Deadline
  /// passes (false; the child is still running).
  bool receive(std::chrono::steady_clock::time_point Deadline,
               llvm::function_ref<void(llvm::StringRef)> OnMessage);
  /// Kills the child (SIGKILL) if it is running and reaps it; messages it
  /// sent before are still delivered by pump().
  void kill();

  bool ended() const { return Ended; }
  /// Killed by kill() or ended by its deadline.
  bool timedOut() const;
  /// The child returned from its work and said so (not killed, not
  /// crashed).
  bool completed() const { return Completed; }
  /// How a child that did not complete ended: "signal 6", "exit status 70",
  /// "killed", "deadline".
  std::string describeEnd() const;

  /// First byte of the message a fatal LLVM error sends.
  static constexpr char kFatalTag = '\x7f';

private:
  WorkerChild() = default;
  void reap(bool Block);
  int Pid = -1;
  int PipeFd = -1;  ///< parent: read end; child: write end
  int MemFd = -1;   ///< the messages' bytes
  uint64_t Offset = 0; ///< child: where the next message goes
  std::string Partial; ///< parent: a place record read in part
  bool Ended = false, Completed = false, Killed = false;
  int WaitStatus = 0;
  std::mutex SendMutex;
};

/// Jobs 0..N-1 run in worker children, so that a job that crashes, aborts
/// or runs past the deadline costs that job and not the caller. Children
/// take jobs in order from a counter in memory they share with the caller,
/// each with some threads; while a child runs, the caller may go on with
/// other work and call wait() later. A child that ends before answering
/// fails the one job it was running; if it was running several (one per
/// thread), each of them is run again alone, so which jobs fail does not
/// depend on the thread count. At the deadline every child still running
/// is killed and its unanswered jobs are Killed.
class ChildJobs {
public:
  enum class Status : uint8_t { NotStarted, Running, Answered, Crashed, Killed };
  /// \p Run(I) runs in a child and returns job I's answer. Children end
  /// themselves at \p Deadline if it is given, whether or not the caller
  /// is waiting then.
  ChildJobs(unsigned N, std::function<std::string(unsigned)> Run,
            std::optional<std::chrono::steady_clock::time_point> Deadline =
                std::nullopt);
  ~ChildJobs();
  ChildJobs(const ChildJobs &) = delete;
  ChildJobs &operator=(const ChildJobs &) = delete;

  /// Forks a child that takes jobs with \p Threads threads. The caller
  /// must be single-threaded.
  llvm::Error spawn(unsigned Threads);
  /// Waits until every job has ended or \p Deadline has passed, forking
  /// more children (one thread each) while jobs are left and fewer than
  /// \p MaxThreads threads work. An error only if no child could be made
  /// while jobs were left; the jobs that have not run are NotStarted.
  llvm::Error wait(std::chrono::steady_clock::time_point Deadline,
                   unsigned MaxThreads);

  unsigned size() const { return unsigned(Jobs.size()); }
  Status status(unsigned I) const { return Jobs[I].State; }
  /// Job I's answer (Answered).
  const std::string &answer(unsigned I) const { return Jobs[I].Answer; }
  /// Why job I failed (Crashed: "signal 11", "LLVM ERROR: ..."; Killed).
  const std::string &why(unsigned I) const { return Jobs[I].Why; }
  /// When job I started, in its child.
  std::chrono::steady_clock::time_point started(unsigned I) const {
    return Jobs[I].StartedAt;
  }

private:
  struct Job {
    Status State = Status::NotStarted;
    std::string Answer, Why;
    std::chrono::steady_clock::time_point StartedAt;
    int Child = -1; ///< index into Children while Running
    bool Lost = false; ///< taken by a child that ended before starting it
  };
  struct Child {
    std::unique_ptr<WorkerChild> W;
    unsigned Threads = 1;
    std::string Fatal; ///< the reason of a fatal LLVM error it sent
  };
  llvm::Error fork(unsigned Threads, int Only);
  void deliver(unsigned ChildIndex, llvm::StringRef Msg);
  /// Settles the jobs child \p ChildIndex was running when it ended.
  void childEnded(unsigned ChildIndex);
  /// Once no child runs: queues again, alone, the jobs a child took from
  /// the counter but ended before starting (another of its threads
  /// crashed it); false if there are none.
  bool requeueLost();
  unsigned taken() const;
  std::function<std::string(unsigned)> Run;
  std::vector<Job> Jobs;
  std::vector<Child> Children;
  std::vector<unsigned> Retry; ///< jobs to run again alone
  /// When children end themselves (the constructor's Deadline).
  std::optional<std::chrono::steady_clock::time_point> ChildDeadline;
  void *Shared = nullptr;      ///< the counter, in shared memory
};

} // namespace neuropt

#endif // NEUROPT_SUPPORT_CHILDPROCESS_H
