// parse: the incoming side of the three wire protocols, for the generator's
// subscriber and publisher connections. These are the generator's hot path:
// each call takes what one read() brought (plus the partial frame left from
// the previous one), counts every delivery exactly, and returns how many bytes
// formed complete frames. They parse only what is checked: the frame
// boundaries, the topic length, chatbus's seq, and for latency the
// after_message_id digits. No allocation; the first protocol violation is
// written to ParseContext::error and ends the call (the run is then invalid).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "histogram.hpp"
#include "options.hpp"

namespace chatbus::bench {

/// What one subscriber connection has received so far.
struct SubscriberSeen {
  std::uint64_t delivered = 0;     ///< messages (MSG lines / message pushes)
  std::uint64_t dropped = 0;       ///< chatbus: sum of DROPPED counts
  std::uint64_t next_seq = 0;      ///< chatbus: seq due next (0 = none seen yet)
  std::uint32_t confirms = 0;      ///< subscription confirmations (chatbus OK, Redis subscribe)
  std::uint32_t pongs = 0;         ///< replies to our PINGs
  std::uint32_t server_pings = 0;  ///< NATS: PINGs from the server (each needs a PONG)
};

/// What one publisher connection has received so far.
struct PublisherSeen {
  std::uint64_t acks = 0;          ///< chatbus OK <n> / Redis :<n>
  std::uint64_t receivers = 0;     ///< sum of those <n>
  std::uint32_t pongs = 0;         ///< replies to our PINGs (NATS: the window)
  std::uint32_t server_pings = 0;  ///< NATS: PINGs from the server
};

/// Per-run facts the parsers need, and where they report a violation.
struct ParseContext {
  std::size_t topic_len = 0;            ///< every topic of a run has this length
  std::string redis_message_head;       ///< "*3\r\n$7\r\nmessage\r\n$<topic_len>\r\n"
  LatencyHistogram* latency = nullptr;  ///< non-null: record now - after_message_id
  std::uint64_t now = 0;                ///< when the bytes being parsed were read
  std::string error;                    ///< first violation ("" = none)
};

std::size_t parse_chatbus_subscriber(const char* data, std::size_t len, SubscriberSeen& seen,
                                     ParseContext& ctx);
std::size_t parse_chatbus_publisher(const char* data, std::size_t len, PublisherSeen& seen,
                                    ParseContext& ctx);
std::size_t parse_nats_subscriber(const char* data, std::size_t len, SubscriberSeen& seen,
                                  ParseContext& ctx);
std::size_t parse_nats_publisher(const char* data, std::size_t len, PublisherSeen& seen,
                                 ParseContext& ctx);
std::size_t parse_redis_subscriber(const char* data, std::size_t len, SubscriberSeen& seen,
                                   ParseContext& ctx);
std::size_t parse_redis_publisher(const char* data, std::size_t len, PublisherSeen& seen,
                                  ParseContext& ctx);

inline std::size_t parse_subscriber(Broker b, const char* data, std::size_t len,
                                    SubscriberSeen& seen, ParseContext& ctx) {
  switch (b) {
    case Broker::chatbus: return parse_chatbus_subscriber(data, len, seen, ctx);
    case Broker::nats: return parse_nats_subscriber(data, len, seen, ctx);
    case Broker::redis: return parse_redis_subscriber(data, len, seen, ctx);
  }
  return 0;
}

inline std::size_t parse_publisher(Broker b, const char* data, std::size_t len, PublisherSeen& seen,
                                   ParseContext& ctx) {
  switch (b) {
    case Broker::chatbus: return parse_chatbus_publisher(data, len, seen, ctx);
    case Broker::nats: return parse_nats_publisher(data, len, seen, ctx);
    case Broker::redis: return parse_redis_publisher(data, len, seen, ctx);
  }
  return 0;
}

namespace parse_detail {

/// Reads decimal digits at `p`, advancing it; false if there were none or
/// the input ended inside them (then the frame is incomplete or invalid —
/// the caller tells which from `p == end`).
inline bool read_uint(const char*& p, const char* end, std::uint64_t& value) {
  const char* start = p;
  std::uint64_t v = 0;
  while (p < end && static_cast<unsigned char>(*p - '0') < 10) {
    v = v * 10 + static_cast<std::uint64_t>(*p - '0');
    ++p;
  }
  value = v;
  return p != start && p < end;
}

/// Records the latency of a payload that starts {"after_message_id":<ns>.
void record_latency(const char* payload, const char* end, ParseContext& ctx);

/// `ctx.error` = what + the line (printable, at most 120 bytes).
void report(ParseContext& ctx, const char* what, const char* line, const char* end);

}  // namespace parse_detail

}  // namespace chatbus::bench
