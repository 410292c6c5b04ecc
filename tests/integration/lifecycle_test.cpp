// Connection lifecycle: half-close, abrupt disconnects, garbage input,
// graceful shutdown and startup (PROTOCOL.md: Framing, Errors and closing).
#include "test_support.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <random>

namespace chatbus::itest {
namespace {

TEST(Startup, PortZeroLogsTheRealPort) {
  Daemon daemon;
  EXPECT_NE(daemon.port(), 0);
  EXPECT_NE(daemon.log().find("listening on 127.0.0.1:" + std::to_string(daemon.port())), std::string::npos);
  auto client = daemon.connect();
  EXPECT_EQ(client.command("PING"), "PONG");
}

TEST(HalfClose, CommandsSentBeforeHalfClosingAreAnswered) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("PING one\nSUB t\nBAD\nPING two\n");
  client.shutdown_write();
  EXPECT_EQ(client.read_reply(), "PONG one");
  EXPECT_EQ(client.read_reply(), "OK t");
  EXPECT_TRUE(is_err(client.read_reply(), "bad_command"));
  EXPECT_EQ(client.read_reply(), "PONG two");
}

TEST(HalfClose, SubscriptionsKeepStreamingUntilTheClientCloses) {
  Daemon daemon;
  auto listener = daemon.connect();
  auto publisher = daemon.connect();
  // What `echo 'SUB chat:stream:*' | nc -N host 7420` does.
  listener.send_raw("SUB chat:stream:*\n");
  listener.shutdown_write();
  EXPECT_EQ(listener.read_reply(), "OK chat:stream:*");
  for (int i = 1; i <= 50; ++i) {
    std::string payload = R"({"after_message_id":)" + std::to_string(i) + "}";
    ASSERT_EQ(publish(publisher, stream_topic(uuid_upper), payload), "OK 1") << "message " << i;
    Msg msg = as_msg(listener.next_push());
    EXPECT_EQ(msg.topic, stream_topic(uuid_lower));
    EXPECT_EQ(msg.json, payload);
  }
  listener.close();
  EXPECT_EQ(publisher.command("PING"), "PONG");
}

TEST(HalfClose, IncompleteLastLineIsNotACommand) {
  Daemon daemon;
  auto listener = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(listener, "t");
  publisher.send_raw("PING first\nPUB t {}");  // no LF: not a line
  publisher.shutdown_write();
  EXPECT_EQ(publisher.read_reply(), "PONG first");
  publisher.expect_eof();  // no reply for the fragment (an OK here fails)
  auto other = daemon.connect();
  EXPECT_EQ(publish(other, "t", "{}"), "OK 1");
  EXPECT_EQ(as_msg(listener.next_push()).seq, 1u) << "the unterminated PUB took a seq";
}

TEST(Disconnect, AbruptCloseOfASubscriberDisturbsNoOne) {
  Daemon daemon;
  auto survivor = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(survivor, "t");
  for (int round = 0; round < 20; ++round) {
    auto victim = daemon.connect();
    subscribe(victim, "t");
    ASSERT_EQ(publish(publisher, "t", "{}"), "OK 2");
    victim.close_abruptly();  // with a MSG still unread: the kernel sends RST
    std::string reply = publish(publisher, "t", "{}");
    ASSERT_TRUE(reply == "OK 1" || reply == "OK 2") << reply;
  }
  auto pushes = survivor.barrier();
  ASSERT_EQ(pushes.size(), 40u);
  for (std::uint64_t i = 0; i < 40; ++i) EXPECT_EQ(as_msg(pushes[i]).seq, i + 1);
}

TEST(Disconnect, CloseInTheMiddleOfALinePublishesNothing) {
  Daemon daemon;
  auto listener = daemon.connect();
  subscribe(listener, "t");
  {
    auto quitter = daemon.connect();
    quitter.send_raw("PUB t {\"a\":");
  }
  auto publisher = daemon.connect();
  EXPECT_EQ(publish(publisher, "t", "{}"), "OK 1");
  EXPECT_EQ(as_msg(listener.next_push()).seq, 1u);
}

TEST(Disconnect, ManyConnectionsComingAndGoingLeaveTheDaemonHealthy) {
  Daemon daemon({"--threads", "2"});
  auto publisher = daemon.connect();
  for (int i = 0; i < 200; ++i) {
    auto client = daemon.connect();
    switch (i % 4) {
      case 0: break;  // connect and leave at once
      case 1: client.send_raw("SUB t\nPING\n"); break;  // leave without reading
      case 2: EXPECT_EQ(client.command("SUB t:*"), "OK t:*"); break;
      default: client.send_raw("SUB t\n"); client.close_abruptly(); break;
    }
  }
  auto client = daemon.connect();
  EXPECT_EQ(client.command("HELLO").rfind("OK {", 0), 0u);
  EXPECT_EQ(client.command("SUB t"), "OK t");
  EXPECT_EQ(publisher.command("PING"), "PONG");
}

TEST(Garbage, BinaryLinesGetBadCommandAndTheConnectionSurvives) {
  Daemon daemon({"--max-bad-lines", "0"});
  auto client = daemon.connect();
  std::mt19937 random(20240601);
  constexpr int line_count = 300;
  std::string garbage;
  for (int line = 0; line < line_count; ++line) {
    // A first byte no verb starts with, then random bytes without LF.
    garbage += static_cast<char>(0x80 + random() % 0x80);
    std::size_t length = random() % 200;
    for (std::size_t i = 0; i < length; ++i) {
      char byte = static_cast<char>(random() % 256);
      garbage += byte == '\n' ? '\0' : byte;
    }
    garbage += '\n';
  }
  client.send_raw(garbage + "PING alive\n");
  for (int line = 0; line < line_count; ++line) {
    ASSERT_TRUE(is_err(client.read_reply(), "bad_command")) << "garbage line " << line;
  }
  EXPECT_EQ(client.read_reply(), "PONG alive");
}

TEST(Garbage, NulAndControlBytesInACommandAreNotLineEnds) {
  Daemon daemon;
  auto client = daemon.connect();
  static constexpr char bytes[] = "SUB a\0b\nPING \x01\x7f\n";
  client.send_raw(std::string_view(bytes, sizeof bytes - 1));
  EXPECT_TRUE(is_err(client.read_reply(), "bad_topic"));
  EXPECT_EQ(client.read_reply(), "PONG \x01\x7f");
}

TEST(Shutdown, SigtermDeliversQueuedMessagesThenByeShutdownAndExitsZero) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  auto idle = daemon.connect();
  subscribe(subscriber, "t");
  ASSERT_EQ(idle.command("PING"), "PONG");
  constexpr int count = 300;
  std::string batch;
  for (int i = 0; i < count; ++i) batch += "PUB t {\"i\":" + std::to_string(i) + "}\n";
  publisher.send_raw(batch);
  for (int i = 0; i < count; ++i) ASSERT_EQ(publisher.read_reply(), "OK 1");
  // The subscriber has read none of its MSGs yet: they are queued.
  daemon.send_signal(SIGTERM);
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(subscriber.next_push(), "MSG t " + std::to_string(i + 1) + " {\"i\":" + std::to_string(i) + "}");
  }
  EXPECT_EQ(subscriber.next_push(), "BYE shutdown");
  subscriber.expect_eof();
  for (auto* client : {&publisher, &idle}) {
    EXPECT_EQ(client->next_push(), "BYE shutdown");
    client->expect_eof();
  }
  // The daemon may linger for clients that keep their side open; close ours.
  for (auto* client : {&subscriber, &publisher, &idle}) client->close();
  auto status = daemon.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << "chatbusd still running after its clients were shut down";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << Daemon::describe_status(*status);
}

