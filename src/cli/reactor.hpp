// reactor: blocking calls with deadlines on top of Asio, for a CLI.
//
// Each command is a sequence of steps (connect, write, read a line, sleep).
// A step starts one asynchronous operation and run() turns the io_context
// until that operation's handler has run: the operation is cancelled when
// its deadline passes or when SIGINT/SIGTERM arrives, so nothing ever blocks
// without a way out. Single-threaded: everything runs on the caller's thread
// inside run(). A work guard keeps the io_context from stopping between
// steps; handlers left pending at destruction are destroyed, never invoked.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <optional>

namespace chatbus::cli {

using Clock = std::chrono::steady_clock;
/// When a step gives up; nullopt waits for ever (but still for signals).
using Deadline = std::optional<Clock::time_point>;

/// `timeout` from now.
inline Deadline deadline_in(std::chrono::milliseconds timeout) { return Clock::now() + timeout; }

class Reactor {
 public:
  /// How a step ended.
  enum class Outcome { done, timed_out, interrupted };

  /// With `watch_signals`, SIGINT and SIGTERM interrupt the current step and
  /// every later one until clear_interrupt().
  explicit Reactor(bool watch_signals);
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  /// Where the steps' I/O objects live.
  boost::asio::io_context& context() { return io_; }

  /// Calls `start(on_done)`, which must start one operation whose handler
  /// calls on_done(), then runs handlers until it has. `cancel` makes the
  /// operation finish early (it is called on deadline or signal).
  template <class Start>
  Outcome run(Start&& start, std::function<void()> cancel, Deadline deadline) {
    if (interrupted_) return Outcome::interrupted;
    bool done = false;
    cancel_ = std::move(cancel);
    start([&done] { done = true; });
    return finish(done, deadline);
  }

  /// Waits for `duration` unless a signal comes first.
  Outcome sleep(std::chrono::milliseconds duration);

  /// True once SIGINT or SIGTERM arrived (and was not cleared).
  bool interrupted() const { return interrupted_; }
  /// Lets later steps run again after a signal: for the goodbye (QUIT).
  void clear_interrupt() { interrupted_ = false; }

 private:
  /// Arms the deadline, runs until `done`, disarms.
  Outcome finish(bool& done, Deadline deadline);
  void watch_signals();

  boost::asio::io_context io_;  ///< declared first: destroyed after the objects using it
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;  ///< keeps run_one blocking
  boost::asio::steady_timer deadline_timer_;  ///< the current step's deadline
  boost::asio::steady_timer sleep_timer_;     ///< for sleep()
  std::optional<boost::asio::signal_set> signals_;  ///< SIGINT/SIGTERM when watched
  std::function<void()> cancel_;  ///< cancels the current step's operation
  unsigned generation_ = 0;       ///< tells a stale deadline expiry from the current one
  bool timed_out_ = false;        ///< the current step ran into its deadline
  bool interrupted_ = false;      ///< a signal arrived
};

}  // namespace chatbus::cli
