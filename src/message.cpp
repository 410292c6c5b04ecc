#include "chatbus/message.hpp"

#include <charconv>
#include <cstring>
#include <new>

namespace chatbus {

MessagePtr make_message(std::string_view topic, std::uint64_t seq, std::string_view json,
                        std::int64_t received_ns) {
  char seq_digits[20];
  const auto seq_end = std::to_chars(seq_digits, seq_digits + sizeof seq_digits, seq).ptr;
  const std::size_t seq_size = static_cast<std::size_t>(seq_end - seq_digits);
  const std::size_t line_size = msg_prefix.size() + topic.size() + 1 + seq_size + 1 + json.size() + 1;
  // One allocation: the object, then its line.
  void* memory = ::operator new(sizeof(Message) + line_size);
  auto* message = new (memory) Message(line_size, topic.size(), received_ns);
  char* out = static_cast<char*>(memory) + sizeof(Message);
  std::memcpy(out, msg_prefix.data(), msg_prefix.size());
  out += msg_prefix.size();
  std::memcpy(out, topic.data(), topic.size());
  out += topic.size();
  *out++ = ' ';
  std::memcpy(out, seq_digits, seq_size);
  out += seq_size;
  *out++ = ' ';
  std::memcpy(out, json.data(), json.size());
  out += json.size();
  *out = '\n';
  return MessagePtr::adopt(message);
}

void Message::release() const {
  if (references_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  this->~Message();
  ::operator delete(const_cast<Message*>(this));
}

}  // namespace chatbus
