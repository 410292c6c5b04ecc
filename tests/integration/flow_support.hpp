// flow_support: floods a stalled subscriber and checks, from what it finally
// reads, that every published seq is accounted for (PROTOCOL.md: Flow control).
#pragma once

#include "test_support.hpp"

#include <functional>
#include <map>

namespace chatbus::itest {

/// What the publisher learned from its `OK <n>` replies during a flood.
struct Flood {
  /// topic -> for seq 1, 2, ...: how many of the slow subscriber's
  /// subscriptions the PUB's `<n>` counted.
  std::map<std::string, std::vector<std::size_t>> queued;
  std::size_t skipped = 0;  ///< slow subscriptions the counts left out, in all
};

/// How to flood: see flood_until_skipped.
struct FloodOptions {
  std::size_t others = 0;          ///< other subscriptions every message must reach
  std::size_t slow_subscriptions = 1;  ///< the slow subscriber's matching subscriptions
  std::size_t batch = 200;         ///< PUBs pipelined before reading their replies
  std::function<void(std::size_t)> after_batch;  ///< runs after each batch of n
};

/// Publishes ~1 KB messages round-robin to `topics` in pipelined batches
/// until the slow subscriber's subscriptions were left out `want_skipped`
/// times by the replies' counts.
Flood flood_until_skipped(LineClient& publisher, const std::vector<std::string>& topics,
                          std::size_t want_skipped = 300, const FloodOptions& options = {});

/// Follows one subscriber's stream, topic by topic, against a Flood.
class Accounting {
 public:
  explicit Accounting(Flood flood);

  /// Adds a later flood of the same publisher: its seqs follow on.
  void extend(const Flood& more);

  /// Feeds one push; records a failure if the stream breaks a rule.
  void feed(const std::string& push);
  /// True once every published seq of every topic is received or dropped.
  bool complete() const;
  /// Reads until complete(), or until the stream broke a rule. Replies met
  /// on the way are kept in replies().
  void read_all(LineClient& subscriber);
  /// Replies read by read_all, in order.
  const std::vector<std::string>& replies() const { return replies_; }
  std::string summary() const;

  std::uint64_t received() const { return received_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct TopicState {
    std::uint64_t published = 0;        ///< seqs the publisher got replies for
    std::uint64_t last_seq = 0;         ///< last MSG seen
    std::uint64_t pending_dropped = 0;  ///< DROPPED counts since that MSG
  };
  /// Records the first broken rule as a test failure.
  void violation(const std::string& what);

  Flood flood_;                                 ///< the replies to check against
  std::vector<std::string> replies_;            ///< replies met by read_all
  bool broken_ = false;                         ///< a rule was broken already
  std::map<std::string, TopicState> topics_;    ///< per-topic progress
  std::uint64_t received_ = 0;                  ///< MSG lines seen
  std::uint64_t dropped_ = 0;                   ///< sum of DROPPED counts
};

}  // namespace chatbus::itest
