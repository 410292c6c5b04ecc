// config: chatbusd's command line, CHATBUS_* environment and TOML config file,
// parsed with CLI11 into a validated Config (precedence flag > env > file >
// default; see config_file.hpp for how that is obtained from CLI11 2.1.2).
//
// CLI11 only collects text here: every option is bound to a string and
// checked afterwards in config_validate.cpp, so that each error names the
// option and its accepted range in our words, and so that a value CLI11 would
// echo (an auth token) never reaches a message.
#include "chatbus/config.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "chatbus/version.hpp"
#include "config_file.hpp"
#include "config_options.hpp"

namespace chatbus {
namespace {

using namespace config_detail;

constexpr const char* footer =
    "Every option can also be set as CHATBUS_<OPTION> in the environment (CHATBUS_MAX_LINE)\n"
    "or as a key in the --config file, the option name with underscores (max_line = \"64KiB\",\n"
    "auth_token = [\"a\", \"b\"]). Precedence: flag > environment > config file > default.\n"
    "Sizes are bytes with an optional suffix B, K or KiB, M or MiB (binary). Durations are\n"
    "whole numbers with a suffix ms, s or m; no suffix means seconds (600 = 10m).";

/// What parse_config reads back from CLI11 once parsing is done.
struct Bindings {
  std::vector<std::pair<const CLI::Option*, RawValue*>> scalars;  ///< option, its text
  std::vector<ConfigFile::Key> keys;                              ///< what the config file may hold
};

/// Registers a single-valued option: env variable, file key, help text.
CLI::Option* add_setting(CLI::App& app, Bindings& bindings, const std::string& name, RawValue& raw,
                         const std::string& help) {
  CLI::Option* option = app.add_option("--" + name, raw.text, help)
                            ->envname(env_name(name))
                            // a later flag overrides an earlier one, so scripts can append
                            ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  bindings.scalars.emplace_back(option, &raw);
  bindings.keys.push_back({file_key(name), name, env_name(name), false});
  return option;
}

void add_numeric_options(CLI::App& app, Bindings& bindings, RawConfig& raw) {
  const Config defaults;
  for (const NumericOption& spec : numeric_options()) {
    add_setting(app, bindings, spec.name, raw.*spec.raw,
                std::string(spec.help) + ". Accepted: " + range_text(spec))
        ->type_name(spec.label)
        ->default_str(format_value(spec.unit, spec.get(defaults)))
        ->group(spec.group);
  }
}

void add_other_options(CLI::App& app, Bindings& bindings, RawConfig& raw) {
  const Config defaults;
  add_setting(app, bindings, "bind", raw.bind, "IPv4 or IPv6 address to listen on")
      ->type_name("ADDRESS")
      ->default_str(defaults.bind)
      ->group("Server");
  // No default_str, and CLI11 never echoes a value it only collects: tokens stay unprinted.
  app.add_option("--auth-token", raw.auth_tokens,
                 "Accepted AUTH token entry, '<token> [pub=<prefix>,...] [sub=<prefix>,...]' "
                 "(docs/auth.md); repeatable, and bare tokens may be separated with commas. "
                 "Default: none, which means no authentication. Visible in ps: prefer "
                 "--auth-token-file or the environment")
      ->type_name("TOKEN")
      ->envname(env_name("auth-token"))
      ->allow_extra_args(false)
      ->group("Authentication");
  bindings.keys.push_back({"auth_token", "auth-token", env_name("auth-token"), true});
  add_setting(app, bindings, "auth-token-file", raw.auth_token_file,
              "File of token entries, one per line ('#' comments); read again on SIGHUP")
      ->type_name("FILE")
      ->group("Authentication");
  add_setting(app, bindings, "log-level", raw.log_level,
              "Least severe message logged: trace, debug, info, warn, error, critical or off")
      ->type_name("LEVEL")
      ->default_str(defaults.log_level)
      ->group("Logging");
  add_setting(app, bindings, "log-format", raw.log_format,
              "text, or json (one object per line); logs go to stderr")
      ->type_name("FORMAT")
      ->default_str(defaults.log_format == LogFormat::json ? "json" : "text")
      ->group("Logging");
}

/// A boolean: the bare flag means true; --name=false, env and file take
/// true or false.
void add_bool_flag(CLI::App& app, Bindings& bindings, const std::string& name, RawValue& raw,
                   const std::string& what, bool default_value, const std::string& group) {
  const std::string help = what + ". Default: " + (default_value ? "true" : "false") +
                           ". The bare flag means true; --" + name +
                           "=false, env and file take true or false";
  // Bound to text like every option: config_validate reads true/false from env and file.
  const CLI::Option* option = app.add_flag("--" + name, raw.text, help)
                                  ->envname(env_name(name))
                                  ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
                                  ->group(group);
  bindings.scalars.emplace_back(option, &raw);
  bindings.keys.push_back({file_key(name), name, env_name(name), false});
}

void add_flags(CLI::App& app, Bindings& bindings, RawConfig& raw) {
  const Config defaults;
  add_bool_flag(app, bindings, "strict-payloads", raw.strict_payloads,
                "Reject a chat:stream: payload with an unknown top-level key instead of "
                "forwarding it",
                defaults.strict_payloads, "Payloads");
  add_bool_flag(app, bindings, "admin", raw.admin,
                "Serve the admin HTTP endpoint on --admin-bind:--admin-port", defaults.admin, "Admin");
  add_setting(app, bindings, "admin-bind", raw.admin_bind, "IPv4 or IPv6 address of the admin endpoint")
      ->type_name("ADDRESS")
      ->default_str(defaults.admin_bind)
      ->group("Admin");
}

void add_tls_options(CLI::App& app, Bindings& bindings, RawConfig& raw) {
  add_setting(app, bindings, "tls-cert", raw.tls_cert,
              "PEM certificate chain (server certificate first); with --tls-key, the client "
              "port speaks TLS only. Default: none, plain TCP")
      ->type_name("FILE")
      ->group("TLS");
  add_setting(app, bindings, "tls-key", raw.tls_key, "PEM private key of --tls-cert (not encrypted)")
      ->type_name("FILE")
      ->group("TLS");
  add_setting(app, bindings, "tls-ca", raw.tls_ca,
              "PEM CA certificates; when set, a client must present a certificate signed by one "
              "of them. Default: none, no client certificates")
      ->type_name("FILE")
      ->group("TLS");
}

/// --config, also from CHATBUS_CONFIG. CLI11 2.1.2 reads the config file
/// before any env variable, so an envname() on it is never seen; the
/// variable becomes the option's default instead, marked required so that
/// a missing file or a bad key in it is an error rather than skipped.
void add_config_option(CLI::App& app) {
  const char* from_env = std::getenv("CHATBUS_CONFIG");
  const bool env_set = from_env != nullptr && *from_env != '\0';
  app.set_config("--config", env_set ? from_env : "",
                 "TOML config file (every option, as a key with underscores); also CHATBUS_CONFIG",
                 env_set)
      ->type_name("FILE")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.get_formatter()->label("REQUIRED", "(from CHATBUS_CONFIG)");
}

Bindings define_options(CLI::App& app, RawConfig& raw) {
  Bindings bindings;
  app.footer(footer);
  app.set_version_flag("--version", std::string("chatbusd ") + version,
                       "Print the version and exit");
  add_config_option(app);
  add_other_options(app, bindings, raw);
  add_numeric_options(app, bindings, raw);
  add_flags(app, bindings, raw);
  add_tls_options(app, bindings, raw);
  app.allow_config_extras(false);  // ConfigFile already refuses unknown keys; belt and braces
  app.config_formatter(std::make_shared<ConfigFile>(bindings.keys));
  return bindings;
}

/// Names unknown options without any value attached to them, and only counts
/// stray arguments: either may be an auth token given to a misspelt option.
std::string describe_extras(const std::vector<std::string>& extras) {
  std::string options;
  std::size_t positionals = 0;
  for (const std::string& extra : extras) {
    if (extra.size() < 2 || extra.front() != '-') {
      ++positionals;
      continue;
    }
    // "--name=value" shows as --name; "-xvalue" as -x (the rest may be a value).
    const bool long_form = extra.rfind("--", 0) == 0;
    options += (options.empty() ? "" : ", ") + extra.substr(0, long_form ? extra.find('=') : 2);
  }
  if (!options.empty()) return "unknown option " + options + " (see --help)";
  return std::to_string(positionals) +
         " unexpected argument(s), not shown; chatbusd takes options only, and a flag's value "
         "is attached with '=' (--strict-payloads=false)";
}

std::string describe_file_error(const CLI::App& app, const CLI::FileError& error) {
  const std::string path = app.get_config_ptr()->as<std::string>();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) || !std::ifstream(path).good()) {
    return "--config: \"" + path + "\" is not a readable file";
  }
  return "--config " + path + ": " + error.what();
}

