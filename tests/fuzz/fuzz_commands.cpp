// fuzz_commands: the input is a client's byte stream. It is framed with
// LineFramer (max_line 4096) and every frame goes through parse_command and,
// for SUB/UNSUB/PUB, parse_topic_or_pattern, checked against an independent
// model written here. Invariants (a violation traps):
// - verb and well_formed agree with a plain word split of the line, and a
//   well-formed command has the argument shape PROTOCOL.md requires;
// - a valid topic or pattern agrees with a reference validator, is at most
//   256 bytes of the allowed characters, and its canonical form re-parses as
//   the same kind to itself;
// - a model dispatcher that answers each frame OK or ERR (and stops after
//   QUIT) gives exactly one reply per non-blank frame, counted by a separate
//   reference framer.
#include "chatbus/line_framer.hpp"
#include "chatbus/notify_message.hpp"
#include "chatbus/protocol.hpp"
#include "chatbus/topic.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace chatbus;

constexpr std::size_t max_line = 4096;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool blank(char c) { return c == ' ' || c == '\t'; }

bool topic_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == ':' || c == '-';
}

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && blank(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !blank(line[i])) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

std::string upper(std::string_view word) {
  std::string s(word);
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return s;
}

Verb model_verb(std::string_view word) {
  const std::string w = upper(word);
  if (w == "HELLO") return Verb::hello;
  if (w == "AUTH") return Verb::auth;
  if (w == "SUB") return Verb::sub;
  if (w == "UNSUB") return Verb::unsub;
  if (w == "PUB") return Verb::pub;
  if (w == "PING") return Verb::ping;
  if (w == "QUIT") return Verb::quit;
  return Verb::unknown;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// Reference for PROTOCOL.md, "Topics".
TopicKind model_kind(std::string_view text) {
  if (text.empty() || text.size() > max_topic_length) return TopicKind::invalid;
  if (text.back() == '*') {
    const std::string_view prefix = text.substr(0, text.size() - 1);
    if (!prefix.empty() && prefix.back() != ':') return TopicKind::invalid;
    for (char c : prefix) {
      if (!topic_char(c)) return TopicKind::invalid;
    }
    return TopicKind::pattern;
  }
  for (char c : text) {
    if (!topic_char(c)) return TopicKind::invalid;
  }
  if (text.starts_with("chat:stream:")) {
    const std::string_view uuid = text.substr(12);
    if (uuid.size() != 36) return TopicKind::invalid;
    for (std::size_t i = 0; i < 36; ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? uuid[i] != '-' : !is_hex(uuid[i])) return TopicKind::invalid;
    }
  }
  return TopicKind::topic;
}

TopicKind check_topic(std::string_view text) {
  std::string canonical;
  const TopicKind kind = parse_topic_or_pattern(text, canonical);
  check(kind == model_kind(text));
  if (kind == TopicKind::invalid) {
    check(!bad_topic_reason(text).empty());
    return kind;
  }
  check(!canonical.empty() && canonical.size() <= max_topic_length);
  check(canonical.size() == text.size());
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    const char c = canonical[i];
    const bool star_ok = kind == TopicKind::pattern && i + 1 == canonical.size();
    check(topic_char(c) || (star_ok && c == '*'));
    if (kind == TopicKind::topic && is_chat_stream(canonical)) check(!(c >= 'A' && c <= 'F'));
  }
  if (kind == TopicKind::pattern || !is_chat_stream(text)) check(canonical == text);
  std::string again;
  check(parse_topic_or_pattern(canonical, again) == kind);
  check(again == canonical);
  return kind;
}

