// episodes: the kinds of client a soak slot plays, one connection lifetime
// each. Each counts what it injected in Stats::faults and reports broken
// rules as violations; exceptions leave through run_slot.
#pragma once

#include "context.hpp"

namespace chatbus::soak {

/// SUBs a few topics, pipelines valid PUBs, records the acknowledged ones,
/// then leaves in one of several ways (QUIT, close, reset, mid-line).
asio::awaitable<void> publisher_episode(Context& context, std::size_t slot);
/// SUBs a few topics (or the pattern), reads for a while checking that
/// seqs increase, then leaves in one of several ways.
asio::awaitable<void> subscriber_episode(Context& context);
/// A subscriber with a tiny receive buffer that reads slowly (or, stalled,
/// not at all for a while), fed by its own publisher until flow control
/// skips a MSG; it must then see DROPPED or BYE slow_consumer.
asio::awaitable<void> slow_episode(Context& context, bool stalled);
/// Bad lines (random bytes, over-long lines, bad commands): each gets an
/// ERR, and max_bad_lines in a row get BYE protocol_error.
asio::awaitable<void> garbage_episode(Context& context);
/// Connects and sends nothing: BYE idle_timeout.
asio::awaitable<void> idle_episode(Context& context);

/// Ends a connection in a random way: QUIT, close, reset, half a line then
/// close or reset, or a reset while the server writes replies to us.
asio::awaitable<void> leave(Context& context, Connection& connection, bool subscribed);

}  // namespace chatbus::soak
