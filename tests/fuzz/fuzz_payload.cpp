// fuzz_payload: the input is one PUB payload, canonicalized with every
// PayloadSchema. Invariants (a violation traps):
// - the reason is empty exactly when the payload is accepted, and never holds
//   LF or CR (it goes on an `ERR bad_payload` line);
// - an accepted payload's output is accepted again, with the same bytes
//   (fixed point), and is appended after whatever `out` already held;
// - the any_object output is, as a JSON value, the input itself;
// - the chat_stream output is the any_object output with the known keys'
//   null and zero values dropped, known keys first in struct order, then the
//   unknown keys as given; the schemas accept and reject exactly as that
//   model predicts (strict also refuses unknown keys).
#include "chatbus/notify_message.hpp"

#include <boost/json.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace {

namespace json = boost::json;
using chatbus::PayloadSchema;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

constexpr std::array<std::string_view, 9> known_keys{
    "after_message_id", "status", "worker_id", "retry",       "error_payload",
    "error",            "queue_update", "full_refresh", "wake_only"};

std::optional<std::size_t> known_index(std::string_view key) {
  for (std::size_t i = 0; i < known_keys.size(); ++i) {
    if (known_keys[i] == key) return i;
  }
  return std::nullopt;
}

/// Boost.JSON 1.81 parses doubles imprecisely (and `0e<huge>` as NaN); the
/// broker exactly. Accept a few ulps of difference or a non-finite Boost
/// reading (no output the broker accepts is non-finite), and compare
/// int64/uint64 by value.
bool same_number(const json::value& a, const json::value& b) {
  if (a.is_double() || b.is_double()) {
    if (!a.is_double() || !b.is_double()) return false;
    const double x = a.get_double(), y = b.get_double();
    if (x == y) return true;
    // Boost.JSON 1.81 reads `0e20020` as NaN; the broker, rightly, as 0.
    if (!std::isfinite(x) || !std::isfinite(y)) return true;
    return std::fabs(x - y) <= 1e-14 * std::fmax(std::fabs(x), std::fabs(y));
  }
  return a == b;  // int64 vs uint64 compare by value in Boost.JSON
}

bool same_value(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return same_number(a, b);
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!same_value(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    // Order matters too: the canonical forms keep or define the key order.
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    auto i = x.begin();
    auto j = y.begin();
    for (; i != x.end(); ++i, ++j) {
      if (i->key() != j->key() || !same_value(i->value(), j->value())) return false;
    }
    return true;
  }
  return a == b;
}

std::optional<json::value> parse(std::string_view text) {
  json::parse_options options;
  options.max_depth = 64;  // the broker enforces its own limit of 32
  json::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec, {}, options);
  if (ec) return std::nullopt;
  return v;
}

/// Result of one canonicalization.
struct Outcome {
  bool accepted;
  std::string out;  ///< canonical bytes, when accepted
};

Outcome run(std::string_view input, PayloadSchema schema) {
  std::string out;
  const std::string reason = chatbus::canonicalize_payload(input, schema, out);
  check(reason.find_first_of("\r\n") == std::string::npos);
  const bool accepted = reason.empty();

  // The same call after a prefix appends the same bytes after it.
  std::string prefixed = "OK-prefix ";
  const std::string reason2 = chatbus::canonicalize_payload(input, schema, prefixed);
  check(reason2 == reason);
  if (accepted) {
    check(prefixed.size() == 10 + out.size());
    check(std::string_view(prefixed).substr(10) == out);

    // Fixed point.
    std::string again;
    check(chatbus::canonicalize_payload(out, schema, again).empty());
    check(again == out);
  }
  return {accepted, accepted ? std::move(out) : std::string()};
}

bool is_zero(const json::value& v) {
  if (v.is_null()) return true;
  if (v.is_bool()) return !v.get_bool();
  if (v.is_string()) return v.get_string().empty();
  if (v.is_int64()) return v.get_int64() == 0;
  if (v.is_uint64()) return v.get_uint64() == 0;
  return false;
}

bool has_type(std::size_t field, const json::value& v) {
  switch (field) {
    case 0:
      return (v.is_int64() && v.get_int64() >= 0) ||
             (v.is_uint64() && v.get_uint64() <= std::numeric_limits<std::int64_t>::max());
    case 1: case 2: case 5: return v.is_string();
    case 3: case 4: return v.is_object();
    default: return v.is_bool();
  }
}

/// What chat_stream (strict or not) should make of the any_object form.
/// Returns nullopt when it should reject.
std::optional<json::object> chat_stream_model(const json::object& any, bool strict) {
  std::array<const json::value*, known_keys.size()> known{};
  json::object unknown;
  for (const auto& member : any) {
    const auto field = known_index(member.key());
    if (!field) {
      if (strict) return std::nullopt;
      unknown.emplace(member.key(), member.value());
      continue;
    }
    if (member.value().is_null()) continue;
    if (!has_type(*field, member.value())) return std::nullopt;
    if (is_zero(member.value())) continue;
    known[*field] = &member.value();
  }
  json::object expected;
  for (std::size_t i = 0; i < known.size(); ++i) {
    if (known[i]) expected.emplace(known_keys[i], *known[i]);
  }
  for (const auto& member : unknown) expected.emplace(member.key(), member.value());
  if (expected.empty()) return std::nullopt;
  return expected;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Outcome any = run(input, PayloadSchema::any_object);
  const Outcome chat = run(input, PayloadSchema::chat_stream);
  const Outcome strict = run(input, PayloadSchema::chat_stream_strict);

  // The schemas only narrow what any_object accepts.
  if (chat.accepted) check(any.accepted);
  if (strict.accepted) check(chat.accepted && strict.out == chat.out);
  if (!any.accepted) return 0;

  const std::optional<json::value> parsed_any = parse(any.out);
  check(parsed_any.has_value() && parsed_any->is_object());
  // The input itself parses to the same value. Boost.JSON 1.81 refuses some
  // valid numbers the broker reads exactly (`0e417` is 0), so an input Boost
  // cannot parse is not compared.
  const std::optional<json::value> parsed_input = parse(input);
  if (parsed_input) check(same_value(*parsed_input, *parsed_any));

  for (const Outcome* outcome : {&chat, &strict}) {
    const auto expected = chat_stream_model(parsed_any->get_object(), outcome == &strict);
    check(expected.has_value() == outcome->accepted);
    if (!outcome->accepted) continue;
    const std::optional<json::value> parsed = parse(outcome->out);
    check(parsed.has_value() && same_value(*parsed, json::value(*expected)));
  }
  return 0;
}
