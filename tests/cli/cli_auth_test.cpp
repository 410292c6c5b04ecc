// --token, CHATBUS_TOKEN and --token-file against a daemon with
// --auth-token: success, and exit code 4 when authentication fails.
#include "cli_test_support.hpp"
#include "daemon.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace chatbus::ctest {
namespace {

using itest::Daemon;

const std::vector<std::string> token_flags{"--auth-token", "s3cret"};

/// A file holding `text`, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/chatbus-cli-token-XXXXXX";
    int fd = ::mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    path_ = name;
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;  ///< the file
};

TEST(CliAuth, TheRightTokenWorksFromFlagEnvironmentAndFile) {
  Daemon daemon(token_flags);
  auto flag = run_cli(with(addr_args(daemon.port()), {"--token", "s3cret", "pub", "t", "{}"}));
  EXPECT_EQ(flag.exit_code, 0) << flag.err;
  auto env = run_cli(with(addr_args(daemon.port()), {"pub", "t", "{}"}), {}, {"CHATBUS_TOKEN=s3cret"});
  EXPECT_EQ(env.exit_code, 0) << env.err;
  TempFile file("s3cret\n");
  auto from_file = run_cli(with(addr_args(daemon.port()), {"--token-file", file.path(), "pub", "t", "{}"}));
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  // The file beats a wrong token in the environment.
  auto file_wins = run_cli(with(addr_args(daemon.port()), {"--token-file", file.path(), "ping", "--count", "1"}), {},
                           {"CHATBUS_TOKEN=wrong"});
  EXPECT_EQ(file_wins.exit_code, 0) << file_wins.err;
}

TEST(CliAuth, AWrongTokenExitsFour) {
  Daemon daemon(token_flags);
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"pub", "t", "{}"}, {"ping"}, {"sub", "t"}, {"pub", "t"}}) {
    auto result = run_cli(with(with(addr_args(daemon.port()), {"--token", "wrong"}), command),
                          "{}\n");
    EXPECT_EQ(result.exit_code, 4) << command.front() << "\n" << result.err;
    EXPECT_NE(result.err.find("authentication failed: AUTH: ERR unauthorized"), std::string::npos) << result.err;
  }
}

TEST(CliAuth, NoTokenWhereOneIsNeededExitsFour) {
  Daemon daemon(token_flags);
  auto pub = run_cli(with(addr_args(daemon.port()), {"pub", "t", "{}"}));
  EXPECT_EQ(pub.exit_code, 4) << pub.err;
  EXPECT_NE(pub.err.find("authentication failed: PUB: ERR unauthorized"), std::string::npos) << pub.err;
  auto piped = run_cli(with(addr_args(daemon.port()), {"pub", "t"}), "{}\n{}\n");
  EXPECT_EQ(piped.exit_code, 4) << piped.err;
  auto sub = run_cli(with(addr_args(daemon.port()), {"sub", "t"}));
  EXPECT_EQ(sub.exit_code, 4) << sub.err;
  // PING needs no authentication (PROTOCOL.md, AUTH).
  EXPECT_EQ(run_cli(with(addr_args(daemon.port()), {"ping", "--count", "1"})).exit_code, 0);
}

}  // namespace
}  // namespace chatbus::ctest
