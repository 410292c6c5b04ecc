#include "chatbus/router.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "chatbus/subscriber.hpp"

namespace chatbus {
namespace {

void erase_one(std::vector<Subscriber*>& subscribers, Subscriber* subscriber) {
  const auto it = std::find(subscribers.begin(), subscribers.end(), subscriber);
  assert(it != subscribers.end());
  if (it == subscribers.end()) return;
  // Order among subscribers does not matter; order of messages does, and
  // that is kept by the mailboxes.
  *it = subscribers.back();
  subscribers.pop_back();
}

}  // namespace

Router::Router(std::vector<Mailbox*> mailboxes, Clock::duration topic_ttl,
               std::function<Clock::time_point()> now, std::atomic<std::size_t>* total_pending)
    : mailboxes_(std::move(mailboxes)),
      topic_ttl_(topic_ttl),
      now_(std::move(now)),
      total_pending_(total_pending),
      batches_(mailboxes_.size()) {
  assert(mailboxes_.size() <= max_workers);
}

void Router::subscribe(Subscriber& subscriber, TopicKind kind, std::string_view target) {
  std::lock_guard lock(mutex_);
  if (kind == TopicKind::pattern) {
    auto it = patterns_.find(pattern_prefix(target));
    if (it == patterns_.end()) {
      it = patterns_.emplace(std::string(pattern_prefix(target)), std::vector<Subscriber*>()).first;
    }
    it->second.push_back(&subscriber);
    ++subscriptions_;
    return;
  }
  auto it = topics_.find(target);
  if (it == topics_.end()) it = topics_.emplace(std::string(target), TopicEntry{}).first;
  if (it->second.subscribers.empty()) ++subscribed_topics_;
  it->second.subscribers.push_back(&subscriber);
  ++subscriptions_;
}

void Router::unsubscribe(Subscriber& subscriber, TopicKind kind, std::string_view target) {
  std::lock_guard lock(mutex_);
  remove_locked(subscriber, kind, target);
}

void Router::unsubscribe_all(Subscriber& subscriber, const std::vector<std::string>& targets) {
  if (targets.empty()) return;
  std::lock_guard lock(mutex_);
  for (const std::string& target : targets) {
    remove_locked(subscriber, target.back() == '*' ? TopicKind::pattern : TopicKind::topic, target);
  }
}

void Router::remove_locked(Subscriber& subscriber, TopicKind kind, std::string_view target) {
  if (kind == TopicKind::pattern) {
    const auto it = patterns_.find(pattern_prefix(target));
    assert(it != patterns_.end());
    if (it == patterns_.end()) return;
    erase_one(it->second, &subscriber);
    --subscriptions_;
    if (it->second.empty()) patterns_.erase(it);
    return;
  }
  const auto it = topics_.find(target);
  assert(it != topics_.end());
  if (it == topics_.end()) return;
  erase_one(it->second.subscribers, &subscriber);
  --subscriptions_;
  if (it->second.subscribers.empty()) {
    --subscribed_topics_;
    // Keep the counter for topic_ttl so a subscriber that comes back soon
    // sees the gap; with no ttl there is nothing to keep.
    if (topic_ttl_ <= Clock::duration::zero()) {
      topics_.erase(it);
    } else {
      it->second.last_active = now_();
    }
  }
}

std::size_t Router::publish(std::string_view topic, std::string_view json, unsigned drained_by,
                            Clock::time_point received_at) {
  const std::int64_t received_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(received_at.time_since_epoch()).count();
  std::size_t queued = 0;
  std::array<unsigned, max_workers> to_wake;
  std::size_t wake_count = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(topic);
    // With no ttl, a topic nobody is subscribed to is not kept at all.
    if (it == topics_.end() && topic_ttl_ > Clock::duration::zero()) {
      it = topics_.emplace(std::string(topic), TopicEntry{}).first;
    }
    std::uint64_t seq = 1;
    if (it != topics_.end()) {
      it->second.last_active = now_();
      seq = ++it->second.last_seq;
    }
    const MessagePtr message = make_message(topic, seq, json, received_ns);
    if (it != topics_.end()) fan_out(it->second.subscribers, *message, queued);
    if (!patterns_.empty()) fan_out_patterns(topic, *message, queued);
    // One reference per delivery, taken before any worker can see (and
    // release) one; `message` keeps ours until the end of this scope.
    std::size_t deliveries = 0;
    for (const auto& batch : batches_) deliveries += batch.size();
    if (deliveries > 0) message->add_references(static_cast<std::uint32_t>(deliveries));
    if (total_pending_ != nullptr && queued > 0) {
      total_pending_->fetch_add(queued * message->line().size(), std::memory_order_relaxed);
    }
    for (unsigned worker = 0; worker < batches_.size(); ++worker) {
      if (mailboxes_[worker]->push(batches_[worker]) && worker != drained_by) to_wake[wake_count++] = worker;
    }
  }
  for (std::size_t i = 0; i < wake_count; ++i) mailboxes_[to_wake[i]]->wake();
  return queued;
}

void Router::fan_out(const std::vector<Subscriber*>& subscribers, const Message& message,
                     std::size_t& queued) {
  const std::size_t bytes = message.line().size();
  for (Subscriber* subscriber : subscribers) {
    std::uint32_t epoch;
    const bool fits = subscriber->flow().try_reserve(bytes, epoch);
    queued += fits ? 1 : 0;
    batches_[subscriber->worker()].push_back(
        {subscriber, &message, fits ? Delivery::Kind::queued : Delivery::Kind::skipped, epoch});
  }
}

void Router::fan_out_patterns(std::string_view topic, const Message& message,
                              std::size_t& queued) {
  // A pattern's prefix is empty or ends in ':', so only the topic's prefixes
  // that end at a ':' can match: look up each of them, and the empty one.
  const auto match = [&](std::string_view prefix) {
    if (const auto it = patterns_.find(prefix); it != patterns_.end()) {
      fan_out(it->second, message, queued);
    }
  };
  match(std::string_view());
  for (auto colon = topic.find(':'); colon != std::string_view::npos;
       colon = topic.find(':', colon + 1)) {
    match(topic.substr(0, colon + 1));
  }
}

std::size_t Router::forget_idle_topics() {
  std::lock_guard lock(mutex_);
  const auto now = now_();
  return std::erase_if(topics_, [&](const auto& item) {
    const TopicEntry& entry = item.second;
    return entry.subscribers.empty() && now - entry.last_active >= topic_ttl_;
  });
}

std::size_t Router::topic_count() {
  std::lock_guard lock(mutex_);
  return topics_.size();
}

Router::Stats Router::stats() {
  std::lock_guard lock(mutex_);
  return Stats{topics_.size(), subscribed_topics_, patterns_.size(), subscriptions_};
}

std::vector<Router::TargetCount> Router::subscribed_targets(std::string_view prefix) {
  std::vector<TargetCount> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [topic, entry] : topics_) {
      if (!entry.subscribers.empty() && topic.starts_with(prefix)) {
        targets.push_back({topic, entry.subscribers.size()});
      }
    }
    for (const auto& [pattern_start, subscribers] : patterns_) {
      std::string pattern = pattern_start + "*";
      if (pattern.starts_with(prefix)) targets.push_back({std::move(pattern), subscribers.size()});
    }
  }
  std::sort(targets.begin(), targets.end(),
            [](const TargetCount& a, const TargetCount& b) { return a.target < b.target; });
  return targets;
}

}  // namespace chatbus
