// Framing: line ends, blanks, case, empty lines (PROTOCOL.md: Framing). The
// max_line rules are in limits_test.cpp.
#include "test_support.hpp"

namespace chatbus::itest {
namespace {

TEST(Framing, LfEndsALine) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("PING one\nPING two\n");
  EXPECT_EQ(client.read_reply(), "PONG one");
  EXPECT_EQ(client.read_reply(), "PONG two");
}

TEST(Framing, CrBeforeLfIsDropped) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("PING abc\r\n");
  EXPECT_EQ(client.read_reply(), "PONG abc");
  client.send_raw("SUB topic\r\n");
  EXPECT_EQ(client.read_reply(), "OK topic");
}

TEST(Framing, CrNotBeforeLfIsPartOfTheLine) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("PING a\rb\r\n");
  EXPECT_EQ(client.read_reply(), "PONG a\rb");
}

TEST(Framing, LineSplitAcrossWritesIsOneCommand) {
  Daemon daemon;
  auto client = daemon.connect();
  for (std::string_view piece : {"P", "IN", "G sp", "lit", "\r", "\n"}) client.send_raw(piece);
  EXPECT_EQ(client.read_reply(), "PONG split");
}

TEST(Framing, SpacesAndTabsSeparateWords) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("SUB \t  \ttopic"), "OK topic");
  EXPECT_EQ(client.command("PUB\ttopic \t {\"a\":1}"), "OK 1");
  EXPECT_EQ(as_msg(client.next_push()).json, "{\"a\":1}");
  EXPECT_EQ(client.command("UNSUB\t\ttopic"), "OK topic");
}

TEST(Framing, BlanksBeforeTheVerbAreIgnored) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("  \t PING x"), "PONG x");
  EXPECT_EQ(client.command("\t\tSUB topic"), "OK topic");
}

TEST(Framing, VerbsAreCaseInsensitive) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("ping x"), "PONG x");
  EXPECT_EQ(client.command("PiNg y"), "PONG y");
  EXPECT_EQ(client.command("sub topic"), "OK topic");
  EXPECT_EQ(client.command("pUb topic {}"), "OK 1");
  EXPECT_EQ(as_msg(client.next_push()).topic, "topic");
  EXPECT_EQ(client.command("unsub topic"), "OK topic");
  EXPECT_EQ(client.command("auth whatever"), "OK");
  EXPECT_EQ(client.command("hello").rfind("OK {", 0), 0u);
  client.send_line("quit");
  EXPECT_EQ(client.read_reply(), "OK");
  EXPECT_EQ(client.next_push(), "BYE quit");
}

TEST(Framing, TopicsAreCaseSensitive) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "Topic");
  EXPECT_EQ(publish(publisher, "topic", "{}"), "OK 0");
  EXPECT_EQ(publish(publisher, "TOPIC", "{}"), "OK 0");
  EXPECT_EQ(publish(publisher, "Topic", "{}"), "OK 1");
  auto pushes = subscriber.barrier();
  ASSERT_EQ(pushes.size(), 1u) << joined(pushes);
  EXPECT_EQ(as_msg(pushes[0]).topic, "Topic");
}

TEST(Framing, PayloadsAreCaseSensitive) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, "t");
  EXPECT_EQ(publish(client, "t", R"({"Key":"VaLuE","key":"value"})"), "OK 1");
  EXPECT_EQ(as_msg(client.next_push()).json, R"({"Key":"VaLuE","key":"value"})");
}

TEST(Framing, EmptyLineIsIgnored) {
  Daemon daemon;
  auto client = daemon.connect();
  // No reply to the empty lines: the first reply is the PING's.
  client.send_raw("\n\r\n\nPING after\n");
  EXPECT_EQ(client.read_reply(), "PONG after");
  EXPECT_TRUE(client.pushes().empty());
}

TEST(Framing, BlankLineIsIgnored) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("   \n\t\t\n \t \r\nPING after\n");
  EXPECT_EQ(client.read_reply(), "PONG after");
  EXPECT_TRUE(client.pushes().empty());
}

TEST(Framing, CrAndLfInSeparateWritesAreStillOneLineEnd) {
  Daemon daemon;
  auto client = daemon.connect();
  auto other = daemon.connect();
  client.send_raw("PING split\r");
  // A round trip elsewhere gives the daemon a chance to read the first part
  // alone; the result must not depend on whether it did.
  EXPECT_EQ(other.command("PING"), "PONG");
  client.send_raw("\n");
  EXPECT_EQ(client.read_reply(), "PONG split");
}

TEST(Framing, ManyLinesInOneWriteAreEachAnswered) {
  Daemon daemon;
  auto client = daemon.connect();
  client.send_raw("PING a\r\nPING b\n\nPING c\r\n");
  EXPECT_EQ(client.read_reply(), "PONG a");
  EXPECT_EQ(client.read_reply(), "PONG b");
  EXPECT_EQ(client.read_reply(), "PONG c");
}

}  // namespace
}  // namespace chatbus::itest
