// Unit tests for the PUB payload validator (PROTOCOL.md, "Payloads"):
// json_canonical's generic rules through the any_object schema, and the
// chat_stream schema's type checks, zero-value dropping and key order.
#include "chatbus/notify_message.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace chatbus {
namespace {

constexpr PayloadSchema any = PayloadSchema::any_object;
constexpr PayloadSchema chat = PayloadSchema::chat_stream;
constexpr PayloadSchema strict = PayloadSchema::chat_stream_strict;

/// Canonical form of a payload that must be accepted.
std::string accepted(std::string_view json, PayloadSchema schema = any) {
  std::string out;
  const std::string reason = canonicalize_payload(json, schema, out);
  EXPECT_EQ(reason, "") << "payload: " << json;
  return out;
}

/// Reason for a payload that must be refused.
std::string refused(std::string_view json, PayloadSchema schema = any) {
  std::string out;
  std::string reason = canonicalize_payload(json, schema, out);
  EXPECT_NE(reason, "") << "payload: " << json << " gave " << out;
  return reason;
}

/// The parts joined (GCC 12 warns falsely on `"literal" + std::string` at -O2).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (std::string_view part : parts) joined += part;
  return joined;
}

/// `{"k":...}` nested `levels` deep (the outer object is level 1).
std::string nested_objects(std::size_t levels) {
  std::string json;
  for (std::size_t i = 1; i < levels; ++i) json += "{\"k\":";
  json += "{}";
  json.append(levels - 1, '}');
  return json;
}

/// `{"a":[[...]]}`: the object and `levels - 1` arrays.
std::string nested_arrays(std::size_t levels) {
  return cat({"{\"a\":", std::string(levels - 1, '['), std::string(levels - 1, ']'), "}"});
}

/// An object with keys k0 ... k<count-1>, then `extra` members.
std::string many_keys(std::size_t count, std::string_view extra = "") {
  std::string json = "{";
  for (std::size_t i = 0; i < count; ++i)
    json += cat({"\"k", std::to_string(i), "\":", std::to_string(i), ","});
  json += extra;
  if (json.back() == ',') json.pop_back();
  return json + "}";
}

// ---- generic JSON rules (any namespace) -----------------------------------

TEST(PayloadJson, OutputIsCompactWithKeysInTheOrderGiven) {
  EXPECT_EQ(
      accepted(
          "{ \"b\" : 1 ,\n\t\"a\" : [ 1 , { } , [ ] ] , \"c\" : { \"z\" : null , \"y\" : true } }"),
      R"({"b":1,"a":[1,{},[]],"c":{"z":null,"y":true}})");
}

TEST(PayloadJson, EmptyObjectIsAcceptedOutsideChatStream) { EXPECT_EQ(accepted("{}"), "{}"); }

TEST(PayloadJson, WhiteSpaceAroundTheValueIsAllowed) {
  EXPECT_EQ(accepted(" \t\r\n{\"a\":false} \t\r\n"), R"({"a":false})");
}

TEST(PayloadJson, NothingButWhiteSpaceMayFollowTheValue) {
  EXPECT_EQ(refused(R"({"a":1} x)"),
            "unexpected data after the JSON value, at byte 8 of the payload");
  EXPECT_EQ(refused(R"({"a":1}{})"),
            "unexpected data after the JSON value, at byte 7 of the payload");
  EXPECT_EQ(refused("{} {}"), "unexpected data after the JSON value, at byte 3 of the payload");
  EXPECT_EQ(refused("{}\n1"), "unexpected data after the JSON value, at byte 3 of the payload");
  refused("{},");
}

TEST(PayloadJson, PayloadThatIsNotAnObjectIsRefusedInEverySchema) {
  for (PayloadSchema schema : {any, chat, strict}) {
    EXPECT_EQ(refused("[1,2]", schema), "payload must be a JSON object, not an array");
    EXPECT_EQ(refused(R"("text")", schema), "payload must be a JSON object, not a string");
    EXPECT_EQ(refused("42", schema), "payload must be a JSON object, not a number");
    EXPECT_EQ(refused("1.5", schema), "payload must be a JSON object, not a number");
    EXPECT_EQ(refused("true", schema), "payload must be a JSON object, not a boolean");
    EXPECT_EQ(refused("null", schema), "payload must be a JSON object, not null");
  }
}

