#include "cli/reactor.hpp"

#include <csignal>

namespace chatbus::cli {

Reactor::Reactor(bool watch)
    : guard_(boost::asio::make_work_guard(io_)), deadline_timer_(io_), sleep_timer_(io_) {
  if (watch) {
    signals_.emplace(io_, SIGINT, SIGTERM);
    watch_signals();
  }
}

void Reactor::watch_signals() {
  signals_->async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    interrupted_ = true;
    if (cancel_) cancel_();
    watch_signals();
  });
}

Reactor::Outcome Reactor::finish(bool& done, Deadline deadline) {
  timed_out_ = false;
  const unsigned generation = ++generation_;
  if (deadline) {
    deadline_timer_.expires_at(*deadline);
    deadline_timer_.async_wait([this, generation](const boost::system::error_code& ec) {
      // An expiry queued just as the operation completed belongs to that
      // step, not to whichever step is running when it is delivered.
      if (ec || generation != generation_) return;
      timed_out_ = true;
      if (cancel_) cancel_();
    });
  }
  while (!done) io_.run_one();
  ++generation_;
  if (deadline) deadline_timer_.cancel();
  cancel_ = nullptr;
  if (interrupted_) return Outcome::interrupted;
  return timed_out_ ? Outcome::timed_out : Outcome::done;
}

Reactor::Outcome Reactor::sleep(std::chrono::milliseconds duration) {
  return run(
      [&](auto on_done) {
        sleep_timer_.expires_after(duration);
        sleep_timer_.async_wait([on_done](const boost::system::error_code&) { on_done(); });
      },
      [this] { sleep_timer_.cancel(); }, std::nullopt);
}

}  // namespace chatbus::cli
