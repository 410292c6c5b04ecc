// chatbus-bench: pub/sub load generator for chatbusd, NATS and Redis. Thin:
// parse the options, run the chosen mode, map the outcome to an exit code
// (0 valid, 1 invalid run, 2 usage or setup error).
#include <csignal>
#include <cstdio>
#include <exception>

#include "options.hpp"
#include "relay.hpp"
#include "result.hpp"
#include "run.hpp"
#include "summarize.hpp"

int main(int argc, char** argv) {
  using namespace chatbus::bench;
  Options options;
  if (const int code = parse_options(argc, argv, options); code >= 0) return code;
  std::signal(SIGPIPE, SIG_IGN);
  try {
    switch (options.mode) {
      case Mode::relay: return run_relay(options);
      case Mode::summarize: return summarize(options);
      case Mode::run: break;
    }
    Run run(options);
    const RunResult r = run.execute();
    if (options.json) std::printf("%s\n", to_json(r).c_str());
    std::fprintf(options.json ? stderr : stdout, "%s\n", to_human(r).c_str());
    return r.valid ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chatbus-bench: %s\n", e.what());
    return 2;
  }
}