TEST(PayloadJson, EmptyOrTruncatedPayloadIsRefused) {
  EXPECT_EQ(refused(""), "payload is empty, at byte 0 of the payload");
  EXPECT_EQ(refused("   "), "payload is empty, at byte 3 of the payload");
  EXPECT_EQ(refused(R"({"a":)"), "unexpected end of the payload, at byte 5 of the payload");
  EXPECT_EQ(refused(R"({"a":1.)"), "unexpected end of the payload, at byte 7 of the payload");
  for (std::string_view json :
       {"{", R"({"a")", R"({"a":1)", R"({"a":1,)", R"({"a":"x)", R"({"a":tru)", R"({"a":[1,2)",
        R"({"a":"\u00)", R"({"a":1e)", R"({"a":-)"}) {
    EXPECT_NE(refused(json).find("unexpected end of the payload"), std::string::npos) << json;
  }
}

TEST(PayloadJson, InvalidSyntaxNamesTheUnexpectedCharacter) {
  EXPECT_EQ(refused(R"({"a":1,})"), "unexpected character '}', at byte 7 of the payload");
  EXPECT_EQ(refused(R"({"a" 1})"), "unexpected character '1', at byte 5 of the payload");
  EXPECT_EQ(refused("{'a':1}"), "unexpected character ''', at byte 1 of the payload");
  EXPECT_EQ(refused(R"({"a":01})"), "unexpected character '1', at byte 6 of the payload");
  for (std::string_view json :
       {"{a:1}", R"({"a":1 "b":2})", R"({"a":[1 2]})", R"({"a":[1,]})", R"({"a":NaN})",
        R"({"a":Infinity})", R"({"a":+1})", R"({"a":.5})", R"({"a":1.e5})", R"({"a":True})",
        "{/* c */}", R"({"a":1}//)", R"({"a":'x'})", R"({"a"::1})", R"({,})"}) {
    EXPECT_NE(refused(json).find(", at byte "), std::string::npos) << json;
  }
}

TEST(PayloadJson, RawControlCharacterInAStringIsRefused) {
  EXPECT_EQ(refused("{\"a\":\"x\ny\"}"),
            "unexpected control character \\x0a (inside a string it must be escaped), at byte 7 of "
            "the payload");
  EXPECT_NE(refused(std::string("{\"a\":\"\0\"}", 9)).find("control character \\x00"),
            std::string::npos);
  EXPECT_NE(refused("{\"a\tb\":1}").find("control character \\x09"), std::string::npos);
  EXPECT_NE(refused("{\"a\":\"\x1f\"}").find("control character \\x1f"), std::string::npos);
}

TEST(PayloadJson, InvalidEscapeIsRefused) {
  EXPECT_EQ(refused(R"({"a":"\x"})"),
            "invalid escape sequence in a string, at byte 7 of the payload");
  EXPECT_EQ(refused(R"({"a":"\'"})"),
            "invalid escape sequence in a string, at byte 7 of the payload");
  EXPECT_NE(refused(R"({"a":"\u12G4"})").find("a \\u escape needs 4 hex digits"),
            std::string::npos);
  EXPECT_NE(refused(R"({"a":"\U0041"})").find("invalid escape"), std::string::npos);
}

TEST(PayloadJson, ValidUtf8IsWrittenAsIs) {
  EXPECT_EQ(
      accepted("{\"caf\xc3\xa9\":\"\xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf\"}"),
      "{\"caf\xc3\xa9\":\"\xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf\"}");
}

TEST(PayloadJson, InvalidUtf8InStringsOrKeysIsRefused) {
  for (std::string_view bad : {"\xff", "\xc3(", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
                               "\xf4\x90\x80\x80", "\xe2\x82", "\x80", "\xf8\x88\x80\x80\x80"}) {
    const std::string value = cat({"{\"a\":\"x", bad, "y\"}"});
    const std::string key = cat({"{\"x", bad, "\":1}"});
    EXPECT_NE(refused(value).find("invalid UTF-8"), std::string::npos) << value;
    EXPECT_NE(refused(key).find("invalid UTF-8"), std::string::npos) << key;
  }
}

TEST(PayloadJson, LoneSurrogateEscapeIsRefused) {
  // Boost 1.81 reports some of these as a plain syntax error (or as the
  // wrong kind of surrogate); each must come out as one clear reason.
  for (std::string_view json :
       {R"({"a":"\ud800"})", R"({"a":"\udc00"})", R"({"a":"\ud800\u0041"})", R"({"a":"\ud800x"})",
        R"({"a":"\uDBFF"})", R"({"a":"\udfff\udfff"})", R"({"a":"\ud800\ud800"})",
        R"({"a":"\ud800\n"})", R"({"a":"\ud800\\"})", R"({"\ud800":1})",
        R"({"a":"\ud800", "b":1, "c":2, "d":3})", R"({"a":"\udc00", "b":1, "c":2, "d":3})",
        R"({"a":"\ud800\u0041", "b":1, "c":2, "d":3})"}) {
    EXPECT_NE(refused(json).find("lone UTF-16 surrogate in a \\u escape, at byte "),
              std::string::npos)
        << json;
  }
  EXPECT_EQ(refused(R"({"a":"\ud800"})"),
            "lone UTF-16 surrogate in a \\u escape, at byte 12 of the payload");
}

TEST(PayloadJson, EscapedBackslashBeforeUIsNotASurrogateEscape) {
  EXPECT_EQ(accepted(R"({"a":"\\ud800"})"), R"({"a":"\\ud800"})");
}

TEST(PayloadJson, SurrogatePairIsWrittenAsRawUtf8) {
  EXPECT_EQ(accepted(R"({"a":"\ud83d\ude00","b":"\uD83D\uDE00"})"),
            "{\"a\":\"\xf0\x9f\x98\x80\",\"b\":\"\xf0\x9f\x98\x80\"}");
  EXPECT_EQ(accepted(R"({"a":"\udbff\udfff"})"), "{\"a\":\"\xf4\x8f\xbf\xbf\"}");
}

TEST(PayloadJson, StringsAreReEscapedMinimally) {
  EXPECT_EQ(accepted(R"({"a":"\"\\\/\b\f\n\r\t\u0001\u001f\u007f\u0041\u00e9\u20ac"})"),
            "{\"a\":\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"
            "A\xc3\xa9\xe2\x82\xac\"}");
  EXPECT_EQ(accepted(R"({"\n\u0000":"<>&'"})"), R"({"\n\u0000":"<>&'"})");
}

TEST(PayloadJson, LongEscapedStringsAndKeysSurviveBoostsPartialDelivery) {
  // Boost hands strings with escapes over in parts once its 4 KiB buffer fills.
  std::string text;
  std::string expected;
  for (int i = 0; i < 3000; ++i) {
    text += "ab\\n\\u00e9\\\"";
    expected += "ab\\n\xc3\xa9\\\"";
  }
  EXPECT_EQ(accepted("{\"" + text + "\":\"" + text + "\"}"),
            "{\"" + expected + "\":\"" + expected + "\"}");
  EXPECT_NE(refused("{\"" + text + "\":1,\"" + expected + "\":2}").find("duplicate key"),
            std::string::npos);
}

TEST(PayloadJson, KeyGivenTwiceIsRefused) {
  EXPECT_EQ(refused(R"({"a":1,"a":2})"), R"(duplicate key "a", at byte 9 of the payload)");
  EXPECT_EQ(refused(R"({"a":1,"b":null,"a":1})"),
            R"(duplicate key "a", at byte 18 of the payload)");
  EXPECT_NE(refused(R"({"":1,"":2})").find(R"(duplicate key "")"), std::string::npos);
}

TEST(PayloadJson, KeysAreComparedAfterUnescaping) {
  EXPECT_EQ(refused(R"({"a":1,"\u0061":2})"), R"(duplicate key "a", at byte 14 of the payload)");
  EXPECT_NE(refused(R"({"\/":1,"/":2})").find("duplicate key \"/\""), std::string::npos);
  EXPECT_NE(refused(R"({"\u00e9":1,"é":2})").find("duplicate key \"\\xc3\\xa9\""),
            std::string::npos);
  EXPECT_NE(refused(R"({"\ud83d\ude00":1,"😀":2})").find("duplicate key"), std::string::npos);
  EXPECT_NE(refused(R"({"\n":1,"\u000a":2})").find(R"(duplicate key "\n")"), std::string::npos);
}

TEST(PayloadJson, KeyGivenTwiceAtAnyDepthIsRefused) {
  EXPECT_NE(refused(R"({"x":{"a":1,"a":2}})").find("duplicate key \"a\""), std::string::npos);
  EXPECT_NE(refused(R"({"x":[1,{"y":[{"a":1,"b":2,"a":3}]}]})").find("duplicate key \"a\""),
            std::string::npos);
  EXPECT_NE(refused(R"({"x":{"a":{}},"x":1})").find("duplicate key \"x\""), std::string::npos);
}

TEST(PayloadJson, SameKeyInDifferentObjectsIsFine) {
  const std::string_view json =
      R"({"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"c":{"b":1},"k":{"k":0}})";
  EXPECT_EQ(accepted(json), json);
}

TEST(PayloadJson, DuplicateKeysAreFoundInLargeObjects) {
  EXPECT_NE(accepted(many_keys(5000)), "");
  for (std::size_t count : {15u, 16u, 17u, 31u, 32u, 33u, 100u, 5000u}) {
    EXPECT_NE(refused(many_keys(count, R"("k0":1)")).find(R"(duplicate key "k0")"),
              std::string::npos)
        << count;
    const std::string last = cat({"\"k", std::to_string(count - 1), "\":1"});
    EXPECT_NE(refused(many_keys(count, last)).find("duplicate key"), std::string::npos) << count;
  }
}

TEST(PayloadJson, LargeObjectsNestedInLargeObjectsKeepTheirOwnKeys) {
  const std::string inner = many_keys(40);
  std::string json = "{";
  for (int i = 0; i < 40; ++i) json += cat({"\"k", std::to_string(i), "\":", inner, ","});
  json.pop_back();
  EXPECT_EQ(accepted(json + "}"), json + "}");
  EXPECT_NE(refused(json + ",\"k39\":0}").find("duplicate key \"k39\""), std::string::npos);
  const std::string bad_inner = many_keys(40, R"("k20":0)");
  EXPECT_NE(refused(json + ",\"z\":" + bad_inner + "}").find("duplicate key \"k20\""),
            std::string::npos);
}

TEST(PayloadJson, NestingOf32LevelsIsAccepted) {
  EXPECT_EQ(accepted(nested_objects(32)), nested_objects(32));
  EXPECT_EQ(accepted(nested_arrays(32)), nested_arrays(32));
  EXPECT_EQ(accepted(nested_objects(32), chat), nested_objects(32));
}

TEST(PayloadJson, NestingOf33LevelsIsRefused) {
  EXPECT_EQ(refused(nested_objects(33)),
            "nesting deeper than 32 levels, at byte 160 of the payload");
  EXPECT_EQ(refused(nested_arrays(33)), "nesting deeper than 32 levels, at byte 36 of the payload");
  EXPECT_NE(refused(nested_objects(100)).find("nesting deeper than 32 levels"), std::string::npos);
  EXPECT_NE(refused(R"({"retry":)" + nested_objects(32) + "}", chat).find("nesting deeper"),
            std::string::npos);
}

TEST(PayloadJson, IntegersInSixtyFourBitRangeStayExact) {
  EXPECT_EQ(accepted(R"({"a":[0,1,-1,42,9007199254740993,-9007199254740993]})"),
            R"({"a":[0,1,-1,42,9007199254740993,-9007199254740993]})");
  EXPECT_EQ(accepted(R"({"min":-9223372036854775808,"max":9223372036854775807})"),
            R"({"min":-9223372036854775808,"max":9223372036854775807})");
  EXPECT_EQ(accepted(R"({"u":9223372036854775808,"umax":18446744073709551615})"),
            R"({"u":9223372036854775808,"umax":18446744073709551615})");
}

TEST(PayloadJson, NegativeZeroIntegerIsWrittenAsZero) {
  EXPECT_EQ(accepted(R"({"a":-0})"), R"({"a":0})");
}

TEST(PayloadJson, IntegersBeyondSixtyFourBitsBecomeDoubles) {
  EXPECT_EQ(accepted(R"({"a":18446744073709551616})"), R"({"a":18446744073709551616.0})");
  EXPECT_EQ(accepted(R"({"a":-9223372036854775809})"), R"({"a":-9223372036854775808.0})");
  EXPECT_EQ(accepted(R"({"a":123456789012345678901234567890})"), R"({"a":1.2345678901234568e+29})");
}

TEST(PayloadJson, OtherNumbersAreShortestRoundTripDoubles) {
  EXPECT_EQ(accepted(R"({"a":[1.0,1.5,1.5e3,1e300,1E5,0.1,1e-7,2.50,100.0,1e0,0e10,0.0]})"),
            R"({"a":[1.0,1.5,1500.0,1e+300,1e+05,0.1,1e-07,2.5,100.0,1.0,0.0,0.0]})");
  EXPECT_EQ(accepted(R"({"a":[-0.0,-1.25,-1e-300,5e-324,0.1000000000000000055511151231257827]})"),
            R"({"a":[-0.0,-1.25,-1e-300,5e-324,0.1]})");
}

TEST(PayloadJson, DoublesAreRoundedCorrectlyWhereBoostIsNot) {
  // Boost 1.81 turns DBL_MAX into inf and is one ulp off on the others.
  EXPECT_EQ(accepted(R"({"a":[1.7976931348623157e308,1.7976931348623158e308]})"),
            R"({"a":[1.7976931348623157e+308,1.7976931348623157e+308]})");
  EXPECT_EQ(accepted(R"({"a":2.2250738585072011e-308})"), R"({"a":2.225073858507201e-308})");
  EXPECT_EQ(accepted(R"({"a":2.4703282292062328e-324})"), R"({"a":5e-324})");
}

TEST(PayloadJson, NumberThatUnderflowsBecomesZero) {
  EXPECT_EQ(accepted(R"({"a":[1e-400,-1e-400,2e-324]})"), R"({"a":[0.0,-0.0,0.0]})");
}

TEST(PayloadJson, NumberThatOverflowsADoubleIsRefused) {
  EXPECT_EQ(refused(R"({"a":1e400})"),
            "number out of range of a 64-bit float, at byte 10 of the payload");
  EXPECT_EQ(refused(R"({"a":-1e400})"),
            "number out of range of a 64-bit float, at byte 11 of the payload");
  EXPECT_NE(refused(R"({"a":1.7976931348623159e308})").find("out of range"), std::string::npos);
  EXPECT_NE(refused(R"({"a":[1,2,1e99999999999]})").find("out of range"), std::string::npos);
  EXPECT_NE(refused(cat({"{\"a\":1", std::string(400, '0'), "}"})).find("out of range"),
            std::string::npos);
  EXPECT_NE(refused(R"({"a":1e400})", chat).find("out of range"), std::string::npos);
}

TEST(PayloadJson, OutputIsAppendedAfterWhatOutHeld) {
  std::string out = "MSG t 1 ";
  EXPECT_EQ(canonicalize_payload(R"({ "a" : 1 })", any, out), "");
  EXPECT_EQ(out, R"(MSG t 1 {"a":1})");
  out = "MSG t 2 ";
  EXPECT_EQ(canonicalize_payload(R"({"x":1, "queue_update":false, "status":"s"})", chat, out), "");
  EXPECT_EQ(out, R"(MSG t 2 {"status":"s","x":1})");
  out = "MSG t 3 ";
  EXPECT_EQ(canonicalize_payload(R"({"status":"s", "x":1})", chat, out), "");
  EXPECT_EQ(out, R"(MSG t 3 {"status":"s","x":1})");
}

TEST(PayloadJson, ErrorReasonIsOnePrintableLine) {
  for (std::string_view json :
       {"{\"a\":\"\n\"}", "{\"a\xff\":1}", "{\"\\n\\u0001\xc3\xa9\":1,\"\\n\\u0001\xc3\xa9\":2}",
        "{\"\xc3\xa9\":1}", "[\x01]", "{\"a\":1}\x7f"}) {
    const std::string reason = refused(json, strict);
    for (char c : reason) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << reason;
  }
}

TEST(PayloadJson, CanonicalFormIsAFixedPoint) {
  const std::vector<std::string> inputs = {
      R"({ "b" : [ 1 , 2.50 , -0 , -0.0 , 1e3 , 1E+300 , 0.1e1 ] , "a" : { } })",
      R"({"s":"\u0000\u001f\b\f\n\r\t\"\\\/\u00e9\ud83d\ude00\u2028","\u0061\n":null})",
      R"({"n":[18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809]})",
      R"({"d":[5e-324,2.2250738585072014e-308,1.7976931348623157e308,123456789012345678,1e21,1e-7]})",
      R"({"wake_only":true,"status":"x","after_message_id":0,"zzz":{"b":[{},[]]},"retry":{}})",
      R"({"error":"e","x":false,"error_payload":{"a":{"b":null}},"worker_id":"w"})",
      nested_objects(32),
      many_keys(50),
  };
  for (PayloadSchema schema : {any, chat}) {
    for (const std::string& input : inputs) {
      const std::string once = accepted(input, schema);
      EXPECT_EQ(accepted(once, schema), once) << input;
    }
  }
}

// ---- chat_stream schema -----------------------------------------------------

TEST(ChatStreamPayload, ProtocolExampleDropsFalseAndOrdersKeys) {
  EXPECT_EQ(
      accepted(R"({"worker_id":"replica-2", "status":"running", "queue_update":false})", chat),
      R"({"status":"running","worker_id":"replica-2"})");
  EXPECT_EQ(refused(R"({"after_message_id":-4})", chat),
            "after_message_id must be an integer from 0 to 9223372036854775807");
}

TEST(ChatStreamPayload, EveryKnownKeyAcceptsItsType) {
  for (std::string_view json :
       {R"({"after_message_id":42})", R"({"after_message_id":9223372036854775807})",
        R"({"status":"running"})", R"({"worker_id":"replica-2"})",
        R"({"retry":{"attempt":2,"delay_ms":500,"error":"x","retrying_at":"t"}})",
        R"({"error_payload":{"message":"boom","detail":{"a":[1]}}})",
        R"({"error":"processing failed"})", R"({"queue_update":true})", R"({"full_refresh":true})",
        R"({"wake_only":true})"}) {
    EXPECT_EQ(accepted(json, chat), json);
    EXPECT_EQ(accepted(json, strict), json);
  }
}

TEST(ChatStreamPayload, EmptyObjectForRetryOrErrorPayloadIsForwarded) {
  EXPECT_EQ(accepted(R"({"retry":{}})", chat), R"({"retry":{}})");
  EXPECT_EQ(accepted(R"({"error_payload":{ }})", chat), R"({"error_payload":{}})");
}

TEST(ChatStreamPayload, ZeroValuesAreDropped) {
  for (std::string_view zero :
       {R"("after_message_id":0)", R"("after_message_id":-0)", R"("worker_id":"")", R"("error":"")",
        R"("queue_update":false)", R"("full_refresh":false)", R"("wake_only":false)"}) {
    const std::string json = cat({"{", zero, ",\"status\":\"s\"}"});
    EXPECT_EQ(accepted(json, chat), R"({"status":"s"})") << json;
  }
  EXPECT_EQ(accepted(R"({"status":"","worker_id":"w"})", chat), R"({"worker_id":"w"})");
}

TEST(ChatStreamPayload, NullIsDroppedForEveryKnownKey) {
  for (std::string_view key : {"after_message_id", "worker_id", "retry", "error_payload", "error",
                               "queue_update", "full_refresh", "wake_only"}) {
    const std::string json = cat({"{\"", key, "\":null,\"status\":\"s\"}"});
    EXPECT_EQ(accepted(json, chat), R"({"status":"s"})") << json;
  }
  EXPECT_EQ(accepted(R"({"status":null,"worker_id":"w"})", chat), R"({"worker_id":"w"})");
}

TEST(ChatStreamPayload, WrongTypeIsRefusedNamingTheKey) {
  struct Case {
    std::string_view json;
    std::string_view reason;
  };
  const std::string_view id = "after_message_id must be an integer from 0 to 9223372036854775807";
  for (const Case& c :
       std::vector<Case>{{R"({"after_message_id":-1})", id},
                         {R"({"after_message_id":1.0})", id},
                         {R"({"after_message_id":1e3})", id},
                         {R"({"after_message_id":1.5})", id},
                         {R"({"after_message_id":0.0})", id},
                         {R"({"after_message_id":9223372036854775808})", id},
                         {R"({"after_message_id":18446744073709551616})", id},
                         {R"({"after_message_id":"7"})", id},
                         {R"({"after_message_id":true})", id},
                         {R"({"after_message_id":{}})", id},
                         {R"({"after_message_id":-9223372036854775808})", id},
                         {R"({"status":1})", "status must be a string"},
                         {R"({"status":false})", "status must be a string"},
                         {R"({"status":["x"]})", "status must be a string"},
                         {R"({"worker_id":{}})", "worker_id must be a string"},
                         {R"({"error":false})", "error must be a string"},
                         {R"({"error":0})", "error must be a string"},
                         {R"({"retry":"soon"})", "retry must be an object"},
                         {R"({"retry":[]})", "retry must be an object"},
                         {R"({"retry":false})", "retry must be an object"},
                         {R"({"error_payload":"boom"})", "error_payload must be an object"},
                         {R"({"queue_update":0})", "queue_update must be a boolean"},
                         {R"({"queue_update":"true"})", "queue_update must be a boolean"},
                         {R"({"full_refresh":1})", "full_refresh must be a boolean"},
                         {R"({"wake_only":{}})", "wake_only must be a boolean"}}) {
    EXPECT_EQ(refused(c.json, chat), c.reason) << c.json;
    EXPECT_EQ(refused(c.json, strict), c.reason) << c.json;
    EXPECT_NE(accepted(c.json, any), "") << c.json;
  }
}

TEST(ChatStreamPayload, KnownKeysAreWrittenInStructOrder) {
  EXPECT_EQ(
      accepted(R"({"wake_only":true,"full_refresh":true,"queue_update":true,"error":"e",)"
               R"("error_payload":{"k":1},"retry":{"attempt":1},"worker_id":"w","status":"s",)"
               R"("after_message_id":12})",
               chat),
      R"({"after_message_id":12,"status":"s","worker_id":"w","retry":{"attempt":1},)"
      R"("error_payload":{"k":1},"error":"e","queue_update":true,"full_refresh":true,"wake_only":true})");
}

TEST(ChatStreamPayload, KnownKeyWrittenWithEscapesIsRecognised) {
  EXPECT_EQ(accepted(R"({"x":1,"st\u0061tus":"s"})", chat), R"({"status":"s","x":1})");
  EXPECT_EQ(refused(R"({"queue_upd\u0061te":1})", chat), "queue_update must be a boolean");
  EXPECT_EQ(refused(R"({"status":"s","st\u0061tus":"t"})", chat),
            R"(duplicate key "status", at byte 26 of the payload)");
}

TEST(ChatStreamPayload, UnknownKeysFollowKnownOnesInTheOrderGivenWithValuesAsGiven) {
  EXPECT_EQ(
      accepted(
          R"({"zeta":null,"status":"s","alpha":0,"beta":"","gamma":false,"after_message_id":7,)"
          R"("delta":{"status":1, "x":[]}})",
          chat),
      R"({"after_message_id":7,"status":"s","zeta":null,"alpha":0,"beta":"","gamma":false,)"
      R"("delta":{"status":1,"x":[]}})");
  EXPECT_EQ(accepted(R"({"Status":1})", chat), R"({"Status":1})");
}

TEST(ChatStreamPayload, OnlyUnknownKeysIsAcceptedWhenNotStrict) {
  EXPECT_EQ(accepted(R"({"new_field":0})", chat), R"({"new_field":0})");
}

TEST(ChatStreamPayload, InsidesOfRetryAndErrorPayloadAreNotSchemaChecked) {
  const std::string_view json =
      R"({"retry":{"after_message_id":-1,"status":5,"foo":null},"error_payload":{"wake_only":"x"}})";
  EXPECT_EQ(accepted(json, strict), json);
  EXPECT_NE(refused(R"({"retry":{"a":1,"a":2}})", chat).find("duplicate key \"a\""),
            std::string::npos);
}

TEST(ChatStreamPayload, StrictModeRefusesUnknownTopLevelKeys) {
  EXPECT_EQ(refused(R"({"status":"s","foo":1})", strict),
            R"(unknown key "foo" (strict_payloads is on))");
  EXPECT_EQ(refused(R"({"foo":null})", strict), R"(unknown key "foo" (strict_payloads is on))");
  EXPECT_EQ(refused(R"({"Status":"s"})", strict),
            R"(unknown key "Status" (strict_payloads is on))");
  EXPECT_EQ(refused(R"({"a\nb\u0001\"":1})", strict),
            R"(unknown key "a\nb\u0001\"" (strict_payloads is on))");
  EXPECT_EQ(refused("{\"caf\xc3\xa9\":1}", strict),
            R"(unknown key "caf\xc3\xa9" (strict_payloads is on))");
  EXPECT_EQ(refused(cat({"{\"", std::string(100, 'k'), "\":1}"}), strict),
            cat({"unknown key \"", std::string(64, 'k'), "...\" (strict_payloads is on)"}));
}

