// line_link: one TCP connection that reads and writes LF-terminated lines,
// each step bounded by a deadline and interruptible through the Reactor.
//
// Reads go into one growing buffer from which complete lines are taken by
// offset (compacted rarely), so a burst of many small MSG lines costs no
// per-line copy of the rest of the buffer. Single-threaded, like the Reactor.
#pragma once

#include "cli/io_result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace chatbus::cli {

class LineLink {
 public:
  using Status = IoResult::Status;
  using Result = IoResult;

  explicit LineLink(Reactor& reactor) : reactor_(reactor), socket_(reactor.context()) {}

  /// Resolves and connects (TCP_NODELAY, keepalive).
  Result connect(const Address& address, Deadline deadline);
  /// Writes all of `bytes`.
  Result write(std::string_view bytes, Deadline deadline);
  /// Takes the next line (LF and a CR before it removed), reading if needed.
  /// A line longer than max_line() fails with message_size.
  Result read_line(std::string& line, Deadline deadline);
  /// True if read_line would return without touching the socket.
  bool has_line() const;
  /// The longest line accepted, LF included.
  void set_max_line(std::size_t bytes) { max_line_ = bytes; }
  /// The current limit (see set_max_line).
  std::size_t max_line() const { return max_line_; }
  /// Closes the socket and forgets buffered input; connect() may follow.
  void close();
  /// The reactor the steps run on.
  Reactor& reactor() { return reactor_; }

 private:
  /// Moves one complete line out of in_, if there is one.
  bool pop_line(std::string& line);

  Reactor& reactor_;                       ///< runs every step
  boost::asio::ip::tcp::socket socket_;    ///< the connection
  std::string in_;                         ///< bytes read, from head_ on not yet taken
  std::size_t head_ = 0;                   ///< start of the untaken part of in_
  std::size_t scanned_ = 0;                ///< no LF in in_ between head_ and this
  std::size_t max_line_ = 1024 * 1024;     ///< until HELLO tells the server's limit
};

}  // namespace chatbus::cli
