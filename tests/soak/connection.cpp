#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace chatbus::soak {
namespace {

using namespace boost::asio::experimental::awaitable_operators;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

Connection::Connection(asio::any_io_executor executor) : socket_(executor), read_timer_(executor), write_timer_(executor) {}

asio::awaitable<void> Connection::connect(std::uint16_t port, int receive_buffer) {
  const asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
  socket_.open(endpoint.protocol());
  if (receive_buffer > 0) socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  socket_.set_option(asio::ip::tcp::no_delay(true));
  read_timer_.expires_after(std::chrono::seconds(10));
  auto result = co_await (socket_.async_connect(endpoint, use_tuple) || read_timer_.async_wait(use_tuple));
  if (result.index() == 1) throw Timeout("connect timed out");
  if (auto [ec] = std::get<0>(result); ec) throw boost::system::system_error(ec, "connect");
}

asio::awaitable<void> Connection::send(std::string_view bytes, Duration timeout) {
  write_timer_.expires_after(timeout);
  auto result = co_await (asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), use_tuple) ||
                          write_timer_.async_wait(use_tuple));
  if (result.index() == 1) throw Timeout("write timed out");
  if (auto [ec, n] = std::get<0>(result); ec) throw boost::system::system_error(ec, "write");
}

asio::awaitable<bool> Connection::fill(std::size_t limit, Duration timeout) {
  if (eof_) co_return false;
  if (head_ > 0 && head_ * 2 > in_.size()) {
    in_.erase(0, head_);  // compact rarely: popping lines stays linear
    head_ = 0;
  }
  char chunk[65536];
  const std::size_t want = std::min(limit, sizeof chunk);
  read_timer_.expires_after(timeout);
  auto result = co_await (socket_.async_read_some(asio::buffer(chunk, want), use_tuple) ||
                          read_timer_.async_wait(use_tuple));
  if (result.index() == 1) throw Timeout("read timed out");
  auto [ec, n] = std::get<0>(result);
  if (ec == asio::error::eof) {
    eof_ = true;
    co_return false;
  }
  if (ec) throw boost::system::system_error(ec, "read");
  in_.append(chunk, n);
  co_return true;
}

std::optional<std::string> Connection::pop_line() {
  const auto end = in_.find('\n', head_);
  if (end == std::string::npos) return std::nullopt;
  std::string line = in_.substr(head_, end - head_);
  head_ = end + 1;
  return line;
}

asio::awaitable<std::optional<std::string>> Connection::read_line(Duration timeout) {
  const auto until = Clock::now() + timeout;
  for (;;) {
    if (auto line = pop_line()) co_return line;
    const auto left = std::chrono::duration_cast<Duration>(until - Clock::now());
    if (left.count() <= 0) throw Timeout("no complete line in time");
    if (!co_await fill(in_.max_size(), left)) {
      if (head_ != in_.size()) throw std::runtime_error("EOF in the middle of a line");
      co_return std::nullopt;
    }
  }
}

asio::awaitable<bool> Connection::read_some(std::size_t limit, Duration timeout) {
  co_return co_await fill(limit, timeout);
}

asio::awaitable<void> Connection::pause(Duration pause) {
  write_timer_.expires_after(pause);
  co_await write_timer_.async_wait(use_tuple);
}

void Connection::close() {
  boost::system::error_code ec;
  socket_.close(ec);
}

void Connection::reset() {
  boost::system::error_code ec;
  socket_.set_option(asio::socket_base::linger(true, 0), ec);
  socket_.close(ec);
}

}  // namespace chatbus::soak
