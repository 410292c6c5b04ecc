// chat:stream: payloads, the ChatStreamNotifyMessage schema and
// strict_payloads (PROTOCOL.md: Payloads), over the wire.
#include "payload_support.hpp"

namespace chatbus::itest {
namespace {

using ChatStream = PayloadTest;

TEST_F(ChatStream, ProtocolExampleIsCanonicalised) {
  EXPECT_EQ(forwarded_stream(R"({"worker_id":"replica-2", "status":"running", "queue_update":false})"),
            R"({"status":"running","worker_id":"replica-2"})");
  std::string reply = rejected_stream(R"({"after_message_id":-4})");
  EXPECT_TRUE(is_err(reply, "bad_payload"));
  EXPECT_NE(reply.find("after_message_id"), std::string::npos) << reply;
}

TEST_F(ChatStream, KnownKeysAreForwardedInStructOrder) {
  EXPECT_EQ(forwarded_stream(R"({"wake_only":true,"full_refresh":true,"queue_update":true,"error":"boom",)"
                             R"("error_payload":{"code":"x"},"retry":{"attempt":1},"worker_id":"w",)"
                             R"("status":"running","after_message_id":7})"),
            R"({"after_message_id":7,"status":"running","worker_id":"w","retry":{"attempt":1},)"
            R"("error_payload":{"code":"x"},"error":"boom","queue_update":true,"full_refresh":true,"wake_only":true})");
}

TEST_F(ChatStream, ZeroValuesAndNullAreDropped) {
  EXPECT_EQ(forwarded_stream(R"({"after_message_id":0,"status":"","worker_id":null,"retry":null,)"
                             R"("error_payload":null,"error":"","queue_update":false,"full_refresh":null,)"
                             R"("wake_only":true})"),
            R"({"wake_only":true})");
}

TEST_F(ChatStream, EmptyRetryAndErrorPayloadAreNotZeroValues) {
  EXPECT_EQ(forwarded_stream(R"({"retry":{}})"), R"({"retry":{}})");
  EXPECT_EQ(forwarded_stream(R"({"error_payload":{}})"), R"({"error_payload":{}})");
}

TEST_F(ChatStream, RetryAndErrorPayloadInsidesAreForwardedAsGiven) {
  std::string retry = R"({"zz":null,"attempt":0,"delay_ms":1500,"error":"","retrying_at":"2024-01-01T00:00:00Z",)"
                      R"("nested":{"b":false,"a":[]}})";
  std::string error_payload = R"({"kind":"x","detail":{"z":1,"a":""}})";
  EXPECT_EQ(forwarded_stream(R"({"error_payload":)" + error_payload + R"(,"retry": )" + retry + "}"),
            R"({"retry":)" + retry + R"(,"error_payload":)" + error_payload + "}");
}

TEST_F(ChatStream, KnownKeyWithTheWrongTypeIsBadPayloadNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"after_message_id", R"("1")"}, {"after_message_id", "true"}, {"status", "1"},
      {"status", "[]"},               {"worker_id", "true"},        {"retry", "[]"},
      {"retry", R"("soon")"},         {"retry", "0"},               {"error_payload", "1"},
      {"error_payload", "[1]"},       {"error", "false"},           {"error", "{}"},
      {"queue_update", "1"},          {"full_refresh", R"("true")"}, {"wake_only", "0"},
      {"wake_only", "{}"}};
  for (const auto& [key, value] : cases) {
    // A valid key beside the bad one, never the same key twice.
    std::string other = key == "status" ? R"("worker_id":"w")" : R"("status":"running")";
    std::string reply = rejected_stream("{" + other + ",\"" + key + "\":" + value + "}");
    EXPECT_TRUE(is_err(reply, "bad_payload")) << key << ":" << value;
    EXPECT_NE(reply.find(key), std::string::npos) << "the error should name " << key << ": " << reply;
  }
}

TEST_F(ChatStream, AfterMessageIdMustBeAnIntegerFrom0To2Pow63Minus1) {
  for (std::string_view id : {"-4", "-1", "1.5", "1.0", "0.0", "1e3", "1E3", "9223372036854775808",
                              "18446744073709551616", "99999999999999999999999"}) {
    std::string reply = rejected_stream(R"({"after_message_id":)" + std::string(id) + "}");
    EXPECT_TRUE(is_err(reply, "bad_payload")) << id;
    EXPECT_NE(reply.find("after_message_id"), std::string::npos) << reply;
  }
}

TEST_F(ChatStream, AfterMessageIdExtremesAreForwardedExactly) {
  EXPECT_EQ(forwarded_stream(R"({"after_message_id":9223372036854775807})"),
            R"({"after_message_id":9223372036854775807})");
  EXPECT_EQ(forwarded_stream(R"({"after_message_id":1})"), R"({"after_message_id":1})");
}