/// Checks parse_command against the word model; returns the command.
Command check_command(std::string_view line) {
  const Command command = parse_command(line);
  const std::vector<std::string_view> words = words_of(line);
  check(!words.empty());
  const Verb verb = model_verb(words[0]);
  check(command.verb == verb);
  const auto inside = [line](std::string_view part) {
    return part.empty() ||
           (part.data() >= line.data() && part.data() + part.size() <= line.data() + line.size());
  };
  check(inside(command.argument) && inside(command.text));
  bool expected = false;
  switch (verb) {
    case Verb::hello:
    case Verb::quit:
      expected = words.size() == 1;
      if (command.well_formed) check(command.argument.empty() && command.text.empty());
      break;
    case Verb::auth:
    case Verb::sub:
    case Verb::unsub:
      expected = words.size() == 2;
      if (command.well_formed) check(command.argument == words[1]);
      break;
    case Verb::pub:
      expected = words.size() >= 3;
      if (command.well_formed) {
        check(command.argument == words[1]);
        check(!command.text.empty() && !blank(command.text.front()));
        // The payload runs to the end of the line, byte for byte.
        check(command.text.data() + command.text.size() == line.data() + line.size());
        check(command.text.data() == words[2].data());
      }
      break;
    case Verb::ping:
      expected = true;
      check(command.text.empty() || !blank(command.text.front()));
      check(command.text.empty() ||
            command.text.data() + command.text.size() == line.data() + line.size());
      check((words.size() == 1) == command.text.empty());
      break;
    case Verb::unknown: expected = false; break;
  }
  check(command.well_formed == expected);
  if (command.well_formed && (verb == Verb::auth || verb == Verb::sub || verb == Verb::unsub ||
                              verb == Verb::pub)) {
    check(!command.argument.empty());
    for (char c : command.argument) check(!blank(c));
  }
  return command;
}

/// The model dispatcher: one reply per frame it answers; false after QUIT.
struct Dispatcher {
  std::vector<std::string> replies;  ///< the reply lines, in order
  std::size_t non_blank = 0;         ///< frames that were not blank lines

  bool on_frame(FrameKind kind, std::string_view line) {
    if (kind == FrameKind::too_long) {
      ++non_blank;
      err(ErrorCode::line_too_long);
      return true;
    }
    check(line.size() < max_line);
    if (is_blank_line(line)) {
      check(words_of(line).empty());
      return true;
    }
    ++non_blank;
    const Command command = check_command(line);
    if (!command.well_formed) {
      err(ErrorCode::bad_command);
      return true;
    }
    switch (command.verb) {
      case Verb::sub:
      case Verb::unsub:
        if (check_topic(command.argument) == TopicKind::invalid) return err(ErrorCode::bad_topic);
        return ok();
      case Verb::pub: {
        if (check_topic(command.argument) != TopicKind::topic) return err(ErrorCode::bad_topic);
        std::string out;
        const auto schema = is_chat_stream(command.argument) ? PayloadSchema::chat_stream
                                                             : PayloadSchema::any_object;
        const std::string reason = canonicalize_payload(command.text, schema, out);
        if (!reason.empty()) return err(ErrorCode::bad_payload);
        return ok();
      }
      case Verb::auth:
        check_topic(command.argument);  // any word: exercises the validator
        return ok();
      case Verb::quit:
        ok();
        return false;
      default: return ok();
    }
  }
  bool ok() {
    replies.emplace_back("OK");
    return true;
  }
  bool err(ErrorCode code) {
    replies.emplace_back(std::string("ERR ").append(error_code_name(code)));
    return true;
  }
};

/// Reference framer: how many replies the stream deserves.
std::size_t expected_replies(std::string_view stream) {
  std::size_t replies = 0;
  while (!stream.empty()) {
    const std::size_t lf = stream.find('\n');
    if (lf == std::string_view::npos) break;  // an unterminated tail gets no reply
    std::string_view line = stream.substr(0, lf);
    stream.remove_prefix(lf + 1);
    if (line.size() + 1 > max_line) {
      ++replies;
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> words = words_of(line);
    if (words.empty()) continue;
    ++replies;
    if (words.size() == 1 && upper(words[0]) == "QUIT") break;
  }
  return replies;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  LineFramer framer(max_line);
  Dispatcher dispatcher;
  auto on_frame = [&](FrameKind kind, std::string_view line) {
    return dispatcher.on_frame(kind, line);
  };
  framer.feed(stream, on_frame);
  check(dispatcher.replies.size() == dispatcher.non_blank);
  check(dispatcher.replies.size() == expected_replies(stream));
  return 0;
}
