// notify_message: validation and canonical re-serialisation of PUB payloads.
//
// Every payload is one JSON object. Outside the `chat:stream:` namespace it is
// forwarded compactly in the order given; inside it, it is a
// ChatStreamNotifyMessage: known keys are type-checked, zero values dropped
// (Go's `omitempty`), and the result written in the Go struct's key order,
// followed by unknown keys as given (see PROTOCOL.md, "Payloads").
//
// Pure functions, no I/O, no shared state: safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace chatbus {

/// How a payload is checked; chosen by the topic's namespace and the config.
enum class PayloadSchema {
  any_object,         ///< any JSON object, forwarded compactly
  chat_stream,        ///< ChatStreamNotifyMessage, unknown keys forwarded
  chat_stream_strict  ///< ChatStreamNotifyMessage, unknown keys rejected
};

/// Validates `json` and appends its canonical form to `out`.
/// Returns an empty string on success; otherwise the human-readable reason
/// for `ERR bad_payload <reason>` (and `out` holds unspecified bytes).
std::string canonicalize_payload(std::string_view json, PayloadSchema schema, std::string& out);

}  // namespace chatbus
