#include "chatbus/outbound_queue.hpp"

#include <gtest/gtest.h>

#include "chatbus/flow_control.hpp"

namespace chatbus {
namespace {

void append(OutboundQueue& queue, std::string_view text) {
  queue.append_text([&](std::string& out) { out.append(text); });
}

std::string gathered(const OutboundQueue& queue) {
  OutboundQueue::Gather buffers;
  const std::size_t count = queue.gather(buffers);
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out.append(static_cast<const char*>(buffers[i].iov_base), buffers[i].iov_len);
  }
  return out;
}

TEST(OutboundQueue, RepliesCoalesceAndMessagesAreSharedNotCopied) {
  OutboundQueue queue;
  append(queue, "OK\n");
  append(queue, "PONG\n");
  auto message = make_message("t", 1, "{}");
  queue.push(message);
  append(queue, "OK 1\n");
  OutboundQueue::Gather buffers;
  ASSERT_EQ(queue.gather(buffers), 3u);
  EXPECT_EQ(buffers[1].iov_base, message->line().data());  // the very same bytes
  EXPECT_EQ(gathered(queue), "OK\nPONG\nMSG t 1 {}\nOK 1\n");
}

TEST(OutboundQueue, ConsumeHandlesPartialWrites) {
  OutboundQueue queue;
  append(queue, "OK\n");
  queue.push(make_message("t", 1, "{}"));
  queue.consume(2);
  EXPECT_EQ(gathered(queue), "\nMSG t 1 {}\n");
  queue.consume(5);
  EXPECT_EQ(gathered(queue), "t 1 {}\n");
  queue.consume(7);
  EXPECT_TRUE(queue.empty());
}

TEST(OutboundQueue, DiscardKeepsThePartlyWrittenHeadWhole) {
  OutboundQueue queue;
  queue.push(make_message("t", 1, "{}"));
  queue.push(make_message("t", 2, "{}"));
  append(queue, "OK\n");
  queue.consume(3);
  EXPECT_EQ(queue.discard_unstarted(), 14u);
  EXPECT_EQ(gathered(queue), " t 1 {}\n");
}

TEST(OutboundQueue, PartlyWrittenTextHeadIsKeptWhole) {
  OutboundQueue queue;
  append(queue, "PONG abc\n");
  queue.push(make_message("t", 1, "{}"));
  append(queue, "OK 1\n");
  queue.consume(4);
  EXPECT_EQ(queue.discard_unstarted(), 16u);
  EXPECT_EQ(gathered(queue), " abc\n");
  append(queue, "BYE slow_consumer\n");
  EXPECT_EQ(gathered(queue), " abc\nBYE slow_consumer\n");
}

TEST(OutboundQueue, TextAppendedAfterPartialWritesComesOutInOrder) {
  OutboundQueue queue;
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    const std::string line = "PONG " + std::to_string(i) + "\n";
    append(queue, line);
    expected += line;
    if (i % 3 == 0) {
      queue.push(make_message("t", static_cast<std::uint64_t>(i), "{}"));
      expected += "MSG t " + std::to_string(i) + " {}\n";
    }
    if (i % 7 == 0) {
      const std::string front = gathered(queue).substr(0, 5);
      ASSERT_EQ(front, expected.substr(0, front.size()));
      queue.consume(front.size());
      expected.erase(0, front.size());
    }
  }
  std::string rest;
  while (!queue.empty()) {
    const std::string chunk = gathered(queue);
    rest += chunk;
    queue.consume(chunk.size());
  }
  EXPECT_EQ(rest, expected);
}

TEST(OutboundQueue, DiscardAllDropsThePartlyWrittenHeadToo) {
  OutboundQueue queue;
  queue.push(make_message("t", 1, "{}"));
  append(queue, "OK\n");
  queue.consume(3);
  EXPECT_EQ(queue.discard_all(), 8u + 3u);
  EXPECT_TRUE(queue.empty());
}

TEST(OutboundQueue, DiscardOfAnUnstartedQueueDropsEverything) {
  OutboundQueue queue;
  append(queue, "OK\n");
  EXPECT_EQ(queue.discard_unstarted(), 3u);
  EXPECT_TRUE(queue.empty());
}

TEST(OutboundQueue, GatherIsBoundedPerWrite) {
  OutboundQueue queue;
  auto message = make_message("t", 1, "{}");
  for (std::size_t i = 0; i < OutboundQueue::max_gather + 10; ++i) queue.push(message);
  OutboundQueue::Gather buffers;
  EXPECT_EQ(queue.gather(buffers), OutboundQueue::max_gather);
}

TEST(FlowControl, ReservesUntilTheLimitThenSkipsUntilResumed) {
  FlowControl flow(100);
  std::uint32_t epoch;
  EXPECT_TRUE(flow.try_reserve(60, epoch));
  EXPECT_TRUE(flow.try_reserve(60, epoch));   // 60 has not passed 100: queued, now 120
  EXPECT_FALSE(flow.overflowed());
  EXPECT_FALSE(flow.try_reserve(1, epoch));   // 120 has passed it: skipped
  EXPECT_TRUE(flow.overflowed());
  flow.release(20);
  EXPECT_FALSE(flow.try_reserve(1, epoch));   // stays skipping while overflowed
  flow.release(49);
  EXPECT_FALSE(flow.drained());        // 51 is not below half of 100
  flow.release(2);
  EXPECT_TRUE(flow.drained());
  flow.resume();
  EXPECT_TRUE(flow.try_reserve(1, epoch));
}

TEST(FlowControl, ResumeStartsANewEpochThatSkipsAreTaggedWith) {
  FlowControl flow(10);
  std::uint32_t epoch = 99;
  EXPECT_TRUE(flow.try_reserve(20, epoch));
  EXPECT_FALSE(flow.try_reserve(1, epoch));
  EXPECT_EQ(epoch, 0u);
  flow.release(20);
  flow.resume();
  EXPECT_EQ(flow.epoch(), 1u);
  EXPECT_TRUE(flow.try_reserve(20, epoch));
  EXPECT_FALSE(flow.try_reserve(1, epoch));
  EXPECT_EQ(epoch, 1u);
}

TEST(FlowControl, AMessageLargerThanTheLimitReachesAnEmptyQueue) {
  FlowControl flow(10);
  std::uint32_t epoch;
  EXPECT_TRUE(flow.try_reserve(1000, epoch));
  EXPECT_FALSE(flow.try_reserve(1, epoch));
}

TEST(FlowControl, RepliesAreAlwaysAddedAndMayPassTheLimit) {
  FlowControl flow(10);
  std::uint32_t epoch;
  flow.add(25);
  EXPECT_TRUE(flow.over_limit());
  EXPECT_FALSE(flow.overflowed());
  EXPECT_FALSE(flow.try_reserve(1, epoch));
}

}  // namespace
}  // namespace chatbus
