// duration_size: parsing of the human units used in options and config
// (`64KiB`, `8MiB`, `500ms`, `30s`, `10m`). Pure functions, no allocation.
//
// Both grammars are `<blanks> digits <blanks> [suffix] <blanks>`: a whole,
// unsigned decimal number, because a limit such as "1.5MiB" or "-1" is far
// more likely a typo than an intent, and a config value should mean exactly
// one thing. Suffixes are case-sensitive for the same reason (`m` is minutes
// for a duration; `M` is MiB for a size, and `MB` would be ambiguous).
#include "chatbus/duration_size.hpp"

#include <charconv>
#include <limits>
#include <system_error>

namespace chatbus {
namespace {

/// A number split into its digits and whatever follows them.
struct NumberAndSuffix {
  std::string_view digits;
  std::string_view suffix;
};

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

/// Splits "  64 KiB " into "64" and "KiB"; nullopt without leading digits.
std::optional<NumberAndSuffix> split_number(std::string_view text) {
  text = trim(text);
  std::size_t end = 0;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end == 0) return std::nullopt;  // empty, a sign, or no number at all
  return NumberAndSuffix{text.substr(0, end), trim(text.substr(end))};
}

/// The digits as a number; nullopt when they do not fit 64 bits.
std::optional<std::uint64_t> to_number(std::string_view digits) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

/// value * unit, or nullopt when that exceeds `limit`.
std::optional<std::uint64_t> scaled(std::uint64_t value, std::uint64_t unit, std::uint64_t limit) {
  if (value > limit / unit) return std::nullopt;
  return value * unit;
}

/// Bytes per unit for a size suffix; 0 for an unknown suffix.
std::uint64_t size_unit(std::string_view suffix) {
  if (suffix.empty() || suffix == "B") return 1;
  if (suffix == "K" || suffix == "KiB") return std::uint64_t{1} << 10;
  if (suffix == "M" || suffix == "MiB") return std::uint64_t{1} << 20;
  return 0;
}

/// Milliseconds per unit for a duration suffix; 0 for an unknown suffix.
std::uint64_t duration_unit(std::string_view suffix) {
  if (suffix == "ms") return 1;
  if (suffix.empty() || suffix == "s") return 1000;  // a bare number is seconds
  if (suffix == "m") return 60 * 1000;
  return 0;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  const auto parts = split_number(text);
  if (!parts) return std::nullopt;
  const std::uint64_t unit = size_unit(parts->suffix);
  const auto value = to_number(parts->digits);
  if (unit == 0 || !value) return std::nullopt;
  return scaled(*value, unit, std::numeric_limits<std::uint64_t>::max());
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  using rep = std::chrono::milliseconds::rep;
  const auto parts = split_number(text);
  if (!parts) return std::nullopt;
  const std::uint64_t unit = duration_unit(parts->suffix);
  const auto value = to_number(parts->digits);
  if (unit == 0 || !value) return std::nullopt;
  const auto ms = scaled(*value, unit, static_cast<std::uint64_t>(std::numeric_limits<rep>::max()));
  if (!ms) return std::nullopt;
  return std::chrono::milliseconds(static_cast<rep>(*ms));
}

}  // namespace chatbus
