// outbound_queue: what a session has yet to write. Shared MSG buffers are
// queued by reference; consecutive replies coalesce into one owned text
// segment. gather() hands out up to a batch of buffers for one writev.
//
// Not thread-safe: owned by one session, used on its thread. Writes are
// synchronous non-blocking calls, so no buffer is referenced by the kernel
// or by Asio between calls: the tail may grow at any time.
#pragma once

#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "chatbus/message.hpp"

namespace chatbus {

class OutboundQueue {
 public:
  /// Buffers one write may gather: IOV_MAX on Linux. (Asio's own gathering
  /// write stops at 64, hence the direct sendmsg in the session.)
  static constexpr std::size_t max_gather = 1024;
  using Gather = std::array<iovec, max_gather>;

  /// The text segment at the tail, for appending replies; a shared message
  /// at the tail starts a new one.
  std::string& text_tail();

  /// Queues a shared message.
  void push(MessagePtr message);

  bool empty() const { return head_ == segments_.size(); }

  /// Fills `out` with the next unwritten bytes; returns the buffer count.
  std::size_t gather(Gather& out) const;

  /// Drops `written` bytes from the front.
  void consume(std::size_t written);

  /// Drops every segment not yet started (a partly written head stays, so
  /// the next line still starts on a line boundary). Returns bytes dropped.
  std::size_t discard_unstarted();

  /// Returns memory once empty, so an idle connection stays small.
  void release_memory();

 private:
  struct Segment {
    MessagePtr message;  ///< a shared MSG line, or null for text
    std::string text;    ///< owned reply bytes when message is null
    std::string_view bytes() const { return message ? message->line() : std::string_view(text); }
  };

  std::vector<Segment> segments_;  ///< [head_, end) are unwritten
  std::size_t head_ = 0;           ///< first unwritten segment
  std::size_t head_offset_ = 0;    ///< bytes of the head already written
};

}  // namespace chatbus
