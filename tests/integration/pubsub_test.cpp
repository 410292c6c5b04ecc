// SUB, UNSUB, PUB and delivery (PROTOCOL.md: Commands, Delivery guarantees).
// "Not delivered" is always proven with the PUB/PING barrier: once the
// publisher has read `OK <n>`, a subscriber's PONG comes after any MSG.
#include "test_support.hpp"

namespace chatbus::itest {
namespace {

TEST(Sub, ReplyNamesTheTopic) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("SUB room.1:a-b_c"), "OK room.1:a-b_c");
  EXPECT_EQ(client.command("SUB tenant:42:*"), "OK tenant:42:*");
}

TEST(Sub, ReplyNamesTheCanonicalLowercaseUuid) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_EQ(client.command("SUB " + stream_topic(uuid_upper)), "OK " + stream_topic(uuid_lower));
}

TEST(Sub, SubscribingAgainDeliversOnce) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "t");
  subscribe(subscriber, "t");
  EXPECT_EQ(publish(publisher, "t", R"({"n":1})"), "OK 1");
  auto pushes = subscriber.barrier();
  ASSERT_EQ(pushes.size(), 1u) << joined(pushes);
  EXPECT_EQ(pushes[0], R"(MSG t 1 {"n":1})");
}

TEST(Sub, UppercaseAndLowercaseUuidAreOneSubscription) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, stream_topic(uuid_upper), stream_topic(uuid_lower));
  subscribe(subscriber, stream_topic(uuid_lower));
  EXPECT_EQ(publish(publisher, stream_topic(uuid_lower), R"({"status":"running"})"), "OK 1");
  EXPECT_EQ(subscriber.barrier().size(), 1u);
}

TEST(Unsub, ReplyNamesTheCanonicalForm) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, stream_topic(uuid_lower));
  EXPECT_EQ(client.command("UNSUB " + stream_topic(uuid_upper)), "OK " + stream_topic(uuid_lower));
}

TEST(Unsub, UppercaseUuidEndsLowercaseSubscription) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, stream_topic(uuid_lower));
  EXPECT_EQ(subscriber.command("UNSUB " + stream_topic(uuid_upper)), "OK " + stream_topic(uuid_lower));
  EXPECT_EQ(publish(publisher, stream_topic(uuid_lower), R"({"status":"running"})"), "OK 0");
  EXPECT_TRUE(subscriber.barrier().empty());
}

TEST(Unsub, OneUnsubEndsTheSubscriptionHoweverOftenMade) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  for (int i = 0; i < 3; ++i) subscribe(subscriber, "t");
  EXPECT_EQ(subscriber.command("UNSUB t"), "OK t");
  EXPECT_EQ(publish(publisher, "t", "{}"), "OK 0");
  auto pushes = subscriber.barrier();
  EXPECT_TRUE(pushes.empty()) << joined(pushes);
  EXPECT_TRUE(is_err(subscriber.command("UNSUB t"), "not_subscribed"));
}

TEST(Unsub, WithoutSubscriptionIsNotSubscribed) {
  Daemon daemon;
  auto client = daemon.connect();
  EXPECT_TRUE(is_err(client.command("UNSUB t"), "not_subscribed"));
  EXPECT_TRUE(is_err(client.command("UNSUB a:*"), "not_subscribed"));
  EXPECT_TRUE(is_err(client.command("UNSUB " + stream_topic(uuid_upper)), "not_subscribed"));
}

TEST(Unsub, IsPerConnection) {
  Daemon daemon;
  auto first = daemon.connect();
  auto second = daemon.connect();
  subscribe(first, "t");
  EXPECT_TRUE(is_err(second.command("UNSUB t"), "not_subscribed"));
  EXPECT_EQ(second.command("PUB t {}"), "OK 1");
}

TEST(Unsub, PatternAndExactAreSeparateSubscriptions) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "a:*");
  EXPECT_TRUE(is_err(subscriber.command("UNSUB a:b"), "not_subscribed"));
  subscribe(subscriber, "a:b");
  EXPECT_EQ(subscriber.command("UNSUB a:*"), "OK a:*");
  EXPECT_EQ(publish(publisher, "a:b", "{}"), "OK 1");
  EXPECT_EQ(subscriber.barrier().size(), 1u);
}

TEST(Unsub, SubscribingAfterUnsubDeliversAgain) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "t");
  EXPECT_EQ(subscriber.command("UNSUB t"), "OK t");
  subscribe(subscriber, "t");
  EXPECT_EQ(publish(publisher, "t", "{}"), "OK 1");
  EXPECT_EQ(subscriber.barrier().size(), 1u);
}

TEST(Pub, ReplyCountsTheSubscriptionsQueuedTo) {
  Daemon daemon;
  auto publisher = daemon.connect();
  EXPECT_EQ(publish(publisher, "t", "{}"), "OK 0");
  std::vector<LineClient> subscribers;
  for (int i = 0; i < 3; ++i) {
    subscribers.push_back(daemon.connect());
    subscribe(subscribers.back(), i == 2 ? "*" : "t");
  }
  EXPECT_EQ(publish(publisher, "t", "{}"), "OK 3");
  EXPECT_EQ(publish(publisher, "other", "{}"), "OK 1");
}

TEST(Pub, PublisherIsNotSentItsOwnMessage) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "t");
  EXPECT_EQ(publish(publisher, "t", "{}"), "OK 1");
  EXPECT_EQ(subscriber.barrier().size(), 1u);
  auto own = publisher.barrier();
  EXPECT_TRUE(own.empty()) << joined(own);
}

