// connection_info: what /v1/stats shows of one client connection, copied
// out of its session on the session's own thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace chatbus {

struct ConnectionInfo {
  std::uint64_t id = 0;                           ///< the id in log lines
  std::string peer;                               ///< "address:port"
  std::chrono::steady_clock::time_point connected_at;  ///< when it was accepted
  std::size_t subscriptions = 0;                  ///< topics and patterns
  std::size_t pending_bytes = 0;                  ///< queued, not yet written
  std::uint64_t messages_in = 0;                  ///< PUBs accepted from it
  std::uint64_t messages_out = 0;                 ///< MSG lines queued to it
};

}  // namespace chatbus
