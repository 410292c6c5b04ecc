// config_reload: see config_reload.hpp. The numeric settings come from the
// same table as their options, so a new one is covered without a change here;
// a new setting that cannot change at runtime must be added to restart_only.
#include "chatbus/config_reload.hpp"

#include <algorithm>
#include <string_view>

#include "config_options.hpp"

namespace chatbus {
namespace {

using namespace config_detail;

/// Numeric settings fixed for the life of the process: the listening
/// sockets, the threads, and the router's topic expiry, which is set up once.
constexpr std::string_view restart_only[] = {"port", "admin-port", "threads", "topic-ttl"};

bool needs_restart(std::string_view name) {
  return std::find(std::begin(restart_only), std::end(restart_only), name) != std::end(restart_only);
}

void compare_numeric(const Config& running, ReloadPlan& plan) {
  for (const NumericOption& option : numeric_options()) {
    const std::uint64_t before = option.get(running);
    const std::uint64_t after = option.get(plan.config);
    if (before == after) continue;
    if (needs_restart(option.name)) {
      plan.need_restart.push_back(file_key(option.name));
      option.set(plan.config, before);
      continue;
    }
    plan.changes.push_back(file_key(option.name) + " " + format_value(option.unit, before) + " -> " +
                           format_value(option.unit, after));
  }
}

void compare_tokens(const Config& running, ReloadPlan& plan) {
  if (running.auth_token_file != plan.config.auth_token_file) {
    plan.changes.push_back("auth_token_file \"" + running.auth_token_file + "\" -> \"" +
                           plan.config.auth_token_file + "\"");
  }
  if (running.auth_tokens == plan.config.auth_tokens) return;
  // Counted, never shown.
  plan.changes.push_back("auth tokens or permissions (" + std::to_string(plan.config.auth_tokens.size()) +
                         " token(s), were " + std::to_string(running.auth_tokens.size()) + ")");
}

void compare_others(const Config& running, ReloadPlan& plan) {
  Config& next = plan.config;
  if (running.bind != next.bind) {
    plan.need_restart.push_back("bind");
    next.bind = running.bind;
  }
  // The TLS context is built once, with the listener.
  if (running.tls_cert != next.tls_cert || running.tls_key != next.tls_key || running.tls_ca != next.tls_ca) {
    plan.need_restart.push_back("tls_cert/tls_key/tls_ca");
    next.tls_cert = running.tls_cert;
    next.tls_key = running.tls_key;
    next.tls_ca = running.tls_ca;
  }
  if (running.admin != next.admin) {
    plan.need_restart.push_back("admin");
    next.admin = running.admin;
  }
  if (running.admin_bind != next.admin_bind) {
    plan.need_restart.push_back("admin_bind");
    next.admin_bind = running.admin_bind;
  }
  if (running.log_format != next.log_format) {
    plan.need_restart.push_back("log_format");
    next.log_format = running.log_format;
  }
  if (running.log_level != next.log_level) {
    plan.changes.push_back("log_level " + running.log_level + " -> " + next.log_level);
  }
  if (running.strict_payloads != next.strict_payloads) {
    plan.changes.push_back(std::string("strict_payloads ") + (next.strict_payloads ? "true" : "false"));
  }
  // Only the startup warning reads it.
  next.auth_tokens_on_command_line = running.auth_tokens_on_command_line;
}

}  // namespace

ReloadPlan plan_reload(const Config& running, Config loaded) {
  ReloadPlan plan{std::move(loaded), {}, {}};
  compare_numeric(running, plan);
  compare_others(running, plan);
  compare_tokens(running, plan);
  return plan;
}

}  // namespace chatbus
