// server_connection: a protocol conversation with chatbusd over a LineLink:
// connect, HELLO, AUTH, commands and their replies, pushes kept aside.
//
// Replies answer commands in order, and pushes (MSG, DROPPED, BYE) may come
// between them (PROTOCOL.md, "Replies and pushes"): read_reply() keeps the
// pushes it meets for next_line(), except BYE, which ends the conversation
// and is thrown as a Failure naming its reason. Every failure becomes a
// Failure with its exit code, or Interrupted on SIGINT/SIGTERM.
#pragma once

#include "cli/failure.hpp"
#include "cli/line_link.hpp"
#include "cli/options.hpp"

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace chatbus::cli {

/// What HELLO said about the server.
struct ServerInfo {
  std::string node;              ///< changes when the daemon restarts
  std::string version;           ///< the daemon's version
  std::size_t max_line = 65536;  ///< its longest accepted line
};

class ServerConnection {
 public:
  ServerConnection(Reactor& reactor, const CommonOptions& options) : options_(options), link_(reactor) {}

  /// Connects, sends HELLO and, with a token, AUTH.
  void open();
  /// What HELLO said (after open()).
  const ServerInfo& info() const { return info_; }
  /// Where it connects.
  const Address& address() const { return options_.addr; }

  /// Adds `line` and its LF to what flush() sends.
  void queue(std::string_view line);
  /// Sends everything queued.
  void flush();
  /// Sends one command and returns its reply line.
  std::string command(std::string_view line);
  /// The next reply (OK, PONG or ERR), waiting at most the timeout.
  std::string read_reply();
  /// The next line of any kind, pushes kept by read_reply() first; waits
  /// for ever (signals still interrupt). A BYE is returned, not thrown.
  std::string next_line();
  /// True if next_line() has a line without waiting for the network.
  bool has_line() const { return !kept_.empty() || link_.has_line(); }
  /// Says QUIT and waits, at most the timeout, for the server's BYE.
  /// For leaving politely: never throws, and works after a signal.
  void quit();

 private:
  /// One line, or a Failure/Interrupted naming what went wrong.
  std::string read_line(Deadline deadline);
  void say_hello();

  const CommonOptions& options_;  ///< address, token, timeout
  LineLink link_;                 ///< the connection
  ServerInfo info_;               ///< from HELLO
  std::string out_;               ///< queued command lines
  std::deque<std::string> kept_;  ///< pushes met while waiting for a reply
};

/// The Failure for `BYE <reason>`: shutdown is a lost connection (3),
/// auth_timeout an authentication failure (4), the rest a refusal (1).
Failure bye_failure(std::string_view reason);
/// The Failure for an ERR reply: unauthorized is 4, the rest 1.
Failure err_failure(std::string_view reply, std::string_view context);

}  // namespace chatbus::cli
