//===- ChildProcess.cpp - Run work in a forked child with a deadline -------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Support/ChildProcess.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/ErrorHandling.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
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

/// How a child that waitpid() reported with \p Status ended.
static std::string describeWaitStatus(int Status) {
  if (WIFSIGNALED(Status))
    return "signal " + std::to_string(WTERMSIG(Status));
  if (WIFEXITED(Status))
    return "exit status " + std::to_string(WEXITSTATUS(Status));
  return "unknown end";
}

std::string ChildOutcome::describeEnd() const {
  return TimedOut ? "timeout" : describeWaitStatus(WaitStatus);
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

void neuropt::reapChildren() {
  std::lock_guard<std::mutex> Lock(PendingMutex);
  for (pid_t Pid : Pending) {
    int Status;
    while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
    }
  }
  Pending.clear();
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
    prepareForkedChild();
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

static void (*FatalSink)(const char *Reason) = nullptr;

static void childFatalError(void *, const char *Reason, bool) {
  if (FatalSink)
    FatalSink(Reason);
  _exit(70);
}

/// Set in a child that prepareForkedChild() prepared: it ends with _exit,
/// so threads may be left parked there (runOnFreshArena).
static bool InForkedChild = false;

void neuropt::prepareForkedChild(void (*OnFatal)(const char *Reason)) {
  InForkedChild = true;
  CrashRecoveryContext::Disable();
  for (int Sig : {SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, SIGSYS,
                  SIGQUIT, SIGXCPU, SIGXFSZ, SIGHUP, SIGINT, SIGTERM, SIGUSR2,
                  SIGPIPE})
    signal(Sig, SIG_DFL);
  // A crash must not leave a core file of the host in the user's directory.
  struct rlimit NoCore = {0, 0};
  (void)setrlimit(RLIMIT_CORE, &NoCore);
  FatalSink = OnFatal;
  remove_fatal_error_handler();
  install_fatal_error_handler(childFatalError);
  remove_bad_alloc_error_handler(); // LLVM's default: report and abort
}

bool neuropt::isSingleThreaded() {
  DIR *D = opendir("/proc/self/task");
  if (!D)
    return false;
  unsigned N = 0;
  while (struct dirent *E = readdir(D))
    if (E->d_name[0] != '.')
      ++N;
  closedir(D);
  return N == 1;
}

//===----------------------------------------------------------------------===//
// WorkerChild
//===----------------------------------------------------------------------===//

namespace {
/// A message's place in the memory file, written to the pipe (12 bytes, so
/// one write() is atomic). Length kDoneLength marks the end of the answer.
struct Place {
  uint64_t Offset;
  uint32_t Length;
};
constexpr size_t kPlaceBytes = 12;
constexpr uint32_t kDoneLength = UINT32_MAX;

void encodePlace(const Place &P, char *Out) {
  std::memcpy(Out, &P.Offset, 8);
  std::memcpy(Out + 8, &P.Length, 4);
}
} // namespace

/// The child's own WorkerChild, for the fatal-error handler.
static WorkerChild *ChildSelf = nullptr;

Expected<std::unique_ptr<WorkerChild>>
WorkerChild::spawn(function_ref<void(WorkerChild &)> Work,
                   std::optional<std::chrono::steady_clock::time_point> Deadline) {
#if defined(__linux__)
  reapFinished();
  auto Fail = [](const char *What) {
    return createStringError(std::error_code(errno, std::generic_category()),
                             What);
  };
  int MemFd = memfd_create("neuropt-worker", MFD_CLOEXEC);
  if (MemFd < 0)
    return Fail("cannot create a memory file");
  int Fds[2];
  if (pipe2(Fds, O_CLOEXEC) != 0) {
    auto E = Fail("cannot create a pipe");
    close(MemFd);
    return E;
  }
  std::unique_ptr<WorkerChild> C(new WorkerChild());
  C->MemFd = MemFd;
  fflush(nullptr);
  pid_t Pid = fork();
  if (Pid < 0) {
    auto E = Fail("cannot fork");
    for (int Fd : {Fds[0], Fds[1], MemFd})
      close(Fd);
    C->MemFd = -1;
    C->Ended = true;
    return E;
  }
  if (Pid == 0) {
    close(Fds[0]);
    C->PipeFd = Fds[1];
    ChildSelf = C.get();
    prepareForkedChild([](const char *Reason) {
      if (ChildSelf)
        ChildSelf->send(std::string(1, kFatalTag) + Reason);
    });
    if (Deadline) {
      // SIGALRM's default action ends the process.
      signal(SIGALRM, SIG_DFL);
      auto Us = std::chrono::duration_cast<std::chrono::microseconds>(
                    *Deadline - std::chrono::steady_clock::now())
                    .count();
      if (Us <= 0)
        _exit(124);
      struct itimerval T = {};
      T.it_value.tv_sec = time_t(Us / 1000000);
      T.it_value.tv_usec = suseconds_t(Us % 1000000);
      (void)setitimer(ITIMER_REAL, &T, nullptr);
    }
    Work(*C);
    {
      std::lock_guard<std::mutex> Lock(C->SendMutex);
      char Rec[kPlaceBytes];
      encodePlace({0, kDoneLength}, Rec);
      (void)writeAll(C->PipeFd, StringRef(Rec, kPlaceBytes));
    }
    _exit(0);
  }
  close(Fds[1]);
  C->Pid = Pid;
  C->PipeFd = Fds[0];
  (void)fcntl(C->PipeFd, F_SETFL, O_NONBLOCK);
  return C;
#else
  (void)Work;
  return createStringError(inconvertibleErrorCode(),
                           "worker children need Linux");
#endif
}

WorkerChild::~WorkerChild() {
  if (!Ended && Pid > 0) {
    ::kill(Pid, SIGKILL);
    reap(/*Block=*/true);
  }
  if (PipeFd >= 0)
    close(PipeFd);
  if (MemFd >= 0)
    close(MemFd);
}

bool WorkerChild::send(StringRef Bytes) {
  std::lock_guard<std::mutex> Lock(SendMutex);
  size_t Done = 0;
  while (Done < Bytes.size()) {
    ssize_t W = pwrite(MemFd, Bytes.data() + Done, Bytes.size() - Done,
                       off_t(Offset + Done));
    if (W < 0 && errno == EINTR)
      continue;
    if (W <= 0)
      return false;
    Done += W;
  }
  char Rec[kPlaceBytes];
  encodePlace({Offset, uint32_t(Bytes.size())}, Rec);
  Offset += Bytes.size();
  return writeAll(PipeFd, StringRef(Rec, kPlaceBytes));
}

void WorkerChild::reap(bool Block) {
  if (Pid <= 0)
    return;
  int Status = 0;
  pid_t R;
  while ((R = waitpid(Pid, &Status, Block ? 0 : WNOHANG)) < 0 && errno == EINTR) {
  }
  if (R == Pid) {
    WaitStatus = Status;
  } else if (R == 0) {
    // Completed and still exiting: a later call reaps it.
    std::lock_guard<std::mutex> Lock(PendingMutex);
    Pending.push_back(Pid);
  }
  Pid = -1;
}

bool WorkerChild::pump(function_ref<void(StringRef)> OnMessage) {
  if (PipeFd < 0)
    return true;
  char Buf[kPlaceBytes * 1024];
  for (;;) {
    ssize_t Got = read(PipeFd, Buf, sizeof(Buf));
    if (Got < 0 && errno == EINTR)
      continue;
    if (Got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return false;
    if (Got > 0) {
      Partial.append(Buf, Got);
      size_t Pos = 0;
      for (; Partial.size() - Pos >= kPlaceBytes; Pos += kPlaceBytes) {
        Place P;
        std::memcpy(&P.Offset, Partial.data() + Pos, 8);
        std::memcpy(&P.Length, Partial.data() + Pos + 8, 4);
        if (P.Length == kDoneLength) {
          Completed = true;
          continue;
        }
        std::string Msg(P.Length, '\0');
        size_t Have = 0;
        while (Have < P.Length) {
          ssize_t R = pread(MemFd, Msg.data() + Have, P.Length - Have,
                            off_t(P.Offset + Have));
          if (R < 0 && errno == EINTR)
            continue;
          if (R <= 0)
            break;
          Have += R;
        }
        if (Have == P.Length)
          OnMessage(Msg);
      }
      Partial.erase(0, Pos);
      continue;
    }
    // End of file: every writer is gone, so the child has ended (or is
    // exiting, if it completed).
    close(PipeFd);
    PipeFd = -1;
    close(MemFd);
    MemFd = -1;
    Ended = true;
    reap(/*Block=*/!Completed);
    return true;
  }
}

bool WorkerChild::receive(std::chrono::steady_clock::time_point Deadline,
                          function_ref<void(StringRef)> OnMessage) {
  for (;;) {
    if (pump(OnMessage))
      return true;
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    Deadline - std::chrono::steady_clock::now())
                    .count();
    if (Left <= 0)
      return false;
    struct pollfd P = {PipeFd, POLLIN, 0};
    if (poll(&P, 1, int(Left)) < 0 && errno != EINTR)
      return false;
  }
}

void WorkerChild::kill() {
  if (Ended || Pid <= 0)
    return;
  ::kill(Pid, SIGKILL);
  Killed = true;
  // Once it is dead its end of the pipe is closed: pump() then reads what
  // it sent before, and the end of file.
  reap(/*Block=*/true);
  (void)fcntl(PipeFd, F_SETFL, 0);
}

bool WorkerChild::timedOut() const {
  return Killed || (WIFSIGNALED(WaitStatus) && WTERMSIG(WaitStatus) == SIGALRM) ||
         (WIFEXITED(WaitStatus) && WEXITSTATUS(WaitStatus) == 124);
}

std::string WorkerChild::describeEnd() const {
  if (Killed)
    return "killed";
  return timedOut() ? "deadline" : describeWaitStatus(WaitStatus);
}

//===----------------------------------------------------------------------===//
// ChildJobs
//===----------------------------------------------------------------------===//

static std::atomic<unsigned> &jobCounter(void *Shared) {
  return *static_cast<std::atomic<unsigned> *>(Shared);
}

ChildJobs::ChildJobs(unsigned N, std::function<std::string(unsigned)> Run,
                     std::optional<std::chrono::steady_clock::time_point> Deadline)
    : Run(std::move(Run)), Jobs(N), ChildDeadline(Deadline) {
  void *P = mmap(nullptr, sizeof(std::atomic<unsigned>),
                 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (P != MAP_FAILED)
    Shared = new (P) std::atomic<unsigned>(0);
}

ChildJobs::~ChildJobs() {
  Children.clear(); // kills and reaps any still running
  if (Shared)
    munmap(Shared, sizeof(std::atomic<unsigned>));
}

unsigned ChildJobs::taken() const {
  return Shared ? std::min<unsigned>(jobCounter(Shared).load(), size())
                : size();
}

void neuropt::runOnFreshArena(function_ref<void()> Fn) {
  if (!InForkedChild) {
    std::thread T([&] { Fn(); });
    T.join();
    return;
  }
  // A thread that ended would hand its arena, with the holes Fn's frees
  // left, to the next new thread of this child (another job's, at a moment
  // that depends on timing); a parked one keeps it until the child ends.
  std::promise<void> Done;
  std::future<void> Finished = Done.get_future();
  std::thread([&Fn, Done = std::move(Done)]() mutable {
    Fn();
    Done.set_value(); // the last use of the caller's frame
    sigset_t All;
    sigfillset(&All);
    pthread_sigmask(SIG_BLOCK, &All, nullptr);
    for (;;)
      pause();
  }).detach();
  Finished.wait();
}

Expected<std::string>
neuropt::runOnFreshHeap(function_ref<std::string()> Fn, unsigned TimeoutMs) {
  std::string Answer;
  if (InForkedChild) { // a thread of its own is enough
    runOnFreshArena([&] { Answer = Fn(); });
    return Answer;
  }
  if (!isSingleThreaded()) // forking is unsafe: the caller's arena it is
    return Fn();
  Expected<ChildOutcome> Child = runInChild(
      [&](int Fd) {
        runOnFreshArena([&] { Answer = Fn(); });
        // One byte first, so that an empty answer is told from no answer.
        writeAll(Fd, "A");
        writeAll(Fd, Answer);
      },
      TimeoutMs);
  if (!Child)
    return Child.takeError();
  if (Child->TimedOut)
    return createStringError(inconvertibleErrorCode(),
                             "timed out after %u ms", TimeoutMs);
  if (Child->Output.empty() || Child->Output[0] != 'A' ||
      !WIFEXITED(Child->WaitStatus) || WEXITSTATUS(Child->WaitStatus) != 0)
    return createStringError(inconvertibleErrorCode(), "the child ended (%s)",
                             Child->describeEnd().c_str());
  return Child->Output.substr(1);
}

namespace {
/// In a worker child: runs each job on a thread started for it alone, and
/// keeps that thread, parked, until the child ends. A thread that ended
/// would hand its malloc arena, with the holes its job's frees left, to the
/// next new thread; a parked one keeps it, so every job allocates from a
/// fresh arena of its own, laid out by nothing but that job. (Threads of
/// the parent, had it any, would have left arenas that the child's first
/// threads take over; neuropt-size forks only from a single-threaded
/// host.)
class FreshArenaThreads {
public:
  FreshArenaThreads() {
#if defined(__GLIBC__)
    // Past glibc's arena limit (8 per core by default, or MALLOC_ARENA_MAX)
    // threads share arenas; the limit is read when the first thread arena
    // is made, which in a child of a single-threaded host is here. Each job
    // may start more threads for copies of its own (runOnFreshArena).
    mallopt(M_ARENA_MAX, 8 * int(kMaxJobs) + 64);
#endif
  }
  ~FreshArenaThreads() {
    {
      std::lock_guard<std::mutex> Lock(M);
      Ending = true;
    }
    CV.notify_all();
    for (std::thread &T : Threads)
      T.join();
  }
  /// Whether this child may run one more job: false once it has run
  /// kMaxJobs (the caller forks another child for the rest).
  bool reserve() { return Started.fetch_add(1) < kMaxJobs; }
  /// Runs \p Job on a new thread and returns when it has.
  void run(const std::function<void()> &Job) {
    std::promise<void> Done;
    std::future<void> Finished = Done.get_future();
    {
      std::lock_guard<std::mutex> Lock(M);
      Threads.emplace_back([this, &Job, Done = std::move(Done)]() mutable {
        Job();
        Done.set_value(); // the last use of this frame's Job
        std::unique_lock<std::mutex> L(M);
        CV.wait(L, [this] { return Ending; });
      });
    }
    Finished.wait();
  }
  /// Jobs per child: each keeps a thread and an arena until the child ends.
  static constexpr unsigned kMaxJobs = 32;

private:
  std::mutex M;
  std::condition_variable CV;
  bool Ending = false;
  std::vector<std::thread> Threads;
  std::atomic<unsigned> Started{0};
};
} // namespace

/// Messages from a child: 'S' job start-nanoseconds, 'R' job answer.
Error ChildJobs::fork(unsigned Threads, int Only) {
  if (!Shared)
    return createStringError(inconvertibleErrorCode(),
                             "cannot map memory shared with children");
  unsigned N = size();
  Expected<std::unique_ptr<WorkerChild>> W =
      WorkerChild::spawn([&](WorkerChild &Self) {
        // Every job runs on a thread of its own with a fresh malloc arena
        // (FreshArenaThreads): none on the child's main thread, which
        // inherits the parent's heap as the fork found it, laid out partly
        // by the timing of the parent's reads of earlier children's
        // answers, and none after another job on the same thread. LLVM
        // 22's GVNSink orders each instruction's users by address, so what
        // it sinks follows the heap's layout: on the main thread the same
        // searched pipeline made different code in about 1 of 20
        // compilations (bench/results/size.md, sessions 29 and 30).
        FreshArenaThreads Fresh;
        std::atomic<bool> ParentGone{false};
        auto RunJob = [&](unsigned I) {
          int64_t Ns = std::chrono::steady_clock::now()
                           .time_since_epoch()
                           .count();
          std::string S(1, 'S');
          S.append(reinterpret_cast<const char *>(&I), 4);
          S.append(reinterpret_cast<const char *>(&Ns), 8);
          if (!Self.send(S)) {
            ParentGone = true;
            return;
          }
          std::string R(1, 'R');
          R.append(reinterpret_cast<const char *>(&I), 4);
          R += Run(I);
          if (!Self.send(R))
            ParentGone = true;
        };
        // Each lane takes jobs from the counter, one at a time.
        auto Lane = [&] {
          for (bool First = true; !ParentGone && Fresh.reserve();
               First = false) {
            unsigned I;
            if (Only >= 0) {
              if (!First)
                break;
              I = unsigned(Only);
            } else if ((I = jobCounter(Shared).fetch_add(1)) >= N) {
              break;
            }
            Fresh.run([&] { RunJob(I); });
          }
        };
        if (Threads == 1) {
          Lane();
          return;
        }
        std::vector<std::thread> Lanes;
        for (unsigned T = 0; T < Threads; ++T)
          Lanes.emplace_back(Lane);
        for (std::thread &T : Lanes)
          T.join();
      },
      ChildDeadline);
  if (!W)
    return W.takeError();
  Children.push_back({std::move(*W), Only >= 0 ? 1u : Threads, ""});
  return Error::success();
}

Error ChildJobs::spawn(unsigned Threads) {
  return fork(std::max(1u, Threads), -1);
}

void ChildJobs::deliver(unsigned C, StringRef Msg) {
  if (Msg.empty())
    return;
  if (Msg[0] == WorkerChild::kFatalTag) {
    Children[C].Fatal = Msg.drop_front().rtrim().str();
    return;
  }
  if (Msg.size() < 5)
    return;
  unsigned I;
  std::memcpy(&I, Msg.data() + 1, 4);
  if (I >= size())
    return;
  Job &J = Jobs[I];
  if (Msg[0] == 'S' && Msg.size() == 13) {
    int64_t Ns;
    std::memcpy(&Ns, Msg.data() + 5, 8);
    J.State = Status::Running;
    J.StartedAt = std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(Ns));
    J.Child = int(C);
  } else if (Msg[0] == 'R') {
    J.State = Status::Answered;
    J.Answer = Msg.drop_front(5).str();
    J.Child = -1;
  }
}

void ChildJobs::childEnded(unsigned C) {
  std::vector<unsigned> InFlight;
  for (unsigned I = 0; I < size(); ++I)
    if (Jobs[I].State == Status::Running && Jobs[I].Child == int(C))
      InFlight.push_back(I);
  WorkerChild &W = *Children[C].W;
  for (unsigned I : InFlight) {
    Job &J = Jobs[I];
    J.Child = -1;
    if (W.timedOut()) {
      J.State = Status::Killed;
      J.Why = "killed at the deadline";
    } else if (InFlight.size() == 1) {
      J.State = Status::Crashed;
      J.Why = Children[C].Fatal.empty()
                  ? "its process ended with " + W.describeEnd()
                  : "LLVM ERROR: " + Children[C].Fatal;
    } else {
      // Which of them ended the child is not known: each runs again alone.
      J.State = Status::NotStarted;
      Retry.push_back(I);
    }
  }
}

bool ChildJobs::requeueLost() {
  bool Any = false;
  for (unsigned I = 0, N = taken(); I < N; ++I) {
    Job &J = Jobs[I];
    if (J.State != Status::NotStarted)
      continue;
    if (J.Lost) { // lost twice: give up on it
      J.State = Status::Crashed;
      J.Why = "its process ended before it started";
      continue;
    }
    J.Lost = true;
    Retry.push_back(I);
    Any = true;
  }
  return Any;
}

Error ChildJobs::wait(std::chrono::steady_clock::time_point Deadline,
                      unsigned MaxThreads) {
  MaxThreads = std::max(1u, MaxThreads);
  // Children end themselves at the jobs' own deadline: none is made after.
  if (ChildDeadline)
    Deadline = std::min(Deadline, *ChildDeadline);
  // Delivers what child C sent; once it has ended, settles its jobs.
  auto Pump = [&](unsigned C) {
    if (Children[C].W->pump([&](StringRef M) { deliver(C, M); }))
      childEnded(C);
  };
  for (;;) {
    unsigned LiveThreads = 0;
    for (unsigned C = 0; C < Children.size(); ++C) {
      if (Children[C].W->ended())
        continue;
      Pump(C);
      if (!Children[C].W->ended())
        LiveThreads += Children[C].Threads;
    }
    if (std::chrono::steady_clock::now() >= Deadline)
      break;
    // More children while jobs are left and threads are free: those to run
    // again alone first, then one child for the rest of the counter.
    Error Failed = Error::success();
    while (!Retry.empty() && LiveThreads < MaxThreads) {
      if ((Failed = fork(1, int(Retry.front()))))
        break;
      Retry.erase(Retry.begin());
      ++LiveThreads;
    }
    if (!Failed && taken() < size() && LiveThreads < MaxThreads) {
      unsigned T = std::min(MaxThreads - LiveThreads, size() - taken());
      if (!(Failed = fork(T, -1)))
        LiveThreads += T;
    }
    if (!LiveThreads && !Failed && requeueLost())
      continue;
    if (!LiveThreads)
      return Failed; // done, or no child could be made
    consumeError(std::move(Failed)); // the live ones go on
    std::vector<struct pollfd> Fds;
    for (const Child &C : Children)
      if (!C.W->ended())
        Fds.push_back({C.W->fd(), POLLIN, 0});
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    Deadline - std::chrono::steady_clock::now())
                    .count();
    if (Left > 0)
      (void)poll(Fds.data(), Fds.size(), int(Left));
  }
  // The deadline: what the children sent before is kept; they are killed.
  for (unsigned C = 0; C < Children.size(); ++C) {
    if (Children[C].W->ended())
      continue;
    Children[C].W->kill();
    Pump(C);
  }
  return Error::success();
}
