// Pipelined replies, HELLO, PING and QUIT (PROTOCOL.md: Replies and pushes,
// Commands).
#include "test_support.hpp"

#include <boost/json.hpp>

namespace chatbus::itest {
namespace {

TEST(Replies, PipelinedCommandsAreAnsweredInOrder) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("PING 1\nSUB a\nFOO\nPING 2\nUNSUB a\nUNSUB a\nPUB a {}\nPING 3\n");
  EXPECT_EQ(client.read_reply(), "PONG 1");
  EXPECT_EQ(client.read_reply(), "OK a");
  EXPECT_TRUE(is_err(client.read_reply(), "bad_command"));
  EXPECT_EQ(client.read_reply(), "PONG 2");
  EXPECT_EQ(client.read_reply(), "OK a");
  EXPECT_TRUE(is_err(client.read_reply(), "not_subscribed"));
  EXPECT_EQ(client.read_reply(), "OK 0");
  EXPECT_EQ(client.read_reply(), "PONG 3");
  EXPECT_TRUE(client.pushes().empty()) << joined(client.take_pushes());
}

TEST(Replies, ThousandsOfPipelinedPingsAnsweredInOrder) {
  Daemon daemon;
  auto client = daemon.connect();
  constexpr int count = 5000;
  std::string batch;
  for (int i = 0; i < count; ++i) batch += "PING " + std::to_string(i) + "\n";
  client.send_raw(batch);
  for (int i = 0; i < count; ++i) ASSERT_EQ(client.read_reply(), "PONG " + std::to_string(i));
}

boost::json::object hello(LineClient& client) {
  std::string reply = client.command("HELLO");
  if (reply.rfind("OK ", 0) != 0) throw std::runtime_error("HELLO got: " + reply);
  return boost::json::parse(reply.substr(3)).as_object();
}

TEST(Hello, ReplyIsOneLineOfJsonWithTheDocumentedFields) {
  Daemon daemon;
  auto client = daemon.connect();
  auto info = hello(client);
  EXPECT_EQ(info.at("server"), "chatbusd");
  ASSERT_TRUE(info.at("version").is_string());
  EXPECT_FALSE(info.at("version").as_string().empty());
  EXPECT_EQ(info.at("proto").to_number<int>(), 1);
  ASSERT_TRUE(info.at("node").is_string());
  EXPECT_FALSE(info.at("node").as_string().empty());
  EXPECT_EQ(info.at("max_line").to_number<std::int64_t>(), 65536);
  EXPECT_EQ(info.at("max_subs").to_number<std::int64_t>(), 10000);
  EXPECT_TRUE(client.pushes().empty());
}

TEST(Hello, NodeIsTheSameForEveryConnection) {
  Daemon daemon;
  auto first = daemon.connect();
  auto second = daemon.connect();
  auto node = hello(first).at("node");
  EXPECT_EQ(hello(second).at("node"), node);
  EXPECT_EQ(hello(first).at("node"), node);
}

TEST(Hello, NodeDiffersAfterARestart) {
  std::string first_node;
  {
    Daemon daemon;
    auto client = daemon.connect();
    first_node = hello(client).at("node").as_string().c_str();
  }
  Daemon restarted;
  auto client = restarted.connect();
  EXPECT_NE(hello(client).at("node").as_string().c_str(), first_node);
}

TEST(Hello, MaxLineAndMaxSubsReflectTheFlags) {
  Daemon daemon({"--max-line", "4096", "--max-subs", "7"});
  auto client = daemon.connect();
  auto info = hello(client);
  EXPECT_EQ(info.at("max_line").to_number<std::int64_t>(), 4096);
  EXPECT_EQ(info.at("max_subs").to_number<std::int64_t>(), 7);
}

TEST(Hello, SizeSuffixFlagIsReportedInBytes) {
  Daemon daemon({"--max-line", "8KiB"});
  auto client = daemon.connect();
  EXPECT_EQ(hello(client).at("max_line").to_number<std::int64_t>(), 8192);
}

TEST(Hello, IsOptional) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("SUB t"), "OK t");
  EXPECT_EQ(client.command("PUB t {}"), "OK 1");
}

TEST(Ping, WithoutTextRepliesBarePong) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("PING"), "PONG");
}

TEST(Ping, EchoesTheRestOfTheLineByteForByte) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("PING a  b\t c  "), "PONG a  b\t c  ");
  EXPECT_EQ(client.command("PING \t  lead"), "PONG lead");
  EXPECT_EQ(client.command("PING {\"json\": [1, 2]} * : \xc3\xa9\xe2\x82\xac"),
            "PONG {\"json\": [1, 2]} * : \xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(client.command("PING ERR OK PONG MSG"), "PONG ERR OK PONG MSG");
}

TEST(Ping, TrailingBlanksBeforeCrLfAreEchoed) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("PING x \t \r\n");
  EXPECT_EQ(client.read_reply(), "PONG x \t ");
}

TEST(Ping, NulByteIsEchoed) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw(std::string_view("PING a\0b\n", 9));
  EXPECT_EQ(client.read_reply(), std::string("PONG a\0b", 8));
}

TEST(Ping, OnlyBlanksAfterVerbRepliesBarePong) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("PING  \t "), "PONG");
}

TEST(Quit, RepliesOkThenByeQuitThenEof) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_line("QUIT");
  EXPECT_EQ(client.read_reply(), "OK");
  EXPECT_EQ(client.next_push(), "BYE quit");
  client.expect_eof();
  EXPECT_TRUE(client.pushes().empty()) << joined(client.take_pushes());
}

TEST(Quit, LaterLinesGetNoReply) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("QUIT\nPING late\nSUB t\nFOO\n");
  EXPECT_EQ(client.read_reply(), "OK");
  EXPECT_EQ(client.next_push(), "BYE quit");
  // expect_eof fails on any reply, so the three later lines got none.
  client.expect_eof();
  EXPECT_TRUE(client.pushes().empty()) << joined(client.take_pushes());
}

TEST(Quit, InputAfterByeIsDiscardedWithoutReset) {
  Daemon daemon;
  auto client = daemon.connect();
  // Input still arriving after BYE must not make the server reset the
  // connection: the client reads a clean EOF after every reply.
  std::string flood = "QUIT\n";
  for (int i = 0; i < 4000; ++i) flood += "PING after quit " + std::to_string(i) + "\n";
  client.send_raw(flood);
  EXPECT_EQ(client.read_reply(), "OK");
  EXPECT_EQ(client.next_push(), "BYE quit");
  client.send_raw("PING still writing after BYE\n");
  client.expect_eof();
}

TEST(Quit, QueuedMessagesArriveBeforeTheBye) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "t");
  for (int i = 1; i <= 100; ++i) ASSERT_EQ(publish(publisher, "t", "{}"), "OK 1");
  // Nothing read yet: the 100 MSGs are queued ahead of the QUIT's reply.
  subscriber.send_line("QUIT");
  EXPECT_EQ(subscriber.read_reply(), "OK");
  auto pushes = subscriber.take_pushes();
  ASSERT_EQ(pushes.size(), 100u);
  for (std::uint64_t i = 0; i < 100; ++i) EXPECT_EQ(as_msg(pushes[i]).seq, i + 1);
  EXPECT_EQ(subscriber.next_push(), "BYE quit");
  subscriber.expect_eof();
}

TEST(Quit, WithArgumentsIsBadCommand) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_TRUE(is_err(client.command("QUIT now"), "bad_command"));
  EXPECT_EQ(client.command("PING alive"), "PONG alive");
}

}  // namespace
}  // namespace chatbus::itest
