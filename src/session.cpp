// Session lifecycle and input: start, reading, framing, closing.
#include "chatbus/session.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "chatbus/broker.hpp"
#include "chatbus/worker.hpp"
#include "session_tls.hpp"

namespace chatbus {
namespace {

/// How many full read buffers one readiness event may consume before the
/// session yields to the others on its thread.
constexpr int max_reads_per_turn = 4;

std::string peer_of(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown peer";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace

Session::Session(Worker& worker, Broker& broker, tcp::socket socket, bool admitted)
    : Subscriber(worker.index(), worker.settings().config.max_pending, broker.total_pending()),
      worker_(worker),
      broker_(broker),
      socket_(std::move(socket)),
      tls_(broker.tls_context() != nullptr ? std::make_unique<TlsLink>(socket_, *broker.tls_context()) : nullptr),
      admitted_(admitted),
      id_(broker.next_connection_id()),
      framer_(worker.settings().config.max_line),
      connected_at_(Clock::now()),
      last_input_at_(connected_at_),
      auth_clock_from_(connected_at_),
      authenticated_(worker.settings().tokens.empty()),
      authenticated_once_(authenticated_) {}

Session::~Session() = default;

void Session::start() {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  if (ec) {
    destroy("socket error: " + ec.message());
    return;
  }
  if (!admitted_) {
    spdlog::debug("connection {} from {} refused: max_connections ({}) reached", id_,
                  peer_of(socket_), worker_.settings().config.max_connections);
  } else {
    spdlog::info("connection {} from {}{}", id_, peer_of(socket_), tls_ ? " (tls)" : "");
    worker_.metrics().connections_accepted.add();
  }
  if (tls_) {
    tls_handshake();  // then run_protocol(), even for BYE overloaded
    return;
  }
  run_protocol();
}

void Session::run_protocol() {
  if (!admitted_) {
    close("overloaded");
    return;
  }
  wait_readable();
  update_timer();
}

void Session::wait_readable() {
  if (reading_ || input_closed_ || state_ == State::closed) return;
  if (tls_ && tls_reads()) {
    tls_read();
    return;
  }
  reading_ = true;
  socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](boost::system::error_code ec) {
    self->reading_ = false;
    if (self->state_ == State::closed || ec == boost::asio::error::operation_aborted) return;
    if (ec) {
      self->destroy("read error: " + ec.message());
      return;
    }
    self->on_readable();
  });
}

void Session::on_readable() {
  const std::span<char> buffer = worker_.read_buffer();
  bool more_waiting = false;
  for (int round = 0; round < max_reads_per_turn && state_ != State::closed; ++round) {
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(boost::asio::buffer(buffer.data(), buffer.size()), ec);
    if (ec == boost::asio::error::would_block) break;
    if (ec == boost::asio::error::eof) {
      handle_end_of_input();
      return;
    }
    if (ec) {
      destroy("read error: " + ec.message());
      return;
    }
    take_input(std::string_view(buffer.data(), n));
    // A short read emptied the socket; a new arrival raises a new event.
    more_waiting = n == buffer.size();
    if (!more_waiting) break;
  }
  flush();
  if (state_ == State::closed || pause_reading_if_backed_up()) return;
  if (more_waiting && !reading_) {
    // Data is still there, so no new readiness event would come: come back
    // after the other sessions of this thread had their turn.
    reading_ = true;  // the posted turn counts as the pending read
    boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
      self->reading_ = false;
      if (self->state_ != State::closed) self->on_readable();
    });
    return;
  }
  if (!more_waiting) wait_readable();
}

void Session::take_input(std::string_view data) {
  last_input_at_ = Clock::now();
  worker_.metrics().bytes_in.add(data.size());
  // Everything a publisher had acknowledged before these bytes arrived is
  // in our mailbox by now: queue it ahead of the replies to them, even if
  // the posted drain has not run yet (the PUB-then-PING barrier).
  if (worker_.mailbox().maybe_pending()) worker_.drain_mailbox();
  handle_input(data);
}

bool Session::pause_reading_if_backed_up() {
  if (state_ != State::open || !flow().over_limit()) return false;
  read_paused_ = true;  // our own output is backed up: resumed by after_write_progress()
  return true;
}

void Session::handle_input(std::string_view data) {
  // Closing, or the server is shutting down: input is discarded.
  if (state_ != State::open || worker_.input_stopped()) return;
  framer_.feed(data, [this](FrameKind kind, std::string_view line) { return handle_frame(kind, line); });
  if (!framer_.mid_line()) framer_.release_memory();
}