TEST(ChatStreamPayload, PayloadWithNothingLeftIsRefused) {
  for (PayloadSchema schema : {chat, strict}) {
    EXPECT_EQ(refused("{}", schema), "payload has no fields");
    EXPECT_EQ(
        refused(R"({"queue_update":false,"status":"","after_message_id":0,"retry":null})", schema),
        "payload has no fields left after dropping zero values");
  }
}

TEST(ChatStreamPayload, CanonicalPayloadIsForwardedUnchanged) {
  const std::string_view json =
      R"({"after_message_id":5,"status":"running","queue_update":true,"x":1,"a":2})";
  EXPECT_EQ(accepted(json, chat), json);
}

TEST(ChatStreamPayload, ManyMembersAreReorderedLikeFewOnes) {
  std::string json = many_keys(40, R"("wake_only":true,"after_message_id":3)");
  std::string expected = many_keys(40);
  expected.erase(0, 1);
  EXPECT_EQ(accepted(json, chat), cat({R"({"after_message_id":3,"wake_only":true,)", expected}));
}

TEST(ChatStreamPayload, JsonErrorsComeBeforeSchemaErrors) {
  EXPECT_EQ(refused(R"({"status":1,"a":1,"a":2})", chat),
            R"(duplicate key "a", at byte 20 of the payload)");
  EXPECT_EQ(refused(R"({"status":1,"a":1} x)", strict),
            "unexpected data after the JSON value, at byte 19 of the payload");
}

}  // namespace
}  // namespace chatbus
