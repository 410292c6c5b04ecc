#include "chatbus/message.hpp"

#include "chatbus/protocol.hpp"

namespace chatbus {

Message::Message(std::string_view topic, std::uint64_t seq, std::string_view json)
    : topic_size_(topic.size()) {
  line_.reserve(4 + topic.size() + 1 + 20 + 1 + json.size() + 1);
  line_.append("MSG ");
  line_.append(topic);
  line_.push_back(' ');
  append_decimal(line_, seq);
  line_.push_back(' ');
  line_.append(json);
  line_.push_back('\n');
}

}  // namespace chatbus
