// The misbehaving clients: slow and stalled consumers, garbage, idlers.
#include "episodes.hpp"
#include "lines.hpp"

namespace chatbus::soak {
namespace {

constexpr Duration reply_timeout{30'000};
/// Receive buffer of slow consumers: the queue stays in the daemon.
constexpr int tiny_receive_buffer = 4096;
/// PUBs a feeder sends at most while waiting for flow control to skip one.
constexpr std::size_t max_feed = 4000;

/// Publishes ~1 KB messages to `topic` until a reply says the only
/// subscriber was skipped (`OK 0`); false if that never happened.
asio::awaitable<bool> feed_until_skipped(Context& context, const std::string& topic) {
  Connection feeder(context.executor);
  co_await feeder.connect(context.port);
  ++context.stats.connections;
  const std::string pad(1000, 'p');
  for (std::size_t sent = 0; sent < max_feed;) {
    std::string lines;
    for (int i = 0; i < 16; ++i, ++sent) {
      lines += "PUB " + topic + " {\"after_message_id\":" + std::to_string(context.ledger.next_id()) +
               ",\"x_pad\":\"" + pad + "\"}\n";
    }
    context.stats.published += 16;
    co_await feeder.send(lines, reply_timeout);
    bool skipped = false;
    for (int i = 0; i < 16; ++i) {
      const auto reply = co_await read_reply(feeder);
      if (reply == "OK 0") skipped = true;
      if (reply == "OK 0" || reply == "OK 1") ++context.stats.acknowledged;
      else if (reply.rfind("ERR overloaded", 0) == 0) ++context.stats.refused_overloaded;
      else context.stats.violation("feeder: PUB got " + reply.substr(0, 200));
    }
    if (skipped) {
      feeder.close();
      co_return true;
    }
  }
  feeder.close();
  co_return false;
}

/// A random bad line and whether it is over-long.
std::string bad_line(Context& context) {
  static constexpr const char* commands[] = {
      "FROB x", "SUB", "UNSUB", "PUB", "PUB t", "SUB a*b", "HELLO x", "QUIT now", "PING",
      "PUB chat:stream:not-a-uuid {}", "PUB chat:stream:* {}", "SUB chat:stream:xyz"};
  switch (context.pick(4)) {
    case 0: {
      // Random bytes with no letter, blank or LF: an unknown verb.
      static constexpr char safe[] = "0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~";
      std::string line;
      for (std::size_t i = 0, n = 1 + context.pick(200); i < n; ++i) {
        line += context.chance(0.3) ? static_cast<char>(0x80 + context.pick(128)) : safe[context.pick(sizeof safe - 1)];
      }
      return line;
    }
    case 1: return std::string(context.limits.max_line + context.pick(4 * context.limits.max_line), 'x');
    case 2: {
      // Bad PUBs to audited topics: they must take no seq (the auditors
      // would see an unaccounted gap).
      static constexpr const char* payloads[] = {"{\"after_message_id\":-5}", "{\"status\":5}", "[1]",
                                                 "{\"after_message_id\":1", "{}", "{\"error\":false}"};
      return "PUB " + context.sampled_topic() + " " + payloads[context.pick(6)];
    }
    default: {
      std::string line = commands[context.pick(12)];
      if (line == "PING") line = "UNSUB " + context.any_topic();  // not subscribed
      return line;
    }
  }
}

}  // namespace

asio::awaitable<void> slow_episode(Context& context, bool stalled) {
  Connection consumer(context.executor);
  co_await consumer.connect(context.port, tiny_receive_buffer);
  ++context.stats.connections;
  // Its own topic, outside chat:stream: so that no pattern subscriber shares it.
  const std::string topic = "soak:slow:" + context.uuid();
  co_await consumer.send("SUB " + topic + "\n", reply_timeout);
  if (const auto reply = co_await read_reply(consumer); reply != "OK " + topic) {
    context.stats.violation("slow consumer SUB got " + reply.substr(0, 200));
  }
  // If the feeder is refused (BYE overloaded), reset the consumer rather
  // than close it: a FIN from a subscribed connection is a half-close the
  // daemon must keep streaming to, and on a topic nobody publishes to it
  // would hold a slot until idle_timeout.
  bool fed = false;
  try {
    fed = co_await feed_until_skipped(context, topic);
  } catch (...) {
    consumer.reset();
    throw;
  }
  if (!fed) {
    context.stats.violation("flow control never skipped a MSG for a consumer that does not read");
    consumer.close();
    co_return;
  }
  // Its only input after the SUB: the feed may have taken a while, and
  // idle_timeout is not the limit under test here.
  co_await consumer.send("PING\n", reply_timeout);
  // A stalled consumer reads nothing until the daemon has given up on it
  // (its clock started before the feeder's last reply); a slow one reads
  // slowly for a while. Then both catch up with a larger receive buffer:
  // the kernel's buffers hold megabytes, which must be read within the
  // daemon's 5 s linger for the BYE to fit.
  if (stalled) co_await consumer.pause(context.limits.slow_consumer_timeout + Duration(500));
  const auto reading_since = Clock::now();
  const auto slow_until = reading_since + Duration(stalled ? 0 : 1500);
  bool dropped = false;
  bool bye = false;
  bool caught_up = false;
  std::uint64_t last_seq = 0;
  while (!dropped && !bye) {
    const bool slow = Clock::now() < slow_until;
    if (!slow && !caught_up) {
      consumer.set_receive_buffer(65536);
      caught_up = true;
    }
    if (!co_await consumer.read_some(slow ? 8192 : 65536, reply_timeout)) break;
    while (auto line = consumer.pop_line()) {
      if (auto msg = parse_push(*line, "MSG", true)) {
        if (msg->number <= last_seq) context.stats.violation("slow consumer: seq went backwards");
        last_seq = msg->number;
      } else if (starts_with_word(*line, "DROPPED")) {
        dropped = true;
      } else if (*line == "PONG") {
        // the reply to our PING, if it was read before the daemon gave up
      } else if (*line == "BYE slow_consumer") {
        bye = true;
      } else {
        context.stats.violation("slow consumer got: " + line->substr(0, 200));
      }
    }
    if (slow) co_await consumer.pause(Duration(5));
  }
  const std::string kind = stalled ? "stalled consumer" : "slow consumer";
  if (bye) {
    context.stats.fault(kind + ": BYE slow_consumer");
    if (co_await consumer.read_line(reply_timeout)) context.stats.violation(kind + ": a line after its BYE");
  } else if (dropped) {
    context.stats.fault(kind + ": DROPPED");
  } else if (Clock::now() - reading_since > std::chrono::seconds(5)) {
    // PROTOCOL.md: the BYE comes "where the socket still takes it"; the
    // daemon waits 5 s for that. This reader was slower than that.
    context.stats.fault(kind + ": closed, too slow to take its BYE");
  } else {
    context.stats.violation(kind + ": EOF with neither DROPPED nor BYE slow_consumer");
  }
  consumer.close();
}

asio::awaitable<void> garbage_episode(Context& context) {
  Connection connection(context.executor);
  co_await connection.connect(context.port);
  ++context.stats.connections;
  const std::size_t count = 1 + context.pick(12);
  std::string bytes;
  for (std::size_t i = 0; i < count; ++i) bytes += bad_line(context) + "\n";
  bytes += "PING garbage\n";
  // In random pieces: framing must not depend on how the bytes arrive.
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t piece = 1 + context.pick(std::min<std::size_t>(bytes.size() - at, 3000));
    co_await connection.send(std::string_view(bytes).substr(at, piece), reply_timeout);
    at += piece;
  }
  const unsigned limit = context.limits.max_bad_lines;
  const std::size_t errors = std::min<std::size_t>(count, limit);
  for (std::size_t i = 0; i < errors; ++i) {
    const auto reply = co_await read_reply(connection);
    if (reply.rfind("ERR ", 0) != 0) {
      context.stats.violation("garbage line " + std::to_string(i) + " got " + reply.substr(0, 200));
      connection.close();
      co_return;
    }
  }
  if (count >= limit) {
    if (!co_await read_to_bye(connection, "BYE protocol_error", reply_timeout)) {
      context.stats.violation("garbage: no BYE protocol_error then EOF after " + std::to_string(limit) + " bad lines");
    }
    context.stats.fault("garbage: BYE protocol_error");
    connection.close();
    co_return;
  }
  if (const auto reply = co_await read_reply(connection); reply != "PONG garbage") {
    context.stats.violation("garbage: PING after " + std::to_string(count) + " bad lines got " + reply.substr(0, 200));
  }
  context.stats.fault("garbage: ERR lines, connection kept");
  co_await leave(context, connection, false);
}

asio::awaitable<void> idle_episode(Context& context) {
  Connection connection(context.executor);
  co_await connection.connect(context.port);
  ++context.stats.connections;
  const auto first = co_await connection.read_line(context.limits.idle_timeout + reply_timeout);
  if (first == "BYE overloaded") throw Bye("overloaded");  // refused at max_connections
  if (first != "BYE idle_timeout" || co_await connection.read_line(reply_timeout)) {
    context.stats.violation("idle client: no BYE idle_timeout then EOF, got " + first.value_or("EOF"));
  } else {
    context.stats.fault("idle: BYE idle_timeout");
  }
  connection.close();
}

}  // namespace chatbus::soak
