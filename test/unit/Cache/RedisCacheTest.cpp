//===- RedisCacheTest.cpp - The Redis cache against a real server ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Runs against a redis-server that each test starts on 127.0.0.1 and kills at
// the end. Skips, with a message, when redis-server is not installed or the
// build has no Redis support. The backend-independent behaviour is tested in
// CacheTest.cpp.
//
//===----------------------------------------------------------------------===//

#include "CacheTestUtil.h"
#include "LoopbackRedis.h"

#include <functional>
#include <thread>

using namespace llvm;
using namespace neuropt;
using namespace neuropt::testing;

namespace {

class RedisCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (!hasRedisSupport())
      GTEST_SKIP() << "neuropt was built without Redis support (hiredis not "
                      "found); the Redis backend is not tested";
    std::string Server = findRedisServer();
    if (Server.empty())
      GTEST_SKIP() << "redis-server is not installed (apt-get install "
                      "redis-server); the Redis backend is not tested";
    Error E = Redis.start(Server, Dir.Path);
    ASSERT_FALSE(static_cast<bool>(E)) << toString(std::move(E));
  }

  CacheOptions options() {
    CacheOptions O = collectingOptions(Warnings);
    O.ConnectTimeoutMs = 500;
    O.CommandTimeoutMs = 500;
    return O;
  }

  ScratchDir Dir;
  LoopbackRedis Redis;
  std::vector<std::string> Warnings;
};

TEST_F(RedisCacheTest, KeysLiveUnderThePrefix) {
  ASSERT_OK_AND_ASSIGN(C, createCache(Redis.url(), options()));
  ASSERT_OK_AND_ASSIGN(P, C->put("abc123", makeRewrite("%r = xor i8 %x, -1")));
  EXPECT_TRUE(P);
  Expected<std::string> Keys = rawRedisCommand(Redis.port(), {"KEYS", "*"});
  ASSERT_TRUE(static_cast<bool>(Keys)) << toString(Keys.takeError());
  EXPECT_NE(Keys->find("neuropt:synth:v1:abc123"), std::string::npos) << *Keys;

  // Another prefix is another cache on the same server.
  CacheOptions Other = options();
  Other.RedisKeyPrefix = "team-b:";
  ASSERT_OK_AND_ASSIGN(C2, createCache(Redis.url(), Other));
  ASSERT_OK_AND_ASSIGN(G, C2->get("abc123"));
  EXPECT_FALSE(G.has_value());
  ASSERT_OK_AND_ASSIGN(N, C2->size());
  EXPECT_EQ(N, 0u);
}

TEST_F(RedisCacheTest, DatabaseNumberSelectsADatabase) {
  ASSERT_OK_AND_ASSIGN(C3, createCache(Redis.url() + "/3", options()));
  EXPECT_EQ(C3->describe(), Redis.url() + "/3");
  ASSERT_OK_AND_ASSIGN(P, C3->put("k", makeRewrite("R")));
  EXPECT_TRUE(P);
  ASSERT_OK_AND_ASSIGN(C0, createCache(Redis.url(), options()));
  ASSERT_OK_AND_ASSIGN(G0, C0->get("k"));
  EXPECT_FALSE(G0.has_value());
  ASSERT_OK_AND_ASSIGN(G3, C3->get("k"));
  EXPECT_TRUE(G3.has_value());
  // A database the server does not have is refused at connect time.
  Expected<std::unique_ptr<SynthesisCache>> Bad =
      createCache(Redis.url() + "/999", options());
  ASSERT_FALSE(static_cast<bool>(Bad));
  EXPECT_NE(toString(Bad.takeError()).find("SELECT"), std::string::npos);
}

