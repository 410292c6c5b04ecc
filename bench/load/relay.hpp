// relay: `chatbus-bench relay --port N`, a deliberately dumb single-threaded
// broker speaking enough of chatbus's line protocol for the benchmark (SUB →
// OK <topic>, PUB → MSG to every subscriber and OK <n>, PING → PONG). It
// validates nothing and never drops (it stops reading publishers while a
// subscriber's queue is long instead). Running the generator against it
// measures the generator's own ceiling — the "bare relay" rate a broker on
// this machine could at best be measured at.
#pragma once

#include "options.hpp"

namespace chatbus::bench {

/// Serves until killed. Returns an exit code (setup errors only).
int run_relay(const Options& options);

}  // namespace chatbus::bench