bool Session::handle_frame(FrameKind kind, std::string_view line) {
  if (kind == FrameKind::too_long) {
    reply_error(ErrorCode::line_too_long,
                "line longer than max_line (" + std::to_string(framer_.max_line()) +
                    " bytes including LF); it was discarded");
    return state_ == State::open;
  }
  if (is_blank_line(line)) return true;
  return dispatch(line);
}

void Session::handle_end_of_input() {
  input_closed_ = true;
  if (state_ == State::open) {
    // Bytes after the last LF are not a line (PROTOCOL.md: a line ends with
    // LF), so an unterminated tail is dropped unanswered.
    if (subscriptions_.empty()) {
      // Nothing can ever be pushed to it: once its replies are out, finish
      // the close the peer began (no BYE: we are not the ones ending it).
      // Most peers that close without QUIT end up here, so their
      // descriptors come back at once rather than at the next keepalive.
      finished_by_peer_ = true;
    }
    flush();
    if (state_ == State::open && !finished_by_peer_) {
      // Half-closed: keep delivering until the peer goes away; notice that
      // through socket errors (a failed write or a keepalive probe).
      socket_.async_wait(tcp::socket::wait_error, [self = shared_from_this()](boost::system::error_code ec) {
        if (self->state_ == State::closed || ec == boost::asio::error::operation_aborted) return;
        self->destroy("connection lost");
      });
    }
    return;
  }
  if (state_ == State::lingering) destroy(bye_reason_);
}

void Session::close(std::string_view reason, bool discard_queue) {
  if (state_ != State::open) return;
  if (handshaking_) {
    // A BYE could only follow a handshake that may never come (a scanner,
    // a client that sends nothing): do not make a shutdown wait for it.
    destroy(reason);
    return;
  }
  // Leave the router first, then drain this thread's mailbox: every message
  // published to us before we left (and acknowledged to its publisher) is
  // then queued, ahead of the BYE.
  leave_router();
  worker_.drain_mailbox();
  state_ = State::closing;
  bye_reason_ = reason;
  if (discard_queue) {
    flow().release(queue_.discard_unstarted());
    dropped_.clear();
  } else if (!dropped_.empty()) {
    report_drops();
  }
  queue_text([&](std::string& out) { append_bye(out, reason); });
  if (read_paused_) {
    // Input stopped for back-pressure: discard it from now on instead, or
    // closing with unread input would reset the connection and lose the BYE.
    read_paused_ = false;
    wait_readable();
  }
  // A peer that reads nothing gets as long to take its BYE as it would get
  // to close after it.
  linger_until_ = Clock::now() + linger_time;
  update_timer();
  flush();
}

void Session::finish_closing() {
  if (tls_) {
    tls_shutdown();  // close_notify, then the same linger
    return;
  }
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  state_ = State::lingering;
  if (input_closed_ || ec) {
    destroy(bye_reason_);
    return;
  }
  // Keep reading (and discarding) so the peer gets every reply instead of a
  // reset for unread input.
  linger_until_ = Clock::now() + linger_time;
  wait_readable();
  update_timer();
}

void Session::destroy(std::string_view reason) {
  if (state_ == State::closed) return;
  leave_router();
  state_ = State::closed;
  const std::string peer = peer_of(socket_);  // while the socket is still open
  boost::system::error_code ec;
  socket_.close(ec);
  if (timer_) timer_->cancel();
  // Keeps the server-wide count true (a TLS write in flight counts until done).
  flow().release(queue_.discard_all() + (tls_ ? std::exchange(tls_->staged, 0) : 0));
  spdlog::info("connection {} from {} closed: {} ({} published, {} delivered)", id_, peer,
               bye_reason_.empty() ? std::string(reason) : bye_reason_, messages_in_, messages_out_);
  if (admitted_) {
    // After the peer's FIN, a failing write or a lost connection is the
    // peer's close finishing, not an error of ours.
    const CloseReason why = !bye_reason_.empty() ? close_reason_from(bye_reason_)
                            : input_closed_      ? CloseReason::peer_closed
                                                 : close_reason_from(reason);
    worker_.metrics().disconnects[static_cast<std::size_t>(why)].add();
    broker_.leave_connection();
  } else {
    broker_.leave_refusal();
  }
  worker_.retire(*this);
}

std::optional<ConnectionInfo> Session::info() const {
  if (state_ == State::closed || !admitted_) return std::nullopt;
  ConnectionInfo info;
  info.id = id_;
  info.peer = peer_of(socket_);
  info.connected_at = connected_at_;
  info.subscriptions = subscriptions_.size();
  info.pending_bytes = flow().queued();
  info.messages_in = messages_in_;
  info.messages_out = messages_out_;
  return info;
}

void Session::leave_router() {
  broker_.router().unsubscribe_all(*this, subscriptions_);
  subscriptions_.clear();
  subscriptions_.shrink_to_fit();
}

}  // namespace chatbus
