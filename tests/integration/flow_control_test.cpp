// Slow consumers (PROTOCOL.md: Flow control). A subscriber with a small
// max_pending and a small SO_RCVBUF stops reading while a publisher floods;
// the publisher must never block, and what the subscriber finally reads must
// account for every seq through MSG lines and DROPPED counts.
#include "flow_support.hpp"

#include <chrono>
#include <thread>

#include <numeric>

namespace chatbus::itest {
namespace {

// Small enough that the kernel holds little for the stalled subscriber.
constexpr int small_receive_buffer = 4096;
const std::vector<std::string> three_topics{"fc:a", "fc:b", stream_topic(uuid_lower)};

// A small max_pending needs a max_line below it; the ~1 KB lines fit in 4 KiB.
std::vector<std::string> flow_flags(std::string max_pending, std::string slow_consumer_timeout) {
  return {"--max-pending", std::move(max_pending), "--max-line", "4KiB", "--slow-consumer-timeout",
          std::move(slow_consumer_timeout), "--threads", "2"};
}

class SlowSubscriber : public testing::Test {
 protected:
  SlowSubscriber()
      : daemon_(flow_flags("16KiB", "30s")),
        slow_(daemon_.connect(small_receive_buffer)),
        publisher_(daemon_.connect()) {}

  /// Subscribes the slow client to `topics`, floods them and reads it all.
  void flood_and_read(const std::vector<std::string>& topics, std::size_t want_skipped = 300) {
    for (const auto& topic : topics) subscribe(slow_, topic);
    flood_ = flood_until_skipped(publisher_, topics, want_skipped);
    accounting_.emplace(flood_);
    accounting_->read_all(slow_);
  }

  Daemon daemon_;                         ///< 16 KiB max_pending, long timeout
  LineClient slow_;                       ///< subscribes, then stops reading
  LineClient publisher_;                  ///< floods
  Flood flood_;                           ///< what the publisher's replies said
  std::optional<Accounting> accounting_;  ///< what the slow client read
};

TEST_F(SlowSubscriber, PublisherIsNeverSlowed) {
  subscribe(slow_, "fc:a");
  // flood_until_skipped reads every OK while the subscriber reads nothing;
  // a publisher held back by the subscriber would run into the deadline.
  flood_ = flood_until_skipped(publisher_, {"fc:a"}, 2000);
  EXPECT_GE(flood_.skipped, 2000u);
}

TEST_F(SlowSubscriber, ReceivedPlusDroppedIsEveryPublishedSeq) {
  flood_and_read(three_topics);
  EXPECT_GT(accounting_->dropped(), 0u) << accounting_->summary();
  EXPECT_TRUE(accounting_->complete()) << accounting_->summary();
  auto after = slow_.barrier();
  EXPECT_TRUE(after.empty()) << "pushes after everything was accounted for: " << joined(after);
}

TEST_F(SlowSubscriber, DroppedComesBeforeAnyNewerMsgOfItsTopic) {
  // Accounting checks each MSG's seq against the last one plus the DROPPED
  // counts since. A second flood after the first drain makes sure newer
  // MSGs do follow the first round's DROPPED lines.
  flood_and_read(three_topics);
  ASSERT_GT(accounting_->dropped(), 0u);
  accounting_->extend(flood_until_skipped(publisher_, three_topics));
  accounting_->read_all(slow_);
  EXPECT_TRUE(accounting_->complete()) << accounting_->summary();
}

TEST_F(SlowSubscriber, PubCountsOnlyTheQueuedDeliveries) {
  flood_and_read(three_topics);
  std::uint64_t counted = 0;
  for (const auto& [topic, queued] : flood_.queued) counted += std::accumulate(queued.begin(), queued.end(), 0u);
  // Every MSG matched a PUB that counted the subscriber (checked per seq in
  // Accounting); here: no counted PUB went missing either.
  EXPECT_EQ(accounting_->received(), counted) << accounting_->summary();
  EXPECT_EQ(accounting_->dropped(), flood_.skipped) << accounting_->summary();
}

TEST_F(SlowSubscriber, PatternSubscriptionIsAccountedPerConcreteTopic) {
  subscribe(slow_, "fc:*");
  flood_ = flood_until_skipped(publisher_, {"fc:x", "fc:y"});
  Accounting accounting(flood_);
  accounting.read_all(slow_);
  EXPECT_TRUE(accounting.complete()) << accounting.summary();
  EXPECT_EQ(accounting.dropped(), flood_.skipped);
}

TEST_F(SlowSubscriber, DroppedIsSentForATopicUnsubscribedSince) {
  subscribe(slow_, "fc:gone");
  flood_ = flood_until_skipped(publisher_, {"fc:gone"});
  // Still without reading: unsubscribe, then ask for a barrier.
  slow_.send_raw("UNSUB fc:gone\nPING unsubscribed\n");
  Accounting accounting(flood_);
  accounting.read_all(slow_);
  EXPECT_TRUE(accounting.complete()) << accounting.summary();
  EXPECT_EQ(accounting.dropped(), flood_.skipped);
  // Every command is still answered, in order, even past the limit.
  std::vector<std::string> replies = accounting.replies();
  while (replies.size() < 2) replies.push_back(slow_.read_reply());
  EXPECT_EQ(replies, (std::vector<std::string>{"OK fc:gone", "PONG unsubscribed"}));
  EXPECT_EQ(publish(publisher_, "fc:gone", "{}"), "OK 0");
}

TEST_F(SlowSubscriber, DroppedCountsEverySkippedLineOfPatternAndExactSubscriptions) {
  subscribe(slow_, "fc:a");
  subscribe(slow_, "fc:*");
  FloodOptions options;
  options.slow_subscriptions = 2;
  flood_ = flood_until_skipped(publisher_, {"fc:a"}, 300, options);
  const auto& counted = flood_.queued.at("fc:a");
  // Each message is two MSG lines; DROPPED counts skipped lines, not messages.
  std::vector<std::size_t> lines(counted.size() + 1, 0);
  std::uint64_t received = 0;
  std::uint64_t dropped = 0;
  std::uint64_t last_seq = 0;
  while (received + dropped < 2 * counted.size()) {
    std::string push = slow_.next_push();
    if (auto skipped = parse_dropped(push)) {
      ASSERT_EQ(skipped->topic, "fc:a");
      dropped += skipped->count;
      continue;
    }
    Msg msg = as_msg(push);
    ASSERT_GE(msg.seq, last_seq) << "MSG lines out of order";
    ASSERT_LE(msg.seq, counted.size());
    last_seq = msg.seq;
    ++lines[msg.seq];
    ++received;
  }
  for (std::size_t seq = 1; seq <= counted.size(); ++seq) {
    ASSERT_EQ(lines[seq], counted[seq - 1]) << "seq " << seq << ": MSG lines received vs the PUB's count";
  }
  EXPECT_EQ(dropped, flood_.skipped);
  EXPECT_TRUE(slow_.barrier().empty());
}

TEST(SlowSubscribers, DoNotSlowOtherSubscribers) {
  Daemon daemon(flow_flags("64KiB", "30s"));
  auto slow = daemon.connect(small_receive_buffer);
  auto fast = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(slow, "fc:a");
  subscribe(fast, "fc:a");
  std::uint64_t fast_seq = 0;
  // The fast subscriber reads each batch as soon as it is published.
  auto read_batch = [&](std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      Msg msg = as_msg(fast.next_push());
      ASSERT_EQ(msg.seq, ++fast_seq) << "the fast subscriber lost a message";
    }
  };
  FloodOptions options;
  options.others = 1;
  options.batch = 10;  // 10 KB: far below the fast subscriber's own limit
  options.after_batch = read_batch;
  Flood flood = flood_until_skipped(publisher, {"fc:a"}, 500, options);
  EXPECT_TRUE(fast.barrier().empty());
  Accounting accounting(flood);
  accounting.read_all(slow);
  EXPECT_TRUE(accounting.complete()) << accounting.summary();
}

TEST(SlowConsumer, NeverDrainingGetsByeSlowConsumer) {
  Daemon daemon(flow_flags("16KiB", "200ms"));
  auto slow = daemon.connect(small_receive_buffer);
  auto publisher = daemon.connect();
  subscribe(slow, "fc:a");
  flood_until_skipped(publisher, {"fc:a"}, 1);
  auto passed_limit = Clock::now();
  // Time is the subject: keep the queue over the limit (the kernel may still
  // take a little now and then) well past the timeout, reading nothing.
  FloodOptions small_batches;
  small_batches.batch = 20;  // 20 KB: enough to refill a 16 KiB queue
  while (Clock::now() < passed_limit + std::chrono::milliseconds(1000)) {
    flood_until_skipped(publisher, {"fc:a"}, 1, small_batches);
  }
  std::vector<std::string> lines;
  try {
    while (auto line = slow.read_line()) lines.push_back(std::move(*line));
  } catch (const std::exception& error) {
    FAIL() << "expected complete MSG lines, then BYE slow_consumer, then EOF; after " << lines.size()
           << " complete lines: " << error.what();
  }
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "BYE slow_consumer");
  EXPECT_LT(Clock::now() - passed_limit, std::chrono::seconds(8)) << "BYE slow_consumer took too long";
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    ASSERT_TRUE(parse_msg(lines[i]) || parse_dropped(lines[i])) << "line " << i << ": " << lines[i].substr(0, 100);
  }
  EXPECT_EQ(publish(publisher, "fc:a", "{}"), "OK 0");
}

