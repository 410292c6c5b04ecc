#include "cli/stats_table.hpp"

#include "cli/failure.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace chatbus::cli {
namespace {

namespace json = boost::json;

const json::object empty_object;

const json::object& object_at(const json::object& parent, std::string_view key) {
  const auto* value = parent.if_contains(key);
  return value && value->is_object() ? value->as_object() : empty_object;
}

const json::value* field(const json::object& object, std::string_view key) { return object.if_contains(key); }

std::optional<double> number(const json::value* value) {
  if (!value) return std::nullopt;
  if (value->is_int64()) return static_cast<double>(value->as_int64());
  if (value->is_uint64()) return static_cast<double>(value->as_uint64());
  if (value->is_double()) return value->as_double();
  return std::nullopt;
}

/// A count as text, `-` when absent.
std::string count(const json::object& object, std::string_view key) {
  const json::value* value = field(object, key);
  if (value && value->is_int64()) return std::to_string(value->as_int64());
  if (value && value->is_uint64()) return std::to_string(value->as_uint64());
  if (auto n = number(value)) return std::to_string(static_cast<std::int64_t>(*n));
  return "-";
}

std::string bytes(const json::object& object, std::string_view key) {
  auto n = number(field(object, key));
  return n && *n >= 0 ? format_bytes(static_cast<std::uint64_t>(*n)) : "-";
}

std::string age(const json::object& object, std::string_view key) {
  auto n = number(field(object, key));
  return n ? format_age(*n) : "-";
}

std::string text(const json::object& object, std::string_view key) {
  const json::value* value = field(object, key);
  if (!value) return "-";
  if (value->is_string()) return std::string(value->as_string());
  return json::serialize(*value);
}

/// Columns padded to their widest cell; numbers (all but `left` columns)
/// right-aligned.
std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& left) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = " ";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(width[c] - cells[c].size(), ' ');
      out += c == 0 ? " " : "  ";
      out += left[c] ? cells[c] + (c + 1 == cells.size() ? "" : pad) : pad + cells[c];
    }
    return out + "\n";
  };
  std::string out = line(header);
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string server_section(const json::object& server) {
  std::string out = text(server, "name") + " " + text(server, "version") + " on node " + text(server, "node") +
                    ": up " + age(server, "uptime_seconds") + ", " + count(server, "threads") + " threads";
  const json::value* ready = field(server, "ready");
  if (ready && ready->is_bool()) out += ready->as_bool() ? ", ready" : ", NOT READY (shutting down)";
  return out + "\n";
}

std::string totals_section(const json::object& totals) {
  return "\n  connections    " + count(totals, "connections") + " now, " + count(totals, "connections_total") +
         " since start, " + count(totals, "connections_rejected") + " rejected\n" + "  subscriptions  " +
         count(totals, "subscriptions") + " on " + count(totals, "topics") + " topics\n" + "  messages       " +
         count(totals, "messages_in") + " in, " + count(totals, "messages_out") + " out, " +
         count(totals, "messages_dropped") + " dropped\n" + "  bytes          " + bytes(totals, "bytes_in") +
         " in, " + bytes(totals, "bytes_out") + " out, " + bytes(totals, "pending_bytes") + " pending\n";
}

/// Sort key of a connection: the busiest (most queued, then most sent) first.
std::pair<double, double> load(const json::object& connection) {
  return {number(field(connection, "pending_bytes")).value_or(0), number(field(connection, "messages_out")).value_or(0)};
}

std::vector<const json::object*> items(const json::object& page, unsigned limit) {
  std::vector<const json::object*> rows;
  const json::value* list = field(page, "items");
  if (!list || !list->is_array()) return rows;
  for (const auto& item : list->as_array()) {
    if (item.is_object() && rows.size() < limit) rows.push_back(&item.as_object());
  }
  return rows;
}

std::string connections_section(const json::object& page, unsigned limit) {
  auto rows = items(page, limit);
  std::stable_sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return load(*a) > load(*b); });
  std::string out = "\nTOP CONNECTIONS (" + std::to_string(rows.size()) + " of " + count(page, "total") +
                    ", most pending bytes first)\n";
  if (rows.empty()) return out + "  none\n";
  std::vector<std::vector<std::string>> cells;
  for (const auto* c : rows) {
    cells.push_back({count(*c, "id"), text(*c, "peer"), age(*c, "connected_seconds"), count(*c, "subscriptions"),
                     bytes(*c, "pending_bytes"), count(*c, "messages_in"), count(*c, "messages_out")});
  }
  return out + table({"ID", "PEER", "AGE", "SUBS", "PENDING", "MSGS IN", "MSGS OUT"}, cells,
                     {false, true, false, false, false, false, false});
}

std::string topics_section(const json::object& page, unsigned limit) {
  auto rows = items(page, limit);
  std::string out = "\nTOPICS (" + std::to_string(rows.size()) + " of " + count(page, "total");
  const json::value* prefix = field(page, "prefix");
  if (prefix && prefix->is_string() && !prefix->as_string().empty()) out += " with prefix " + json::serialize(*prefix);
  out += ")\n";
  if (rows.empty()) return out + "  none\n";
  std::vector<std::vector<std::string>> cells;
  for (const auto* t : rows) cells.push_back({count(*t, "subscribers"), text(*t, "topic")});
  return out + table({"SUBSCRIBERS", "TOPIC"}, cells, {false, true});
}

}  // namespace

std::string format_bytes(std::uint64_t n) {
  if (n < 1024) return std::to_string(n) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(n) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  char out[32];
  std::snprintf(out, sizeof out, "%.1f %s", value, units[unit]);
  return out;
}

std::string format_age(double seconds) {
  char out[32];
  if (seconds < 60) {
    std::snprintf(out, sizeof out, "%.1fs", seconds < 0 ? 0.0 : seconds);
    return out;
  }
  const auto whole = static_cast<std::uint64_t>(seconds);
  if (whole < 3600) {
    std::snprintf(out, sizeof out, "%um%02us", unsigned(whole / 60), unsigned(whole % 60));
  } else if (whole < 86400) {
    std::snprintf(out, sizeof out, "%uh%02um", unsigned(whole / 3600), unsigned(whole / 60 % 60));
  } else {
    std::snprintf(out, sizeof out, "%llud%02uh", static_cast<unsigned long long>(whole / 86400),
                  unsigned(whole / 3600 % 24));
  }
  return out;
}

std::string render_stats(const json::value& stats, unsigned limit) {
  if (!stats.is_object()) throw Failure(ExitCode::refused, "the stats endpoint did not return a JSON object");
  const auto& root = stats.as_object();
  return server_section(object_at(root, "server")) + totals_section(object_at(root, "totals")) +
         connections_section(object_at(root, "connections"), limit) + topics_section(object_at(root, "topics"), limit);
}

}  // namespace chatbus::cli
