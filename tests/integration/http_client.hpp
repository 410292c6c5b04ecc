// http_client: one blocking HTTP/1.1 request to 127.0.0.1, for the admin
// endpoint tests (Boost.Beast; deadline 10 s, past which the test fails).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chatbus::itest {

struct HttpResponse {
  unsigned status = 0;       ///< e.g. 200
  std::string content_type;  ///< the Content-Type header
  std::string body;          ///< the whole body
};

/// Sends `method target` (GET by default) and reads the response.
HttpResponse http_request(std::uint16_t port, std::string_view target, std::string_view method = "GET");

}  // namespace chatbus::itest
