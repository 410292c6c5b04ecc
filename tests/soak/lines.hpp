// lines: parsing the server's lines, as far as the soak needs it.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatbus::soak {

/// True if `line` is `word` or starts with `word` and a space.
inline bool starts_with_word(std::string_view line, std::string_view word) {
  return line.substr(0, word.size()) == word && (line.size() == word.size() || line[word.size()] == ' ');
}

/// True for the lines that answer commands: OK, PONG, ERR.
inline bool is_reply(std::string_view line) {
  return starts_with_word(line, "OK") || starts_with_word(line, "PONG") || starts_with_word(line, "ERR");
}

inline std::optional<std::uint64_t> to_number(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || text.empty()) return std::nullopt;
  (void)end;
  return value;
}

/// `MSG <topic> <seq> <json>` or `DROPPED <topic> <count>`, split.
struct Push {
  std::string_view topic;  ///< the concrete topic
  std::uint64_t number;    ///< seq of a MSG, count of a DROPPED
  std::string_view json;   ///< a MSG's payload; empty for DROPPED
};

/// Parses a MSG (with_payload) or a DROPPED line; nullopt if malformed.
inline std::optional<Push> parse_push(std::string_view line, std::string_view verb, bool with_payload) {
  if (!starts_with_word(line, verb)) return std::nullopt;
  std::string_view rest = line.substr(verb.size() + 1);
  const auto topic_end = rest.find(' ');
  if (topic_end == std::string_view::npos) return std::nullopt;
  Push push{rest.substr(0, topic_end), 0, {}};
  rest.remove_prefix(topic_end + 1);
  const auto number_end = with_payload ? rest.find(' ') : rest.size();
  if (number_end == std::string_view::npos) return std::nullopt;
  const auto number = to_number(rest.substr(0, number_end));
  if (!number) return std::nullopt;
  push.number = *number;
  if (with_payload) push.json = rest.substr(number_end + 1);
  return push;
}

/// The after_message_id a soak payload starts with (canonical key order puts
/// it first); nullopt if it does not.
inline std::optional<std::uint64_t> payload_id(std::string_view json) {
  constexpr std::string_view key = "{\"after_message_id\":";
  if (json.substr(0, key.size()) != key) return std::nullopt;
  json.remove_prefix(key.size());
  return to_number(json.substr(0, json.find_first_of(",}")));
}

}  // namespace chatbus::soak
