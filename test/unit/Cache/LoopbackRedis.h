//===- LoopbackRedis.h - A throwaway redis-server on 127.0.0.1 --*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Starts a private redis-server for the cache tests and benchmarks: bound to
// 127.0.0.1 on a free port, with persistence off, in a scratch directory, and
// killed when the object dies. Also a minimal RESP client, so that tests can
// tamper with stored values behind the cache's back without linking hiredis.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TEST_UNIT_CACHE_LOOPBACKREDIS_H
#define NEUROPT_TEST_UNIT_CACHE_LOOPBACKREDIS_H

#include "neuropt/Cache/Cache.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <netinet/in.h>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace neuropt {
namespace testing {

/// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
inline unsigned pickFreeLoopbackPort() {
  int FD = ::socket(AF_INET, SOCK_STREAM, 0);
  if (FD < 0)
    return 0;
  sockaddr_in A{};
  A.sin_family = AF_INET;
  A.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  A.sin_port = 0;
  socklen_t Len = sizeof(A);
  unsigned Port = 0;
  if (::bind(FD, reinterpret_cast<sockaddr *>(&A), sizeof(A)) == 0 &&
      ::getsockname(FD, reinterpret_cast<sockaddr *>(&A), &Len) == 0)
    Port = ntohs(A.sin_port);
  ::close(FD);
  return Port;
}

/// redis-server from $NEUROPT_REDIS_SERVER, PATH or /usr/bin; empty when
/// none is installed.
inline std::string findRedisServer() {
  if (std::optional<std::string> Env =
          llvm::sys::Process::GetEnv("NEUROPT_REDIS_SERVER");
      Env && !Env->empty())
    return *Env;
  if (llvm::ErrorOr<std::string> P =
          llvm::sys::findProgramByName("redis-server"))
    return *P;
  if (llvm::sys::fs::can_execute("/usr/bin/redis-server"))
    return "/usr/bin/redis-server";
  return "";
}

/// Sends one command over RESP and returns the raw reply text.
inline llvm::Expected<std::string>
rawRedisCommand(unsigned Port, llvm::ArrayRef<std::string> Args) {
  int FD = ::socket(AF_INET, SOCK_STREAM, 0);
  if (FD < 0)
    return llvm::createStringError(std::strerror(errno));
  sockaddr_in A{};
  A.sin_family = AF_INET;
  A.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  A.sin_port = htons(Port);
  if (::connect(FD, reinterpret_cast<sockaddr *>(&A), sizeof(A)) != 0) {
    std::string Why = std::strerror(errno);
    ::close(FD);
    return llvm::createStringError("connect: " + Why);
  }
  std::string Req = "*" + std::to_string(Args.size()) + "\r\n";
  for (const std::string &S : Args)
    Req += "$" + std::to_string(S.size()) + "\r\n" + S + "\r\n";
  for (size_t Off = 0; Off < Req.size();) {
    ssize_t N = ::write(FD, Req.data() + Off, Req.size() - Off);
    if (N <= 0) {
      ::close(FD);
      return llvm::createStringError("write failed");
    }
    Off += N;
  }
  ::shutdown(FD, SHUT_WR);
  std::string Reply;
  char Buf[4096];
  ssize_t N;
  while ((N = ::read(FD, Buf, sizeof(Buf))) > 0)
    Reply.append(Buf, N);
  ::close(FD);
  return Reply;
}

/// A redis-server child process on 127.0.0.1.
class LoopbackRedis {
public:
  LoopbackRedis() = default;
  LoopbackRedis(const LoopbackRedis &) = delete;
  LoopbackRedis &operator=(const LoopbackRedis &) = delete;
  ~LoopbackRedis() { stop(); }

  /// Starts \p Server with its files in \p Dir and waits until it answers
  /// PING (with \p Password when the server requires one).
  llvm::Error start(const std::string &Server, const std::string &Dir,
                    const std::string &Password = "") {
    std::string Last;
    for (int Attempt = 0; Attempt < 5; ++Attempt) {
      Port = pickFreeLoopbackPort();
      if (Port == 0)
        return llvm::createStringError("no free loopback port");
      std::string PortText = std::to_string(Port);
      std::string Log = Dir + "/redis-" + PortText + ".log";
      std::vector<std::string> Args = {
          Server,  "--bind",         "127.0.0.1", "--port",    PortText,
          "--save", "",              "--appendonly", "no",     "--daemonize",
          "no",    "--dir",          Dir,         "--logfile", Log,
          "--protected-mode", "yes"};
      if (!Password.empty()) {
        Args.push_back("--requirepass");
        Args.push_back(Password);
      }
      Pid = ::fork();
      if (Pid < 0)
        return llvm::createStringError("fork: " +
                                       std::string(std::strerror(errno)));
      if (Pid == 0) {
        std::vector<char *> Argv;
        for (std::string &S : Args)
          Argv.push_back(S.data());
        Argv.push_back(nullptr);
        ::execv(Server.c_str(), Argv.data());
        ::_exit(127);
      }
      auto Deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (std::chrono::steady_clock::now() < Deadline) {
        int Status;
        if (::waitpid(Pid, &Status, WNOHANG) == Pid) {
          Pid = -1;
          Last = "redis-server exited early (see " + Log + ")";
          break;
        }
        CacheOptions Quick;
        Quick.ConnectTimeoutMs = 200;
        Quick.RedisPassword = Password;
        if (hasRedisSupport()) {
          llvm::Expected<std::unique_ptr<SynthesisCache>> C =
              createRedisCache("127.0.0.1", Port, 0, Quick);
          if (C)
            return llvm::Error::success();
          Last = llvm::toString(C.takeError());
        } else {
          llvm::Expected<std::string> R = rawRedisCommand(Port, {"PING"});
          if (R && (R->rfind("+PONG", 0) == 0 || R->rfind("-NOAUTH", 0) == 0))
            return llvm::Error::success();
          Last = R ? *R : llvm::toString(R.takeError());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      stop();
    }
    return llvm::createStringError("redis-server did not start: " + Last);
  }

  /// Kills the server and reaps it.
  void stop() {
    if (Pid <= 0)
      return;
    ::kill(Pid, SIGTERM);
    for (int I = 0; I < 500; ++I) {
      int Status;
      if (::waitpid(Pid, &Status, WNOHANG) == Pid) {
        Pid = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(Pid, SIGKILL);
    int Status;
    ::waitpid(Pid, &Status, 0);
    Pid = -1;
  }

  unsigned port() const { return Port; }
  std::string url() const {
    return "redis://127.0.0.1:" + std::to_string(Port);
  }

private:
  pid_t Pid = -1;
  unsigned Port = 0;
};

} // namespace testing
} // namespace neuropt

#endif // NEUROPT_TEST_UNIT_CACHE_LOOPBACKREDIS_H
