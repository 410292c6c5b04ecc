// Malformed commands and the ERR reply (PROTOCOL.md: Commands, Errors and
// closing).
#include "test_support.hpp"

namespace chatbus::itest {
namespace {

// Each malformed line must be answered ERR bad_command; the connection lives.
void expect_bad_commands(LineClient& client, std::initializer_list<std::string_view> lines) {
  for (std::string_view line : lines) {
    EXPECT_TRUE(is_err(client.command(line), "bad_command")) << "line: '" << line << "'";
    // A good line between the bad ones keeps max_bad_lines out of play.
    EXPECT_EQ(client.command("PING ok"), "PONG ok");
  }
}

TEST(Commands, UnknownVerbIsBadCommand) {
  Daemon daemon;
  auto client = daemon.connect();
  expect_bad_commands(client, {"FOO", "FOO bar baz", "SUBSCRIBE t", "PINGX", "PUBLISH t {}",
                               "MSG t 1 {}", "DROPPED t 1", "BYE quit", "OK", "PONG", "ERR x y",
                               "{\"json\":1}", "*", "S UB t"});
}

TEST(Commands, MissingArgumentsAreBadCommand) {
  Daemon daemon;
  auto client = daemon.connect();
  expect_bad_commands(client, {"SUB", "SUB  \t ", "UNSUB", "UNSUB \t", "PUB", "PUB t", "PUB t  \t ", "AUTH",
                               "AUTH   "});
}

TEST(Commands, ExtraArgumentsAreBadCommand) {
  Daemon daemon;
  auto client = daemon.connect();
  expect_bad_commands(client, {"SUB a b", "SUB a\tb", "UNSUB a b", "HELLO there", "QUIT now",
                               "AUTH token extra"});
}

TEST(Commands, ExtraArgumentsWithoutSubscriptionsChangeNothing) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_TRUE(is_err(client.command("SUB a b"), "bad_command"));
  // Neither `a` nor `b` got subscribed by the rejected line.
  EXPECT_TRUE(is_err(client.command("UNSUB a"), "not_subscribed"));
  EXPECT_TRUE(is_err(client.command("UNSUB b"), "not_subscribed"));
}

TEST(Errors, ErrCarriesCodeAndHumanReadableMessage) {
  Daemon daemon;
  auto client = daemon.connect();
  std::string reply = client.command("FOO");
  ASSERT_TRUE(is_err(reply, "bad_command"));
  EXPECT_GT(reply.size(), std::string("ERR bad_command ").size() + 2) << reply;
}

TEST(Errors, OneErrNeverClosesTheConnection) {
  Daemon daemon;
  auto client = daemon.connect();
  // Every kind of client mistake once, each followed by a working command.
  EXPECT_TRUE(is_err(client.command("NOPE"), "bad_command"));
  EXPECT_EQ(client.command("PING 1"), "PONG 1");
  EXPECT_TRUE(is_err(client.command("SUB a/b"), "bad_topic"));
  EXPECT_EQ(client.command("PING 2"), "PONG 2");
  EXPECT_TRUE(is_err(client.command("PUB a [1]"), "bad_payload"));
  EXPECT_EQ(client.command("PING 3"), "PONG 3");
  EXPECT_TRUE(is_err(client.command("UNSUB a"), "not_subscribed"));
  EXPECT_EQ(client.command("PING 4"), "PONG 4");
  EXPECT_TRUE(is_err(client.command("PING " + std::string(70000, 'x')), "line_too_long"));
  EXPECT_EQ(client.command("PING 5"), "PONG 5");
  EXPECT_TRUE(client.pushes().empty()) << joined(client.take_pushes());
}

TEST(Errors, SeveralErrsInARowBelowTheLimitDoNotClose) {
  Daemon daemon;  // default max_bad_lines is 16
  auto client = daemon.connect();
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(is_err(client.command("NOPE"), "bad_command"));
  EXPECT_EQ(client.command("PING alive"), "PONG alive");
}

}  // namespace
}  // namespace chatbus::itest
