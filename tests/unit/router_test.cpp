#include "chatbus/router.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "chatbus/subscriber.hpp"

namespace chatbus {
namespace {

/// Records what the router handed it, as the worker's drain would.
class FakeSubscriber final : public Subscriber {
 public:
  explicit FakeSubscriber(unsigned worker = 0, std::size_t max_pending = 1 << 20)
      : Subscriber(worker, max_pending) {}
  void deliver(MessagePtr message) override { received.emplace_back(message->line()); }
  void skip(const Message& message, std::uint32_t) override { skipped.emplace_back(message.topic()); }
  std::vector<std::string> received;  ///< MSG lines in order
  std::vector<std::string> skipped;   ///< topics of skipped messages
};

/// Two workers' mailboxes, drained by hand.
class RouterTest : public ::testing::Test {
 protected:
  RouterTest()
      : mailbox0_([this] { ++wakes_[0]; }),
        mailbox1_([this] { ++wakes_[1]; }),
        router_({&mailbox0_, &mailbox1_}, std::chrono::minutes(10), [this] { return now_; }) {}

  void drain() {
    for (Mailbox* mailbox : {&mailbox0_, &mailbox1_}) {
      std::vector<Delivery> batch;
      mailbox->take(batch);
      for (Delivery& delivery : batch) {
        auto* target = static_cast<FakeSubscriber*>(delivery.target);
        // Each delivery owns a reference: adopt it, as the worker does.
        MessagePtr message = MessagePtr::adopt(delivery.message);
        if (delivery.kind == Delivery::Kind::queued) target->deliver(std::move(message));
        if (delivery.kind == Delivery::Kind::skipped) target->skip(*message, delivery.epoch);
      }
    }
  }

  void sub(FakeSubscriber& s, std::string_view target) {
    std::string canonical;
    const TopicKind kind = parse_topic_or_pattern(target, canonical);
    ASSERT_NE(kind, TopicKind::invalid);
    router_.subscribe(s, kind, canonical);
  }

  void unsub(FakeSubscriber& s, std::string_view target) {
    std::string canonical;
    const TopicKind kind = parse_topic_or_pattern(target, canonical);
    router_.unsubscribe(s, kind, canonical);
  }

