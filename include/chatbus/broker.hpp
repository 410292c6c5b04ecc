// broker: the state every session shares: the settings, the router, this
// node's identity and the connection count. Built once by the server before
// any thread starts; everything here is immutable or thread-safe.
//
// Settings that may change at runtime live in a Settings generation (see
// settings.hpp): the broker holds the current one under a mutex for the cold
// paths, and mirrors the two limits it checks itself in relaxed atomics.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "chatbus/config.hpp"
#include "chatbus/router.hpp"
#include "chatbus/settings.hpp"

namespace boost::asio::ssl {
class context;
}

namespace chatbus {

class Broker {
 public:
  Broker(Config config, std::vector<Mailbox*> mailboxes);

  /// The settings as at startup. What may change at runtime is read from a
  /// Settings generation instead (Worker::settings() on a session's thread).
  const Config& config() const { return config_; }

  /// Any thread, cold paths: the current settings generation.
  std::shared_ptr<const Settings> settings() const;

  /// Makes `next` the current generation (the workers are told separately).
  void install(std::shared_ptr<const Settings> next);
  Router& router() { return router_; }

  /// This run's node id (random, so a restart shows a new one).
  const std::string& node_id() const { return node_id_; }

  /// Counts an accepted connection; false (and no count) past max_connections.
  bool admit_connection();

  /// Connections admitted and still open.
  std::size_t connection_count() const { return connections_.load(std::memory_order_relaxed); }

  /// When this server started (for uptime).
  std::chrono::steady_clock::time_point started_at() const { return started_at_; }

  /// True while the server accepts clients; false once shutdown began.
  bool ready() const { return ready_.load(std::memory_order_relaxed); }
  void set_ready(bool ready) { ready_.store(ready, std::memory_order_relaxed); }

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
    return total_pending_.load(std::memory_order_relaxed) >
           max_total_pending_.load(std::memory_order_relaxed);
  }

  /// The TLS server context every session handshakes with; null for plain TCP.
  boost::asio::ssl::context* tls_context() const { return tls_context_.get(); }

  /// A fresh id for a connection's log lines.
  std::uint64_t next_connection_id() { return next_id_.fetch_add(1, std::memory_order_relaxed); }

 private:
  const Config config_;                     ///< settings at startup
  const std::shared_ptr<boost::asio::ssl::context> tls_context_;  ///< null unless TLS is on
  std::atomic<std::size_t> total_pending_{0};  ///< queued outbound bytes, all connections
  Router router_;                           ///< the topic registry
  const std::string node_id_;               ///< random id of this run
  mutable std::mutex settings_mutex_;       ///< guards settings_
  std::shared_ptr<const Settings> settings_;  ///< current generation
  std::atomic<std::size_t> max_connections_;  ///< settings_'s, for admit_connection
  std::atomic<std::size_t> max_total_pending_;  ///< settings_'s, for outbound_overloaded
  std::atomic<std::size_t> connections_{0}; ///< admitted, still open
  std::atomic<std::size_t> refusals_{0};    ///< refused, still saying BYE
  std::atomic<std::uint64_t> next_id_{1};   ///< connection ids
  const std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();  ///< for uptime
  std::atomic<bool> ready_{false};          ///< see ready()
};

}  // namespace chatbus
