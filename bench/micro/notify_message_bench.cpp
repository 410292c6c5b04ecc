// canonicalize_payload on the payload shapes PUB sees. The output string is
// cleared and reused across iterations, keeping its capacity, as the session
// does with its payload buffer. Items are payloads, bytes are input bytes.
//
//  - canonical:      what the Go back end sends; validated, never re-assembled
//  - reorder_drop:   keys out of struct order plus zero values to drop
//  - unknown_last:   an unknown key after the known ones (stays in order)
//  - unknown_first:  an unknown key first, so it must move behind the known
//  - any_nested:     a generic object with nested objects and arrays
#include "chatbus/notify_message.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "bench_data.hpp"

namespace chatbus::bench {
namespace {

/// Which payload shape a benchmark canonicalises.
enum class Shape { canonical, reorder_drop, unknown_last, unknown_first, any_nested };

std::string payload_of(Shape shape, std::uint64_t id) {
  const std::string number = std::to_string(id);
  std::string json;
  switch (shape) {
    case Shape::canonical: return chat_payload(id);
    case Shape::reorder_drop:
      json.append(R"({"queue_update":true,"status":"running","error":"","full_refresh":false,)")
          .append(R"("worker_id":"replica-2-7f9c","retry":null,"after_message_id":)")
          .append(number)
          .append("}");
      return json;
    case Shape::unknown_last:
      json = chat_payload(id);
      json.pop_back();
      json.append(R"(,"trace_id":"4bf92f3577b34da6"})");
      return json;
    case Shape::unknown_first:
      json.append(R"({"trace_id":"4bf92f3577b34da6",)").append(chat_payload(id).substr(1));
      return json;
    case Shape::any_nested:
      json.append(R"({"event":"presence","user":{"id":)")
          .append(number)
          .append(R"(,"name":"Ada","roles":["admin","ops"]},"room":{"id":"lobby",)")
          .append(R"("members":[1,2,3,5,8],"meta":{"ts":1718000000123,"online":true}}})");
      return json;
  }
  return json;
}

void BM_CanonicalizePayload(benchmark::State& state, Shape shape) {
  const PayloadSchema schema =
      shape == Shape::any_nested ? PayloadSchema::any_object : PayloadSchema::chat_stream;
  std::vector<std::string> payloads;
  for (std::size_t i = 0; i < input_variety; ++i) payloads.push_back(payload_of(shape, 123456 + i));

  std::string out;
  // A chat payload out of order must come out exactly as the Go back end
  // would have sent it; check once, outside the timed loop.
  if (shape == Shape::reorder_drop &&
      (!canonicalize_payload(payloads[0], schema, out).empty() || out != chat_payload(123456))) {
    state.SkipWithError("reorder_drop did not canonicalise to the canonical payload");
    return;
  }
  state.SetLabel(std::to_string(payloads[0].size()) + " B");

  std::size_t next = 0;
  std::size_t bytes = 0;
  std::size_t refused = 0;
  const AllocationMeter meter;
  for (auto _ : state) {
    const std::string& json = payloads[next++ % input_variety];
    out.clear();
    const std::string reason = canonicalize_payload(json, schema, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    refused += reason.empty() ? 0 : 1;
    bytes += json.size();
  }
  meter.report(state);
  if (refused != 0) state.SkipWithError("a payload was refused");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_CanonicalizePayload, canonical, Shape::canonical);
BENCHMARK_CAPTURE(BM_CanonicalizePayload, reorder_drop, Shape::reorder_drop);
BENCHMARK_CAPTURE(BM_CanonicalizePayload, unknown_last, Shape::unknown_last);
BENCHMARK_CAPTURE(BM_CanonicalizePayload, unknown_first, Shape::unknown_first);
BENCHMARK_CAPTURE(BM_CanonicalizePayload, any_nested, Shape::any_nested);

}  // namespace
}  // namespace chatbus::bench
