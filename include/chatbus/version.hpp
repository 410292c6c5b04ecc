// version: the daemon's version and protocol version, fixed at build time.
#pragma once

namespace chatbus {

inline constexpr const char* version = CHATBUS_VERSION;  ///< from CMake's project()
inline constexpr int protocol_version = 1;               ///< PROTOCOL.md version

}  // namespace chatbus
