#include "chatbus/outbound_queue.hpp"

#include <cassert>

namespace chatbus {
namespace {

/// An empty queue gives back buffers this small (an idle connection then
/// holds none, and regrowing them is cheap) or larger than the kept sizes
/// (bounding what a burst leaves behind); it keeps the ones in between, which
/// a busy connection would otherwise regrow on every turn.
constexpr std::size_t small_segments = 64;
constexpr std::size_t small_text = 1024;
constexpr std::size_t kept_segments = 4096;
constexpr std::size_t kept_text = 16 * 1024;

/// Written segments at the front of a queue that never empties are erased
/// in batches of this many (rather than on every write).
constexpr std::size_t compact_after = 1024;

}  // namespace

std::size_t OutboundQueue::gather(Gather& out) const {
  std::size_t count = 0;
  std::size_t offset = head_offset_;
  std::size_t text_at = text_head_;
  for (std::size_t i = head_; i < segments_.size() && count < out.size(); ++i) {
    const Segment& segment = segments_[i];
    const char* data;
    std::size_t size;
    if (segment.message) {
      data = segment.message->line().data();
      size = segment.message->line().size();
    } else {
      data = text_.data() + text_at;
      size = segment.text_size;
      text_at += size;
    }
    if (size > offset) out[count++] = iovec{const_cast<char*>(data + offset), size - offset};
    offset = 0;
  }
  return count;
}

void OutboundQueue::consume(std::size_t written, LatencyHistogram* latency, std::int64_t now_ns) {
  while (written > 0) {
    assert(!empty());
    Segment& head = segments_[head_];
    const std::size_t size = head.message ? head.message->line().size() : head.text_size;
    const std::size_t left = size - head_offset_;
    if (written < left) {
      head_offset_ += written;
      return;
    }
    written -= left;
    if (head.message) {
      if (latency != nullptr) latency->record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, now_ns - head.message->received_ns())));
      head.message.reset();  // let go of the shared buffer now
    } else {
      text_head_ += size;
    }
    ++head_;
    head_offset_ = 0;
  }
  reset_if_empty();
  if (head_ >= compact_after) {
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  if (text_head_ > kept_text && text_head_ * 2 > text_.size()) {
    text_.erase(0, text_head_);
    text_head_ = 0;
  }
}

std::size_t OutboundQueue::discard_unstarted() {
  const std::size_t keep = head_offset_ > 0 ? head_ + 1 : head_;
  std::size_t dropped = 0;
  std::size_t kept_text_end = text_head_;
  for (std::size_t i = head_; i < keep; ++i) {
    if (!segments_[i].message) kept_text_end += segments_[i].text_size;
  }
  for (std::size_t i = keep; i < segments_.size(); ++i) {
    dropped += segments_[i].message ? segments_[i].message->line().size() : segments_[i].text_size;
  }
  segments_.resize(keep);
  text_.resize(kept_text_end);
  reset_if_empty();
  return dropped;
}

std::size_t OutboundQueue::discard_all() {
  std::size_t dropped = discard_unstarted();
  if (!empty()) {  // the partly written head
    const Segment& head = segments_[head_];
    dropped += (head.message ? head.message->line().size() : head.text_size) - head_offset_;
    segments_.resize(head_);
    reset_if_empty();
  }
  return dropped;
}

void OutboundQueue::reset_if_empty() {
  if (!empty()) return;
  segments_.clear();
  head_ = 0;
  head_offset_ = 0;
  text_.clear();
  text_head_ = 0;
}

void OutboundQueue::release_memory() {
  if (!empty()) return;
  const std::size_t segments = segments_.capacity();
  if (segments <= small_segments || segments > kept_segments) std::vector<Segment>().swap(segments_);
  const std::size_t text = text_.capacity();
  if (text <= small_text || text > kept_text) std::string().swap(text_);
}

}  // namespace chatbus
