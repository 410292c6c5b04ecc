// Telling replies from pushes and taking MSG/DROPPED/ERR/BYE apart.
#include "cli/server_line.hpp"

#include <gtest/gtest.h>

namespace chatbus::cli {
namespace {

TEST(ServerLine, MsgCarriesTopicSeqAndTheWholePayload) {
  auto line = parse_server_line(R"(MSG chat:x 17 {"a":"b c"})");
  EXPECT_EQ(line.kind, LineKind::msg);
  EXPECT_EQ(line.topic, "chat:x");
  EXPECT_EQ(line.number, 17u);
  EXPECT_EQ(line.text, R"({"a":"b c"})");
  EXPECT_FALSE(is_reply(line.kind));
}

TEST(ServerLine, DroppedCarriesTopicAndCount) {
  auto line = parse_server_line("DROPPED t 3");
  EXPECT_EQ(line.kind, LineKind::dropped);
  EXPECT_EQ(line.topic, "t");
  EXPECT_EQ(line.number, 3u);
}

TEST(ServerLine, RepliesAndBye) {
  EXPECT_EQ(parse_server_line("OK").kind, LineKind::ok);
  EXPECT_EQ(parse_server_line("OK 2").text, "2");
  EXPECT_EQ(parse_server_line("PONG hi there").text, "hi there");
  auto err = parse_server_line("ERR bad_topic a topic holds only ...");
  EXPECT_EQ(err.kind, LineKind::err);
  EXPECT_EQ(err.code, "bad_topic");
  EXPECT_EQ(err.text, "a topic holds only ...");
  EXPECT_TRUE(is_reply(err.kind));
  auto bye = parse_server_line("BYE shutdown");
  EXPECT_EQ(bye.kind, LineKind::bye);
  EXPECT_EQ(bye.text, "shutdown");
}

TEST(ServerLine, MalformedPushesAreUnknown) {
  for (const char* text : {"MSG t x {}", "MSG t", "MSG", "DROPPED t", "DROPPED t 3x", "OKAY", "", "msg t 1 {}"}) {
    EXPECT_EQ(parse_server_line(text).kind, LineKind::unknown) << text;
  }
}

}  // namespace
}  // namespace chatbus::cli