  int wakes_[2] = {0, 0};
  Router::Clock::time_point now_{};
  Mailbox mailbox0_;
  Mailbox mailbox1_;
  Router router_;
};

TEST_F(RouterTest, ExactSubscriberGetsTheEncodedMsgLine) {
  FakeSubscriber s;
  sub(s, "a:b");
  EXPECT_EQ(router_.publish("a:b", R"({"x":1})"), 1u);
  drain();
  EXPECT_EQ(s.received, std::vector<std::string>{"MSG a:b 1 {\"x\":1}\n"});
}

TEST_F(RouterTest, PublishWithoutSubscribersCountsZeroButTakesASeq) {
  EXPECT_EQ(router_.publish("a:b", "{}"), 0u);
  FakeSubscriber s;
  sub(s, "a:b");
  router_.publish("a:b", "{}");
  drain();
  EXPECT_EQ(s.received, std::vector<std::string>{"MSG a:b 2 {}\n"});
}

TEST_F(RouterTest, SeqIsPerTopic) {
  FakeSubscriber s;
  sub(s, "*");
  router_.publish("a", "{}");
  router_.publish("b", "{}");
  router_.publish("a", "{}");
  drain();
  const std::vector<std::string> expected{"MSG a 1 {}\n", "MSG b 1 {}\n", "MSG a 2 {}\n"};
  EXPECT_EQ(s.received, expected);
}

TEST_F(RouterTest, PatternMatchesTopicsWithItsPrefix) {
  FakeSubscriber all, chats, tenant, never;
  sub(all, "*");
  sub(chats, "chat:stream:*");
  sub(tenant, "tenant:42:*");
  sub(never, "chat:stream:x:*");
  const std::string chat = "chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11";
  EXPECT_EQ(router_.publish(chat, "{}"), 2u);
  EXPECT_EQ(router_.publish("tenant:42:room:1", "{}"), 2u);
  EXPECT_EQ(router_.publish("tenant:420", "{}"), 1u);
  drain();
  EXPECT_EQ(all.received.size(), 3u);
  EXPECT_EQ(chats.received.size(), 1u);
  EXPECT_EQ(tenant.received, std::vector<std::string>{"MSG tenant:42:room:1 1 {}\n"});
  EXPECT_TRUE(never.received.empty());
}

TEST_F(RouterTest, ExactAndPatternOnOneSubscriberDeliverTwice) {
  FakeSubscriber s;
  sub(s, "a:b");
  sub(s, "a:*");
  EXPECT_EQ(router_.publish("a:b", "{}"), 2u);
  drain();
  EXPECT_EQ(s.received.size(), 2u);
}

TEST_F(RouterTest, UnsubscribeStopsDelivery) {
  FakeSubscriber s;
  sub(s, "a:b");
  sub(s, "x:*");
  unsub(s, "a:b");
  unsub(s, "x:*");
  EXPECT_EQ(router_.publish("a:b", "{}"), 0u);
  EXPECT_EQ(router_.publish("x:y", "{}"), 0u);
  drain();
  EXPECT_TRUE(s.received.empty());
}

TEST_F(RouterTest, UnsubscribeAllRemovesTopicsAndPatternsAtOnce) {
  FakeSubscriber leaving, staying;
  sub(leaving, "a:b");
  sub(leaving, "a:*");
  sub(leaving, "*");
  sub(staying, "a:b");
  router_.unsubscribe_all(leaving, {"a:b", "a:*", "*"});
  EXPECT_EQ(router_.publish("a:b", "{}"), 1u);
  drain();
  EXPECT_TRUE(leaving.received.empty());
  EXPECT_EQ(staying.received.size(), 1u);
}

TEST_F(RouterTest, RemovingOneSubscriberLeavesTheOthers) {
  std::vector<std::unique_ptr<FakeSubscriber>> subscribers;
  for (int i = 0; i < 5; ++i) {
    subscribers.push_back(std::make_unique<FakeSubscriber>(i % 2));
    sub(*subscribers.back(), "t");
  }
  unsub(*subscribers[2], "t");
  EXPECT_EQ(router_.publish("t", "{}"), 4u);
  drain();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(subscribers[i]->received.size(), i == 2 ? 0u : 1u) << i;
}

TEST_F(RouterTest, DeliveriesGoToTheSubscribersWorkerAndWakeItOncePerBurst) {
  FakeSubscriber on0(0), on1(1);
  sub(on0, "t");
  sub(on1, "t");
  for (int i = 0; i < 10; ++i) router_.publish("t", "{}");
  EXPECT_EQ(wakes_[0], 1);
  EXPECT_EQ(wakes_[1], 1);
  drain();
  EXPECT_EQ(on0.received.size(), 10u);
  EXPECT_EQ(on1.received.size(), 10u);
  router_.publish("t", "{}");
  EXPECT_EQ(wakes_[0], 2);
}

TEST_F(RouterTest, ThePublishersOwnWorkerIsNotWokenItDrainsItself) {
  FakeSubscriber on0(0), on1(1);
  sub(on0, "t");
  sub(on1, "t");
  router_.publish("t", "{}", 0);
  EXPECT_EQ(wakes_[0], 0);
  EXPECT_EQ(wakes_[1], 1);
  drain();
  EXPECT_EQ(on0.received.size(), 1u);
}

TEST_F(RouterTest, OverflowingSubscriberIsSkippedAndNotCounted) {
  FakeSubscriber slow(0, 40), fast(0);
  sub(slow, "t");
  sub(fast, "t");
  EXPECT_EQ(router_.publish("t", R"({"a":"0123456789"})"), 2u);  // 29 bytes queued
  EXPECT_EQ(router_.publish("t", R"({"a":"0123456789"})"), 2u);  // 29 <= 40: queued, 58
  EXPECT_EQ(router_.publish("t", R"({"a":"0123456789"})"), 1u);  // 58 passed 40: skipped
  EXPECT_TRUE(slow.flow().overflowed());
  EXPECT_EQ(router_.publish("t", "{}"), 1u);  // skipped until drained, even if small
  drain();
  EXPECT_EQ(slow.received.size(), 2u);
  EXPECT_EQ(slow.skipped, (std::vector<std::string>{"t", "t"}));
  EXPECT_EQ(fast.received.size(), 4u);
}

TEST_F(RouterTest, TopicCounterIsKeptForTheTtlAfterTheLastSubscriberLeft) {
  FakeSubscriber s;
  sub(s, "t");
  router_.publish("t", "{}");
  unsub(s, "t");
  now_ += std::chrono::minutes(9);
  EXPECT_EQ(router_.forget_idle_topics(), 0u);
  sub(s, "t");
  router_.publish("t", "{}");
  drain();
  EXPECT_EQ(s.received.back(), "MSG t 2 {}\n");
}

TEST_F(RouterTest, IdleTopicIsForgottenAfterTheTtlAndStartsAgainAtOne) {
  router_.publish("t", "{}");
  now_ += std::chrono::minutes(10);
  EXPECT_EQ(router_.forget_idle_topics(), 1u);
  EXPECT_EQ(router_.topic_count(), 0u);
  FakeSubscriber s;
  sub(s, "t");
  router_.publish("t", "{}");
  drain();
  EXPECT_EQ(s.received.back(), "MSG t 1 {}\n");
}

TEST_F(RouterTest, PublishRefreshesTheTtl) {
  router_.publish("t", "{}");
  now_ += std::chrono::minutes(8);
  router_.publish("t", "{}");
  now_ += std::chrono::minutes(8);
  EXPECT_EQ(router_.forget_idle_topics(), 0u);
}

TEST_F(RouterTest, TopicWithExactSubscribersIsNeverForgotten) {
  FakeSubscriber s;
  sub(s, "t");
  now_ += std::chrono::hours(24);
  EXPECT_EQ(router_.forget_idle_topics(), 0u);
}

TEST_F(RouterTest, PatternSubscriptionsDoNotKeepATopic) {
  FakeSubscriber s;
  sub(s, "*");
  router_.publish("t", "{}");
  now_ += std::chrono::minutes(10);
  EXPECT_EQ(router_.forget_idle_topics(), 1u);
}

TEST(RouterNoTtl, ZeroTtlForgetsTopicsAtOnce) {
  Mailbox mailbox([] {});
  Router router({&mailbox}, Router::Clock::duration::zero());
  FakeSubscriber s;
  router.subscribe(s, TopicKind::topic, "t");
  router.publish("t", "{}");
  router.unsubscribe(s, TopicKind::topic, "t");
  EXPECT_EQ(router.topic_count(), 0u);
  router.subscribe(s, TopicKind::topic, "t");
  router.publish("t", "{}");
  std::vector<Delivery> batch;
  mailbox.take(batch);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[1].message->line(), "MSG t 1 {}\n");
  for (const Delivery& delivery : batch) delivery.message->release();
}

}  // namespace
}  // namespace chatbus
