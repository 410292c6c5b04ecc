// `chatbus sub`: subscribe, print every event, reconnect when the connection
// is lost.
//
// After a connection that worked is lost (EOF, reset, timeout, BYE
// shutdown) it reconnects with a doubling delay capped at --retry-max,
// subscribes to everything again and prints a `reconnected` event, since
// messages published in between are not replayed. The very first connection
// is not retried: a wrong address or token fails at once. SIGINT/SIGTERM
// send QUIT and exit 0.
#include "cli/commands.hpp"
#include "cli/event_format.hpp"
#include "cli/server_connection.hpp"
#include "cli/server_line.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace chatbus::cli {
namespace {

class Subscriber {
 public:
  explicit Subscriber(const Invocation& invocation)
      : common_(invocation.common),
        options_(invocation.sub),
        reactor_(true),
        style_{invocation.sub.format, invocation.sub.color} {}

  ExitCode run();

 private:
  /// Sends every SUB at once, then checks each reply in order.
  void subscribe(ServerConnection& connection);
  /// Tells stderr the subscription is in place and stdout that it is back.
  void announce(const ServerConnection& connection);
  /// Prints events until --count is reached (true) or a Failure ends it.
  bool listen(ServerConnection& connection);
  /// Prints how a connection that worked ended.
  void report_loss(const Failure& failure);
  void emit(const std::string& text);
  void flush();

  const CommonOptions& common_;  ///< address, token, timeout
  const SubOptions& options_;    ///< targets, format, count, reconnect
  Reactor reactor_;              ///< watches SIGINT/SIGTERM
  EventStyle style_;             ///< human or JSON
  std::string previous_node_;    ///< the node of the last connection that worked
  bool connected_before_ = false;  ///< a connection has subscribed
  unsigned attempts_ = 0;          ///< attempts since the last one that worked
  std::uint64_t received_ = 0;     ///< MSGs printed, for --count
};

ExitCode Subscriber::run() {
  std::chrono::milliseconds delay = options_.retry_min;
  for (;;) {
    ServerConnection connection(reactor_, common_);
    try {
      ++attempts_;
      connection.open();
      subscribe(connection);
      announce(connection);
      attempts_ = 0;
      delay = options_.retry_min;
      if (listen(connection)) {
        connection.quit();
        return ExitCode::ok;
      }
    } catch (const Interrupted&) {
      std::fflush(stdout);
      connection.quit();
      return ExitCode::ok;
    } catch (const Failure& failure) {
      if (attempts_ == 0) report_loss(failure);
      if (!failure.reconnectable() || !connected_before_ || !options_.reconnect) throw;
      std::cerr << "chatbus: " << failure.what() << "; reconnecting in " << delay.count() << " ms\n";
    }
    if (reactor_.sleep(delay) == Reactor::Outcome::interrupted) return ExitCode::ok;
    delay = std::min(delay * 2, options_.retry_max);
  }
}

void Subscriber::subscribe(ServerConnection& connection) {
  for (const auto& target : options_.targets) connection.queue("SUB " + target);
  connection.flush();
  for (const auto& target : options_.targets) {
    std::string reply = connection.read_reply();
    if (!reply.starts_with("OK")) throw err_failure(reply, "SUB " + target);
  }
}

void Subscriber::announce(const ServerConnection& connection) {
  const auto& node = connection.info().node;
  if (connected_before_) {
    emit(format_reconnected(style_, WallClock::now(),
                            Reconnection{connection.address().text(), node, previous_node_, attempts_}));
  }
  flush();
  std::string targets;
  for (const auto& target : options_.targets) targets += (targets.empty() ? "" : ", ") + target;
  std::cerr << "chatbus: subscribed to " << targets << " on " << connection.address().text() << " (node " << node
            << ")\n";
  connected_before_ = true;
  previous_node_ = node;
}

bool Subscriber::listen(ServerConnection& connection) {
  for (;;) {
    // Flush only before waiting: a burst is written in few syscalls, and a
    // reader of the pipe still sees each event as soon as the burst ends.
    if (!connection.has_line()) flush();
    const std::string line = connection.next_line();
    const auto parsed = parse_server_line(line);
    switch (parsed.kind) {
      case LineKind::msg:
        emit(format_msg(style_, WallClock::now(), parsed.topic, parsed.number, parsed.text));
        if (options_.count != 0 && ++received_ >= options_.count) {
          flush();
          return true;
        }
        break;
      case LineKind::dropped:
        emit(format_dropped(style_, WallClock::now(), parsed.topic, parsed.number));
        break;
      case LineKind::bye: throw bye_failure(parsed.text);
      default: break;  // nothing was asked: no reply is expected
    }
  }
}

void Subscriber::report_loss(const Failure& failure) {
  if (!connected_before_) return;
  if (failure.bye_reason()) {
    emit(format_bye(style_, WallClock::now(), *failure.bye_reason()));
  } else {
    emit(format_disconnected(style_, WallClock::now(), failure.what()));
  }
  flush();
}

void Subscriber::emit(const std::string& text) {
  // A reader that went away (`chatbus sub ... | head -3`) ends the
  // subscription like a signal would.
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) throw Interrupted{};
}

void Subscriber::flush() {
  if (std::fflush(stdout) != 0) throw Interrupted{};
}

}  // namespace

ExitCode run_sub(const Invocation& invocation) {
  std::setvbuf(stdout, nullptr, _IOFBF, 64 * 1024);  // flushed by hand, see listen()
  return Subscriber(invocation).run();
}

}  // namespace chatbus::cli
