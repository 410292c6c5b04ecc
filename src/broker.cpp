#include "chatbus/broker.hpp"

#include <random>

#include "chatbus/tls_context.hpp"
#include "chatbus/version.hpp"

namespace chatbus {
namespace {

std::string random_node_id() {
  std::random_device entropy;
  std::uniform_int_distribution<unsigned> nibble(0, 15);
  std::string id(12, '0');
  for (char& c : id) c = "0123456789abcdef"[nibble(entropy)];
  return id;
}

}  // namespace

Broker::Broker(Config config, std::vector<Mailbox*> mailboxes)
    : config_(std::move(config)),
      tls_context_(config_.tls_enabled() ? make_tls_context(config_) : nullptr),
      router_(std::move(mailboxes), config_.topic_ttl, &Router::Clock::now, &total_pending_),
      node_id_(random_node_id()),
      settings_(make_settings(config_, node_id_, 1)),
      max_connections_(config_.max_connections),
      max_total_pending_(config_.max_total_pending) {}

std::shared_ptr<const Settings> Broker::settings() const {
  std::lock_guard lock(settings_mutex_);
  return settings_;
}

void Broker::install(std::shared_ptr<const Settings> next) {
  max_connections_.store(next->config.max_connections, std::memory_order_relaxed);
  max_total_pending_.store(next->config.max_total_pending, std::memory_order_relaxed);
  std::lock_guard lock(settings_mutex_);
  settings_ = std::move(next);
}

bool Broker::admit_refusal() {
  // Refusals in flight at once; past this a refused connection gets a
  // best-effort BYE and is closed at once.
  constexpr std::size_t max_refusals = 1024;
  if (refusals_.fetch_add(1, std::memory_order_relaxed) < max_refusals) return true;
  refusals_.fetch_sub(1, std::memory_order_relaxed);
  return false;
}

bool Broker::admit_connection() {
  std::size_t current = connections_.load(std::memory_order_relaxed);
  do {
    if (current >= max_connections_.load(std::memory_order_relaxed)) return false;
  } while (!connections_.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
  return true;
}

}  // namespace chatbus
