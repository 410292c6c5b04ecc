// connection: one soak client socket to 127.0.0.1, driven by C++20
// coroutines on the soak's single io_context thread.
//
// Every wait has a deadline; running into it throws Timeout, which the
// episode that owns the connection reports. Lines are LF-terminated; the
// input buffer keeps what has not been taken yet.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace chatbus::soak {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Duration = std::chrono::milliseconds;

/// A wait ran into its deadline.
struct Timeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Connection {
 public:
  explicit Connection(asio::any_io_executor executor);

  /// Connects to 127.0.0.1:port; a non-zero receive_buffer sets SO_RCVBUF
  /// first (before the handshake fixes the window scale).
  asio::awaitable<void> connect(std::uint16_t port, int receive_buffer = 0);

  /// Writes every byte within `timeout`.
  asio::awaitable<void> send(std::string_view bytes, Duration timeout);

  /// Next line without its LF; nullopt at the server's EOF.
  asio::awaitable<std::optional<std::string>> read_line(Duration timeout);

  /// Reads at most `limit` bytes into the input buffer (slow readers);
  /// false at EOF.
  asio::awaitable<bool> read_some(std::size_t limit, Duration timeout);

  /// One complete line already in the input buffer, if there is one.
  std::optional<std::string> pop_line();

  /// Waits for `pause` (slow readers); not while a write is pending.
  asio::awaitable<void> pause(Duration pause);

  /// Plain close (FIN).
  void close();
  /// Close with a reset (SO_LINGER 0), as a crashed client would.
  void reset();

  bool at_eof() const { return eof_; }
  /// Changes SO_RCVBUF of the connected socket (the window scale stays).
  void set_receive_buffer(int bytes) {
    boost::system::error_code ec;
    socket_.set_option(asio::socket_base::receive_buffer_size(bytes), ec);
  }

 private:
  /// Reads what is there into in_; false at EOF.
  asio::awaitable<bool> fill(std::size_t limit, Duration timeout);

  asio::ip::tcp::socket socket_;  ///< the connection
  asio::steady_timer read_timer_;   ///< deadline of the current read
  asio::steady_timer write_timer_;  ///< deadline of the current write, or a pause
  std::string in_;                ///< bytes read, not yet taken
  std::size_t head_ = 0;          ///< start of the untaken part of in_
  bool eof_ = false;              ///< the server closed its side
};

}  // namespace chatbus::soak
