// metrics: the counters behind /metrics and /v1/stats.
//
// Concurrency: every worker owns one WorkerMetrics and is its only writer,
// so a count is a relaxed load and store, never a locked read-modify-write
// (no cache line bounces between cores on the delivery path). The admin
// thread reads them with relaxed loads and sums over the workers: a scrape
// may see one counter a few events ahead of another, which is what
// Prometheus expects of independent counters anyway.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "chatbus/protocol.hpp"

namespace chatbus {

/// The steady clock in nanoseconds: the time base of Message::received_ns().
inline std::int64_t steady_nanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// A count with one writer thread and any number of readers.
class Counter {
 public:
  void add(std::uint64_t n = 1) {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::uint64_t get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};  ///< the count
};

/// Why a connection ended, as the `reason` label of disconnect counts.
enum class CloseReason {
  quit,            ///< BYE quit: the client asked
  slow_consumer,   ///< BYE slow_consumer
  idle_timeout,    ///< BYE idle_timeout
  auth_timeout,    ///< BYE auth_timeout
  protocol_error,  ///< BYE protocol_error (max_bad_lines)
  overloaded,      ///< BYE overloaded (max_connections)
  shutdown,        ///< BYE shutdown
  peer_closed,     ///< the client closed without QUIT
  io_error,        ///< a read or write failed (reset, vanished peer)
};
inline constexpr std::size_t close_reason_count = 9;
inline constexpr std::size_t error_code_count = 8;  ///< ErrorCode values

/// The label text of a reason.
std::string_view close_reason_name(CloseReason reason);

/// The reason for a BYE reason word or a destroy() description.
CloseReason close_reason_from(std::string_view text);

/// Time from a PUB being accepted to its MSG being handed to the socket of
/// a subscriber, in buckets whose upper bounds double from 1.024 µs
/// (2^10 ns) up to about 8.6 s, plus an overflow bucket. Finding the bucket
/// is one bit_width: the record sits on the write path of every delivery.
class LatencyHistogram {
 public:
  static constexpr std::size_t bucket_count = 24;  ///< finite buckets
  static constexpr unsigned first_bucket_log2 = 10;  ///< 2^10 ns upper bound

  void record(std::uint64_t nanoseconds) {
    const std::size_t index = std::min<std::size_t>(
        static_cast<std::size_t>(std::bit_width(nanoseconds >> first_bucket_log2)), bucket_count);
    buckets_[index].add();
    sum_nanoseconds_.add(nanoseconds);
  }

  /// Upper bound of finite bucket `i`, in nanoseconds.
  static constexpr std::uint64_t upper_bound(std::size_t i) { return std::uint64_t{1} << (first_bucket_log2 + i); }

  /// Observations in bucket `i` alone (i == bucket_count: above the last bound).
  std::uint64_t bucket(std::size_t i) const { return buckets_[i].get(); }
  std::uint64_t sum_nanoseconds() const { return sum_nanoseconds_.get(); }

 private:
  std::array<Counter, bucket_count + 1> buckets_;  ///< non-cumulative counts
  Counter sum_nanoseconds_;                        ///< total observed time
};

/// One worker's counters (written on that worker's thread only).
struct WorkerMetrics {
  Counter connections_accepted;   ///< admitted connections
  Counter connections_rejected;   ///< refused: max_connections reached
  Counter messages_published;     ///< PUBs answered OK
  Counter messages_delivered;     ///< MSG lines queued to subscribers
  Counter messages_dropped;       ///< MSG lines skipped under flow control
  Counter bytes_in;               ///< bytes read from clients
  Counter bytes_out;              ///< bytes written to clients
  std::array<Counter, error_code_count> errors;        ///< ERR replies by code
  std::array<Counter, close_reason_count> disconnects;  ///< closes by reason
  LatencyHistogram publish_to_write;  ///< PUB accepted -> MSG written
};

}  // namespace chatbus
