#include "chatbus/line_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chatbus {
namespace {

/// Frames as text: a line as itself, an overlong one as "<too long>".
struct Collector {
  std::vector<std::string> frames;
  std::size_t stop_after = SIZE_MAX;
  bool operator()(FrameKind kind, std::string_view line) {
    frames.push_back(kind == FrameKind::line ? std::string(line) : std::string("<too long>"));
    return frames.size() < stop_after;
  }
};

std::vector<std::string> feed_whole(std::size_t max_line, std::string_view input) {
  LineFramer framer(max_line);
  Collector collector;
  framer.feed(input, std::ref(collector));
  return collector.frames;
}

std::vector<std::string> feed_bytewise(std::size_t max_line, std::string_view input) {
  LineFramer framer(max_line);
  Collector collector;
  for (char c : input) framer.feed(std::string_view(&c, 1), std::ref(collector));
  return collector.frames;
}

TEST(LineFramer, SplitsOnLfAndDropsACrBeforeIt) {
  const std::vector<std::string> expected{"PING", "SUB a", "x\ry", ""};
  EXPECT_EQ(feed_whole(100, "PING\nSUB a\r\nx\ry\n\n"), expected);
}

TEST(LineFramer, ByteByByteGivesTheSameFrames) {
  const std::string input = "PING a\r\nSUB b\n" + std::string(50, 'x') + "\nPONG\n\r\n";
  EXPECT_EQ(feed_bytewise(20, input), feed_whole(20, input));
  EXPECT_EQ(feed_bytewise(20, input).size(), 5u);
}

TEST(LineFramer, PartialLineWaitsForItsLf) {
  LineFramer framer(100);
  Collector collector;
  framer.feed("PI", std::ref(collector));
  EXPECT_TRUE(collector.frames.empty());
  EXPECT_TRUE(framer.mid_line());
  framer.feed("NG\nSU", std::ref(collector));
  ASSERT_EQ(collector.frames.size(), 1u);
  EXPECT_EQ(collector.frames[0], "PING");
  framer.feed("B a\n", std::ref(collector));
  EXPECT_EQ(collector.frames.back(), "SUB a");
  EXPECT_FALSE(framer.mid_line());
}

TEST(LineFramer, LineOfExactlyMaxLineBytesWithItsLfIsAccepted) {
  const std::string line(9, 'a');  // 9 bytes + LF = 10
  EXPECT_EQ(feed_whole(10, line + "\n"), std::vector<std::string>{line});
  EXPECT_EQ(feed_bytewise(10, line + "\n"), std::vector<std::string>{line});
}

TEST(LineFramer, LineOneByteOverIsDiscardedAndReported) {
  const std::string line(10, 'a');  // 11 bytes with LF
  const std::vector<std::string> expected{"<too long>", "PING"};
  EXPECT_EQ(feed_whole(10, line + "\nPING\n"), expected);
  EXPECT_EQ(feed_bytewise(10, line + "\nPING\n"), expected);
}

TEST(LineFramer, CrCountsTowardsTheLimit) {
  const std::string line(9, 'a');  // 9 + CR + LF = 11
  EXPECT_EQ(feed_whole(10, line + "\r\n"), std::vector<std::string>{"<too long>"});
}

TEST(LineFramer, OverlongLineIsReadToItsEndAcrossFeeds) {
  LineFramer framer(8);
  Collector collector;
  for (int i = 0; i < 100; ++i) framer.feed("xxxxxxxxxxxx", std::ref(collector));
  EXPECT_TRUE(collector.frames.empty());
  framer.feed("yyy\nok\n", std::ref(collector));
  const std::vector<std::string> expected{"<too long>", "ok"};
  EXPECT_EQ(collector.frames, expected);
}

TEST(LineFramer, OverlongBlankLineIsStillTooLong) {
  EXPECT_EQ(feed_whole(4, "      \n"), std::vector<std::string>{"<too long>"});
}

TEST(LineFramer, CallbackCanStopTheFeed) {
  LineFramer framer(100);
  Collector collector;
  collector.stop_after = 2;
  EXPECT_FALSE(framer.feed("a\nb\nc\nd\n", std::ref(collector)));
  EXPECT_EQ(collector.frames.size(), 2u);
}

TEST(LineFramer, ReleaseMemoryKeepsAPartialLine) {
  LineFramer framer(100);
  Collector collector;
  framer.feed("PI", std::ref(collector));
  framer.release_memory();
  framer.feed("NG\n", std::ref(collector));
  EXPECT_EQ(collector.frames, std::vector<std::string>{"PING"});
}

}  // namespace
}  // namespace chatbus
