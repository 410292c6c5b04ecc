// options: CLI11 definitions of the three modes (see options.hpp).
#include "options.hpp"

#include <CLI/CLI.hpp>
#include <cctype>
#include <cmath>
#include <map>
#include <stdexcept>

namespace chatbus::bench {

const char* to_string(Broker b) {
  switch (b) {
    case Broker::chatbus: return "chatbus";
    case Broker::nats: return "nats";
    case Broker::redis: return "redis";
  }
  return "?";
}

const char* to_string(Scenario s) {
  static const char* const names[] = {"A", "B", "C", "D", "E"};
  return names[static_cast<int>(s)];
}

std::uint64_t parse_duration_ns(const std::string& text) {
  std::size_t used = 0;
  const double value = std::stod(text, &used);
  const std::string unit = text.substr(used);
  double scale = 1e9;
  if (unit == "ms")
    scale = 1e6;
  else if (unit == "us")
    scale = 1e3;
  else if (unit == "m")
    scale = 60e9;
  else if (!unit.empty() && unit != "s")
    throw std::invalid_argument("unknown unit in " + text);
  if (!(value >= 0) || !std::isfinite(value)) throw std::invalid_argument("bad duration " + text);
  return static_cast<std::uint64_t>(value * scale);
}

namespace {

/// A CLI11 validator-transformer that turns "5s" into nanoseconds.
void add_duration(CLI::App& app, const char* name, std::uint64_t& target, const char* help) {
  app.add_option_function<std::string>(
         name, [&target](const std::string& v) { target = parse_duration_ns(v); }, help)
      ->type_name("DURATION");
}

/// An option whose value must be one of `names` (case-insensitive).
template <class Enum>
void add_choice(CLI::App& app, const char* name, Enum& target,
                const std::map<std::string, Enum>& names, const char* help) {
  app.add_option_function<std::string>(
         name,
         [&target, names, name](const std::string& v) {
           std::string key = v;
           for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
           const auto it = names.find(key);
           if (it == names.end()) throw CLI::ValidationError(name, "unknown value " + v);
           target = it->second;
         },
         help)
      ->type_name("NAME");
}

void add_run_options(CLI::App& app, Options& o) {
  add_choice(app, "--broker", o.broker,
             {{"chatbus", Broker::chatbus}, {"nats", Broker::nats}, {"redis", Broker::redis}},
             "chatbus, nats or redis (wire protocol to speak)");
  add_choice(app, "--scenario", o.scenario,
             {{"a", Scenario::A},
              {"b", Scenario::B},
              {"c", Scenario::C},
              {"d", Scenario::D},
              {"e", Scenario::E}},
             "A, B, C, D or E (see bench/README.md)");
  app.add_option("--host", o.host, "Broker IPv4 address")->capture_default_str();
  app.add_option("--port", o.port, "Broker port")->capture_default_str();
  add_duration(app, "--duration", o.duration_ns, "How long to publish (default 5s)");
  add_duration(app, "--timeout", o.timeout_ns, "Limit for connecting and for draining (120s)");
  app.add_flag("--json", o.json, "Print the run as one JSON object too");
  app.add_option("--broker-pid", o.broker_pid, "Broker PID, for CPU/delivery and RSS");
  app.add_option("--window", o.window, "Unacknowledged PUBs per publisher")->capture_default_str();
  app.add_option("--nats-ping-every", o.nats_ping_every, "NATS: PING after this many PUBs")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  app.add_option("--rate", o.rate, "D: messages per second")->capture_default_str();
  app.add_option("--subscribers", o.subscribers, "Override the scenario's subscriber count");
  app.add_option("--topics", o.topics, "Override the scenario's topic count");
  app.add_option("--publishers", o.publishers, "Override the scenario's publisher count");
  app.add_option("--connect-parallel", o.connect_parallel, "Connections set up at once")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100000u));
  add_choice(app, "--spin", o.spin,
             {{"auto", Spin::automatic}, {"on", Spin::on}, {"off", Spin::off}},
             "Busy-poll instead of sleeping in epoll: auto (D only), on, off");
  app.add_option("--seed", o.seed, "Seed of the topic UUIDs")->capture_default_str();
  app.add_option("--label", o.label, "Free text copied into the JSON");
}

}  // namespace

int parse_options(int argc, char** argv, Options& out) {
  CLI::App app{"chatbus-bench: pub/sub load generator for chatbusd, NATS and Redis"};
  add_run_options(app, out);
  auto* relay = app.add_subcommand("relay", "Bare relay (generator ceiling): PUB → MSG to all");
  relay->add_option("--port", out.port, "Port to listen on")->required();
  relay->add_option("--host", out.host, "Address to listen on")->capture_default_str();
  auto* summary = app.add_subcommand("summarize", "Markdown tables from compare.sh's runs");
  summary->add_option("--runs", out.runs_file, "JSON lines, one run each")->required();
  summary->add_option("--chart-data", out.chart_file, "gnuplot data file to write");
  app.require_subcommand(0, 1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chatbus-bench: %s\n", e.what());
    return 2;
  }
  if (relay->parsed()) out.mode = Mode::relay;
  if (summary->parsed()) out.mode = Mode::summarize;
  if (out.mode == Mode::run && (out.window == 0 || !(out.rate > 0))) {
    std::fprintf(stderr, "chatbus-bench: --window and --rate must be positive\n");
    return 2;
  }
  return -1;
}

}  // namespace chatbus::bench
