// config_options: chatbusd's numeric settings as data (see config_options.hpp).
// Defaults are read from Config{} so the header stays their only source.
#include "config_options.hpp"

#include <array>
#include <cctype>

namespace chatbus::config_detail {
namespace {

constexpr std::uint64_t kib = 1024;
constexpr std::uint64_t mib = 1024 * kib;
constexpr std::uint64_t second = 1000;  // durations are kept in milliseconds
constexpr std::uint64_t minute = 60 * second;
constexpr std::uint64_t day = 24 * 60 * minute;

/// Linux refuses TCP_KEEPIDLE above this many seconds (MAX_TCP_KEEPIDLE), and
/// takes whole seconds only: a larger or fractional value would fail or be
/// rounded at runtime, long after the config was accepted.
constexpr std::uint64_t max_keepalive = 32767 * second;

using ms = Config::duration;

std::uint64_t millis(ms d) { return static_cast<std::uint64_t>(d.count()); }
ms to_ms(std::uint64_t v) { return ms(static_cast<ms::rep>(v)); }

// clang-format off
const std::array<NumericOption, 15> options{{
  {"port", "Server", Unit::count, 0, 65535, "PORT", "TCP port to listen on (0 = any free port)",
   &RawConfig::port,
   [](const Config& c) -> std::uint64_t { return c.port; },
   [](Config& c, std::uint64_t v) { c.port = static_cast<std::uint16_t>(v); }},
  {"admin-port", "Admin", Unit::count, 0, 65535, "PORT",
   "TCP port of the admin HTTP endpoint: /healthz, /readyz, /metrics, /v1/stats (0 = any free port)",
   &RawConfig::admin_port,
   [](const Config& c) -> std::uint64_t { return c.admin_port; },
   [](Config& c, std::uint64_t v) { c.admin_port = static_cast<std::uint16_t>(v); }},
  {"threads", "Server", Unit::count, 0, 256, "N", "I/O threads (0 = one per CPU core)",
   &RawConfig::threads,
   [](const Config& c) -> std::uint64_t { return c.threads; },
   [](Config& c, std::uint64_t v) { c.threads = static_cast<unsigned>(v); }},
  {"max-line", "Limits", Unit::size, 64, 16 * mib, "SIZE",
   "Longest accepted line, LF included; a longer one is ERR line_too_long",
   &RawConfig::max_line,
   [](const Config& c) -> std::uint64_t { return c.max_line; },
   [](Config& c, std::uint64_t v) { c.max_line = static_cast<std::size_t>(v); }},
  {"max-pending", "Limits", Unit::size, kib, 4096 * mib, "SIZE",
   "Outbound bytes queued per connection before MSG lines are skipped (and DROPPED "
   "sent later)",
   &RawConfig::max_pending,
   [](const Config& c) -> std::uint64_t { return c.max_pending; },
   [](Config& c, std::uint64_t v) { c.max_pending = static_cast<std::size_t>(v); }},
  {"max-total-pending", "Limits", Unit::size, kib, 1024 * 1024 * mib, "SIZE",
   "Outbound bytes queued for all connections together; past it PUB is ERR overloaded",
   &RawConfig::max_total_pending,
   [](const Config& c) -> std::uint64_t { return c.max_total_pending; },
   [](Config& c, std::uint64_t v) { c.max_total_pending = static_cast<std::size_t>(v); }},
  {"slow-consumer-timeout", "Timeouts", Unit::duration, 1, day, "DURATION",
   "How long a connection may stay over --max-pending before BYE slow_consumer",
   &RawConfig::slow_consumer_timeout,
   [](const Config& c) { return millis(c.slow_consumer_timeout); },
   [](Config& c, std::uint64_t v) { c.slow_consumer_timeout = to_ms(v); }},
  {"max-subs", "Limits", Unit::count, 1, 10'000'000, "N",
   "Subscriptions per connection, patterns included",
   &RawConfig::max_subs,
   [](const Config& c) -> std::uint64_t { return c.max_subs; },
   [](Config& c, std::uint64_t v) { c.max_subs = static_cast<std::size_t>(v); }},
  {"max-connections", "Limits", Unit::count, 1, 10'000'000, "N",
   "Concurrent client connections; one more gets BYE overloaded",
   &RawConfig::max_connections,
   [](const Config& c) -> std::uint64_t { return c.max_connections; },
   [](Config& c, std::uint64_t v) { c.max_connections = static_cast<std::size_t>(v); }},
  {"idle-timeout", "Timeouts", Unit::duration, 0, day, "DURATION",
   "Close a connection that sent nothing for this long (0 = never)",
   &RawConfig::idle_timeout,
   [](const Config& c) { return millis(c.idle_timeout); },
   [](Config& c, std::uint64_t v) { c.idle_timeout = to_ms(v); }},
  {"auth-timeout", "Timeouts", Unit::duration, 0, day, "DURATION",
   "Time from connect to a successful AUTH when tokens are configured (0 = never)",
   &RawConfig::auth_timeout,
   [](const Config& c) { return millis(c.auth_timeout); },
   [](Config& c, std::uint64_t v) { c.auth_timeout = to_ms(v); }},
  {"max-bad-lines", "Limits", Unit::count, 0, 1'000'000, "N",
   "ERR replies in a row before BYE protocol_error (0 = never)",
   &RawConfig::max_bad_lines,
   [](const Config& c) -> std::uint64_t { return c.max_bad_lines; },
   [](Config& c, std::uint64_t v) { c.max_bad_lines = static_cast<unsigned>(v); }},
  {"topic-ttl", "Timeouts", Unit::duration, 0, day, "DURATION",
   "How long a topic without exact subscribers or publishes keeps its sequence counter",
   &RawConfig::topic_ttl,
   [](const Config& c) { return millis(c.topic_ttl); },
   [](Config& c, std::uint64_t v) { c.topic_ttl = to_ms(v); }},
  {"shutdown-timeout", "Timeouts", Unit::duration, 1, day, "DURATION",
   "How long shutdown waits for connections to drain before closing them",
   &RawConfig::shutdown_timeout,
   [](const Config& c) { return millis(c.shutdown_timeout); },
   [](Config& c, std::uint64_t v) { c.shutdown_timeout = to_ms(v); }},
  {"tcp-keepalive", "Timeouts", Unit::whole_seconds, 0, max_keepalive, "DURATION",
   "Idle time before TCP keepalive probes (0 = off)",
   &RawConfig::tcp_keepalive,
   [](const Config& c) { return millis(c.tcp_keepalive); },
   [](Config& c, std::uint64_t v) { c.tcp_keepalive = to_ms(v); }},
}};
// clang-format on

/// `value` in the largest unit that divides it exactly ("" when none does).
std::string exact_in(std::uint64_t value, std::uint64_t unit, const char* suffix) {
  if (value == 0 || value % unit != 0) return {};
  return std::to_string(value / unit) + suffix;
}

std::string format_size(std::uint64_t bytes) {
  for (const auto& [unit, suffix] : {std::pair{mib, "MiB"}, std::pair{kib, "KiB"}}) {
    if (auto text = exact_in(bytes, unit, suffix); !text.empty()) return text;
  }
  return std::to_string(bytes);  // plain bytes read best without a suffix
}

std::string format_duration(std::uint64_t millis_value) {
  for (const auto& [unit, suffix] : {std::pair{minute, "m"}, std::pair{second, "s"}}) {
    if (auto text = exact_in(millis_value, unit, suffix); !text.empty()) return text;
  }
  return millis_value == 0 ? "0" : std::to_string(millis_value) + "ms";
}

}  // namespace

std::span<const NumericOption> numeric_options() { return options; }

std::string format_value(Unit unit, std::uint64_t value) {
  switch (unit) {
    case Unit::count:
      return std::to_string(value);
    case Unit::size:
      return format_size(value);
    case Unit::duration:
    case Unit::whole_seconds:
      return format_duration(value);
  }
  return std::to_string(value);
}

std::string range_text(const NumericOption& option) {
  const std::string span =
      format_value(option.unit, option.min) + " to " + format_value(option.unit, option.max);
  switch (option.unit) {
    case Unit::count:
      return span;
    case Unit::size:
      return span + " bytes (suffix B, KiB or MiB)";
    case Unit::duration:
      return span + " (suffix ms, s or m; no suffix = seconds)";
    case Unit::whole_seconds:
      return span + " in whole seconds (suffix s or m; no suffix = seconds)";
  }
  return span;
}

std::string env_name(std::string_view option) {
  std::string name = "CHATBUS_";
  for (const char c : option) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

std::string file_key(std::string_view option) {
  std::string key(option);
  for (char& c : key) {
    if (c == '-') c = '_';
  }
  return key;
}

}  // namespace chatbus::config_detail