TEST(Pub, SubscribedPublisherReceivesItsOwnMessage) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, "t");
  EXPECT_EQ(publish(client, "t", R"({"a":1})"), "OK 1");
  auto pushes = client.barrier();
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(pushes[0], R"(MSG t 1 {"a":1})");
}

TEST(Pub, PatternAndExactOnOneSessionCountTwoAndDeliverTwice) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  std::string topic = stream_topic(uuid_lower);
  subscribe(subscriber, topic);
  subscribe(subscriber, "chat:stream:*");
  EXPECT_EQ(publish(publisher, topic, R"({"status":"running"})"), "OK 2");
  auto pushes = subscriber.barrier();
  ASSERT_EQ(pushes.size(), 2u) << joined(pushes);
  std::string expected = "MSG " + topic + R"( 1 {"status":"running"})";
  EXPECT_EQ(pushes[0], expected);
  EXPECT_EQ(pushes[1], expected);
}

TEST(Pub, OverlappingPatternsEachDeliverOnce) {
  Daemon daemon;
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "*");
  subscribe(subscriber, "a:*");
  subscribe(subscriber, "a:b:*");
  EXPECT_EQ(publish(publisher, "a:b:c", "{}"), "OK 3");
  EXPECT_EQ(publish(publisher, "a:x", "{}"), "OK 2");
  auto pushes = subscriber.barrier();
  ASSERT_EQ(pushes.size(), 5u) << joined(pushes);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(pushes[i], "MSG a:b:c 1 {}");
  for (int i = 3; i < 5; ++i) EXPECT_EQ(pushes[i], "MSG a:x 1 {}");
}

TEST(Pub, PayloadIsEverythingAfterTheTopicAndItsBlanks) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, "t");
  EXPECT_EQ(client.command("PUB t \t  {\"text\": \"two  spaces\\tand tab\", \"n\": [1,  2]}"), "OK 1");
  EXPECT_EQ(as_msg(client.next_push()).json, R"({"text":"two  spaces\tand tab","n":[1,2]})");
}

TEST(Pub, MsgNamesTopicSeqAndPayload) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, "t");
  EXPECT_EQ(publish(client, "t", R"({ "k" : "v" })"), "OK 1");
  EXPECT_EQ(client.next_push(), R"(MSG t 1 {"k":"v"})");
}

TEST(Seq, StartsAtOnePerTopic) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, "*");
  for (std::string_view topic : {"a", "b", "a", "c", "b", "a"}) publish(client, topic, "{}");
  auto pushes = client.barrier();
  std::vector<std::string> expected{"MSG a 1 {}", "MSG b 1 {}", "MSG a 2 {}",
                                    "MSG c 1 {}", "MSG b 2 {}", "MSG a 3 {}"};
  EXPECT_EQ(pushes, expected);
}

TEST(Seq, CountsMessagesAcceptedWithoutSubscribers) {
  Daemon daemon;
  auto publisher = daemon.connect();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(publish(publisher, "t", "{}"), "OK 0");
  auto subscriber = daemon.connect();
  subscribe(subscriber, "t");
  EXPECT_EQ(publish(publisher, "t", "{}"), "OK 1");
  EXPECT_EQ(as_msg(subscriber.next_push()).seq, 4u);
}

TEST(Seq, RejectedPubTakesNoNumber) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, stream_topic(uuid_lower));
  std::string topic = stream_topic(uuid_lower);
  EXPECT_EQ(publish(client, topic, R"({"status":"a"})"), "OK 1");
  EXPECT_TRUE(is_err(publish(client, topic, R"({"after_message_id":-4})"), "bad_payload"));
  EXPECT_TRUE(is_err(publish(client, topic, "not json"), "bad_payload"));
  EXPECT_TRUE(is_err(publish(client, topic, "{}"), "bad_payload"));
  EXPECT_EQ(publish(client, topic, R"({"status":"b"})"), "OK 1");
  auto pushes = client.barrier();
  ASSERT_EQ(pushes.size(), 2u) << joined(pushes);
  EXPECT_EQ(as_msg(pushes[0]).seq, 1u);
  EXPECT_EQ(as_msg(pushes[1]).seq, 2u);
}

TEST(Seq, UuidSpellingsShareOneCounter) {
  Daemon daemon;
  auto client = daemon.connect();
  subscribe(client, "chat:stream:*");
  publish(client, stream_topic(uuid_upper), R"({"status":"a"})");
  publish(client, stream_topic(uuid_lower), R"({"status":"b"})");
  publish(client, "chat:stream:6f1C3B0E-8d8e-4C61-9a53-0F6f2d6a1e11", R"({"status":"c"})");
  auto pushes = client.barrier();
  ASSERT_EQ(pushes.size(), 3u) << joined(pushes);
  for (std::uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(as_msg(pushes[i]).topic, stream_topic(uuid_lower));
    EXPECT_EQ(as_msg(pushes[i]).seq, i + 1);
  }
}

TEST(Seq, KeptWhileTheTopicHasExactSubscribers) {
  Daemon daemon({"--topic-ttl", "100ms"});
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "t");
  publish(publisher, "t", "{}");
  // Time is the subject here: outlive the TTL, which must not apply while
  // an exact subscriber holds the topic.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  publish(publisher, "t", "{}");
  auto pushes = subscriber.barrier();
  ASSERT_EQ(pushes.size(), 2u) << joined(pushes);
  EXPECT_EQ(as_msg(pushes[1]).seq, 2u);
}

}  // namespace
}  // namespace chatbus::itest
