// max_line, max_subs, max_connections, max_bad_lines and idle_timeout
// (PROTOCOL.md: Framing, Commands, Errors and closing).
#include "test_support.hpp"

#include <sys/resource.h>

#include <filesystem>

namespace chatbus::itest {
namespace {

// A `PING <padding>` line of exactly `total` bytes including `ending`.
std::string ping_line(std::size_t total, std::string_view ending = "\n") {
  std::size_t padding = total - 5 - ending.size();
  return "PING " + std::string(padding, 'x') + std::string(ending);
}

TEST(MaxLine, LineOfExactlyMaxLineBytesIsAccepted) {
  Daemon daemon({"--max-line", "1024"});
  auto client = daemon.connect();
  client.send_raw(ping_line(1024));
  EXPECT_EQ(client.read_reply(), "PONG " + std::string(1024 - 6, 'x'));
}

TEST(MaxLine, OneByteOverIsLineTooLongAndTheConnectionStaysUsable) {
  Daemon daemon({"--max-line", "1024"});
  auto client = daemon.connect();
  client.send_raw(ping_line(1025));
  EXPECT_TRUE(is_err(client.read_reply(), "line_too_long"));
  EXPECT_EQ(client.command("PING alive"), "PONG alive");
  EXPECT_EQ(client.command("SUB t"), "OK t");
}

TEST(MaxLine, CrCountsTowardTheLimit) {
  Daemon daemon({"--max-line", "1024"});
  auto client = daemon.connect();
  client.send_raw(ping_line(1024, "\r\n"));
  EXPECT_EQ(client.read_reply(), "PONG " + std::string(1024 - 7, 'x'));
  client.send_raw(ping_line(1025, "\r\n"));
  EXPECT_TRUE(is_err(client.read_reply(), "line_too_long"));
}

TEST(MaxLine, LineAtTheLimitArrivingInPiecesIsAccepted) {
  Daemon daemon({"--max-line", "1024"});
  auto client = daemon.connect();
  auto other = daemon.connect();
  std::string line = ping_line(1024);
  client.send_raw(std::string_view(line).substr(0, 1023));
  // Give the daemon a chance to hold 1023 bytes without an LF; not required.
  EXPECT_EQ(other.command("PING"), "PONG");
  client.send_raw("\n");
  EXPECT_EQ(client.read_reply(), "PONG " + std::string(1024 - 6, 'x'));
}

TEST(MaxLine, DefaultIs65536Bytes) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw(ping_line(65536));
  EXPECT_EQ(client.read_reply(), "PONG " + std::string(65536 - 6, 'x'));
  client.send_raw(ping_line(65537));
  EXPECT_TRUE(is_err(client.read_reply(), "line_too_long"));
}

TEST(MaxLine, LongLineIsReadToItsEndAndThrownAway) {
  Daemon daemon({"--max-line", "1024"});
  auto client = daemon.connect();
  // The tail of the long line looks like commands; none may run.
  std::string line = "PING head " + std::string(2000, 'x');
  for (int i = 0; i < 50; ++i) line += " PING x PUB t {} SUB t ";
  client.send_raw(line + "\nPING next\n");
  EXPECT_TRUE(is_err(client.read_reply(), "line_too_long"));
  EXPECT_EQ(client.read_reply(), "PONG next");
  EXPECT_TRUE(is_err(client.command("UNSUB t"), "not_subscribed"));
}

TEST(MaxLine, MegabytesWithoutNewlineGetOneErr) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw(std::string(4 << 20, 'z') + "\nPING next\n");
  EXPECT_TRUE(is_err(client.read_reply(), "line_too_long"));
  EXPECT_EQ(client.read_reply(), "PONG next");
}

TEST(MaxLine, OverlongBlankLineIsLineTooLong) {
  Daemon daemon({"--max-line", "1024"});
  auto client = daemon.connect();
  client.send_raw(std::string(1024, ' ') + "\n");
  EXPECT_TRUE(is_err(client.read_reply(), "line_too_long"));
  client.send_raw(std::string(1023, '\t') + "\nPING next\n");  // exactly at the limit: ignored
  EXPECT_EQ(client.read_reply(), "PONG next");
}