TEST(Shutdown, MegabytesStillQueuedAreFlushedBeforeByeShutdown) {
  Daemon daemon;
  auto subscriber = daemon.connect(4096);  // the queue stays in the daemon
  auto listener = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "t");
  listener.send_line("SUB t");
  listener.shutdown_write();
  ASSERT_EQ(listener.read_reply(), "OK t");
  constexpr int count = 3000;
  const std::string payload = "{\"pad\":\"" + std::string(1000, 'p') + "\"}";
  std::string batch;
  for (int i = 0; i < count; ++i) batch += "PUB t " + payload + "\n";
  publisher.send_raw(batch);
  for (int i = 0; i < count; ++i) ASSERT_EQ(publisher.read_reply(), "OK 2");
  daemon.send_signal(SIGTERM);
  for (auto* client : {&subscriber, &listener}) {
    for (int i = 1; i <= count; ++i) ASSERT_EQ(as_msg(client->next_push()).seq, static_cast<std::uint64_t>(i));
    EXPECT_EQ(client->next_push(), "BYE shutdown");
    client->expect_eof();
  }
  for (auto* client : {&subscriber, &listener, &publisher}) client->close();
  auto status = daemon.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << "chatbusd still running after its clients were shut down";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << Daemon::describe_status(*status);
}

