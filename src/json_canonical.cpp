// json_canonical: see the header. Boost.JSON's basic_parser checks the
// syntax and UTF-8 and calls the handler below, which writes the canonical
// form straight into the caller's string and checks what Boost does not:
// duplicate keys, our depth limit, doubles that overflow.
#include "chatbus/json_canonical.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <array>
#include <bit>
#include <cassert>
#include <charconv>
#include <cmath>
#include <functional>
#include <optional>
#include <system_error>
#include <vector>

namespace chatbus {
namespace {

namespace bj = boost::json;

/// Objects with more keys than this get a hash index for the duplicate check.
constexpr std::size_t linear_key_limit = 16;

/// Lowercase, as Go writes `\u00XX`.
constexpr std::string_view hex_digits = "0123456789abcdef";

// `\xNN`, for bytes that must not appear raw in an error message.
void append_hex_byte(std::string& out, unsigned char c) {
  out += "\\x";
  out += hex_digits[c >> 4];
  out += hex_digits[c & 15];
}

// Minimal escaping: only what JSON requires, so a second pass changes nothing.
void append_escaped(std::string& out, std::string_view s) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex_digits[c >> 4];
        out += hex_digits[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
}

template <class Integer>
void append_integer(std::string& out, Integer value) {
  std::array<char, 24> buf{};
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), result.ptr);
}

// Shortest text that reads back as the same double; `.0` keeps `1500` from
// reading back as an integer.
void append_double(std::string& out, double value) {
  std::array<char, 32> buf{};
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  const std::string_view text(buf.data(), static_cast<std::size_t>(result.ptr - buf.data()));
  out += text;
  if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

// Boost 1.81 converts decimal text to binary inexactly (DBL_MAX comes out as
// inf, 2.2250738585072011e-308 one ulp off), so the value is read again from
// the source, correctly rounded. Boost's `approx` only tells overflow from
// underflow when from_chars reports out of range; underflow rounds to zero.
std::optional<double> exact_double(std::string_view text, double approx) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    if (std::fabs(approx) >= 1.0) return std::nullopt;
    return text.front() == '-' ? -0.0 : 0.0;
  }
  assert(result.ec == std::errc() && result.ptr == text.data() + text.size());
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

bool CanonicalHandler::on_int64(std::int64_t value, string_view, error_code&) {
  number_text_.clear();
  begin_value();
  append_integer(out_, value);  // also turns `-0` into `0`
  return end_value(JsonKind::int64, value == 0, value < 0);
}

bool CanonicalHandler::on_uint64(std::uint64_t value, string_view, error_code&) {
  number_text_.clear();
  begin_value();
  append_integer(out_, value);
  return end_value(JsonKind::uint64, false, false);
}

bool CanonicalHandler::literal(std::string_view text, JsonKind kind, bool zero) {
  begin_value();
  out_ += text;
  return end_value(kind, zero, false);
}

bool CanonicalHandler::fail(error_code& ec, std::string what) {
  what_ = std::move(what);
  ec = bj::error::syntax;  // Boost needs some error; what_ carries the reason
  return false;
}

bool CanonicalHandler::open(bool is_object, char brace, error_code& ec) {
  if (depth_ == max_json_depth) {
    return fail(ec,
                std::string("nesting deeper than ") + std::to_string(max_json_depth) + " levels");
  }
  begin_value();
  out_ += brace;
  Frame& frame = frames_[depth_++];
  frame.is_object = is_object;
  frame.count = 0;
  frame.first_key = keys_.size();
  frame.index.clear();
  return true;
}

bool CanonicalHandler::close(char brace, JsonKind kind) {
  const Frame& frame = frames_[--depth_];
  if (frame.is_object) keys_.resize(frame.first_key);
  out_ += brace;
  return end_value(kind, false, false);
}

// Before a value's first byte: the array separator, or (in the top-level
// object) where the member's value starts. In an object the key wrote `:`.
void CanonicalHandler::begin_value() {
  if (depth_ == 0) return;
  Frame& frame = frames_[depth_ - 1];
  if (!frame.is_object) {
    if (frame.count++ != 0) out_ += ',';
  } else if (depth_ == 1) {
    member_.value_begin = out_.size();
  }
}

