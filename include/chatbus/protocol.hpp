// protocol: command parsing and reply/push encoding for protocol v1
// (PROTOCOL.md). No I/O and no state: the session hands in one framed line
// and appends the encoded reply to its outbound buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chatbus {

/// The command a line names (case-insensitively).
enum class Verb { hello, auth, sub, unsub, pub, ping, quit, unknown };

/// One parsed command line. Views point into the line.
struct Command {
  Verb verb = Verb::unknown;  ///< which command; unknown for anything else
  bool well_formed = false;   ///< right number of arguments for the verb
  std::string_view argument;  ///< AUTH's token, SUB/UNSUB's target, PUB's topic
  std::string_view text;      ///< PUB's payload, PING's text (byte for byte)
};

/// The `ERR` codes of PROTOCOL.md, "Errors and closing".
enum class ErrorCode {
  bad_command,
  bad_topic,
  bad_payload,
  line_too_long,
  not_subscribed,
  too_many_subscriptions,
  unauthorized,
  overloaded
};

/// True for a line that is empty or holds only spaces and tabs.
bool is_blank_line(std::string_view line);

/// Splits a non-blank line into verb and arguments.
Command parse_command(std::string_view line);

/// The wire name of an error code (`bad_topic`, ...).
std::string_view error_code_name(ErrorCode code);

// Encoders: each appends one complete line, LF included, to `out`.
void append_ok(std::string& out);
void append_ok(std::string& out, std::string_view data);
void append_ok(std::string& out, std::uint64_t number);
void append_pong(std::string& out, std::string_view text);
void append_err(std::string& out, ErrorCode code, std::string_view message);
void append_dropped(std::string& out, std::string_view topic, std::uint64_t count);
void append_bye(std::string& out, std::string_view reason);

/// Appends the decimal form of `value` (no allocation).
void append_decimal(std::string& out, std::uint64_t value);

}  // namespace chatbus
