// Ordering, fan-out, pipelining and the PUB/PING barrier (PROTOCOL.md:
// Replies and pushes, Delivery guarantees).
#include "test_support.hpp"

#include <boost/json.hpp>

namespace chatbus::itest {
namespace {

std::string numbered(int i) { return "{\"i\":" + std::to_string(i) + "}"; }

int number_of(const Msg& msg) {
  return boost::json::parse(msg.json).as_object().at("i").to_number<int>();
}

TEST(Ordering, OnePublisherAcrossTopicsArrivesInPublishOrder) {
  Daemon daemon({"--threads", "2"});
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  const std::vector<std::string> topics{"x", "y:1", "z", stream_topic(uuid_lower)};
  for (const auto& topic : topics) subscribe(subscriber, topic);
  constexpr int count = 3000;
  std::string batch;
  for (int i = 0; i < count; ++i) {
    std::string payload = topics[i % 4].starts_with("chat:") ? R"({"after_message_id":)" + std::to_string(i) + "}"
                                                            : numbered(i);
    batch += "PUB " + topics[i % 4] + " " + payload + "\n";
  }
  publisher.send_raw(batch);
  for (int i = 0; i < count; ++i) ASSERT_EQ(publisher.read_reply(), "OK 1") << "PUB #" << i;
  for (int i = 0; i < count; ++i) {
    Msg msg = as_msg(subscriber.next_push());
    ASSERT_EQ(msg.topic, topics[i % 4]);
    ASSERT_EQ(msg.seq, static_cast<std::uint64_t>(i / 4 + 1));
    auto value = boost::json::parse(msg.json).as_object();
    auto key = msg.topic.starts_with("chat:") ? "after_message_id" : "i";
    ASSERT_EQ(value.at(key).to_number<int>(), i);
  }
  EXPECT_TRUE(subscriber.barrier().empty());
}

TEST(Ordering, EverySubscriberSeesOnePublishersOrder) {
  Daemon daemon({"--threads", "2"});
  std::vector<LineClient> subscribers;
  for (int s = 0; s < 8; ++s) {
    subscribers.push_back(daemon.connect());
    subscribe(subscribers.back(), s % 2 ? "*" : "room:*");
  }
  auto publisher = daemon.connect();
  constexpr int count = 500;
  std::string batch;
  for (int i = 0; i < count; ++i) batch += "PUB room:" + std::to_string(i % 7) + " " + numbered(i) + "\n";
  publisher.send_raw(batch);
  for (int i = 0; i < count; ++i) ASSERT_EQ(publisher.read_reply(), "OK 8");
  for (auto& subscriber : subscribers) {
    for (int i = 0; i < count; ++i) ASSERT_EQ(number_of(as_msg(subscriber.next_push())), i);
  }
}

TEST(FanOut, HundredFiftySubscribersEachReceiveEveryMessageOnce) {
  Daemon daemon({"--threads", "2"});
  constexpr int subscriber_count = 150;
  constexpr int message_count = 20;
  std::vector<LineClient> subscribers;
  for (int s = 0; s < subscriber_count; ++s) {
    subscribers.push_back(daemon.connect());
    subscribe(subscribers.back(), s % 3 == 0 ? "chat:stream:*" : stream_topic(uuid_upper),
              s % 3 == 0 ? "chat:stream:*" : stream_topic(uuid_lower));
  }
  auto publisher = daemon.connect();
  for (int i = 1; i <= message_count; ++i) {
    std::string payload = R"({"after_message_id":)" + std::to_string(i) + "}";
    ASSERT_EQ(publish(publisher, stream_topic(uuid_lower), payload), "OK " + std::to_string(subscriber_count));
  }
  for (auto& subscriber : subscribers) {
    auto pushes = subscriber.barrier();
    ASSERT_EQ(pushes.size(), static_cast<std::size_t>(message_count)) << joined(pushes);
    for (int i = 1; i <= message_count; ++i) {
      ASSERT_EQ(pushes[i - 1], "MSG " + stream_topic(uuid_lower) + " " + std::to_string(i) +
                                   R"( {"after_message_id":)" + std::to_string(i) + "}");
    }
  }
}

TEST(FanOut, ManyPublishersToOneSubscriberKeepEachPublishersOrder) {
  Daemon daemon({"--threads", "2"});
  auto subscriber = daemon.connect();
  subscribe(subscriber, "p:*");
  constexpr int publisher_count = 10;
  constexpr int count = 200;
  std::vector<LineClient> publishers;
  for (int p = 0; p < publisher_count; ++p) publishers.push_back(daemon.connect());
  // Interleave the publishers' pipelines; each one's order must survive.
  for (int p = 0; p < publisher_count; ++p) {
    std::string batch;
    for (int i = 0; i < count; ++i) batch += "PUB p:" + std::to_string(p) + " " + numbered(i) + "\n";
    publishers[p].send_raw(batch);
  }
  for (auto& publisher : publishers) {
    for (int i = 0; i < count; ++i) ASSERT_EQ(publisher.read_reply(), "OK 1");
  }
  std::vector<int> next(publisher_count, 0);
  for (int n = 0; n < publisher_count * count; ++n) {
    Msg msg = as_msg(subscriber.next_push());
    int p = std::stoi(msg.topic.substr(2));
    ASSERT_EQ(number_of(msg), next[p]);
    ASSERT_EQ(msg.seq, static_cast<std::uint64_t>(next[p] + 1));
    ++next[p];
  }
}

TEST(Pipelining, ThousandsOfMixedCommandsAreAnsweredInOrder) {
  Daemon daemon;
  auto client = daemon.connect();
  auto watcher = daemon.connect();
  subscribe(watcher, "pipe:*");
  constexpr int count = 6000;
  std::string batch;
  for (int i = 0; i < count; ++i) {
    switch (i % 5) {
      case 0: batch += "PING " + std::to_string(i) + "\n"; break;
      case 1: batch += "PUB pipe:t " + numbered(i) + "\n"; break;
      case 2: batch += "SUB s:" + std::to_string(i) + "\n"; break;
      case 3: batch += "UNSUB s:" + std::to_string(i - 1) + "\n"; break;
      default: batch += "BOGUS " + std::to_string(i) + "\n"; break;
    }
  }
  client.send_raw(batch);
  for (int i = 0; i < count; ++i) {
    std::string reply = client.read_reply();
    switch (i % 5) {
      case 0: ASSERT_EQ(reply, "PONG " + std::to_string(i)); break;
      case 1: ASSERT_EQ(reply, "OK 1"); break;
      case 2: ASSERT_EQ(reply, "OK s:" + std::to_string(i)); break;
      case 3: ASSERT_EQ(reply, "OK s:" + std::to_string(i - 1)); break;
      default: ASSERT_TRUE(is_err(reply, "bad_command")); break;
    }
  }
  EXPECT_TRUE(client.pushes().empty());
  for (int i = 1; i < count; i += 5) ASSERT_EQ(number_of(as_msg(watcher.next_push())), i);
}

TEST(Barrier, PingAfterPubOkIsAnsweredAfterTheMsg) {
  Daemon daemon({"--threads", "2"});
  auto subscriber = daemon.connect();
  auto publisher = daemon.connect();
  subscribe(subscriber, "t");
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(publish(publisher, "t", numbered(i)), "OK 1");
    auto pushes = subscriber.barrier();
    ASSERT_EQ(pushes.size(), 1u) << "round " << i << ": " << joined(pushes);
    ASSERT_EQ(number_of(as_msg(pushes[0])), i);
  }
}

TEST(Barrier, HoldsForEverySubscriberOfAFanOut) {
  Daemon daemon({"--threads", "2"});
  std::vector<LineClient> subscribers;
  for (int s = 0; s < 20; ++s) {
    subscribers.push_back(daemon.connect());
    subscribe(subscribers.back(), "t");
  }
  auto publisher = daemon.connect();
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(publish(publisher, "t", numbered(i)), "OK 20");
    for (auto& subscriber : subscribers) {
      auto pushes = subscriber.barrier();
      ASSERT_EQ(pushes.size(), 1u) << "round " << i << ": " << joined(pushes);
    }
  }
}