TEST(MaxLine, OverlongPubPublishesNothing) {
  Daemon daemon({"--max-line", "1024"});
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "t");
  EXPECT_TRUE(is_err(publish(publisher, "t", "{\"a\":\"" + std::string(2000, 'x') + "\"}"), "line_too_long"));
  EXPECT_TRUE(subscriber.barrier().empty());
  EXPECT_EQ(publish(publisher, "t", "{}"), "OK 1");
  EXPECT_EQ(as_msg(subscriber.next_push()).seq, 1u);
}

TEST(MaxSubs, OneMoreIsTooManySubscriptions) {
  Daemon daemon({"--max-subs", "3"});
  auto client = daemon.connect();
  subscribe(client, "a");
  subscribe(client, "b:*");
  subscribe(client, "*");
  EXPECT_TRUE(is_err(client.command("SUB d"), "too_many_subscriptions"));
  EXPECT_TRUE(is_err(client.command("SUB d:*"), "too_many_subscriptions"));
  // The refused ones were not made.
  EXPECT_TRUE(is_err(client.command("UNSUB d"), "not_subscribed"));
}

TEST(MaxSubs, DefaultIs10000) {
  Daemon daemon;
  auto client = daemon.connect();
  std::string batch;
  for (int i = 0; i < 10000; ++i) batch += "SUB t:" + std::to_string(i) + "\n";
  client.send_raw(batch);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(client.read_reply(), "OK t:" + std::to_string(i));
  EXPECT_TRUE(is_err(client.command("SUB one:more:*"), "too_many_subscriptions"));
}

TEST(MaxSubs, SubscribingAgainIsNotAnotherSubscription) {
  Daemon daemon({"--max-subs", "2"});
  auto client = daemon.connect();
  subscribe(client, "a");
  subscribe(client, stream_topic(uuid_upper), stream_topic(uuid_lower));
  subscribe(client, "a");
  subscribe(client, stream_topic(uuid_lower));
}

TEST(MaxSubs, UnsubFreesASlot) {
  Daemon daemon({"--max-subs", "2"});
  auto client = daemon.connect();
  subscribe(client, "a");
  subscribe(client, "b");
  EXPECT_TRUE(is_err(client.command("SUB c"), "too_many_subscriptions"));
  EXPECT_EQ(client.command("UNSUB a"), "OK a");
  subscribe(client, "c");
}

TEST(MaxSubs, IsPerConnection) {
  Daemon daemon({"--max-subs", "2"});
  auto first = daemon.connect();
  auto second = daemon.connect();
  for (auto* client : {&first, &second}) {
    subscribe(*client, "a");
    subscribe(*client, "b:*");
  }
  EXPECT_EQ(publish(first, "b:x", "{}"), "OK 2");
}

TEST(MaxConnections, OneMoreGetsByeOverloadedThenEof) {
  Daemon daemon({"--max-connections", "3"});
  std::vector<LineClient> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(daemon.connect());
    ASSERT_EQ(clients.back().command("PING " + std::to_string(i)), "PONG " + std::to_string(i));
  }
  auto extra = daemon.connect();
  EXPECT_EQ(extra.next_push(), "BYE overloaded");
  extra.expect_eof();
  // The connections already there are unaffected.
  for (auto& client : clients) EXPECT_EQ(client.command("PING ok"), "PONG ok");
}

