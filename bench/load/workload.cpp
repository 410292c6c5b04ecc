// workload: scenario table, topic and payload generation (see workload.hpp).
#include "workload.hpp"

#include <charconv>
#include <cstring>
#include <unordered_set>

namespace chatbus::bench {

Workload workload_for(Scenario scenario, const Options& options) {
  Workload w;
  switch (scenario) {
    case Scenario::A: w = {1, 100, 1, false, false, "1 topic, 1 publisher, 100 subscribers"}; break;
    case Scenario::B:
      w = {1, 1000, 1, false, false, "1 topic, 1 publisher, 1000 subscribers"};
      break;
    case Scenario::C:
      w = {1000, 1000, 4, false, false, "1000 topics, 1 subscriber each, 4 publishers"};
      break;
    case Scenario::D:
      w = {1, 100, 1, true, false, "like A at a fixed rate of 1000 msgs/s: latency"};
      break;
    case Scenario::E:
      w = {10000, 10000, 0, false, true, "10000 idle connections, one topic each: RSS"};
      break;
  }
  if (options.topics != 0) w.topics = options.topics;
  if (options.subscribers != 0) w.subscribers = options.subscribers;
  if (options.publishers != 0 && !w.idle) w.publishers = options.publishers;
  if (w.publishers > w.topics) w.publishers = w.topics;
  return w;
}

namespace {

/// splitmix64: small, seedable, good enough for distinct UUIDs.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string make_uuid(std::uint64_t& state) {
  std::uint64_t hi = next_random(state);
  std::uint64_t lo = next_random(state);
  hi = (hi & ~0xf000ULL) | 0x4000ULL;        // version 4
  lo = (lo & ~(3ULL << 62)) | (2ULL << 62);  // RFC 4122 variant
  static const char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 32; ++i) {
    const std::uint64_t word = i < 16 ? hi : lo;
    const int nibble = 15 - (i % 16);
    s.push_back(hex[(word >> (4 * nibble)) & 0xf]);
    if (i == 7 || i == 11 || i == 15 || i == 19) s.push_back('-');
  }
  return s;
}

}  // namespace

std::vector<std::string> make_topics(std::uint32_t count, std::uint64_t seed) {
  std::vector<std::string> topics;
  topics.reserve(count);
  std::unordered_set<std::string> seen;
  std::uint64_t state = seed;
  while (topics.size() < count) {
    std::string t = "chat:stream:" + make_uuid(state);
    if (seen.insert(t).second) topics.push_back(std::move(t));
  }
  return topics;
}

std::size_t make_payload(char* out, std::uint64_t after_message_id) {
  static constexpr std::string_view head = "{\"after_message_id\":";
  static constexpr std::string_view tail =
      ",\"status\":\"running\",\"worker_id\":\"replica-2\",\"queue_update\":true}";
  char* p = out;
  std::memcpy(p, head.data(), head.size());
  p += head.size();
  p = std::to_chars(p, out + max_payload, after_message_id).ptr;
  std::memcpy(p, tail.data(), tail.size());
  p += tail.size();
  return static_cast<std::size_t>(p - out);
}

}  // namespace chatbus::bench
