// clock: the one time source of the generator. Every timestamp, the D
// scenario's schedule and the latency it measures are CLOCK_MONOTONIC
// nanoseconds, so a timestamp carried in a payload means the same thing to the
// publishing and the subscribing side of the same process.
#pragma once

#include <cstdint>
#include <ctime>

namespace chatbus::bench {

inline constexpr std::uint64_t ns_per_s = 1'000'000'000;

/// CLOCK_MONOTONIC in nanoseconds (vDSO: no system call).
inline std::uint64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * ns_per_s + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace chatbus::bench
