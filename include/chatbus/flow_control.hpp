// flow_control: the per-connection outbound budget of PROTOCOL.md, "Flow
// control".
//
// Threading: the router calls try_reserve() for a subscriber from whichever
// thread publishes (serialised by the router's lock); every other call comes
// from the connection's own thread. The counters and the overflow flag are
// atomics so the router can decide "queue or skip" at publish time, which is
// what lets `PUB` reply with the exact number of queued deliveries.
//
// The byte count is split into single-writer counters, so no delivery pays
// for a locked read-modify-write: `reserved_` is written only by the router
// (under its lock), `added_` and `released_` only by the owner. Queued bytes
// are reserved + added - released; a reader may see a slightly stale sum,
// which only moves an overflow's start or end by a message.
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
  /// `total`, if given, is the server-wide count of queued bytes: add() and
  /// release() keep it (the router adds what it reserves, once per publish).
  explicit FlowControl(std::size_t limit, std::atomic<std::size_t>* total = nullptr)
      : limit_(limit), total_(total) {}

  /// Router, any thread: reserves room for a MSG of `bytes`. Returns false
  /// (skip it) while overflowed, or when the queue has already passed the
  /// limit, which starts an overflow. A MSG that makes the queue pass the
  /// limit is still queued, so any line reaches a reader that keeps up.
  /// `epoch` receives the overflow epoch the decision belongs to.
  bool try_reserve(std::size_t bytes, std::uint32_t& epoch) noexcept {
    epoch = epoch_.load();
    if (overflowed_.load()) return false;
    const std::size_t reserved = reserved_.load(std::memory_order_relaxed);  // our own value
    if (queued() > limit_) {
      overflowed_.store(true);
      return false;
    }
    reserved_.store(reserved + bytes, std::memory_order_release);  // sole writer
    return true;
  }

  /// Owner: bytes queued that are never skipped (replies, DROPPED, BYE).
  void add(std::size_t bytes) noexcept {
    bump(added_, bytes);
    if (total_ != nullptr) total_->fetch_add(bytes, std::memory_order_relaxed);
  }

  /// Owner: bytes written to the socket or discarded (one call per write).
  void release(std::size_t bytes) noexcept {
    bump(released_, bytes);
    if (total_ != nullptr) total_->fetch_sub(bytes, std::memory_order_relaxed);
  }

  /// Bytes reserved or queued and not yet written.
  std::size_t queued() const noexcept {
    // Released first: every byte it counts was added or reserved before it
    // was released, so the later loads see at least that much and the
    // difference cannot wrap.
    const std::size_t released = released_.load(std::memory_order_acquire);
    const std::size_t added = added_.load(std::memory_order_acquire);
    return reserved_.load(std::memory_order_acquire) + added - released;
  }

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

 private:
  /// Owner-side increment: a plain load and store, as the owner is the only writer.
  static void bump(std::atomic<std::size_t>& counter, std::size_t bytes) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + bytes, std::memory_order_release);
  }

  const std::size_t limit_;                 ///< max_pending for this connection
  std::atomic<std::size_t>* const total_;   ///< server-wide queued bytes, or null
  std::atomic<std::size_t> reserved_{0};    ///< MSG bytes reserved, ever (router writes)
  std::atomic<std::size_t> added_{0};       ///< other bytes queued, ever (owner writes)
  std::atomic<std::size_t> released_{0};    ///< bytes written or discarded, ever (owner writes)
  std::atomic<bool> overflowed_{false};     ///< skipping MSGs until drained
  std::atomic<std::uint32_t> epoch_{0};     ///< overflows ended so far
};

}  // namespace chatbus
