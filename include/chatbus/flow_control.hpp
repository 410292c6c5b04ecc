// flow_control: the per-connection outbound budget of PROTOCOL.md, "Flow
// control".
//
// Threading: the router calls try_reserve() for a subscriber from whichever
// thread publishes (serialised by the router's lock); every other call comes
// from the connection's own thread. The counter and the overflow flag are
// atomics so the router can decide "queue or skip" at publish time, which is
// what lets `PUB` reply with the exact number of queued deliveries. A skip
// decided just before the owner cleared the flag is harmless: the owner
// reports it as soon as it arrives (see Session::skip).
#pragma once

#include <atomic>
#include <cstddef>

namespace chatbus {

class FlowControl {
 public:
  explicit FlowControl(std::size_t limit) : limit_(limit) {}

  /// Router, any thread: reserves room for a MSG of `bytes`. Returns false
  /// (skip it) while overflowed, or when the queue has already passed the
  /// limit, which starts an overflow. A MSG that makes the queue pass the
  /// limit is still queued, so any line reaches a reader that keeps up.
  bool try_reserve(std::size_t bytes) noexcept {
    if (overflowed_.load(std::memory_order_acquire)) return false;
    if (queued_.load(std::memory_order_relaxed) > limit_) {
      overflowed_.store(true, std::memory_order_release);
      return false;
    }
    queued_.fetch_add(bytes, std::memory_order_relaxed);
    return true;
  }

  /// Owner: bytes queued that are never skipped (replies, DROPPED, BYE).
  void add(std::size_t bytes) noexcept { queued_.fetch_add(bytes, std::memory_order_relaxed); }

  /// Owner: bytes written to the socket or discarded.
  void release(std::size_t bytes) noexcept { queued_.fetch_sub(bytes, std::memory_order_relaxed); }

  /// Bytes reserved or queued and not yet written.
  std::size_t queued() const noexcept { return queued_.load(std::memory_order_relaxed); }

  /// True from a skipped MSG until the owner calls resume().
  bool overflowed() const noexcept { return overflowed_.load(std::memory_order_acquire); }

  /// True when more than the limit is queued (replies may pass it).
  bool over_limit() const noexcept { return queued() > limit_; }

  /// True once the queue has drained below half the limit.
  bool drained() const noexcept { return queued() < limit_ / 2; }

  /// Owner: ends an overflow, after it has queued the DROPPED reports.
  void resume() noexcept { overflowed_.store(false, std::memory_order_release); }

  std::size_t limit() const noexcept { return limit_; }

 private:
  const std::size_t limit_;                 ///< max_pending for this connection
  std::atomic<std::size_t> queued_{0};      ///< reserved + queued, unwritten bytes
  std::atomic<bool> overflowed_{false};     ///< skipping MSGs until drained
};

}  // namespace chatbus
