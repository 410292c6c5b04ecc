// Exit codes that need no working broker: usage errors (2), help and
// version (0), nothing listening (3); and a refusal (1).
#include "cli_test_support.hpp"
#include "daemon.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace chatbus::ctest {
namespace {

/// A loopback port bound but not listening: connecting to it is refused,
/// and no other test can take it while this exists.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot bind a loopback port");
    }
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;             ///< the bound socket
  std::uint16_t port_ = 0;  ///< its port
};

TEST(CliUsage, BadArgumentsExitTwo) {
  const std::vector<std::vector<std::string>> cases{
      {},
      {"nosuchcommand"},
      {"pub"},
      {"sub"},
      {"--bogus", "ping"},
      {"--addr", "nonsense", "ping"},
      {"--addr", "127.0.0.1:0", "ping"},
      {"--timeout", "0", "ping"},
      {"--timeout", "soon", "ping"},
      {"ping", "--count", "0"},
      {"sub", "t", "--json", "--human"},
      {"sub", "t", "--count", "-1"},
      {"stats", "--limit", "0"},
      {"--token", "two words", "ping"},
      {"--token-file", "/nonexistent/token", "ping"},
  };
  for (const auto& args : cases) {
    auto result = run_cli(args);
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    EXPECT_EQ(result.exit_code, 2) << shown << "\n" << result.err;
    EXPECT_FALSE(result.err.empty()) << shown;
  }
}

TEST(CliUsage, AMultiLinePayloadMustBeValidJson) {
  RefusingPort nobody;  // never reached: the payload is checked first
  auto result = run_cli(with(addr_args(nobody.port()), {"pub", "t", "{\n\"a\": "}));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("not valid JSON"), std::string::npos) << result.err;
}

TEST(CliUsage, HelpAndVersionExitZero) {
  auto help = run_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Usage: chatbus"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("Exit codes"), std::string::npos) << help.out;
  auto version = run_cli({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, std::string("chatbus ") + CHATBUS_VERSION + "\n");
  auto sub_help = run_cli({"sub", "--help"});
  EXPECT_EQ(sub_help.exit_code, 0);
  EXPECT_NE(sub_help.out.find("--no-reconnect"), std::string::npos) << sub_help.out;
}

TEST(CliUsage, NothingListeningExitsThree) {
  RefusingPort nobody;
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"ping"}, {"pub", "t", "{}"}, {"sub", "t"}, {"sub", "--no-reconnect", "t"}}) {
    auto result = run_cli(with(addr_args(nobody.port()), command));
    EXPECT_EQ(result.exit_code, 3) << command.front() << "\n" << result.err;
    EXPECT_NE(result.err.find("cannot connect to 127.0.0.1:" + std::to_string(nobody.port())), std::string::npos)
        << result.err;
  }
}

TEST(CliUsage, StatsWithNothingListeningExitsThree) {
  RefusingPort nobody;
  auto result = run_cli({"stats", "--admin-addr", "127.0.0.1:" + std::to_string(nobody.port())});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("cannot connect to http://127.0.0.1:"), std::string::npos) << result.err;
}

TEST(CliUsage, StatsPointedAtTheProtocolPortSaysSo) {
  itest::Daemon daemon;
  auto result = run_cli({"stats", "--admin-addr", "127.0.0.1:" + std::to_string(daemon.port())});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("is not an HTTP endpoint"), std::string::npos) << result.err;
}

TEST(CliUsage, AddressComesFromTheEnvironmentAndTheFlagWins) {
  itest::Daemon daemon;
  const std::string good = "CHATBUS_ADDR=127.0.0.1:" + std::to_string(daemon.port());
  EXPECT_EQ(run_cli({"ping", "--count", "1"}, {}, {good}).exit_code, 0);
  RefusingPort nobody;
  auto flag_wins = run_cli(with(addr_args(nobody.port()), {"ping"}), {}, {good});
  EXPECT_EQ(flag_wins.exit_code, 3) << flag_wins.err;
}

TEST(CliUsage, ARefusedCommandExitsOneAndPrintsTheError) {
  itest::Daemon daemon;
  auto pub = run_cli(with(addr_args(daemon.port()), {"pub", "bad/topic", "{}"}));
  EXPECT_EQ(pub.exit_code, 1);
  EXPECT_NE(pub.err.find("ERR bad_topic"), std::string::npos) << pub.err;
  auto sub = run_cli(with(addr_args(daemon.port()), {"sub", "ok", "bad*pattern"}));
  EXPECT_EQ(sub.exit_code, 1);
  EXPECT_NE(sub.err.find("SUB bad*pattern: ERR bad_topic"), std::string::npos) << sub.err;
}

}  // namespace
}  // namespace chatbus::ctest
