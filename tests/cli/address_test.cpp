// --addr / --admin-addr parsing.
#include "cli/address.hpp"

#include <gtest/gtest.h>

namespace chatbus::cli {
namespace {

TEST(Address, HostAndPort) {
  auto address = parse_address("127.0.0.1:7420");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 7420);
  EXPECT_EQ(address->text(), "127.0.0.1:7420");
}

TEST(Address, BracketedIpv6) {
  auto address = parse_address("[::1]:7421");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->port, 7421);
  EXPECT_EQ(address->text(), "[::1]:7421");
}

TEST(Address, RejectsMissingPartsBadPortsAndBareIpv6) {
  for (const char* text : {"", "127.0.0.1", ":7420", "host:", "host:0", "host:65536", "host:12a", "::1:7420",
                           "[::1]7420", "host:-1"}) {
    EXPECT_FALSE(parse_address(text)) << text;
  }
}

}  // namespace
}  // namespace chatbus::cli
