// chatbusd: parse the configuration, set up logging, run the server.
#include <csignal>
#include <exception>
#include <iostream>
#include <sstream>
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

/// Parses the same arguments (and environment, and files) again on SIGHUP.
chatbus::Server::ConfigLoader reloader(int argc, char** argv) {
  return [argc, argv](std::string& problem) -> std::optional<chatbus::Config> {
    int exit_code = 0;
    std::ostringstream out, err;
    auto config = chatbus::parse_config(argc, argv, exit_code, out, err);
    if (!config) {
      // "chatbusd: <message>\n", as it would be printed at startup.
      problem = err.str();
      if (problem.rfind("chatbusd: ", 0) == 0) problem.erase(0, 10);
      while (!problem.empty() && problem.back() == '\n') problem.pop_back();
    }
    return config;
  };
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
    chatbus::Server server(*config, reloader(argc, argv));
    return server.run();
  } catch (const std::exception& e) {
    spdlog::critical("chatbusd cannot start: {}", e.what());
    return 1;
  }
}
