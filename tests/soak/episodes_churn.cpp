// The ordinary clients: publishers and subscribers that churn, and the slot
// loop that picks episodes.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "episodes.hpp"
#include "lines.hpp"

namespace chatbus::soak {
namespace {

constexpr Duration reply_timeout{30'000};

struct Pending {
  std::string topic;  ///< where it went
  std::uint64_t id;   ///< its after_message_id
};

std::string pub_line(const std::string& topic, const std::string& payload) { return "PUB " + topic + " " + payload + "\n"; }

}  // namespace

std::string random_uuid(std::mt19937_64& random) {
  static constexpr char hex[] = "0123456789abcdef";
  std::uniform_int_distribution<int> digit(0, 15);
  std::string text;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) text += '-';
    text += hex[digit(random)];
  }
  return text;
}

std::string Context::payload(std::uint64_t id) {
  static constexpr const char* statuses[] = {"waiting", "pending", "running", "paused", "completed", "error"};
  std::string json = "{\"after_message_id\":" + std::to_string(id) + ",\"status\":\"" + statuses[pick(6)] + "\"";
  if (chance(0.5)) json += ",\"worker_id\":\"replica-" + std::to_string(pick(8)) + "\"";
  if (chance(0.2)) json += ",\"queue_update\":true";
  if (chance(0.1)) json += ",\"retry\":{\"attempt\":" + std::to_string(pick(5)) + ",\"delay_ms\":250}";
  if (chance(0.1)) json += ",\"x_soak_unknown\":[1,2,3]";  // forwarded unchanged
  return json + "}";
}

asio::awaitable<std::string> read_reply(Connection& connection) {
  for (;;) {
    auto line = co_await connection.read_line(reply_timeout);
    if (!line) throw std::runtime_error("EOF while waiting for a reply");
    if (is_reply(*line)) co_return *line;
    if (starts_with_word(*line, "BYE")) throw Bye(line->substr(4));
  }
}

asio::awaitable<bool> read_to_bye(Connection& connection, std::string_view bye, Duration timeout) {
  bool seen = false;
  while (auto line = co_await connection.read_line(timeout)) {
    if (seen) co_return false;  // nothing may follow the BYE
    if (*line == bye) {
      seen = true;
    } else if (!starts_with_word(*line, "MSG") && !starts_with_word(*line, "DROPPED")) {
      co_return false;
    }
  }
  co_return seen;
}

asio::awaitable<void> leave(Context& context, Connection& connection, bool subscribed) {
  const std::size_t way = context.pick(5);
  if (way == 0) {
    co_await connection.send("QUIT\n", reply_timeout);
    const auto reply = co_await read_reply(connection);
    if (reply != "OK") context.stats.violation("QUIT got " + reply);
    if (!co_await read_to_bye(connection, "BYE quit", reply_timeout)) {
      context.stats.violation("QUIT: no BYE quit then EOF");
    }
    context.stats.fault("leave: quit");
    connection.close();
  } else if (way == 1) {
    context.stats.fault("leave: close");
    connection.close();
  } else if (way == 2) {
    context.stats.fault(subscribed ? "leave: reset while subscribed" : "leave: reset");
    connection.reset();
  } else if (way == 3) {
    // A complete PUB but for its LF: not a line, so it must never be delivered.
    const std::uint64_t id = context.ledger.next_id();
    context.ledger.forbid(id);
    std::string line = pub_line(context.sampled_topic(), context.payload(id));
    line.pop_back();
    co_await connection.send(line.substr(0, line.size() - context.pick(line.size() / 2)), reply_timeout);
    context.stats.fault("leave: mid-line");
    if (context.chance(0.5)) connection.reset(); else connection.close();
  } else {
    // Pipelined PUBs whose replies the server is writing as we reset.
    std::string lines;
    for (std::size_t i = 0, n = 1 + context.pick(20); i < n; ++i) {
      lines += pub_line(context.any_topic(), context.payload(context.ledger.next_id()));
      ++context.stats.published;
    }
    co_await connection.send(lines, reply_timeout);
    context.stats.fault("leave: reset mid-write");
    connection.reset();
  }
}

