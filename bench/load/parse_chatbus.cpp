// parse_chatbus: chatbusd's pushes and replies (PROTOCOL.md), plus the shared
// parse helpers. A MSG line is checked by its fixed layout — "MSG " + a topic
// of the run's length + " " + seq + " " — so only the seq digits are read and
// the newline is searched from the payload on.
#include <cstring>
#include <string_view>

#include "parse.hpp"

namespace chatbus::bench {
namespace parse_detail {

void record_latency(const char* payload, const char* end, ParseContext& ctx) {
  static constexpr std::string_view head = "{\"after_message_id\":";
  if (end - payload <= static_cast<long>(head.size()) ||
      std::memcmp(payload, head.data(), head.size()) != 0) {
    report(ctx, "payload without after_message_id", payload, end);
    return;
  }
  const char* p = payload + head.size();
  std::uint64_t sent = 0;
  if (!read_uint(p, end, sent)) {
    report(ctx, "bad after_message_id", payload, end);
    return;
  }
  ctx.latency->record(ctx.now > sent ? ctx.now - sent : 0);
}

void report(ParseContext& ctx, const char* what, const char* line, const char* end) {
  if (!ctx.error.empty()) return;
  ctx.error = what;
  ctx.error += ": \"";
  for (const char* p = line; p < end && p < line + 120; ++p) {
    if (*p == '\n' && p + 1 >= end) break;
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x7f)
      ctx.error += *p;
    else
      ctx.error += (c == '\r' ? "\\r" : c == '\n' ? "\\n" : "?");
  }
  ctx.error += '"';
}

}  // namespace parse_detail

namespace {

using parse_detail::read_uint;
using parse_detail::report;

bool starts_with(const char* line, const char* end, std::string_view word) {
  return static_cast<std::size_t>(end - line) >= word.size() &&
         std::memcmp(line, word.data(), word.size()) == 0;
}

/// Any line but a well-formed MSG, on a subscriber connection.
void subscriber_line(const char* line, const char* end, SubscriberSeen& seen, ParseContext& ctx) {
  if (end > line && end[-1] == '\r') --end;
  if (starts_with(line, end, "OK")) {
    ++seen.confirms;
  } else if (starts_with(line, end, "PONG")) {
    ++seen.pongs;
  } else if (starts_with(line, end, "DROPPED ")) {
    const char* p = static_cast<const char*>(std::memchr(line + 8, ' ', end - line - 8));
    std::uint64_t count = 0;
    if (p == nullptr) return report(ctx, "bad DROPPED", line, end);
    ++p;
    read_uint(p, end, count);
    if (p != end || count == 0) return report(ctx, "bad DROPPED", line, end);
    seen.dropped += count;
    if (seen.next_seq != 0) seen.next_seq += count;
  } else if (starts_with(line, end, "MSG ")) {
    report(ctx, "MSG for a topic of unexpected length", line, end);
  } else {
    report(ctx, "subscriber got", line, end);  // ERR, BYE or anything unknown
  }
}

}  // namespace

std::size_t parse_chatbus_subscriber(const char* data, std::size_t len, SubscriberSeen& seen,
                                     ParseContext& ctx) {
  const char* p = data;
  const char* const end = data + len;
  const std::size_t seq_at = 4 + ctx.topic_len + 1;  // "MSG " topic " "
  while (p < end && ctx.error.empty()) {
    if (static_cast<std::size_t>(end - p) > seq_at && std::memcmp(p, "MSG ", 4) == 0 &&
        p[seq_at - 1] == ' ') {
      const char* q = p + seq_at;
      std::uint64_t seq = 0;
      if (!read_uint(q, end, seq)) {
        if (q == end) break;  // the line continues in the next read
        report(ctx, "MSG without seq", p, end);
        break;
      }
      const char* payload = q + 1;
      const auto* nl = static_cast<const char*>(std::memchr(payload, '\n', end - payload));
      if (nl == nullptr) break;
      if (*q != ' ' || (seen.next_seq != 0 && seq != seen.next_seq)) {
        report(ctx, seen.next_seq != 0 && *q == ' ' ? "seq gap (unannounced loss)" : "bad MSG", p,
               nl);
        break;
      }
      seen.next_seq = seq + 1;
      ++seen.delivered;
      if (ctx.latency != nullptr) parse_detail::record_latency(payload, nl, ctx);
      p = nl + 1;
      continue;
    }
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (nl == nullptr) break;
    subscriber_line(p, nl, seen, ctx);
    p = nl + 1;
  }
  return static_cast<std::size_t>(p - data);
}

std::size_t parse_chatbus_publisher(const char* data, std::size_t len, PublisherSeen& seen,
                                    ParseContext& ctx) {
  const char* p = data;
  const char* const end = data + len;
  while (p < end && ctx.error.empty()) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (nl == nullptr) break;
    const char* line_end = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
    if (starts_with(p, line_end, "OK ")) {
      const char* q = p + 3;
      std::uint64_t n = 0;
      read_uint(q, line_end, n);
      if (q != line_end) {
        report(ctx, "bad PUB reply", p, nl);
        break;
      }
      ++seen.acks;
      seen.receivers += n;
    } else if (starts_with(p, line_end, "PONG")) {
      ++seen.pongs;
    } else {
      report(ctx, "publisher got", p, nl);  // ERR overloaded, ERR bad_payload, BYE…
      break;
    }
    p = nl + 1;
  }
  return static_cast<std::size_t>(p - data);
}

}  // namespace chatbus::bench
