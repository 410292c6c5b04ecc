#include "report.hpp"

#include <cstdio>
#include <iostream>

namespace chatbus::soak {

bool print_report(const Options& options, const Report& report, Stats& stats) {
  const double allowed_kib = static_cast<double>(report.rss_start_kib) * (1.0 + options.rss_tolerance / 100.0) +
                             static_cast<double>(options.rss_slack_mib) * 1024.0;
  if (report.rss_start_kib == 0 || report.rss_end_kib == 0) {
    stats.violation("could not read the daemon's VmRSS");
  } else if (static_cast<double>(report.rss_end_kib) > allowed_kib) {
    stats.violation("RSS grew: " + std::to_string(report.rss_end_kib) + " KiB at the end, at most " +
                    std::to_string(static_cast<std::uint64_t>(allowed_kib)) + " KiB allowed");
  }
  if (report.fds_end != report.fds_start) {
    stats.violation("descriptors did not come back within " + std::to_string(options.fd_wait) + " s: " +
                    std::to_string(report.fds_start) + " -> " + std::to_string(report.fds_end));
  }
  if (stats.unaccounted > 0) stats.violation(std::to_string(stats.unaccounted) + " acknowledged messages unaccounted");

  std::printf("chatbus-soak summary (seed %llu, %d connections, %d auditors on %d of %d topics)\n",
              static_cast<unsigned long long>(options.seed), options.connections, options.auditors, options.sampled,
              options.topics);
  std::printf("  duration                      %.1f s (churn %d s, end checks %.1f s)\n",
              static_cast<double>(report.elapsed.count()) / 1000.0, options.duration,
              static_cast<double>(report.end_phase.count()) / 1000.0);
  std::printf("  connections opened            %llu\n", static_cast<unsigned long long>(stats.connections));
  std::printf("  messages published            %llu\n", static_cast<unsigned long long>(stats.published));
  std::printf("  messages acknowledged         %llu (%llu to audited topics)\n",
              static_cast<unsigned long long>(stats.acknowledged),
              static_cast<unsigned long long>(stats.acknowledged_sampled));
  std::printf("  refused with ERR overloaded   %llu\n", static_cast<unsigned long long>(stats.refused_overloaded));
  std::printf("  delivered to auditors         %llu\n", static_cast<unsigned long long>(stats.delivered));
  std::printf("  dropped, accounted (DROPPED)  %llu\n", static_cast<unsigned long long>(stats.dropped));
  std::printf("  messages unaccounted          %llu\n", static_cast<unsigned long long>(stats.unaccounted));
  std::printf("  daemon RSS                    %llu KiB after warm-up, %llu KiB at the end (tolerance %.0f%% + %llu MiB)\n",
              static_cast<unsigned long long>(report.rss_start_kib),
              static_cast<unsigned long long>(report.rss_end_kib), options.rss_tolerance,
              static_cast<unsigned long long>(options.rss_slack_mib));
  std::printf("  daemon descriptors            %zu at the start, %zu at the end\n", report.fds_start, report.fds_end);
  std::printf("  faults injected and outcomes:\n");
  for (const auto& [kind, count] : stats.faults) {
    std::printf("    %-50s %llu\n", kind.c_str(), static_cast<unsigned long long>(count));
  }
  std::printf("  violations                    %llu\n", static_cast<unsigned long long>(stats.violation_count));
  for (const auto& what : stats.violations) std::printf("    %s\n", what.c_str());
  const bool passed = stats.violation_count == 0;
  if (!passed) std::cout << "--- end of the chatbusd log ---\n" << report.daemon_log_tail << "\n";
  std::printf("chatbus-soak: %s\n", passed ? "PASS" : "FAIL");
  std::fflush(stdout);
  return passed;
}

}  // namespace chatbus::soak
