// http_get: one HTTP/1.1 GET (Boost.Beast) with a deadline for the whole
// exchange, for `chatbus stats`.
#pragma once

#include "cli/address.hpp"
#include "cli/reactor.hpp"

#include <string>
#include <string_view>

namespace chatbus::cli {

struct HttpReply {
  unsigned status = 0;  ///< 200, 404, ...
  std::string body;     ///< the whole body
};

/// GETs `target` (path and query) from `address`. Throws Failure
/// (ExitCode::connection) when it cannot connect or gets no whole response
/// in time.
HttpReply http_get(const Address& address, const std::string& target, std::chrono::milliseconds timeout);

/// Percent-encodes `text` for a query parameter value (RFC 3986 unreserved
/// characters stay as they are).
std::string url_encode(std::string_view text);

}  // namespace chatbus::cli
