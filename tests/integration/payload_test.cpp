// Payloads outside chat:stream: (PROTOCOL.md: Payloads), over the wire.
#include "payload_support.hpp"

#include <cstdlib>

namespace chatbus::itest {
namespace {

using Payload = PayloadTest;

// The number literal the broker wrote for a top-level `key` of a compact
// object; read as text, so that no JSON library's rounding gets involved.
double number_member(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) throw std::runtime_error("no key " + key + " in " + json);
  at += key.size() + 3;
  auto end = json.find_first_of(",}", at);
  return std::strtod(json.substr(at, end - at).c_str(), nullptr);
}

TEST_F(Payload, ObjectIsForwardedCompactly) {
  EXPECT_EQ(forwarded(R"({ "a" : 1 ,	"b" : [ 1 , 2 , { } , [ ] ] , "c" : { "d" : null , "e" : true } })"),
            R"({"a":1,"b":[1,2,{},[]],"c":{"d":null,"e":true}})");
}

TEST_F(Payload, KeysKeepTheOrderGiven) {
  EXPECT_EQ(forwarded(R"({"z":1,"a":2,"m":{"y":1,"b":2}})"), R"({"z":1,"a":2,"m":{"y":1,"b":2}})");
}

TEST_F(Payload, EmptyObjectIsForwarded) { EXPECT_EQ(forwarded("{}"), "{}"); }

TEST_F(Payload, BlanksAroundTheValueAreNotPartOfIt) {
  EXPECT_EQ(forwarded("{\"a\":1}  \t "), R"({"a":1})");
  client_.send_raw("PUB t {\"b\":2}\r\n");
  EXPECT_EQ(client_.read_reply(), "OK 1");
  EXPECT_EQ(as_msg(client_.next_push()).json, R"({"b":2})");
}

TEST_F(Payload, NonObjectIsBadPayload) {
  for (std::string_view payload : {"[]", "[1]", "1", "-0.5", "\"text\"", "null", "true", "false"}) {
    EXPECT_TRUE(is_err(rejected(payload), "bad_payload")) << payload;
  }
}

TEST_F(Payload, InvalidJsonIsBadPayload) {
  for (std::string_view payload :
       {R"({"a":})", R"({"a":1,})", R"({"a":1)", R"({"a":1}})", R"({"a":1} x)", R"({'a':1})", R"({a:1})",
        R"({"a":01})", R"({"a":1.})", R"({"a":.5})", R"({"a":+1})", R"({"a":NaN})", R"({"a":Infinity})",
        R"({"a":"open})", R"({"a":"\x"})", "{\"a\":\"raw\ttab\"}", R"({"a":tru})", R"({"a":1}{"b":2})",
        R"({"a" 1})", R"({"a":[1,2})", R"({"a":"\u12"})", R"({"a":1 "b":2})", "{", "not json", R"({,})"}) {
    EXPECT_TRUE(is_err(rejected(payload), "bad_payload")) << payload;
  }
}

TEST_F(Payload, ErrorNamesTheByteOffset) {
  std::string reply = rejected(R"({"a":1,})");
  ASSERT_TRUE(is_err(reply, "bad_payload"));
  auto at = reply.find("byte ");
  ASSERT_NE(at, std::string::npos) << reply;
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(reply[at + 5]))) << reply;
}

TEST_F(Payload, KeyGivenTwiceIsBadPayload) {
  for (std::string_view payload : {R"({"a":1,"a":2})", R"({"a":1,"b":2,"a":1})", R"({"x":{"k":1,"k":2}})",
                                   R"({"x":[{"k":1,"k":1}]})", R"({"a":1,"\u0061":2})", R"({"\u00e9":1,"é":2})"}) {
    EXPECT_TRUE(is_err(rejected(payload), "bad_payload")) << payload;
  }
}

TEST_F(Payload, SameKeyInDifferentObjectsIsFine) {
  EXPECT_EQ(forwarded(R"({"a":{"a":1},"b":{"a":2}})"), R"({"a":{"a":1},"b":{"a":2}})");
}

TEST_F(Payload, InvalidUtf8IsBadPayload) {
  for (std::string_view bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\x80", "\xf8\x88\x80\x80\x80",
                               "\xf4\x90\x80\x80"}) {
    EXPECT_TRUE(is_err(rejected("{\"s\":\"a" + std::string(bad) + "b\"}"), "bad_payload"));
    EXPECT_TRUE(is_err(rejected("{\"k" + std::string(bad) + "\":1}"), "bad_payload"));
  }
}

