// admin_stats: the /v1/stats document (see docs/operations.md): server,
// totals, connections and topics, the last two filtered and paginated.
#include <boost/json.hpp>

#include <charconv>

#include "admin_routes.hpp"
#include "chatbus/broker.hpp"
#include "chatbus/version.hpp"

namespace chatbus::admin_detail {
namespace json = boost::json;
namespace {

constexpr std::size_t default_limit = 100;
constexpr std::size_t max_limit = 1000;

/// How long /v1/stats waits for busy workers to list their connections.
constexpr std::chrono::milliseconds collect_deadline{1000};

/// The parameters /v1/stats takes.
struct StatsQuery {
  std::string topics_prefix;                   ///< only topics starting with it
  std::size_t topics_offset = 0;               ///< first topic shown
  std::size_t topics_limit = default_limit;    ///< topics shown at most
  std::size_t connections_offset = 0;          ///< first connection shown
  std::size_t connections_limit = default_limit;  ///< connections shown at most
};

bool parse_count(std::string_view text, std::size_t max, std::size_t& out) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return false;
  out = value;
  return true;
}

// (Decoded through url_view::params(): in Boost 1.81, decoding the params
// of a bare parse_query() reads past the end of an unterminated query.)
std::string parse_query(const boost::urls::params_view& params, StatsQuery& query) {
  for (const auto param : params) {
    const std::string& key = param.key;
    const std::string& value = param.value;
    bool ok = true;
    if (key == "topics_prefix") {
      query.topics_prefix = value;
    } else if (key == "topics_offset") {
      ok = parse_count(value, SIZE_MAX, query.topics_offset);
    } else if (key == "topics_limit") {
      ok = parse_count(value, max_limit, query.topics_limit);
    } else if (key == "connections_offset") {
      ok = parse_count(value, SIZE_MAX, query.connections_offset);
    } else if (key == "connections_limit") {
      ok = parse_count(value, max_limit, query.connections_limit);
    } else {
      return "unknown parameter '" + key +
             "'; expected topics_prefix, topics_offset, topics_limit, connections_offset, connections_limit";
    }
    if (!ok) return "'" + key + "' must be a whole number" + (key.ends_with("limit") ? " from 0 to 1000" : "");
  }
  return {};
}

/// The window [offset, offset + limit) of `items`, as a JSON page.
template <class Item, class ToJson>
json::object page(const std::vector<Item>& items, std::size_t offset, std::size_t limit, ToJson&& to_json) {
  json::object out;
  out["total"] = items.size();
  out["offset"] = offset;
  out["limit"] = limit;
  json::array shown;
  for (std::size_t i = offset; i < items.size() && i - offset < limit; ++i) shown.push_back(to_json(items[i]));
  out["items"] = std::move(shown);
  return out;
}

json::object server_part(const AdminView& view, const MetricsSnapshot& m) {
  json::object server;
  server["name"] = "chatbusd";
  server["version"] = version;
  server["node"] = view.broker().node_id();
  server["uptime_seconds"] = m.uptime_seconds;
  server["threads"] = m.threads;
  server["ready"] = m.ready;
  return server;
}

json::object totals_part(const MetricsSnapshot& m) {
  json::object totals;
  totals["connections"] = m.connections;
  totals["connections_total"] = m.connections_accepted;
  totals["connections_rejected"] = m.connections_rejected;
  totals["subscriptions"] = m.router.subscriptions;
  totals["topics"] = m.router.subscribed_topics;
  totals["messages_in"] = m.messages_published;
  totals["messages_out"] = m.messages_delivered;
  totals["messages_dropped"] = m.messages_dropped;
  totals["bytes_in"] = m.bytes_in;
  totals["bytes_out"] = m.bytes_out;
  totals["pending_bytes"] = m.pending_bytes;
  return totals;
}

}  // namespace

std::string render_stats(const AdminView& view, const boost::urls::params_view& raw_query, std::string& problem) {
  StatsQuery query;
  problem = parse_query(raw_query, query);
  if (!problem.empty()) return {};
  const MetricsSnapshot m = view.metrics();
  bool complete = true;
  const auto connections = view.connections(collect_deadline, complete);
  const auto now = std::chrono::steady_clock::now();
  json::object connections_part =
      page(connections, query.connections_offset, query.connections_limit, [&](const ConnectionInfo& c) {
        json::object item;
        item["id"] = c.id;
        item["peer"] = c.peer;
        item["connected_seconds"] = std::chrono::duration<double>(now - c.connected_at).count();
        item["subscriptions"] = c.subscriptions;
        item["pending_bytes"] = c.pending_bytes;
        item["messages_in"] = c.messages_in;
        item["messages_out"] = c.messages_out;
        return item;
      });
  // A worker that did not answer in time leaves its connections out; say so.
  connections_part["complete"] = complete;
  json::object topics_part = page(view.subscribed_targets(query.topics_prefix), query.topics_offset,
                                  query.topics_limit, [](const Router::TargetCount& t) {
                                    json::object item;
                                    item["topic"] = t.target;
                                    item["subscribers"] = t.subscribers;
                                    return item;
                                  });
  topics_part["prefix"] = query.topics_prefix;
  json::object body;
  body["server"] = server_part(view, m);
  body["totals"] = totals_part(m);
  body["connections"] = std::move(connections_part);
  body["topics"] = std::move(topics_part);
  return json::serialize(body) + "\n";
}

}  // namespace chatbus::admin_detail
