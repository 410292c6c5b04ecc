// Tests for parse_config: every option from each source (flag, CHATBUS_*
// environment, TOML file), the precedence flag > env > file > default for
// each pair, the file's syntax, --help and --version. Invalid values are in
// config_invalid_test.cpp.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "chatbus/version.hpp"
#include "config_test_support.hpp"

namespace chatbus {
namespace {

using namespace std::chrono_literals;
using testing_support::ConfigTest;
using testing_support::ParseResult;
using testing_support::env_of;
using testing_support::expect_same_config;
using testing_support::key_of;
using testing_support::tokens_of;

/// One option set to a value other than its default.
struct OptionCase {
  std::string option;      ///< flag name without "--"
  std::string value;       ///< the value under test
  std::string other;       ///< a different value, given to the losing source
  void (*apply)(Config&);  ///< what `value` changes in a Config{}
};

const std::vector<OptionCase>& every_option() {
  static const std::vector<OptionCase> cases{
      {"bind", "0.0.0.0", "::1", [](Config& c) { c.bind = "0.0.0.0"; }},
      {"port", "9000", "9001", [](Config& c) { c.port = 9000; }},
      {"threads", "4", "8", [](Config& c) { c.threads = 4; }},
      {"auth-token", "tok1", "tok2", [](Config& c) { c.auth_tokens = testing_support::bare_tokens({"tok1"}); }},
      {"log-level", "debug", "error", [](Config& c) { c.log_level = "debug"; }},
      {"log-format", "json", "text", [](Config& c) { c.log_format = LogFormat::json; }},
      {"max-line", "1KiB", "2KiB", [](Config& c) { c.max_line = 1024; }},
      {"max-pending", "16MiB", "32MiB", [](Config& c) { c.max_pending = 16u << 20; }},
      {"max-total-pending", "64MiB", "128MiB", [](Config& c) { c.max_total_pending = 64u << 20; }},
      {"slow-consumer-timeout", "500ms", "1m", [](Config& c) { c.slow_consumer_timeout = 500ms; }},
      {"max-subs", "50", "60", [](Config& c) { c.max_subs = 50; }},
      {"max-connections", "7", "8", [](Config& c) { c.max_connections = 7; }},
      {"idle-timeout", "10m", "5s", [](Config& c) { c.idle_timeout = 10min; }},
      {"auth-timeout", "0", "1s", [](Config& c) { c.auth_timeout = 0ms; }},
      {"max-bad-lines", "0", "3", [](Config& c) { c.max_bad_lines = 0; }},
      {"topic-ttl", "300", "1m", [](Config& c) { c.topic_ttl = 5min; }},
      {"shutdown-timeout", "2s", "3s", [](Config& c) { c.shutdown_timeout = 2s; }},
      {"tcp-keepalive", "0", "2m", [](Config& c) { c.tcp_keepalive = 0s; }},
      {"strict-payloads", "true", "false", [](Config& c) { c.strict_payloads = true; }},
  };
  return cases;
}

Config expected_for(const OptionCase& test) {
  Config config;
  test.apply(config);
  return config;
}

std::string flag(const std::string& option, const std::string& value) {
  return "--" + option + "=" + value;
}

std::string file_line(const std::string& option, const std::string& value) {
  return key_of(option) + " = \"" + value + "\"\n";
}

/// Runs `check` once per option with a fresh environment and no file.
class EveryOption : public ConfigTest {
 protected:
  template <typename Check>
  void for_each_option(Check check) {
    for (const OptionCase& test : every_option()) {
      SCOPED_TRACE("option --" + test.option);
      check(test);
      unset_env(env_of(test.option));
    }
  }

  void expect_parses_to(const std::vector<std::string>& args, const OptionCase& test) {
    const auto result = parse(args);
    ASSERT_TRUE(result.config) << result.err;
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.err, "");
    expect_same_config(*result.config, expected_for(test));
  }
};

TEST_F(ConfigTest, NoArgumentsGiveTheDocumentedDefaults) {
  const auto result = parse({});
  ASSERT_TRUE(result.config) << result.err;
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out + result.err, "");
  expect_same_config(*result.config, Config{});
}

TEST_F(EveryOption, EachOptionIsReadFromItsFlag) {
  for_each_option([&](const OptionCase& t) { expect_parses_to({flag(t.option, t.value)}, t); });
}

TEST_F(EveryOption, EachOptionIsReadFromItsEnvironmentVariable) {
  for_each_option([&](const OptionCase& t) {
    set_env(env_of(t.option), t.value);
    expect_parses_to({}, t);
  });
}

