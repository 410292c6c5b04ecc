// Token entries, grants and the token file (auth_token.hpp), and the
// constant-time token lookup (token_table.hpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "chatbus/auth_token.hpp"
#include "chatbus/token_table.hpp"

namespace chatbus {
namespace {

TokenEntry parsed(std::string_view text) {
  TokenEntry entry;
  const std::string problem = parse_token_entry(text, entry);
  EXPECT_EQ(problem, "") << text;
  return entry;
}

std::string problem_of(std::string_view text) {
  TokenEntry entry;
  return parse_token_entry(text, entry);
}

TEST(TokenEntry, BareTokenMayDoEverything) {
  const TokenEntry entry = parsed("  s3cret \t");
  EXPECT_EQ(entry.token, "s3cret");
  EXPECT_FALSE(entry.restricted);
  EXPECT_TRUE(entry.may_publish("anything"));
  EXPECT_TRUE(entry.may_subscribe(TopicKind::pattern, "*"));
}

TEST(TokenEntry, AnyFieldRestrictsToWhatTheFieldsGrant) {
  const TokenEntry reader = parsed("tok sub=chat:stream:");
  EXPECT_TRUE(reader.restricted);
  EXPECT_FALSE(reader.may_publish("chat:stream:x"));
  EXPECT_TRUE(reader.may_subscribe(TopicKind::topic, "chat:stream:x"));
  const TokenEntry writer = parsed("tok pub=chat:,tenant:1:");
  EXPECT_TRUE(writer.may_publish("chat:stream:x"));
  EXPECT_TRUE(writer.may_publish("tenant:1:a"));
  EXPECT_FALSE(writer.may_publish("tenant:10"));
  EXPECT_FALSE(writer.may_subscribe(TopicKind::topic, "chat:stream:x"));
  EXPECT_EQ(writer.pub.prefixes, (std::vector<std::string>{"chat:", "tenant:1:"}));
}

TEST(TokenEntry, PrefixBoundariesAreExact) {
  const TokenEntry entry = parsed("tok pub=tenant:1: sub=tenant:1:");
  EXPECT_TRUE(entry.may_publish("tenant:1:"));
  EXPECT_TRUE(entry.may_publish("tenant:1:x"));
  EXPECT_FALSE(entry.may_publish("tenant:1"));
  EXPECT_FALSE(entry.may_publish("tenant:12:x"));
  EXPECT_FALSE(entry.may_publish("Tenant:1:x"));  // topics are case-sensitive
}

TEST(TokenEntry, PatternMustStayInsideTheGrant) {
  const TokenEntry entry = parsed("tok sub=chat:stream:");
  EXPECT_TRUE(entry.may_subscribe(TopicKind::pattern, "chat:stream:*"));
  EXPECT_TRUE(entry.may_subscribe(TopicKind::pattern, "chat:stream:x:*"));
  EXPECT_FALSE(entry.may_subscribe(TopicKind::pattern, "chat:*"));
  EXPECT_FALSE(entry.may_subscribe(TopicKind::pattern, "*"));
}

TEST(TokenEntry, StarMeansEveryTopicAndTrailingStarIsDropped) {
  const TokenEntry any = parsed("tok sub=*");
  EXPECT_EQ(any.sub.prefixes, std::vector<std::string>{""});
  EXPECT_TRUE(any.may_subscribe(TopicKind::pattern, "*"));
  EXPECT_TRUE(any.may_subscribe(TopicKind::topic, "x"));
  EXPECT_FALSE(any.may_publish("x"));
  const TokenEntry pattern_like = parsed("tok pub=chat:*");
  EXPECT_EQ(pattern_like.pub.prefixes, std::vector<std::string>{"chat:"});
}

TEST(TokenEntry, ChatStreamUuidInAPrefixIsFoldedLikeTopics) {
  const TokenEntry entry = parsed("tok pub=chat:stream:6F1C");
  EXPECT_EQ(entry.pub.prefixes, std::vector<std::string>{"chat:stream:6f1c"});
  EXPECT_EQ(parsed("tok pub=CHAT:STREAM:A").pub.prefixes, std::vector<std::string>{"CHAT:STREAM:A"});
}

TEST(TokenEntry, TrailingCommentIsIgnored) {
  const TokenEntry entry = parsed("tok sub=a: # read-only for the UI");
  EXPECT_EQ(entry.sub.prefixes, std::vector<std::string>{"a:"});
  EXPECT_EQ(parsed("ab#c").token, "ab#c");  // inside the token, '#' is a byte like any
}

TEST(TokenEntry, BadEntriesAreRefusedWithoutQuotingAnyWord) {
  for (const char* text : {"", "   ", "zq9x pub=", "zq9x pub=a,,b", "zq9x pub=a,", "zq9x pub=a*b",
                           "zq9x pub=**", "zq9x pub=a/b", "zq9x pub=a sub=b pub=c", "zq9x other",
                           "zq9x PUB=a", "zq,9x", "zq9x\x01", "zq9x pub=a sekrit"}) {
    const std::string problem = problem_of(text);
    EXPECT_NE(problem, "") << text;
    EXPECT_EQ(problem.find("zq9x"), std::string::npos) << problem;
    EXPECT_EQ(problem.find("sekrit"), std::string::npos) << problem;
  }
  EXPECT_NE(problem_of("zq9x pub=" + std::string(257, 'a')), "");
  EXPECT_EQ(problem_of("zq9x pub=" + std::string(256, 'a')), "");
}

TEST(TokenValue, CommasSplitBareTokensAndLinesSplitEntries) {
  std::vector<TokenEntry> entries;
  ASSERT_EQ(parse_token_value("a,b", entries), "");
  ASSERT_EQ(parse_token_value("reader sub=x:,y:\n\n# comment\nwriter pub=x:\n", entries), "");
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[1].token, "b");
  EXPECT_EQ(entries[2].sub.prefixes, (std::vector<std::string>{"x:", "y:"}));
  EXPECT_EQ(entries[3].token, "writer");
  EXPECT_NE(parse_token_value("a,b sub=x", entries), "");  // a token holds no comma
  EXPECT_NE(parse_token_value(" \n ", entries), "");
}

class TokenFile : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }
  std::string write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  const std::string path_ = (std::filesystem::temp_directory_path() /
                             ("chatbus_token_file_" + std::to_string(getpid()))).string();
};

