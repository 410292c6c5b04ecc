// server_line: what one line from chatbusd is (PROTOCOL.md, "Replies and
// pushes"). Pure parsing; the views point into the line given.
#pragma once

#include <cstdint>
#include <string_view>

namespace chatbus::cli {

/// The first word of a server line.
enum class LineKind { ok, pong, err, msg, dropped, bye, unknown };

struct ServerLine {
  LineKind kind = LineKind::unknown;  ///< which line
  std::string_view topic;   ///< MSG and DROPPED: the concrete topic
  std::uint64_t number = 0; ///< MSG: seq; DROPPED: count
  std::string_view code;    ///< ERR: the error code
  std::string_view text;    ///< OK data, PONG text, ERR message, MSG payload, BYE reason
};

/// Parses one line (LF removed). A malformed MSG or DROPPED is `unknown`.
ServerLine parse_server_line(std::string_view line);

/// OK, PONG and ERR answer commands, in order; the rest are pushes.
inline bool is_reply(LineKind kind) {
  return kind == LineKind::ok || kind == LineKind::pong || kind == LineKind::err;
}

}  // namespace chatbus::cli
