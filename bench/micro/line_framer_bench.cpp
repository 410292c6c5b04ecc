// LineFramer::feed on 64 KiB of pipelined PUB lines, as a session's read
// hands them in: all in one call, or split into reads of a given size (1 byte
// is the worst case: every line goes through the partial-line buffer; 1.5 KiB
// is a typical small segment, so about one line in ten straddles a read).
// The callback only counts lines; items are lines, bytes are input bytes.
#include "chatbus/line_framer.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string_view>

#include "alloc_counter.hpp"
#include "bench_data.hpp"

namespace chatbus::bench {
namespace {

/// The session's limit (config max_line default).
constexpr std::size_t max_line = 65536;

void BM_LineFramerFeed(benchmark::State& state) {
  const auto read_size = static_cast<std::size_t>(state.range(0));
  const PipelinedLines input = pipelined_pubs(64 * 1024);
  const std::string_view bytes = input.bytes;
  LineFramer framer(max_line);
  std::size_t lines = 0;
  const auto count_line = [&lines](FrameKind kind, std::string_view line) {
    benchmark::DoNotOptimize(line.data());
    lines += kind == FrameKind::line ? 1 : 0;
    return true;
  };

  const AllocationMeter meter;
  for (auto _ : state) {
    for (std::size_t at = 0; at < bytes.size(); at += read_size) {
      framer.feed(bytes.substr(at, read_size), count_line);
    }
    benchmark::ClobberMemory();
  }
  meter.report(state);

  const auto iterations = static_cast<std::size_t>(state.iterations());
  if (lines != input.lines * iterations || framer.mid_line()) {
    state.SkipWithError("the framer lost or merged lines");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(input.lines * iterations));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes.size() * iterations));
}
BENCHMARK(BM_LineFramerFeed)->ArgName("read")->Arg(64 * 1024)->Arg(1536)->Arg(1);

}  // namespace
}  // namespace chatbus::bench
