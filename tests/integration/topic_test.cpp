// Topics, the typed chat:stream: namespace, UUID folding and patterns
// (PROTOCOL.md: Topics).
#include "test_support.hpp"

namespace chatbus::itest {
namespace {

constexpr std::string_view stream_payload = R"({"status":"running"})";

void expect_bad_topic_everywhere(LineClient& client, std::string_view topic) {
  EXPECT_TRUE(is_err(client.command("SUB " + std::string(topic)), "bad_topic")) << "SUB " << topic;
  EXPECT_TRUE(is_err(client.command("UNSUB " + std::string(topic)), "bad_topic")) << "UNSUB " << topic;
  EXPECT_TRUE(is_err(publish(client, topic, stream_payload), "bad_topic")) << "PUB " << topic;
  EXPECT_EQ(client.command("PING ok"), "PONG ok");
}

TEST(Topic, OneTo256BytesAreAccepted) {
  Daemon daemon;
  auto client = daemon.connect();
  for (std::size_t length : {1u, 2u, 255u, 256u}) {
    std::string topic(length, 'a');
    EXPECT_EQ(client.command("SUB " + topic), "OK " + topic);
    EXPECT_EQ(publish(client, topic, "{}"), "OK 1");
    EXPECT_EQ(as_msg(client.next_push()).topic, topic);
  }
}

TEST(Topic, LongerThan256BytesIsBadTopic) {
  Daemon daemon;
  auto client = daemon.connect();
  expect_bad_topic_everywhere(client, std::string(257, 'a'));
  expect_bad_topic_everywhere(client, std::string(1000, 'b'));
}

TEST(Topic, EveryAllowedCharacterIsAccepted) {
  Daemon daemon;
  auto client = daemon.connect();
  std::string topic = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-";
  EXPECT_EQ(client.command("SUB " + topic), "OK " + topic);
  EXPECT_EQ(publish(client, topic, "{}"), "OK 1");
  for (std::string_view odd : {":", "-", ".", "_", "::", "a:"}) {
    EXPECT_EQ(client.command("SUB " + std::string(odd)), "OK " + std::string(odd));
  }
}

TEST(Topic, OtherCharactersAreBadTopic) {
  Daemon daemon({"--max-bad-lines", "0"});
  auto client = daemon.connect();
  for (std::string_view topic : {"a/b", "a#b", "a,b", "a+b", "a@b", "a\"b", "a{b", "a\\b", "a;b", "a=b",
                                 "caf\xc3\xa9", "a\x01" "b", "a?b", "a'b", "a!b", "a%b", "a$b"}) {
    expect_bad_topic_everywhere(client, topic);
  }
}

TEST(Topic, ChatStreamNeedsAUuid) {
  Daemon daemon({"--max-bad-lines", "0"});
  auto client = daemon.connect();
  const std::string base = "chat:stream:";
  for (std::string tail : {std::string("x"), std::string("1"), base.substr(0, 0),
                           std::string(uuid_lower) + "x", std::string(uuid_lower) + ":a",
                           std::string(uuid_lower).substr(1), std::string("6f1c3b0e8d8e4c619a530f6f2d6a1e11"),
                           std::string("6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e1g"),
                           std::string("6f1c3b0e8-d8e-4c61-9a53-0f6f2d6a1e11"),
                           std::string("{6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11}"),
                           std::string("urn:uuid:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11")}) {
    expect_bad_topic_everywhere(client, base + tail);
  }
}

TEST(Topic, ChatStreamPrefixIsCaseSensitive) {
  Daemon daemon;
  auto client = daemon.connect();
  // An ordinary topic: any object is accepted, nothing is folded or typed.
  for (std::string topic : {std::string("CHAT:STREAM:x"), std::string("Chat:stream:x"), std::string("chat:stream"),
                            std::string("chat:streams:x"), "CHAT:STREAM:" + std::string(uuid_upper)}) {
    EXPECT_EQ(client.command("SUB " + topic), "OK " + topic);
    EXPECT_EQ(publish(client, topic, R"({"after_message_id":-4,"anything":1})"), "OK 1");
    Msg msg = as_msg(client.next_push());
    EXPECT_EQ(msg.topic, topic);
    EXPECT_EQ(msg.json, R"({"after_message_id":-4,"anything":1})");
  }
}

TEST(Topic, UppercaseUuidIsFoldedInRepliesAndMsg) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, stream_topic(uuid_upper), stream_topic(uuid_lower));
  EXPECT_EQ(publish(publisher, stream_topic(uuid_upper), stream_payload), "OK 1");
  EXPECT_EQ(subscriber.next_push(), "MSG " + stream_topic(uuid_lower) + " 1 " + std::string(stream_payload));
}

