// report: the soak's end-of-run numbers and the pass/fail verdict.
#pragma once

#include <cstdint>
#include <string>

#include "connection.hpp"
#include "ledger.hpp"
#include "options.hpp"

namespace chatbus::soak {

struct Report {
  Duration elapsed{0};            ///< the whole run
  Clock::time_point churn_done;   ///< the last churning client finished
  Duration end_phase{0};          ///< from then to the daemon's exit
  std::uint64_t rss_start_kib = 0;  ///< daemon VmRSS after the warm-up
  std::uint64_t rss_end_kib = 0;    ///< ... after every churning client closed
  std::size_t fds_start = 0;      ///< daemon descriptors with only auditors and control connected
  std::size_t fds_end = 0;        ///< ... after every churning client closed
  std::uint64_t drills_skipped = 0;  ///< drills in which flow control skipped the paused auditor
  std::string daemon_log_tail;    ///< shown when the run failed
};

/// Applies the RSS and descriptor criteria, prints the summary; true if the
/// run passed.
bool print_report(const Options& options, const Report& report, Stats& stats);

}  // namespace chatbus::soak
