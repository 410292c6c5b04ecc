// chatbusd: parse the configuration, set up logging, run the server.
#include <csignal>
#include <exception>
#include <iostream>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include "chatbus/config.hpp"
#include "chatbus/logging.hpp"
#include "chatbus/server.hpp"

namespace {

/// Lets the process use as many descriptors as the hard limit allows, so
/// max_connections, not a shell default of 1024, is what limits clients.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  const auto config = chatbus::parse_config(argc, argv, exit_code, std::cout, std::cerr);
  if (!config) return exit_code;
  try {
    // Sockets write with MSG_NOSIGNAL; this covers stderr, whose reader
    // (a terminal, a pipe to a log shipper) may go away.
    std::signal(SIGPIPE, SIG_IGN);
    chatbus::setup_logging(config->log_level, config->log_format);
    raise_descriptor_limit();
    chatbus::Server server(*config);
    return server.run();
  } catch (const std::exception& e) {
    spdlog::critical("chatbusd cannot start: {}", e.what());
    return 1;
  }
}