TEST_F(Payload, LoneSurrogateEscapeIsBadPayload) {
  for (std::string_view payload : {R"({"s":"\ud800"})", R"({"s":"\udc00"})", R"({"s":"\ud800x"})",
                                   R"({"s":"\ud800\u0041"})", R"({"s":"\udfff\ud800"})", R"({"\ud800":1})"}) {
    EXPECT_TRUE(is_err(rejected(payload), "bad_payload")) << payload;
  }
}

TEST_F(Payload, SurrogatePairsAndUtf8KeepTheirValue) {
  auto value = parsed(forwarded(R"({"s":"\ud83d\ude00 é € 😀","k\u00e9":"x"})"));
  EXPECT_EQ(value.at("s"), "\xf0\x9f\x98\x80 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(value.at("k\xc3\xa9"), "x");
}

TEST_F(Payload, StringEscapesKeepTheirValue) {
  auto value = parsed(forwarded(R"({"s":"q\"b\\s\/n\nt\tr\r\b\f\u0001<&>"})"));
  EXPECT_EQ(value.at("s"), "q\"b\\s/n\nt\tr\r\b\f\x01<&>");
}

TEST_F(Payload, NestingOf32LevelsIsAccepted) {
  EXPECT_EQ(forwarded(nested_payload(32)), nested_payload(32));
  std::string objects;
  for (int level = 0; level < 32; ++level) objects += "{\"a\":";
  objects += "1" + std::string(32, '}');
  EXPECT_EQ(forwarded(objects), objects);
}

TEST_F(Payload, NestingDeeperThan32LevelsIsBadPayload) {
  EXPECT_TRUE(is_err(rejected(nested_payload(33)), "bad_payload"));
  EXPECT_TRUE(is_err(rejected(nested_payload(1000)), "bad_payload"));
  std::string objects;
  for (int level = 0; level < 33; ++level) objects += "{\"a\":";
  EXPECT_TRUE(is_err(rejected(objects + "1" + std::string(33, '}')), "bad_payload"));
}

TEST_F(Payload, NumberOverflowingADoubleIsBadPayload) {
  for (std::string_view payload : {R"({"a":1e309})", R"({"a":-1e309})", R"({"a":1e400})", R"({"a":[2E+999]})"}) {
    EXPECT_TRUE(is_err(rejected(payload), "bad_payload")) << payload;
  }
  EXPECT_TRUE(is_err(rejected("{\"a\":1" + std::string(400, '0') + "}"), "bad_payload"));
}

TEST_F(Payload, IntegersWithin64BitsKeepTheirExactValue) {
  EXPECT_EQ(forwarded(R"({"max":9223372036854775807,"min":-9223372036854775808,"odd":9007199254740993,"z":0,"n":-1})"),
            R"({"max":9223372036854775807,"min":-9223372036854775808,"odd":9007199254740993,"z":0,"n":-1})");
}

TEST_F(Payload, OtherNumbersKeepTheirValueAsADouble) {
  const std::vector<std::string> literals{"1.5", "-0.25", "1e3", "2.5E-3", "1.0", "0.1", "1.7976931348623157e308",
                                          "5e-324", "123456789012345678901234567890", "-9223372036854775809"};
  std::string payload = "{";
  for (std::size_t i = 0; i < literals.size(); ++i) {
    payload += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + literals[i];
  }
  std::string json = forwarded(payload + "}");
  for (std::size_t i = 0; i < literals.size(); ++i) {
    EXPECT_EQ(number_member(json, "k" + std::to_string(i)), std::strtod(literals[i].c_str(), nullptr))
        << literals[i] << " in " << json;
  }
}

TEST_F(Payload, NumberUnderflowingToZeroIsAccepted) {
  EXPECT_EQ(number_member(forwarded(R"({"a":1e-400})"), "a"), 0.0);
}

TEST_F(Payload, HtmlCharactersKeepTheirValue) {
  EXPECT_EQ(parsed(forwarded(R"({"h":"<b>&amp;</b>"})")).at("h"), "<b>&amp;</b>");
}

}  // namespace
}  // namespace chatbus::itest
