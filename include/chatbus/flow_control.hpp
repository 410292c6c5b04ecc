// flow_control: the per-connection outbound budget of PROTOCOL.md, "Flow
// control".
//
// Threading: the router calls try_reserve() for a subscriber from whichever
// thread publishes (serialised by the router's lock); every other call comes
// from the connection's own thread. The counter and the overflow flag are
// atomics so the router can decide "queue or skip" at publish time, which is
// what lets `PUB` reply with the exact number of queued deliveries.
//
// Each overflow is an epoch. A skip carries the epoch it was decided in;
// resume() ends the epoch after its drops were reported. A skip that
// reaches the owner after that (it was still in a mailbox) belongs to an
// epoch already reported and must be reported at once, or a newer MSG of
// its topic could overtake its DROPPED (see Session::skip). The order of the
// loads in try_reserve and the stores in resume() makes the recorded epoch
// never later than the true one, so a skip is never deferred wrongly; at
// worst it is reported early, which is harmless.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace chatbus {

class FlowControl {
 public:
  explicit FlowControl(std::size_t limit) : limit_(limit) {}

  /// Router, any thread: reserves room for a MSG of `bytes`. Returns false
  /// (skip it) while overflowed, or when the queue has already passed the
  /// limit, which starts an overflow. A MSG that makes the queue pass the
  /// limit is still queued, so any line reaches a reader that keeps up.
  /// `epoch` receives the overflow epoch the decision belongs to.
  bool try_reserve(std::size_t bytes, std::uint32_t& epoch) noexcept {
    epoch = epoch_.load();
    if (overflowed_.load()) return false;
    if (queued_.load(std::memory_order_relaxed) > limit_) {
      overflowed_.store(true);
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
  bool overflowed() const noexcept { return overflowed_.load(); }

  /// The current overflow epoch; see the comment at the top.
  std::uint32_t epoch() const noexcept { return epoch_.load(); }

  /// True when more than the limit is queued (replies may pass it).
  bool over_limit() const noexcept { return queued() > limit_; }

  /// True once the queue has drained below half the limit.
  bool drained() const noexcept { return queued() < limit_ / 2; }

  /// Owner: ends an overflow and its epoch, after it has queued the DROPPED
  /// reports. The flag is cleared before the epoch moves on (see the top).
  void resume() noexcept {
    overflowed_.store(false);
    epoch_.fetch_add(1);
  }

  std::size_t limit() const noexcept { return limit_; }

 private:
  const std::size_t limit_;                 ///< max_pending for this connection
  std::atomic<std::size_t> queued_{0};      ///< reserved + queued, unwritten bytes
  std::atomic<bool> overflowed_{false};     ///< skipping MSGs until drained
  std::atomic<std::uint32_t> epoch_{0};     ///< overflows ended so far
};

}  // namespace chatbus
