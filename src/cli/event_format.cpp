#include "cli/event_format.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <cstdio>
#include <ctime>

namespace chatbus::cli {
namespace {

constexpr std::string_view bold_red = "\x1b[1;31m";
constexpr std::string_view bold_yellow = "\x1b[1;33m";
constexpr std::string_view dim = "\x1b[2m";
constexpr std::string_view reset = "\x1b[0m";

/// `12:03:04.123`, local time.
std::string clock_text(WallClock::time_point at) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d:%02d.%03d", local.tm_hour, local.tm_min, local.tm_sec,
                static_cast<int>(millis % 1000));
  return text;
}

std::string quoted(std::string_view text) { return boost::json::serialize(boost::json::string(text)); }

/// A human line: time, then `body`, highlighted as a whole with `color`.
std::string human(const EventStyle& style, WallClock::time_point at, std::string_view color, const std::string& body) {
  std::string line;
  if (style.color && color.empty()) line.append(dim).append(clock_text(at)).append(reset);
  if (style.color && !color.empty()) line.append(color).append(clock_text(at));
  if (!style.color) line.append(clock_text(at));
  line.append(" ").append(body);
  if (style.color && !color.empty()) line.append(reset);
  line += '\n';
  return line;
}

}  // namespace

std::string format_msg(const EventStyle& style, WallClock::time_point at, std::string_view topic, std::uint64_t seq,
                       std::string_view payload) {
  if (style.format == OutputFormat::human) {
    return human(style, at, {}, std::string(topic) + " #" + std::to_string(seq) + " " + std::string(payload));
  }
  return R"({"type":"msg","topic":)" + quoted(topic) + R"(,"seq":)" + std::to_string(seq) + R"(,"payload":)" +
         std::string(payload) + "}\n";
}

std::string format_dropped(const EventStyle& style, WallClock::time_point at, std::string_view topic,
                           std::uint64_t count) {
  if (style.format == OutputFormat::human) {
    return human(style, at, bold_red,
                 "DROPPED " + std::to_string(count) + (count == 1 ? " message" : " messages") + " lost on " +
                     std::string(topic) + ": reload it from the database");
  }
  return R"({"type":"dropped","topic":)" + quoted(topic) + R"(,"count":)" + std::to_string(count) + "}\n";
}

std::string format_reconnected(const EventStyle& style, WallClock::time_point at, const Reconnection& what) {
  const bool node_changed = what.node != what.previous_node;
  if (style.format == OutputFormat::human) {
    std::string body = "RECONNECTED to " + what.addr + " after " + std::to_string(what.attempts) +
                       (what.attempts == 1 ? " attempt" : " attempts") +
                       ": messages published while disconnected may have been missed";
    if (node_changed) {
      body += "; new node " + what.node + " (was " + what.previous_node + "): sequence numbers start again";
    }
    return human(style, at, bold_yellow, body);
  }
  return R"({"type":"reconnected","addr":)" + quoted(what.addr) + R"(,"node":)" + quoted(what.node) +
         R"(,"previous_node":)" + quoted(what.previous_node) + R"(,"node_changed":)" +
         (node_changed ? "true" : "false") + R"(,"attempts":)" + std::to_string(what.attempts) +
         R"(,"may_have_missed":true})" + "\n";
}

std::string format_bye(const EventStyle& style, WallClock::time_point at, std::string_view reason) {
  if (style.format == OutputFormat::human) {
    return human(style, at, bold_yellow, "BYE " + std::string(reason) + ": the server closed the connection");
  }
  return R"({"type":"bye","reason":)" + quoted(reason) + "}\n";
}

std::string format_disconnected(const EventStyle& style, WallClock::time_point at, std::string_view why) {
  if (style.format == OutputFormat::human) {
    return human(style, at, bold_yellow, "DISCONNECTED: " + std::string(why));
  }
  return R"({"type":"disconnected","error":)" + quoted(why) + "}\n";
}

}  // namespace chatbus::cli
