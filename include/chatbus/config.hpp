// config: every setting of chatbusd, from flags, CHATBUS_* environment
// variables and a TOML config file (precedence: flag > env > file > default).
//
// Only startup code and a reload (SIGHUP, which parses everything again)
// touch this; after parsing, a Config is plain data that the server copies
// where it needs it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "chatbus/auth_token.hpp"

namespace chatbus {

enum class LogFormat { text, json };

/// Every tunable of the daemon, with its documented default.
struct Config {
  using duration = std::chrono::milliseconds;

  std::string bind = "127.0.0.1";              ///< address to listen on
  std::uint16_t port = 7420;                   ///< TCP port; 0 = ephemeral
  unsigned threads = 0;                        ///< I/O threads; 0 = one per core
  std::vector<TokenEntry> auth_tokens;         ///< --auth-token and the token file; empty = no authentication
  std::string auth_token_file;                 ///< read at startup and on reload; "" = none
  bool auth_tokens_on_command_line = false;    ///< an --auth-token flag was given (visible in ps)
  std::string log_level = "info";              ///< spdlog level name
  LogFormat log_format = LogFormat::text;      ///< text or one JSON object a line
  std::size_t max_line = 65536;                ///< bytes per line including LF
  std::size_t max_pending = 8u << 20;          ///< outbound queue bytes per connection
  std::size_t max_total_pending = 1u << 30;    ///< all connections' queued bytes; past it PUB is ERR overloaded
  duration slow_consumer_timeout = std::chrono::seconds(30);
  std::size_t max_subs = 10000;                ///< subscriptions per connection
  std::size_t max_connections = 100000;        ///< concurrent client connections
  duration idle_timeout{0};                    ///< 0 = never
  duration auth_timeout = std::chrono::seconds(5);  ///< 0 = never
  unsigned max_bad_lines = 16;                 ///< ERR replies in a row; 0 = never
  duration topic_ttl = std::chrono::minutes(10);
  duration shutdown_timeout = std::chrono::seconds(5);
  duration tcp_keepalive = std::chrono::seconds(60);  ///< idle time before probes; 0 = off
  bool strict_payloads = false;                ///< reject unknown chat:stream keys
  bool admin = true;                           ///< serve the admin HTTP endpoint
  std::string admin_bind = "127.0.0.1";        ///< address of the admin endpoint
  std::uint16_t admin_port = 7421;             ///< its port; 0 = ephemeral
  std::string tls_cert;                        ///< PEM certificate chain; empty = plain TCP
  std::string tls_key;                         ///< PEM private key of tls_cert
  std::string tls_ca;                          ///< PEM CA bundle; set = clients need a cert it signed

  /// True when the client port speaks TLS.
  bool tls_enabled() const { return !tls_cert.empty(); }
};

/// Parses argv (and the environment, and the config file it names).
/// On success returns the Config. Otherwise returns nullopt and sets
/// `exit_code`: 0 after --help/--version (text written to `out`), 2 for an
/// invalid option or value (a message naming the option written to `err`).
std::optional<Config> parse_config(int argc, const char* const* argv, int& exit_code,
                                   std::ostream& out, std::ostream& err);

}  // namespace chatbus
