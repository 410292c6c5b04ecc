#include "chatbus/mailbox.hpp"

#include <iterator>

namespace chatbus {

bool Mailbox::push(std::vector<Delivery>& batch) {
  if (batch.empty()) return false;
  std::lock_guard lock(mutex_);
  pending_.insert(pending_.end(), std::make_move_iterator(batch.begin()),
                  std::make_move_iterator(batch.end()));
  batch.clear();
  const bool needs_wake = !wake_pending_;
  wake_pending_ = true;
  return needs_wake;
}

bool Mailbox::push(Delivery delivery) {
  std::lock_guard lock(mutex_);
  pending_.push_back(std::move(delivery));
  const bool needs_wake = !wake_pending_;
  wake_pending_ = true;
  return needs_wake;
}

void Mailbox::take(std::vector<Delivery>& out) {
  out.clear();
  std::lock_guard lock(mutex_);
  out.swap(pending_);
  wake_pending_ = false;
}

}  // namespace chatbus
