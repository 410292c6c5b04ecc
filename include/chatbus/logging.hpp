// logging: spdlog set-up for the daemon (level, text or JSON lines on stderr).
// Called once at startup, before any thread is started.
#pragma once

#include <string>

#include "chatbus/config.hpp"

namespace chatbus {

/// Installs the default logger: stderr, the given level and format.
/// Throws std::invalid_argument for an unknown level name.
void setup_logging(const std::string& level, LogFormat format);

/// Any thread: changes the level of the logger setup_logging installed (a
/// reload). Throws std::invalid_argument for an unknown level name.
void set_log_level(const std::string& level);

}  // namespace chatbus
