// commands: one entry point per `chatbus` subcommand. Each returns the exit
// code on success and throws Failure (or Interrupted) otherwise.
#pragma once

#include "cli/failure.hpp"
#include "cli/options.hpp"

namespace chatbus::cli {

/// `chatbus sub`: sub_command.cpp.
ExitCode run_sub(const Invocation& invocation);
/// `chatbus pub`: pub_command.cpp.
ExitCode run_pub(const Invocation& invocation);
/// `chatbus ping`: ping_command.cpp.
ExitCode run_ping(const Invocation& invocation);
/// `chatbus stats`: stats_command.cpp.
ExitCode run_stats(const Invocation& invocation);

}  // namespace chatbus::cli
