// chatbus: the command-line client. Parse the arguments, run one command,
// turn its outcome into the documented exit code.
#include "cli/arguments.hpp"
#include "cli/commands.hpp"

#include <csignal>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  using namespace chatbus::cli;
  // Sockets write with MSG_NOSIGNAL; this covers stdout, whose reader may go
  // away (`chatbus sub '*' | head`): the write then fails and sub stops.
  std::signal(SIGPIPE, SIG_IGN);
  int exit_code = 0;
  const auto invocation = parse_arguments(argc, argv, exit_code, std::cout, std::cerr);
  if (!invocation) return exit_code;
  try {
    switch (invocation->command) {
      case CommandName::sub: return static_cast<int>(run_sub(*invocation));
      case CommandName::pub: return static_cast<int>(run_pub(*invocation));
      case CommandName::ping: return static_cast<int>(run_ping(*invocation));
      case CommandName::stats: return static_cast<int>(run_stats(*invocation));
    }
  } catch (const Failure& failure) {
    std::cerr << "chatbus: " << failure.what() << '\n';
    return static_cast<int>(failure.code());
  } catch (const Interrupted&) {
    return static_cast<int>(ExitCode::ok);
  } catch (const std::exception& e) {
    std::cerr << "chatbus: " << e.what() << '\n';
    return static_cast<int>(ExitCode::refused);
  }
  return static_cast<int>(ExitCode::ok);
}
