// router: the topic registry. It maps topics and prefix patterns to the
// subscribers on them, numbers each topic's messages, and fans one encoded
// Message out to every matching subscription.
//
// Concurrency: one mutex guards all of it. publish() holds it only to look up
// the topic, take the next sequence number, build the Message once and push
// the deliveries into the receiving workers' mailboxes; it never calls into a
// subscriber (FlowControl aside, which is thread-safe) and does no I/O.
// Pushing under the lock is what keeps every subscriber's view of a topic in
// sequence order when several threads publish to it. Wake-ups of the
// mailboxes' owners happen after the lock is released.
//
// Ownership: the router holds raw Subscriber pointers and never keeps a
// subscriber alive; see subscriber.hpp for the retirement protocol.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "chatbus/mailbox.hpp"
#include "chatbus/string_map.hpp"
#include "chatbus/topic.hpp"

namespace chatbus {

class Subscriber;

class Router {
 public:
  using Clock = std::chrono::steady_clock;

  /// Upper bound on worker threads (and so on mailboxes).
  static constexpr std::size_t max_workers = 256;

  /// `mailboxes[i]` belongs to worker i. Topics without exact subscribers
  /// are forgotten `topic_ttl` after their last activity.
  /// `total_pending`, if given, receives the bytes every publish reserves.
  Router(std::vector<Mailbox*> mailboxes, Clock::duration topic_ttl,
         std::function<Clock::time_point()> now = &Clock::now,
         std::atomic<std::size_t>* total_pending = nullptr);

  /// Adds a subscription. `kind` is topic or pattern; `target` is canonical
  /// (see parse_topic_or_pattern). The caller ensures it is not a duplicate.
  void subscribe(Subscriber& subscriber, TopicKind kind, std::string_view target);

  /// Removes a subscription the subscriber holds.
  void unsubscribe(Subscriber& subscriber, TopicKind kind, std::string_view target);

  /// Removes all of a leaving subscriber's subscriptions (canonical targets,
  /// patterns ending in `*`) under one acquisition of the lock.
  void unsubscribe_all(Subscriber& subscriber, const std::vector<std::string>& targets);

  /// No worker: wake every mailbox that needs it.
  static constexpr unsigned no_worker = ~0u;

  /// Queues `json` as the next message of `topic` (canonical) to every
  /// matching subscription; returns how many were queued (skips excluded).
  /// The mailbox of worker `drained_by` is not woken: the caller runs on
  /// that worker and drains it right after (saving a posted drain per PUB).
  /// `received_at`: when the PUB arrived, carried for latency metrics.
  std::size_t publish(std::string_view topic, std::string_view json, unsigned drained_by = no_worker,
                      Clock::time_point received_at = Clock::now());

  /// Forgets topics idle for longer than the ttl. Returns how many.
  std::size_t forget_idle_topics();

  /// Number of topics the router currently keeps.
  std::size_t topic_count();

  /// Sizes for metrics, read under the lock.
  struct Stats {
    std::size_t topics = 0;             ///< topics kept (idle ones within their ttl too)
    std::size_t subscribed_topics = 0;  ///< topics with an exact subscriber
    std::size_t patterns = 0;           ///< distinct patterns subscribed to
    std::size_t subscriptions = 0;      ///< subscriptions, patterns included
  };
  Stats stats();

  /// A topic (or pattern, ending in `*`) and its subscriber count.
  struct TargetCount {
    std::string target;        ///< canonical topic or pattern
    std::size_t subscribers;   ///< subscriptions on it
  };

  /// Every subscribed topic and pattern whose text starts with `prefix`,
  /// sorted by text. Copies them under the lock: O(topics), for /v1/stats.
  std::vector<TargetCount> subscribed_targets(std::string_view prefix);

 private:
  struct TopicEntry {
    std::uint64_t last_seq = 0;               ///< seq of the last accepted message
    std::vector<Subscriber*> subscribers;     ///< exact subscriptions
    Clock::time_point last_active;            ///< last publish or last unsubscribe
  };
  void remove_locked(Subscriber& subscriber, TopicKind kind, std::string_view target);
  void fan_out(const std::vector<Subscriber*>& subscribers, const Message& message,
               std::size_t& queued);
  void fan_out_patterns(std::string_view topic, const Message& message, std::size_t& queued);

  std::vector<Mailbox*> mailboxes_;                  ///< one per worker, by index
  const Clock::duration topic_ttl_;                  ///< how long an idle topic is kept
  std::function<Clock::time_point()> now_;           ///< clock, injectable for tests
  std::atomic<std::size_t>* const total_pending_;    ///< server-wide queued bytes, or null
  std::mutex mutex_;                                 ///< guards everything below
  StringMap<TopicEntry> topics_;                     ///< concrete topic -> state
  StringMap<std::vector<Subscriber*>> patterns_;     ///< pattern prefix -> subscribers
  std::vector<std::vector<Delivery>> batches_;       ///< per-worker scratch for publish
  std::size_t subscriptions_ = 0;                    ///< all subscriptions, for stats()
  std::size_t subscribed_topics_ = 0;                ///< topics with exact subscribers
};

}  // namespace chatbus
