// broker: the state every session shares: the settings, the router, this
// node's identity and the connection count. Built once by the server before
// any thread starts; everything here is immutable or thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chatbus/config.hpp"
#include "chatbus/router.hpp"

namespace boost::asio::ssl {
class context;
}

namespace chatbus {

class Broker {
 public:
  Broker(Config config, std::vector<Mailbox*> mailboxes);

  const Config& config() const { return config_; }
  Router& router() { return router_; }

  /// This run's node id (random, so a restart shows a new one).
  const std::string& node_id() const { return node_id_; }

  /// The complete `OK {...}\n` reply to HELLO, built once.
  const std::string& hello_reply() const { return hello_reply_; }

  /// True when tokens are configured and connections must AUTH.
  bool auth_required() const { return !config_.auth_tokens.empty(); }

  /// True when `token` equals a configured token. Compares in time that
  /// does not depend on where the bytes differ.
  bool token_accepted(std::string_view token) const;

  /// Counts an accepted connection; false (and no count) past max_connections.
  bool admit_connection();

  /// Uncounts a connection admitted before.
  void leave_connection() { connections_.fetch_sub(1, std::memory_order_relaxed); }

  /// Counts a refused connection that will get a polite `BYE overloaded`
  /// (and linger); false when too many already do, so a connection flood
  /// cannot pin a descriptor per attempt for seconds.
  bool admit_refusal();

  /// Uncounts a refused connection admitted by admit_refusal().
  void leave_refusal() { refusals_.fetch_sub(1, std::memory_order_relaxed); }

  /// Server-wide count of queued outbound bytes, kept by every FlowControl.
  std::atomic<std::size_t>* total_pending() { return &total_pending_; }

  /// True while the queued bytes of all connections exceed max_total_pending.
  bool outbound_overloaded() const {
    return total_pending_.load(std::memory_order_relaxed) > config_.max_total_pending;
  }

  /// The TLS server context every session handshakes with; null for plain TCP.
  boost::asio::ssl::context* tls_context() const { return tls_context_.get(); }

  /// A fresh id for a connection's log lines.
  std::uint64_t next_connection_id() { return next_id_.fetch_add(1, std::memory_order_relaxed); }

 private:
  const Config config_;                     ///< settings, fixed after start
  const std::shared_ptr<boost::asio::ssl::context> tls_context_;  ///< null unless TLS is on
  std::atomic<std::size_t> total_pending_{0};  ///< queued outbound bytes, all connections
  Router router_;                           ///< the topic registry
  const std::string node_id_;               ///< random id of this run
  const std::string hello_reply_;           ///< encoded HELLO reply
  std::atomic<std::size_t> connections_{0}; ///< admitted, still open
  std::atomic<std::size_t> refusals_{0};    ///< refused, still saying BYE
  std::atomic<std::uint64_t> next_id_{1};   ///< connection ids
};

}  // namespace chatbus
