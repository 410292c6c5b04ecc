// encode: the client side of the three wire protocols, as appends to an
// output buffer. The hot path (publishing) pre-encodes whole PUB lines once
// per run with these, so their speed matters little; what matters is that
// each broker gets the same topics and payload bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "options.hpp"

namespace chatbus::bench {

/// What a new connection sends first (NATS CONNECT; nothing for the others).
void append_preamble(Broker broker, std::string& out);

/// Subscribe to `topic` (`sid`: NATS subscription id).
void append_subscribe(Broker broker, std::string& out, std::string_view topic, std::uint32_t sid);

/// Publish `payload` on `topic`.
void append_publish(Broker broker, std::string& out, std::string_view topic,
                    std::string_view payload);

/// A PING whose PONG is a barrier (and, for NATS publishers, the PUB "ack").
void append_ping(Broker broker, std::string& out);

/// NATS: the answer to a server PING.
void append_pong(std::string& out);

}  // namespace chatbus::bench
