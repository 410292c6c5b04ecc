// `chatbus stats` against a real chatbusd's admin endpoint.
#include "cli_test_support.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace chatbus::ctest {
namespace {

using itest::Daemon;

std::vector<std::string> admin_args(const Daemon& daemon) {
  return {"--admin-addr", "127.0.0.1:" + std::to_string(daemon.admin_port())};
}

TEST(CliStats, ShowsTheLiveServerAsATableAndAsJson) {
  Daemon daemon;
  itest::LineClient subscriber = daemon.connect();
  itest::subscribe(subscriber, "chat:room:7");
  ASSERT_EQ(itest::publish(subscriber, "chat:room:7", "{\"n\":1}"), "OK 1");
  subscriber.barrier();

  auto table = run_cli(with({"stats"}, admin_args(daemon)));
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("chatbusd"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("chat:room:7"), std::string::npos) << table.out;

  auto json = run_cli(with({"stats", "--json", "--prefix", "chat:room:"}, admin_args(daemon)));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto body = boost::json::parse(json.out).as_object();
  EXPECT_EQ(body.at("totals").at("connections"), 1);
  EXPECT_EQ(body.at("totals").at("messages_in"), 1);
  EXPECT_EQ(body.at("topics").at("prefix"), "chat:room:");
  const auto& items = body.at("topics").at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("topic"), "chat:room:7");
  EXPECT_EQ(items[0].at("subscribers"), 1);
}

}  // namespace
}  // namespace chatbus::ctest
