// parse_nats: the NATS text protocol as a client sees it. A message is
// "MSG <subject> <sid> <#bytes>\r\n<payload>\r\n"; the subject has the run's
// topic length, so the header is read at fixed offsets and the payload is
// skipped by its byte count, never scanned.
#include <cstring>
#include <string_view>

#include "parse.hpp"

namespace chatbus::bench {
namespace {

using parse_detail::read_uint;
using parse_detail::report;

bool starts_with(const char* line, const char* end, std::string_view word) {
  return static_cast<std::size_t>(end - line) >= word.size() &&
         std::memcmp(line, word.data(), word.size()) == 0;
}

enum class Control { pong, ping, ignored, bad };

/// INFO, PING, PONG, +OK, -ERR… — anything but MSG.
Control control_line(const char* line, const char* end) {
  if (end > line && end[-1] == '\r') --end;
  if (starts_with(line, end, "PONG")) return Control::pong;
  if (starts_with(line, end, "PING")) return Control::ping;
  if (starts_with(line, end, "INFO ") || starts_with(line, end, "+OK")) return Control::ignored;
  return Control::bad;  // -ERR (slow consumer, permissions…) or unknown
}

/// One MSG at `p`. Returns the end of the frame, nullptr when incomplete, or
/// `p` itself after reporting a malformed frame.
const char* message(const char* p, const char* end, std::size_t topic_len, SubscriberSeen& seen,
                    ParseContext& ctx) {
  auto malformed = [&](const char* what) {
    report(ctx, what, p, end);
    return p;
  };
  const char* q = p + 4 + topic_len + 1;
  std::uint64_t sid = 0;
  std::uint64_t size = 0;
  if (!read_uint(q, end, sid)) return q == end ? nullptr : malformed("bad MSG sid");
  if (*q++ != ' ') return malformed("bad MSG");
  if (!read_uint(q, end, size)) return q == end ? nullptr : malformed("bad MSG size");
  if (end - q < 2) return nullptr;
  if (q[0] != '\r' || q[1] != '\n') return malformed("bad MSG header end");
  const char* payload = q + 2;
  if (static_cast<std::size_t>(end - payload) < size + 2) return nullptr;
  if (payload[size] != '\r' || payload[size + 1] != '\n')
    return malformed("MSG payload size mismatch");
  ++seen.delivered;
  if (ctx.latency != nullptr) parse_detail::record_latency(payload, payload + size, ctx);
  return payload + size + 2;
}

}  // namespace

std::size_t parse_nats_subscriber(const char* data, std::size_t len, SubscriberSeen& seen,
                                  ParseContext& ctx) {
  const char* p = data;
  const char* const end = data + len;
  const std::size_t sid_at = 4 + ctx.topic_len + 1;
  while (p < end && ctx.error.empty()) {
    if (static_cast<std::size_t>(end - p) > sid_at && std::memcmp(p, "MSG ", 4) == 0 &&
        p[sid_at - 1] == ' ') {
      const char* next = message(p, end, ctx.topic_len, seen, ctx);
      if (next == nullptr || next == p) break;
      p = next;
      continue;
    }
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (nl == nullptr) break;
    switch (control_line(p, nl)) {
      case Control::pong: ++seen.pongs; break;
      case Control::ping: ++seen.server_pings; break;
      case Control::ignored: break;
      case Control::bad: report(ctx, "subscriber got", p, nl); break;
    }
    p = nl + 1;
  }
  return static_cast<std::size_t>(p - data);
}

std::size_t parse_nats_publisher(const char* data, std::size_t len, PublisherSeen& seen,
                                 ParseContext& ctx) {
  const char* p = data;
  const char* const end = data + len;
  while (p < end && ctx.error.empty()) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (nl == nullptr) break;
    switch (control_line(p, nl)) {
      case Control::pong: ++seen.pongs; break;
      case Control::ping: ++seen.server_pings; break;
      case Control::ignored: break;
      case Control::bad: report(ctx, "publisher got", p, nl); break;
    }
    p = nl + 1;
  }
  return static_cast<std::size_t>(p - data);
}

}  // namespace chatbus::bench
