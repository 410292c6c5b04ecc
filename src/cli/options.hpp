// options: what the command line asked for, as plain data. arguments.cpp
// fills it in; the commands only read it.
#pragma once

#include "cli/address.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatbus::cli {

/// Options every command takes.
struct CommonOptions {
  Address addr{"127.0.0.1", 7420};       ///< the broker (--addr, CHATBUS_ADDR)
  std::optional<std::string> token;      ///< sent with AUTH when set
  std::chrono::milliseconds timeout{10'000};  ///< connect, and each reply
};

/// How `sub` prints events.
enum class OutputFormat { human, json };

struct SubOptions {
  std::vector<std::string> targets;       ///< topics and patterns
  OutputFormat format = OutputFormat::human;  ///< decided from --json/--human/isatty
  bool color = false;                      ///< ANSI highlighting (terminal, no NO_COLOR)
  std::uint64_t count = 0;                 ///< exit after this many MSGs; 0 = never
  bool reconnect = true;                   ///< retry after losing the connection
  std::chrono::milliseconds retry_min{100};   ///< first reconnect delay
  std::chrono::milliseconds retry_max{5000};  ///< cap of the doubling delay
};

struct PubOptions {
  std::string topic;                 ///< where to publish
  std::optional<std::string> payload;  ///< one payload; none = lines from stdin
  std::size_t window = 128;          ///< PUBs sent but not yet answered, at most
};

struct PingOptions {
  unsigned count = 3;  ///< round trips to time
};

struct StatsOptions {
  Address admin{"127.0.0.1", 7421};  ///< the admin HTTP endpoint
  bool json = false;                 ///< print the body as is
  std::string prefix;                ///< topics_prefix
  unsigned limit = 20;               ///< topics_limit and connections_limit
};

enum class CommandName { sub, pub, ping, stats };

/// One parsed command line.
struct Invocation {
  CommandName command = CommandName::ping;  ///< which subcommand
  CommonOptions common;                     ///< shared options
  SubOptions sub;                           ///< `sub` only
  PubOptions pub;                           ///< `pub` only
  PingOptions ping;                         ///< `ping` only
  StatsOptions stats;                       ///< `stats` only
};

}  // namespace chatbus::cli
