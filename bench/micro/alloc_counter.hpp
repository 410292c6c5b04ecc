// alloc_counter: heap allocations per benchmark iteration. This executable
// replaces the global operator new (alloc_counter.cpp) with one that counts
// calls on the calling thread and then defers to malloc, so a benchmark can
// report "allocs/op" next to its time. The count is thread-local and not
// atomic: it costs a few cycles per allocation and never contends.
//
// Benchmarks run on the main thread, which is the thread that is counted.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

namespace chatbus::bench {

/// Allocations made so far by the calling thread through operator new.
std::uint64_t allocation_count() noexcept;

/// Counts from construction to report(); construct it right before the
/// timed loop so setup allocations are left out.
class AllocationMeter {
 public:
  AllocationMeter() : start_(allocation_count()) {}

  /// Sets `allocs/op`: allocations since construction per iteration.
  void report(benchmark::State& state) const {
    state.counters["allocs/op"] = benchmark::Counter(
        static_cast<double>(allocation_count() - start_), benchmark::Counter::kAvgIterations);
  }

 private:
  std::uint64_t start_;  ///< allocation_count() when the meter was made
};

}  // namespace chatbus::bench
