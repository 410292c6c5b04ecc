// parse_topic_or_pattern on what PUB and SUB name: a chat:stream topic with
// a lowercase UUID (what well-behaved clients send; the canonical copy is
// unchanged), the same with an uppercase UUID (folded while copying), and a
// pattern. The canonical buffer is reused, as the session reuses its own.
// Items are topics, bytes are topic bytes.
#include "chatbus/topic.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "bench_data.hpp"

namespace chatbus::bench {
namespace {

/// Which kind of argument a benchmark parses.
enum class TopicInput { lowercase_uuid, uppercase_uuid, pattern };

std::vector<std::string> inputs_of(TopicInput input) {
  std::vector<std::string> texts = chat_topics(input_variety);
  for (std::string& text : texts) {
    if (input == TopicInput::uppercase_uuid) text = with_uppercase_uuid(std::move(text));
  }
  if (input == TopicInput::pattern) {
    // Patterns are few in practice; vary the depth instead of the name.
    const char* patterns[] = {"chat:stream:*", "tenant:42:*", "chat:*", "tenant:42:room:*"};
    for (std::size_t i = 0; i < texts.size(); ++i) texts[i] = patterns[i % 4];
  }
  return texts;
}

void BM_ParseTopic(benchmark::State& state, TopicInput input) {
  const std::vector<std::string> texts = inputs_of(input);
  const TopicKind expected = input == TopicInput::pattern ? TopicKind::pattern : TopicKind::topic;
  std::string canonical;
  canonical.reserve(max_topic_length);
  // A topic must come out as the lowercase topic; check once, untimed.
  if (expected == TopicKind::topic &&
      (parse_topic_or_pattern(texts[1], canonical) != expected ||
       canonical != chat_topics(input_variety)[1])) {
    state.SkipWithError("the topic did not fold to its lowercase form");
    return;
  }
  std::size_t next = 0;
  std::size_t bytes = 0;
  std::size_t wrong = 0;
  const AllocationMeter meter;
  for (auto _ : state) {
    const std::string& text = texts[next++ % input_variety];
    const TopicKind kind = parse_topic_or_pattern(text, canonical);
    benchmark::DoNotOptimize(canonical.data());
    benchmark::ClobberMemory();
    wrong += kind == expected ? 0 : 1;
    bytes += text.size();
  }
  meter.report(state);
  if (wrong != 0) state.SkipWithError("a topic did not parse as expected");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_ParseTopic, chat_lowercase, TopicInput::lowercase_uuid);
BENCHMARK_CAPTURE(BM_ParseTopic, chat_uppercase, TopicInput::uppercase_uuid);
BENCHMARK_CAPTURE(BM_ParseTopic, pattern, TopicInput::pattern);

}  // namespace
}  // namespace chatbus::bench
