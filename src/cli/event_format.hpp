// event_format: how `chatbus sub` prints what happens, as one line per event:
// a human format for terminals, or one JSON object per line for programs
// (docs/cli.md, "sub output"). Pure functions; each returns the line with
// its LF.
#pragma once

#include "cli/options.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatbus::cli {

/// How to print.
struct EventStyle {
  OutputFormat format = OutputFormat::json;  ///< human or JSON lines
  bool color = false;                        ///< ANSI highlighting (human only)
};

using WallClock = std::chrono::system_clock;

/// A subscription came back after the connection was lost.
struct Reconnection {
  std::string addr;           ///< where it reconnected
  std::string node;           ///< HELLO's node now
  std::string previous_node;  ///< HELLO's node before the loss
  unsigned attempts = 1;      ///< connection attempts it took
};

/// A MSG; `payload` is the server's canonical JSON, embedded as is.
std::string format_msg(const EventStyle& style, WallClock::time_point at, std::string_view topic, std::uint64_t seq,
                       std::string_view payload);
/// A DROPPED: `count` messages of `topic` were skipped by the server.
std::string format_dropped(const EventStyle& style, WallClock::time_point at, std::string_view topic,
                           std::uint64_t count);
std::string format_reconnected(const EventStyle& style, WallClock::time_point at, const Reconnection& what);
/// A BYE the client did not ask for.
std::string format_bye(const EventStyle& style, WallClock::time_point at, std::string_view reason);
/// The connection ended without a BYE (reset, EOF, timeout).
std::string format_disconnected(const EventStyle& style, WallClock::time_point at, std::string_view why);

}  // namespace chatbus::cli
