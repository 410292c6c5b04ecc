// io_result: how one network step ended, for LineLink and the HTTP GET,
// and connecting a TCP socket (the step both begin with).
#pragma once

#include "cli/address.hpp"
#include "cli/reactor.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <string>

namespace chatbus::cli {

struct IoResult {
  enum class Status { ok, eof, timed_out, interrupted, failed };
  Status status = Status::ok;       ///< what happened
  boost::system::error_code error;  ///< for `failed`

  bool ok() const { return status == Status::ok; }
  /// "connection refused", "timed out", ... for messages.
  std::string describe() const;
  /// Combines a Reactor outcome with the operation's own error code.
  static IoResult from(Reactor::Outcome outcome, const boost::system::error_code& ec);
};

/// Resolves `address` and connects `socket` to the first endpoint that answers.
IoResult connect_tcp(Reactor& reactor, boost::asio::ip::tcp::socket& socket, const Address& address,
                     Deadline deadline);

}  // namespace chatbus::cli
