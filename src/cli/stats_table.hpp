// stats_table: the readable form of GET /v1/stats (STATS_SCHEMA: server
// line, totals, top connections, topics with their subscriber counts).
// Pure: JSON in, text out. Missing fields show as `-` rather than failing,
// so a daemon a version apart still renders.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>

namespace chatbus::cli {

/// The whole report, `limit` rows per list at most. Throws Failure
/// (ExitCode::refused) if `stats` is not a JSON object.
std::string render_stats(const boost::json::value& stats, unsigned limit);

/// `512 B`, `12.1 KiB`, `3.0 MiB`.
std::string format_bytes(std::uint64_t bytes);
/// `12.5s`, `4m05s`, `3h04m`, `2d03h`.
std::string format_age(double seconds);

}  // namespace chatbus::cli
