// logging: spdlog set-up for the daemon (level, text or JSON lines on stderr).
//
// The format is installed as spdlog's registry-wide formatter, not only on the
// default logger, so a logger any component creates later through spdlog
// (spdlog::initialize_logger) writes the same format: a log shipper reading
// JSON must never meet a stray text line.
//
// Called once at startup, before any thread is started.
#include "chatbus/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <ctime>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace chatbus {
namespace {

constexpr const char* text_pattern = "[%Y-%m-%d %H:%M:%S.%e] [%l] %v";

/// Our level names (those of --log-level) to spdlog's levels.
spdlog::level::level_enum level_from_name(const std::string& name) {
  using spdlog::level::level_enum;
  constexpr std::array<std::pair<std::string_view, level_enum>, 7> levels{{
      {"trace", level_enum::trace},
      {"debug", level_enum::debug},
      {"info", level_enum::info},
      {"warn", level_enum::warn},
      {"error", level_enum::err},
      {"critical", level_enum::critical},
      {"off", level_enum::off},
  }};
  for (const auto& [level_name, level] : levels) {
    if (name == level_name) return level;
  }
  throw std::invalid_argument("unknown log level \"" + name +
                              "\"; expected trace, debug, info, warn, error, critical or off");
}

/// Length of the valid UTF-8 sequence at the start of `text`, 0 if there is none
/// (overlong forms, surrogates and values past U+10FFFF are invalid).
std::size_t utf8_sequence(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // allowed range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf)
    length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // past U+10FFFF
  }
  if (length == 0 || text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return length;
}

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

/// Appends an ASCII byte to a JSON string, escaped where JSON requires it.
void append_ascii(unsigned char c, spdlog::memory_buf_t& dest) {
  constexpr char hex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      return append(dest, "\\\"");
    case '\\':
      return append(dest, "\\\\");
    case '\n':
      return append(dest, "\\n");
    case '\r':
      return append(dest, "\\r");
    case '\t':
      return append(dest, "\\t");
    default:
      break;
  }
  if (c < 0x20) {
    const char escape[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
    dest.append(escape, escape + sizeof escape);
  } else {
    dest.push_back(static_cast<char>(c));
  }
}

/// Appends `text` as the inside of a JSON string. A byte that is not valid
/// UTF-8 (a log line may quote a client's bad input) becomes U+FFFD, so every
/// line stays valid JSON.
void append_json_escaped(std::string_view text, spdlog::memory_buf_t& dest) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      append_ascii(c, dest);
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence(text.substr(i));
    append(dest, length == 0 ? std::string_view("\\ufffd") : text.substr(i, length));
    i += length == 0 ? 1 : length;
  }
}

/// One JSON object per line: {"time":"<UTC, ms>Z","level":"info","msg":"..."}.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    const auto since_epoch = msg.time.time_since_epoch();
    const auto millis = duration_cast<milliseconds>(since_epoch).count() % 1000;
    const std::time_t seconds = system_clock::to_time_t(msg.time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    fmt::format_to(std::back_inserter(dest),
                   R"({{"time":"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z","level":")",
                   utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                   utc.tm_sec, millis);
    const auto level = spdlog::level::to_string_view(msg.level);
    append(dest, std::string_view(level.data(), level.size()));
    append(dest, R"(","msg":")");
    append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
    append(dest, "\"}\n");
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

void setup_logging(const std::string& level, LogFormat format) {
  const auto threshold = level_from_name(level);  // throws before anything changes
  // stderr, unbuffered and flushed per line, so a test or supervisor waiting
  // for "listening on" sees it at once; the _mt sink serialises the threads.
  auto logger = std::make_shared<spdlog::logger>("chatbusd",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  spdlog::set_default_logger(logger);
  if (format == LogFormat::json) {
    spdlog::set_formatter(std::make_unique<JsonFormatter>());
  } else {
    spdlog::set_pattern(text_pattern);
  }
  spdlog::set_level(threshold);
}

void set_log_level(const std::string& level) { spdlog::set_level(level_from_name(level)); }

}  // namespace chatbus
