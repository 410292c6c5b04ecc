// A session's write cycle on its OutboundQueue: push 64 shared MSG lines,
// then gather and consume until empty, as if each writev wrote at most
// `write` bytes (64 KiB: one write takes everything; 4 KiB: a socket that
// accepts a page at a time, so the head is often split). No syscall is made.
// Items are messages, bytes are line bytes; `writes` is gathers per cycle.
#include "chatbus/outbound_queue.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "bench_data.hpp"

namespace chatbus::bench {
namespace {

/// Messages queued per cycle.
constexpr std::size_t batch = 64;

void BM_OutboundQueueCycle(benchmark::State& state) {
  const auto write_limit = static_cast<std::size_t>(state.range(0));
  const std::vector<std::string> topics = chat_topics(batch);
  std::vector<MessagePtr> messages;
  std::size_t batch_bytes = 0;
  for (std::size_t i = 0; i < batch; ++i) {
    const std::string json = chat_payload(123456 + i);
    messages.push_back(make_message(topics[i], 1000 + i, json));
    batch_bytes += messages.back()->line().size();
  }
  OutboundQueue queue;
  auto gather = std::make_unique<OutboundQueue::Gather>();  // 16 KiB: off the stack
  std::size_t writes = 0;
  std::size_t written_total = 0;

  const AllocationMeter meter;
  for (auto _ : state) {
    for (const MessagePtr& message : messages) queue.push(message);
    while (!queue.empty()) {
      const std::size_t count = queue.gather(*gather);
      std::size_t gathered = 0;
      for (std::size_t i = 0; i < count; ++i) gathered += (*gather)[i].iov_len;
      const std::size_t written = std::min(gathered, write_limit);
      queue.consume(written);
      written_total += written;
      ++writes;
    }
    benchmark::ClobberMemory();
  }
  meter.report(state);

  const auto iterations = static_cast<std::size_t>(state.iterations());
  if (written_total != batch_bytes * iterations) state.SkipWithError("bytes went missing");
  state.SetItemsProcessed(static_cast<std::int64_t>(batch * iterations));
  state.SetBytesProcessed(static_cast<std::int64_t>(written_total));
  state.counters["writes"] =
      benchmark::Counter(static_cast<double>(writes), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_OutboundQueueCycle)->ArgName("write")->Arg(64 * 1024)->Arg(4096);

}  // namespace
}  // namespace chatbus::bench
