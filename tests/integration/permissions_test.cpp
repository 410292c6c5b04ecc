// Per-token permissions (docs/auth.md): what pub= and sub= grant, at their
// boundaries, for topics and patterns.
#include "auth_support.hpp"

namespace chatbus::itest {
namespace {

constexpr std::string_view token_file =
    "# every kind of grant\n"
    "admin\n"
    "reader sub=chat:stream:\n"
    "writer pub=chat:stream:,tenant:1:\n"
    "any-reader sub=*\n"
    "tenant-reader sub=tenant:*   # written like a pattern: the prefix tenant:\n";

class Permissions : public ::testing::Test {
 protected:
  LineClient as(std::string_view token) {
    LineClient client = daemon_.connect();
    EXPECT_EQ(client.command("AUTH " + std::string(token)), "OK") << token;
    return client;
  }

  TestFiles files_;
  Daemon daemon_{{"--auth-token-file", files_.write("tokens", std::string(token_file)), "--max-bad-lines", "0"}};
};

const std::string stream = stream_topic(uuid_lower);

TEST_F(Permissions, PublishOnlyTokenCannotSubscribe) {
  auto writer = as("writer");
  const std::string reply = writer.command("SUB " + stream);
  EXPECT_TRUE(is_err(reply, "unauthorized"));
  EXPECT_EQ(reply, "ERR unauthorized subscribe to " + stream + " is not permitted for this token");
  EXPECT_TRUE(is_err(writer.command("SUB chat:stream:*"), "unauthorized"));
  EXPECT_EQ(publish(writer, stream, "{\"status\":\"running\"}"), "OK 0");
}

TEST_F(Permissions, SubscribeOnlyTokenCannotPublishAndItsRefusedPubTakesNoNumber) {
  auto reader = as("reader");
  subscribe(reader, stream_topic(uuid_upper), stream);
  // The message names the canonical topic.
  EXPECT_EQ(publish(reader, stream_topic(uuid_upper), "{\"status\":\"running\"}"),
            "ERR unauthorized publish to " + stream + " is not permitted for this token");
  auto writer = as("writer");
  EXPECT_EQ(publish(writer, stream, "{\"status\":\"running\"}"), "OK 1");
  const Msg msg = as_msg(reader.next_push());
  EXPECT_EQ(msg.topic, stream);
  EXPECT_EQ(msg.seq, 1u);
}

TEST_F(Permissions, PrefixBoundariesAreExact) {
  auto writer = as("writer");
  EXPECT_EQ(publish(writer, "tenant:1:x", "{}"), "OK 0");
  EXPECT_EQ(publish(writer, "tenant:1:", "{}"), "OK 0");
  for (std::string_view topic : {"tenant:1", "tenant:10:x", "tenant:2:x", "Tenant:1:x", "chat:streams", "x"}) {
    EXPECT_TRUE(is_err(publish(writer, topic, "{}"), "unauthorized")) << topic;
  }
}

TEST_F(Permissions, PatternMayNotReachBeyondTheGrant) {
  auto reader = as("reader");
  subscribe(reader, "chat:stream:*");
  subscribe(reader, "chat:stream:x:*");  // can never match, but stays inside
  for (std::string_view pattern : {"chat:*", "*", "tenant:*"}) {
    EXPECT_TRUE(is_err(reader.command("SUB " + std::string(pattern)), "unauthorized")) << pattern;
  }
  auto tenants = as("tenant-reader");
  subscribe(tenants, "tenant:*");
  subscribe(tenants, "tenant:5:*");
  subscribe(tenants, "tenant:5");
  EXPECT_TRUE(is_err(tenants.command("SUB *"), "unauthorized"));
  EXPECT_TRUE(is_err(tenants.command("SUB tenants"), "unauthorized"));
}

TEST_F(Permissions, StarGrantsEverything) {
  auto any = as("any-reader");
  subscribe(any, "*");
  subscribe(any, "whatever:topic");
  EXPECT_TRUE(is_err(publish(any, "whatever:topic", "{}"), "unauthorized"));
  auto writer = as("writer");
  EXPECT_EQ(publish(writer, "tenant:1:a", "{}"), "OK 1");  // to the "*" subscription
  EXPECT_EQ(as_msg(any.next_push()).topic, "tenant:1:a");
}

TEST_F(Permissions, BareTokenMayDoEverything) {
  auto admin = as("admin");
  subscribe(admin, "*");
  EXPECT_EQ(publish(admin, "anything", "{}"), "OK 1");
  EXPECT_EQ(publish(admin, stream, "{\"status\":\"running\"}"), "OK 1");
}

TEST_F(Permissions, UnsubscribeIsAlwaysAllowed) {
  auto reader = as("reader");
  EXPECT_TRUE(is_err(reader.command("UNSUB tenant:1:x"), "not_subscribed"));
  subscribe(reader, stream);
  EXPECT_EQ(reader.command("UNSUB " + stream), "OK " + stream);
}

TEST_F(Permissions, AnotherAuthReplacesTheGrantsAndAFailedOneKeepsThem) {
  auto client = as("reader");
  EXPECT_TRUE(is_err(client.command("AUTH wrong"), "unauthorized"));
  subscribe(client, stream);  // still the reader
  EXPECT_TRUE(is_err(publish(client, "tenant:1:x", "{}"), "unauthorized"));
  ASSERT_EQ(client.command("AUTH writer"), "OK");
  EXPECT_EQ(publish(client, "tenant:1:x", "{}"), "OK 0");
  EXPECT_TRUE(is_err(client.command("SUB tenant:1:x"), "unauthorized"));
}

TEST(PermissionErrors, CountTowardMaxBadLines) {
  TestFiles files;
  Daemon daemon({"--auth-token-file", files.write("tokens", "reader sub=a:\n"), "--max-bad-lines", "3"});
  auto reader = daemon.connect();
  ASSERT_EQ(reader.command("AUTH reader"), "OK");
  EXPECT_TRUE(is_err(publish(reader, "a:x", "{}"), "unauthorized"));
  EXPECT_TRUE(is_err(reader.command("SUB b:x"), "unauthorized"));
  EXPECT_TRUE(is_err(publish(reader, "a:x", "{}"), "unauthorized"));
  EXPECT_EQ(reader.next_push(), "BYE protocol_error");
  reader.expect_eof();
}

}  // namespace
}  // namespace chatbus::itest
