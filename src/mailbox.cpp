#include "chatbus/mailbox.hpp"

namespace chatbus {

Mailbox::~Mailbox() {
  for (const Delivery& delivery : pending_) {
    if (delivery.message) delivery.message->release();
  }
}

bool Mailbox::push(std::vector<Delivery>& batch) {
  if (batch.empty()) return false;
  std::lock_guard lock(mutex_);
  pending_.insert(pending_.end(), batch.begin(), batch.end());
  batch.clear();
  has_pending_.store(true, std::memory_order_release);
  const bool needs_wake = !wake_pending_;
  wake_pending_ = true;
  return needs_wake;
}

bool Mailbox::push(Delivery delivery) {
  std::lock_guard lock(mutex_);
  pending_.push_back(delivery);
  has_pending_.store(true, std::memory_order_release);
  const bool needs_wake = !wake_pending_;
  wake_pending_ = true;
  return needs_wake;
}

void Mailbox::take(std::vector<Delivery>& out) {
  out.clear();
  std::lock_guard lock(mutex_);
  out.swap(pending_);
  wake_pending_ = false;
  has_pending_.store(false, std::memory_order_relaxed);
}

}  // namespace chatbus