TEST_F(EveryOption, EachOptionIsReadFromItsConfigFileKey) {
  for_each_option([&](const OptionCase& t) {
    expect_parses_to({"--config", config_file(file_line(t.option, t.value))}, t);
  });
}

TEST_F(EveryOption, FlagBeatsEnvironment) {
  for_each_option([&](const OptionCase& t) {
    set_env(env_of(t.option), t.other);
    expect_parses_to({flag(t.option, t.value)}, t);
  });
}

TEST_F(EveryOption, FlagBeatsConfigFile) {
  for_each_option([&](const OptionCase& t) {
    expect_parses_to(
        {"--config", config_file(file_line(t.option, t.other)), flag(t.option, t.value)}, t);
  });
}

// CLI11 2.1.2 on its own lets the file win here; config_file.cpp works around it.
TEST_F(EveryOption, EnvironmentBeatsConfigFile) {
  for_each_option([&](const OptionCase& t) {
    set_env(env_of(t.option), t.value);
    expect_parses_to({"--config", config_file(file_line(t.option, t.other))}, t);
  });
}

TEST_F(EveryOption, FlagBeatsEnvironmentAndConfigFile) {
  for_each_option([&](const OptionCase& t) {
    set_env(env_of(t.option), t.other);
    expect_parses_to(
        {flag(t.option, t.value), "--config", config_file(file_line(t.option, t.other))}, t);
  });
}

TEST_F(ConfigTest, EachSourceOnlyOverridesTheOptionsItSets) {
  set_env("CHATBUS_MAX_SUBS", "20");
  const auto result =
      parse({"--port", "9000", "--config", config_file("max_subs = 30\nthreads = 3\n")});
  ASSERT_TRUE(result.config) << result.err;
  Config expected;
  expected.port = 9000;
  expected.max_subs = 20;
  expected.threads = 3;
  expect_same_config(*result.config, expected);
}

TEST_F(ConfigTest, EmptyEnvironmentVariableCountsAsUnset) {
  set_env("CHATBUS_PORT", "");
  const auto result = parse({"--config", config_file("port = 9000\n")});
  ASSERT_TRUE(result.config) << result.err;
  EXPECT_EQ(result.config->port, 9000);
}

