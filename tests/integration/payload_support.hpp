// payload_support: publish a payload over the wire and get back what the
// broker forwarded, for the payload tests.
#pragma once

#include "test_support.hpp"

#include <boost/json.hpp>

namespace chatbus::itest {

/// One daemon and one client subscribed to everything: it publishes a
/// payload and reads the MSG it is sent back.
class PayloadTest : public testing::Test {
 protected:
  explicit PayloadTest(std::vector<std::string> flags = {"--max-bad-lines", "0"})
      : daemon_(std::move(flags)), client_(daemon_.connect()) {
    subscribe(client_, "*");
  }

  /// The JSON the broker forwarded for `payload` on `topic`; fails unless
  /// it was accepted.
  std::string forwarded(std::string_view payload, std::string_view topic = "t") {
    std::string reply = publish(client_, topic, payload);
    if (reply != "OK 1") throw std::runtime_error("PUB " + std::string(topic) + " " + std::string(payload) +
                                                  " got: " + reply);
    return as_msg(client_.next_push()).json;
  }

  std::string forwarded_stream(std::string_view payload) {
    return forwarded(payload, stream_topic(uuid_lower));
  }

  /// The reply to a PUB that must be refused; checks no MSG was sent.
  std::string rejected(std::string_view payload, std::string_view topic = "t") {
    std::string reply = publish(client_, topic, payload);
    auto pushes = client_.barrier();
    if (!pushes.empty()) ADD_FAILURE() << "rejected PUB was delivered: " << joined(pushes);
    return reply;
  }

  std::string rejected_stream(std::string_view payload) { return rejected(payload, stream_topic(uuid_lower)); }

  Daemon daemon_;      ///< this test's broker
  LineClient client_;  ///< publisher and `*` subscriber at once
};

/// Parses JSON text that the broker forwarded.
inline boost::json::value parsed(std::string_view text) { return boost::json::parse(text); }

/// A payload nested `depth` levels deep: an object holding arrays.
inline std::string nested_payload(int depth) {
  std::string text = "{\"a\":";
  for (int level = 1; level < depth; ++level) text += "[";
  text += "1";
  for (int level = 1; level < depth; ++level) text += "]";
  return text + "}";
}

}  // namespace chatbus::itest
