#include "chatbus/topic.hpp"

#include <array>

namespace chatbus {
namespace {

/// Table of the bytes a topic may hold: A-Z a-z 0-9 _ . : -
constexpr std::array<bool, 256> make_topic_chars() {
  std::array<bool, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  table['_'] = table['.'] = table[':'] = table['-'] = true;
  return table;
}
constexpr std::array<bool, 256> topic_chars = make_topic_chars();

bool all_topic_chars(std::string_view text) {
  for (unsigned char c : text) {
    if (!topic_chars[c]) return false;
  }
  return true;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// 8-4-4-4-12 hex digits with dashes, either case.
bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool is_valid_pattern(std::string_view text) {
  if (text.size() > max_topic_length) return false;
  const std::string_view prefix = pattern_prefix(text);
  if (!prefix.empty() && prefix.back() != ':') return false;
  return all_topic_chars(prefix);
}

bool is_valid_topic(std::string_view text) {
  if (text.empty() || text.size() > max_topic_length || !all_topic_chars(text)) return false;
  return !is_chat_stream(text) || is_uuid(text.substr(chat_stream_prefix.size()));
}

}  // namespace

bool is_topic_charset(std::string_view text) { return all_topic_chars(text); }

TopicKind parse_topic_or_pattern(std::string_view text, std::string& canonical) {
  if (!text.empty() && text.back() == '*') {
    if (!is_valid_pattern(text)) return TopicKind::invalid;
    canonical.assign(text);
    return TopicKind::pattern;
  }
  if (!is_valid_topic(text)) return TopicKind::invalid;
  canonical.assign(text);
  if (is_chat_stream(text)) {
    for (std::size_t i = chat_stream_prefix.size(); i < canonical.size(); ++i) {
      canonical[i] = to_lower_ascii(canonical[i]);
    }
  }
  return TopicKind::topic;
}

std::string_view bad_topic_reason(std::string_view text) {
  if (text.empty() || text.size() > max_topic_length) {
    return "a topic or pattern is 1 to 256 bytes";
  }
  if (is_chat_stream(text) && text.back() != '*' && all_topic_chars(text)) {
    return "a chat:stream: topic is chat:stream:<uuid> (8-4-4-4-12 hex digits)";
  }
  if (text.find('*') != std::string_view::npos) {
    return "a pattern ends in * right after a ':' (or is * alone), with no other *";
  }
  return "a topic holds only A-Z a-z 0-9 _ . : -";
}

}  // namespace chatbus
