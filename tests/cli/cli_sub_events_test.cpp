// sub beyond plain delivery: DROPPED, reconnecting after a daemon restart,
// --no-reconnect, a BYE it did not ask for, and SIGINT/SIGTERM.
#include "cli_test_support.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <optional>

namespace chatbus::ctest {
namespace {

using itest::Daemon;

std::string node_of(const Daemon& daemon) {
  auto client = daemon.connect();
  auto hello = boost::json::parse(client.command("HELLO").substr(3)).as_object();
  return std::string(hello.at("node").as_string());
}

TEST(CliSubEvents, DroppedMessagesAreReportedAndCountedExactly) {
  // A tiny queue limit, and big payloads to fill the kernel's socket
  // buffers while the subscriber is stopped.
  Daemon daemon({"--max-pending", "1KiB", "--max-line", "512KiB", "--slow-consumer-timeout", "10m"});
  CliProcess sub(with(addr_args(daemon.port()), {"sub", "t", "--json"}));
  ASSERT_TRUE(sub.wait_for_err(subscribed_line("t"))) << sub.err();
  sub.send_signal(SIGSTOP);
  auto publisher = daemon.connect();
  const std::string payload = R"({"pad":")" + std::string(256 * 1024, 'x') + R"("})";
  std::uint64_t published = 0;
  std::uint64_t skipped = 0;
  // `OK 0`: the server skipped it for the stopped subscriber.
  while (skipped < 3 && published < 1000) {
    const std::string reply = itest::publish(publisher, "t", payload);
    ++published;
    if (reply == "OK 0") ++skipped;
    else ASSERT_EQ(reply, "OK 1");
  }
  ASSERT_EQ(skipped, 3u) << "no message was skipped after " << published;
  sub.send_signal(SIGCONT);
  ASSERT_TRUE(sub.wait_for_out(R"("type":"dropped")")) << sub.err();
  // Drained below half the limit: the next one is delivered again.
  EXPECT_EQ(itest::publish(publisher, "t", R"({"last":true})"), "OK 1");
  ASSERT_TRUE(sub.wait_for_out(R"("payload":{"last":true})")) << sub.err();
  sub.send_signal(SIGTERM);
  EXPECT_EQ(sub.wait_exit(), 0) << sub.err();

  std::uint64_t delivered = 0;
  std::uint64_t dropped = 0;
  std::uint64_t last_seq = 0;
  for (const auto& event : json_lines(sub.out())) {
    if (event.at("type") == "dropped") {
      EXPECT_EQ(event.at("topic"), "t");
      dropped += event.at("count").to_number<std::uint64_t>();
    } else {
      ASSERT_EQ(event.at("type"), "msg");
      const auto seq = event.at("seq").to_number<std::uint64_t>();
      EXPECT_GT(seq, last_seq);
      last_seq = seq;
      if (event.at("payload").as_object().contains("last")) {
        EXPECT_EQ(seq, published + 1);
        EXPECT_EQ(dropped, skipped) << "DROPPED came before the message after it";
      } else {
        ++delivered;
      }
    }
  }
  EXPECT_EQ(dropped, skipped);
  EXPECT_EQ(delivered + dropped, published);
}

TEST(CliSubEvents, ReconnectsToARestartedDaemonAndResubscribes) {
  std::optional<Daemon> first(std::in_place);
  const std::uint16_t port = first->port();
  const std::string first_node = node_of(*first);
  CliProcess sub(with(addr_args(port), {"sub", "t", "--json", "--count", "1", "--retry-max", "200ms"}));
  ASSERT_TRUE(sub.wait_for_err(subscribed_line("t"))) << sub.err();
  first.reset();  // SIGTERM: BYE shutdown to every client
  ASSERT_TRUE(sub.wait_for_out(R"({"type":"bye","reason":"shutdown"})")) << sub.out() << sub.err();
  Daemon second({"--port", std::to_string(port)});
  ASSERT_TRUE(sub.wait_for_out(R"("type":"reconnected")")) << sub.out() << sub.err();
  auto publisher = second.connect();
  EXPECT_EQ(itest::publish(publisher, "t", R"({"after":"restart"})"), "OK 1");
  ASSERT_EQ(sub.wait_exit(), 0) << sub.err();

  auto events = json_lines(sub.out());
  ASSERT_EQ(events.size(), 3u) << sub.out();
  EXPECT_EQ(events[0].at("type"), "bye");
  EXPECT_EQ(events[1].at("type"), "reconnected");
  EXPECT_EQ(events[1].at("previous_node"), first_node.c_str());
  EXPECT_EQ(events[1].at("node"), node_of(second).c_str());
  EXPECT_EQ(events[1].at("node_changed"), true);
  EXPECT_EQ(events[1].at("may_have_missed"), true);
  EXPECT_EQ(events[2].at("type"), "msg");
  EXPECT_EQ(events[2].at("seq"), 1);
  EXPECT_EQ(events[2].at("payload").at("after"), "restart");
}

TEST(CliSubEvents, WithoutReconnectALostConnectionExitsThree) {
  std::optional<Daemon> daemon(std::in_place);
  CliProcess sub(with(addr_args(daemon->port()), {"sub", "t", "--no-reconnect"}));
  ASSERT_TRUE(sub.wait_for_err(subscribed_line("t"))) << sub.err();
  daemon.reset();
  EXPECT_EQ(sub.wait_exit(), 3) << sub.err();
  EXPECT_EQ(sub.out(), R"({"type":"bye","reason":"shutdown"})" "\n");
  EXPECT_NE(sub.err().find("BYE shutdown"), std::string::npos) << sub.err();
}

TEST(CliSubEvents, AByeItDidNotAskForExitsOne) {
  Daemon daemon({"--idle-timeout", "200ms"});
  auto result = run_cli(with(addr_args(daemon.port()), {"sub", "t"}));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.out, R"({"type":"bye","reason":"idle_timeout"})" "\n");
  EXPECT_NE(result.err.find("BYE idle_timeout"), std::string::npos) << result.err;
}

TEST(CliSubEvents, SigintAndSigtermSayQuitAndExitZero) {
  for (int signal : {SIGINT, SIGTERM}) {
    Daemon daemon;
    CliProcess sub(with(addr_args(daemon.port()), {"sub", "t"}));
    ASSERT_TRUE(sub.wait_for_err(subscribed_line("t"))) << sub.err();
    sub.send_signal(signal);
    EXPECT_EQ(sub.wait_exit(), 0) << sub.err();
    // The connection ended with QUIT, not by just closing.
    EXPECT_TRUE(daemon.wait_for_log("closed: quit", std::chrono::seconds(10))) << daemon.log();
  }
}

}  // namespace
}  // namespace chatbus::ctest
