// AUTH and auth_timeout (PROTOCOL.md: Commands, Framing, Errors and closing).
#include "test_support.hpp"

namespace chatbus::itest {
namespace {

const std::vector<std::string> two_tokens{"--auth-token", "s3cret-one", "--auth-token", "s3cret-two"};

std::vector<std::string> with(std::vector<std::string> flags, std::initializer_list<std::string> more) {
  flags.insert(flags.end(), more);
  return flags;
}

TEST(Auth, EveryOtherLineIsUnauthorizedBeforeAuth) {
  Daemon daemon(with(two_tokens, {"--max-bad-lines", "0"}));
  auto client = daemon.connect();
  for (std::string_view line : {"SUB t", "UNSUB t", "PUB t {}", "SUB", "PUB", "SUB a b c", "FOO", "FOO bar",
                                "sub t", "MSG t 1 {}", "SUB bad/topic", "PUB t [1]"}) {
    EXPECT_TRUE(is_err(client.command(line), "unauthorized")) << line;
  }
}

TEST(Auth, UnauthorizedLinesHaveNoEffect) {
  Daemon daemon(two_tokens);
  auto intruder = daemon.connect();
  auto member = daemon.connect();
  ASSERT_EQ(member.command("AUTH s3cret-one"), "OK");
  subscribe(member, "t");
  EXPECT_TRUE(is_err(intruder.command("SUB t"), "unauthorized"));
  EXPECT_TRUE(is_err(intruder.command("PUB t {}"), "unauthorized"));
  EXPECT_TRUE(member.barrier().empty());
  EXPECT_EQ(member.command("PUB t {}"), "OK 1");  // the intruder's SUB did not count
  // ...and its PUB took no sequence number.
  EXPECT_EQ(as_msg(member.next_push()).seq, 1u);
}

TEST(Auth, HelloPingAndQuitWorkBeforeAuth) {
  Daemon daemon(two_tokens);
  auto client = daemon.connect();
  EXPECT_EQ(client.command("HELLO").rfind("OK {", 0), 0u);
  EXPECT_EQ(client.command("PING before auth"), "PONG before auth");
  client.send_line("QUIT");
  EXPECT_EQ(client.read_reply(), "OK");
  EXPECT_EQ(client.next_push(), "BYE quit");
  client.expect_eof();
}

TEST(Auth, EachConfiguredTokenIsAccepted) {
  Daemon daemon(two_tokens);
  for (std::string token : {"s3cret-one", "s3cret-two"}) {
    auto client = daemon.connect();
    EXPECT_EQ(client.command("AUTH " + token), "OK");
    EXPECT_EQ(client.command("SUB " + token), "OK " + token);
    EXPECT_EQ(client.command("PUB " + token + " {}"), "OK 1");
  }
}

TEST(Auth, VerbIsCaseInsensitiveButTokenIsNot) {
  Daemon daemon(two_tokens);
  auto client = daemon.connect();
  EXPECT_TRUE(is_err(client.command("AUTH S3CRET-ONE"), "unauthorized"));
  EXPECT_EQ(client.command("auth \t s3cret-one"), "OK");
}

TEST(Auth, WrongTokenIsUnauthorized) {
  Daemon daemon(two_tokens);
  auto client = daemon.connect();
  for (std::string_view token : {"nope", "s3cret-on", "s3cret-one-", "s3cret-ones3cret-two"}) {
    EXPECT_TRUE(is_err(client.command("AUTH " + std::string(token)), "unauthorized")) << token;
  }
  EXPECT_TRUE(is_err(client.command("SUB t"), "unauthorized"));
}

TEST(Auth, FailedAuthLeavesAnEarlierSuccessInForce) {
  Daemon daemon(two_tokens);
  auto client = daemon.connect();
  ASSERT_EQ(client.command("AUTH s3cret-two"), "OK");
  EXPECT_TRUE(is_err(client.command("AUTH wrong"), "unauthorized"));
  EXPECT_EQ(client.command("SUB t"), "OK t");
}

TEST(Auth, AuthIsOkWithNoTokensConfigured) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("AUTH anything"), "OK");
  EXPECT_EQ(client.command("SUB t"), "OK t");
  auto other = daemon.connect();
  EXPECT_EQ(other.command("SUB t"), "OK t");  // no AUTH needed at all
}

