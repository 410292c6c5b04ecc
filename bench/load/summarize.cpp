// summarize: reading the runs and grouping them (see summarize.hpp).
#include "summarize.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>

namespace chatbus::bench {

std::optional<double> Samples::median() const {
  if (values.empty()) return std::nullopt;
  std::vector<double> v = values;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

std::optional<double> Samples::min() const {
  if (values.empty()) return std::nullopt;
  return *std::min_element(values.begin(), values.end());
}

std::optional<double> Samples::max() const {
  if (values.empty()) return std::nullopt;
  return *std::max_element(values.begin(), values.end());
}

namespace {

std::optional<double> number(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  return std::nullopt;
}

std::string text(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

void add_run(Summary& summary, const boost::json::object& o) {
  Cell& cell = summary[text(o, "label")][text(o, "scenario")][text(o, "broker")];
  ++cell.runs;
  cell.dropped += number(o, "dropped").value_or(0);
  const auto* valid = o.if_contains("valid");
  if (valid == nullptr || !valid->is_bool() || !valid->as_bool()) {
    const auto* errors = o.if_contains("errors");
    if (errors != nullptr && errors->is_array() && !errors->as_array().empty() &&
        errors->as_array().front().is_string())
      cell.errors.emplace_back(errors->as_array().front().as_string());
    else
      cell.errors.emplace_back("invalid");
    return;  // numbers of an invalid run are not summarised
  }
  ++cell.valid;
  for (const char* key : {"deliveries_per_s", "broker_cpu_ns_per_delivery",
                          "rss_per_connection_bytes", "generator_cpu", "cpu_pressure"})
    if (auto v = number(o, key)) cell.metrics[key].values.push_back(*v);
  if (const auto* lat = o.if_contains("latency_ns"); lat != nullptr && lat->is_object()) {
    for (const char* key : {"p50", "p99", "p999", "max"})
      if (auto v = number(lat->as_object(), key)) cell.metrics[key].values.push_back(*v);
  }
}

}  // namespace

int summarize(const Options& options) {
  std::ifstream in(options.runs_file);
  if (!in) {
    std::fprintf(stderr, "chatbus-bench summarize: cannot read %s\n", options.runs_file.c_str());
    return 2;
  }
  Summary summary;
  std::string line;
  int bad_lines = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) {
      ++bad_lines;
      continue;
    }
    add_run(summary, v.as_object());
  }
  // compare.sh labels its runs: "pinned" (the comparison), "relay" (the
  // generator's ceiling), anything else (extra runs, for information).
  for (const char* main_label : {"pinned", ""})
    if (auto it = summary.find(main_label); it != summary.end()) print_tables(it->second, true);
  if (auto it = summary.find("relay"); it != summary.end()) print_ceiling(it->second);
  for (const auto& [label, scenarios] : summary) {
    if (label == "pinned" || label.empty() || label == "relay") continue;
    std::printf("\n### Extra runs: %s\n", label.c_str());
    print_tables(scenarios, false);
  }
  if (bad_lines > 0)
    std::printf("\n(%d lines of %s were not JSON and were skipped)\n", bad_lines,
                options.runs_file.c_str());
  if (!options.chart_file.empty() && !summary.empty()) {
    // The chart shows the first label (compare.sh's main, pinned runs).
    const auto& main =
        summary.count("pinned") != 0 ? summary.at("pinned") : summary.begin()->second;
    if (!write_chart_data(options.chart_file, main)) return 2;
  }
  return 0;
}

}  // namespace chatbus::bench
