#include "chatbus/topic.hpp"

#include <gtest/gtest.h>

namespace chatbus {
namespace {

TopicKind kind_of(std::string_view text) {
  std::string canonical;
  return parse_topic_or_pattern(text, canonical);
}

std::string canonical_of(std::string_view text) {
  std::string canonical;
  EXPECT_NE(parse_topic_or_pattern(text, canonical), TopicKind::invalid) << text;
  return canonical;
}

TEST(Topic, AcceptsEveryAllowedCharacter) {
  EXPECT_EQ(kind_of("AZaz09_.:-"), TopicKind::topic);
  EXPECT_EQ(kind_of("x"), TopicKind::topic);
}

TEST(Topic, RejectsOtherCharacters) {
  for (std::string_view bad : {"a b", "a/b", "a\tb", "a#", "é", "a\x01", "a,b", "a*b"}) {
    EXPECT_EQ(kind_of(bad), TopicKind::invalid) << bad;
  }
}

TEST(Topic, LengthIsOneTo256Bytes) {
  EXPECT_EQ(kind_of(""), TopicKind::invalid);
  EXPECT_EQ(kind_of(std::string(256, 'a')), TopicKind::topic);
  EXPECT_EQ(kind_of(std::string(257, 'a')), TopicKind::invalid);
}

TEST(Topic, ChatStreamNeedsAUuid) {
  EXPECT_EQ(kind_of("chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11"), TopicKind::topic);
  for (std::string_view bad :
       {"chat:stream:", "chat:stream:x", "chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e1",
        "chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e111", "chat:stream:6f1c3b0e8d8e-4c61-9a53-0f6f2d6a1e11-",
        "chat:stream:6f1c3b0g-8d8e-4c61-9a53-0f6f2d6a1e11",
        "chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11:x"}) {
    EXPECT_EQ(kind_of(bad), TopicKind::invalid) << bad;
  }
}

TEST(Topic, ChatStreamUuidIsFoldedToLowercase) {
  EXPECT_EQ(canonical_of("chat:stream:6F1C3B0E-8D8E-4C61-9A53-0F6F2D6A1E11"),
            "chat:stream:6f1c3b0e-8d8e-4c61-9a53-0f6f2d6a1e11");
}

TEST(Topic, PrefixIsCaseSensitiveSoUppercaseIsAnOrdinaryTopic) {
  EXPECT_EQ(canonical_of("CHAT:STREAM:ABC"), "CHAT:STREAM:ABC");
  EXPECT_EQ(canonical_of("Chat:stream:x"), "Chat:stream:x");
}

TEST(Topic, OrdinaryTopicsKeepTheirCase) { EXPECT_EQ(canonical_of("Tenant:42:ABC"), "Tenant:42:ABC"); }

TEST(Pattern, StarAloneOrAfterAColonIsAPattern) {
  EXPECT_EQ(kind_of("*"), TopicKind::pattern);
  EXPECT_EQ(kind_of("chat:stream:*"), TopicKind::pattern);
  EXPECT_EQ(kind_of("tenant:42:*"), TopicKind::pattern);
  EXPECT_EQ(kind_of("chat:stream:x:*"), TopicKind::pattern);  // can never match, still valid
  EXPECT_EQ(kind_of(":*"), TopicKind::pattern);
}

TEST(Pattern, StarAnywhereElseIsInvalid) {
  for (std::string_view bad : {"a*", "a:*:b", "*a", "a:**", "**", "a:b*", "a*:*", "a :*"}) {
    EXPECT_EQ(kind_of(bad), TopicKind::invalid) << bad;
  }
}

TEST(Pattern, IsAtMost256BytesWithTheStar) {
  EXPECT_EQ(kind_of(std::string(254, 'a') + ":*"), TopicKind::pattern);
  EXPECT_EQ(kind_of(std::string(255, 'a') + ":*"), TopicKind::invalid);
}

TEST(Pattern, IsTakenAsWritten) {
  EXPECT_EQ(canonical_of("chat:stream:ABC:*"), "chat:stream:ABC:*");
  EXPECT_EQ(pattern_prefix("chat:stream:*"), "chat:stream:");
  EXPECT_EQ(pattern_prefix("*"), "");
}

TEST(Topic, BadTopicReasonSaysWhatToFix) {
  EXPECT_NE(bad_topic_reason("").find("1 to 256"), std::string_view::npos);
  EXPECT_NE(bad_topic_reason("chat:stream:x").find("uuid"), std::string_view::npos);
  EXPECT_NE(bad_topic_reason("a*").find("pattern"), std::string_view::npos);
  EXPECT_NE(bad_topic_reason("a b").find("A-Z"), std::string_view::npos);
}

}  // namespace
}  // namespace chatbus
