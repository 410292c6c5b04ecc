// duration_size: parsing of the human units used in options and config
// (`64KiB`, `8MiB`, `500ms`, `30s`, `10m`). Pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace chatbus {

/// Bytes: a whole number with an optional `B`, `KiB` or `MiB` suffix
/// (also `K`/`M`, binary). nullopt when malformed or overflowing.
std::optional<std::uint64_t> parse_size(std::string_view text);

/// Duration: a whole number with an optional `ms`, `s` or `m` suffix; no
/// suffix means seconds. nullopt when malformed or overflowing.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace chatbus
