// json_canonical: the schema-free half of PUB payload checking.
//
// One pass of Boost.JSON's SAX parser (no DOM) validates a JSON text and
// appends its canonical compact form to an output string: no insignificant
// white space, keys in the order given, strings re-escaped minimally,
// integers exact, every other number as the shortest round-trip double. It
// rejects what PROTOCOL.md ("Payloads") forbids beyond plain JSON syntax:
// invalid UTF-8 and lone surrogates, a key given twice in one object
// (compared after unescaping), nesting deeper than `max_json_depth`, and
// numbers that overflow a double. The canonical form is a fixed point:
// canonicalising it again yields the same bytes.
//
// The members of a top-level object are recorded as spans of the output, so
// that a schema (notify_message) can check, drop and reorder them by copying
// bytes, without parsing again.
//
// Pure functions, no shared state: safe to call from any thread.
#pragma once

#include <boost/container/small_vector.hpp>
#include <boost/json/error.hpp>
#include <boost/json/string_view.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chatbus {

/// Nesting limit; the payload's own object or array is level 1.
inline constexpr std::size_t max_json_depth = 32;

/// The JSON type of a value, with the integer cases kept apart.
enum class JsonKind : std::uint8_t {
  null,
  boolean,
  string,
  int64,   ///< an integer from -2^63 to 2^63-1, written without fraction or exponent
  uint64,  ///< an integer from 2^63 to 2^64-1, written without fraction or exponent
  number,  ///< any other number, carried as a double
  object,
  array
};

/// One member of the top-level object, as offsets into the output string.
/// The member's text is [begin, end); its key's escaped bytes are
/// [begin + 1, begin + 1 + key_size), between the quotes.
struct TopMember {
  std::size_t begin;        ///< the key's opening quote
  std::size_t key_size;     ///< bytes of the escaped key, quotes excluded
  std::size_t value_begin;  ///< the value's first byte, after the `:`
  std::size_t end;          ///< one past the value's last byte
  JsonKind kind;            ///< the value's type
  bool zero;                ///< `false`, `""` or an integer 0: what Go's omitempty drops
  bool negative;            ///< an integer below zero
};

/// Top-level members in the order given; inline storage for typical payloads.
using TopMembers = boost::container::small_vector<TopMember, 16>;

/// What the parse found besides the canonical text.
struct CanonicalJson {
  JsonKind root = JsonKind::null;  ///< the type of the whole value
  TopMembers members;              ///< the members when `root` is an object
};

/// The SAX handler that canonicalize_json gives `boost::json::basic_parser`;
/// declared here so its contract sits next to the function's (call the
/// function, not this). Boost calls it in document order and every callback
/// appends to the output at once, so the canonical text is complete when the
/// parse ends. One parse per instance.
class CanonicalHandler {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);  ///< no limit
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);   ///< no limit
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);     ///< no limit
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);  ///< no limit

  CanonicalHandler(std::string& out, TopMembers& members) : out_(out), members_(members) {}

  /// Why a callback stopped the parse; empty if none did.
  std::string_view what() const { return what_; }
  /// The whole value's type, once the parse is complete.
  JsonKind root() const { return root_; }

  using error_code = boost::json::error_code;
  using string_view = boost::json::string_view;
  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code& ec) { return open(true, '{', ec); }
  bool on_object_end(std::size_t, error_code&) { return close('}', JsonKind::object); }
  bool on_array_begin(error_code& ec) { return open(false, '[', ec); }
  bool on_array_end(std::size_t, error_code&) { return close(']', JsonKind::array); }
  bool on_key_part(string_view s, std::size_t, error_code&) { return key_piece(s); }
  bool on_key(string_view s, std::size_t, error_code& ec) { return key_piece(s) && end_key(ec); }
  bool on_string_part(string_view s, std::size_t, error_code&) { return string_piece(s); }
  bool on_string(string_view s, std::size_t total, error_code&) {
    string_piece(s);
    out_ += '"';
    in_string_ = false;
    return end_value(JsonKind::string, total == 0, false);
  }
  // Boost splits a number only at the end of a buffer; canonicalize_json
  // passes one buffer, where that is an error, but the handler stays correct.
  bool on_number_part(string_view s, error_code&) {
    number_text_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t value, string_view, error_code&);
  bool on_uint64(std::uint64_t value, string_view, error_code&);
  bool on_double(double approx, string_view last, error_code& ec);
  bool on_bool(bool value, error_code&) {
    return value ? literal("true", JsonKind::boolean, false)
                 : literal("false", JsonKind::boolean, true);
  }
  bool on_null(error_code&) { return literal("null", JsonKind::null, false); }
  // Comments are off in the parse options; Boost still wants the callbacks.
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  /// A key of an open object: its escaped bytes in the output.
  struct KeyRef {
    std::size_t offset;  ///< first byte after the opening quote
    std::size_t size;    ///< bytes up to the closing quote
  };

  /// An open object or array.
  struct Frame {
    bool is_object = false;            ///< object (has keys) or array
    std::size_t count = 0;             ///< members or elements written so far
    std::size_t first_key = 0;         ///< this object's first entry in keys_
    std::vector<std::uint32_t> index;  ///< hash slots for big objects: 1 + entry in keys_, 0 = free
  };

  std::string_view view(KeyRef key) const { return {out_.data() + key.offset, key.size}; }
  bool fail(error_code& ec, std::string what);
  bool open(bool is_object, char brace, error_code& ec);
  bool close(char brace, JsonKind kind);
  void begin_value();
  bool end_value(JsonKind kind, bool zero, bool negative);
  bool key_piece(string_view s);
  bool end_key(error_code& ec);
  bool string_piece(string_view s);
  bool literal(std::string_view text, JsonKind kind, bool zero);
  bool insert_key(KeyRef key);
  bool probe_insert(Frame& frame, std::size_t entry);

  std::string& out_;                                 ///< the caller's output, appended to
  TopMembers& members_;                              ///< top-level members, as they complete
  std::array<Frame, max_json_depth> frames_;         ///< open containers, outermost first
  std::size_t depth_ = 0;                            ///< open containers
  boost::container::small_vector<KeyRef, 32> keys_;  ///< keys of all open objects, outer first
  TopMember member_{};                               ///< the top-level member being parsed
  std::size_t key_begin_ = 0;                        ///< offset of the key being written
  bool in_key_ = false;                              ///< a key has begun (may arrive in parts)
  bool in_string_ = false;                           ///< a string value has begun
  std::string number_text_;                          ///< a number's earlier parts, if split
  JsonKind root_ = JsonKind::null;                   ///< the whole value's type, once complete
  std::string what_;                                 ///< why a callback stopped the parse
};

/// Validates `json`: exactly one value, white space around it allowed.
/// Appends the canonical form to `out` (offsets in `result` count from the
/// start of `out`, so earlier contents are kept). Returns "" on success,
/// otherwise "<what is wrong>, at byte N of the payload", N being the
/// 0-based offset in `json` where parsing stopped; `out` then holds
/// unspecified bytes.
std::string canonicalize_json(std::string_view json, std::string& out, CanonicalJson& result);

/// `escaped_key` (as stored in the output, JSON-escaped) quoted for an error
/// message: non-ASCII bytes as `\xNN`, long keys cut, so the message stays
/// one short printable line.
std::string quote_key_for_message(std::string_view escaped_key);

}  // namespace chatbus
