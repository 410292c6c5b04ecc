// `chatbus sub` output: the JSON lines programs parse and the human lines.
#include "cli/event_format.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace chatbus::cli {
namespace {

const EventStyle json_style{OutputFormat::json, false};
const EventStyle plain{OutputFormat::human, false};
const EventStyle colored{OutputFormat::human, true};
const auto at = WallClock::time_point(std::chrono::milliseconds(1'700'000'000'123));

TEST(EventFormat, JsonMsgEmbedsThePayloadAsSent) {
  EXPECT_EQ(format_msg(json_style, at, "chat:stream:x", 17, R"({"status":"running"})"),
            R"({"type":"msg","topic":"chat:stream:x","seq":17,"payload":{"status":"running"}})" "\n");
}

TEST(EventFormat, JsonEventsAreOneValidObjectPerLine) {
  const Reconnection back{"127.0.0.1:7420", "new", "old", 3};
  for (const std::string& line :
       {format_dropped(json_style, at, "t", 3), format_reconnected(json_style, at, back),
        format_bye(json_style, at, "shutdown"), format_disconnected(json_style, at, "reset \"by\" peer")}) {
    ASSERT_TRUE(line.ends_with('\n'));
    EXPECT_EQ(line.find('\n'), line.size() - 1);
    boost::system::error_code ec;
    auto value = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    EXPECT_TRUE(value.as_object().contains("type")) << line;
  }
  EXPECT_EQ(format_dropped(json_style, at, "t", 3), R"({"type":"dropped","topic":"t","count":3})" "\n");
  EXPECT_EQ(format_bye(json_style, at, "shutdown"), R"({"type":"bye","reason":"shutdown"})" "\n");
}

TEST(EventFormat, JsonReconnectedSaysMessagesMayBeMissedAndWhetherTheNodeChanged) {
  auto changed = boost::json::parse(format_reconnected(json_style, at, {"h:1", "b", "a", 2})).as_object();
  EXPECT_EQ(changed.at("type"), "reconnected");
  EXPECT_EQ(changed.at("node"), "b");
  EXPECT_EQ(changed.at("previous_node"), "a");
  EXPECT_EQ(changed.at("node_changed"), true);
  EXPECT_EQ(changed.at("may_have_missed"), true);
  EXPECT_EQ(changed.at("attempts"), 2);
  auto same = boost::json::parse(format_reconnected(json_style, at, {"h:1", "a", "a", 1})).as_object();
  EXPECT_EQ(same.at("node_changed"), false);
}

TEST(EventFormat, HumanMsgIsTimeTopicSeqPayload) {
  const std::string line = format_msg(plain, at, "chat:stream:x", 17, R"({"status":"running"})");
  EXPECT_TRUE(std::regex_match(line, std::regex(R"(\d\d:\d\d:\d\d\.123 chat:stream:x #17 \{"status":"running"\}\n)")))
      << line;
}

TEST(EventFormat, HumanDroppedSaysHowManyWereLostAndWhatToDo) {
  const std::string line = format_dropped(plain, at, "chat:stream:x", 3);
  EXPECT_NE(line.find("DROPPED 3 messages lost on chat:stream:x"), std::string::npos) << line;
  EXPECT_NE(line.find("reload"), std::string::npos) << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << "no color unless asked";
  EXPECT_NE(format_dropped(plain, at, "t", 1).find("1 message lost"), std::string::npos);
}

TEST(EventFormat, ColorHighlightsDroppedAndReconnected) {
  EXPECT_TRUE(format_dropped(colored, at, "t", 3).starts_with("\x1b[1;31m"));
  EXPECT_TRUE(format_reconnected(colored, at, {"h:1", "b", "a", 1}).starts_with("\x1b[1;33m"));
  const std::string line = format_dropped(colored, at, "t", 3);
  EXPECT_TRUE(line.ends_with("\x1b[0m\n")) << line;
}

TEST(EventFormat, HumanReconnectedMentionsMissedMessagesAndANewNode) {
  const std::string changed = format_reconnected(plain, at, {"127.0.0.1:7420", "b2", "a1", 4});
  EXPECT_NE(changed.find("RECONNECTED to 127.0.0.1:7420 after 4 attempts"), std::string::npos) << changed;
  EXPECT_NE(changed.find("may have been missed"), std::string::npos) << changed;
  EXPECT_NE(changed.find("new node b2 (was a1)"), std::string::npos) << changed;
  EXPECT_EQ(format_reconnected(plain, at, {"h:1", "a1", "a1", 1}).find("new node"), std::string::npos);
}

}  // namespace
}  // namespace chatbus::cli
