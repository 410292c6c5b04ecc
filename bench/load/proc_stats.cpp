// proc_stats: /proc and getrusage readers (see proc_stats.hpp).
#include "proc_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace chatbus::bench {
namespace {

/// The whole (small) text of a /proc file, or "" when it cannot be read.
std::string slurp(const std::string& path) {
  std::string text;
  if (std::FILE* f = std::fopen(path.c_str(), "r")) {
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  return text;
}

}  // namespace

std::optional<std::uint64_t> process_cpu_ns(int pid) {
  if (pid <= 0) return std::nullopt;
  const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  // The command name may hold blanks and parentheses: fields start after the
  // last ')'. utime and stime are fields 14 and 15, i.e. the 12th and 13th
  // after it (field 3, the state, is the first).
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  const int got =
      std::sscanf(stat.c_str() + close + 1,
                  " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime);
  if (got != 2) return std::nullopt;
  const long hz = sysconf(_SC_CLK_TCK);
  const auto ns_per_tick = static_cast<std::uint64_t>(1'000'000'000 / (hz > 0 ? hz : 100));
  return static_cast<std::uint64_t>(utime + stime) * ns_per_tick;
}

std::optional<std::uint64_t> process_rss_kib(int pid) {
  if (pid <= 0) return std::nullopt;
  const std::string status = slurp("/proc/" + std::to_string(pid) + "/status");
  const auto at = status.find("VmRSS:");
  if (at == std::string::npos) return std::nullopt;
  unsigned long long kib = 0;
  if (std::sscanf(status.c_str() + at + 6, " %llu", &kib) != 1) return std::nullopt;
  return static_cast<std::uint64_t>(kib);
}

std::uint64_t self_cpu_ns() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto ns = [](const timeval& t) {
    return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(t.tv_usec) * 1000u;
  };
  return ns(ru.ru_utime) + ns(ru.ru_stime);
}

std::optional<std::uint64_t> cpu_pressure_us() {
  const std::string psi = slurp("/proc/pressure/cpu");
  const auto at = psi.find("total=");
  unsigned long long total = 0;
  if (psi.rfind("some", 0) != 0 || at == std::string::npos ||
      std::sscanf(psi.c_str() + at + 6, "%llu", &total) != 1)
    return std::nullopt;
  return static_cast<std::uint64_t>(total);
}

}  // namespace chatbus::bench
