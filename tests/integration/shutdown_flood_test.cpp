// SIGTERM in the middle of a flood (docs/guarantees.md: Shutdown): every PUB
// a publisher got `OK` for reaches every subscriber that keeps reading, in
// seq order, before its `BYE shutdown`; the daemon exits 0.
//
// Several publishers pipeline PUBs to one topic from their own threads while
// subscribers on other threads read everything. Each payload names its
// publisher and its index (after_message_id = publisher * 10^9 + index), so a
// subscriber's stream can be checked against the exact set of acknowledged
// PUBs, not just against a count.
#include "test_support.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace chatbus::itest {
namespace {

constexpr int publisher_count = 4;
constexpr int subscriber_count = 3;
/// PUBs pipelined before a publisher reads their replies.
constexpr int batch = 64;
/// Acknowledged PUBs per publisher before the signal: the flood is well on.
constexpr std::uint64_t acks_before_signal = 3000;
/// Upper bound per publisher, so that a daemon ignoring SIGTERM still ends the test.
constexpr std::uint64_t max_per_publisher = 2'000'000;
constexpr std::uint64_t id_base = 1'000'000'000;

const std::string topic = stream_topic(uuid_lower);

/// What one publisher learned from its replies.
struct PublisherResult {
  std::vector<std::uint64_t> acked;  ///< ids of the PUBs answered `OK <n>`
  std::size_t short_counts = 0;      ///< `OK <n>` with n below subscriber_count
  std::string final_line;            ///< the BYE, or why it stopped
  std::string error;                 ///< set if the stream broke a rule
};

/// What one subscriber read.
struct SubscriberResult {
  std::set<std::uint64_t> ids;  ///< after_message_id of every MSG
  std::uint64_t last_seq = 0;   ///< seq of the last MSG
  std::uint64_t dropped = 0;    ///< sum of DROPPED counts
  std::string last_line;        ///< the last line before EOF
  std::string error;            ///< set if the stream broke a rule
};

/// Counts acknowledgements across publishers so the main thread can send
/// the signal once the flood is running (a protocol event, not a sleep).
class AckGate {
 public:
  void add(int publisher, std::uint64_t count) {
    std::lock_guard lock(mutex_);
    acks_[publisher] += count;
    changed_.notify_all();
  }
  void stop(int publisher) {
    std::lock_guard lock(mutex_);
    acks_[publisher] = acks_before_signal;  // a stopped publisher must not hold the signal back
    changed_.notify_all();
  }
  bool wait_all(std::chrono::seconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] {
      for (std::uint64_t a : acks_) if (a < acks_before_signal) return false;
      return true;
    });
  }

 private:
  std::mutex mutex_;                                   ///< guards acks_
  std::condition_variable changed_;                    ///< signalled on each add
  std::array<std::uint64_t, publisher_count> acks_{};  ///< acks per publisher
};

std::uint64_t id_of(const std::string& json) {
  static const std::string key = "{\"after_message_id\":";
  if (json.compare(0, key.size(), key) != 0) return 0;
  return std::stoull(json.substr(key.size()));
}

