// soak: the run as a whole: start the daemon and the auditors, churn, then
// check the end conditions (accounting, liveness, RSS, descriptors, a clean
// exit) and summarise.
#pragma once

#include "options.hpp"

namespace chatbus::soak {

/// Runs the soak; the process exit code (0: no violation).
int run_soak(const Options& options);

}  // namespace chatbus::soak
