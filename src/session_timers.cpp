// Session deadlines: one timer per session, set to the earliest of
// idle_timeout, auth_timeout, slow_consumer_timeout and the BYE linger. A
// deadline that moved later (new input) is not chased: the timer fires at
// the old one, finds nothing due and re-arms.
#include "chatbus/broker.hpp"
#include "chatbus/session.hpp"
#include "chatbus/worker.hpp"

namespace chatbus {

std::optional<Session::Clock::time_point> Session::next_deadline() const {
  // A TLS handshake has its own deadline and nothing else runs meanwhile.
  if (handshaking_) return handshake_deadline();
  const Config& config = worker_.settings().config;
  std::optional<Clock::time_point> next;
  const auto consider = [&](Clock::time_point t) {
    if (!next || t < *next) next = t;
  };
  if (state_ == State::open) {
    if (config.idle_timeout.count() > 0) consider(last_input_at_ + config.idle_timeout);
    if (!authenticated_once_ && config.auth_timeout.count() > 0) consider(auth_clock_from_ + config.auth_timeout);
  }
  // Once closing, only the linger deadline counts: the BYE gets its time.
  if (over_limit_ && state_ == State::open) consider(over_limit_since_ + config.slow_consumer_timeout);
  if (state_ == State::closing || state_ == State::lingering) consider(linger_until_);
  return next;
}

void Session::update_timer() {
  if (state_ == State::closed) return;
  const auto next = next_deadline();
  if (!next) return;  // a stale wake-up, if armed, finds nothing due
  // Armed for an earlier (future) moment already: let it fire and re-arm then.
  if (timer_ && timer_expiry_ <= *next && timer_expiry_ > Clock::now()) return;
  if (!timer_) timer_.emplace(socket_.get_executor());
  timer_expiry_ = *next;
  timer_->expires_at(*next);
  timer_->async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->state_ == State::closed) return;
    self->timer_expiry_ = {};
    self->on_timer();
  });
}

void Session::on_timer() {
  const Config& config = worker_.settings().config;
  const auto now = Clock::now();
  if (handshaking_) {
    if (now >= handshake_deadline()) {
      destroy("tls handshake timed out");
    } else {
      update_timer();
    }
    return;
  }
  if ((state_ == State::closing || state_ == State::lingering) && now >= linger_until_) {
    destroy(bye_reason_.empty() ? "closing timed out" : bye_reason_);
    return;
  }
  if (state_ == State::open && over_limit_ && now >= over_limit_since_ + config.slow_consumer_timeout) {
    close("slow_consumer", true);
    return;
  }
  if (state_ == State::open && !authenticated_once_ && config.auth_timeout.count() > 0 &&
      now >= auth_clock_from_ + config.auth_timeout) {
    close("auth_timeout");
    return;
  }
  if (state_ == State::open && config.idle_timeout.count() > 0 &&
      now >= last_input_at_ + config.idle_timeout) {
    close("idle_timeout");
    return;
  }
  update_timer();
}

}  // namespace chatbus
