// report: a RunResult as one JSON line and as one human line (see result.hpp).
#include <boost/json.hpp>
#include <cstdio>

#include "result.hpp"

namespace chatbus::bench {
namespace {

template <class T>
boost::json::value optional_value(const std::optional<T>& v) {
  if (!v) return nullptr;
  return boost::json::value(*v);
}

boost::json::array strings(const std::vector<std::string>& list) {
  boost::json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

std::string format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

/// 1234567 → "1.23M", 12345 → "12.3k".
std::string si(double v) {
  if (v >= 1e6) return format("%.3gM", v / 1e6);
  if (v >= 1e3) return format("%.3gk", v / 1e3);
  return format("%.3g", v);
}

std::string micros(std::uint64_t ns) { return format("%.1f us", static_cast<double>(ns) / 1e3); }

}  // namespace

std::string to_json(const RunResult& r) {
  boost::json::object o;
  o["broker"] = to_string(r.broker);
  o["scenario"] = to_string(r.scenario);
  o["label"] = r.label;
  o["description"] = r.description;
  o["topics"] = r.topics;
  o["subscribers"] = r.subscribers;
  o["publishers"] = r.publishers;
  o["duration_s"] = r.duration_s;
  o["interval_s"] = r.interval_s;
  o["setup_s"] = r.setup_s;
  o["published"] = r.published;
  o["expected"] = r.expected;
  o["delivered"] = r.delivered;
  o["dropped"] = r.dropped;
  o["acked_receivers"] = r.acked_receivers;
  o["deliveries_per_s"] = r.deliveries_per_s;
  o["generator_cpu"] = r.generator_cpu;
  o["cpu_pressure"] = optional_value(r.cpu_pressure);
  o["broker_cpu_s"] = optional_value(r.broker_cpu_s);
  o["broker_cpu_ns_per_delivery"] = optional_value(r.broker_cpu_ns_per_delivery);
  if (r.latency) {
    o["latency_ns"] = {{"count", r.latency->count},
                       {"p50", r.latency->p50},
                       {"p99", r.latency->p99},
                       {"p999", r.latency->p999},
                       {"max", r.latency->max}};
  } else {
    o["latency_ns"] = nullptr;
  }
  o["rss_before_kib"] = optional_value(r.rss_before_kib);
  o["rss_after_kib"] = optional_value(r.rss_after_kib);
  o["rss_per_connection_bytes"] = optional_value(r.rss_per_connection_bytes);
  o["broker_rss_end_kib"] = optional_value(r.broker_rss_end_kib);
  o["valid"] = r.valid;
  o["errors"] = strings(r.errors);
  o["warnings"] = strings(r.warnings);
  return boost::json::serialize(o);
}

std::string to_human(const RunResult& r) {
  std::string line = std::string(to_string(r.broker)) + " " + to_string(r.scenario) + " " +
                     (r.valid ? "valid" : "INVALID") + ": ";
  if (r.publishers > 0) {
    line += si(r.deliveries_per_s) + " deliveries/s (" + std::to_string(r.published) + " PUBs, " +
            std::to_string(r.delivered) + " delivered, " + std::to_string(r.dropped) +
            " dropped, in " + format("%.2f s", r.interval_s) + ")";
  } else {
    line +=
        std::to_string(r.subscribers) + " connections subscribed in " + format("%.2f s", r.setup_s);
  }
  if (r.broker_cpu_ns_per_delivery)
    line += ", broker CPU " + format("%.0f ns/delivery", *r.broker_cpu_ns_per_delivery);
  if (r.latency)
    line += ", latency p50 " + micros(r.latency->p50) + " p99 " + micros(r.latency->p99) +
            " p999 " + micros(r.latency->p999) + " max " + micros(r.latency->max);
  if (r.rss_per_connection_bytes)
    line += ", broker RSS " + format("%.0f B/connection", *r.rss_per_connection_bytes);
  if (r.publishers > 0) line += ", generator CPU " + format("%.0f%%", r.generator_cpu * 100);
  if (r.cpu_pressure) line += ", CPU pressure " + format("%.0f%%", *r.cpu_pressure * 100);
  for (const auto& e : r.errors) line += "\n  error: " + e;
  for (const auto& w : r.warnings) line += "\n  warning: " + w;
  return line;
}

}  // namespace chatbus::bench
