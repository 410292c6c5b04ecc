// message: one published message, encoded once as its complete `MSG` line and
// shared read-only by every session it is delivered to (the fan-out never
// copies a payload). Immutable after construction, so any thread may read it.
//
// Ownership: an intrusive, atomic reference count, with the line stored in
// the same allocation. The router takes all of a publish's references in one
// atomic add (one per delivery, see Router::publish), so a delivery costs a
// single atomic decrement, when its session has written it. MessagePtr is
// the owning handle; a Delivery carries a raw pointer that owns one reference.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace chatbus {

class MessagePtr;

/// What every MSG line starts with; the topic follows it.
inline constexpr std::string_view msg_prefix = "MSG ";

/// A `MSG <topic> <seq> <json>\n` line and where its topic sits in it.
class Message {
 public:
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  /// The whole line, LF included: what goes on the wire.
  std::string_view line() const { return {bytes(), line_size_}; }

  /// The concrete topic the message was published to.
  std::string_view topic() const { return {bytes() + msg_prefix.size(), topic_size_}; }

  /// When the server received the PUB, in steady-clock nanoseconds: the
  /// start of the publish-to-write latency.
  std::int64_t received_ns() const { return received_ns_; }

  /// Takes `count` more references at once.
  void add_references(std::uint32_t count) const { references_.fetch_add(count, std::memory_order_relaxed); }

  /// Gives one reference back; the last one frees the message.
  void release() const;

 private:
  friend MessagePtr make_message(std::string_view topic, std::uint64_t seq, std::string_view json,
                                 std::int64_t received_ns);
  Message(std::size_t line_size, std::size_t topic_size, std::int64_t received_ns)
      : line_size_(line_size), topic_size_(topic_size), received_ns_(received_ns) {}
  ~Message() = default;

  const char* bytes() const { return reinterpret_cast<const char*>(this + 1); }

  mutable std::atomic<std::uint32_t> references_{1};  ///< owners left
  std::size_t line_size_;                             ///< bytes of the line, after the object
  std::size_t topic_size_;                            ///< the topic follows msg_prefix
  std::int64_t received_ns_;                          ///< see received_ns()
};

/// Owning handle to a Message (one reference).
class MessagePtr {
 public:
  MessagePtr() = default;
  MessagePtr(std::nullptr_t) {}
  MessagePtr(const MessagePtr& other) : message_(other.message_) {
    if (message_) message_->add_references(1);
  }
  MessagePtr(MessagePtr&& other) noexcept : message_(std::exchange(other.message_, nullptr)) {}
  MessagePtr& operator=(MessagePtr other) noexcept {
    std::swap(message_, other.message_);
    return *this;
  }
  ~MessagePtr() { reset(); }

  /// Takes over a reference the caller owns (a Delivery's).
  static MessagePtr adopt(const Message* message) {
    MessagePtr handle;
    handle.message_ = message;
    return handle;
  }

  void reset() {
    if (message_) std::exchange(message_, nullptr)->release();
  }

  const Message* get() const { return message_; }
  const Message* operator->() const { return message_; }
  const Message& operator*() const { return *message_; }
  explicit operator bool() const { return message_ != nullptr; }

 private:
  const Message* message_ = nullptr;  ///< owned reference, or null
};

/// Encodes the MSG line into a new message with one reference.
/// `received_ns`: see Message::received_ns() (0 when nobody measures).
MessagePtr make_message(std::string_view topic, std::uint64_t seq, std::string_view json,
                        std::int64_t received_ns = 0);

}  // namespace chatbus
