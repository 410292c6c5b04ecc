// settings: one generation of what may change while the daemon runs (limits,
// tokens and their permissions, log level), with what the hot paths derive
// from it once: the token table and the HELLO reply.
//
// Threading: a Settings is immutable and shared with std::shared_ptr<const>.
// The broker holds the current one behind a mutex for the cold paths; each
// worker holds its own pointer, replaced by a task posted to it on reload, so
// sessions read their worker's copy on their own thread without any atomic
// or lock (see Worker::update_settings).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "chatbus/config.hpp"
#include "chatbus/token_table.hpp"

namespace chatbus {

struct Settings {
  Config config;                ///< every setting of this generation
  TokenTable tokens;            ///< config.auth_tokens, for AUTH
  std::string hello_reply;      ///< the complete `OK {...}\n` reply to HELLO
  std::uint64_t generation = 0; ///< 1 at startup, +1 per successful reload
};

/// The complete `OK {...}\n` HELLO reply for these limits.
std::string encode_hello(std::size_t max_line, std::size_t max_subs, std::string_view node_id);

/// Builds a generation of settings.
std::shared_ptr<const Settings> make_settings(Config config, std::string_view node_id,
                                              std::uint64_t generation);

}  // namespace chatbus
