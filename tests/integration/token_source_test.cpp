// Where tokens come from (docs/auth.md): the token file, the environment,
// the command line (with a warning), and that no log line ever shows one.
#include <sys/wait.h>

#include "auth_support.hpp"

namespace chatbus::itest {
namespace {

bool exited_with(const Exited& run, int code) { return WIFEXITED(run.status) && WEXITSTATUS(run.status) == code; }

TEST(TokenFile, EntriesAuthenticateWithTheirGrants) {
  TestFiles files;
  Daemon daemon({"--auth-token-file", files.write("tokens", "# readers\r\n\r\nui-gateway sub=chat:\r\n  replica\r\n")});
  auto ui = daemon.connect();
  EXPECT_TRUE(is_err(ui.command("AUTH ui-gateway sub=chat:"), "bad_command"));  // the token alone
  ASSERT_EQ(ui.command("AUTH ui-gateway"), "OK");
  subscribe(ui, "chat:x");
  EXPECT_TRUE(is_err(publish(ui, "chat:x", "{}"), "unauthorized"));
  auto replica = daemon.connect();
  ASSERT_EQ(replica.command("AUTH replica"), "OK");
  EXPECT_EQ(publish(replica, "chat:x", "{}"), "OK 1");
  EXPECT_TRUE(is_err(daemon.connect().command("AUTH readers"), "unauthorized"));  // a comment is no token
}

TEST(TokenFile, BadLineStopsStartupNamingFileAndLineButNotTheToken) {
  TestFiles files;
  const std::string path = files.write("tokens", "good-sekrit\n# comment\n\nbad-sekrit pub=chat:,a/b\n");
  const Exited run = run_to_exit({"--auth-token-file", path});
  EXPECT_TRUE(exited_with(run, 2)) << Daemon::describe_status(run.status) << "\n" << run.output;
  EXPECT_NE(run.output.find(path + ":4: "), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("sekrit"), std::string::npos) << run.output;
}

TEST(TokenFile, MissingFileStopsStartup) {
  TestFiles files;
  const Exited run = run_to_exit({}, {"CHATBUS_AUTH_TOKEN_FILE=" + files.path("absent")});
  EXPECT_TRUE(exited_with(run, 2)) << Daemon::describe_status(run.status) << "\n" << run.output;
  EXPECT_NE(run.output.find(files.path("absent") + ": cannot be read"), std::string::npos) << run.output;
}

TEST(TokenFile, ComesFromTheEnvironmentToo) {
  TestFiles files;
  Daemon daemon({}, {"CHATBUS_AUTH_TOKEN_FILE=" + files.write("tokens", "env-file-token pub=a:\n")});
  auto client = daemon.connect();
  ASSERT_EQ(client.command("AUTH env-file-token"), "OK");
  EXPECT_EQ(publish(client, "a:1", "{}"), "OK 0");
  EXPECT_TRUE(is_err(publish(client, "b:1", "{}"), "unauthorized"));
}

TEST(EnvironmentTokens, OneEntryPerLineWithPermissions) {
  Daemon daemon({}, {"CHATBUS_AUTH_TOKEN=env-reader sub=a:\nenv-writer pub=a:"});
  auto reader = daemon.connect();
  ASSERT_EQ(reader.command("AUTH env-reader"), "OK");
  subscribe(reader, "a:1");
  EXPECT_TRUE(is_err(publish(reader, "a:1", "{}"), "unauthorized"));
  auto writer = daemon.connect();
  ASSERT_EQ(writer.command("AUTH env-writer"), "OK");
  EXPECT_EQ(publish(writer, "a:1", "{}"), "OK 1");
  EXPECT_EQ(as_msg(reader.next_push()).topic, "a:1");
  EXPECT_EQ(daemon.log().find("--auth-token, where"), std::string::npos) << daemon.log();
}

TEST(CommandLineTokens, StillWorkAndAreWarnedAboutOnce) {
  Daemon daemon({"--auth-token", "flag-token sub=a:", "--auth-token", "other"});
  auto client = daemon.connect();
  ASSERT_EQ(client.command("AUTH flag-token"), "OK");
  EXPECT_TRUE(is_err(publish(client, "a:1", "{}"), "unauthorized"));
  const std::string log = daemon.log();
  EXPECT_EQ(count_of(log, "auth tokens were given with --auth-token"), 1u) << log;
}

// Startup, AUTH that works and fails, reloads that work and fail, a
// disconnect, all at the most verbose level: no line holds a token.
TEST(TokenLogging, NoLogLineEverShowsAToken) {
  TestFiles files;
  const std::string config = files.write("chatbusd.toml", "log_level = \"trace\"\n");
  const std::string tokens = files.write("tokens", "file-sekrit-1 sub=a:\n");
  Daemon daemon({"--config", config, "--auth-token-file", tokens, "--auth-token", "flag-sekrit-2"},
                {"CHATBUS_AUTH_TOKEN=env-sekrit-3"});  // the flag wins; must not show either
  {
    auto client = daemon.connect();
    EXPECT_TRUE(is_err(client.command("AUTH wrong-sekrit-4"), "unauthorized"));
    ASSERT_EQ(client.command("AUTH file-sekrit-1"), "OK");
    EXPECT_TRUE(is_err(publish(client, "a:1", "{}"), "unauthorized"));
    files.write("tokens", "file-sekrit-5 pub=a:\n");
    ASSERT_TRUE(reloaded(daemon, 2)) << daemon.log();
    EXPECT_TRUE(is_err(client.command("SUB a:1"), "unauthorized"));  // its token is gone
    files.write("tokens", "file-sekrit-6 pub=a:/x\n");
    ASSERT_TRUE(reload_failed(daemon, 1)) << daemon.log();
    files.write("tokens", "file-sekrit-7 pub=a:\nfile-sekrit-7\n");
    ASSERT_TRUE(reload_failed(daemon, 2)) << daemon.log();
    client.send_line("QUIT");
    EXPECT_EQ(client.read_reply(), "OK");
    EXPECT_EQ(client.next_push(), "BYE quit");
    client.expect_eof();
  }
  ASSERT_TRUE(daemon.wait_for_log(" closed: quit", std::chrono::seconds(10))) << daemon.log();
  const std::string log = daemon.log();
  EXPECT_NE(log.find("no longer authenticated"), std::string::npos) << log;
  EXPECT_EQ(log.find("sekrit"), std::string::npos) << log;
}

}  // namespace
}  // namespace chatbus::itest
