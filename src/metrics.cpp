// metrics: the names of the disconnect reasons.
#include "chatbus/metrics.hpp"

#include <array>

namespace chatbus {
namespace {

static_assert(static_cast<std::size_t>(ErrorCode::overloaded) + 1 == error_code_count,
              "error_code_count must follow ErrorCode");
static_assert(static_cast<std::size_t>(CloseReason::io_error) + 1 == close_reason_count,
              "close_reason_count must follow CloseReason");

constexpr std::array<std::string_view, close_reason_count> reason_names{
    "quit",     "slow_consumer", "idle_timeout", "auth_timeout", "protocol_error",
    "overloaded", "shutdown",    "peer_closed",  "io_error"};

}  // namespace

std::string_view close_reason_name(CloseReason reason) {
  return reason_names[static_cast<std::size_t>(reason)];
}

CloseReason close_reason_from(std::string_view text) {
  for (std::size_t i = 0; i < reason_names.size(); ++i) {
    if (text == reason_names[i]) return static_cast<CloseReason>(i);
  }
  if (text == "peer closed") return CloseReason::peer_closed;
  if (text.starts_with("shutdown")) return CloseReason::shutdown;  // "shutdown deadline"
  return CloseReason::io_error;  // read, write and socket errors, a lost peer
}

}  // namespace chatbus
