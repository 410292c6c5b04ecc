// options: what one invocation of chatbus-bench was asked to do, as plain
// data. Three modes share the binary: a benchmark run against one broker (the
// default), the bare "relay" (a dumb in-process broker that gives the
// generator's own ceiling), and "summarize" (turns compare.sh's JSON lines
// into the report's tables). Cold path only.
#pragma once

#include <cstdint>
#include <string>

namespace chatbus::bench {

enum class Broker { chatbus, nats, redis };
enum class Scenario { A, B, C, D, E };
enum class Mode { run, relay, summarize };
enum class Spin { automatic, on, off };

/// One invocation's settings; defaults are the documented ones.
struct Options {
  Mode mode = Mode::run;                       ///< which of the three jobs
  Broker broker = Broker::chatbus;             ///< wire protocol to speak
  Scenario scenario = Scenario::A;             ///< workload shape (see workload.hpp)
  std::string host = "127.0.0.1";              ///< broker address (IPv4 literal)
  std::uint16_t port = 7420;                   ///< broker port (relay: port to listen on)
  std::uint64_t duration_ns = 5'000'000'000;   ///< how long publishers publish
  std::uint64_t timeout_ns = 120'000'000'000;  ///< limit for connecting and for draining
  bool json = false;                           ///< print the JSON object, not only the human line
  int broker_pid = 0;                          ///< for CPU and RSS from /proc (0 = not measured)
  std::uint32_t window = 1000;                 ///< unacknowledged PUBs per publisher
  std::uint32_t nats_ping_every = 100;         ///< NATS: a PING after this many PUBs (the "ack")
  double rate = 1000.0;                        ///< D: messages per second
  std::uint32_t subscribers = 0;               ///< override the scenario's (0 = keep)
  std::uint32_t topics = 0;                    ///< override the scenario's (0 = keep)
  std::uint32_t publishers = 0;                ///< override the scenario's (0 = keep)
  std::uint32_t connect_parallel = 200;        ///< connections opening or subscribing at once
  Spin spin = Spin::automatic;                 ///< busy-poll instead of sleeping (auto: in D only)
  std::uint64_t seed = 0x63686174627573ULL;    ///< topic UUIDs (same for every broker)
  std::string label;                           ///< free text copied into the JSON (e.g. "pinned")
  std::string runs_file;                       ///< summarize: JSON lines from compare.sh
  std::string chart_file;                      ///< summarize: gnuplot data written here
};

const char* to_string(Broker b);
const char* to_string(Scenario s);

/// "5s", "250ms", "2m", "1.5" (seconds) → nanoseconds; throws std::invalid_argument.
std::uint64_t parse_duration_ns(const std::string& text);

/// Fills `out` from argv. Returns -1 to go on, or the exit code to end with
/// (0 after --help, 2 after a usage error, already reported on stderr).
int parse_options(int argc, char** argv, Options& out);

}  // namespace chatbus::bench
