#include "options.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>

namespace chatbus::soak {

Options parse_options(int argc, char** argv) {
  Options options;
  options.chatbusd = CHATBUSD_PATH;
  CLI::App app{"chatbus-soak: churn, faults and an exact delivery audit against a fresh chatbusd on 127.0.0.1"};
  app.add_option("--duration", options.duration, "seconds of churn")->check(CLI::Range(1, 86400));
  app.add_option("--connections", options.connections, "concurrent churning clients")->check(CLI::Range(1, 5000));
  app.add_option("--seed", options.seed, "seed for every random choice");
  app.add_option("--chatbusd", options.chatbusd, "path of the chatbusd binary");
  app.add_option("--auditors", options.auditors, "auditing subscribers")->check(CLI::Range(1, 8));
  app.add_option("--topics", options.topics, "chat:stream topics in the pool")->check(CLI::Range(1, 100000));
  app.add_option("--sampled", options.sampled, "topics of the pool that are audited")->check(CLI::Range(1, 100000));
  app.add_option("--warmup", options.warmup, "seconds before the first RSS sample (0: a fifth of the duration)")
      ->check(CLI::Range(0, 86400));
  app.add_option("--rss-tolerance", options.rss_tolerance, "percent the end RSS may exceed the warm-up RSS")
      ->check(CLI::Range(0.0, 1000.0));
  app.add_option("--rss-slack", options.rss_slack_mib, "MiB the end RSS may exceed it by, on top");
  app.add_option("--daemon-log", options.daemon_log, "write the daemon's whole output to this file");
  app.add_option("--fd-wait", options.fd_wait, "seconds to wait for the descriptors to come back")
      ->check(CLI::Range(1, 600));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e));
  }
  if (options.sampled > options.topics) options.sampled = options.topics;
  return options;
}

}  // namespace chatbus::soak