TEST_F(RedisCacheTest, DamagedValueIsRejected) {
  ASSERT_OK_AND_ASSIGN(C, createCache(Redis.url(), options()));
  ASSERT_OK_AND_ASSIGN(P, C->put("victim", makeRewrite("%r = shl i32 %x, 1")));
  EXPECT_TRUE(P);
  std::string Key = "neuropt:synth:v1:victim";
  Expected<std::string> Raw = rawRedisCommand(Redis.port(), {"GET", Key});
  ASSERT_TRUE(static_cast<bool>(Raw)) << toString(Raw.takeError());
  // "$<len>\r\n<value>\r\n": flip one bit inside the RHS.
  size_t Start = Raw->find("\r\n") + 2;
  std::string Value = Raw->substr(Start, Raw->size() - Start - 2);
  size_t At = Value.find("shl");
  ASSERT_NE(At, std::string::npos);
  Value[At] ^= 0x01;
  ASSERT_TRUE(static_cast<bool>(
      rawRedisCommand(Redis.port(), {"SET", Key, Value})));

  ASSERT_OK_AND_ASSIGN(G, C->get("victim"));
  EXPECT_FALSE(G.has_value());
  EXPECT_EQ(C->stats().Rejected, 1u);
  ASSERT_EQ(Warnings.size(), 1u);
  EXPECT_NE(Warnings[0].find("checksum mismatch"), std::string::npos)
      << Warnings[0];
  // The damaged value was deleted.
  Expected<std::string> After = rawRedisCommand(Redis.port(), {"EXISTS", Key});
  ASSERT_TRUE(static_cast<bool>(After));
  EXPECT_EQ(*After, ":0\r\n");

  // A value moved to another key is rejected too.
  ASSERT_OK_AND_ASSIGN(P2, C->put("a", makeRewrite("RA")));
  EXPECT_TRUE(P2);
  Expected<std::string> RawA =
      rawRedisCommand(Redis.port(), {"GET", "neuropt:synth:v1:a"});
  ASSERT_TRUE(static_cast<bool>(RawA));
  size_t S = RawA->find("\r\n") + 2;
  ASSERT_TRUE(static_cast<bool>(rawRedisCommand(
      Redis.port(),
      {"SET", "neuropt:synth:v1:b", RawA->substr(S, RawA->size() - S - 2)})));
  ASSERT_OK_AND_ASSIGN(GB, C->get("b"));
  EXPECT_FALSE(GB.has_value());
  ASSERT_OK_AND_ASSIGN(GA, C->get("a"));
  EXPECT_TRUE(GA.has_value());

  // Garbage from some other program under our prefix.
  ASSERT_TRUE(static_cast<bool>(rawRedisCommand(
      Redis.port(), {"SET", "neuropt:synth:v1:c", "hello"})));
  ASSERT_OK_AND_ASSIGN(GC, C->get("c"));
  EXPECT_FALSE(GC.has_value());
  EXPECT_EQ(C->stats().Rejected, 3u);
}

TEST_F(RedisCacheTest, ServerGoingAwayIsAnErrorNotACrash) {
  ASSERT_OK_AND_ASSIGN(C, createCache(Redis.url(), options()));
  ASSERT_OK_AND_ASSIGN(P, C->put("k", makeRewrite("R")));
  EXPECT_TRUE(P);
  Redis.stop();

  Expected<std::optional<CacheEntry>> G = C->get("k");
  ASSERT_FALSE(static_cast<bool>(G));
  std::string Msg = toString(G.takeError());
  EXPECT_NE(Msg.find("127.0.0.1:" + std::to_string(Redis.port())),
            std::string::npos)
      << Msg;
  // Later calls keep failing cleanly (without reconnecting every time).
  Expected<bool> P2 = C->put("k2", makeRewrite("R"));
  EXPECT_FALSE(static_cast<bool>(P2));
  consumeError(P2.takeError());
  Expected<bool> E = C->erase("k");
  EXPECT_FALSE(static_cast<bool>(E));
  consumeError(E.takeError());
  Expected<uint64_t> N = C->size();
  EXPECT_FALSE(static_cast<bool>(N));
  consumeError(N.takeError());
  EXPECT_GE(C->stats().Errors, 4u);
}

TEST_F(RedisCacheTest, ReconnectsAfterTheServerReturns) {
  ASSERT_OK_AND_ASSIGN(C, createCache(Redis.url(), options()));
  // Kill the connection from the server side.
  ASSERT_TRUE(static_cast<bool>(rawRedisCommand(
      Redis.port(), {"CLIENT", "KILL", "TYPE", "normal"})));
  Expected<bool> P = C->put("k", makeRewrite("R"));
  if (!P) {
    // The first command after the kill may see the closed connection.
    consumeError(P.takeError());
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    P = C->put("k", makeRewrite("R"));
  }
  ASSERT_TRUE(static_cast<bool>(P)) << toString(P.takeError());
  EXPECT_TRUE(*P);
  ASSERT_OK_AND_ASSIGN(G, C->get("k"));
  EXPECT_TRUE(G.has_value());
}

