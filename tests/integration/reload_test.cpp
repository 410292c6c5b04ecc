// Reload on SIGHUP (docs/auth.md, "Reload"): tokens, permissions, limits and
// the log level change without dropping a connection; an invalid config
// keeps the running one whole; what needs a restart is warned about.
#include "auth_support.hpp"

namespace chatbus::itest {
namespace {

class Reload : public ::testing::Test {
 protected:
  /// Starts the daemon on a config file and a token file (both rewritable).
  void start(const std::string& config, const std::string& tokens, std::vector<std::string> flags = {}) {
    flags.insert(flags.end(), {"--config", files_.write("chatbusd.toml", config)});
    if (!tokens.empty()) flags.insert(flags.end(), {"--auth-token-file", files_.write("tokens", tokens)});
    daemon_.emplace(flags);
  }
  LineClient as(std::string_view token) {
    LineClient client = daemon_->connect();
    EXPECT_EQ(client.command("AUTH " + std::string(token)), "OK") << token;
    return client;
  }
  void write_config(const std::string& text) { files_.write("chatbusd.toml", text); }
  void write_tokens(const std::string& text) { files_.write("tokens", text); }
  std::string log() const { return daemon_->log(); }

  TestFiles files_;
  std::optional<Daemon> daemon_;
};

TEST_F(Reload, AddedTokenWorksAndExistingConnectionsKeepTheirSubscriptions) {
  start("", "old-token\n");
  auto old_client = as("old-token");
  subscribe(old_client, "t");
  write_tokens("old-token\nnew-token pub=t\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_NE(log().find("config reloaded (generation 2): auth tokens or permissions (2 token(s), were 1)"),
            std::string::npos)
      << log();
  auto new_client = as("new-token");
  EXPECT_EQ(publish(new_client, "t", "{\"n\":1}"), "OK 1");
  EXPECT_EQ(as_msg(old_client.next_push()).json, "{\"n\":1}");
  EXPECT_EQ(publish(old_client, "t", "{\"n\":2}"), "OK 1");  // still a bare token
  EXPECT_TRUE(is_err(new_client.command("SUB t"), "unauthorized"));
}

TEST_F(Reload, RemovedTokenLeavesItsSessionUnauthenticatedButConnected) {
  start("", "doomed\nkept\n");
  auto doomed = as("doomed");
  subscribe(doomed, "t");
  auto kept = as("kept");
  write_tokens("kept\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_EQ(publish(doomed, "t", "{}"), "ERR unauthorized authenticate first with AUTH <token>");
  EXPECT_TRUE(is_err(doomed.command("SUB u"), "unauthorized"));
  // Its subscription stays until UNSUB or disconnect: it still receives.
  EXPECT_EQ(publish(kept, "t", "{\"still\":true}"), "OK 1");
  EXPECT_EQ(as_msg(doomed.next_push()).json, "{\"still\":true}");
  EXPECT_EQ(doomed.command("PING alive"), "PONG alive");
  EXPECT_TRUE(is_err(doomed.command("AUTH doomed"), "unauthorized"));
  ASSERT_EQ(doomed.command("AUTH kept"), "OK");
  EXPECT_EQ(publish(doomed, "t", "{}"), "OK 1");
  EXPECT_TRUE(doomed.barrier().size() == 1) << joined(doomed.take_pushes());  // its own MSG, no BYE
}

TEST_F(Reload, ARevokedTokenIsClosedAfterAuthTimeoutUnlessItAuthenticatesAgain) {
  start("auth_timeout = \"300ms\"\n", "revoked\nkept\n");
  auto revoked = as("revoked");
  subscribe(revoked, "t");
  auto kept = as("kept");
  write_tokens("kept\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  // It no longer may stay subscribed for ever on a revoked token.
  EXPECT_EQ(revoked.next_push(), "BYE auth_timeout");
  revoked.expect_eof();
  // The connection whose token stayed is untouched.
  EXPECT_EQ(kept.command("PING still"), "PONG still");
}

TEST_F(Reload, ChangedPermissionsApplyFromTheNextCommand) {
  start("", "tok pub=a:\n");
  auto client = as("tok");
  EXPECT_EQ(publish(client, "a:1", "{}"), "OK 0");
  write_tokens("tok pub=b: sub=a:\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_TRUE(is_err(publish(client, "a:1", "{}"), "unauthorized"));
  EXPECT_EQ(publish(client, "b:1", "{}"), "OK 0");
  subscribe(client, "a:*");
}

TEST_F(Reload, TokensAddedToAnOpenDaemonRequireAuthFromExistingConnections) {
  start("", "");
  auto client = daemon_->connect();
  subscribe(client, "t");
  write_config("auth_token = [\"added reader\"]\n");  // an entry with a blank: invalid
  ASSERT_TRUE(reload_failed(*daemon_, 1)) << log();
  EXPECT_EQ(publish(client, "t", "{}"), "OK 1");
  write_config("auth_token = [\"added sub=t\"]\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_EQ(as_msg(client.next_push()).seq, 1u);
  EXPECT_TRUE(is_err(publish(client, "t", "{}"), "unauthorized"));
  ASSERT_EQ(client.command("AUTH added"), "OK");
  subscribe(client, "t");
}

TEST_F(Reload, MaxSubsIsEnforcedOnTheNextSub) {
  start("max_subs = 3\n", "");
  auto client = daemon_->connect();
  subscribe(client, "a");
  subscribe(client, "b");
  write_config("max_subs = 2\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_NE(log().find("max_subs 3 -> 2"), std::string::npos) << log();
  EXPECT_TRUE(is_err(client.command("SUB c"), "too_many_subscriptions"));
  EXPECT_NE(client.command("HELLO").find("\"max_subs\":2"), std::string::npos);
  subscribe(client, "a");  // again: changes nothing, still OK
}

TEST_F(Reload, IdleTimeoutAppliesToExistingConnections) {
  start("", "");
  auto client = daemon_->connect();
  EXPECT_EQ(client.command("PING"), "PONG");
  write_config("idle_timeout = \"200ms\"\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_EQ(client.next_push(), "BYE idle_timeout");
  client.expect_eof();
}

TEST_F(Reload, LogLevelChanges) {
  start("log_level = \"info\"\n", "");
  auto before = daemon_->connect();
  EXPECT_EQ(before.command("PING"), "PONG");
  ASSERT_TRUE(daemon_->wait_for_log("connection 1 from", std::chrono::seconds(10))) << log();
  write_config("log_level = \"warn\"\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();  // logged at info still: it says so
  EXPECT_NE(log().find("log_level info -> warn"), std::string::npos) << log();
  auto after = daemon_->connect();
  EXPECT_EQ(after.command("PING"), "PONG");  // its connection line would be written by now
  write_config("log_level = \"chatty\"\n");
  ASSERT_TRUE(reload_failed(*daemon_, 1)) << log();  // an error: still shown
  EXPECT_EQ(log().find("connection 2 from"), std::string::npos) << log();
  EXPECT_NE(log().find("--log-level: \"chatty\" is not a log level"), std::string::npos) << log();
}

TEST_F(Reload, InvalidConfigKeepsTheRunningOneWhole) {
  start("max_subs = 1\n", "old-token\n");
  write_config("max_subs = 5\nmax_line = \"lots\"\n");
  ASSERT_TRUE(reload_failed(*daemon_, 1)) << log();
  EXPECT_NE(log().find("config reload failed, keeping the running configuration: --max-line"),
            std::string::npos)
      << log();
  write_config("max_subs = 5\n");
  write_tokens("new-token\nbroken pub=a/b\n");
  ASSERT_TRUE(reload_failed(*daemon_, 2)) << log();
  EXPECT_NE(log().find(files_.path("tokens") + ":2: "), std::string::npos) << log();
  write_tokens("new-token\n");
  files_.write("chatbusd.toml", "max_subs = 5\nno_such_key = 1\n");
  ASSERT_TRUE(reload_failed(*daemon_, 3)) << log();
  EXPECT_EQ(count_of(log(), "config reloaded"), 0u) << log();
  auto client = as("old-token");  // neither file's new tokens took effect
  EXPECT_TRUE(is_err(daemon_->connect().command("AUTH new-token"), "unauthorized"));
  subscribe(client, "a");
  EXPECT_TRUE(is_err(client.command("SUB b"), "too_many_subscriptions"));  // nor max_subs
}

TEST_F(Reload, SettingThatNeedsARestartIsWarnedAboutAndTheRestApplied) {
  start("threads = 1\n", "");
  auto client = daemon_->connect();
  subscribe(client, "a");
  write_config("threads = 2\nmax_subs = 1\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_NE(log().find("config reload: threads changed but only take(s) effect after a restart"),
            std::string::npos)
      << log();
  EXPECT_NE(log().find("config reloaded (generation 2): max_subs 10000 -> 1"), std::string::npos) << log();
  EXPECT_TRUE(is_err(client.command("SUB b"), "too_many_subscriptions"));
}

TEST_F(Reload, FlagsStillBeatTheFile) {
  start("max_subs = 1\n", "", {"--max-subs", "2"});
  auto client = daemon_->connect();
  write_config("max_subs = 5\nmax_bad_lines = 7\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_NE(log().find("config reloaded (generation 2): max_bad_lines 16 -> 7"), std::string::npos) << log();
  subscribe(client, "a");
  subscribe(client, "b");
  EXPECT_TRUE(is_err(client.command("SUB c"), "too_many_subscriptions"));
}

// Connections on both threads, publishing across them while the settings
// change under them (a case for the tsan preset): nothing is lost or reordered.
TEST_F(Reload, TrafficAcrossThreadsFlowsOnDuringReloads) {
  start("max_subs = 10\n", "pub-token pub=t\nsub-token sub=t\n", {"--threads", "2"});
  auto subscriber = as("sub-token");
  subscribe(subscriber, "t");
  auto publisher = as("pub-token");
  constexpr int rounds = 3, per_round = 100;
  for (int round = 0; round < rounds; ++round) {
    std::string batch;
    for (int i = 0; i < per_round; ++i) batch += "PUB t {\"i\":" + std::to_string(i) + "}\n";
    publisher.send_raw(batch);
    write_config("max_subs = " + std::to_string(11 + round) + "\n");
    ASSERT_TRUE(reloaded(*daemon_, static_cast<std::uint64_t>(round) + 2)) << log();
    for (int i = 0; i < per_round; ++i) ASSERT_EQ(publisher.read_reply(), "OK 1");
  }
  for (std::uint64_t seq = 1; seq <= rounds * per_round; ++seq) {
    ASSERT_EQ(as_msg(subscriber.next_push()).seq, seq);
  }
}

TEST_F(Reload, NothingChangedSaysSo) {
  start("max_subs = 1\n", "t\n");
  ASSERT_TRUE(reloaded(*daemon_, 2)) << log();
  EXPECT_NE(log().find("config reloaded (generation 2): nothing changed"), std::string::npos) << log();
  ASSERT_TRUE(reloaded(*daemon_, 3)) << log();
}

}  // namespace
}  // namespace chatbus::itest
