// ledger: what the soak knows about the publishes it made and what the
// auditors saw, so that every acknowledged publish to a sampled topic can be
// accounted for at the end.
//
// Every PUB the soak sends carries a unique id as its after_message_id. For
// the sampled topics the ledger keeps the ids answered `OK`, and per id a
// bit for each auditor that received it. The check per auditor and topic:
// acknowledged ids it never received must not outnumber the MSGs its
// DROPPED lines counted. Single-threaded, like the rest of the soak.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chatbus::soak {

/// Counters for the summary, and the violations found.
struct Stats {
  std::uint64_t connections = 0;         ///< connections opened
  std::uint64_t published = 0;           ///< PUB lines sent
  std::uint64_t acknowledged = 0;        ///< PUBs answered `OK <n>`
  std::uint64_t acknowledged_sampled = 0;  ///< ... of them to a sampled topic
  std::uint64_t refused_overloaded = 0;  ///< PUBs answered `ERR overloaded`
  std::uint64_t delivered = 0;           ///< MSGs received by auditors
  std::uint64_t dropped = 0;             ///< MSGs auditors were told were dropped
  std::uint64_t unaccounted = 0;         ///< acknowledged, neither delivered nor dropped
  std::map<std::string, std::uint64_t> faults;     ///< injected faults and their outcomes, by kind
  std::uint64_t violation_count = 0;     ///< rules broken
  std::vector<std::string> violations;   ///< the first few, for the summary

  /// Records a broken rule.
  void violation(std::string what);
  /// Counts one fault (or outcome) of `kind`.
  void fault(const std::string& kind) { ++faults[kind]; }
};

class Ledger {
 public:
  /// `pool`: the topics churning clients use; `audited`: the topics the
  /// auditors subscribe to (some of the pool, and the drill topic).
  Ledger(std::vector<std::string> pool, std::vector<std::string> audited, std::size_t auditors);

  const std::vector<std::string>& pool() const { return pool_; }
  const std::vector<std::string>& audited() const { return audited_; }
  std::size_t auditor_count() const { return auditors_; }

  /// A fresh id for a PUB's after_message_id (ids start at 1).
  std::uint64_t next_id();
  /// Index of a sampled topic, if `topic` is one.
  std::optional<std::size_t> sampled_index(std::string_view topic) const;

  /// The PUB of `id` to `topic` was answered `OK`.
  void acknowledged(std::string_view topic, std::uint64_t id);
  /// An id sent in a line that was never terminated: it must never arrive.
  void forbid(std::uint64_t id);

  /// Auditor `auditor` received `id` on sampled topic `topic`; records a
  /// violation in `stats` if that breaks a rule.
  void delivered(std::size_t auditor, std::size_t topic, std::uint64_t id, Stats& stats);

  /// Acknowledged ids of sampled topic `topic` that auditor `auditor` never received.
  std::uint64_t missing(std::size_t auditor, std::size_t topic) const;

 private:
  std::vector<std::string> pool_;                ///< topics of the churning clients
  std::vector<std::string> audited_;             ///< topics of the auditors
  std::size_t auditors_;                         ///< at most 8: one bit each
  std::unordered_map<std::string_view, std::size_t> index_;  ///< sampled topic -> index
  std::vector<std::vector<std::uint64_t>> acked_;  ///< per sampled topic: acknowledged ids
  std::vector<std::uint8_t> received_;           ///< per id: a bit per auditor that got it
  std::vector<bool> forbidden_;                  ///< per id: sent without its LF
  std::uint64_t last_id_ = 0;                    ///< ids handed out so far
};

}  // namespace chatbus::soak
