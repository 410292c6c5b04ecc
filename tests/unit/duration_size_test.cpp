// Tests for duration_size: the size and duration grammar of options and config.
#include "chatbus/duration_size.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace chatbus {
namespace {

using std::chrono::milliseconds;
constexpr std::uint64_t kib = 1024;
constexpr std::uint64_t mib = 1024 * kib;

TEST(ParseSize, BareNumberIsBytes) {
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_EQ(parse_size("65536"), 65536u);
  EXPECT_EQ(parse_size("007"), 7u);
}

TEST(ParseSize, EverySuffixIsBinary) {
  EXPECT_EQ(parse_size("64B"), 64u);
  EXPECT_EQ(parse_size("64K"), 64 * kib);
  EXPECT_EQ(parse_size("64KiB"), 64 * kib);
  EXPECT_EQ(parse_size("8M"), 8 * mib);
  EXPECT_EQ(parse_size("8MiB"), 8 * mib);
}

TEST(ParseSize, BlanksAroundNumberAndSuffixAreIgnored) {
  EXPECT_EQ(parse_size(" 64KiB "), 64 * kib);
  EXPECT_EQ(parse_size("\t64 KiB\n"), 64 * kib);
  EXPECT_EQ(parse_size("64\tM"), 64 * mib);
}

TEST(ParseSize, BlankInsideNumberOrSuffixIsRejected) {
  EXPECT_EQ(parse_size("6 4"), std::nullopt);
  EXPECT_EQ(parse_size("64 Ki B"), std::nullopt);
}

TEST(ParseSize, EmptyOrBlankIsRejected) {
  EXPECT_EQ(parse_size(""), std::nullopt);
  EXPECT_EQ(parse_size("   "), std::nullopt);
}

TEST(ParseSize, SignsAreRejected) {
  EXPECT_EQ(parse_size("-1"), std::nullopt);
  EXPECT_EQ(parse_size("+1"), std::nullopt);
  EXPECT_EQ(parse_size("-0"), std::nullopt);
}

TEST(ParseSize, FractionsAndExponentsAreRejected) {
  EXPECT_EQ(parse_size("1.5MiB"), std::nullopt);
  EXPECT_EQ(parse_size("1e3"), std::nullopt);
  EXPECT_EQ(parse_size("0x10"), std::nullopt);
}

TEST(ParseSize, UnknownOrMiscasedSuffixIsRejected) {
  EXPECT_EQ(parse_size("12x"), std::nullopt);
  EXPECT_EQ(parse_size("64kib"), std::nullopt);
  EXPECT_EQ(parse_size("64KB"), std::nullopt);  // decimal or binary? ambiguous, so refused
  EXPECT_EQ(parse_size("1G"), std::nullopt);
  EXPECT_EQ(parse_size("1GiB"), std::nullopt);
  EXPECT_EQ(parse_size("64KiBs"), std::nullopt);
  EXPECT_EQ(parse_size("KiB"), std::nullopt);
}

TEST(ParseSize, LargestValuesAreExact) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(parse_size(std::to_string(max)), max);
  EXPECT_EQ(parse_size(std::to_string(max >> 10) + "KiB"), (max >> 10) * kib);
  EXPECT_EQ(parse_size(std::to_string(max >> 20) + "M"), (max >> 20) * mib);
}

TEST(ParseSize, OverflowIsRejected) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(parse_size("18446744073709551616"), std::nullopt);  // 2^64
  EXPECT_EQ(parse_size("99999999999999999999999999"), std::nullopt);
  EXPECT_EQ(parse_size(std::to_string((max >> 10) + 1) + "KiB"), std::nullopt);
  EXPECT_EQ(parse_size(std::to_string((max >> 20) + 1) + "MiB"), std::nullopt);
}

TEST(ParseDuration, BareNumberIsSeconds) {
  EXPECT_EQ(parse_duration("0"), milliseconds(0));
  EXPECT_EQ(parse_duration("30"), milliseconds(30'000));
  EXPECT_EQ(parse_duration("600"), parse_duration("10m"));
}

TEST(ParseDuration, EverySuffix) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("30s"), milliseconds(30'000));
  EXPECT_EQ(parse_duration("10m"), milliseconds(600'000));
  EXPECT_EQ(parse_duration("0ms"), milliseconds(0));
}

TEST(ParseDuration, BlanksAroundNumberAndSuffixAreIgnored) {
  EXPECT_EQ(parse_duration(" 10 m "), milliseconds(600'000));
  EXPECT_EQ(parse_duration("\t250\tms\r\n"), milliseconds(250));
}

TEST(ParseDuration, EmptyOrBlankIsRejected) {
  EXPECT_EQ(parse_duration(""), std::nullopt);
  EXPECT_EQ(parse_duration(" \t"), std::nullopt);
}

TEST(ParseDuration, SignsAreRejected) {
  EXPECT_EQ(parse_duration("-5s"), std::nullopt);
  EXPECT_EQ(parse_duration("+5s"), std::nullopt);
}

TEST(ParseDuration, FractionsAreRejected) {
  EXPECT_EQ(parse_duration("1.5s"), std::nullopt);
  EXPECT_EQ(parse_duration(".5s"), std::nullopt);
}

TEST(ParseDuration, UnknownOrMiscasedSuffixIsRejected) {
  EXPECT_EQ(parse_duration("5h"), std::nullopt);
  EXPECT_EQ(parse_duration("1d"), std::nullopt);
  EXPECT_EQ(parse_duration("5S"), std::nullopt);
  EXPECT_EQ(parse_duration("5M"), std::nullopt);  // minutes or months? refused
  EXPECT_EQ(parse_duration("5 sec"), std::nullopt);
  EXPECT_EQ(parse_duration("5m30s"), std::nullopt);
  EXPECT_EQ(parse_duration("ms"), std::nullopt);
  EXPECT_EQ(parse_duration("garbage"), std::nullopt);
}

TEST(ParseDuration, LargestValuesAreExact) {
  const auto max = std::numeric_limits<milliseconds::rep>::max();
  EXPECT_EQ(parse_duration(std::to_string(max) + "ms"), milliseconds(max));
  EXPECT_EQ(parse_duration(std::to_string(max / 1000) + "s"), milliseconds(max / 1000 * 1000));
  EXPECT_EQ(parse_duration(std::to_string(max / 60000) + "m"), milliseconds(max / 60000 * 60000));
}

TEST(ParseDuration, OverflowOfMillisecondsIsRejected) {
  const auto max = std::numeric_limits<milliseconds::rep>::max();
  EXPECT_EQ(parse_duration(std::to_string(static_cast<std::uint64_t>(max) + 1) + "ms"),
            std::nullopt);
  EXPECT_EQ(parse_duration(std::to_string(max / 1000 + 1)), std::nullopt);
  EXPECT_EQ(parse_duration(std::to_string(max / 60000 + 1) + "m"), std::nullopt);
  EXPECT_EQ(parse_duration("99999999999999999999999s"), std::nullopt);
}

}  // namespace
}  // namespace chatbus
