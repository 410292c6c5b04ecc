#include "chatbus/protocol.hpp"

#include <array>
#include <charconv>

namespace chatbus {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view skip_blanks(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_blank(s[i])) ++i;
  return s.substr(i);
}

/// Takes the next word off the front of `s` (which starts at a non-blank).
std::string_view take_word(std::string_view& s) {
  std::size_t i = 0;
  while (i < s.size() && !is_blank(s[i])) ++i;
  const std::string_view word = s.substr(0, i);
  s.remove_prefix(i);
  return word;
}

bool iequals(std::string_view word, std::string_view upper) {
  if (word.size() != upper.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (c != upper[i]) return false;
  }
  return true;
}

Verb verb_of(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, Verb>, 7> verbs{{
      {"PUB", Verb::pub},
      {"PING", Verb::ping},
      {"SUB", Verb::sub},
      {"UNSUB", Verb::unsub},
      {"HELLO", Verb::hello},
      {"AUTH", Verb::auth},
      {"QUIT", Verb::quit},
  }};
  for (const auto& [name, verb] : verbs) {
    if (iequals(word, name)) return verb;
  }
  return Verb::unknown;
}

}  // namespace

bool is_blank_line(std::string_view line) { return skip_blanks(line).empty(); }

Command parse_command(std::string_view line) {
  Command command;
  std::string_view rest = skip_blanks(line);
  command.verb = verb_of(take_word(rest));
  rest = skip_blanks(rest);
  switch (command.verb) {
    case Verb::hello:
    case Verb::quit:
      command.well_formed = rest.empty();
      break;
    case Verb::auth:
    case Verb::sub:
    case Verb::unsub:
      command.argument = take_word(rest);
      command.well_formed = !command.argument.empty() && skip_blanks(rest).empty();
      break;
    case Verb::pub:
      command.argument = take_word(rest);
      command.text = skip_blanks(rest);
      command.well_formed = !command.argument.empty() && !command.text.empty();
      break;
    case Verb::ping:
      // The text is the rest of the line after the blanks that follow PING.
      command.text = rest;
      command.well_formed = true;
      break;
    case Verb::unknown:
      break;
  }
  return command;
}

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_command: return "bad_command";
    case ErrorCode::bad_topic: return "bad_topic";
    case ErrorCode::bad_payload: return "bad_payload";
    case ErrorCode::line_too_long: return "line_too_long";
    case ErrorCode::not_subscribed: return "not_subscribed";
    case ErrorCode::too_many_subscriptions: return "too_many_subscriptions";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::overloaded: return "overloaded";
  }
  return "bad_command";
}

void append_decimal(std::string& out, std::uint64_t value) {
  char digits[20];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

void append_ok(std::string& out) { out.append("OK\n"); }

void append_ok(std::string& out, std::string_view data) {
  out.append("OK ");
  out.append(data);
  out.push_back('\n');
}

void append_ok(std::string& out, std::uint64_t number) {
  out.append("OK ");
  append_decimal(out, number);
  out.push_back('\n');
}

void append_pong(std::string& out, std::string_view text) {
  if (text.empty()) {
    out.append("PONG\n");
    return;
  }
  out.append("PONG ");
  out.append(text);
  out.push_back('\n');
}

void append_err(std::string& out, ErrorCode code, std::string_view message) {
  out.append("ERR ");
  out.append(error_code_name(code));
  out.push_back(' ');
  out.append(message);
  out.push_back('\n');
}

void append_dropped(std::string& out, std::string_view topic, std::uint64_t count) {
  out.append("DROPPED ");
  out.append(topic);
  out.push_back(' ');
  append_decimal(out, count);
  out.push_back('\n');
}

void append_bye(std::string& out, std::string_view reason) {
  out.append("BYE ");
  out.append(reason);
  out.push_back('\n');
}

}  // namespace chatbus
