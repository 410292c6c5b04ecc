// The admin endpoint: health, readiness, Prometheus metrics (checked with
// promtool and the Python client's parser) and /v1/stats.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <regex>

#include "http_client.hpp"
#include "test_support.hpp"

namespace chatbus::itest {
namespace {

/// The value of one sample (`name` or `name{labels}`) in an exposition, or -1.
double sample(const std::string& text, const std::string& series) {
  std::size_t at = 0;
  while ((at = text.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') return std::stod(text.substr(at + series.size() + 1));
    at += series.size();
  }
  return -1;
}

/// Runs `command` with `input` on its stdin; returns its exit status and output.
std::pair<int, std::string> run_with_input(const std::string& command, const std::string& input) {
  char path[] = "/tmp/chatbus-metrics-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  std::ofstream(path) << input;
  std::string output;
  FILE* pipe = ::popen((command + " < " + path + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  char chunk[4096];
  while (const std::size_t got = std::fread(chunk, 1, sizeof chunk, pipe)) output.append(chunk, got);
  const int status = ::pclose(pipe);
  std::remove(path);
  return {status, output};
}

std::string metrics_of(const Daemon& daemon) { return http_request(daemon.admin_port(), "/metrics").body; }

/// Re-reads /metrics until `series` reaches `value`; counters of a closing
/// connection move just after its peer saw the close. Bounded by a deadline.
bool metric_reaches(const Daemon& daemon, const std::string& series, double value) {
  const auto until = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < until) {
    if (sample(metrics_of(daemon), series) >= value) return true;
  }
  return false;
}

boost::json::object stats_of(const Daemon& daemon, const std::string& query = {}) {
  const HttpResponse response = http_request(daemon.admin_port(), "/v1/stats" + query);
  EXPECT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  return boost::json::parse(response.body).as_object();
}

TEST(Admin, AnswersHealthReadinessAndErrors) {
  Daemon daemon;
  const HttpResponse health = http_request(daemon.admin_port(), "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");
  const HttpResponse ready = http_request(daemon.admin_port(), "/readyz");
  EXPECT_EQ(ready.status, 200u);
  EXPECT_EQ(ready.body, "ready\n");
  EXPECT_EQ(http_request(daemon.admin_port(), "/nope").status, 404u);
  EXPECT_EQ(http_request(daemon.admin_port(), "/healthz", "POST").status, 405u);
  const HttpResponse head = http_request(daemon.admin_port(), "/metrics", "HEAD");
  EXPECT_EQ(head.status, 200u);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(http_request(daemon.admin_port(), "/v1/stats?bogus=1").status, 400u);
  EXPECT_EQ(http_request(daemon.admin_port(), "/v1/stats?topics_limit=1001").status, 400u);
  EXPECT_EQ(http_request(daemon.admin_port(), "/v1/stats?topics_offset=x").status, 400u);
  // The client port is unaffected by any of it.
  LineClient client = daemon.connect();
  EXPECT_EQ(client.command("PING"), "PONG");
}

TEST(Admin, ReadyzSays503WhileShuttingDown) {
  Daemon daemon({"--shutdown-timeout", "30s"});
  // A subscriber that reads nothing, with more queued than its socket takes,
  // keeps the shutdown waiting for its BYE.
  LineClient stalled = daemon.connect(4096);
  subscribe(stalled, "chat:slow");
  LineClient publisher = daemon.connect();
  const std::string payload = "{\"pad\":\"" + std::string(60000, 'x') + "\"}";
  for (int i = 0; i < 40; ++i) ASSERT_EQ(publish(publisher, "chat:slow", payload), "OK 1");
  daemon.send_signal(SIGTERM);
  ASSERT_TRUE(daemon.wait_for_log("shutting down", std::chrono::seconds(10)));
  const HttpResponse ready = http_request(daemon.admin_port(), "/readyz");
  EXPECT_EQ(ready.status, 503u);
  EXPECT_EQ(ready.body, "shutting down\n");
  EXPECT_EQ(http_request(daemon.admin_port(), "/healthz").status, 200u);
  EXPECT_EQ(sample(metrics_of(daemon), "chatbus_ready"), 0);
  stalled.close_abruptly();  // lets the shutdown finish; ~Daemon checks exit 0
}

TEST(Admin, MetricsPassPromtoolAndThePythonParser) {
  Daemon daemon;
  LineClient client = daemon.connect();
  subscribe(client, "chat:a");
  ASSERT_EQ(publish(client, "chat:a", "{\"n\":1}"), "OK 1");
  client.barrier();
  const std::string text = metrics_of(daemon);
  const auto [promtool_status, promtool_output] = run_with_input("promtool check metrics", text);
  EXPECT_EQ(promtool_status, 0) << promtool_output;
  EXPECT_EQ(promtool_output, "") << "promtool's lint complaints";
  const auto [python_status, python_output] = run_with_input(
      "/usr/bin/python3 -c 'import sys\n"
      "from prometheus_client.parser import text_string_to_metric_families as parse\n"
      "families = list(parse(sys.stdin.read()))\n"
      "print(len(families))\n"
      "assert all(f.name.startswith((\"chatbus_\", \"process_\")) for f in families)'",
      text);
  EXPECT_EQ(python_status, 0) << python_output;
  EXPECT_GE(std::atoi(python_output.c_str()), 20) << python_output;
  const HttpResponse response = http_request(daemon.admin_port(), "/metrics");
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
}

TEST(Admin, MetricsCountTheTraffic) {
  Daemon daemon({"--max-connections", "3"});
  LineClient a = daemon.connect();
  LineClient b = daemon.connect();
  subscribe(a, "chat:m");
  subscribe(b, "chat:*");
  ASSERT_EQ(publish(a, "chat:m", "{\"n\":1}"), "OK 2");
  EXPECT_TRUE(is_err(a.command("SUB bad!topic"), "bad_topic"));
  EXPECT_TRUE(is_err(publish(a, "chat:m", "{"), "bad_payload"));
  as_msg(a.next_push());
  as_msg(b.next_push());
  {
    LineClient third = daemon.connect();
    EXPECT_EQ(third.command("PING"), "PONG");
    LineClient refused = daemon.connect();
    EXPECT_EQ(refused.read_line(), "BYE overloaded");
    third.send_line("QUIT");
    EXPECT_EQ(third.read_reply(), "OK");
    EXPECT_EQ(third.next_push(), "BYE quit");
    third.expect_eof();
  }
  EXPECT_TRUE(metric_reaches(daemon, "chatbus_disconnects_total{reason=\"quit\"}", 1));
  const std::string text = metrics_of(daemon);
  EXPECT_EQ(sample(text, "chatbus_connections"), 2) << text;
  EXPECT_EQ(sample(text, "chatbus_connections_accepted_total"), 3);
  EXPECT_EQ(sample(text, "chatbus_connections_rejected_total{reason=\"max_connections\"}"), 1);
  EXPECT_EQ(sample(text, "chatbus_subscriptions"), 2);
  EXPECT_EQ(sample(text, "chatbus_patterns"), 1);
  EXPECT_EQ(sample(text, "chatbus_topics_subscribed"), 1);
  EXPECT_EQ(sample(text, "chatbus_messages_published_total"), 1);
  EXPECT_EQ(sample(text, "chatbus_messages_delivered_total"), 2);
  EXPECT_EQ(sample(text, "chatbus_messages_dropped_total"), 0);
  EXPECT_EQ(sample(text, "chatbus_errors_total{code=\"bad_topic\"}"), 1);
  EXPECT_EQ(sample(text, "chatbus_errors_total{code=\"bad_payload\"}"), 1);
  EXPECT_EQ(sample(text, "chatbus_errors_total{code=\"not_subscribed\"}"), 0);
  // Both MSGs were written before their subscribers could read them.
  EXPECT_EQ(sample(text, "chatbus_publish_to_write_seconds_count"), 2);
  EXPECT_EQ(sample(text, "chatbus_publish_to_write_seconds_bucket{le=\"+Inf\"}"), 2);
  EXPECT_GT(sample(text, "chatbus_publish_to_write_seconds_sum"), 0);
  EXPECT_GT(sample(text, "chatbus_received_bytes_total"), 50);
  EXPECT_GT(sample(text, "chatbus_sent_bytes_total"), 50);
  EXPECT_GT(sample(text, "process_open_fds"), 3);
}

TEST(Admin, MetricsCountDropsAndSlowConsumers) {
  Daemon daemon({"--max-pending", "4KiB", "--slow-consumer-timeout", "200ms"});
  LineClient stalled = daemon.connect(4096);
  subscribe(stalled, "chat:d");
  LineClient publisher = daemon.connect();
  const std::string payload = "{\"pad\":\"" + std::string(2000, 'x') + "\"}";
  // Enough to pass the limit and the socket buffers: some are skipped.
  for (int i = 0; i < 5000; ++i) publish(publisher, "chat:d", payload);
  EXPECT_TRUE(metric_reaches(daemon, "chatbus_disconnects_total{reason=\"slow_consumer\"}", 1));
  EXPECT_GT(sample(metrics_of(daemon), "chatbus_messages_dropped_total"), 0);
}

TEST(Admin, ASubscriberThatClosesCountsAsPeerClosedNotAsAnError) {
  Daemon daemon;
  {
    LineClient subscriber = daemon.connect();
    subscribe(subscriber, "chat:gone");
    subscriber.close();  // no QUIT: a FIN while subscribed
  }
  LineClient publisher = daemon.connect();
  // Each MSG to the closed peer draws a reset, which ends the session.
  const auto until = Clock::now() + std::chrono::seconds(10);
  while (sample(metrics_of(daemon), "chatbus_disconnects_total{reason=\"peer_closed\"}") < 1 &&
         Clock::now() < until) {
    publish(publisher, "chat:gone", "{}");
  }
  const std::string text = metrics_of(daemon);
  EXPECT_EQ(sample(text, "chatbus_disconnects_total{reason=\"peer_closed\"}"), 1) << text;
  EXPECT_EQ(sample(text, "chatbus_disconnects_total{reason=\"io_error\"}"), 0) << text;
}

TEST(Admin, StatsListConnectionsAndTopics) {
  Daemon daemon;
  LineClient a = daemon.connect();
  LineClient b = daemon.connect();
  subscribe(a, "chat:room:1");
  subscribe(a, "chat:room:2");
  subscribe(b, "chat:room:2");
  subscribe(b, "other:x");
  subscribe(b, "chat:*");
  ASSERT_EQ(publish(a, "chat:room:2", "{\"n\":2}"), "OK 3");
  b.barrier();
  const auto stats = stats_of(daemon);
  const auto& server = stats.at("server").as_object();
  EXPECT_EQ(server.at("name").as_string(), "chatbusd");
  EXPECT_EQ(server.at("ready").as_bool(), true);
  EXPECT_EQ(server.at("node").as_string().size(), 12u);
  const auto& totals = stats.at("totals").as_object();
  EXPECT_EQ(totals.at("connections").to_number<int>(), 2);
  EXPECT_EQ(totals.at("subscriptions").to_number<int>(), 5);
  EXPECT_EQ(totals.at("messages_in").to_number<int>(), 1);
  EXPECT_EQ(totals.at("messages_out").to_number<int>(), 3);
  const auto& connections = stats.at("connections").as_object();
  EXPECT_EQ(connections.at("total").to_number<int>(), 2);
  EXPECT_TRUE(connections.at("complete").as_bool());
  const auto& first = connections.at("items").as_array().at(0).as_object();
  EXPECT_EQ(first.at("subscriptions").to_number<int>(), 2);
  EXPECT_EQ(first.at("messages_in").to_number<int>(), 1);
  EXPECT_TRUE(first.at("peer").as_string().starts_with("127.0.0.1:"));
  const auto& topics = stats.at("topics").as_object();
  EXPECT_EQ(topics.at("total").to_number<int>(), 4);  // three topics and a pattern
  // Filtered and paginated, sorted by name.
  const auto chat = stats_of(daemon, "?topics_prefix=chat%3Aroom%3A&topics_limit=1&topics_offset=1");
  const auto& page = chat.at("topics").as_object();
  EXPECT_EQ(page.at("total").to_number<int>(), 2);
  ASSERT_EQ(page.at("items").as_array().size(), 1u);
  const auto& item = page.at("items").as_array().at(0).as_object();
  EXPECT_EQ(item.at("topic").as_string(), "chat:room:2");
  EXPECT_EQ(item.at("subscribers").to_number<int>(), 2);
  const auto one = stats_of(daemon, "?connections_limit=1&connections_offset=1");
  EXPECT_EQ(one.at("connections").as_object().at("items").as_array().size(), 1u);
}

TEST(Admin, CanBeTurnedOff) {
  Daemon daemon({"--admin=false"});
  EXPECT_EQ(daemon.admin_port(), 0);
  EXPECT_EQ(daemon.log().find("admin listening"), std::string::npos);
  LineClient client = daemon.connect();
  EXPECT_EQ(client.command("PING"), "PONG");
}

TEST(Admin, APortInUseStopsStartupWithAClearMessage) {
  boost::asio::io_context context;
  boost::asio::ip::tcp::acceptor taken(context, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::string port = std::to_string(taken.local_endpoint().port());
  try {
    Daemon daemon({"--admin-port", port});
    FAIL() << "chatbusd started with its admin port taken";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("admin endpoint 127.0.0.1:" + port + ": Address already in use"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace chatbus::itest
