// Message construction as Router::publish does it, once per publish:
// make_message(topic, seq, json), then the last reference
// dropped. `chat` is a chat:stream topic with a ~100-byte payload; `tiny` a
// 13-byte line that would fit the string's inline buffer, to show what the
// allocations cost on their own. Items are messages, bytes are line bytes.
#include "chatbus/message.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>

#include "alloc_counter.hpp"
#include "bench_data.hpp"

namespace chatbus::bench {
namespace {

void BM_MessageMake(benchmark::State& state, bool tiny) {
  const std::string topic = tiny ? std::string("a:b") : chat_topics(1)[0];
  const std::string json = tiny ? std::string("{}") : chat_payload(123456);
  // A tiny line keeps seq 7; a chat one counts up from 7 digits, which
  // stays 7 digits for any run short of 9 million iterations.
  std::uint64_t seq = tiny ? 7 : 1000000;
  const std::uint64_t step = tiny ? 0 : 1;
  std::size_t bytes = 0;
  const AllocationMeter meter;
  for (auto _ : state) {
    auto message = make_message(topic, seq, json);
    seq += step;
    benchmark::DoNotOptimize(message.get());
    bytes += message->line().size();
  }
  meter.report(state);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_MessageMake, chat, false);
BENCHMARK_CAPTURE(BM_MessageMake, tiny, true);

}  // namespace
}  // namespace chatbus::bench
