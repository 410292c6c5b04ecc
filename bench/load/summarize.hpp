// summarize: `chatbus-bench summarize --runs FILE [--chart-data FILE]` reads
// the JSON lines compare.sh collected (one run each) and prints the report's
// Markdown tables: per scenario and broker the median and min–max over the
// valid repetitions, the chatbus/NATS, chatbus/Redis and chatbus/best-peer
// ratios, drops and validity; and writes the gnuplot data for the chart.
// Cold path; plain code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace chatbus::bench {

/// The numbers of one metric over the repetitions of one (scenario, broker).
struct Samples {
  std::vector<double> values;  ///< from valid runs only
  std::optional<double> median() const;
  std::optional<double> min() const;
  std::optional<double> max() const;
};

/// Everything known about one (label, scenario, broker).
struct Cell {
  std::map<std::string, Samples> metrics;  ///< by metric key (see summarize.cpp)
  double dropped = 0;                      ///< total announced drops, every run
  int runs = 0;                            ///< runs seen
  int valid = 0;                           ///< of those, valid
  std::vector<std::string> errors;         ///< first error of each invalid run
};

/// label → scenario ("A"…) → broker ("chatbus"…) → cell.
using Summary = std::map<std::string, std::map<std::string, std::map<std::string, Cell>>>;

/// Prints the Markdown table for one label's scenarios (with the legend
/// below it when `legend`), then its invalid runs.
void print_tables(const std::map<std::string, std::map<std::string, Cell>>& scenarios, bool legend);

/// Prints the generator-ceiling table (runs against the bare relay).
void print_ceiling(const std::map<std::string, std::map<std::string, Cell>>& scenarios);

/// Writes the chart data (deliveries/s of A–C, p99 of D per broker).
bool write_chart_data(const std::string& path,
                      const std::map<std::string, std::map<std::string, Cell>>& scenarios);

int summarize(const Options& options);

}  // namespace chatbus::bench
