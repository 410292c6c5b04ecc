// `chatbus ping`: PING/PONG round trips, one at a time, and their spread.
#include "cli/commands.hpp"
#include "cli/server_connection.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

namespace chatbus::cli {
namespace {

std::string milliseconds_text(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f ms", ms);
  return text;
}

}  // namespace

ExitCode run_ping(const Invocation& invocation) {
  Reactor reactor(false);
  ServerConnection connection(reactor, invocation.common);
  connection.open();
  const std::string address = connection.address().text();
  std::vector<double> round_trips;
  for (unsigned i = 1; i <= invocation.ping.count; ++i) {
    const std::string token = "chatbus-" + std::to_string(i);
    const auto start = Clock::now();
    const std::string reply = connection.command("PING " + token);
    const std::chrono::duration<double, std::milli> elapsed = Clock::now() - start;
    if (reply != "PONG " + token) throw Failure(ExitCode::refused, "PING " + token + " got: " + reply);
    round_trips.push_back(elapsed.count());
    std::cout << "PONG from " << address << ": seq=" << i << " time=" << milliseconds_text(elapsed.count())
              << std::endl;
  }
  std::sort(round_trips.begin(), round_trips.end());
  const std::size_t n = round_trips.size();
  const double median = n % 2 == 1 ? round_trips[n / 2] : (round_trips[n / 2 - 1] + round_trips[n / 2]) / 2;
  std::cout << n << (n == 1 ? " round trip" : " round trips") << " to " << address
            << " (node " << connection.info().node << "): min " << milliseconds_text(round_trips.front())
            << ", median " << milliseconds_text(median) << ", max " << milliseconds_text(round_trips.back())
            << std::endl;
  connection.quit();
  return ExitCode::ok;
}

}  // namespace chatbus::cli
