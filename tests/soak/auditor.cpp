#include "auditor.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "lines.hpp"

namespace chatbus::soak {
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr Duration reply_timeout{30'000};
/// No line at all for this long means the server stopped answering PINGs.
constexpr Duration silence_timeout{60'000};
constexpr std::string_view final_ping = "PING final";

}  // namespace

Auditor::Auditor(asio::any_io_executor executor, std::size_t index, Ledger& ledger, Stats& stats)
    : index_(index),
      ledger_(ledger),
      stats_(stats),
      connection_(executor),
      ping_timer_(executor),
      final_signal_(executor, Clock::time_point::max()),
      done_signal_(executor, Clock::time_point::max()),
      resume_signal_(executor),
      topics_(ledger.audited().size()) {}

asio::awaitable<void> Auditor::start(std::uint16_t port) {
  // A small receive buffer: during a drill the queue builds in the daemon.
  co_await connection_.connect(port, 16384);
  ++stats_.connections;
  std::string subs;
  for (const auto& topic : ledger_.audited()) subs += "SUB " + topic + "\n";
  co_await connection_.send(subs, reply_timeout);
  for (const auto& topic : ledger_.audited()) {
    auto line = co_await connection_.read_line(reply_timeout);
    if (!line || *line != "OK " + topic) {
      throw std::runtime_error("auditor SUB got " + line.value_or("EOF"));
    }
  }
}

asio::awaitable<void> Auditor::read_loop() {
  try {
    for (;;) {
      while (paused_) {
        resume_signal_.expires_at(Clock::time_point::max());
        co_await resume_signal_.async_wait(use_tuple);
      }
      auto line = co_await connection_.read_line(silence_timeout);
      if (!line) break;
      on_line(*line);
    }
    if (!shutdown_expected_) stats_.violation("auditor " + std::to_string(index_) + ": the server closed it");
  } catch (const std::exception& e) {
    stats_.violation("auditor " + std::to_string(index_) + ": " + e.what());
  }
  connection_.close();
  final_signal_.cancel();  // a barrier waiting for it must not hang
  done_ = true;
  done_signal_.cancel();
}

asio::awaitable<void> Auditor::wait_done(Duration timeout) {
  if (done_) co_return;
  done_signal_.expires_after(timeout);
  co_await done_signal_.async_wait(use_tuple);
  if (!done_) stats_.violation("auditor " + std::to_string(index_) + ": no EOF after BYE shutdown");
}

void Auditor::resume_reading() {
  paused_ = false;
  resume_signal_.cancel();
}

asio::awaitable<void> Auditor::ping_loop() {
  try {
    for (std::uint64_t n = 1; !final_requested_; ++n) {
      co_await connection_.send("PING " + std::to_string(n) + "\n", reply_timeout);
      ping_timer_.expires_after(std::chrono::seconds(1));
      co_await ping_timer_.async_wait(use_tuple);
    }
    co_await connection_.send(std::string(final_ping) + "\n", reply_timeout);
  } catch (const std::exception& e) {
    stats_.violation("auditor " + std::to_string(index_) + " ping: " + e.what());
  }
}

asio::awaitable<void> Auditor::barrier() {
  final_requested_ = true;
  ping_timer_.cancel();
  final_signal_.expires_after(reply_timeout);
  co_await final_signal_.async_wait(use_tuple);
  if (!final_seen_) stats_.violation("auditor " + std::to_string(index_) + ": no PONG for the final PING");
}

void Auditor::on_line(const std::string& line) {
  if (starts_with_word(line, "MSG")) return on_msg(line);
  if (starts_with_word(line, "DROPPED")) return on_dropped(line);
  if (starts_with_word(line, "PONG")) {
    if (line == "PONG final") {
      final_seen_ = true;
      final_signal_.cancel();
    }
    return;
  }
  if (shutdown_expected_ && line == "BYE shutdown") return;
  stats_.violation("auditor " + std::to_string(index_) + " got: " + line.substr(0, 200));
}

void Auditor::on_msg(const std::string& line) {
  const auto push = parse_push(line, "MSG", true);
  const auto topic = push ? ledger_.sampled_index(push->topic) : std::nullopt;
  const auto id = push ? payload_id(push->json) : std::nullopt;
  if (!topic || !id) {
    stats_.violation("auditor " + std::to_string(index_) + " got a malformed MSG: " + line.substr(0, 200));
    return;
  }
  ++stats_.delivered;
  TopicState& state = topics_[*topic];
  const std::uint64_t expected = state.last_seq + state.pending_dropped + 1;
  if (push->number != expected) {
    stats_.violation("auditor " + std::to_string(index_) + ", " + std::string(push->topic) + ": seq " +
                     std::to_string(push->number) + " after " + std::to_string(state.last_seq) + " and " +
                     std::to_string(state.pending_dropped) + " dropped (expected " + std::to_string(expected) + ")");
  }
  state.last_seq = push->number;
  state.pending_dropped = 0;
  ledger_.delivered(index_, *topic, *id, stats_);
}

void Auditor::on_dropped(const std::string& line) {
  const auto push = parse_push(line, "DROPPED", false);
  const auto topic = push ? ledger_.sampled_index(push->topic) : std::nullopt;
  if (!topic || push->number == 0) {
    stats_.violation("auditor " + std::to_string(index_) + " got a malformed DROPPED: " + line);
    return;
  }
  stats_.dropped += push->number;
  topics_[*topic].pending_dropped += push->number;
  topics_[*topic].dropped += push->number;
}

std::uint64_t Auditor::unaccounted() const {
  std::uint64_t total = 0;
  for (std::size_t t = 0; t < topics_.size(); ++t) {
    const std::uint64_t missing = ledger_.missing(index_, t);
    if (missing > topics_[t].dropped) total += missing - topics_[t].dropped;
  }
  return total;
}

}  // namespace chatbus::soak
