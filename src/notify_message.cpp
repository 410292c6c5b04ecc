// notify_message: the ChatStreamNotifyMessage schema on top of
// json_canonical. The generic pass has already validated the payload and
// written it compactly; here the top-level members are checked against the
// Go struct, zero values dropped (omitempty), and the survivors re-assembled
// in struct order by copying their bytes. A payload that is already in that
// order with nothing to drop (what the Go back end sends) is not copied.
#include "chatbus/notify_message.hpp"

#include "chatbus/json_canonical.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace chatbus {
namespace {

/// The JSON type a known key must have.
enum class FieldType : std::uint8_t { message_id, string, object, boolean };

/// One field of the Go struct.
struct KnownField {
  std::string_view key;  ///< its JSON name
  FieldType type;        ///< the type its value must have
};

/// The struct's fields in declaration order, which is json.Marshal's order.
constexpr std::array<KnownField, 9> known_fields{{
    {"after_message_id", FieldType::message_id},
    {"status", FieldType::string},
    {"worker_id", FieldType::string},
    {"retry", FieldType::object},
    {"error_payload", FieldType::object},
    {"error", FieldType::string},
    {"queue_update", FieldType::boolean},
    {"full_refresh", FieldType::boolean},
    {"wake_only", FieldType::boolean},
}};

/// field_index() of a key the struct does not have.
constexpr std::size_t unknown_field = known_fields.size();

/// Marks an absent or dropped field in Selection::known.
constexpr std::size_t absent = static_cast<std::size_t>(-1);

/// The members to write, in output order.
struct Selection {
  std::array<std::size_t, known_fields.size()> known{};    ///< member index per field, or absent
  boost::container::small_vector<std::size_t, 8> unknown;  ///< member indexes, in the order given
  bool in_order = true;  ///< nothing dropped or moved: the parsed text is already the output
};

// Known names need no escaping, so comparing the escaped key is exact.
std::size_t field_index(std::string_view escaped_key) {
  for (std::size_t i = 0; i < known_fields.size(); ++i) {
    if (known_fields[i].key == escaped_key) return i;
  }
  return unknown_field;
}

bool has_type(const TopMember& member, FieldType type) {
  switch (type) {
    case FieldType::message_id: return member.kind == JsonKind::int64 && !member.negative;
    case FieldType::string: return member.kind == JsonKind::string;
    case FieldType::object: return member.kind == JsonKind::object;
    case FieldType::boolean: return member.kind == JsonKind::boolean;
  }
  return false;
}

std::string type_error(const KnownField& field) {
  std::string what(field.key);
  switch (field.type) {
    case FieldType::message_id:
      return what + " must be an integer from 0 to " +
             std::to_string(std::numeric_limits<std::int64_t>::max());
    case FieldType::string: return what + " must be a string";
    case FieldType::object: return what + " must be an object";
    case FieldType::boolean: return what + " must be a boolean";
  }
  return what + " has the wrong type";
}

std::string_view kind_name(JsonKind kind) {
  switch (kind) {
    case JsonKind::null: return "null";
    case JsonKind::boolean: return "a boolean";
    case JsonKind::string: return "a string";
    case JsonKind::int64:
    case JsonKind::uint64:
    case JsonKind::number: return "a number";
    case JsonKind::object: return "an object";
    case JsonKind::array: return "an array";
  }
  return "something else";
}

// Checks each top-level member against the struct and decides where it
// goes. Returns "" or the reason the payload is refused.
std::string select_members(std::string_view out, const TopMembers& members, bool strict,
                           Selection& selection) {
  selection.known.fill(absent);
  std::size_t kept = 0;
  std::size_t previous_rank = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const TopMember& member = members[i];
    const std::string_view key = out.substr(member.begin + 1, member.key_size);
    const std::size_t field = field_index(key);
    if (field == unknown_field) {
      if (strict) {
        return std::string("unknown key ") + quote_key_for_message(key) +
               " (strict_payloads is on)";
      }
      selection.unknown.push_back(i);
    } else if (member.kind != JsonKind::null && !has_type(member, known_fields[field].type)) {
      return type_error(known_fields[field]);
    } else if (member.kind == JsonKind::null || member.zero) {
      selection.in_order = false;  // dropped, as omitempty would
      continue;
    } else {
      selection.known[field] = i;
    }
    ++kept;
    if (field < previous_rank) selection.in_order = false;
    previous_rank = field;
  }
  if (kept != 0) return {};
  return members.empty() ? "payload has no fields"
                         : "payload has no fields left after dropping zero values";
}

// Replaces the parsed object at [base, end of out) by the selected members
// in output order. The result is never longer than the parsed text, so after
// the reserve the copies stay within one buffer and never reallocate.
void assemble(std::string& out, std::size_t base, const TopMembers& members,
              const Selection& selection) {
  const std::size_t parsed_end = out.size();
  out.reserve(parsed_end + (parsed_end - base));
  out += '{';
  const auto copy = [&out, parsed_end](const TopMember& member) {
    if (out.size() != parsed_end + 1) out += ',';
    out.append(out.data() + member.begin, member.end - member.begin);
  };
  for (std::size_t index : selection.known) {
    if (index != absent) copy(members[index]);
  }
  for (std::size_t index : selection.unknown) copy(members[index]);
  out += '}';
  out.erase(base, parsed_end - base);
}

}  // namespace

std::string canonicalize_payload(std::string_view json, PayloadSchema schema, std::string& out) {
  const std::size_t base = out.size();
  // Room for the parse and, for chat_stream, for the re-assembled copy:
  // usually the only allocation of the call.
  const std::size_t copies = schema == PayloadSchema::any_object ? 1 : 2;
  out.reserve(base + copies * (json.size() + 16));
  CanonicalJson parsed;
  std::string reason = canonicalize_json(json, out, parsed);
  if (!reason.empty()) return reason;
  if (parsed.root != JsonKind::object) {
    return std::string("payload must be a JSON object, not ").append(kind_name(parsed.root));
  }
  if (schema == PayloadSchema::any_object) return reason;
  Selection selection;
  reason =
      select_members(out, parsed.members, schema == PayloadSchema::chat_stream_strict, selection);
  if (reason.empty() && !selection.in_order) assemble(out, base, parsed.members, selection);
  return reason;
}

}  // namespace chatbus
