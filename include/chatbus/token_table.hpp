// token_table: the configured AUTH tokens, looked up in constant time.
//
// A lookup compares the candidate against every configured token, each in
// time that depends only on the configured token's length, and selects the
// match without a branch, so its timing reveals neither whether nor which
// token matched (only the sum of the configured lengths, which is fixed).
//
// Immutable after construction; shared read-only between threads.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "chatbus/auth_token.hpp"

namespace chatbus {

/// Equality of a configured secret and a candidate in time that depends only
/// on the secret's length: the loop always runs over the whole secret.
bool constant_time_equal(std::string_view secret, std::string_view candidate);

/// The index of the entry whose token equals `candidate`, or entries.size().
/// Calls `equal(entry.token, candidate)` exactly once per entry, whatever
/// matches, and picks the index with a mask instead of a branch.
template <class Equal>
std::size_t match_token(std::span<const TokenEntry> entries, std::string_view candidate, Equal&& equal) {
  std::size_t found = entries.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::size_t mask = std::size_t{0} - static_cast<std::size_t>(equal(entries[i].token, candidate));
    found = (found & ~mask) | (i & mask);
  }
  return found;
}

class TokenTable {
 public:
  TokenTable() = default;
  explicit TokenTable(std::vector<TokenEntry> entries) : entries_(std::move(entries)) {}

  /// True when no token is configured: connections need no AUTH.
  bool empty() const { return entries_.empty(); }

  /// How many tokens are configured.
  std::size_t size() const { return entries_.size(); }

  /// The entry for `token`, or null; see the top for the timing.
  const TokenEntry* find(std::string_view token) const {
    const std::size_t index = match_token(entries_, token, constant_time_equal);
    return index < entries_.size() ? &entries_[index] : nullptr;
  }

 private:
  std::vector<TokenEntry> entries_;  ///< every configured token, in config order
};

}  // namespace chatbus
