// message: one published message, encoded once as its complete `MSG` line and
// shared read-only by every session it is delivered to (the fan-out never
// copies a payload). Immutable after construction, so any thread may read it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace chatbus {

/// A `MSG <topic> <seq> <json>\n` line and where its topic sits in it.
class Message {
 public:
  Message(std::string_view topic, std::uint64_t seq, std::string_view json);

  /// The whole line, LF included: what goes on the wire.
  std::string_view line() const { return line_; }

  /// The concrete topic the message was published to.
  std::string_view topic() const { return std::string_view(line_).substr(4, topic_size_); }

 private:
  std::string line_;         ///< the encoded MSG line
  std::size_t topic_size_;   ///< length of the topic, which starts at byte 4
};

/// Shared ownership of an immutable message.
using MessagePtr = std::shared_ptr<const Message>;

}  // namespace chatbus
