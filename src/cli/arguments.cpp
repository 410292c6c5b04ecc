#include "cli/arguments.hpp"

#include "chatbus/duration_size.hpp"
#include "chatbus/version.hpp"
#include "cli/failure.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

namespace chatbus::cli {
namespace {

constexpr const char* exit_code_help =
    "Exit codes: 0 success; 1 the server refused (ERR, or a BYE not asked for); 2 usage error;\n"
    "3 cannot connect, connection lost or no reply in time (also BYE shutdown); 4 authentication failed.\n"
    "See docs/cli.md.";

/// Raw text of the options that need checking after CLI11 is done.
struct RawOptions {
  std::string addr = "127.0.0.1:7420";   ///< --addr
  std::string token;                     ///< --token
  std::string token_file;                ///< --token-file
  std::string timeout = "10s";           ///< --timeout
  std::string admin_addr = "127.0.0.1:7421";  ///< stats --admin-addr
  std::string retry_max = "5s";          ///< sub --retry-max
  std::string payload;                   ///< pub's optional json
  bool json = false;                     ///< sub --json
  bool human = false;                    ///< sub --human
  bool no_reconnect = false;             ///< sub --no-reconnect
};

Address address_option(const std::string& name, const std::string& text) {
  auto address = parse_address(text);
  if (!address) throw CLI::ValidationError(name, "'" + text + "' is not host:port (port 1-65535)");
  return *address;
}

std::chrono::milliseconds duration_option(const std::string& name, const std::string& text) {
  auto duration = parse_duration(text);
  if (!duration || duration->count() == 0) {
    throw CLI::ValidationError(name, "'" + text + "' is not a positive duration (500ms, 10s, 1m)");
  }
  return *duration;
}

/// The first line of the token file, trailing blanks removed.
std::string read_token_file(const std::string& path) {
  std::ifstream file(path);
  std::string token;
  if (!file || !std::getline(file, token)) {
    throw CLI::ValidationError("--token-file", "cannot read a token from '" + path + "'");
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  return token;
}

std::optional<std::string> token_option(const RawOptions& raw) {
  // The file beats --token/CHATBUS_TOKEN: it is the safer of the two.
  std::string token = raw.token_file.empty() ? raw.token : read_token_file(raw.token_file);
  if (token.empty() && raw.token_file.empty()) return std::nullopt;
  if (token.empty() || token.find_first_of(" \t\r\n") != std::string::npos) {
    throw CLI::ValidationError("--token", "a token is one word: not empty, no blanks");
  }
  return token;
}

void add_common(CLI::App& app, RawOptions& raw) {
  app.add_option("--addr", raw.addr, "broker address host:port")
      ->envname("CHATBUS_ADDR")
      ->capture_default_str();
  app.add_option("--token", raw.token, "AUTH token (prefer --token-file or CHATBUS_TOKEN)")
      ->envname("CHATBUS_TOKEN");
  app.add_option("--token-file", raw.token_file, "read the AUTH token from the first line of this file")
      ->envname("CHATBUS_TOKEN_FILE");
  app.add_option("--timeout", raw.timeout, "limit for connecting and for each reply (500ms, 10s, 1m)")
      ->capture_default_str();
}

void add_sub(CLI::App& app, Invocation& inv, RawOptions& raw) {
  auto* sub = app.add_subcommand("sub", "subscribe and print every message (JSON lines when not a terminal)");
  sub->add_option("targets", inv.sub.targets, "topics or patterns (chat:stream:*)")->required();
  auto* json = sub->add_flag("--json", raw.json, "one JSON object per line, even on a terminal");
  sub->add_flag("--human", raw.human, "the human format, even when not a terminal")->excludes(json);
  sub->add_option("--count", inv.sub.count, "exit 0 after this many messages")->check(CLI::PositiveNumber);
  sub->add_flag("--no-reconnect", raw.no_reconnect, "exit when the connection is lost instead of retrying");
  sub->add_option("--retry-max", raw.retry_max, "longest delay between reconnect attempts")
      ->capture_default_str();
}

void add_pub(CLI::App& app, Invocation& inv, RawOptions& raw) {
  auto* pub = app.add_subcommand("pub", "publish one JSON payload, or one per line of stdin");
  pub->add_option("topic", inv.pub.topic, "topic to publish to")->required();
  pub->add_option("json", raw.payload, "the payload; without it, payloads are read from stdin");
  pub->add_option("--window", inv.pub.window, "stdin: PUBs in flight before waiting for replies")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
}

void add_ping(CLI::App& app, Invocation& inv) {
  auto* ping = app.add_subcommand("ping", "time PING/PONG round trips");
  ping->add_option("--count", inv.ping.count, "round trips")->check(CLI::Range(1, 1'000'000))->capture_default_str();
}

void add_stats(CLI::App& app, Invocation& inv, RawOptions& raw) {
  auto* stats = app.add_subcommand("stats", "show the daemon's statistics (admin endpoint GET /v1/stats)");
  stats->add_option("--admin-addr", raw.admin_addr, "admin endpoint host:port")
      ->envname("CHATBUS_ADMIN_ADDR")
      ->capture_default_str();
  stats->add_flag("--json", inv.stats.json, "print the JSON body as is");
  stats->add_option("--prefix", inv.stats.prefix, "only topics starting with this");
  stats->add_option("--limit", inv.stats.limit, "topics and connections to list")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
}

CommandName chosen(const CLI::App& app) {
  const std::string name = app.get_subcommands().front()->get_name();
  if (name == "sub") return CommandName::sub;
  if (name == "pub") return CommandName::pub;
  if (name == "stats") return CommandName::stats;
  return CommandName::ping;
}

/// Checks and converts what CLI11 left as text.
void finish(const CLI::App& app, Invocation& inv, const RawOptions& raw) {
  inv.command = chosen(app);
  inv.common.addr = address_option("--addr", raw.addr);
  inv.common.token = token_option(raw);
  inv.common.timeout = duration_option("--timeout", raw.timeout);
  inv.stats.admin = address_option("--admin-addr", raw.admin_addr);
  inv.sub.retry_max = std::max(duration_option("--retry-max", raw.retry_max), inv.sub.retry_min);
  inv.sub.reconnect = !raw.no_reconnect;
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  const bool json = raw.json || (!raw.human && !terminal);
  inv.sub.format = json ? OutputFormat::json : OutputFormat::human;
  inv.sub.color = !json && terminal && std::getenv("NO_COLOR") == nullptr;
  if (inv.command == CommandName::pub && app.get_subcommands().front()->get_option("json")->count() > 0) {
    inv.pub.payload = raw.payload;
  }
}

}  // namespace

std::optional<Invocation> parse_arguments(int argc, const char* const* argv, int& exit_code, std::ostream& out,
                                          std::ostream& err) {
  Invocation inv;
  RawOptions raw;
  CLI::App app{"chatbus: command-line client for the chatbusd pub/sub broker", "chatbus"};
  app.set_version_flag("--version", std::string("chatbus ") + chatbus::version);
  app.require_subcommand(1);
  app.fallthrough();  // common options may also follow the command
  app.footer(exit_code_help);
  add_common(app, raw);
  add_sub(app, inv, raw);
  add_pub(app, inv, raw);
  add_ping(app, inv);
  add_stats(app, inv, raw);
  try {
    app.parse(argc, argv);
    finish(app, inv, raw);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e, out, err) == 0 ? 0 : static_cast<int>(ExitCode::usage);
    return std::nullopt;
  }
  exit_code = 0;
  return inv;
}

}  // namespace chatbus::cli