asio::awaitable<void> publisher_episode(Context& context, std::size_t slot) {
  Connection connection(context.executor);
  co_await connection.connect(context.port);
  ++context.stats.connections;
  if (context.chance(0.3)) {
    co_await connection.send("HELLO\n", reply_timeout);
    const auto reply = co_await read_reply(connection);
    if (reply.rfind("OK {", 0) != 0) context.stats.violation("HELLO got " + reply.substr(0, 200));
  }
  const std::size_t subs = context.pick(3);
  for (std::size_t i = 0; i < subs; ++i) {
    const std::string& topic = context.any_topic();
    co_await connection.send("SUB " + topic + "\n", reply_timeout);
    const auto reply = co_await read_reply(connection);
    if (reply != "OK " + topic) context.stats.violation("SUB got " + reply.substr(0, 200));
  }
  for (std::size_t batch = 0, batches = 1 + context.pick(5); batch < batches; ++batch) {
    std::vector<Pending> pending;
    std::string lines;
    for (std::size_t i = 0, n = 1 + context.pick(10); i < n; ++i) {
      pending.push_back({context.any_topic(), context.ledger.next_id()});
      lines += pub_line(pending.back().topic, context.payload(pending.back().id));
    }
    context.stats.published += pending.size();
    co_await connection.send(lines, reply_timeout);
    for (const Pending& pub : pending) {
      const auto reply = co_await read_reply(connection);
      if (starts_with_word(reply, "OK") && to_number(std::string_view(reply).substr(3))) {
        ++context.stats.acknowledged;
        if (context.ledger.sampled_index(pub.topic)) ++context.stats.acknowledged_sampled;
        context.ledger.acknowledged(pub.topic, pub.id);
      } else if (starts_with_word(reply, "ERR") && reply.rfind("ERR overloaded", 0) == 0) {
        ++context.stats.refused_overloaded;
      } else {
        context.stats.violation("publisher " + std::to_string(slot) + ": PUB got " + reply.substr(0, 200));
      }
    }
  }
  co_await leave(context, connection, subs > 0);
}

asio::awaitable<void> subscriber_episode(Context& context) {
  Connection connection(context.executor);
  co_await connection.connect(context.port);
  ++context.stats.connections;
  std::vector<std::string> topics;
  if (context.chance(0.15)) {
    topics.push_back("chat:stream:*");
  } else {
    for (std::size_t i = 0, n = 1 + context.pick(4); i < n; ++i) {
      const std::string& topic = context.any_topic();
      if (std::find(topics.begin(), topics.end(), topic) == topics.end()) topics.push_back(topic);
    }
  }
  std::string subs;
  for (const auto& topic : topics) subs += "SUB " + topic + "\n";
  co_await connection.send(subs, reply_timeout);
  for (const auto& topic : topics) {
    const auto reply = co_await read_reply(connection);
    if (reply != "OK " + topic) context.stats.violation("SUB got " + reply.substr(0, 200));
  }
  // One subscription per topic: its seqs must strictly increase.
  std::map<std::string, std::uint64_t, std::less<>> last_seq;
  const auto until = Clock::now() + Duration(100 + context.pick(1400));
  try {
    for (;;) {
      const auto left = std::chrono::duration_cast<Duration>(until - Clock::now());
      if (left.count() <= 0) break;
      auto line = co_await connection.read_line(left);
      if (!line) throw std::runtime_error("subscriber: EOF without BYE");
      if (auto msg = parse_push(*line, "MSG", true)) {
        auto [it, fresh] = last_seq.try_emplace(std::string(msg->topic), msg->number);
        if (!fresh && msg->number <= it->second) {
          context.stats.violation("subscriber: " + std::string(msg->topic) + " seq " + std::to_string(msg->number) +
                                  " after " + std::to_string(it->second));
        }
        it->second = msg->number;
      } else if (starts_with_word(*line, "BYE")) {
        throw Bye(line->substr(4));
      }
    }
  } catch (const Timeout&) {
    // the reading window ended
  }
  co_await leave(context, connection, true);
}

asio::awaitable<void> run_slot(Context& context, std::size_t slot) {
  asio::steady_timer jitter(context.executor);
  jitter.expires_after(Duration(context.pick(1000)));  // spread the first connects
  co_await jitter.async_wait(asio::as_tuple(asio::use_awaitable));
  while (Clock::now() < context.churn_end) {
    const std::size_t roll = context.pick(100);
    std::string kind;
    bool refused = false;
    try {
      if (roll < 40) {
        kind = "publisher";
        co_await publisher_episode(context, slot);
      } else if (roll < 70) {
        kind = "subscriber";
        co_await subscriber_episode(context);
      } else if (roll < 82) {
        kind = "garbage";
        co_await garbage_episode(context);
      } else if (roll < 92) {
        kind = "slow consumer";
        co_await slow_episode(context, false);
      } else if (roll < 97) {
        kind = "stalled consumer";
        co_await slow_episode(context, true);
      } else {
        kind = "idle";
        co_await idle_episode(context);
      }
    } catch (const Bye& bye) {
      // The server may end a churning client for a reason of its own; any
      // other reason than these is a broken rule.
      const std::string reason = bye.what();
      if (reason == "overloaded" || reason == "slow_consumer" || reason == "idle_timeout") {
        context.stats.fault("server said BYE " + reason + " to a " + kind);
        refused = reason == "overloaded";
      } else {
        context.stats.violation(kind + ": unexpected BYE " + reason);
      }
    } catch (const std::exception& e) {
      context.stats.violation(kind + ": " + e.what());
    }
    if (refused) {
      // Refused at max_connections: back off a little rather than storm.
      asio::steady_timer back_off(context.executor, Duration(100 + context.pick(200)));
      co_await back_off.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
}

}  // namespace chatbus::soak
