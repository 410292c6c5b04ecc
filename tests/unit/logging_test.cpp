// Tests for logging: level names, the text and JSON line formats, and that
// the daemon's logger writes to stderr.
//
// The format is checked through a logger with an ostream sink that the test
// attaches with spdlog::initialize_logger, which hands it the formatter that
// setup_logging installed registry-wide.
#include "chatbus/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace chatbus {
namespace {

/// A logger writing into `lines`, formatted as setup_logging decided; dropped
/// from spdlog's registry at the end of the test.
class CapturedLogger {
 public:
  CapturedLogger() {
    logger_ = std::make_shared<spdlog::logger>(
        "captured", std::make_shared<spdlog::sinks::ostream_sink_st>(lines_));
    spdlog::initialize_logger(logger_);
  }
  ~CapturedLogger() { spdlog::drop("captured"); }
  CapturedLogger(const CapturedLogger&) = delete;
  CapturedLogger& operator=(const CapturedLogger&) = delete;

  spdlog::logger& operator*() { return *logger_; }
  spdlog::logger* operator->() { return logger_.get(); }
  std::string text() const { return lines_.str(); }

 private:
  std::ostringstream lines_;                ///< everything logged so far
  std::shared_ptr<spdlog::logger> logger_;  ///< writes into lines_
};

/// 2026-12-01T07:00:00.123Z
spdlog::log_clock::time_point fixed_time() {
  using namespace std::chrono;
  return sys_days{year{2026} / December / 1} + hours{7} + milliseconds{123};
}

std::string json_line(LogFormat format, std::string_view message) {
  setup_logging("info", format);
  CapturedLogger logger;
  logger->log(fixed_time(), spdlog::source_loc{}, spdlog::level::info, message);
  return logger.text();
}

TEST(SetupLogging, AcceptsEveryDocumentedLevelName) {
  for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    EXPECT_NO_THROW(setup_logging(level, LogFormat::text)) << level;
  }
}

TEST(SetupLogging, UnknownLevelNameThrowsInvalidArgument) {
  for (const char* level : {"verbose", "", "INFO", "warning", "err", "info "}) {
    EXPECT_THROW(setup_logging(level, LogFormat::text), std::invalid_argument) << level;
  }
}

TEST(SetupLogging, LevelFiltersLessSevereMessages) {
  setup_logging("warn", LogFormat::text);
  CapturedLogger logger;
  logger->info("hidden");
  logger->warn("shown");
  EXPECT_EQ(logger.text().find("hidden"), std::string::npos);
  EXPECT_NE(logger.text().find("shown"), std::string::npos);
}

TEST(SetupLogging, DefaultLoggerWritesToStderr) {
  setup_logging("info", LogFormat::text);
  const auto& sinks = spdlog::default_logger()->sinks();
  ASSERT_EQ(sinks.size(), 1u);
  EXPECT_NE(dynamic_cast<spdlog::sinks::stderr_sink_mt*>(sinks.front().get()), nullptr);
  testing::internal::CaptureStderr();
  spdlog::info("listening on 127.0.0.1:{}", 7420);
  const std::string written = testing::internal::GetCapturedStderr();
  EXPECT_NE(written.find("] [info] listening on 127.0.0.1:7420\n"), std::string::npos) << written;
}

TEST(SetupLogging, TextFormatKeepsTheMessageUnchanged) {
  setup_logging("info", LogFormat::text);
  CapturedLogger logger;
  logger->info("listening on 127.0.0.1:{}", 7420);
  const std::regex line(
      R"(\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[info\] listening on 127\.0\.0\.1:7420\n)");
  EXPECT_TRUE(std::regex_match(logger.text(), line)) << logger.text();
}

TEST(SetupLogging, JsonFormatIsOneObjectPerLineWithUtcMilliseconds) {
  EXPECT_EQ(
      json_line(LogFormat::json, "listening on 127.0.0.1:7420"),
      R"({"time":"2026-12-01T07:00:00.123Z","level":"info","msg":"listening on 127.0.0.1:7420"})"
      "\n");
}

TEST(SetupLogging, JsonFormatEscapesQuotesBackslashesAndControlCharacters) {
  const std::string message = std::string("a \"q\" \\ b\nc\rd\te\x01 f\x1f") + '\0' + "g";
  EXPECT_EQ(json_line(LogFormat::json, message),
            R"({"time":"2026-12-01T07:00:00.123Z","level":"info","msg":)"
            R"("a \"q\" \\ b\nc\rd\te\u0001 f\u001f\u0000g"})"
            "\n");
}

TEST(SetupLogging, JsonFormatKeepsValidUtf8AndReplacesInvalidBytes) {
  // é, €, 😀 stay; a lone continuation byte, a truncated sequence, an
  // overlong '/', and a UTF-16 surrogate become U+FFFD each byte.
  const std::string message =
      "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \x80 \xe2\x82 \xc0\xaf \xed\xa0\x80";
  EXPECT_EQ(json_line(LogFormat::json, message),
            R"({"time":"2026-12-01T07:00:00.123Z","level":"info","msg":")"
            "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
            R"(\ufffd \ufffd\ufffd \ufffd\ufffd \ufffd\ufffd\ufffd"})"
            "\n");
}

TEST(SetupLogging, JsonFormatNamesTheLevel) {
  setup_logging("trace", LogFormat::json);
  CapturedLogger logger;
  logger->error("boom");
  EXPECT_NE(logger.text().find(R"("level":"error","msg":"boom"})"), std::string::npos)
      << logger.text();
}

TEST(SetupLogging, SwitchingBackToTextReplacesJson) {
  setup_logging("info", LogFormat::json);
  setup_logging("info", LogFormat::text);
  CapturedLogger logger;
  logger->info("plain");
  EXPECT_EQ(logger.text().front(), '[') << logger.text();
}

}  // namespace
}  // namespace chatbus
