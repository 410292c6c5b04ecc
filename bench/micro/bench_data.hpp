// bench_data: realistic inputs for the microbenchmarks, built once per
// benchmark outside its timed loop. Topics are `chat:stream:<uuid>` with
// random (but seeded, so runs compare) UUIDs; payloads are the ~100-byte
// ChatStreamNotifyMessage objects the Go back end publishes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace chatbus::bench {

/// How many distinct inputs a benchmark cycles through (a power of two, so
/// the index is a mask): enough to keep the branch predictor honest, few
/// enough to stay in L1.
inline constexpr std::size_t input_variety = 64;

/// `count` distinct `chat:stream:<lowercase uuid>` topics, the same for a seed.
std::vector<std::string> chat_topics(std::size_t count, std::uint64_t seed = 1);

/// A chat_topics() topic with the hex letters of its UUID upper-cased (the
/// `chat:stream:` prefix stays as it is, or it would be another namespace).
std::string with_uppercase_uuid(std::string topic);

/// A canonical ChatStreamNotifyMessage, as the Go back end sends it:
/// `{"after_message_id":<id>,"status":"running","worker_id":...,"queue_update":true}`.
std::string chat_payload(std::uint64_t after_message_id);

/// Pipelined `PUB <topic> <payload>\n` lines, round-robin over
/// input_variety topics, filling at most `max_bytes` with whole lines.
struct PipelinedLines {
  std::string bytes;       ///< the lines, each ending in LF
  std::size_t lines = 0;   ///< how many there are
};
PipelinedLines pipelined_pubs(std::size_t max_bytes);

}  // namespace chatbus::bench