TEST(Topic, UuidSpellingsAreOneTopic) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, stream_topic(uuid_lower));
  EXPECT_EQ(publish(publisher, stream_topic(uuid_upper), stream_payload), "OK 1");
  EXPECT_EQ(publish(publisher, "chat:stream:6F1c3b0e-8D8E-4c61-9A53-0f6f2d6a1E11", stream_payload), "OK 1");
  EXPECT_EQ(subscriber.barrier().size(), 2u);
}

TEST(Pattern, StarAloneMatchesEverything) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "*");
  EXPECT_EQ(publish(publisher, "a", "{}"), "OK 1");
  EXPECT_EQ(publish(publisher, "x:y:z", "{}"), "OK 1");
  EXPECT_EQ(publish(publisher, stream_topic(uuid_upper), stream_payload), "OK 1");
  auto pushes = subscriber.barrier();
  ASSERT_EQ(pushes.size(), 3u) << joined(pushes);
  EXPECT_EQ(as_msg(pushes[2]).topic, stream_topic(uuid_lower));
}

TEST(Pattern, MatchesEveryTopicBeginningWithThePrefix) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "tenant:42:*");
  for (std::string_view topic : {"tenant:42:a", "tenant:42:a:b", "tenant:42:"}) {
    EXPECT_EQ(publish(publisher, topic, "{}"), "OK 1") << topic;
  }
  for (std::string_view topic : {"tenant:42", "tenant:420:a", "tenant:4:a", "Tenant:42:a", "x:tenant:42:a"}) {
    EXPECT_EQ(publish(publisher, topic, "{}"), "OK 0") << topic;
  }
  auto pushes = subscriber.barrier();
  ASSERT_EQ(pushes.size(), 3u) << joined(pushes);
  EXPECT_EQ(as_msg(pushes[0]).topic, "tenant:42:a");
  EXPECT_EQ(as_msg(pushes[1]).topic, "tenant:42:a:b");
  EXPECT_EQ(as_msg(pushes[2]).topic, "tenant:42:");
}

TEST(Pattern, ChatStreamPatternMatchesFoldedTopics) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "chat:stream:*");
  EXPECT_EQ(publish(publisher, stream_topic(uuid_upper), stream_payload), "OK 1");
  EXPECT_EQ(publish(publisher, "CHAT:STREAM:x", "{}"), "OK 0");
  EXPECT_EQ(subscriber.next_push(), "MSG " + stream_topic(uuid_lower) + " 1 " + std::string(stream_payload));
}

TEST(Pattern, ThatCanNeverMatchIsStillValid) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("SUB chat:stream:x:*"), "OK chat:stream:x:*");
  EXPECT_EQ(client.command("UNSUB chat:stream:x:*"), "OK chat:stream:x:*");
}

TEST(Pattern, IsTakenAsWrittenWithoutUuidFolding) {
  Daemon daemon;
  auto client = daemon.connect();
  std::string upper = stream_topic(uuid_upper) + ":*";
  std::string lower = stream_topic(uuid_lower) + ":*";
  EXPECT_EQ(client.command("SUB " + upper), "OK " + upper);
  // The lowercase spelling is another pattern, so it was never subscribed.
  EXPECT_TRUE(is_err(client.command("UNSUB " + lower), "not_subscribed"));
  EXPECT_EQ(client.command("UNSUB " + upper), "OK " + upper);
}

TEST(Pattern, StarNotLastOrNotAfterColonIsBadTopic) {
  Daemon daemon({"--max-bad-lines", "0"});
  auto client = daemon.connect();
  for (std::string_view pattern : {"a*", "*a", "a:*:b", "a:**", "**", "a:b*", "*:a", "a:*b", "chat:stream*",
                                   "a:*:*"}) {
    EXPECT_TRUE(is_err(client.command("SUB " + std::string(pattern)), "bad_topic")) << pattern;
    EXPECT_TRUE(is_err(client.command("UNSUB " + std::string(pattern)), "bad_topic")) << pattern;
  }
}

TEST(Pattern, PubToAPatternIsBadTopic) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, "*");
  EXPECT_TRUE(is_err(publish(client, "*", "{}"), "bad_topic"));
  EXPECT_TRUE(is_err(publish(client, "a:*", "{}"), "bad_topic"));
  EXPECT_TRUE(is_err(publish(client, "chat:stream:*", stream_payload), "bad_topic"));
  EXPECT_TRUE(client.barrier().empty());
}

TEST(Pattern, At256BytesWithTheStarIsValidAnd257IsNot) {
  Daemon daemon;
  auto client = daemon.connect();
  std::string longest = std::string(254, 'p') + ":*";
  EXPECT_EQ(client.command("SUB " + longest), "OK " + longest);
  EXPECT_TRUE(is_err(client.command("SUB " + std::string(255, 'p') + ":*"), "bad_topic"));
}

}  // namespace
}  // namespace chatbus::itest
