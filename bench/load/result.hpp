// result: everything one run measured, as plain data; report.cpp prints it as
// a JSON object and a human line, summarize.cpp reads the JSON back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace chatbus::bench {

/// Latency percentiles of scenario D, in nanoseconds.
struct LatencySummary {
  std::uint64_t count = 0;  ///< deliveries measured
  std::uint64_t p50 = 0;    ///< median
  std::uint64_t p99 = 0;    ///< 99th percentile
  std::uint64_t p999 = 0;   ///< 99.9th percentile
  std::uint64_t max = 0;    ///< exact maximum
};

/// One run against one broker.
struct RunResult {
  Broker broker = Broker::chatbus;     ///< who was measured
  Scenario scenario = Scenario::A;     ///< which workload
  std::string label;                   ///< --label
  std::string description;             ///< the workload in words
  std::uint32_t topics = 0;            ///< distinct topics
  std::uint32_t subscribers = 0;       ///< subscriber connections
  std::uint32_t publishers = 0;        ///< publisher connections
  double duration_s = 0;               ///< publishing time asked for
  double interval_s = 0;               ///< measured: first PUB to last barrier reply
  double setup_s = 0;                  ///< connecting and subscribing
  std::uint64_t published = 0;         ///< PUBs sent (all acknowledged)
  std::uint64_t expected = 0;          ///< published × subscribers of each topic
  std::uint64_t delivered = 0;         ///< messages received by subscribers
  std::uint64_t dropped = 0;           ///< announced drops (chatbus DROPPED)
  std::uint64_t acked_receivers = 0;   ///< sum of OK <n> / :<n> (0 for NATS)
  double deliveries_per_s = 0;         ///< delivered / interval_s
  double generator_cpu = 0;            ///< generator CPU time / interval (1 = a full core)
  std::optional<double> cpu_pressure;  ///< share of the interval some task waited for a CPU
  std::optional<double> broker_cpu_s;  ///< broker utime+stime over the interval
  std::optional<double> broker_cpu_ns_per_delivery;  ///< broker_cpu_s / delivered
  std::optional<LatencySummary> latency;             ///< scenario D
  std::optional<std::uint64_t> rss_before_kib;       ///< E: broker VmRSS before connecting
  std::optional<std::uint64_t> rss_after_kib;        ///< E: after every subscription was confirmed
  std::optional<double> rss_per_connection_bytes;    ///< E: the difference / connections
  std::optional<std::uint64_t> broker_rss_end_kib;   ///< VmRSS at the end of the interval
  bool valid = true;                                 ///< no loss, no error, no disconnect
  std::vector<std::string> errors;                   ///< why it is invalid
  std::vector<std::string> warnings;                 ///< odd but not invalid
};

/// The JSON object of a run (one line).
std::string to_json(const RunResult& r);
/// One line for people.
std::string to_human(const RunResult& r);

}  // namespace chatbus::bench
