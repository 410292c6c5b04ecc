#include "flow_support.hpp"

namespace chatbus::itest {
namespace {

// Enough to overrun the kernel's buffers (a few MB on loopback) many times.
constexpr std::size_t flood_cap = 40'000;

const std::string padding(900, 'p');

// About 1 KB, valid for the topic's namespace.
std::string payload(const std::string& topic, std::size_t i) {
  if (topic.starts_with("chat:stream:")) {
    return "{\"after_message_id\":" + std::to_string(i + 1) + ",\"worker_id\":\"" + padding + "\"}";
  }
  return "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + padding + "\"}";
}

}  // namespace

Flood flood_until_skipped(LineClient& publisher, const std::vector<std::string>& topics,
                          std::size_t want_skipped, const FloodOptions& options) {
  Flood flood;
  const std::size_t all = options.others + options.slow_subscriptions;
  const std::size_t batch_size = options.batch;
  std::size_t sent = 0;
  while (flood.skipped < want_skipped) {
    if (sent >= flood_cap) throw std::runtime_error("the slow subscriber was never skipped");
    std::string batch;
    for (std::size_t i = 0; i < batch_size; ++i, ++sent) {
      const std::string& topic = topics[sent % topics.size()];
      batch += "PUB " + topic + " " + payload(topic, sent) + "\n";
    }
    publisher.send_raw(batch);
    for (std::size_t i = sent - batch_size; i < sent; ++i) {
      std::string reply = publisher.read_reply();
      std::size_t n = all + 1;
      if (reply.starts_with("OK ")) n = std::stoul(reply.substr(3));
      if (n < options.others || n > all) throw std::runtime_error("PUB #" + std::to_string(i) + " got " + reply);
      flood.queued[topics[i % topics.size()]].push_back(n - options.others);
      flood.skipped += all - n;
    }
    if (options.after_batch) options.after_batch(batch_size);
  }
  return flood;
}

Accounting::Accounting(Flood flood) : flood_(std::move(flood)) {
  for (const auto& [topic, queued] : flood_.queued) topics_[topic].published = queued.size();
}

void Accounting::extend(const Flood& more) {
  for (const auto& [topic, queued] : more.queued) {
    auto& all = flood_.queued[topic];
    all.insert(all.end(), queued.begin(), queued.end());
    topics_[topic].published = all.size();
  }
  flood_.skipped += more.skipped;
}

void Accounting::violation(const std::string& what) {
  // One failure is enough: the rest of a broken stream would only repeat it.
  if (!broken_) ADD_FAILURE() << what << "\nstream so far: " << summary();
  broken_ = true;
}

void Accounting::feed(const std::string& push) {
  if (auto dropped = parse_dropped(push)) {
    auto it = topics_.find(dropped->topic);
    if (it == topics_.end()) return violation("DROPPED for a topic never published: " + push);
    if (dropped->count == 0) violation("DROPPED with count 0: " + push);
    it->second.pending_dropped += dropped->count;
    dropped_ += dropped->count;
    return;
  }
  auto msg = parse_msg(push);
  if (!msg) return violation("expected MSG or DROPPED, got: " + push.substr(0, 100));
  auto it = topics_.find(msg->topic);
  if (it == topics_.end()) return violation("MSG for a topic never published: " + push.substr(0, 100));
  TopicState& state = it->second;
  // Any gap before this MSG must have been reported, exactly, before it.
  if (msg->seq != state.last_seq + state.pending_dropped + 1) {
    violation(msg->topic + ": MSG seq " + std::to_string(msg->seq) + " came after seq " +
              std::to_string(state.last_seq) + " and DROPPED totalling " + std::to_string(state.pending_dropped));
  }
  if (msg->seq >= 1 && msg->seq <= state.published && !flood_.queued.at(msg->topic)[msg->seq - 1]) {
    violation(msg->topic + " seq " + std::to_string(msg->seq) +
              " was delivered although its PUB's count left this subscriber out");
  }
  state.last_seq = msg->seq;
  state.pending_dropped = 0;
  ++received_;
}

bool Accounting::complete() const {
  for (const auto& [topic, state] : topics_) {
    if (state.last_seq + state.pending_dropped < state.published) return false;
  }
  return true;
}

void Accounting::read_all(LineClient& subscriber) {
  try {
    while (!complete() && !broken_) {
      auto line = subscriber.read_line();
      if (!line) return violation("EOF before every seq was accounted for");
      if (is_reply(*line)) {
        replies_.push_back(*line);
      } else {
        feed(*line);
      }
    }
  } catch (const std::exception& error) {
    violation(error.what());
  }
}

std::string Accounting::summary() const {
  std::string text = "received " + std::to_string(received_) + ", dropped " + std::to_string(dropped_) + ";";
  for (const auto& [topic, state] : topics_) {
    text += " " + topic + ": published " + std::to_string(state.published) + ", last seq " +
            std::to_string(state.last_seq) + ", pending dropped " + std::to_string(state.pending_dropped) + ";";
  }
  return text;
}

}  // namespace chatbus::itest
