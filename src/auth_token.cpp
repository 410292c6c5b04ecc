// auth_token: the token entry syntax and the token file (see auth_token.hpp).
// Startup and reload only: plain code, plain messages.
#include "chatbus/auth_token.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

namespace chatbus {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// A token is one AUTH argument, so it holds no blank; control characters
/// are refused as a likely paste accident, and a comma would be read as a
/// separator by the legacy comma form.
std::string check_token(std::string_view token) {
  if (std::any_of(token.begin(), token.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return "the token contains a control character";
  }
  if (token.find(',') != std::string_view::npos) return "the token contains a comma";
  return {};
}

/// The words of `text`, split on blanks, up to a word starting with '#'
/// after the first (a comment).
std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_blank(text[i])) ++i;
    if (i == text.size()) break;
    std::size_t end = i;
    while (end < text.size() && !is_blank(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    if (!words.empty() && word.front() == '#') break;
    words.push_back(word);
    i = end;
  }
  return words;
}

/// One grant prefix in canonical form: `*` is the empty prefix (every
/// topic), a trailing `*` is dropped, and the UUID part of a chat:stream:
/// prefix is folded to lowercase as topics are.
std::string canonical_prefix(std::string_view text, std::string& prefix) {
  if (text == "*") {
    prefix.clear();
    return {};
  }
  if (!text.empty() && text.back() == '*') text.remove_suffix(1);
  if (text.empty()) return "is empty";
  if (text.find('*') != std::string_view::npos) return "has a '*' before its end";
  if (text.size() > max_topic_length) return "is longer than a topic (256 bytes)";
  if (!is_topic_charset(text)) return "holds a byte a topic cannot hold (A-Z a-z 0-9 _ . : -)";
  prefix.assign(text);
  if (is_chat_stream(prefix)) {
    std::transform(prefix.begin() + chat_stream_prefix.size(), prefix.end(),
                   prefix.begin() + chat_stream_prefix.size(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  }
  return {};
}

/// Parses the comma-separated list of a pub= or sub= field.
std::string parse_grant(std::string_view field, std::string_view list, TopicGrant& grant) {
  if (list.empty()) return std::string(field) + " lists no prefix (use * for every topic)";
  std::size_t start = 0;
  for (std::size_t number = 1;; ++number) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string prefix;
    if (const std::string problem = canonical_prefix(list.substr(start, comma - start), prefix);
        !problem.empty()) {
      return "prefix " + std::to_string(number) + " of " + std::string(field) + " " + problem;
    }
    if (std::find(grant.prefixes.begin(), grant.prefixes.end(), prefix) == grant.prefixes.end()) {
      grant.prefixes.push_back(std::move(prefix));
    }
    if (comma == list.size()) return {};
    start = comma + 1;
  }
}

}  // namespace

std::string parse_token_entry(std::string_view text, TokenEntry& entry) {
  entry = TokenEntry{};
  const std::vector<std::string_view> words = words_of(text);
  if (words.empty()) return "the entry is empty";
  if (std::string problem = check_token(words.front()); !problem.empty()) return problem;
  entry.token.assign(words.front());
  bool seen_pub = false;
  bool seen_sub = false;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string_view word = words[i];
    const bool is_pub = word.starts_with("pub=");
    if (!is_pub && !word.starts_with("sub=")) {
      // Not quoted: a stray word may well be a second token.
      return "word " + std::to_string(i + 1) +
             " after the token is neither pub=<prefixes> nor sub=<prefixes>";
    }
    bool& seen = is_pub ? seen_pub : seen_sub;
    const std::string_view field = is_pub ? "pub=" : "sub=";
    if (seen) return std::string(field) + " is given twice; list its prefixes with commas";
    seen = true;
    if (std::string problem = parse_grant(field, word.substr(4), is_pub ? entry.pub : entry.sub);
        !problem.empty()) {
      return problem;
    }
  }
  entry.restricted = seen_pub || seen_sub;
  return {};
}

std::string parse_token_value(std::string_view value, std::vector<TokenEntry>& entries) {
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t end = std::min(value.find('\n', start), value.size());
    const std::string_view line = value.substr(start, end - start);
    start = end + 1;
    const std::vector<std::string_view> words = words_of(line);
    if (words.empty() || words.front().front() == '#') {
      // A value that is all blanks is a mistake; blank lines in a longer one are not.
      if (value.find_first_not_of(" \t\r\n") == std::string_view::npos) return "the value is empty";
      continue;
    }
    if (words.size() > 1) {
      TokenEntry entry;
      if (std::string problem = parse_token_entry(line, entry); !problem.empty()) return problem;
      entries.push_back(std::move(entry));
      continue;
    }
    // The legacy form: bare tokens separated by commas.
    const std::string_view list = words.front();
    std::size_t from = 0;
    while (true) {
      const std::size_t comma = std::min(list.find(',', from), list.size());
      TokenEntry entry;
      if (comma == from) return "the value holds an empty token (two commas, or one at an end)";
      if (std::string problem = parse_token_entry(list.substr(from, comma - from), entry);
          !problem.empty()) {
        return problem;
      }
      entries.push_back(std::move(entry));
      if (comma == list.size()) break;
      from = comma + 1;
    }
  }
  return {};
}

std::string read_token_file(const std::string& path, std::vector<TokenEntry>& entries) {
  std::ifstream file(path);
  if (!file) return path + ": cannot be read: " + std::strerror(errno);
  std::set<std::string> seen;
  std::size_t number = 0;
  for (std::string line; std::getline(file, line);) {
    ++number;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    TokenEntry entry;
    if (std::string problem = parse_token_entry(line, entry); !problem.empty()) {
      return path + ":" + std::to_string(number) + ": " + problem;
    }
    if (!seen.insert(entry.token).second) {
      return path + ":" + std::to_string(number) + ": this token is on an earlier line already";
    }
    entries.push_back(std::move(entry));
  }
  if (file.bad()) return path + ": read error: " + std::strerror(errno);
  return {};
}

std::size_t find_duplicate_token(const std::vector<TokenEntry>& entries) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!seen.insert(entries[i].token).second) return i;
  }
  return entries.size();
}

}  // namespace chatbus