TEST_F(ConfigTest, ConfigFileTakesTomlNumbersBooleansStringsAndArrays) {
  const auto result = parse({"--config", config_file(R"(# a comment
max_line = "64KiB"
max_pending = 8388608   # bytes
port = 9000
strict_payloads = true
log_format = "json"
auth_token = ["a", "b"]
bind = '::1'
)")});
  ASSERT_TRUE(result.config) << result.err;
  Config expected;
  expected.port = 9000;
  expected.strict_payloads = true;
  expected.log_format = LogFormat::json;
  expected.auth_tokens = testing_support::bare_tokens({"a", "b"});
  expected.bind = "::1";
  expect_same_config(*result.config, expected);
}

TEST_F(ConfigTest, ConfigFileEmptyTokenArrayMeansNoTokens) {
  const auto result = parse({"--config", config_file("auth_token = []\n")});
  ASSERT_TRUE(result.config) << result.err;
  EXPECT_TRUE(result.config->auth_tokens.empty());
}

TEST_F(ConfigTest, ShippedConfigFileListsEveryOptionWithItsDefault) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "../../config/chatbusd.toml";
  const auto result = parse({"--config", path.string()});
  ASSERT_TRUE(result.config) << result.err;
  expect_same_config(*result.config, Config{});
  std::ifstream file(path);
  const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  for (const OptionCase& test : every_option()) {
    EXPECT_NE(text.find("\n" + key_of(test.option) + " = "), std::string::npos) << test.option;
  }
}

TEST_F(ConfigTest, ChatbusConfigVariableNamesTheConfigFile) {
  set_env("CHATBUS_CONFIG", config_file("port = 9000\n"));
  const auto result = parse({});
  ASSERT_TRUE(result.config) << result.err;
  EXPECT_EQ(result.config->port, 9000);
}

TEST_F(ConfigTest, ConfigFlagBeatsChatbusConfigVariable) {
  set_env("CHATBUS_CONFIG", config_file("port = 9000\n", "env.toml"));
  const auto result = parse({"--config", config_file("port = 9001\n", "flag.toml")});
  ASSERT_TRUE(result.config) << result.err;
  EXPECT_EQ(result.config->port, 9001);
}

TEST_F(ConfigTest, LaterFlagOverridesEarlierFlag) {
  const auto result =
      parse({"--port", "1", "--port", "2", "--log-level=debug", "--log-level=warn"});
  ASSERT_TRUE(result.config) << result.err;
  EXPECT_EQ(result.config->port, 2);
  EXPECT_EQ(result.config->log_level, "warn");
}

TEST_F(ConfigTest, BareStrictPayloadsFlagMeansTrueAndTakesFalse) {
  EXPECT_TRUE(parse({"--strict-payloads"}).config.value().strict_payloads);
  EXPECT_FALSE(parse({"--strict-payloads=false"}).config.value().strict_payloads);
  set_env("CHATBUS_STRICT_PAYLOADS", "true");
  EXPECT_FALSE(parse({"--strict-payloads=false"}).config.value().strict_payloads);
}

TEST_F(ConfigTest, StrictPayloadsAcceptsTrueAndFalseInEnvAndFile) {
  const std::initializer_list<std::pair<const char*, bool>> cases{
      {"true", true}, {"false", false}, {"TRUE", true}, {"1", true},
      {"0", false},   {"yes", true},    {"off", false}};
  for (const auto& [text, value] : cases) {
    SCOPED_TRACE(text);
    set_env("CHATBUS_STRICT_PAYLOADS", text);
    EXPECT_EQ(parse({}).config.value().strict_payloads, value);
    unset_env("CHATBUS_STRICT_PAYLOADS");
    const auto path = config_file(std::string("strict_payloads = ") + text + "\n");
    EXPECT_EQ(parse({"--config", path}).config.value().strict_payloads, value);
  }
}

TEST_F(ConfigTest, AuthTokensRepeatOrSplitOnCommasInEverySource) {
  const std::vector<std::string> both{"a", "b"};
  EXPECT_EQ(tokens_of(parse({"--auth-token", "a", "--auth-token", "b"}).config.value()), both);
  EXPECT_EQ(tokens_of(parse({"--auth-token=a,b"}).config.value()), both);
  EXPECT_EQ(tokens_of(parse({"--config", config_file("auth_token = \"a,b\"\n")}).config.value()),
            both);
  set_env("CHATBUS_AUTH_TOKEN", "a,b");
  EXPECT_EQ(tokens_of(parse({}).config.value()), both);
}

TEST_F(ConfigTest, HigherSourceReplacesTheWholeTokenList) {
  set_env("CHATBUS_AUTH_TOKEN", "e1,e2");
  const auto path = config_file("auth_token = [\"f1\", \"f2\"]\n");
  EXPECT_EQ(tokens_of(parse({"--config", path}).config.value()),
            (std::vector<std::string>{"e1", "e2"}));
  EXPECT_EQ(tokens_of(parse({"--config", path, "--auth-token", "c"}).config.value()),
            std::vector<std::string>{"c"});
}

TEST_F(ConfigTest, TokenEntriesWithPermissionsComeFromEverySource) {
  const std::vector<std::string> expected{"r", "w"};
  const auto check = [&](const ParseResult& result) {
    ASSERT_TRUE(result.config) << result.err;
    ASSERT_EQ(tokens_of(*result.config), expected);
    EXPECT_EQ(result.config->auth_tokens[0].sub.prefixes, (std::vector<std::string>{"a:", "b:"}));
    EXPECT_TRUE(result.config->auth_tokens[1].restricted);
    EXPECT_TRUE(result.config->auth_tokens[1].sub.prefixes.empty());
  };
  check(parse({"--auth-token", "r sub=a:,b:", "--auth-token", "w pub=a:"}));
  check(parse({"--config", config_file("auth_token = [\"r sub=a:,b:\", \"w pub=a:\"]\n")}));
  set_env("CHATBUS_AUTH_TOKEN", "r sub=a:,b:\nw pub=a:");
  check(parse({}));
}

TEST_F(ConfigTest, TokenFileComesFromFlagEnvironmentOrConfigFile) {
  const std::string tokens = config_file("# readers\nr sub=a:,b:\n\nw pub=a:\n", "tokens");
  const std::vector<std::string> expected{"r", "w"};
  for (const auto& result : {parse({"--auth-token-file", tokens}),
                             parse({"--config", config_file("auth_token_file = \"" + tokens + "\"\n")})}) {
    ASSERT_TRUE(result.config) << result.err;
    EXPECT_EQ(tokens_of(*result.config), expected);
    EXPECT_EQ(result.config->auth_token_file, tokens);
  }
  set_env("CHATBUS_AUTH_TOKEN_FILE", tokens);
  EXPECT_EQ(tokens_of(parse({}).config.value()), expected);
}

TEST_F(ConfigTest, TokenFileAddsToAuthTokenButNotTwice) {
  const std::string tokens = config_file("r sub=a:\n", "tokens");
  EXPECT_EQ(tokens_of(parse({"--auth-token-file", tokens, "--auth-token", "x"}).config.value()),
            (std::vector<std::string>{"x", "r"}));
  const auto twice = parse({"--auth-token-file", tokens, "--auth-token", "r"});
  EXPECT_FALSE(twice.config);
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.err, "chatbusd: --auth-token-file " + tokens + ": a token in it is also given with --auth-token\n");
  EXPECT_FALSE(parse({"--auth-token", "x", "--auth-token", "x"}).config);
}

