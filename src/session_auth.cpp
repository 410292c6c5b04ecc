// Session authentication: AUTH, per-token permissions and what a reload does
// to them (docs/auth.md). The grants are resolved here, at AUTH and on a
// reload, so that PUB and SUB only compare prefixes; with no tokens
// configured, or a bare token, grants_ stays null and costs one test.
#include <spdlog/spdlog.h>

#include "chatbus/broker.hpp"
#include "chatbus/session.hpp"
#include "chatbus/worker.hpp"

namespace chatbus {

void Session::do_auth(const Command& command) {
  const TokenTable& tokens = worker_.settings().tokens;
  if (tokens.empty()) {
    reply([](std::string& out) { append_ok(out); });
    return;
  }
  const TokenEntry* entry = tokens.find(command.argument);
  if (entry == nullptr) {
    // An earlier successful AUTH stays in force.
    reply_error(ErrorCode::unauthorized, "invalid token");
    return;
  }
  authenticated_ = true;
  authenticated_once_ = true;
  token_.assign(command.argument);
  grants_ = entry->restricted ? entry : nullptr;
  reply([](std::string& out) { append_ok(out); });
}

void Session::deny(std::string_view action, std::string_view target) {
  reply_error(ErrorCode::unauthorized,
              std::string(action) + " " + std::string(target) + " is not permitted for this token");
}

void Session::apply_settings() {
  if (state_ == State::closed) return;
  const Settings& settings = worker_.settings();
  // The old grants_ points into the previous generation, still alive here.
  grants_ = nullptr;
  if (settings.tokens.empty()) {
    authenticated_ = true;
    authenticated_once_ = true;
    token_.clear();
  } else {
    const TokenEntry* entry = token_.empty() ? nullptr : settings.tokens.find(token_);
    if (authenticated_ && entry == nullptr) {
      // Its token was removed, or tokens were configured where none were:
      // it must AUTH again, within auth_timeout from now, or be closed with
      // BYE auth_timeout (its subscriptions stay until then: see docs/auth.md).
      spdlog::info("connection {}: no longer authenticated after the reload; it must AUTH again", id_);
      token_.clear();
      authenticated_once_ = false;
      auth_clock_from_ = Clock::now();
    }
    authenticated_ = entry != nullptr;
    if (entry != nullptr && entry->restricted) grants_ = entry;
  }
  update_timer();  // idle and slow-consumer timeouts may have changed
}

}  // namespace chatbus