TEST(Barrier, HoldsWhileTheSubscribersWorkerIsBusy) {
  // Connections go to the two workers in turn: the subscriber and both busy
  // clients share worker 0, the publisher has worker 1. Worker 0 chews on a
  // big PUB line while the second one and the subscriber's "PING early"
  // arrive, so both readiness events are queued behind the first. Once the
  // first is answered, worker 0 is busy with the second: a MSG published on
  // worker 1 now must still come before the PONG of a PING the subscriber
  // sends after the publisher's OK, though the subscriber's readiness was
  // queued before the MSG was handed over.
  Daemon daemon({"--threads", "2", "--max-line", "16MiB"});
  auto subscriber = daemon.connect();
  subscribe(subscriber, "t");
  auto publisher = daemon.connect();
  ASSERT_EQ(publisher.command("PING"), "PONG");
  auto busy_one = daemon.connect();
  ASSERT_EQ(busy_one.command("PING"), "PONG");
  auto spare = daemon.connect();  // worker 1
  ASSERT_EQ(spare.command("PING"), "PONG");
  auto busy_two = daemon.connect();
  ASSERT_EQ(busy_two.command("PING"), "PONG");
  const std::string big_line = "PUB x {\"a\":\"" + std::string(8 << 20, 'a') + "\"}";
  for (int i = 0; i < 10; ++i) {
    busy_one.send_raw(big_line);
    busy_two.send_raw(big_line);
    busy_one.send_raw("\n");
    busy_two.send_raw("\n");
    subscriber.send_line("PING early");
    ASSERT_EQ(busy_one.read_reply(), "OK 0");
    ASSERT_EQ(publish(publisher, "t", numbered(i)), "OK 1");
    subscriber.send_line("PING late");
    ASSERT_EQ(subscriber.read_reply(), "PONG early");
    ASSERT_EQ(subscriber.read_reply(), "PONG late");
    auto pushes = subscriber.take_pushes();
    ASSERT_EQ(pushes.size(), 1u) << "round " << i << ": the MSG came after PONG late";
    ASSERT_EQ(busy_two.read_reply(), "OK 0");
  }
}

}  // namespace
}  // namespace chatbus::itest
