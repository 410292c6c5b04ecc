// pub, sub and ping against a real chatbusd.
#include "cli_test_support.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace chatbus::ctest {
namespace {

using itest::Daemon;

TEST(CliPubSub, PubThenSubReceivesItAsJsonLines) {
  Daemon daemon;
  CliProcess sub(with(addr_args(daemon.port()), {"sub", "chat:stream:*", "--count", "2", "--json"}));
  ASSERT_TRUE(sub.wait_for_err(subscribed_line("chat:stream:*"))) << sub.err();
  const std::string topic = itest::stream_topic(itest::uuid_upper);
  auto first = run_cli(with(addr_args(daemon.port()), {"pub", topic, R"({"status":"running","queue_update":false})"}));
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "1\n");  // queued to one subscription
  auto second = run_cli(with(addr_args(daemon.port()), {"pub", topic, R"({"after_message_id":42})"}));
  EXPECT_EQ(second.exit_code, 0) << second.err;
  ASSERT_EQ(sub.wait_exit(), 0) << sub.err();
  auto events = json_lines(sub.out());
  ASSERT_EQ(events.size(), 2u) << sub.out();
  const std::string canonical = itest::stream_topic(itest::uuid_lower);
  EXPECT_EQ(events[0].at("type"), "msg");
  EXPECT_EQ(events[0].at("topic"), canonical.c_str());
  EXPECT_EQ(events[0].at("seq"), 1);
  EXPECT_EQ(boost::json::serialize(events[0].at("payload")), R"({"status":"running"})");
  EXPECT_EQ(events[1].at("seq"), 2);
  EXPECT_EQ(events[1].at("payload").at("after_message_id"), 42);
}

TEST(CliPubSub, SubWritesJsonWhenStdoutIsNotATerminalAndHumanWhenAsked) {
  Daemon daemon;
  CliProcess json_sub(with(addr_args(daemon.port()), {"sub", "t", "--count", "1"}));
  CliProcess human_sub(with(addr_args(daemon.port()), {"sub", "t", "--count", "1", "--human"}));
  ASSERT_TRUE(json_sub.wait_for_err(subscribed_line("t"))) << json_sub.err();
  ASSERT_TRUE(human_sub.wait_for_err(subscribed_line("t"))) << human_sub.err();
  EXPECT_EQ(run_cli(with(addr_args(daemon.port()), {"pub", "t", R"({"a": [1, 2]})"})).out, "2\n");
  ASSERT_EQ(json_sub.wait_exit(), 0);
  ASSERT_EQ(human_sub.wait_exit(), 0);
  EXPECT_EQ(json_sub.out(), R"({"type":"msg","topic":"t","seq":1,"payload":{"a":[1,2]}})" "\n");
  EXPECT_TRUE(std::regex_match(human_sub.out(), std::regex(R"(\d\d:\d\d:\d\d\.\d{3} t #1 \{"a":\[1,2\]\}\n)")))
      << human_sub.out();
}

TEST(CliPubSub, AMultiLinePayloadArgumentIsSentAsOneLine) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  itest::subscribe(subscriber, "t");
  auto result = run_cli(with(addr_args(daemon.port()), {"pub", "t", "{\n  \"a\": 1,\n  \"b\": \"x\"\n}\n"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(subscriber.next_push(), R"(MSG t 1 {"a":1,"b":"x"})");
}

TEST(CliPubSub, PubFromStdinPipelinesEveryLineAndReportsTheBadOne) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  itest::subscribe(subscriber, "t");
  constexpr int lines = 500;
  constexpr int bad_line = 123;
  std::string input;
  for (int i = 1; i <= lines; ++i) {
    input += i == bad_line ? std::string("{\"n\": oops}") : R"({"n":)" + std::to_string(i) + "}";
    input += i == 250 ? "\r\n\n   \n" : "\n";  // CRLF and blank lines are fine
  }
  auto result = run_cli(with(addr_args(daemon.port()), {"pub", "t", "--window", "16"}), input);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.out, "acknowledged 499 of 500\n");
  EXPECT_NE(result.err.find("chatbus: line 123: ERR bad_payload"), std::string::npos) << result.err;
  EXPECT_EQ(lines_of(result.err).size(), 1u) << result.err;
  // Every other line arrived, in order, once.
  std::uint64_t seq = 0;
  for (int i = 1; i <= lines; ++i) {
    if (i == bad_line) continue;
    auto msg = itest::as_msg(subscriber.next_push());
    EXPECT_EQ(msg.seq, ++seq);
    ASSERT_EQ(msg.json, R"({"n":)" + std::to_string(i) + "}");
  }
  EXPECT_TRUE(subscriber.barrier().empty());
}

TEST(CliPubSub, PubFromStdinWithOnlyGoodLinesExitsZero) {
  Daemon daemon;
  std::string input;
  for (int i = 0; i < 1000; ++i) input += R"({"i":)" + std::to_string(i) + "}\n";
  auto result = run_cli(with(addr_args(daemon.port()), {"pub", "t"}), input);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "acknowledged 1000 of 1000\n");
  // The daemon counted them: the next one takes seq 1001.
  auto subscriber = daemon.connect();
  itest::subscribe(subscriber, "t");
  EXPECT_EQ(itest::publish(subscriber, "t", "{}"), "OK 1");
  EXPECT_EQ(itest::as_msg(subscriber.next_push()).seq, 1001u);
}

TEST(CliPing, ReportsEachRoundTripAndTheSpread) {
  Daemon daemon;
  auto result = run_cli(with(addr_args(daemon.port()), {"ping", "--count", "4"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 5u) << result.out;
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(std::regex_match(lines[i], std::regex("PONG from 127\\.0\\.0\\.1:[0-9]+: seq=" +
                                                      std::to_string(i + 1) + " time=[0-9]+\\.[0-9]{3} ms")))
        << lines[i];
  }
  EXPECT_TRUE(std::regex_match(lines[4], std::regex("4 round trips to 127\\.0\\.0\\.1:[0-9]+ \\(node [0-9a-f]+\\): "
                                                    "min [0-9.]+ ms, median [0-9.]+ ms, max [0-9.]+ ms")))
      << lines[4];
  EXPECT_TRUE(daemon.wait_for_log("closed: quit", std::chrono::seconds(10))) << daemon.log();
}

}  // namespace
}  // namespace chatbus::ctest
