// subscriber: what the router knows of a connection. A session is one; the
// router's unit tests use a fake.
//
// Threading and lifetime: the router keeps raw pointers to subscribers and
// only ever touches their FlowControl (thread-safe). deliver() and skip() are
// called only on the subscriber's own worker thread, by that worker draining
// its mailbox. A subscriber must leave the router (Router::remove) and then
// be retired through its worker's mailbox before it is destroyed, so no
// queued delivery outlives it.
#pragma once

#include "chatbus/flow_control.hpp"
#include "chatbus/message.hpp"

namespace chatbus {

class Subscriber {
 public:
  Subscriber(unsigned worker, std::size_t max_pending, std::atomic<std::size_t>* total_pending = nullptr)
      : worker_(worker), flow_(max_pending, total_pending) {}
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  /// Index of the worker thread that owns this subscriber.
  unsigned worker() const { return worker_; }

  /// The outbound budget the router checks before queueing.
  FlowControl& flow() { return flow_; }
  const FlowControl& flow() const { return flow_; }

  /// Owning thread: a message whose bytes the router already reserved.
  virtual void deliver(MessagePtr message) = 0;

  /// Owning thread: a message skipped under flow control (count it), with
  /// the overflow epoch the skip was decided in.
  virtual void skip(const Message& message, std::uint32_t epoch) = 0;

 protected:
  ~Subscriber() = default;

 private:
  const unsigned worker_;  ///< owning worker, fixed for life
  FlowControl flow_;       ///< outbound budget shared with the router
};

}  // namespace chatbus
