// summarize_table: the Markdown table and the chart data (see summarize.hpp).
#include <cstdio>
#include <functional>

#include "summarize.hpp"
#include "workload.hpp"

namespace chatbus::bench {
namespace {

const char* const brokers[] = {"chatbus", "nats", "redis"};

/// One row of the table: which metric, how to print it, which way is better.
struct Metric {
  const char* key;                            ///< Cell::metrics key
  const char* name;                           ///< row title
  int better;                                 ///< +1 higher, -1 lower, 0 information only
  std::function<std::string(double)> format;  ///< one value
};

std::string printf_string(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string rate(double v) {
  if (v >= 1e6) return printf_string("%.2fM", v / 1e6);
  if (v >= 1e3) return printf_string("%.1fk", v / 1e3);
  return printf_string("%.0f", v);
}
std::string nanos(double v) { return printf_string("%.0f ns", v); }
std::string micros(double v) { return printf_string(v < 1e6 ? "%.1f µs" : "%.0f µs", v / 1e3); }
std::string bytes(double v) { return printf_string("%.0f B", v); }
std::string percent(double v) { return printf_string("%.0f%%", v * 100); }

std::vector<Metric> metrics_for(const std::string& scenario) {
  if (scenario == "D")
    return {{"p50", "latency p50", -1, micros},
            {"p99", "latency p99", -1, micros},
            {"p999", "latency p99.9", -1, micros},
            {"max", "latency max", 0, micros},
            {"broker_cpu_ns_per_delivery", "broker CPU / delivery", -1, nanos},
            {"deliveries_per_s", "deliveries/s (paced)", 0, rate},
            {"cpu_pressure", "CPU pressure (waiting for a core)", 0, percent}};
  if (scenario == "E") return {{"rss_per_connection_bytes", "broker RSS / connection", -1, bytes}};
  return {{"deliveries_per_s", "deliveries/s", +1, rate},
          {"broker_cpu_ns_per_delivery", "broker CPU / delivery", -1, nanos},
          {"generator_cpu", "generator CPU (of 1 core)", 0, percent},
          {"cpu_pressure", "CPU pressure (waiting for a core)", 0, percent}};
}

const Cell* find(const std::map<std::string, Cell>& row, const char* broker) {
  auto it = row.find(broker);
  return it == row.end() ? nullptr : &it->second;
}

std::optional<double> median_of(const Cell* c, const char* key) {
  if (c == nullptr) return std::nullopt;
  auto it = c->metrics.find(key);
  return it == c->metrics.end() ? std::nullopt : it->second.median();
}

std::string cell_text(const Cell* c, const Metric& m) {
  if (c == nullptr) return "–";
  auto it = c->metrics.find(m.key);
  if (it == c->metrics.end() || it->second.values.empty()) return c->valid == 0 ? "invalid" : "–";
  const Samples& s = it->second;
  std::string t = "**" + m.format(*s.median()) + "**";
  if (s.values.size() > 1) t += " (" + m.format(*s.min()) + " – " + m.format(*s.max()) + ")";
  return t;
}

std::string ratio(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || *b == 0) return "–";
  return printf_string("%.2f×", *a / *b);
}

std::string best_peer_ratio(const std::map<std::string, Cell>& row, const Metric& m) {
  const auto mine = median_of(find(row, "chatbus"), m.key);
  std::optional<double> best;
  const char* who = "";
  for (const char* peer : {"nats", "redis"}) {
    const auto v = median_of(find(row, peer), m.key);
    if (v && (!best || (m.better > 0 ? *v > *best : *v < *best))) {
      best = v;
      who = peer;
    }
  }
  const std::string r = ratio(mine, best);
  return r == "–" ? r : r + " (" + who + ")";
}

void print_row(const std::string& scenario, const std::map<std::string, Cell>& row,
               const Metric& m) {
  std::printf("| %s | %s |", scenario.c_str(), m.name);
  for (const char* b : brokers) std::printf(" %s |", cell_text(find(row, b), m).c_str());
  if (m.better == 0) {
    std::printf(" | | |\n");
    return;
  }
  const auto mine = median_of(find(row, "chatbus"), m.key);
  std::printf(" %s | %s | %s |\n", ratio(mine, median_of(find(row, "nats"), m.key)).c_str(),
              ratio(mine, median_of(find(row, "redis"), m.key)).c_str(),
              best_peer_ratio(row, m).c_str());
}

void print_validity(const std::string& scenario, const std::map<std::string, Cell>& row) {
  std::printf("| %s | drops · valid runs |", scenario.c_str());
  for (const char* b : brokers) {
    const Cell* c = find(row, b);
    if (c == nullptr)
      std::printf(" – |");
    else
      std::printf(" %.0f · %d/%d |", c->dropped, c->valid, c->runs);
  }
  std::printf(" | | |\n");
}

void print_legend(const std::map<std::string, std::map<std::string, Cell>>& scenarios) {
  std::printf(
      "\nCells: **median** (min – max) over the valid repetitions. Ratios are "
      "chatbus ÷ peer of the medians: above 1 is better for deliveries/s, below 1 is "
      "better for CPU, latency and RSS. CPU pressure: share of the interval in which some "
      "task waited for a core (PSI); near 0 %% means nothing disturbed the pinned run.\n\n"
      "Scenarios:\n");
  const std::map<std::string, Scenario> by_name{{"A", Scenario::A},
                                                {"B", Scenario::B},
                                                {"C", Scenario::C},
                                                {"D", Scenario::D},
                                                {"E", Scenario::E}};
  for (const auto& entry : scenarios) {
    if (auto it = by_name.find(entry.first); it != by_name.end())
      std::printf("- %s: %s\n", entry.first.c_str(),
                  workload_for(it->second, Options{}).description);
  }
}

}  // namespace

void print_tables(const std::map<std::string, std::map<std::string, Cell>>& scenarios,
                  bool legend) {
  std::printf(
      "\n| scenario | metric | chatbus | NATS | Redis | chatbus/NATS | chatbus/Redis | "
      "chatbus/best peer |\n|---|---|---|---|---|---|---|---|\n");
  for (const auto& [scenario, row] : scenarios) {
    for (const Metric& m : metrics_for(scenario)) print_row(scenario, row, m);
    print_validity(scenario, row);
  }
  if (legend) print_legend(scenarios);
  bool any_error = false;
  for (const auto& [scenario, row] : scenarios)
    for (const auto& [broker, cell] : row)
      for (const auto& e : cell.errors) {
        if (!any_error) std::printf("\nInvalid runs:\n");
        any_error = true;
        std::printf("- %s %s: %s\n", scenario.c_str(), broker.c_str(), e.c_str());
      }
}

void print_ceiling(const std::map<std::string, std::map<std::string, Cell>>& scenarios) {
  std::printf(
      "\n### Generator ceiling: chatbus-bench against its bare relay\n\n"
      "`chatbus-bench relay` (one thread, CPU 0) echoes every PUB as MSG to every "
      "subscriber without validating anything; the generator (CPU 1) is the same as "
      "above. No broker can be measured faster than this on this machine.\n\n"
      "| scenario | deliveries/s | relay CPU / delivery | generator CPU (of 1 core) | "
      "latency p50 · p99 · p99.9 | valid |\n|---|---|---|---|---|---|\n");
  const Metric rate_m{"deliveries_per_s", "", +1, rate};
  const Metric cpu_m{"broker_cpu_ns_per_delivery", "", -1, nanos};
  const Metric gen_m{"generator_cpu", "", 0, percent};
  const Metric p50_m{"p50", "", -1, micros};
  const Metric p99_m{"p99", "", -1, micros};
  const Metric p999_m{"p999", "", -1, micros};
  for (const auto& [scenario, row] : scenarios) {
    const Cell* c = find(row, "chatbus");
    if (c == nullptr) continue;
    const std::string latency =
        scenario == "D"
            ? cell_text(c, p50_m) + " · " + cell_text(c, p99_m) + " · " + cell_text(c, p999_m)
            : "";
    std::printf("| %s | %s | %s | %s | %s | %d/%d |\n", scenario.c_str(),
                cell_text(c, rate_m).c_str(), cell_text(c, cpu_m).c_str(),
                cell_text(c, gen_m).c_str(), latency.c_str(), c->valid, c->runs);
  }
}

bool write_chart_data(const std::string& path,
                      const std::map<std::string, std::map<std::string, Cell>>& scenarios) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  auto value = [](std::optional<double> v, double scale) {
    return v ? printf_string("%.4f", *v / scale) : std::string("-");
  };
  std::fprintf(f, "# block 0: scenario, deliveries/s in millions (chatbus nats redis)\n");
  for (const char* s : {"A", "B", "C"}) {
    auto it = scenarios.find(s);
    if (it == scenarios.end()) continue;
    std::fprintf(f, "%s", s);
    for (const char* b : brokers)
      std::fprintf(f, " %s",
                   value(median_of(find(it->second, b), "deliveries_per_s"), 1e6).c_str());
    std::fprintf(f, "\n");
  }
  std::fprintf(f, "\n\n# block 1: broker, D latency p99 in microseconds\n");
  if (auto it = scenarios.find("D"); it != scenarios.end())
    for (const char* b : brokers)
      std::fprintf(f, "%s %s\n", b, value(median_of(find(it->second, b), "p99"), 1e3).c_str());
  std::fclose(f);
  return true;
}

}  // namespace chatbus::bench
