#include "cli/line_link.hpp"

#include <boost/asio/write.hpp>

#include <algorithm>

namespace chatbus::cli {

namespace asio = boost::asio;
using boost::system::error_code;

LineLink::Result LineLink::connect(const Address& address, Deadline deadline) {
  close();
  auto result = connect_tcp(reactor_, socket_, address, deadline);
  if (!result.ok()) return result;
  boost::system::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  // A subscriber may wait for hours without sending; keepalive notices a
  // peer that vanished without closing.
  socket_.set_option(asio::socket_base::keep_alive(true), ec);
  return {};
}

LineLink::Result LineLink::write(std::string_view bytes, Deadline deadline) {
  error_code ec;
  auto outcome = reactor_.run(
      [&](auto on_done) {
        asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                          [&, on_done](const error_code& e, std::size_t) {
                            ec = e;
                            on_done();
                          });
      },
      [this] { socket_.cancel(); }, deadline);
  return IoResult::from(outcome, ec);
}

bool LineLink::pop_line(std::string& line) {
  auto end = in_.find('\n', std::max(head_, scanned_));
  if (end == std::string::npos) {
    scanned_ = in_.size();
    return false;
  }
  std::size_t stop = (end > head_ && in_[end - 1] == '\r') ? end - 1 : end;
  line.assign(in_, head_, stop - head_);
  head_ = end + 1;
  scanned_ = head_;
  return true;
}

bool LineLink::has_line() const { return in_.find('\n', std::max(head_, scanned_)) != std::string::npos; }

LineLink::Result LineLink::read_line(std::string& line, Deadline deadline) {
  constexpr std::size_t chunk = 64 * 1024;
  for (;;) {
    if (pop_line(line)) return {};
    if (in_.size() - head_ >= max_line_) {
      return {Status::failed, asio::error::message_size};
    }
    if (head_ > 0 && head_ * 2 >= in_.size()) {
      in_.erase(0, head_);
      scanned_ -= head_;
      head_ = 0;
    }
    const std::size_t used = in_.size();
    in_.resize(used + chunk);
    std::size_t got = 0;
    error_code ec;
    auto outcome = reactor_.run(
        [&](auto on_done) {
          socket_.async_read_some(asio::buffer(in_.data() + used, chunk),
                                  [&, on_done](const error_code& e, std::size_t n) {
                                    ec = e;
                                    got = n;
                                    on_done();
                                  });
        },
        [this] { socket_.cancel(); }, deadline);
    in_.resize(used + got);
    if (auto result = IoResult::from(outcome, ec); !result.ok()) return result;
  }
}

void LineLink::close() {
  error_code ignored;
  if (socket_.is_open()) socket_.close(ignored);
  in_.clear();
  head_ = 0;
  scanned_ = 0;
}

}  // namespace chatbus::cli