void run_publisher(LineClient& client, int index, AckGate& gate, PublisherResult& result) {
  const std::uint64_t base = static_cast<std::uint64_t>(index + 1) * id_base;
  std::uint64_t next = 1;
  try {
    while (next <= max_per_publisher) {
      std::string lines;
      const std::uint64_t first = next;
      for (int i = 0; i < batch; ++i, ++next) {
        lines += "PUB " + topic + " {\"after_message_id\":" + std::to_string(base + next) + "}\n";
      }
      client.send_raw(lines);
      std::uint64_t answered = 0;
      for (; answered < batch; ++answered) {
        auto line = client.read_line();
        if (!line) {
          result.final_line = "EOF";
          break;
        }
        if (line->rfind("OK ", 0) != 0) {
          result.final_line = *line;
          break;
        }
        if (std::stoul(line->substr(3)) < subscriber_count) ++result.short_counts;
        result.acked.push_back(base + first + answered);
      }
      gate.add(index, answered);
      if (answered < batch) break;
    }
    if (result.final_line.rfind("BYE", 0) == 0) {
      if (result.final_line != "BYE shutdown") result.error = "ended with " + result.final_line;
      client.expect_eof();  // nothing but pushes may follow; none do
    }
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  gate.stop(index);
}

void run_subscriber(LineClient& client, SubscriberResult& result) {
  try {
    while (auto line = client.read_line()) {
      result.last_line = *line;
      if (auto msg = parse_msg(*line)) {
        if (msg->topic != topic) throw std::runtime_error("MSG for another topic: " + *line);
        if (msg->seq != result.last_seq + result.dropped + 1) {
          throw std::runtime_error("seq " + std::to_string(msg->seq) + " after " + std::to_string(result.last_seq) +
                                   " with " + std::to_string(result.dropped) + " dropped");
        }
        result.last_seq = msg->seq;
        result.dropped = 0;
        result.ids.insert(id_of(msg->json));
      } else if (auto dropped = parse_dropped(*line)) {
        result.dropped += dropped->count;
      } else if (line->rfind("BYE", 0) != 0) {
        throw std::runtime_error("unexpected line: " + line->substr(0, 200));
      }
    }
  } catch (const std::exception& e) {
    result.error = e.what();
  }
}

TEST(Shutdown, SigtermDuringAFloodDeliversEveryAcknowledgedPubToEverySubscriberThatKeepsReading) {
  // Several threads, so that publishers and subscribers live on different
  // workers and the shutdown reaches them at different moments.
  Daemon daemon({"--threads", "4", "--max-pending", "256MiB", "--shutdown-timeout", "10s"});
  std::vector<LineClient> subscribers;
  for (int i = 0; i < subscriber_count; ++i) {
    subscribers.push_back(daemon.connect());
    subscribe(subscribers.back(), topic);
    subscribers.back().set_deadline(std::chrono::seconds(20));
  }
  std::vector<LineClient> publishers;
  for (int i = 0; i < publisher_count; ++i) publishers.push_back(daemon.connect());

  AckGate gate;
  std::vector<PublisherResult> published(publisher_count);
  std::vector<SubscriberResult> received(subscriber_count);
  std::vector<std::thread> threads;
  for (int i = 0; i < subscriber_count; ++i) {
    threads.emplace_back([&, i] { run_subscriber(subscribers[i], received[i]); });
  }
  for (int i = 0; i < publisher_count; ++i) {
    threads.emplace_back([&, i] { run_publisher(publishers[i], i, gate, published[i]); });
  }
  const bool flooding = gate.wait_all(std::chrono::seconds(60));
  daemon.send_signal(SIGTERM);
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(flooding) << "the publishers never reached " << acks_before_signal << " acknowledgements each";
  // The daemon lingers for clients that keep their side open; close ours.
  for (auto& client : subscribers) client.close();
  for (auto& client : publishers) client.close();
  auto status = daemon.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << "chatbusd still running after its clients were shut down";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << Daemon::describe_status(*status);

  std::size_t acked = 0;
  for (int p = 0; p < publisher_count; ++p) {
    const auto& result = published[p];
    EXPECT_EQ(result.error, "") << "publisher " << p;
    EXPECT_EQ(result.final_line, "BYE shutdown") << "publisher " << p << " stopped before the signal";
    EXPECT_EQ(result.short_counts, 0u) << "publisher " << p << ": OK counted fewer than every subscriber";
    acked += result.acked.size();
  }
  for (int s = 0; s < subscriber_count; ++s) {
    const auto& result = received[s];
    EXPECT_EQ(result.error, "") << "subscriber " << s;
    EXPECT_EQ(result.last_line, "BYE shutdown") << "subscriber " << s;
    EXPECT_EQ(result.dropped, 0u) << "subscriber " << s << ": max_pending is generous, nothing may drop";
    std::size_t missing = 0;
    for (const auto& p : published) {
      for (std::uint64_t id : p.acked) missing += result.ids.count(id) == 0 ? 1 : 0;
    }
    EXPECT_EQ(missing, 0u) << "subscriber " << s << " lacks acknowledged PUBs (of " << acked << ")";
    // Every acknowledged PUB took a seq; unacknowledged ones (in flight at the
    // BYE) may have taken one too and been delivered.
    EXPECT_GE(result.last_seq, acked) << "subscriber " << s;
  }
}

}  // namespace
}  // namespace chatbus::itest
