// mailbox: the hand-over of deliveries from publishing threads to the worker
// thread that owns the receiving sessions (Dragonfly's idea: each thread
// delivers only to its own connections).
//
// Any thread may push (the router does, under its lock, so the mailbox order
// is the publish order); only the owning worker takes. The first push into an
// empty mailbox asks the caller to wake the owner, which it does after
// releasing its own lock; later pushes ride on that wake-up, so a burst of
// publishes costs one wake-up.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "chatbus/message.hpp"

namespace chatbus {

class Subscriber;

/// One entry: a message for a subscriber, or the subscriber's retirement.
struct Delivery {
  enum class Kind { queued, skipped, retire };
  Subscriber* target;       ///< owned by the mailbox's worker
  const Message* message;   ///< owns one reference; null for retire
  Kind kind;                ///< what the worker does with it
  std::uint32_t epoch = 0;  ///< for skipped: the overflow epoch (flow_control.hpp)
};

class Mailbox {
 public:
  /// `wake` schedules a drain on the owning thread; called without locks held.
  explicit Mailbox(std::function<void()> wake) : wake_(std::move(wake)) {}

  /// Gives back the references of deliveries never taken (at exit).
  ~Mailbox();

  /// Appends and empties `batch`. Returns true when the owner needs waking.
  bool push(std::vector<Delivery>& batch);

  /// Appends one entry. Returns true when the owner needs waking.
  bool push(Delivery delivery);

  /// Runs the wake-up callback (after a push returned true).
  void wake() { wake_(); }

  /// Owning thread: moves everything pushed so far into `out` (emptied first).
  void take(std::vector<Delivery>& out);

  /// Owning thread: a lock-free hint that take() would find something. A
  /// push that happened before (in real time) the caller's last syscall is
  /// seen, which is what the PUB-then-PING barrier needs.
  bool maybe_pending() const { return has_pending_.load(std::memory_order_acquire); }

 private:
  std::function<void()> wake_;      ///< posts a drain to the owning worker
  std::mutex mutex_;                ///< guards pending_ and wake_pending_
  std::vector<Delivery> pending_;   ///< pushed, not yet taken
  bool wake_pending_ = false;       ///< a drain is scheduled and will see pending_
  std::atomic<bool> has_pending_{false};  ///< pending_ is not empty (hint for the owner)
};

}  // namespace chatbus
