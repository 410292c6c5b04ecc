#include "chatbus/outbound_queue.hpp"

#include <cassert>

namespace chatbus {

std::string& OutboundQueue::text_tail() {
  if (empty() || segments_.back().message) segments_.emplace_back();
  return segments_.back().text;
}

void OutboundQueue::push(MessagePtr message) {
  segments_.push_back(Segment{std::move(message), {}});
}

std::size_t OutboundQueue::gather(Gather& out) const {
  std::size_t count = 0;
  std::size_t offset = head_offset_;
  for (std::size_t i = head_; i < segments_.size() && count < out.size(); ++i) {
    const std::string_view bytes = segments_[i].bytes().substr(offset);
    offset = 0;
    if (!bytes.empty()) out[count++] = iovec{const_cast<char*>(bytes.data()), bytes.size()};
  }
  return count;
}

void OutboundQueue::consume(std::size_t written) {
  while (written > 0) {
    assert(!empty());
    Segment& head = segments_[head_];
    const std::size_t left = head.bytes().size() - head_offset_;
    if (written < left) {
      head_offset_ += written;
      return;
    }
    written -= left;
    head = Segment{};  // drop our reference to the shared buffer now
    ++head_;
    head_offset_ = 0;
  }
  if (empty()) {
    segments_.clear();
    head_ = 0;
  } else if (head_ >= 1024) {
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

std::size_t OutboundQueue::discard_unstarted() {
  const std::size_t keep = head_offset_ > 0 ? head_ + 1 : head_;
  std::size_t dropped = 0;
  for (std::size_t i = keep; i < segments_.size(); ++i) dropped += segments_[i].bytes().size();
  segments_.resize(keep);
  if (empty()) {
    segments_.clear();
    head_ = 0;
    head_offset_ = 0;
  }
  return dropped;
}

void OutboundQueue::release_memory() {
  if (empty() && segments_.capacity() > 0) std::vector<Segment>().swap(segments_);
}

}  // namespace chatbus
