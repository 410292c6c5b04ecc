// address: `host:port` as given on the command line (`--addr`,
// `--admin-addr`). Pure functions, no name resolution.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatbus::cli {

/// Where to connect. The host is resolved only when connecting.
struct Address {
  std::string host;         ///< name or literal address, without IPv6 brackets
  std::uint16_t port = 0;   ///< 1 to 65535

  /// `host:port`, with brackets around an IPv6 literal.
  std::string text() const;
};

/// Parses `host:port` or `[v6]:port`; nullopt if either part is missing or
/// the port is not 1 to 65535.
std::optional<Address> parse_address(std::string_view text);

}  // namespace chatbus::cli
