// Session commands: one handler per verb of PROTOCOL.md.
#include <algorithm>

#include "chatbus/broker.hpp"
#include "chatbus/notify_message.hpp"
#include "chatbus/session.hpp"
#include "chatbus/worker.hpp"

namespace chatbus {
namespace {

std::string_view usage_of(Verb verb) {
  switch (verb) {
    case Verb::hello: return "HELLO takes no arguments";
    case Verb::quit: return "QUIT takes no arguments";
    case Verb::auth: return "usage: AUTH <token>";
    case Verb::sub: return "usage: SUB <topic|pattern>";
    case Verb::unsub: return "usage: UNSUB <topic|pattern>";
    case Verb::pub: return "usage: PUB <topic> <json>";
    case Verb::ping: return "usage: PING [text]";
    case Verb::unknown: break;
  }
  return "unknown command; the commands are HELLO AUTH SUB UNSUB PUB PING QUIT";
}

/// Commands allowed before AUTH when tokens are configured.
bool allowed_unauthenticated(Verb verb) {
  return verb == Verb::hello || verb == Verb::ping || verb == Verb::quit || verb == Verb::auth;
}

/// Largest PUB scratch buffer a connection keeps between commands.
constexpr std::size_t max_kept_payload = 16 * 1024;

PayloadSchema schema_for(std::string_view topic, bool strict) {
  if (!is_chat_stream(topic)) return PayloadSchema::any_object;
  return strict ? PayloadSchema::chat_stream_strict : PayloadSchema::chat_stream;
}

}  // namespace

bool Session::dispatch(std::string_view line) {
  const Command command = parse_command(line);
  if (!authenticated_ && !allowed_unauthenticated(command.verb)) {
    reply_error(ErrorCode::unauthorized, "authenticate first with AUTH <token>");
  } else if (!command.well_formed) {
    reply_error(ErrorCode::bad_command, usage_of(command.verb));
  } else {
    switch (command.verb) {
      case Verb::hello: do_hello(); break;
      case Verb::auth: do_auth(command); break;
      case Verb::sub: do_sub(command); break;
      case Verb::unsub: do_unsub(command); break;
      case Verb::pub: do_pub(command); break;
      case Verb::ping:
        reply([&](std::string& out) { append_pong(out, command.text); });
        break;
      case Verb::quit:
        reply([](std::string& out) { append_ok(out); });
        close("quit");
        break;
      case Verb::unknown: break;  // not well formed, answered above
    }
  }
  return state_ == State::open;
}

void Session::reply_error(ErrorCode code, std::string_view message) {
  queue_text([&](std::string& out) { append_err(out, code, message); });
  worker_.metrics().errors[static_cast<std::size_t>(code)].add();
  // The server's own overload is not the client's mistake: it neither counts
  // towards protocol_error nor breaks a row of mistakes.
  if (code == ErrorCode::overloaded) return;
  ++bad_lines_in_a_row_;
  const unsigned limit = worker_.settings().config.max_bad_lines;
  if (limit > 0 && bad_lines_in_a_row_ >= limit) close("protocol_error");
}

void Session::do_hello() {
  const Settings& settings = worker_.settings();
  if (framer_.max_line() == settings.config.max_line) {
    reply([&](std::string& out) { out.append(settings.hello_reply); });
    return;
  }
  // Made before a reload changed max_line, which only new connections get.
  const std::string hello = encode_hello(framer_.max_line(), settings.config.max_subs, broker_.node_id());
  reply([&](std::string& out) { out.append(hello); });
}

TopicKind Session::parse_target(std::string_view text) {
  const TopicKind kind = parse_topic_or_pattern(text, canonical_);
  if (kind == TopicKind::invalid) reply_error(ErrorCode::bad_topic, bad_topic_reason(text));
  return kind;
}

std::vector<std::string>::iterator Session::find_subscription(bool& found) {
  const auto it = std::lower_bound(subscriptions_.begin(), subscriptions_.end(), canonical_);
  found = it != subscriptions_.end() && *it == canonical_;
  return it;
}

void Session::do_sub(const Command& command) {
  const TopicKind kind = parse_target(command.argument);
  if (kind == TopicKind::invalid) return;
  if (grants_ != nullptr && !grants_->may_subscribe(kind, canonical_)) {
    deny("subscribe to", canonical_);
    return;
  }
  bool found;
  const auto it = find_subscription(found);
  if (!found) {  // subscribing again changes nothing
    const std::size_t limit = worker_.settings().config.max_subs;
    if (subscriptions_.size() >= limit) {
      reply_error(ErrorCode::too_many_subscriptions,
                  "at most " + std::to_string(limit) + " subscriptions per connection");
      return;
    }
    subscriptions_.insert(it, canonical_);
    broker_.router().subscribe(*this, kind, canonical_);
  }
  reply([&](std::string& out) { append_ok(out, canonical_); });
}

void Session::do_unsub(const Command& command) {
  const TopicKind kind = parse_target(command.argument);
  if (kind == TopicKind::invalid) return;
  bool found;
  const auto it = find_subscription(found);
  if (!found) {
    reply_error(ErrorCode::not_subscribed, "not subscribed to " + canonical_);
    return;
  }
  broker_.router().unsubscribe(*this, kind, canonical_);
  subscriptions_.erase(it);
  reply([&](std::string& out) { append_ok(out, canonical_); });
}

void Session::do_pub(const Command& command) {
  const TopicKind kind = parse_topic_or_pattern(command.argument, canonical_);
  if (kind != TopicKind::topic) {
    reply_error(ErrorCode::bad_topic, kind == TopicKind::pattern
                                          ? std::string_view("PUB takes a topic, not a pattern")
                                          : bad_topic_reason(command.argument));
    return;
  }
  if (grants_ != nullptr && !grants_->may_publish(canonical_)) {
    deny("publish to", canonical_);
    return;
  }
  if (broker_.outbound_overloaded()) {
    // Refused before it takes a sequence number: a retry later is safe.
    reply_error(ErrorCode::overloaded, "the server's buffers for queued messages are full; retry later");
    return;
  }
  payload_.clear();
  const std::string problem = canonicalize_payload(
      command.text, schema_for(canonical_, worker_.settings().config.strict_payloads), payload_);
  if (!problem.empty()) {
    if (payload_.capacity() > max_kept_payload) std::string().swap(payload_);
    reply_error(ErrorCode::bad_payload, problem);
    return;
  }
  const std::size_t queued = broker_.router().publish(canonical_, payload_, worker(), last_input_at_);
  ++messages_in_;
  worker_.metrics().messages_published.add();
  // Keep the scratch for the next PUB, unless one huge payload grew it.
  if (payload_.capacity() > max_kept_payload) std::string().swap(payload_);
  // Hand this thread's deliveries over now rather than at the posted drain:
  // a publisher subscribed to its own topic then sees its MSG before the
  // replies to the commands it pipelined after the PUB.
  if (worker_.mailbox().maybe_pending()) worker_.drain_mailbox();
  reply([&](std::string& out) { append_ok(out, static_cast<std::uint64_t>(queued)); });
}

}  // namespace chatbus
