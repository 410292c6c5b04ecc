// topic: validation of topics and patterns, and UUID folding in the typed
// `chat:stream:` namespace (PROTOCOL.md, "Topics").
//
// Pure functions, no shared state. They write the canonical form into a
// caller-owned buffer so the hot path (every PUB) can reuse its capacity.
#pragma once

#include <string>
#include <string_view>

namespace chatbus {

/// The longest topic or pattern (pattern counted with its `*`), in bytes.
inline constexpr std::size_t max_topic_length = 256;

/// The typed namespace whose topics are `chat:stream:<uuid>`.
inline constexpr std::string_view chat_stream_prefix = "chat:stream:";

/// What a SUB/UNSUB/PUB argument turned out to be.
enum class TopicKind {
  invalid,  ///< neither a topic nor a pattern: `ERR bad_topic`
  topic,    ///< a concrete topic
  pattern   ///< a prefix pattern ending in `*`
};

/// Classifies `text` and writes its canonical form into `canonical`:
/// a topic with its `chat:stream:` UUID folded to lowercase, or a pattern as
/// written. On `invalid`, `canonical` is unspecified.
TopicKind parse_topic_or_pattern(std::string_view text, std::string& canonical);

/// The prefix a pattern matches (the pattern without its trailing `*`).
inline std::string_view pattern_prefix(std::string_view pattern) {
  return pattern.substr(0, pattern.size() - 1);
}

/// True when `topic` is in the `chat:stream:` namespace.
inline bool is_chat_stream(std::string_view topic) {
  return topic.starts_with(chat_stream_prefix);
}

/// True when every byte of `text` is one a topic may hold (A-Z a-z 0-9 _ . : -).
bool is_topic_charset(std::string_view text);

/// The reason text for `ERR bad_topic`, for a value classified invalid.
std::string_view bad_topic_reason(std::string_view text);

}  // namespace chatbus