TEST_F(ChatStream, ObjectWithNoKeyLeftIsBadPayload) {
  for (std::string_view payload : {"{}", R"({"status":""})", R"({"after_message_id":0,"queue_update":false,)"
                                                             R"("worker_id":null,"retry":null})"}) {
    EXPECT_TRUE(is_err(rejected_stream(payload), "bad_payload")) << payload;
  }
}

TEST_F(ChatStream, NonObjectIsBadPayload) {
  for (std::string_view payload : {"[]", "1", "\"running\"", "null", "true"}) {
    EXPECT_TRUE(is_err(rejected_stream(payload), "bad_payload")) << payload;
  }
}

TEST_F(ChatStream, InvalidJsonAndDuplicateKeysAreBadPayload) {
  for (std::string_view payload : {R"({"status":"a",})", R"({"status":"a","status":"b"})",
                                   R"({"status":"a","st\u0061tus":"b"})", R"({"zz":1,"zz":2})",
                                   R"({"retry":{"a":1,"a":2}})", R"({"status":"\ud800"})"}) {
    EXPECT_TRUE(is_err(rejected_stream(payload), "bad_payload")) << payload;
  }
}

TEST_F(ChatStream, EscapedKnownKeyIsRecognisedAfterUnescaping) {
  EXPECT_EQ(forwarded_stream(R"({"worker_id":"w","st\u0061tus":"running"})"),
            R"({"status":"running","worker_id":"w"})");
}

TEST_F(ChatStream, UnknownKeysFollowTheKnownOnesInTheOrderGiven) {
  EXPECT_EQ(forwarded_stream(R"({"zeta":1,"status":"running","alpha":null,"after_message_id":5,"beta":0,)"
                             R"("gamma":"","delta":false,"eps":{"b":1,"a":2}})"),
            R"({"after_message_id":5,"status":"running","zeta":1,"alpha":null,"beta":0,"gamma":"",)"
            R"("delta":false,"eps":{"b":1,"a":2}})");
}

TEST_F(ChatStream, ObjectWithOnlyUnknownKeysIsForwarded) {
  EXPECT_EQ(forwarded_stream(R"({"future_field":null})"), R"({"future_field":null})");
}

TEST_F(ChatStream, StringValuesKeepTheirValue) {
  auto value = parsed(forwarded_stream(R"({"status":"<b>&</b>","worker_id":"r\u00e9plica \"2\"","error":"\n"})"));
  EXPECT_EQ(value.at("status"), "<b>&</b>");
  EXPECT_EQ(value.at("worker_id"), "r\xc3\xa9plica \"2\"");
  EXPECT_EQ(value.at("error"), "\n");
}

TEST_F(ChatStream, StatusIsNotCheckedAgainstAList) {
  EXPECT_EQ(forwarded_stream(R"({"status":"some_future_status"})"), R"({"status":"some_future_status"})");
}

TEST_F(ChatStream, NestingLimitAppliesInsideRetry) {
  std::string inner = nested_payload(31);  // levels 2..32 below the payload's object
  EXPECT_EQ(forwarded_stream(R"({"retry":)" + inner + "}"), R"({"retry":)" + inner + "}");
  EXPECT_TRUE(is_err(rejected_stream(R"({"retry":)" + nested_payload(32) + "}"), "bad_payload"));
}

class StrictPayloads : public PayloadTest {
 protected:
  StrictPayloads() : PayloadTest({"--strict-payloads", "--max-bad-lines", "0"}) {}
};

TEST_F(StrictPayloads, UnknownTopLevelKeyIsBadPayload) {
  std::string reply = rejected_stream(R"({"status":"running","future_field":1})");
  EXPECT_TRUE(is_err(reply, "bad_payload"));
  EXPECT_NE(reply.find("future_field"), std::string::npos) << reply;
  EXPECT_TRUE(is_err(rejected_stream(R"({"future_field":null})"), "bad_payload"));
}

TEST_F(StrictPayloads, InsidesOfRetryAndErrorPayloadAreNeverChecked) {
  EXPECT_EQ(forwarded_stream(R"({"retry":{"anything":1},"error_payload":{"whatever":[null]}})"),
            R"({"retry":{"anything":1},"error_payload":{"whatever":[null]}})");
}

TEST_F(StrictPayloads, KnownKeysAreStillAccepted) {
  EXPECT_EQ(forwarded_stream(R"({"queue_update":true,"status":"paused"})"),
            R"({"status":"paused","queue_update":true})");
}

TEST_F(StrictPayloads, OtherNamespacesStillAcceptAnyObject) {
  EXPECT_EQ(forwarded(R"({"future_field":1})", "other:topic"), R"({"future_field":1})");
}

}  // namespace
}  // namespace chatbus::itest
