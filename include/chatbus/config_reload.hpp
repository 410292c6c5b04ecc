// config_reload: what a reload (SIGHUP) changes. Compares the running Config
// with one parsed afresh from the same flags, environment and files, keeps
// the running value of every setting that cannot change while the daemon
// runs, and names the changes without any secret (tokens are only counted).
//
// Pure function; the server applies the result (server_reload.cpp).
#pragma once

#include <string>
#include <vector>

#include "chatbus/config.hpp"

namespace chatbus {

struct ReloadPlan {
  Config config;                          ///< what runs from now on
  std::vector<std::string> changes;       ///< applied: "max_subs 10000 -> 5", "auth tokens ..."
  std::vector<std::string> need_restart;  ///< changed but kept until a restart: "threads", ...
};

/// The plan for replacing `running` with `loaded`.
ReloadPlan plan_reload(const Config& running, Config loaded);

}  // namespace chatbus
