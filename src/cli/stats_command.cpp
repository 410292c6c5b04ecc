// `chatbus stats`: GET /v1/stats from the admin endpoint and print it as a
// table, or as the JSON body it is.
#include "cli/commands.hpp"
#include "cli/http_get.hpp"
#include "cli/stats_table.hpp"

#include <boost/json/parse.hpp>

#include <iostream>

namespace chatbus::cli {

ExitCode run_stats(const Invocation& invocation) {
  const auto& options = invocation.stats;
  const std::string limit = std::to_string(options.limit);
  std::string target = "/v1/stats?topics_limit=" + limit + "&connections_limit=" + limit;
  if (!options.prefix.empty()) target += "&topics_prefix=" + url_encode(options.prefix);
  HttpReply reply = http_get(options.admin, target, invocation.common.timeout);
  if (reply.status != 200) {
    throw Failure(ExitCode::refused, "GET " + target + " on " + options.admin.text() + ": HTTP " +
                                         std::to_string(reply.status) + " " + reply.body);
  }
  if (options.json) {
    std::cout << reply.body;
    if (!reply.body.ends_with('\n')) std::cout << '\n';
    return ExitCode::ok;
  }
  boost::system::error_code ec;
  auto stats = boost::json::parse(reply.body, ec);
  if (ec) throw Failure(ExitCode::refused, "the stats endpoint sent invalid JSON: " + ec.message());
  std::cout << render_stats(stats, options.limit);
  return ExitCode::ok;
}

}  // namespace chatbus::cli
