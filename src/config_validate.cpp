// config_validate: turns the raw option text CLI11 collected into a Config,
// checking every value against its documented range. Each message names the
// option and what it accepts, so the operator can fix the value without
// reading --help. Auth tokens are secrets: they are never echoed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <system_error>

#include "chatbus/duration_size.hpp"
#include "chatbus/tls_context.hpp"
#include "config_options.hpp"

namespace chatbus::config_detail {
namespace {

/// Longest piece of a bad value echoed back; a huge env value stays one short line.
constexpr std::size_t max_echo = 64;

/// `text` in double quotes, control characters escaped, cut to max_echo bytes,
/// so an error message is always a single readable line.
std::string quoted(std::string_view text) {
  constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text.substr(0, max_echo)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += text.size() > max_echo ? "\"..." : "\"";
  return out;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

/// A plain unsigned decimal number with optional surrounding blanks.
std::optional<std::uint64_t> parse_whole(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// The value in the option's base unit (count, bytes or milliseconds).
std::optional<std::uint64_t> parse_in_unit(Unit unit, std::string_view text) {
  if (unit == Unit::count) return parse_whole(text);
  if (unit == Unit::size) return parse_size(text);
  const auto duration = parse_duration(text);
  if (!duration) return std::nullopt;
  return static_cast<std::uint64_t>(duration->count());
}

const char* unit_noun(Unit unit) {
  switch (unit) {
    case Unit::count:
      return "a whole number";
    case Unit::size:
      return "a size";
    case Unit::duration:
    case Unit::whole_seconds:
      return "a duration";
  }
  return "a value";
}

std::string check_numeric(const NumericOption& option, const RawValue& raw, Config& config) {
  if (!raw.given) return {};
  const std::string lead = std::string("--") + option.name + ": " + quoted(raw.text);
  const std::string expected = "; expected " + range_text(option);
  const auto value = parse_in_unit(option.unit, raw.text);
  if (!value) return lead + " is not " + unit_noun(option.unit) + expected;
  if (option.unit == Unit::whole_seconds && *value % 1000 != 0) {
    return lead + " is not a whole number of seconds" + expected;
  }
  if (*value < option.min || *value > option.max) return lead + " is out of range" + expected;
  option.set(config, *value);
  return {};
}

std::string check_address(const RawValue& raw, std::string_view option, std::string& out) {
  if (!raw.given) return {};
  in6_addr address{};  // large enough for either family; only the verdict is used
  if (inet_pton(AF_INET, raw.text.c_str(), &address) != 1 &&
      inet_pton(AF_INET6, raw.text.c_str(), &address) != 1) {
    return "--" + std::string(option) + ": " + quoted(raw.text) +
           " is not an IP address; expected an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 "
           "or ::";
  }
  out = raw.text;
  return {};
}

std::string check_log(const RawConfig& raw, Config& config) {
  if (raw.log_level.given) {
    const std::string level = lowercase(raw.log_level.text);
    if (std::find(std::begin(log_levels), std::end(log_levels), level) == std::end(log_levels)) {
      return "--log-level: " + quoted(raw.log_level.text) +
             " is not a log level; expected one of trace, debug, info, warn, error, critical, off";
    }
    config.log_level = level;
  }
  if (raw.log_format.given) {
    const std::string format = lowercase(raw.log_format.text);
    if (format != "text" && format != "json") {
      return "--log-format: " + quoted(raw.log_format.text) +
             " is not a log format; expected text or json";
    }
    config.log_format = format == "json" ? LogFormat::json : LogFormat::text;
  }
  return {};
}

std::string check_bool(const RawValue& raw, std::string_view option, bool& out) {
  if (!raw.given) return {};
  const std::string value = lowercase(raw.text);
  if (value == "true" || value == "1" || value == "yes" || value == "on") {
    out = true;
  } else if (value == "false" || value == "0" || value == "no" || value == "off") {
    out = false;
  } else {
    return "--" + std::string(option) + ": " + quoted(raw.text) +
           " is not a boolean; expected true or false (also 1/0, yes/no, on/off)";
  }
  return {};
}

/// Entries from --auth-token (each value may hold several, see
/// parse_token_value) and from the token file. Messages never quote a token.
std::string check_tokens(const RawConfig& raw, Config& config) {
  for (const std::string& value : raw.auth_tokens) {
    if (std::string problem = parse_token_value(value, config.auth_tokens); !problem.empty()) {
      return "--auth-token: " + problem;
    }
  }
  const std::size_t from_values = config.auth_tokens.size();
  if (raw.auth_token_file.given) {
    const std::string& path = raw.auth_token_file.text;
    if (path.empty()) return "--auth-token-file: the path is empty";
    if (std::string problem = read_token_file(path, config.auth_tokens); !problem.empty()) {
      return "--auth-token-file " + problem;
    }
    config.auth_token_file = path;
  }
  const std::size_t duplicate = find_duplicate_token(config.auth_tokens);
  if (duplicate == config.auth_tokens.size()) return {};
  if (duplicate < from_values) return "--auth-token: the same token is given twice";
  return "--auth-token-file " + config.auth_token_file +
         ": a token in it is also given with --auth-token";
}

/// The TLS files come as a set: a certificate and its key, or neither; each
/// must be a readable file. Whether they parse and match is checked by
/// building the TLS context once (tls_context.cpp), so the daemon never starts
/// with a setting it would only refuse at its first connection.
std::string check_tls(const RawConfig& raw, Config& config) {
  const auto given = [](const RawValue& value) { return value.given && !value.text.empty(); };
  if (!given(raw.tls_cert) && !given(raw.tls_key) && !given(raw.tls_ca)) return {};
  if (!given(raw.tls_cert)) {
    return std::string(given(raw.tls_key) ? "--tls-key" : "--tls-ca") +
           " is set but --tls-cert is not; TLS needs --tls-cert and --tls-key";
  }
  if (!given(raw.tls_key)) return "--tls-cert is set but --tls-key is not; TLS needs both";
  for (const auto& [name, value] : {std::pair{"--tls-cert", &raw.tls_cert}, std::pair{"--tls-key", &raw.tls_key},
                                    std::pair{"--tls-ca", &raw.tls_ca}}) {
    if (!given(*value)) continue;
    struct stat info {};
    if (::stat(value->text.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || ::access(value->text.c_str(), R_OK) != 0) {
      return std::string(name) + ": " + quoted(value->text) + " is not a readable file";
    }
  }
  config.tls_cert = raw.tls_cert.text;
  config.tls_key = raw.tls_key.text;
  if (given(raw.tls_ca)) config.tls_ca = raw.tls_ca.text;
  return tls_setup_problem(config);
}

}  // namespace

std::string validate(const RawConfig& raw, Config& config) {
  std::string problem;
  for (const NumericOption& option : numeric_options()) {
    if (problem = check_numeric(option, raw.*option.raw, config); !problem.empty()) return problem;
  }
  if (problem = check_address(raw.bind, "bind", config.bind); !problem.empty()) return problem;
  if (problem = check_address(raw.admin_bind, "admin-bind", config.admin_bind); !problem.empty()) {
    return problem;
  }
  if (problem = check_bool(raw.strict_payloads, "strict-payloads", config.strict_payloads);
      !problem.empty()) {
    return problem;
  }
  if (problem = check_bool(raw.admin, "admin", config.admin); !problem.empty()) return problem;
  if (problem = check_log(raw, config); !problem.empty()) return problem;
  if (problem = check_tokens(raw, config); !problem.empty()) return problem;
  if (problem = check_tls(raw, config); !problem.empty()) return problem;
  return {};
}

}  // namespace chatbus::config_detail