TEST(Shutdown, SigtermWithoutClientsExitsZero) {
  Daemon daemon;
  daemon.send_signal(SIGTERM);
  auto status = daemon.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << Daemon::describe_status(*status);
}

TEST(Shutdown, ClientsThatHaveClosedDoNotDelayTheExit) {
  Daemon daemon({"--shutdown-timeout", "10s"});
  {
    std::vector<LineClient> clients;
    for (int i = 0; i < 20; ++i) {
      clients.push_back(daemon.connect());
      ASSERT_EQ(clients.back().command("SUB t"), "OK t");
    }
  }  // all closed, just before the signal: nothing is left to drain
  auto signalled = Clock::now();
  daemon.send_signal(SIGTERM);
  auto status = daemon.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << "chatbusd did not exit";
  EXPECT_LT(Clock::now() - signalled, std::chrono::seconds(3))
      << "shutdown waited for connections whose clients had already closed";
}

TEST(Shutdown, ClientThatNeverReadsDoesNotHoldTheDaemonPastItsShutdownTimeout) {
  Daemon daemon({"--shutdown-timeout", "500ms", "--max-pending", "64KiB", "--max-line", "4KiB"});
  auto stalled = daemon.connect(4096);
  auto publisher = daemon.connect();
  subscribe(stalled, "t");
  std::string batch;
  for (int i = 0; i < 2000; ++i) batch += "PUB t {\"pad\":\"" + std::string(1000, 'p') + "\"}\n";
  publisher.send_raw(batch);
  for (int i = 0; i < 2000; ++i) publisher.read_reply();
  auto signalled = Clock::now();
  daemon.send_signal(SIGTERM);
  auto status = daemon.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << "chatbusd did not exit";
  EXPECT_LT(Clock::now() - signalled, std::chrono::seconds(10));
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << Daemon::describe_status(*status);
}

TEST(Bye, ServerHalfClosesAfterByeSoTheClientReadsEveryReply) {
  Daemon daemon({"--max-bad-lines", "1"});
  auto client = daemon.connect();
  // Lines keep coming after the BYE; the server must discard them rather
  // than reset the connection before the client read its replies.
  std::string batch = "PING one\nBAD\n";
  for (int i = 0; i < 3000; ++i) batch += "PING after bye " + std::to_string(i) + "\n";
  client.send_raw(batch);
  EXPECT_EQ(client.read_reply(), "PONG one");
  EXPECT_TRUE(is_err(client.read_reply(), "bad_command"));
  EXPECT_EQ(client.next_push(), "BYE protocol_error");
  client.expect_eof();
}

TEST(HalfClose, WithNothingSubscribedTheServerFinishesTheCloseAfterItsReplies) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("PING a\nSUB t\nUNSUB t\nPING b\n");
  client.shutdown_write();
  EXPECT_EQ(client.read_reply(), "PONG a");
  EXPECT_EQ(client.read_reply(), "OK t");
  EXPECT_EQ(client.read_reply(), "OK t");
  EXPECT_EQ(client.read_reply(), "PONG b");
  client.expect_eof();  // nothing could ever be pushed to it
}

TEST(Logging, OneLineForEachConnectAndDisconnectWithPeerReasonAndCounts) {
  Daemon daemon;
  {
    auto subscriber = daemon.connect();
    subscribe(subscriber, "t");
    auto publisher = daemon.connect();
    ASSERT_EQ(publish(publisher, "t", "{}"), "OK 1");
    ASSERT_EQ(publish(publisher, "t", "{}"), "OK 1");
    publisher.command("QUIT");
    publisher.expect_eof();
    subscriber.close_abruptly();  // a subscriber's plain close is only noticed at a write
  }
  EXPECT_TRUE(daemon.wait_for_log("connection 1 from 127.0.0.1:", std::chrono::seconds(10))) << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("connection 2 from 127.0.0.1:", std::chrono::seconds(10))) << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("closed: quit (2 published, 0 delivered)", std::chrono::seconds(10)))
      << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("(0 published, 2 delivered)", std::chrono::seconds(10))) << daemon.log();
  // Never a line per message at the default level.
  EXPECT_EQ(daemon.log().find("MSG "), std::string::npos) << daemon.log();
}

}  // namespace
}  // namespace chatbus::itest
