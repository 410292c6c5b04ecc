// `chatbus stats` table rendering from a body that follows STATS_SCHEMA.
#include "cli/failure.hpp"
#include "cli/stats_table.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace chatbus::cli {
namespace {

constexpr const char* sample = R"({
  "server": {"name": "chatbusd", "version": "0.1.0", "node": "1a2b3c4d5e6f",
             "uptime_seconds": 3725.5, "threads": 2, "ready": true},
  "totals": {"connections": 3, "connections_total": 10,
             "connections_rejected": 1, "subscriptions": 4, "topics": 2,
             "messages_in": 100, "messages_out": 250, "messages_dropped": 7,
             "bytes_in": 12345, "bytes_out": 67890, "pending_bytes": 0},
  "connections": {"total": 3, "offset": 0, "limit": 100, "items": [
     {"id": 7, "peer": "127.0.0.1:51234", "connected_seconds": 3.2,
      "subscriptions": 2, "pending_bytes": 0, "messages_in": 5, "messages_out": 9},
     {"id": 8, "peer": "127.0.0.1:51240", "connected_seconds": 65,
      "subscriptions": 1, "pending_bytes": 2048, "messages_in": 0, "messages_out": 3},
     {"id": 9, "peer": "127.0.0.1:51250", "connected_seconds": 1,
      "subscriptions": 1, "pending_bytes": 0, "messages_in": 0, "messages_out": 40}]},
  "topics": {"total": 2, "offset": 0, "limit": 100, "prefix": "chat:", "items": [
     {"topic": "chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11", "subscribers": 2},
     {"topic": "chat:*", "subscribers": 1}]}
})";

std::string rendered(const char* body, unsigned limit = 20) { return render_stats(boost::json::parse(body), limit); }

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(StatsTable, ServerLineNamesVersionNodeUptimeThreadsAndReadiness) {
  const std::string text = rendered(sample);
  EXPECT_TRUE(text.starts_with("chatbusd 0.1.0 on node 1a2b3c4d5e6f: up 1h02m, 2 threads, ready\n")) << text;
}

TEST(StatsTable, TotalsShowCountsAndSizes) {
  const std::string text = rendered(sample);
  EXPECT_TRUE(has(text, "connections    3 now, 10 since start, 1 rejected")) << text;
  EXPECT_TRUE(has(text, "subscriptions  4 on 2 topics")) << text;
  EXPECT_TRUE(has(text, "messages       100 in, 250 out, 7 dropped")) << text;
  EXPECT_TRUE(has(text, "bytes          12.1 KiB in, 66.3 KiB out, 0 B pending")) << text;
}

TEST(StatsTable, ConnectionsAreListedBusiestFirst) {
  const std::string text = rendered(sample);
  EXPECT_TRUE(has(text, "TOP CONNECTIONS (3 of 3, most pending bytes first)")) << text;
  const auto first = text.find("127.0.0.1:51240");  // 2 KiB pending
  const auto second = text.find("127.0.0.1:51250");  // nothing pending, 40 out
  const auto third = text.find("127.0.0.1:51234");  // nothing pending, 9 out
  ASSERT_NE(first, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_TRUE(has(text, "ID  PEER ")) << text;
  EXPECT_TRUE(has(text, " 1m05s ")) << text;
  EXPECT_TRUE(has(text, "2.0 KiB")) << text;
}

TEST(StatsTable, ColumnsLineUp) {
  const std::string text = rendered(sample);
  // Every row of the connections table has the PEER column at one offset.
  const auto header = text.find("  ID  PEER");
  ASSERT_NE(header, std::string::npos);
  const auto header_line_start = text.rfind('\n', header) + 1;
  const auto peer_column = text.find("PEER", header) - header_line_start;
  for (const char* peer : {"127.0.0.1:51234", "127.0.0.1:51240", "127.0.0.1:51250"}) {
    const auto at = text.find(peer);
    EXPECT_EQ(at - (text.rfind('\n', at) + 1), peer_column) << peer << "\n" << text;
  }
}

TEST(StatsTable, TopicsShowSubscriberCountsAndThePrefix) {
  const std::string text = rendered(sample);
  EXPECT_TRUE(has(text, "TOPICS (2 of 2 with prefix \"chat:\")")) << text;
  EXPECT_TRUE(has(text, "          2  chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11\n")) << text;
  EXPECT_TRUE(has(text, "          1  chat:*\n")) << text;
}

TEST(StatsTable, LimitCutsTheLists) {
  const std::string text = rendered(sample, 1);
  EXPECT_TRUE(has(text, "TOP CONNECTIONS (1 of 3")) << text;
  EXPECT_TRUE(has(text, "TOPICS (1 of 2")) << text;
  EXPECT_FALSE(has(text, "chat:*\n")) << text;
}

TEST(StatsTable, EmptyListsAndMissingFieldsStillRender) {
  const std::string text = rendered(R"({"server": {"name": "chatbusd", "ready": false},
                                         "connections": {"total": 0, "items": []}})");
  EXPECT_TRUE(text.starts_with("chatbusd - on node -: up -, - threads, NOT READY (shutting down)\n")) << text;
  EXPECT_TRUE(has(text, "TOP CONNECTIONS (0 of 0, most pending bytes first)\n  none\n")) << text;
  EXPECT_TRUE(has(text, "TOPICS (0 of -)\n  none\n")) << text;
}

TEST(StatsTable, ABodyThatIsNotAnObjectIsARefusal) {
  try {
    rendered("[1,2]");
    FAIL() << "no exception";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), ExitCode::refused);
  }
}

TEST(StatsTable, WholeReportAsDocumented) {
  EXPECT_EQ(rendered(sample), R"(chatbusd 0.1.0 on node 1a2b3c4d5e6f: up 1h02m, 2 threads, ready

  connections    3 now, 10 since start, 1 rejected
  subscriptions  4 on 2 topics
  messages       100 in, 250 out, 7 dropped
  bytes          12.1 KiB in, 66.3 KiB out, 0 B pending

TOP CONNECTIONS (3 of 3, most pending bytes first)
  ID  PEER               AGE  SUBS  PENDING  MSGS IN  MSGS OUT
   8  127.0.0.1:51240  1m05s     1  2.0 KiB        0         3
   9  127.0.0.1:51250   1.0s     1      0 B        0        40
   7  127.0.0.1:51234   3.2s     2      0 B        5         9

TOPICS (2 of 2 with prefix "chat:")
  SUBSCRIBERS  TOPIC
            2  chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11
            1  chat:*
)");
}

TEST(StatsTable, SizesAndAges) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(3u * 1024 * 1024), "3.0 MiB");
  EXPECT_EQ(format_age(12.5), "12.5s");
  EXPECT_EQ(format_age(245), "4m05s");
  EXPECT_EQ(format_age(3 * 3600 + 4 * 60 + 9), "3h04m");
  EXPECT_EQ(format_age(2 * 86400 + 3 * 3600), "2d03h");
}

}  // namespace
}  // namespace chatbus::cli
