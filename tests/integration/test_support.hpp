// test_support: small assertions and fixtures shared by the integration tests.
#pragma once

#include "client.hpp"
#include "daemon.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace chatbus::itest {

/// A UUID in upper case and its canonical lower-case form.
inline constexpr std::string_view uuid_upper = "6F1C3B0E-8D8E-4C61-9A53-0F6F2D6A1E11";
inline constexpr std::string_view uuid_lower = "6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11";

inline std::string stream_topic(std::string_view uuid) { return "chat:stream:" + std::string(uuid); }

/// `ERR <code> <message>` with a non-empty human readable message.
inline testing::AssertionResult is_err(const std::string& reply, std::string_view code) {
  std::string prefix = "ERR " + std::string(code) + " ";
  if (reply.size() > prefix.size() && reply.compare(0, prefix.size(), prefix) == 0) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "expected 'ERR " << code << " <message>', got '"
                                     << reply.substr(0, 300) << "'";
}

/// Parses a push that must be a MSG.
inline Msg as_msg(const std::string& push) {
  auto msg = parse_msg(push);
  if (!msg) throw std::runtime_error("expected a MSG push, got: " + push.substr(0, 300));
  return *msg;
}

/// Subscribes and checks the reply names `canonical` (default: as written).
inline void subscribe(LineClient& client, std::string_view topic, std::string_view canonical = {}) {
  std::string expected = "OK " + std::string(canonical.empty() ? topic : canonical);
  ASSERT_EQ(client.command("SUB " + std::string(topic)), expected);
}

/// Publishes and returns the reply.
inline std::string publish(LineClient& client, std::string_view topic, std::string_view json) {
  return client.command("PUB " + std::string(topic) + " " + std::string(json));
}

/// Every reply or push the harness returns is a full line; this joins many.
inline std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line.substr(0, 200) + "\n";
  return text;
}

}  // namespace chatbus::itest
