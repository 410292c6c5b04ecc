#include "cli/server_line.hpp"

#include <charconv>

namespace chatbus::cli {
namespace {

/// Splits off the first space-separated word of `rest`.
std::string_view next_word(std::string_view& rest) {
  auto space = rest.find(' ');
  std::string_view word = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  return word;
}

bool parse_number(std::string_view text, std::uint64_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

ServerLine parse_server_line(std::string_view line) {
  ServerLine parsed;
  std::string_view rest = line;
  std::string_view verb = next_word(rest);
  if (verb == "OK") {
    parsed.kind = LineKind::ok;
    parsed.text = rest;
  } else if (verb == "PONG") {
    parsed.kind = LineKind::pong;
    parsed.text = rest;
  } else if (verb == "ERR") {
    parsed.kind = LineKind::err;
    parsed.code = next_word(rest);
    parsed.text = rest;
  } else if (verb == "BYE") {
    parsed.kind = LineKind::bye;
    parsed.text = rest;
  } else if (verb == "MSG") {
    parsed.topic = next_word(rest);
    if (parse_number(next_word(rest), parsed.number) && !parsed.topic.empty()) {
      parsed.kind = LineKind::msg;
      parsed.text = rest;
    }
  } else if (verb == "DROPPED") {
    parsed.topic = next_word(rest);
    if (parse_number(rest, parsed.number) && !parsed.topic.empty()) parsed.kind = LineKind::dropped;
  }
  return parsed;
}

}  // namespace chatbus::cli
