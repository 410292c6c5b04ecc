#include "chatbus/broker.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
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

std::string encode_hello(const Config& config, const std::string& node_id) {
  // A boost::json::object keeps insertion order, so the fields come out in
  // the order PROTOCOL.md shows.
  boost::json::object hello;
  hello["server"] = "chatbusd";
  hello["version"] = version;
  hello["proto"] = protocol_version;
  hello["node"] = node_id;
  hello["max_line"] = config.max_line;
  hello["max_subs"] = config.max_subs;
  return "OK " + boost::json::serialize(hello) + "\n";
}

/// Constant-time equality: the loop always runs over the whole token.
bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const unsigned char other = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    difference |= static_cast<unsigned char>(static_cast<unsigned char>(a[i]) ^ other);
  }
  return difference == 0;
}

}  // namespace

Broker::Broker(Config config, std::vector<Mailbox*> mailboxes)
    : config_(std::move(config)),
      tls_context_(config_.tls_enabled() ? make_tls_context(config_) : nullptr),
      router_(std::move(mailboxes), config_.topic_ttl, &Router::Clock::now, &total_pending_),
      node_id_(random_node_id()),
      hello_reply_(encode_hello(config_, node_id_)) {}

bool Broker::token_accepted(std::string_view token) const {
  bool accepted = false;
  for (const std::string& configured : config_.auth_tokens) {
    // No early exit: every token is compared whatever the outcome.
    accepted |= constant_time_equal(configured, token);
  }
  return accepted;
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
    if (current >= config_.max_connections) return false;
  } while (!connections_.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
  return true;
}

}  // namespace chatbus