TEST_F(RedisCacheTest, PasswordFromTheURL) {
  LoopbackRedis Locked;
  Error E = Locked.start(findRedisServer(), Dir.Path, "s3cret-pw");
  ASSERT_FALSE(static_cast<bool>(E)) << toString(std::move(E));
  std::string HostPort = "127.0.0.1:" + std::to_string(Locked.port());

  Expected<std::unique_ptr<SynthesisCache>> NoPw =
      createCache("redis://" + HostPort, options());
  ASSERT_FALSE(static_cast<bool>(NoPw));
  std::string Msg = toString(NoPw.takeError());
  EXPECT_NE(Msg.find("NOAUTH"), std::string::npos) << Msg;

  Expected<std::unique_ptr<SynthesisCache>> WrongPw =
      createCache("redis://:nope@" + HostPort, options());
  ASSERT_FALSE(static_cast<bool>(WrongPw));
  Msg = toString(WrongPw.takeError());
  EXPECT_NE(Msg.find("refused AUTH"), std::string::npos) << Msg;
  EXPECT_EQ(Msg.find("nope"), std::string::npos) << "password leaked: " << Msg;

  ASSERT_OK_AND_ASSIGN(C, createCache("redis://:s3cret-pw@" + HostPort + "/2",
                                      options()));
  EXPECT_EQ(C->describe().find("s3cret"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(P, C->put("k", makeRewrite("R")));
  EXPECT_TRUE(P);
  ASSERT_OK_AND_ASSIGN(G, C->get("k"));
  EXPECT_TRUE(G.has_value());
}

/// A TCP listener on 127.0.0.1 that accepts connections and then does what
/// \p Serve says with each.
class FakeServer {
public:
  explicit FakeServer(std::function<void(int)> Serve) {
    FD = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in A{};
    A.sin_family = AF_INET;
    A.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t Len = sizeof(A);
    if (FD < 0 || ::bind(FD, reinterpret_cast<sockaddr *>(&A), sizeof(A)) ||
        ::listen(FD, 4) ||
        ::getsockname(FD, reinterpret_cast<sockaddr *>(&A), &Len))
      return;
    Port = ntohs(A.sin_port);
    Thread = std::thread([this, Serve] {
      int Conn;
      while ((Conn = ::accept(FD, nullptr, nullptr)) >= 0) {
        Serve(Conn);
        ::close(Conn);
      }
    });
  }
  ~FakeServer() {
    ::shutdown(FD, SHUT_RDWR);
    ::close(FD);
    if (Thread.joinable())
      Thread.join();
  }
  unsigned Port = 0;

private:
  int FD = -1;
  std::thread Thread;
};

} // namespace

TEST(RedisUnavailableTest, NothingListeningIsAClearError) {
  unsigned Port = pickFreeLoopbackPort();
  ASSERT_NE(Port, 0u);
  CacheOptions O;
  O.ConnectTimeoutMs = 500;
  std::string URL = "redis://127.0.0.1:" + std::to_string(Port);
  Expected<std::unique_ptr<SynthesisCache>> C = createCache(URL, O);
  ASSERT_FALSE(static_cast<bool>(C));
  std::string Msg = toString(C.takeError());
  if (hasRedisSupport()) {
    EXPECT_NE(Msg.find("cannot connect to the Redis cache at 127.0.0.1:" +
                       std::to_string(Port)),
              std::string::npos)
        << Msg;
  } else {
    EXPECT_NE(Msg.find("built without Redis support"), std::string::npos)
        << Msg;
  }
}

TEST(RedisUnavailableTest, NonRedisServiceIsAClearError) {
  FakeServer SSH([](int Conn) {
    const char Banner[] = "SSH-2.0-OpenSSH_9.6\r\n";
    (void)::write(Conn, Banner, sizeof(Banner) - 1);
    char Buf[256];
    (void)::read(Conn, Buf, sizeof(Buf));
  });
  ASSERT_NE(SSH.Port, 0u);
  CacheOptions O;
  O.ConnectTimeoutMs = 500;
  O.CommandTimeoutMs = 500;
  Expected<std::unique_ptr<SynthesisCache>> C =
      createCache("redis://127.0.0.1:" + std::to_string(SSH.Port), O);
  ASSERT_FALSE(static_cast<bool>(C));
  std::string Msg = toString(C.takeError());
  EXPECT_NE(Msg.find("Redis"), std::string::npos) << Msg;
}

TEST(RedisUnavailableTest, SilentServerTimesOutInsteadOfHanging) {
  // Accepts, reads, never answers: a stalled server or a black hole.
  FakeServer Silent([](int Conn) {
    char Buf[256];
    while (::read(Conn, Buf, sizeof(Buf)) > 0) {
    }
  });
  ASSERT_NE(Silent.Port, 0u);
  CacheOptions O;
  O.ConnectTimeoutMs = 300;
  O.CommandTimeoutMs = 300;
  Expected<std::unique_ptr<SynthesisCache>> C =
      createCache("redis://127.0.0.1:" + std::to_string(Silent.Port), O);
  ASSERT_FALSE(static_cast<bool>(C));
  std::string Msg = toString(C.takeError());
  if (hasRedisSupport())
    EXPECT_NE(Msg.find("no reply within 300 ms"), std::string::npos) << Msg;
  else
    EXPECT_NE(Msg.find("built without Redis support"), std::string::npos)
        << Msg;
}