TEST(Auth, FramingComesFirstBeforeAuth) {
  Daemon daemon(with(two_tokens, {"--max-line", "1024"}));
  auto client = daemon.connect();
  // The blank lines get no reply: the first reply is the SUB's.
  client.send_raw("\n   \t\r\nSUB t\n");
  EXPECT_TRUE(is_err(client.read_reply(), "unauthorized"));
  EXPECT_TRUE(is_err(client.command("SUB " + std::string(2000, 'a')), "line_too_long"));
  EXPECT_TRUE(is_err(client.command(std::string(1030, ' ')), "line_too_long"));
  EXPECT_EQ(client.command("AUTH s3cret-one"), "OK");
}

TEST(AuthTimeout, UnauthenticatedConnectionGetsByeAuthTimeout) {
  Daemon daemon(with(two_tokens, {"--auth-timeout", "200ms"}));
  auto started = Clock::now();
  auto client = daemon.connect();
  EXPECT_EQ(client.next_push(), "BYE auth_timeout");
  auto elapsed = Clock::now() - started;
  EXPECT_GE(elapsed, std::chrono::milliseconds(150)) << "BYE came absurdly early";
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  client.expect_eof();
}

TEST(AuthTimeout, CountsFromConnectNotFromTheLastLine) {
  Daemon daemon(with(two_tokens, {"--auth-timeout", "300ms"}));
  auto client = daemon.connect();
  // Keep the connection busy with lines that are allowed before AUTH: the
  // deadline must still fire. The loop ends on the BYE (or the read deadline).
  for (int round = 0;; ++round) {
    client.send_line("PING busy");
    auto line = client.read_line();
    ASSERT_TRUE(line) << "EOF without BYE";
    if (*line == "BYE auth_timeout") break;
    ASSERT_EQ(*line, "PONG busy");
    ASSERT_LT(round, 1'000'000);
  }
  client.expect_eof();
}

TEST(AuthTimeout, AuthenticatedConnectionIsNotClosed) {
  Daemon daemon(with(two_tokens, {"--auth-timeout", "200ms"}));
  auto authenticated = daemon.connect();
  ASSERT_EQ(authenticated.command("AUTH s3cret-one"), "OK");
  // A connection made later gets its BYE later: by then the first one's
  // deadline has passed too, without effect.
  auto clock = daemon.connect();
  EXPECT_EQ(clock.next_push(), "BYE auth_timeout");
  EXPECT_EQ(authenticated.command("PING still here"), "PONG still here");
  EXPECT_TRUE(authenticated.pushes().empty()) << joined(authenticated.take_pushes());
}

TEST(AuthTimeout, AppliesOnlyWithTokensConfigured) {
  Daemon open_daemon({"--auth-timeout", "200ms"});
  Daemon clock_daemon(with(two_tokens, {"--auth-timeout", "200ms"}));
  auto client = open_daemon.connect();
  // Same timeout on a daemon with tokens serves as the clock.
  auto clock = clock_daemon.connect();
  EXPECT_EQ(clock.next_push(), "BYE auth_timeout");
  EXPECT_EQ(client.command("PING still here"), "PONG still here");
  EXPECT_TRUE(client.pushes().empty()) << joined(client.take_pushes());
}

TEST(AuthTimeout, ZeroMeansNever) {
  Daemon never(with(two_tokens, {"--auth-timeout", "0"}));
  Daemon clock_daemon(with(two_tokens, {"--auth-timeout", "200ms"}));
  auto client = never.connect();
  auto clock = clock_daemon.connect();
  EXPECT_EQ(clock.next_push(), "BYE auth_timeout");
  EXPECT_EQ(client.command("PING still here"), "PONG still here");
  EXPECT_TRUE(client.pushes().empty()) << joined(client.take_pushes());
}

}  // namespace
}  // namespace chatbus::itest
