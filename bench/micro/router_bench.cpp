// Router::publish followed by the owning worker's drain of its mailbox, on
// one worker, with fake subscribers whose deliver() models a session's
// outbound queue: it keeps the MessagePtr, and the first message into an
// empty queue schedules a "write" (clear the queue, release the flow-control
// bytes) that runs after the drain, as Session::schedule_flush does. So
// every message's last reference goes within the iteration that made it.
//
// Items are deliveries (subscriptions reached x publishes); `publishes` is
// the publish rate. `no_subscribers` is the per-publish floor (lock, clock,
// sequence number, Message construction, mailbox push and take), so the
// per-delivery cost is roughly (t(N) - t(no_subscribers)) / N.
#include "chatbus/router.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "bench_data.hpp"
#include "chatbus/subscriber.hpp"

namespace chatbus::bench {
namespace {

/// A subscriber on worker 0 that queues what it gets, like a session.
class QueueingSubscriber final : public Subscriber {
 public:
  QueueingSubscriber() : Subscriber(0, std::size_t{1} << 20) { queue_.reserve(16); }

  void deliver(MessagePtr message) override {
    queued_bytes_ += message->line().size();
    queue_.push_back(std::move(message));
  }

  void skip(const Message&, std::uint32_t) override { ++skipped_; }

  /// Messages skipped under flow control (none expected here).
  std::size_t skipped() const { return skipped_; }

  /// Messages delivered and not yet written.
  std::size_t queued() const { return queue_.size(); }

  /// What a completed writev does: drop the references, give back the budget.
  void write() {
    flow().release(queued_bytes_);
    queued_bytes_ = 0;
    queue_.clear();
  }

 private:
  std::vector<MessagePtr> queue_;  ///< delivered, not yet "written"
  std::size_t queued_bytes_ = 0;   ///< bytes of queue_, reserved in flow()
  std::size_t skipped_ = 0;        ///< skip() calls
};

/// One router over one mailbox, drained by hand as Worker::drain_mailbox does.
class RouterRig {
 public:
  RouterRig() : mailbox_([this] { ++wakes_; }), router_({&mailbox_}, std::chrono::minutes(10)) {}

  /// A new subscriber on `target` (a topic or a pattern).
  void subscribe(std::string_view target) {
    subscribers_.push_back(std::make_unique<QueueingSubscriber>());
    std::string canonical;
    const TopicKind kind = parse_topic_or_pattern(target, canonical);
    router_.subscribe(*subscribers_.back(), kind, canonical);
  }

  std::size_t publish(std::string_view topic, std::string_view json) {
    return router_.publish(topic, json);
  }

  /// The worker's side: take the mailbox, hand each delivery over, then
  /// run the writes scheduled by first messages into empty queues.
  void drain() {
    mailbox_.take(batch_);
    for (Delivery& delivery : batch_) {
      auto* target = static_cast<QueueingSubscriber*>(delivery.target);
      // Each delivery owns one reference, adopted here as the worker does.
      MessagePtr message = MessagePtr::adopt(delivery.message);
      if (delivery.kind == Delivery::Kind::queued) {
        target->deliver(std::move(message));
        if (target->queued() == 1) to_write_.push_back(target);
      }
      if (delivery.kind == Delivery::Kind::skipped) target->skip(*message, delivery.epoch);
    }
    batch_.clear();
    for (QueueingSubscriber* subscriber : to_write_) subscriber->write();
    to_write_.clear();
  }

  std::size_t skipped() const {
    std::size_t total = 0;
    for (const auto& subscriber : subscribers_) total += subscriber->skipped();
    return total;
  }

 private:
  std::vector<std::unique_ptr<QueueingSubscriber>> subscribers_;  ///< owned here
  std::size_t wakes_ = 0;             ///< wake-ups the mailbox asked for
  Mailbox mailbox_;                   ///< worker 0's mailbox
  Router router_;                     ///< the router under test
  std::vector<Delivery> batch_;       ///< the worker's drain buffer, reused
  std::vector<QueueingSubscriber*> to_write_;  ///< writes scheduled by this drain
};

/// Publishes to `topics` round-robin, draining after each publish, and
/// reports deliveries. `per_publish` is the receiver count every publish must see.
void run_publishes(benchmark::State& state, RouterRig& rig, const std::vector<std::string>& topics,
                   std::size_t per_publish) {
  const std::string payload = chat_payload(123456);
  std::size_t next = 0;
  std::size_t wrong = 0;
  const AllocationMeter meter;
  for (auto _ : state) {
    const std::string& topic = topics[next];
    next = next + 1 == topics.size() ? 0 : next + 1;
    wrong += rig.publish(topic, payload) == per_publish ? 0 : 1;
    rig.drain();
    benchmark::ClobberMemory();
  }
  meter.report(state);
  if (wrong != 0 || rig.skipped() != 0) state.SkipWithError("a delivery was lost or skipped");
  const std::int64_t publishes = state.iterations();
  state.SetItemsProcessed(publishes * static_cast<std::int64_t>(per_publish));
  state.counters["publishes"] =
      benchmark::Counter(static_cast<double>(publishes), benchmark::Counter::kIsRate);
}

void BM_RouterNoSubscribers(benchmark::State& state) {
  RouterRig rig;
  const std::vector<std::string> topics = chat_topics(1);
  run_publishes(state, rig, topics, 0);
  state.SetItemsProcessed(state.iterations());  // publishes, as nothing is delivered
}
BENCHMARK(BM_RouterNoSubscribers);

void BM_RouterFanOut(benchmark::State& state) {
  const auto subscribers = static_cast<std::size_t>(state.range(0));
  RouterRig rig;
  const std::vector<std::string> topics = chat_topics(1);
  for (std::size_t i = 0; i < subscribers; ++i) rig.subscribe(topics[0]);
  run_publishes(state, rig, topics, subscribers);
}
BENCHMARK(BM_RouterFanOut)->ArgName("subscribers")->Arg(1)->Arg(100)->Arg(1000);

void BM_RouterFanOutWithPattern(benchmark::State& state) {
  const auto subscribers = static_cast<std::size_t>(state.range(0));
  RouterRig rig;
  const std::vector<std::string> topics = chat_topics(1);
  for (std::size_t i = 0; i < subscribers; ++i) rig.subscribe(topics[0]);
  rig.subscribe("chat:stream:*");
  run_publishes(state, rig, topics, subscribers + 1);
}
BENCHMARK(BM_RouterFanOutWithPattern)->ArgName("subscribers")->Arg(1)->Arg(100)->Arg(1000);

void BM_RouterRoundRobinTopics(benchmark::State& state) {
  const auto topic_count = static_cast<std::size_t>(state.range(0));
  RouterRig rig;
  const std::vector<std::string> topics = chat_topics(topic_count);
  for (const std::string& topic : topics) rig.subscribe(topic);
  run_publishes(state, rig, topics, 1);
}
BENCHMARK(BM_RouterRoundRobinTopics)->ArgName("topics")->Arg(1000);

}  // namespace
}  // namespace chatbus::bench