TEST_F(TokenFile, ReadsOneEntryPerLineSkippingCommentsAndBlankLines) {
  std::vector<TokenEntry> entries;
  ASSERT_EQ(read_token_file(write("# tokens\n\n  one\r\ntwo pub=a: # writer\n   # indented\n"), entries), "");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].token, "one");
  EXPECT_TRUE(entries[1].restricted);
}

TEST_F(TokenFile, BadLineIsNamedByNumberWithoutTheToken) {
  std::vector<TokenEntry> entries;
  const std::string problem = read_token_file(write("good\n# c\nsekrit pub=a/b\n"), entries);
  EXPECT_EQ(problem.rfind(path_ + ":3: ", 0), 0u) << problem;
  EXPECT_EQ(problem.find("sekrit"), std::string::npos) << problem;
}

TEST_F(TokenFile, RepeatedTokenIsRefused) {
  std::vector<TokenEntry> entries;
  const std::string problem = read_token_file(write("sekrit\nsekrit sub=a\n"), entries);
  EXPECT_EQ(problem.rfind(path_ + ":2: ", 0), 0u) << problem;
  EXPECT_EQ(problem.find("sekrit"), std::string::npos) << problem;
}

TEST_F(TokenFile, MissingFileIsNamed) {
  std::vector<TokenEntry> entries;
  const std::string problem = read_token_file(path_ + ".missing", entries);
  EXPECT_EQ(problem.rfind(path_ + ".missing: cannot be read", 0), 0u) << problem;
}

TEST(ConstantTimeEqual, ComparesWholeTokens) {
  EXPECT_TRUE(constant_time_equal("s3cret", "s3cret"));
  EXPECT_FALSE(constant_time_equal("s3cret", "s3cre"));
  EXPECT_FALSE(constant_time_equal("s3cret", "s3crets"));
  EXPECT_FALSE(constant_time_equal("s3cret", "S3cret"));
  EXPECT_FALSE(constant_time_equal("s3cret", ""));
  EXPECT_FALSE(constant_time_equal("s3cret", std::string_view("s3cret\0", 7)));
}

TEST(TokenTable, FindsEachTokenAndNothingElse) {
  const TokenTable table({TokenEntry{"one", false, {}, {}}, TokenEntry{"two", true, {{"a:"}}, {}},
                          TokenEntry{"three", false, {}, {}}});
  ASSERT_NE(table.find("two"), nullptr);
  EXPECT_EQ(table.find("two")->pub.prefixes, std::vector<std::string>{"a:"});
  EXPECT_EQ(table.find("three")->token, "three");
  EXPECT_EQ(table.find("one")->token, "one");
  EXPECT_EQ(table.find("thre"), nullptr);
  EXPECT_EQ(table.find(""), nullptr);
  EXPECT_TRUE(TokenTable().empty());
  EXPECT_EQ(TokenTable().find("one"), nullptr);
}

// The lookup must not stop at the match: every configured token is compared,
// with the constant-time comparison, whichever one matches (or none).
TEST(TokenTable, MatcherComparesEveryTokenWhateverMatches) {
  const std::vector<TokenEntry> entries{TokenEntry{"one", false, {}, {}}, TokenEntry{"two", false, {}, {}},
                                        TokenEntry{"three", false, {}, {}}};
  for (const auto& [candidate, index] : {std::pair{"one", 0u}, {"two", 1u}, {"three", 2u}, {"four", 3u}}) {
    std::vector<std::string> compared;
    const std::size_t found = match_token(entries, candidate, [&](std::string_view secret, std::string_view c) {
      compared.emplace_back(secret);
      return constant_time_equal(secret, c);
    });
    EXPECT_EQ(found, index) << candidate;
    EXPECT_EQ(compared, (std::vector<std::string>{"one", "two", "three"})) << candidate;
  }
}

}  // namespace
}  // namespace chatbus
