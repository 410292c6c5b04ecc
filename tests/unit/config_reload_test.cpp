// plan_reload: what a SIGHUP applies, what it keeps until a restart, and
// that its description never holds a token.
#include <gtest/gtest.h>

#include "chatbus/config_reload.hpp"

namespace chatbus {
namespace {

using namespace std::chrono_literals;

bool mentions(const std::vector<std::string>& items, std::string_view text) {
  for (const std::string& item : items) {
    if (item.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(PlanReload, NothingChangedSaysSo) {
  const ReloadPlan plan = plan_reload(Config{}, Config{});
  EXPECT_TRUE(plan.changes.empty());
  EXPECT_TRUE(plan.need_restart.empty());
}

TEST(PlanReload, LimitsAndLogLevelAreAppliedAndNamed) {
  Config next;
  next.max_subs = 5;
  next.idle_timeout = 2s;
  next.log_level = "debug";
  next.strict_payloads = true;
  const ReloadPlan plan = plan_reload(Config{}, next);
  EXPECT_EQ(plan.config.max_subs, 5u);
  EXPECT_EQ(plan.config.idle_timeout, 2s);
  EXPECT_TRUE(mentions(plan.changes, "max_subs 10000 -> 5"));
  EXPECT_TRUE(mentions(plan.changes, "idle_timeout 0 -> 2s"));
  EXPECT_TRUE(mentions(plan.changes, "log_level info -> debug"));
  EXPECT_TRUE(mentions(plan.changes, "strict_payloads true"));
  EXPECT_TRUE(plan.need_restart.empty());
}

TEST(PlanReload, SettingsThatNeedARestartKeepTheirRunningValue) {
  Config running;
  running.port = 7000;
  Config next = running;
  next.bind = "0.0.0.0";
  next.port = 7001;
  next.threads = 3;
  next.topic_ttl = 1min;
  next.log_format = LogFormat::json;
  next.max_line = 1024;  // applies (to new connections)
  const ReloadPlan plan = plan_reload(running, next);
  EXPECT_EQ(plan.need_restart, (std::vector<std::string>{"port", "threads", "topic_ttl", "bind", "log_format"}));
  EXPECT_EQ(plan.config.bind, running.bind);
  EXPECT_EQ(plan.config.port, 7000);
  EXPECT_EQ(plan.config.threads, running.threads);
  EXPECT_EQ(plan.config.topic_ttl, running.topic_ttl);
  EXPECT_EQ(plan.config.log_format, LogFormat::text);
  EXPECT_EQ(plan.config.max_line, 1024u);
}

TEST(PlanReload, TokenChangesAreCountedNeverShown) {
  Config running;
  running.auth_tokens = {TokenEntry{"old-sekrit", false, {}, {}}};
  Config next;
  next.auth_tokens = {TokenEntry{"new-sekrit", true, {}, {{"a:"}}}, TokenEntry{"other-sekrit", false, {}, {}}};
  const ReloadPlan plan = plan_reload(running, next);
  EXPECT_EQ(plan.config.auth_tokens, next.auth_tokens);
  EXPECT_TRUE(mentions(plan.changes, "2 token(s), were 1"));
  EXPECT_FALSE(mentions(plan.changes, "sekrit"));
}

TEST(PlanReload, ChangedPermissionsAloneAreReported) {
  Config running;
  running.auth_tokens = {TokenEntry{"t", true, {{"a:"}}, {}}};
  Config next;
  next.auth_tokens = {TokenEntry{"t", true, {{"b:"}}, {}}};
  EXPECT_TRUE(mentions(plan_reload(running, next).changes, "auth tokens or permissions"));
}

}  // namespace
}  // namespace chatbus