TEST(MaxConnections, AFloodOfRefusedConnectionsEachGetsByeOverloaded) {
  if (tls_mode()) GTEST_SKIP() << "over TLS, refusals past 1024 are closed without a handshake, so without a BYE";
  // Past 1024 refusals lingering at once, the server stops keeping a session
  // for each and answers at once; every refused client still reads the BYE.
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < 2500 && limit.rlim_max >= 2500) {
    limit.rlim_cur = 2500;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  ASSERT_GE(limit.rlim_cur, 2500u) << "this test needs 2500 descriptors";
  Daemon daemon({"--max-connections", "1"});
  auto admitted = daemon.connect();
  ASSERT_EQ(admitted.command("PING"), "PONG");
  std::vector<LineClient> refused;
  for (int i = 0; i < 1100; ++i) refused.push_back(daemon.connect());
  for (auto& client : refused) {
    ASSERT_EQ(client.next_push(), "BYE overloaded");
    client.expect_eof();
  }
  EXPECT_EQ(admitted.command("PING ok"), "PONG ok");
  // Our clients are all still open, so the lingering refusals still hold
  // their descriptors: no more than 1024 of them, not one per refusal.
  std::size_t daemon_descriptors = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(daemon.pid()) + "/fd")) {
    ++daemon_descriptors;
  }
  EXPECT_LT(daemon_descriptors, 1024u + 64u);
}

TEST(Descriptors, AcceptSurvivesRunningOutOfDescriptorsAndRecovers) {
  if (tls_mode()) GTEST_SKIP() << "needs connections the kernel completes unaccepted; a TLS client waits for the handshake";
  Daemon daemon({"--threads", "1"});
  // Leave the daemon only a few descriptors beyond what it uses already.
  rlimit tight{32, 32};
  ASSERT_EQ(::prlimit(daemon.pid(), RLIMIT_NOFILE, &tight, nullptr), 0);
  std::vector<LineClient> first;
  for (int i = 0; i < 40; ++i) first.push_back(daemon.connect());  // the kernel completes them all
  // Those the daemon could accept answer; find the first one it could not.
  std::size_t accepted = 0;
  for (auto& client : first) {
    client.send_line("PING");
    if (!client.try_read_line(std::chrono::milliseconds(500))) break;
    ++accepted;
  }
  ASSERT_GT(accepted, 0u);
  ASSERT_LT(accepted, first.size()) << "the descriptor limit did not bite";
  // Free descriptors: the daemon must pick up the waiting connections.
  for (std::size_t i = 0; i < accepted; ++i) first[i].close();
  for (std::size_t i = accepted; i < first.size(); ++i) {
    if (i > accepted) first[i].send_line("PING");
    ASSERT_EQ(first[i].read_reply(), "PONG") << "connection " << i << " was never accepted";
    first[i].close();  // and make room for the next one
  }
  // It said so once per episode of failures, not once per failed accept:
  // every warning is followed by its recovery line.
  const std::string log = daemon.log();
  const auto count = [&](std::string_view text) {
    std::size_t n = 0;
    for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
    return n;
  };
  const std::size_t warnings = count("] accept failed");  // the client port's, not the admin endpoint's
  EXPECT_GE(warnings, 1u) << log;
  EXPECT_LE(warnings, 3u) << log;
  EXPECT_EQ(warnings, count("accepting connections again")) << log;
  // The admin endpoint's accept fails too while descriptors are out (Linux
  // checks for a free one first); it says so once as well.
  EXPECT_LE(count("admin endpoint: accept failed"), 1u) << log;
}

TEST(MaxBadLines, ByeProtocolErrorAfterThatManyErrsInARow) {
  Daemon daemon({"--max-bad-lines", "4"});
  auto client = daemon.connect();
  client.send_raw("BAD 1\nSUB a/b\nUNSUB x\nPUB t [\nPING never answered\n");
  for (std::string_view code : {"bad_command", "bad_topic", "not_subscribed", "bad_payload"}) {
    EXPECT_TRUE(is_err(client.read_reply(), code));
  }
  EXPECT_EQ(client.next_push(), "BYE protocol_error");
  client.expect_eof();
}