TEST(SlowConsumer, OneMsgThatPassesTheLimitStartsTheClock) {
  // A MSG is queued while the queue has not passed the limit, so a single
  // big one can take it far past; no later skip is needed to start the
  // slow-consumer clock.
  Daemon daemon({"--max-pending", "1MiB", "--max-line", "16MiB", "--slow-consumer-timeout", "300ms"});
  auto slow = daemon.connect(small_receive_buffer);
  auto publisher = daemon.connect();
  subscribe(slow, "fc:big");
  const std::string payload = "{\"pad\":\"" + std::string(10 << 20, 'p') + "\"}";
  ASSERT_EQ(publish(publisher, "fc:big", payload), "OK 1");
  // Time is the subject: read nothing for well past the timeout.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  std::optional<std::string> last;
  std::size_t lines = 0;
  while (auto line = slow.read_line()) {
    last = std::move(line);
    ++lines;
  }
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, "BYE slow_consumer");
  EXPECT_LE(lines, 2u);  // at most the MSG that was being written, then the BYE
}

TEST(SlowConsumer, DrainingInTimeAvoidsTheBye) {
  Daemon daemon(flow_flags("16KiB", "2s"));
  auto slow = daemon.connect(small_receive_buffer);
  auto publisher = daemon.connect();
  subscribe(slow, "fc:a");
  Flood flood = flood_until_skipped(publisher, {"fc:a"}, 100);
  Accounting accounting(flood);
  accounting.read_all(slow);
  EXPECT_TRUE(accounting.complete()) << accounting.summary();
  auto after = slow.barrier();
  EXPECT_TRUE(after.empty()) << joined(after);
  EXPECT_EQ(publish(publisher, "fc:a", "{}"), "OK 1");
}

}  // namespace
}  // namespace chatbus::itest
