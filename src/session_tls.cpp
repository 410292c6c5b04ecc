// Session over TLS: the handshake, reading, writing and close_notify of a
// session whose port speaks TLS. The protocol logic (framing, commands, flow
// control, deadlines) is the plain session's; only the byte moving differs.
//
// Asio's ssl::stream allows one read and one write in flight, and the
// handshake and shutdown each use both directions, so: the handshake runs
// alone; then one read and at most one write; the shutdown starts only once
// the read has let go of the stream.
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <spdlog/spdlog.h>

#include "chatbus/broker.hpp"
#include "chatbus/session.hpp"
#include "chatbus/worker.hpp"
#include "session_tls.hpp"

namespace chatbus {
namespace {

/// Handshake deadline when auth_timeout is off.
constexpr auto default_handshake_time = std::chrono::seconds(10);

}  // namespace

Session::Clock::time_point Session::handshake_deadline() const {
  const auto auth_timeout = worker_.settings().config.auth_timeout;
  if (auth_timeout.count() > 0) return connected_at_ + auth_timeout;
  return connected_at_ + default_handshake_time;
}

void Session::tls_handshake() {
  handshaking_ = true;
  update_timer();
  tls_->stream.async_handshake(boost::asio::ssl::stream_base::server,
                               [self = shared_from_this()](const boost::system::error_code& ec) {
                                 self->on_tls_handshake(ec);
                               });
}

void Session::on_tls_handshake(const boost::system::error_code& ec) {
  handshaking_ = false;
  if (state_ == State::closed) return;  // the deadline passed
  if (ec) {
    // A port scanner, a plaintext client or a refused certificate: routine,
    // so the close line (info) says it and nothing louder.
    spdlog::debug("connection {}: tls handshake failed: {}", id_, ec.message());
    destroy("tls handshake failed: " + ec.message());
    return;
  }
  tls_->input.resize(TlsLink::input_size);
  if (state_ == State::open) {
    run_protocol();
    return;
  }
  // Closed (shutdown) while handshaking: the queued BYE can go out now.
  update_timer();
  flush();
}

bool Session::tls_reads() const { return !tls_->plain_linger; }

void Session::tls_read() {
  if (handshaking_ || state_ == State::lingering) return;  // the shutdown reads by itself
  reading_ = true;
  tls_->stream.async_read_some(
      boost::asio::buffer(tls_->input),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) { self->on_tls_read(ec, n); });
}

void Session::on_tls_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (state_ == State::closed) return;
  if (state_ == State::lingering) {
    tls_close_notify();  // the read let go of the stream; whatever it brought is discarded
    return;
  }
  if (ec == boost::asio::error::operation_aborted) return;
  // close_notify (eof), or a TCP end without it (truncated): a half-close
  // either way. Only whole lines count, so a truncation loses no command.
  if (ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated) {
    handle_end_of_input();
    return;
  }
  if (ec) {
    destroy("read error: " + ec.message());
    return;
  }
  take_input(std::string_view(tls_->input.data(), n));
  flush();
  if (state_ == State::closed || pause_reading_if_backed_up()) return;
  wait_readable();
}

void Session::tls_flush() {
  if (writing_ || handshaking_ || state_ == State::closed) return;
  if (!queue_.empty()) {
    // Copy the front of the queue (up to one record) and take it off: the
    // queue may then change freely (discard_unstarted, appends) while the
    // write is in flight. The bytes stay counted until written.
    if (tls_->staging.empty()) tls_->staging.resize(TlsLink::staging_size);
    OutboundQueue::Gather buffers;
    const std::size_t count = queue_.gather(buffers);
    std::size_t staged = 0;
    for (std::size_t i = 0; i < count && staged < tls_->staging.size(); ++i) {
      const std::size_t take = std::min(buffers[i].iov_len, tls_->staging.size() - staged);
      std::memcpy(tls_->staging.data() + staged, buffers[i].iov_base, take);
      staged += take;
    }
    // Latency ends here for TLS: when the MSG is handed to the encrypting
    // write, one record's write before it reaches the socket.
    queue_.consume(staged, &worker_.metrics().publish_to_write,
                   steady_nanoseconds());
    tls_->staged = staged;
    writing_ = true;
    boost::asio::async_write(tls_->stream, boost::asio::buffer(tls_->staging.data(), staged),
                             [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                               self->on_tls_written(ec);
                             });
  }
  after_write_progress();
}

void Session::on_tls_written(const boost::system::error_code& ec) {
  writing_ = false;
  if (state_ == State::closed) return;  // destroy() released the staged bytes
  if (ec) {
    destroy("write error: " + ec.message());
    return;
  }
  worker_.metrics().bytes_out.add(tls_->staged);
  flow().release(std::exchange(tls_->staged, 0));
  tls_flush();
}

void Session::tls_shutdown() {
  state_ = State::lingering;
  linger_until_ = Clock::now() + linger_time;
  update_timer();
  if (reading_) {
    // The pending read must end before the shutdown may use the stream; its
    // handler sends the close_notify.
    boost::system::error_code ec;
    socket_.cancel(ec);
    return;
  }
  tls_close_notify();
}

void Session::tls_close_notify() {
  if (tls_->shutdown_started) return;
  tls_->shutdown_started = true;
  // Sends close_notify (Asio writes it out before reporting any result), then
  // waits for the peer's.
  tls_->stream.async_shutdown([self = shared_from_this()](const boost::system::error_code& ec) {
    self->on_tls_shutdown(ec);
  });
}

void Session::on_tls_shutdown(const boost::system::error_code& ec) {
  if (state_ == State::closed) return;
  spdlog::debug("connection {}: tls shutdown: {}", id_, ec ? ec.message() : "clean");
  if (!ec || ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated || input_closed_) {
    destroy(bye_reason_);  // the peer answered with its close_notify, or closed, or is done sending
    return;
  }
  // Typically "application data after close notify": the peer is still
  // sending. Closing now could reset the connection before it read our
  // last lines, so linger as the plain session does: half-close and
  // discard raw input until the peer closes or the deadline passes.
  tls_->plain_linger = true;
  boost::system::error_code shutdown_ec;
  socket_.shutdown(tcp::socket::shutdown_send, shutdown_ec);
  if (shutdown_ec) {
    destroy(bye_reason_);
    return;
  }
  wait_readable();
}

}  // namespace chatbus