TEST_F(ConfigTest, OnlyAnAuthTokenFlagCountsAsOnTheCommandLine) {
  EXPECT_TRUE(parse({"--auth-token", "x"}).config.value().auth_tokens_on_command_line);
  EXPECT_TRUE(parse({"--auth-token=x"}).config.value().auth_tokens_on_command_line);
  const std::string tokens = config_file("r\n", "tokens");
  EXPECT_FALSE(parse({"--auth-token-file", tokens}).config.value().auth_tokens_on_command_line);
  EXPECT_FALSE(parse({"--config", config_file("auth_token = [\"x\"]\n")}).config.value().auth_tokens_on_command_line);
  set_env("CHATBUS_AUTH_TOKEN", "x");
  EXPECT_FALSE(parse({}).config.value().auth_tokens_on_command_line);
}

TEST_F(ConfigTest, BareDurationIsSeconds) {
  const auto bare = parse({"--topic-ttl", "600"});
  const auto minutes = parse({"--topic-ttl", "10m"});
  ASSERT_TRUE(bare.config && minutes.config);
  EXPECT_EQ(bare.config->topic_ttl, minutes.config->topic_ttl);
  EXPECT_EQ(bare.config->topic_ttl, 10min);
}

TEST_F(ConfigTest, RangeLimitsThemselvesAreAccepted) {
  const auto result =
      parse({"--port=65535", "--threads=256", "--max-line=16MiB", "--max-pending=4096MiB",
             "--max-subs=10000000", "--max-connections=1", "--max-bad-lines=1000000",
             "--slow-consumer-timeout=1ms", "--shutdown-timeout=1440m", "--topic-ttl=86400",
             "--tcp-keepalive=32767", "--idle-timeout=0"});
  ASSERT_TRUE(result.config) << result.err;
  EXPECT_EQ(result.config->max_pending, std::size_t{4096} << 20);
  EXPECT_EQ(result.config->shutdown_timeout, 24h);
  EXPECT_EQ(result.config->tcp_keepalive, 32767s);
  EXPECT_TRUE(parse({"--port=0", "--max-line=64", "--max-pending=1KiB"}).config);
}

TEST_F(ConfigTest, HelpExplainsEveryOptionWithDefaultAndRangeAndExitsZero) {
  const auto result = parse({"--help"});
  EXPECT_FALSE(result.config);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  for (const OptionCase& test : every_option()) {
    EXPECT_NE(result.out.find("--" + test.option), std::string::npos) << test.option;
    EXPECT_NE(result.out.find(env_of(test.option)), std::string::npos) << test.option;
  }
  for (const char* text : {"--config",
                           "--version",
                           "--max-line SIZE=64KiB",
                           "64 to 16MiB bytes",
                           "--max-pending SIZE=8MiB",
                           "1KiB to 4096MiB",
                           "--port PORT=7420",
                           "0 to 65535",
                           "--topic-ttl DURATION=10m",
                           "0 to 1440m",
                           "--slow-consumer-timeout DURATION=30s",
                           "1ms to 1440m",
                           "0 to 32767s",
                           "0 to 256",
                           "1 to 10000000",
                           "0 to 1000000",
                           "--bind ADDRESS=127.0.0.1",
                           "LEVEL=info",
                           "FORMAT=text",
                           "Default: false",
                           "flag > environment > config file > default"}) {
    EXPECT_NE(result.out.find(text), std::string::npos) << text;
  }
}

TEST_F(ConfigTest, HelpNeverPrintsATokenFromAnySource) {
  set_env("CHATBUS_AUTH_TOKEN", "sekrit-env");
  const auto path = config_file("auth_token = [\"sekrit-file\"]\n");
  const auto result = parse({"--auth-token=sekrit-flag", "--config", path, "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.find("sekrit"), std::string::npos);
}

TEST_F(ConfigTest, HelpWorksWithABrokenConfigFile) {
  const auto result = parse({"--config", config_file("max_linee = 5\n"), "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("Usage"), std::string::npos);
}

TEST_F(ConfigTest, VersionPrintsNameAndVersionAndExitsZero) {
  const auto result = parse({"--version"});
  EXPECT_FALSE(result.config);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, std::string("chatbusd ") + version + "\n");
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace chatbus
