// outbound_queue: what a session has yet to write. Shared MSG buffers are
// queued by reference; replies, DROPPED and BYE lines are appended to one
// owned text buffer, and consecutive ones form a single segment. gather()
// hands out up to IOV_MAX buffers for one sendmsg.
//
// Not thread-safe: owned by one session, used on its thread. Writes are
// synchronous non-blocking calls, so no buffer is referenced by the kernel
// between calls and the text buffer may grow (and move) at any time: gather()
// computes its pointers afresh on every call.
#pragma once

#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chatbus/message.hpp"
#include "chatbus/metrics.hpp"

namespace chatbus {

class OutboundQueue {
 public:
  /// Buffers one write may gather: IOV_MAX on Linux. (Asio's own gathering
  /// write stops at 64, hence the direct sendmsg in the session.)
  static constexpr std::size_t max_gather = 1024;
  using Gather = std::array<iovec, max_gather>;

  /// Appends text written by `encode(std::string&)`; returns its size.
  template <class Encode>
  std::size_t append_text(Encode&& encode);

  /// Queues a shared message.
  void push(MessagePtr message) { segments_.push_back(Segment{std::move(message), 0}); }

  bool empty() const { return head_ == segments_.size(); }

  /// Fills `out` with the next unwritten bytes; returns the buffer count.
  std::size_t gather(Gather& out) const;

  /// Drops `written` bytes from the front.
  void consume(std::size_t written) { consume(written, nullptr, 0); }

  /// The same, and records in `latency` how long each MSG that is now
  /// written completely took since its PUB arrived (`now_ns`: steady clock).
  void consume(std::size_t written, LatencyHistogram* latency, std::int64_t now_ns);

  /// Drops every segment not yet started (a partly written head stays, so
  /// the next line still starts on a line boundary). Returns bytes dropped.
  std::size_t discard_unstarted();

  /// Drops everything unwritten, a partly written head included. Returns
  /// the bytes dropped.
  std::size_t discard_all();

  /// Once empty, gives back small and very large buffers, so an idle
  /// connection holds none while a busy one keeps what it reuses every turn.
  void release_memory();

 private:
  /// A shared message, or (message null) the next `text_size` bytes of text_.
  struct Segment {
    MessagePtr message;
    std::size_t text_size;
  };

  void reset_if_empty();

  std::vector<Segment> segments_;  ///< [head_, end) are unwritten
  std::size_t head_ = 0;           ///< first unwritten segment
  std::size_t head_offset_ = 0;    ///< bytes of the head already written
  std::string text_;               ///< bytes of every text segment, in order
  std::size_t text_head_ = 0;      ///< start in text_ of the first unwritten text segment
};

template <class Encode>
std::size_t OutboundQueue::append_text(Encode&& encode) {
  const std::size_t before = text_.size();
  encode(text_);
  const std::size_t added = text_.size() - before;
  if (!empty() && !segments_.back().message) {
    segments_.back().text_size += added;
  } else {
    segments_.push_back(Segment{nullptr, added});
  }
  return added;
}

}  // namespace chatbus
