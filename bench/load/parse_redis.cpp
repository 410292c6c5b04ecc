// parse_redis: RESP2 as a pub/sub client sees it. A message push is
// "*3\r\n$7\r\nmessage\r\n$<n>\r\n<channel>\r\n$<m>\r\n<payload>\r\n"; its head
// up to the channel is the same for every topic of a run (they share one
// length), so it is compared in one memcmp, the channel and payload skipped by
// their lengths. Everything else (subscribe confirmations, the PING reply
// "*2 pong ''", errors) goes through a small generic reader.
#include <array>
#include <cstring>
#include <string_view>

#include "parse.hpp"

namespace chatbus::bench {
namespace {

using parse_detail::read_uint;
using parse_detail::report;

enum class Got { complete, incomplete, bad };

/// A RESP value of at most 3 flat elements (all this client ever receives).
struct Frame {
  char type = 0;                            ///< '*', '+', '-' or ':'
  std::array<std::string_view, 3> items{};  ///< elements, or the line itself
  std::size_t count = 0;                    ///< number of items
};

/// The text up to the next CRLF, advancing `p` past it.
Got read_line(const char*& p, const char* end, std::string_view& line) {
  const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
  if (nl == nullptr) return Got::incomplete;
  if (nl == p || nl[-1] != '\r') return Got::bad;
  line = {p, static_cast<std::size_t>(nl - 1 - p)};
  p = nl + 1;
  return Got::complete;
}

Got read_element(const char*& p, const char* end, std::string_view& item) {
  if (p == end) return Got::incomplete;
  const char type = *p++;
  std::string_view line;
  if (Got g = read_line(p, end, line); g != Got::complete) return g;
  if (type == ':') {
    item = line;
    return Got::complete;
  }
  const char* q = line.data();
  std::uint64_t size = 0;
  read_uint(q, line.data() + line.size(), size);
  if (type != '$' || q != line.data() + line.size()) return Got::bad;
  if (static_cast<std::size_t>(end - p) < size + 2) return Got::incomplete;
  item = {p, size};
  p += size + 2;
  return Got::complete;
}

Got read_frame(const char*& p, const char* end, Frame& f) {
  f.type = *p;
  const char* q = p + 1;
  std::string_view line;
  if (Got g = read_line(q, end, line); g != Got::complete) return g;
  if (f.type != '*') {
    f.items[0] = line;
    f.count = 1;
  } else {
    if (line.size() != 1 || line[0] < '1' || line[0] > '3') return Got::bad;
    f.count = static_cast<std::size_t>(line[0] - '0');
    for (std::size_t i = 0; i < f.count; ++i)
      if (Got g = read_element(q, end, f.items[i]); g != Got::complete) return g;
  }
  p = q;
  return Got::complete;
}

/// A frame on a subscriber connection that is not a message of the run's shape.
void subscriber_frame(const Frame& f, SubscriberSeen& seen, ParseContext& ctx, const char* at,
                      const char* end) {
  if (f.type == '*' && f.count == 3 && f.items[0] == "subscribe")
    ++seen.confirms;
  else if (f.type == '*' && f.count == 2 && f.items[0] == "pong")
    ++seen.pongs;
  else if (f.type == '+' && f.items[0] == "PONG")
    ++seen.pongs;
  else
    report(ctx, "subscriber got", at, end);
}

}  // namespace

std::size_t parse_redis_subscriber(const char* data, std::size_t len, SubscriberSeen& seen,
                                   ParseContext& ctx) {
  const char* p = data;
  const char* const end = data + len;
  const std::string_view head = ctx.redis_message_head;
  while (p < end && ctx.error.empty()) {
    if (static_cast<std::size_t>(end - p) > head.size() + ctx.topic_len + 3 &&
        std::memcmp(p, head.data(), head.size()) == 0) {
      const char* q = p + head.size() + ctx.topic_len;
      std::uint64_t size = 0;
      if (q[0] != '\r' || q[1] != '\n' || q[2] != '$') {
        report(ctx, "bad message push", p, end);
        break;
      }
      q += 3;
      if (!read_uint(q, end, size)) {
        if (q != end) report(ctx, "bad message push", p, end);
        break;
      }
      if (end - q < 2) break;
      if (q[0] != '\r' || q[1] != '\n') {
        report(ctx, "bad message push", p, end);
        break;
      }
      const char* payload = q + 2;
      if (static_cast<std::size_t>(end - payload) < size + 2) break;
      ++seen.delivered;
      if (ctx.latency != nullptr) parse_detail::record_latency(payload, payload + size, ctx);
      p = payload + size + 2;
      continue;
    }
    Frame f;
    const char* start = p;
    const Got g = read_frame(p, end, f);
    if (g == Got::incomplete) break;
    if (g == Got::bad) {
      report(ctx, "bad RESP", start, end);
      break;
    }
    subscriber_frame(f, seen, ctx, start, p);
  }
  return static_cast<std::size_t>(p - data);
}

std::size_t parse_redis_publisher(const char* data, std::size_t len, PublisherSeen& seen,
                                  ParseContext& ctx) {
  const char* p = data;
  const char* const end = data + len;
  while (p < end && ctx.error.empty()) {
    if (*p == ':') {  // PUBLISH reply: the receiver count
      const char* q = p + 1;
      std::uint64_t n = 0;
      if (!read_uint(q, end, n)) {
        if (q != end) report(ctx, "bad PUBLISH reply", p, end);
        break;
      }
      if (end - q < 2) break;
      if (q[0] != '\r' || q[1] != '\n') {
        report(ctx, "bad PUBLISH reply", p, end);
        break;
      }
      ++seen.acks;
      seen.receivers += n;
      p = q + 2;
      continue;
    }
    Frame f;
    const char* start = p;
    const Got g = read_frame(p, end, f);
    if (g == Got::incomplete) break;
    if (g == Got::complete && f.type == '+' && f.items[0] == "PONG") {
      ++seen.pongs;
      continue;
    }
    report(ctx, "publisher got", start, g == Got::bad ? end : p);
    break;
  }
  return static_cast<std::size_t>(p - data);
}

}  // namespace chatbus::bench
