// auth_token: one configured AUTH token and what it may do (docs/auth.md).
//
// An entry is `<token> [pub=<prefix>[,<prefix>...]] [sub=<prefix>[,<prefix>...]]`.
// A bare token may do everything; a token with any field may only publish to
// topics starting with one of its pub prefixes and subscribe to topics (and
// patterns whose prefix starts with) one of its sub prefixes. `*` as a prefix
// means every topic; a trailing `*` is accepted and dropped (`chat:*` is the
// prefix `chat:`), so a grant may be written like the pattern it allows.
//
// Pure functions and plain data; no shared state. Parse errors never quote
// the token (or any word of the entry), since the entry holds a secret.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chatbus/topic.hpp"

namespace chatbus {

/// The topic prefixes one direction (publish or subscribe) of a token grants.
/// The empty prefix, written `*`, covers every topic.
struct TopicGrant {
  std::vector<std::string> prefixes;  ///< canonical prefixes, in the order given

  /// True when `topic` starts with one of the prefixes.
  bool covers(std::string_view topic) const {
    for (const std::string& prefix : prefixes) {
      if (topic.starts_with(prefix)) return true;
    }
    return false;
  }

  bool operator==(const TopicGrant&) const = default;
};

/// One configured token and its permissions.
struct TokenEntry {
  std::string token;        ///< the secret AUTH takes
  bool restricted = false;  ///< false: a bare token, which may do everything
  TopicGrant pub;           ///< where it may publish, when restricted
  TopicGrant sub;           ///< what it may subscribe to, when restricted

  /// PUB `topic` (canonical) is allowed.
  bool may_publish(std::string_view topic) const { return !restricted || pub.covers(topic); }

  /// SUB of a canonical topic or pattern is allowed: a topic must start with
  /// a sub prefix, and so must a pattern's own prefix, so that a pattern never
  /// reaches beyond the grant (plain `*` needs `sub=*`).
  bool may_subscribe(TopicKind kind, std::string_view target) const {
    if (!restricted) return true;
    return sub.covers(kind == TopicKind::pattern ? pattern_prefix(target) : target);
  }

  bool operator==(const TokenEntry&) const = default;
};

/// Parses one entry (surrounding blanks ignored; a word starting with `#`
/// after the token begins a comment). Returns "" and fills `entry`, or says
/// what is wrong without quoting any part of the entry.
std::string parse_token_entry(std::string_view text, TokenEntry& entry);

/// Parses one value of --auth-token, CHATBUS_AUTH_TOKEN or auth_token: one
/// entry per line (blank and `#` lines skipped); a line without blanks may
/// list several bare tokens separated by commas, as before permissions
/// existed. Appends to `entries`; returns "" or the first problem.
std::string parse_token_value(std::string_view value, std::vector<TokenEntry>& entries);

/// Reads a token file: one entry per line, blank lines and lines starting
/// with `#` ignored. Appends to `entries`; returns "" or "<path>:<line>: <problem>"
/// (or "<path>: <why it cannot be read>").
std::string read_token_file(const std::string& path, std::vector<TokenEntry>& entries);

/// Index of the first entry whose token equals an earlier one's, or
/// entries.size() when every token is distinct.
std::size_t find_duplicate_token(const std::vector<TokenEntry>& entries);

}  // namespace chatbus
