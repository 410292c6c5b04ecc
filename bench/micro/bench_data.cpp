#include "bench_data.hpp"

#include <random>

#include "chatbus/topic.hpp"

namespace chatbus::bench {

std::vector<std::string> chat_topics(std::size_t count, std::uint64_t seed) {
  static constexpr char hex[] = "0123456789abcdef";
  std::mt19937_64 random(seed);
  std::vector<std::string> topics;
  topics.reserve(count);
  for (std::size_t n = 0; n < count; ++n) {
    std::string topic(chat_stream_prefix);
    for (std::size_t i = 0; i < 36; ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      topic += dash ? '-' : hex[random() & 0xf];
    }
    topics.push_back(std::move(topic));
  }
  return topics;
}

std::string with_uppercase_uuid(std::string topic) {
  for (std::size_t i = chat_stream_prefix.size(); i < topic.size(); ++i) {
    if (topic[i] >= 'a' && topic[i] <= 'f') topic[i] = static_cast<char>(topic[i] - 'a' + 'A');
  }
  return topic;
}

std::string chat_payload(std::uint64_t after_message_id) {
  // Appends rather than `"literal" + std::string`, which GCC 12 warns on
  // falsely at -O2.
  std::string json = "{\"after_message_id\":";
  json += std::to_string(after_message_id);
  json += R"(,"status":"running","worker_id":"replica-2-7f9c","queue_update":true})";
  return json;
}

PipelinedLines pipelined_pubs(std::size_t max_bytes) {
  const std::vector<std::string> topics = chat_topics(input_variety);
  PipelinedLines result;
  result.bytes.reserve(max_bytes);
  for (std::uint64_t id = 123456;; ++id) {
    std::string line = "PUB ";
    line += topics[result.lines % topics.size()];
    line += ' ';
    line += chat_payload(id);
    line += '\n';
    if (result.bytes.size() + line.size() > max_bytes) return result;
    result.bytes += line;
    ++result.lines;
  }
}

}  // namespace chatbus::bench
