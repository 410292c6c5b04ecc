// workload: the scenarios as numbers, the topic names and the payloads. Every
// broker gets exactly the same topics (chat:stream:<uuid>, lowercase, from a
// seeded generator) and the same ~100-byte ChatStreamNotifyMessage payloads,
// already in chatbusd's canonical form (struct key order, no zero values), so
// chatbusd's canonicalisation leaves them byte for byte as sent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "options.hpp"

namespace chatbus::bench {

/// The shape of one scenario after the command-line overrides.
struct Workload {
  std::uint32_t topics = 1;  ///< distinct topics
  std::uint32_t subscribers =
      1;  ///< connections, one subscription each (subscriber i → topic i % topics)
  std::uint32_t publishers = 1;  ///< publisher connections (topics split between them)
  bool paced = false;            ///< D: fixed rate and latency instead of throughput
  bool idle = false;             ///< E: no publishing, memory per connection
  const char* description = "";  ///< one line for the report
};

Workload workload_for(Scenario scenario, const Options& options);

/// `count` distinct topics "chat:stream:<uuid v4>", lowercase, from `seed`.
std::vector<std::string> make_topics(std::uint32_t count, std::uint64_t seed);

/// Largest payload make_payload can write.
inline constexpr std::size_t max_payload = 160;

/// Writes the canonical payload carrying `after_message_id` (must be > 0) into
/// `out` (max_payload bytes) and returns its length. With a 16-digit ID it is
/// exactly 100 bytes:
/// {"after_message_id":N,"status":"running","worker_id":"replica-2","queue_update":true}
std::size_t make_payload(char* out, std::uint64_t after_message_id);

/// First ID of the throughput scenarios: 16 digits, so payloads are 100 bytes.
inline constexpr std::uint64_t throughput_id_base = 1'000'000'000'000'000ULL;

}  // namespace chatbus::bench