/// True when argv holds `--name` or `--name=...` itself (not from env or file).
bool given_as_flag(int argc, const char* const* argv, std::string_view name) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == name || (arg.starts_with(name) && arg.substr(name.size()).starts_with('='))) return true;
  }
  return false;
}

}  // namespace

std::optional<Config> parse_config(int argc, const char* const* argv, int& exit_code,
                                   std::ostream& out, std::ostream& err) {
  RawConfig raw;
  CLI::App app("chatbusd: a pub/sub broker speaking a line protocol over TCP", "chatbusd");
  const Bindings bindings = define_options(app, raw);
  exit_code = 2;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    exit_code = 0;
    return std::nullopt;
  } catch (const CLI::CallForVersion&) {
    out << "chatbusd " << version << '\n';
    exit_code = 0;
    return std::nullopt;
  } catch (const CLI::ExtrasError&) {
    err << "chatbusd: " << describe_extras(app.remaining()) << '\n';
    return std::nullopt;
  } catch (const CLI::FileError& error) {
    err << "chatbusd: " << describe_file_error(app, error) << '\n';
    return std::nullopt;
  } catch (const CLI::ParseError& error) {
    err << "chatbusd: " << error.what() << '\n';
    return std::nullopt;
  }
  for (const auto& [option, text] : bindings.scalars) text->given = option->count() > 0;
  Config config;
  if (const std::string problem = validate(raw, config); !problem.empty()) {
    err << "chatbusd: " << problem << '\n';
    return std::nullopt;
  }
  config.auth_tokens_on_command_line = given_as_flag(argc, argv, "--auth-token");
  exit_code = 0;
  return config;
}

}  // namespace chatbus
