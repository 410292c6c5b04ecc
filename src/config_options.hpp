// config_options: the table of chatbusd's numeric settings (name, unit,
// accepted range, help text, place in Config) and the raw text CLI11 collects
// before validation. Private to the config component: config.cpp builds the
// CLI11 options from it, config_validate.cpp checks values against it, so a
// range is written once and --help and the error messages cannot disagree.
//
// Startup only; no shared state.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chatbus/config.hpp"

namespace chatbus::config_detail {

/// The text of one option as CLI11 collected it (flag, env or file).
struct RawValue {
  std::string text;    ///< the value as given, not yet checked
  bool given = false;  ///< false: the option was not set anywhere; keep Config{}'s default
};

/// Everything parse_config collects before validation.
struct RawConfig {
  RawValue bind, log_level, log_format, strict_payloads, admin, admin_bind, admin_port;
  RawValue port, threads, max_line, max_pending, max_total_pending, slow_consumer_timeout, max_subs,
      max_connections,
      idle_timeout, auth_timeout, max_bad_lines, topic_ttl, shutdown_timeout, tcp_keepalive;
  std::vector<std::string> auth_tokens;  ///< as given; each may hold several entries (auth_token.hpp)
  RawValue auth_token_file;              ///< path of the token file
  RawValue tls_cert, tls_key, tls_ca;    ///< file paths, checked together
};

/// How a numeric option's text is read and its range is shown.
enum class Unit {
  count,          ///< a plain whole number
  size,           ///< bytes, with B/K/KiB/M/MiB suffixes
  duration,       ///< milliseconds, with ms/s/m suffixes
  whole_seconds,  ///< a duration that must be a whole number of seconds
};

/// One numeric setting. min/max are bytes, milliseconds or a plain count.
struct NumericOption {
  const char* name;          ///< flag name without "--"; file key and env name derive from it
  const char* group;         ///< heading in --help
  Unit unit;                 ///< how the value is written
  std::uint64_t min;         ///< smallest accepted value
  std::uint64_t max;         ///< largest accepted value
  const char* label;         ///< value placeholder in --help
  const char* help;          ///< what the setting does; the range is appended
  RawValue RawConfig::*raw;  ///< where CLI11 stores its text
  std::uint64_t (*get)(const Config&);        ///< reads the setting (defaults for --help)
  void (*set)(Config&, std::uint64_t value);  ///< stores a validated value
};

/// Every numeric option, in --help order.
std::span<const NumericOption> numeric_options();

/// A value in its unit's most readable exact form: "64KiB", "30s", "7420".
std::string format_value(Unit unit, std::uint64_t value);

/// The accepted range as --help and error messages state it.
std::string range_text(const NumericOption& option);

/// "max-line" -> "CHATBUS_MAX_LINE".
std::string env_name(std::string_view option);

/// "max-line" -> "max_line", the key in the config file.
std::string file_key(std::string_view option);

/// Checks every value `raw` holds and stores it in `config`, which starts as
/// Config{} so that what was not given keeps its default. Returns "" or the
/// first problem as one line naming the option, without the "chatbusd: " prefix.
std::string validate(const RawConfig& raw, Config& config);

/// The accepted --log-level names, in order of verbosity.
inline constexpr std::string_view log_levels[] = {"trace", "debug",    "info", "warn",
                                                  "error", "critical", "off"};

}  // namespace chatbus::config_detail