TEST(MaxBadLines, LineTooLongCounts) {
  Daemon daemon({"--max-bad-lines", "2", "--max-line", "1024"});
  auto client = daemon.connect();
  client.send_raw(std::string(2000, 'x') + "\n" + std::string(2000, 'y') + "\n");
  EXPECT_TRUE(is_err(client.read_reply(), "line_too_long"));
  EXPECT_TRUE(is_err(client.read_reply(), "line_too_long"));
  EXPECT_EQ(client.next_push(), "BYE protocol_error");
  client.expect_eof();
}

TEST(MaxBadLines, AGoodLineResetsTheRow) {
  Daemon daemon({"--max-bad-lines", "3"});
  auto client = daemon.connect();
  for (int round = 0; round < 5; ++round) {
    EXPECT_TRUE(is_err(client.command("BAD"), "bad_command"));
    EXPECT_TRUE(is_err(client.command("BAD"), "bad_command"));
    EXPECT_EQ(client.command("SUB t"), "OK t");
  }
  EXPECT_TRUE(client.pushes().empty()) << joined(client.take_pushes());
}

TEST(MaxBadLines, BlankLinesNeitherCountNorBreakTheRow) {
  Daemon daemon({"--max-bad-lines", "3"});
  auto client = daemon.connect();
  // Blank lines between ERRs do not break the row...
  client.send_raw("BAD\n\n  \nBAD\n\t\r\n\nBAD\nPING never answered\n");
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(is_err(client.read_reply(), "bad_command"));
  EXPECT_EQ(client.next_push(), "BYE protocol_error");
  client.expect_eof();
  // ...and do not count toward it.
  auto other = daemon.connect();
  other.send_raw("BAD\nBAD\n\n\n\n  \n\t\n\nPING alive\n");
  EXPECT_TRUE(is_err(other.read_reply(), "bad_command"));
  EXPECT_TRUE(is_err(other.read_reply(), "bad_command"));
  EXPECT_EQ(other.read_reply(), "PONG alive");
}

TEST(MaxBadLines, UnauthorizedCounts) {
  Daemon daemon({"--max-bad-lines", "2", "--auth-token", "t0ken"});
  auto client = daemon.connect();
  client.send_raw("SUB t\nSUB t\n");
  EXPECT_TRUE(is_err(client.read_reply(), "unauthorized"));
  EXPECT_TRUE(is_err(client.read_reply(), "unauthorized"));
  EXPECT_EQ(client.next_push(), "BYE protocol_error");
  client.expect_eof();
}

TEST(MaxBadLines, DefaultIs16) {
  Daemon daemon;
  auto client = daemon.connect();
  for (int i = 0; i < 15; ++i) EXPECT_TRUE(is_err(client.command("BAD"), "bad_command"));
  EXPECT_EQ(client.command("PING alive"), "PONG alive");
  for (int i = 0; i < 16; ++i) EXPECT_TRUE(is_err(client.command("BAD"), "bad_command"));
  EXPECT_EQ(client.next_push(), "BYE protocol_error");
  client.expect_eof();
}

TEST(MaxBadLines, ZeroMeansNever) {
  Daemon daemon({"--max-bad-lines", "0"});
  auto client = daemon.connect();
  std::string batch;
  for (int i = 0; i < 500; ++i) batch += "BAD\n";
  client.send_raw(batch + "PING alive\n");
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(is_err(client.read_reply(), "bad_command"));
  EXPECT_EQ(client.read_reply(), "PONG alive");
}

TEST(IdleTimeout, SilentConnectionGetsByeIdleTimeout) {
  Daemon daemon({"--idle-timeout", "200ms"});
  auto started = Clock::now();
  auto client = daemon.connect();
  EXPECT_EQ(client.next_push(), "BYE idle_timeout");
  auto elapsed = Clock::now() - started;
  EXPECT_GE(elapsed, std::chrono::milliseconds(150)) << "BYE came absurdly early";
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  client.expect_eof();
}

