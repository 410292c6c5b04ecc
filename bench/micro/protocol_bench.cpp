// parse_command on the lines a client sends most: PUB with a chat payload,
// SUB of a chat:stream topic, and PING. Each benchmark cycles through
// input_variety lines of its verb; items are lines, bytes are line bytes.
#include "chatbus/protocol.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench_data.hpp"

namespace chatbus::bench {
namespace {

/// input_variety lines of `verb`, without their LF, as the framer hands them.
std::vector<std::string> lines_of(Verb verb) {
  const std::vector<std::string> topics = chat_topics(input_variety);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < input_variety; ++i) {
    std::string line;
    switch (verb) {
      case Verb::pub:
        line.append("PUB ").append(topics[i]).append(" ").append(chat_payload(123456 + i));
        break;
      case Verb::sub: line.append("SUB ").append(topics[i]); break;
      default: line.append("PING keepalive-").append(std::to_string(1718000000000 + i)); break;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

void BM_ParseCommand(benchmark::State& state, Verb verb) {
  const std::vector<std::string> lines = lines_of(verb);
  std::size_t next = 0;
  std::size_t bytes = 0;
  std::size_t wrong = 0;
  for (auto _ : state) {
    const std::string& line = lines[next++ % input_variety];
    Command command = parse_command(line);
    benchmark::DoNotOptimize(command);
    wrong += command.verb == verb && command.well_formed ? 0 : 1;
    bytes += line.size();
  }
  if (wrong != 0) state.SkipWithError("a line did not parse as expected");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_ParseCommand, pub, Verb::pub);
BENCHMARK_CAPTURE(BM_ParseCommand, sub, Verb::sub);
BENCHMARK_CAPTURE(BM_ParseCommand, ping, Verb::ping);

}  // namespace
}  // namespace chatbus::bench
