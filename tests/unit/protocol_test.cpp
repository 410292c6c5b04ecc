#include "chatbus/protocol.hpp"

#include <gtest/gtest.h>

namespace chatbus {
namespace {

TEST(ParseCommand, VerbsAreCaseInsensitive) {
  EXPECT_EQ(parse_command("sub a").verb, Verb::sub);
  EXPECT_EQ(parse_command("SuB a").verb, Verb::sub);
  EXPECT_EQ(parse_command("hello").verb, Verb::hello);
  EXPECT_EQ(parse_command("Quit").verb, Verb::quit);
  EXPECT_EQ(parse_command("unsub a").verb, Verb::unsub);
  EXPECT_EQ(parse_command("pub a {}").verb, Verb::pub);
  EXPECT_EQ(parse_command("auth t").verb, Verb::auth);
  EXPECT_EQ(parse_command("ping").verb, Verb::ping);
}

TEST(ParseCommand, UnknownVerbIsUnknown) {
  EXPECT_EQ(parse_command("SUBSCRIBE a").verb, Verb::unknown);
  EXPECT_EQ(parse_command("\x01\x02").verb, Verb::unknown);
  EXPECT_FALSE(parse_command("FOO").well_formed);
}

TEST(ParseCommand, BlanksBeforeTheVerbAndBetweenWordsAreSkipped) {
  const Command command = parse_command(" \t SUB \t\t a:b");
  EXPECT_EQ(command.verb, Verb::sub);
  EXPECT_TRUE(command.well_formed);
  EXPECT_EQ(command.argument, "a:b");
}

TEST(ParseCommand, MissingOrExtraArgumentsAreNotWellFormed) {
  EXPECT_FALSE(parse_command("SUB").well_formed);
  EXPECT_FALSE(parse_command("SUB a b").well_formed);
  EXPECT_FALSE(parse_command("UNSUB").well_formed);
  EXPECT_FALSE(parse_command("AUTH").well_formed);
  EXPECT_FALSE(parse_command("AUTH a b").well_formed);
  EXPECT_FALSE(parse_command("HELLO x").well_formed);
  EXPECT_FALSE(parse_command("QUIT now").well_formed);
  EXPECT_FALSE(parse_command("PUB").well_formed);
  EXPECT_FALSE(parse_command("PUB a").well_formed);
  EXPECT_FALSE(parse_command("PUB a   ").well_formed);
}

TEST(ParseCommand, TrailingBlanksAreNotAnArgument) {
  EXPECT_TRUE(parse_command("SUB a  ").well_formed);
  EXPECT_TRUE(parse_command("HELLO \t").well_formed);
}

TEST(ParseCommand, PubPayloadIsEverythingAfterTheTopicAndItsBlanks) {
  const Command command = parse_command("PUB a:b  \t {\"x\": 1 ,  \"y\" : 2} ");
  EXPECT_TRUE(command.well_formed);
  EXPECT_EQ(command.argument, "a:b");
  EXPECT_EQ(command.text, "{\"x\": 1 ,  \"y\" : 2} ");
}

TEST(ParseCommand, PingTextIsTheRestAfterTheBlanksByteForByte) {
  EXPECT_EQ(parse_command("PING").text, "");
  EXPECT_EQ(parse_command("PING   ").text, "");
  EXPECT_EQ(parse_command("PING  a  b \t").text, "a  b \t");
  EXPECT_TRUE(parse_command("PING x y z").well_formed);
}

TEST(BlankLine, EmptyOrOnlyBlanksIsBlank) {
  EXPECT_TRUE(is_blank_line(""));
  EXPECT_TRUE(is_blank_line(" \t "));
  EXPECT_FALSE(is_blank_line(" x"));
  EXPECT_FALSE(is_blank_line("\x0b"));
}

TEST(Encoding, RepliesAndPushesAreOneLineEach) {
  std::string out;
  append_ok(out);
  append_ok(out, "chat:x");
  append_ok(out, std::uint64_t{18446744073709551615u});
  append_pong(out, "");
  append_pong(out, "a b ");
  append_err(out, ErrorCode::not_subscribed, "not subscribed to x");
  append_dropped(out, "t", 7);
  append_bye(out, "quit");
  EXPECT_EQ(out,
            "OK\nOK chat:x\nOK 18446744073709551615\nPONG\nPONG a b \n"
            "ERR not_subscribed not subscribed to x\nDROPPED t 7\nBYE quit\n");
}

TEST(Encoding, EveryErrorCodeHasItsWireName) {
  EXPECT_EQ(error_code_name(ErrorCode::bad_command), "bad_command");
  EXPECT_EQ(error_code_name(ErrorCode::bad_topic), "bad_topic");
  EXPECT_EQ(error_code_name(ErrorCode::bad_payload), "bad_payload");
  EXPECT_EQ(error_code_name(ErrorCode::line_too_long), "line_too_long");
  EXPECT_EQ(error_code_name(ErrorCode::not_subscribed), "not_subscribed");
  EXPECT_EQ(error_code_name(ErrorCode::too_many_subscriptions), "too_many_subscriptions");
  EXPECT_EQ(error_code_name(ErrorCode::unauthorized), "unauthorized");
  EXPECT_EQ(error_code_name(ErrorCode::overloaded), "overloaded");
}

}  // namespace
}  // namespace chatbus
