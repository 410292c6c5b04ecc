// context: what every soak episode shares: the executor, the daemon's port
// and limits, the random source, the ledger and the counters.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <random>
#include <string>

#include "connection.hpp"
#include "ledger.hpp"
#include "options.hpp"

namespace chatbus::soak {

/// A random UUID in canonical (lower-case) form.
std::string random_uuid(std::mt19937_64& random);

/// The daemon's limits the faults are aimed at (passed to it as flags).
struct Limits {
  std::size_t max_line = 4096;       ///< --max-line
  std::size_t max_pending = 65536;   ///< --max-pending
  unsigned max_bad_lines = 8;        ///< --max-bad-lines
  Duration slow_consumer_timeout{3000};  ///< --slow-consumer-timeout
  Duration idle_timeout{10'000};     ///< --idle-timeout
};

/// A `BYE <reason>` where a reply was expected.
struct Bye : std::runtime_error {
  explicit Bye(const std::string& reason) : std::runtime_error(reason) {}
};

struct Context {
  asio::any_io_executor executor;  ///< the soak's one thread
  std::uint16_t port;              ///< the daemon's
  Limits limits;                   ///< the daemon's limits
  Ledger& ledger;                  ///< acknowledged ids
  Stats& stats;                    ///< counters, violations
  std::mt19937_64 random;          ///< every random choice
  Clock::time_point churn_end;     ///< episodes start until then
  std::size_t sampled = 1;         ///< the first `sampled` topics of the pool are audited

  /// Uniform in [0, n).
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); }
  /// True with probability p.
  bool chance(double p) { return std::bernoulli_distribution(p)(random); }
  /// A random topic of the pool.
  const std::string& any_topic() { return ledger.pool()[pick(ledger.pool().size())]; }
  /// A random audited topic of the pool.
  const std::string& sampled_topic() { return ledger.pool()[pick(sampled)]; }
  /// A random UUID in canonical (lower-case) form.
  std::string uuid() { return random_uuid(random); }
  /// A valid chat:stream payload with `id` as after_message_id.
  std::string payload(std::uint64_t id);
};

/// Reads up to the next reply (OK, PONG, ERR), skipping pushes; throws Bye on
/// a BYE and runtime_error at EOF.
asio::awaitable<std::string> read_reply(Connection& connection);

/// Reads to EOF after a BYE the caller expects (pushes may come first);
/// true if `bye` came and nothing but pushes before it.
asio::awaitable<bool> read_to_bye(Connection& connection, std::string_view bye, Duration timeout);

/// One churning client: runs episodes of random kinds until churn_end.
asio::awaitable<void> run_slot(Context& context, std::size_t slot);

}  // namespace chatbus::soak
