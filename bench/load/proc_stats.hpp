// proc_stats: what the report needs from /proc about the broker (CPU time,
// resident memory) and from getrusage about the generator itself. Read only
// at the edges of the measured interval, never on the hot path.
#pragma once

#include <cstdint>
#include <optional>

namespace chatbus::bench {

/// utime + stime of every thread of `pid`, in nanoseconds (from clock ticks of
/// /proc/<pid>/stat, so 10 ms resolution at USER_HZ 100); nullopt if unreadable.
std::optional<std::uint64_t> process_cpu_ns(int pid);

/// VmRSS of `pid` in KiB (/proc/<pid>/status); nullopt if unreadable.
std::optional<std::uint64_t> process_rss_kib(int pid);

/// This process's user + system CPU time in nanoseconds (getrusage).
std::uint64_t self_cpu_ns();

/// Total time, in microseconds, during which some task of the machine was
/// runnable but waiting for a CPU (PSI, /proc/pressure/cpu "some total");
/// nullopt without PSI. Per interval, it tells whether the broker or the
/// generator had to share its core with anything else.
std::optional<std::uint64_t> cpu_pressure_us();

}  // namespace chatbus::bench
