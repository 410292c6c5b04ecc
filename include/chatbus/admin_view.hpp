// admin_view: what the admin endpoint reads of the running server. Counters
// are summed over the workers (see metrics.hpp); router sizes are read under
// its lock; connection details are copied out by each worker on its own
// thread, because only that thread may touch its sessions.
//
// Threading: called from the admin thread. Everything it reads is atomic,
// locked, or produced by a task posted to a worker and handed back through
// a shared, mutex-guarded collection.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "chatbus/connection_info.hpp"
#include "chatbus/metrics.hpp"
#include "chatbus/router.hpp"

namespace chatbus {

class Broker;
class Worker;

/// Every counter and gauge of /metrics, at one moment.
struct MetricsSnapshot {
  double uptime_seconds = 0;              ///< since the server started
  bool ready = false;                     ///< accepting clients, not shutting down
  std::size_t threads = 0;                ///< I/O threads
  std::size_t connections = 0;            ///< open client connections
  std::size_t pending_bytes = 0;          ///< queued outbound bytes, all connections
  Router::Stats router;                   ///< topics, patterns, subscriptions
  // The counters of WorkerMetrics, summed over the workers:
  std::uint64_t connections_accepted = 0;  ///< admitted connections
  std::uint64_t connections_rejected = 0;  ///< refused at max_connections
  std::uint64_t messages_published = 0;    ///< PUBs answered OK
  std::uint64_t messages_delivered = 0;    ///< MSG lines queued
  std::uint64_t messages_dropped = 0;      ///< MSG lines skipped (reported by DROPPED)
  std::uint64_t bytes_in = 0;              ///< read from clients
  std::uint64_t bytes_out = 0;             ///< written to clients
  std::array<std::uint64_t, error_code_count> errors{};        ///< by ErrorCode
  std::array<std::uint64_t, close_reason_count> disconnects{};  ///< by CloseReason
  std::array<std::uint64_t, LatencyHistogram::bucket_count + 1> latency_buckets{};  ///< non-cumulative
  std::uint64_t latency_sum_nanoseconds = 0;  ///< sum of the latency observations
};

class AdminView {
 public:
  AdminView(Broker& broker, std::vector<Worker*> workers);

  MetricsSnapshot metrics() const;

  /// Every open connection, sorted by id. Waits at most `deadline` for the
  /// workers; `complete` says whether all of them answered in time.
  std::vector<ConnectionInfo> connections(std::chrono::milliseconds deadline, bool& complete) const;

  /// See Router::subscribed_targets.
  std::vector<Router::TargetCount> subscribed_targets(std::string_view prefix) const;

  Broker& broker() const { return broker_; }

 private:
  Broker& broker_;                ///< settings, router, connection count
  std::vector<Worker*> workers_;  ///< whose counters and sessions are read
};

}  // namespace chatbus
