// options: the soak's command line.
#pragma once

#include <cstdint>
#include <string>

namespace chatbus::soak {

struct Options {
  int duration = 60;              ///< seconds of churn
  int connections = 200;          ///< concurrent churning clients (each holds at most 2 sockets)
  std::uint64_t seed = 1;         ///< for every random choice of the soak
  std::string chatbusd;           ///< the daemon binary
  int auditors = 4;               ///< auditing subscribers (at most 8)
  int topics = 64;                ///< chat:stream topics in the pool
  int sampled = 16;               ///< of them audited
  int warmup = 0;                 ///< seconds before the first RSS sample; 0: a fifth of the duration (at most 60)
  double rss_tolerance = 10.0;    ///< percent the end RSS may exceed the warm-up RSS by...
  std::uint64_t rss_slack_mib = 8;  ///< ... plus this many MiB
  std::string daemon_log;         ///< file for the daemon's whole output; empty: keep only its end
  int fd_wait = 10;               ///< seconds the end waits for the daemon's descriptors to come back
};

/// Parses argv; exits with the usage on --help or an error.
Options parse_options(int argc, char** argv);

}  // namespace chatbus::soak
