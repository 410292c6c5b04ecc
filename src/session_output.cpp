// Session output: deliveries, the write path and flow control.
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <spdlog/spdlog.h>

#include "chatbus/broker.hpp"
#include "chatbus/session.hpp"
#include "chatbus/worker.hpp"

namespace chatbus {
namespace {

/// Distinct topics whose skipped MSGs one connection may count while it is
/// overflowed; past it the connection is closed as a slow consumer.
constexpr std::size_t max_dropped_topics = 65536;

}  // namespace

void Session::deliver(MessagePtr message) {
  if (state_ != State::open) {
    flow().release(message->line().size());
    return;
  }
  queue_.push(std::move(message));
  ++messages_out_;
  worker_.metrics().messages_delivered.add();
  // A MSG may take the queue past the limit by itself (see try_reserve):
  // the slow-consumer clock starts then, not at the next skip.
  if (!over_limit_ && flow().over_limit()) note_over_limit();
  schedule_flush();
}

void Session::skip(const Message& message, std::uint32_t epoch) {
  if (state_ != State::open) return;
  worker_.metrics().messages_dropped.add();
  if (epoch != flow().epoch()) {
    // Skipped in an overflow whose drops were reported already (the skip
    // was still in the mailbox then): report it now, still ahead of any
    // newer MSG of its topic.
    queue_text([&](std::string& out) { append_dropped(out, message.topic(), 1); });
    schedule_flush();
    return;
  }
  const auto it = dropped_.find(message.topic());
  if (it != dropped_.end()) {
    ++it->second;
  } else if (dropped_.size() < max_dropped_topics) {
    dropped_.emplace(std::string(message.topic()), 1);
  } else if (!closing_posted_) {
    // Counting drops for ever more topics would grow without bound: give up
    // on this consumer. (Not from inside the drain that called us.)
    closing_posted_ = true;
    boost::asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close("slow_consumer", true); });
  }
  if (!over_limit_) note_over_limit();
}

void Session::note_over_limit() {
  over_limit_ = true;
  over_limit_since_ = Clock::now();
  update_timer();
}

void Session::report_drops() {
  for (const auto& drop : dropped_) {
    queue_text([&](std::string& out) { append_dropped(out, drop.first, drop.second); });
  }
  StringMap<std::uint64_t>().swap(dropped_);  // give back the buckets too
  flow().resume();
}

void Session::schedule_flush() {
  if (flush_scheduled_ || writing_) return;
  flush_scheduled_ = true;
  // Deferred so that everything queued during this turn of the event loop
  // goes out in one gathered write.
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->flush();
  });
}

void Session::flush() {
  if (tls_) {
    tls_flush();
    return;
  }
  if (writing_ || state_ == State::closed) return;
  OutboundQueue::Gather buffers;
  while (!queue_.empty()) {
    const std::size_t count = queue_.gather(buffers);
    std::size_t offered = 0;
    for (std::size_t i = 0; i < count; ++i) offered += buffers[i].iov_len;
    msghdr message{};
    message.msg_iov = buffers.data();
    message.msg_iovlen = count;
    // MSG_NOSIGNAL: a vanished peer is an error code, not a SIGPIPE.
    const ssize_t sent = ::sendmsg(socket_.native_handle(), &message, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      destroy("write error: " + boost::system::error_code(errno, boost::system::system_category()).message());
      return;
    }
    const std::size_t written = sent < 0 ? 0 : static_cast<std::size_t>(sent);
    WorkerMetrics& metrics = worker_.metrics();
    metrics.bytes_out.add(written);
    queue_.consume(written, &metrics.publish_to_write, steady_nanoseconds());
    flow().release(written);
    if (written < offered) {
      wait_writable();  // the socket is full
      after_write_progress();
      return;
    }
  }
  after_write_progress();
}

void Session::wait_writable() {
  writing_ = true;
  socket_.async_wait(tcp::socket::wait_write, [self = shared_from_this()](boost::system::error_code ec) {
    self->writing_ = false;
    if (self->state_ == State::closed || ec == boost::asio::error::operation_aborted) return;
    if (ec) {
      self->destroy("write error: " + ec.message());
      return;
    }
    self->flush();
  });
}

void Session::after_write_progress() {
  if (state_ == State::closed) return;
  if (flow().drained()) {
    if (over_limit_) {
      over_limit_ = false;
      update_timer();
    }
    if (flow().overflowed() && state_ == State::open) {
      report_drops();
      schedule_flush();
    }
  }
  // A TLS write in flight has taken the last bytes off the queue, not out.
  if (queue_.empty() && !writing_) {
    queue_.release_memory();
    if (finished_by_peer_ && state_ == State::open) {
      if (tls_) {
        bye_reason_ = "peer closed";
        tls_shutdown();  // close_notify first, so the peer sees a clean end
        return;
      }
      destroy("peer closed");
      return;
    }
    if (state_ == State::closing) {
      finish_closing();
      return;
    }
  }
  if (read_paused_ && !flow().over_limit()) {
    read_paused_ = false;
    // We, not the peer, stopped the input: that time is not idleness.
    last_input_at_ = Clock::now();
    wait_readable();
  }
}

}  // namespace chatbus
