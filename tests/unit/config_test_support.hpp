// Test support for parse_config: runs it on an argument list with a clean
// CHATBUS_* environment and temporary config files, and restores both after
// each test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "chatbus/config.hpp"

extern char** environ;  // POSIX; used to find every CHATBUS_* variable to clear

namespace chatbus::testing_support {

/// What one parse_config call produced.
struct ParseResult {
  std::optional<Config> config;  ///< the result, if parsing succeeded
  int exit_code = -1;            ///< as parse_config set it
  std::string out;               ///< what it wrote to `out`
  std::string err;               ///< what it wrote to `err`
};

/// Fixture: CHATBUS_* variables are cleared before and restored after each
/// test; files written with config_file() live in a per-test directory.
class ConfigTest : public ::testing::Test {
 public:
  /// parse_config on "chatbusd" followed by `args`.
  static ParseResult parse(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"chatbusd"};
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    std::ostringstream out, err;
    ParseResult result;
    result.config =
        parse_config(static_cast<int>(argv.size()), argv.data(), result.exit_code, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
  }

 protected:
  void SetUp() override {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string variable = *entry;
      if (variable.rfind("CHATBUS_", 0) == 0) {
        const auto equals = variable.find('=');
        saved_env_.emplace_back(variable.substr(0, equals), variable.substr(equals + 1));
      }
    }
    for (const auto& [name, value] : saved_env_) unsetenv(name.c_str());
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("chatbus_config_test_" + std::string(test->name()) + "_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }

  void TearDown() override {
    for (const std::string& name : set_env_) unsetenv(name.c_str());
    for (const auto& [name, value] : saved_env_) setenv(name.c_str(), value.c_str(), 1);
    std::filesystem::remove_all(dir_);
  }

  /// Sets an environment variable for this test only.
  void set_env(const std::string& name, const std::string& value) {
    setenv(name.c_str(), value.c_str(), 1);
    set_env_.push_back(name);
  }

  /// Removes a variable set with set_env before the test ends.
  static void unset_env(const std::string& name) { unsetenv(name.c_str()); }

  /// Writes a config file for this test and returns its path.
  std::string config_file(const std::string& text, const std::string& name = "chatbusd.toml") {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  std::string dir() const { return dir_.string(); }

 private:
  std::vector<std::pair<std::string, std::string>> saved_env_;  ///< CHATBUS_* before the test
  std::vector<std::string> set_env_;                            ///< set during the test
  std::filesystem::path dir_;                                   ///< this test's files
};

/// "max-line" -> "CHATBUS_MAX_LINE", written out independently of the code under test.
inline std::string env_of(std::string option) {
  for (char& c : option) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return "CHATBUS_" + option;
}

/// "max-line" -> "max_line".
inline std::string key_of(std::string option) {
  for (char& c : option) c = c == '-' ? '_' : c;
  return option;
}

/// Bare token entries (no permissions), as a Config holds them.
inline std::vector<TokenEntry> bare_tokens(std::initializer_list<const char*> tokens) {
  std::vector<TokenEntry> entries;
  for (const char* token : tokens) entries.push_back(TokenEntry{token, false, {}, {}});
  return entries;
}

/// Just the tokens of a Config, for short comparisons.
inline std::vector<std::string> tokens_of(const Config& config) {
  std::vector<std::string> tokens;
  for (const TokenEntry& entry : config.auth_tokens) tokens.push_back(entry.token);
  return tokens;
}

/// Every field of two Configs, compared one by one so a failure names it.
inline void expect_same_config(const Config& actual, const Config& expected) {
  EXPECT_EQ(actual.bind, expected.bind);
  EXPECT_EQ(actual.port, expected.port);
  EXPECT_EQ(actual.threads, expected.threads);
  EXPECT_EQ(actual.auth_tokens, expected.auth_tokens);
  EXPECT_EQ(actual.auth_token_file, expected.auth_token_file);
  EXPECT_EQ(actual.log_level, expected.log_level);
  EXPECT_EQ(actual.log_format, expected.log_format);
  EXPECT_EQ(actual.max_line, expected.max_line);
  EXPECT_EQ(actual.max_pending, expected.max_pending);
  EXPECT_EQ(actual.slow_consumer_timeout, expected.slow_consumer_timeout);
  EXPECT_EQ(actual.max_subs, expected.max_subs);
  EXPECT_EQ(actual.max_connections, expected.max_connections);
  EXPECT_EQ(actual.idle_timeout, expected.idle_timeout);
  EXPECT_EQ(actual.auth_timeout, expected.auth_timeout);
  EXPECT_EQ(actual.max_bad_lines, expected.max_bad_lines);
  EXPECT_EQ(actual.topic_ttl, expected.topic_ttl);
  EXPECT_EQ(actual.shutdown_timeout, expected.shutdown_timeout);
  EXPECT_EQ(actual.tcp_keepalive, expected.tcp_keepalive);
  EXPECT_EQ(actual.strict_payloads, expected.strict_payloads);
  EXPECT_EQ(actual.tls_cert, expected.tls_cert);
  EXPECT_EQ(actual.tls_key, expected.tls_key);
  EXPECT_EQ(actual.tls_ca, expected.tls_ca);
}

}  // namespace chatbus::testing_support