bool CanonicalHandler::end_value(JsonKind kind, bool zero, bool negative) {
  if (depth_ == 0) {
    root_ = kind;
  } else if (depth_ == 1 && frames_[0].is_object) {
    member_.end = out_.size();
    member_.kind = kind;
    member_.zero = zero;
    member_.negative = negative;
    members_.push_back(member_);
  }
  return true;
}

bool CanonicalHandler::key_piece(string_view s) {
  if (!in_key_) {
    if (frames_[depth_ - 1].count++ != 0) out_ += ',';
    if (depth_ == 1) member_.begin = out_.size();
    out_ += '"';
    key_begin_ = out_.size();
    in_key_ = true;
  }
  append_escaped(out_, {s.data(), s.size()});
  return true;
}

// Keys are compared in their escaped form: escaping is canonical, so two
// keys are equal after unescaping exactly when their escaped bytes are.
bool CanonicalHandler::end_key(error_code& ec) {
  in_key_ = false;
  const KeyRef key{key_begin_, out_.size() - key_begin_};
  if (depth_ == 1) member_.key_size = key.size;
  out_ += "\":";
  if (insert_key(key)) return true;
  return fail(ec, std::string("duplicate key ") + quote_key_for_message(view(key)));
}

bool CanonicalHandler::string_piece(string_view s) {
  if (!in_string_) {
    begin_value();
    out_ += '"';
    in_string_ = true;
  }
  append_escaped(out_, {s.data(), s.size()});
  return true;
}

// False if the innermost object already has the key. A linear scan for
// small objects; past the limit an open-addressing index kept at most half
// full, so a huge object stays linear in time.
bool CanonicalHandler::insert_key(KeyRef key) {
  Frame& frame = frames_[depth_ - 1];
  const std::size_t count = keys_.size() - frame.first_key;
  if (count < linear_key_limit) {
    for (std::size_t i = frame.first_key; i < keys_.size(); ++i) {
      if (view(keys_[i]) == view(key)) return false;
    }
    keys_.push_back(key);
    return true;
  }
  if (2 * (count + 1) > frame.index.size()) {
    frame.index.assign(std::bit_ceil(4 * (count + 1)), 0);
    for (std::size_t i = frame.first_key; i < keys_.size(); ++i) probe_insert(frame, i);
  }
  keys_.push_back(key);
  return probe_insert(frame, keys_.size() - 1);
}

bool CanonicalHandler::probe_insert(Frame& frame, std::size_t entry) {
  assert(entry < UINT32_MAX);
  const std::string_view key = view(keys_[entry]);
  const std::size_t mask = frame.index.size() - 1;
  const std::size_t hash = std::hash<std::string_view>{}(key);
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    std::uint32_t& used = frame.index[slot];
    if (used == 0) {
      used = static_cast<std::uint32_t>(entry + 1);
      return true;
    }
    if (view(keys_[used - 1]) == key) return false;
  }
}

bool CanonicalHandler::on_double(double approx, string_view last, error_code& ec) {
  std::string_view text(last.data(), last.size());
  if (!number_text_.empty()) {
    number_text_.append(last.data(), last.size());
    text = number_text_;
  }
  const std::optional<double> value = exact_double(text, approx);
  number_text_.clear();
  if (!value) return fail(ec, "number out of range of a 64-bit float");
  begin_value();
  append_double(out_, *value);
  return end_value(JsonKind::number, *value == 0, *value < 0);
}