TEST(IdleTimeout, EveryLineReceivedRestartsTheClock) {
  Daemon daemon({"--idle-timeout", "200ms"});
  auto busy = daemon.connect();
  EXPECT_EQ(busy.command("PING"), "PONG");
  // A silent connection made after the busy one serves as the clock: when it
  // is closed, the busy one has lived longer than the timeout.
  auto clock = daemon.connect();
  std::optional<std::string> bye;
  while (!bye) {
    ASSERT_EQ(busy.command("PING"), "PONG");
    bye = clock.try_read_line(std::chrono::milliseconds(20));
    ASSERT_FALSE(clock.at_eof() && !bye) << "EOF without BYE";
  }
  EXPECT_EQ(*bye, "BYE idle_timeout");
  EXPECT_EQ(busy.command("PING still here"), "PONG still here");
  EXPECT_TRUE(busy.pushes().empty()) << joined(busy.take_pushes());
}

TEST(Overload, PubIsRefusedWhileTheServersBuffersAreFullAndTakesNoSeq) {
  // One subscriber that does not read holds more than the whole server may
  // queue (its own limit is far higher), so publishing must stop with
  // ERR overloaded rather than let the process grow.
  Daemon daemon({"--max-pending", "64MiB", "--max-total-pending", "64KiB", "--max-line", "8KiB"});
  auto slow = daemon.connect(4096);
  auto publisher = daemon.connect();
  subscribe(slow, "ov:a");
  const std::string payload = "{\"pad\":\"" + std::string(1000, 'p') + "\"}";
  std::uint64_t accepted = 0;
  std::string refusal;
  for (int i = 0; i < 100000 && refusal.empty(); ++i) {
    const std::string reply = publish(publisher, "ov:a", payload);
    if (reply == "OK 1") {
      ++accepted;
    } else {
      refusal = reply;
    }
  }
  ASSERT_TRUE(refusal.starts_with("ERR overloaded ")) << refusal;
  // Being refused is not a client mistake: more than max_bad_lines refusals
  // in a row leave the connection open. (The kernel may take a little more
  // of the queue meanwhile, so an occasional PUB may get through.)
  for (int i = 0; i < 20; ++i) {
    const std::string reply = publish(publisher, "ov:a", payload);
    if (reply == "OK 1") {
      ++accepted;
    } else {
      ASSERT_TRUE(reply.starts_with("ERR overloaded")) << reply;
    }
  }
  for (std::uint64_t seq = 1; seq <= accepted; ++seq) ASSERT_EQ(as_msg(slow.next_push()).seq, seq);
  EXPECT_TRUE(slow.barrier().empty());
  // Drained: publishing works again, and the refused PUBs took no number.
  ASSERT_EQ(publish(publisher, "ov:a", "{}"), "OK 1");
  EXPECT_EQ(as_msg(slow.next_push()).seq, accepted + 1);
}

TEST(Overload, ClosedConnectionsGiveBackWhatWasQueuedForThem) {
  Daemon daemon({"--max-pending", "64MiB", "--max-total-pending", "64KiB", "--max-line", "8KiB"});
  auto publisher = daemon.connect();
  const std::string payload = "{\"pad\":\"" + std::string(1000, 'p') + "\"}";
  {
    auto slow = daemon.connect(4096);
    subscribe(slow, "ov:b");
    std::string reply;
    for (int i = 0; i < 100000 && !reply.starts_with("ERR"); ++i) reply = publish(publisher, "ov:b", payload);
    ASSERT_TRUE(reply.starts_with("ERR overloaded")) << reply;
    slow.close_abruptly();
  }
  // The server notices the reset when it next writes to that socket; once
  // it has, the budget is free again. Poll with PUBs (each one is a new
  // attempt, not a sleep); the subscriber is gone, so each takes nothing.
  std::string reply;
  for (int i = 0; i < 100000; ++i) {
    reply = publish(publisher, "ov:b", "{}");
    if (reply == "OK 0") break;
  }
  EXPECT_EQ(reply, "OK 0");
}

}  // namespace
}  // namespace chatbus::itest