namespace {

// True if s[at] is a backslash that escapes the next byte (an odd run).
bool is_escaping_backslash(std::string_view s, std::size_t at) {
  std::size_t run = 0;
  while (run <= at && s[at - run] == '\\') ++run;
  return run % 2 == 1;
}

// True if s holds a `\uD800`...`\uDBFF` escape at `pos`.
bool is_high_surrogate_escape(std::string_view s, std::size_t pos) {
  return is_escaping_backslash(s, pos) && s[pos + 1] == 'u' &&
         (s[pos + 2] == 'd' || s[pos + 2] == 'D') &&
         std::string_view("89abAB").find(s[pos + 3]) != std::string_view::npos;
}

// Boost reports a high surrogate escape not followed by a `\u` low one as a
// plain syntax error, at the byte after the escape or after its backslash.
bool follows_high_surrogate(std::string_view s, std::size_t at) {
  if (at >= 7 && s[at - 1] == '\\' && is_high_surrogate_escape(s, at - 7)) return true;
  return at >= 6 && is_high_surrogate_escape(s, at - 6);
}

// Boost's "syntax error" does not tell a client what to fix; look at the
// bytes. Boost stops on a bad UTF-8 sequence at its first or a later byte,
// so a non-ASCII byte at or just before the stop means bad UTF-8 (or a
// non-ASCII character outside any string, equally invalid).
std::string describe_syntax_error(std::string_view json, std::size_t at) {
  if (at >= json.size()) return "unexpected end of the payload";
  if (follows_high_surrogate(json, at)) return "lone UTF-16 surrogate in a \\u escape";
  if (at > 0 && is_escaping_backslash(json, at - 1)) return "invalid escape sequence in a string";
  const auto c = static_cast<unsigned char>(json[at]);
  if (c < 0x20 || c == 0x7f) {
    std::string what = "unexpected control character ";
    append_hex_byte(what, c);
    return c == 0x7f ? what : what + " (inside a string it must be escaped)";
  }
  if (c >= 0x80 || (at > 0 && static_cast<unsigned char>(json[at - 1]) >= 0x80)) {
    return "invalid UTF-8 (or a non-ASCII character outside a string)";
  }
  return std::string("unexpected character '") + static_cast<char>(c) + "'";
}

std::string describe_parse_error(bj::error_code ec, std::string_view json, std::size_t at) {
  if (ec == bj::error::incomplete) {
    const bool blank = json.find_first_not_of(" \t\r\n") == std::string_view::npos;
    return blank ? "payload is empty" : "unexpected end of the payload";
  }
  if (ec == bj::error::syntax) return describe_syntax_error(json, at);
  if (ec == bj::error::exponent_overflow) return "number out of range of a 64-bit float";
  if (ec == bj::error::illegal_leading_surrogate || ec == bj::error::illegal_trailing_surrogate ||
      ec == bj::error::expected_utf16_escape) {
    return "lone UTF-16 surrogate in a \\u escape";
  }
  if (ec == bj::error::expected_hex_digit) return "a \\u escape needs 4 hex digits";
  return ec.message();
}

}  // namespace

std::string canonicalize_json(std::string_view json, std::string& out, CanonicalJson& result) {
  result.members.clear();
  bj::parse_options options;
  options.max_depth = max_json_depth + 1;  // above ours, so the handler's message wins
  bj::basic_parser<CanonicalHandler> parser(options, out, result.members);
  out.reserve(out.size() + json.size() + 16);  // canonical text is rarely longer
  bj::error_code ec;
  const std::size_t used = parser.write_some(false, json.data(), json.size(), ec);
  std::string what;
  if (ec) {
    what = parser.handler().what();
    if (what.empty()) what = describe_parse_error(ec, json, used);
  } else if (used != json.size()) {
    what = "unexpected data after the JSON value";
  } else {
    result.root = parser.handler().root();
    return what;
  }
  return what + ", at byte " + std::to_string(used) + " of the payload";
}

std::string quote_key_for_message(std::string_view escaped_key) {
  constexpr std::size_t max_shown = 64;
  std::string quoted = "\"";
  for (std::size_t i = 0; i < escaped_key.size() && i < max_shown; ++i) {
    const auto c = static_cast<unsigned char>(escaped_key[i]);
    if (c >= 0x20 && c < 0x7f) {
      quoted += static_cast<char>(c);
    } else {
      append_hex_byte(quoted, c);
    }
  }
  if (escaped_key.size() > max_shown) quoted += "...";
  return quoted + '"';
}

}  // namespace chatbus
