// Tests for parse_config's refusals: every class of invalid value, option or
// config file ends with exit code 2 and one line on stderr naming the option
// and what it accepts; an auth token is never echoed.
#include "config_test_support.hpp"

namespace chatbus {
namespace {

using testing_support::ConfigTest;
using testing_support::ParseResult;

/// Exit code 2, no Config, nothing on `out`, and exactly one "chatbusd: " line on `err`.
void expect_refused(const ParseResult& result) {
  EXPECT_FALSE(result.config);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err.rfind("chatbusd: ", 0), 0u) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_EQ(result.err.back(), '\n');
}

/// An invalid flag and what the message must contain.
struct BadValue {
  std::string arg;      ///< e.g. "--port=http"
  std::string message;  ///< a part of the expected message
};

void expect_all_refused(const std::vector<BadValue>& cases) {
  for (const BadValue& test : cases) {
    SCOPED_TRACE(test.arg);
    const auto result = ConfigTest::parse({test.arg});
    expect_refused(result);
    EXPECT_NE(result.err.find(test.message), std::string::npos) << result.err;
  }
}

TEST_F(ConfigTest, MalformedSizeNamesOptionAndAcceptedRange) {
  const auto result = parse({"--max-line", "12x"});
  expect_refused(result);
  EXPECT_EQ(result.err,
            "chatbusd: --max-line: \"12x\" is not a size; expected 64 to 16MiB bytes (suffix B, "
            "KiB or MiB)\n");
  expect_all_refused({{"--max-pending=-1", "--max-pending: \"-1\" is not a size"},
                      {"--max-pending=1.5MiB", "--max-pending: \"1.5MiB\" is not a size"},
                      {"--max-line=1GiB", "--max-line: \"1GiB\" is not a size"},
                      {"--max-line=99999999999999999999", "--max-line"}});
}

TEST_F(ConfigTest, SizeOutsideItsRangeIsRefused) {
  expect_all_refused({
      {"--max-line=63", "--max-line: \"63\" is out of range; expected 64 to 16MiB bytes"},
      {"--max-line=16777217", "--max-line: \"16777217\" is out of range"},
      {"--max-pending=1023", "--max-pending: \"1023\" is out of range; expected 1KiB to 4096MiB"},
      {"--max-pending=4097MiB", "--max-pending: \"4097MiB\" is out of range"},
  });
}

TEST_F(ConfigTest, MaxPendingMayBeBelowMaxLine) {
  // A MSG is queued whenever the queue has not passed the limit yet, so
  // even a line longer than max_pending gets through to an idle reader.
  const auto result = parse({"--max-line=64KiB", "--max-pending=16KiB"});
  ASSERT_TRUE(result.config) << result.err;
  EXPECT_EQ(result.config->max_pending, 16u * 1024);
}

TEST_F(ConfigTest, WholeNumberOptionsRefuseGarbageSignsSuffixesAndOutOfRange) {
  expect_all_refused({
      {"--port=http", "--port: \"http\" is not a whole number; expected 0 to 65535"},
      {"--port=-1", "--port: \"-1\" is not a whole number"},
      {"--port=1.5", "--port: \"1.5\" is not a whole number"},
      {"--port=65536", "--port: \"65536\" is out of range; expected 0 to 65535"},
      {"--threads=257", "--threads: \"257\" is out of range; expected 0 to 256"},
      {"--max-subs=0", "--max-subs: \"0\" is out of range; expected 1 to 10000000"},
      {"--max-subs=10000001", "--max-subs: \"10000001\" is out of range"},
      {"--max-subs=1K", "--max-subs: \"1K\" is not a whole number"},
      {"--max-connections=0", "--max-connections: \"0\" is out of range; expected 1 to 10000000"},
      {"--max-bad-lines=1000001", "--max-bad-lines: \"1000001\" is out of range; expected 0 to"},
  });
}

TEST_F(ConfigTest, DurationOptionsRefuseGarbageAndOutOfRange) {
  expect_all_refused({
      {"--auth-timeout=5h",
       "--auth-timeout: \"5h\" is not a duration; expected 0 to 1440m "
       "(suffix ms, s or m; no suffix = seconds)"},
      {"--auth-timeout=-1", "--auth-timeout: \"-1\" is not a duration"},
      {"--idle-timeout=1.5s", "--idle-timeout: \"1.5s\" is not a duration"},
      {"--idle-timeout=86401", "--idle-timeout: \"86401\" is out of range; expected 0 to 1440m"},
      {"--topic-ttl=1441m", "--topic-ttl: \"1441m\" is out of range"},
      {"--slow-consumer-timeout=0",
       "--slow-consumer-timeout: \"0\" is out of range; expected 1ms to 1440m"},
      {"--shutdown-timeout=0ms", "--shutdown-timeout: \"0ms\" is out of range; expected 1ms"},
      {"--tcp-keepalive=32768", "--tcp-keepalive: \"32768\" is out of range; expected 0 to 32767s"},
      {"--tcp-keepalive=1500ms", "--tcp-keepalive: \"1500ms\" is not a whole number of seconds"},
  });
}

TEST_F(ConfigTest, ChoiceOptionsNameTheAcceptedValues) {
  expect_all_refused({
      {"--log-level=verbose",
       "--log-level: \"verbose\" is not a log level; expected one of "
       "trace, debug, info, warn, error, critical, off"},
      {"--log-format=xml", "--log-format: \"xml\" is not a log format; expected text or json"},
      {"--strict-payloads=maybe",
       "--strict-payloads: \"maybe\" is not a boolean; expected true "
       "or false"},
      {"--bind=localhost", "--bind: \"localhost\" is not an IP address; expected an IPv4 or IPv6"},
      {"--bind=", "--bind"},
  });
}

TEST_F(ConfigTest, EchoedValueStaysOnOneShortLine) {
  const auto result = parse({"--log-level=a\nb" + std::string(200, 'x')});
  expect_refused(result);
  EXPECT_NE(result.err.find("\"a\\x0ab"), std::string::npos) << result.err;
  EXPECT_LT(result.err.size(), 200u);
}

TEST_F(ConfigTest, InvalidValueFromEnvironmentOrFileNamesTheOption) {
  set_env("CHATBUS_MAX_LINE", "12x");
  auto result = parse({});
  expect_refused(result);
  EXPECT_NE(result.err.find("--max-line: \"12x\" is not a size"), std::string::npos);
  unset_env("CHATBUS_MAX_LINE");
  result = parse({"--config", config_file("port = 70000\n")});
  expect_refused(result);
  EXPECT_NE(result.err.find("--port: \"70000\" is out of range"), std::string::npos);
}

TEST_F(ConfigTest, UnknownOptionOrStrayArgumentIsRefused) {
  auto result = parse({"--max-linee=5"});
  expect_refused(result);
  EXPECT_EQ(result.err, "chatbusd: unknown option --max-linee (see --help)\n");
  expect_refused(parse({"stray"}));
  expect_refused(parse({"-x"}));
}

TEST_F(ConfigTest, OptionWithoutItsValueIsRefused) {
  const auto result = parse({"--port"});
  expect_refused(result);
  EXPECT_NE(result.err.find("--port"), std::string::npos);
}

/// A config file and the part of the message that must name its problem.
struct BadFile {
  std::string text;
  std::string message;
};

TEST_F(ConfigTest, ABareLineInTheConfigFileIsNeverEchoed) {
  const std::string path = config_file("port = 5\nS3cr3t-T0ken-9f8e\n");
  const auto result = parse({"--config", path});
  expect_refused(result);
  EXPECT_NE(result.err.find("line 2 is not key = value"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("S3cr3t"), std::string::npos) << result.err;
}

TEST_F(ConfigTest, BadConfigFileIsRefusedWithTheProblemNamed) {
  const std::vector<BadFile> cases{
      {"max_linee = 5\n", "unknown key \"max_linee\""},
      {"max-line = 5\n", "unknown key \"max-line\" (keys use underscores: max_line)"},
      {"CHATBUS_PORT = 5\n", "unknown key \"CHATBUS_PORT\""},
      {"help = true\n", "unknown key \"help\""},
      {"port = 5\nS3cr3t-T0ken\n", "line 2 is not key = value (its text is not shown: it may be a secret)"},
      {"[server]\nport = 5\n", "section or dotted key \"server\" is not supported"},
      {"server.port = 5\n", "section or dotted key \"server\" is not supported"},
      {"port = 1\nbind = \"::\"\nport = 2\n", "key port is given twice"},
      {"max_line = 64 KiB\n", "key max_line takes a single value"},
      {"port = [1, 2]\n", "key port takes a single value"},
      {"bind = \"\"\n", "key bind has an empty value"},
      {"strict_payloads = \"\"\n", "key strict_payloads has an empty value"},
      {"auth_token = [\"a#b\"]\n", "line 1: '#' inside a quoted value is not supported"},
      {"auth_token = [\n  \"a\", # one\n  \"b\"\n]\n", "line 2: a comment inside a multi-line"},
  };
  for (const BadFile& test : cases) {
    SCOPED_TRACE(test.text);
    const std::string path = config_file(test.text);
    const auto result = parse({"--config", path});
    expect_refused(result);
    EXPECT_NE(result.err.find("chatbusd: --config " + path + ": "), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find(test.message), std::string::npos) << result.err;
  }
}

TEST_F(ConfigTest, MissingOrUnreadableConfigFileIsRefused) {
  const std::string missing = dir() + "/missing.toml";
  auto result = parse({"--config", missing});
  expect_refused(result);
  EXPECT_EQ(result.err, "chatbusd: --config: \"" + missing + "\" is not a readable file\n");
  expect_refused(parse({"--config", dir()}));  // a directory
  set_env("CHATBUS_CONFIG", missing);
  result = parse({});
  expect_refused(result);
  EXPECT_NE(result.err.find(missing), std::string::npos);
}

TEST_F(ConfigTest, EmptyAuthTokenIsRefusedWithoutEcho) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--auth-token", ""}, {"--auth-token=a,,b"}, {"--auth-token=a,"}}) {
    const auto result = parse(args);
    expect_refused(result);
    EXPECT_EQ(result.err.rfind("chatbusd: --auth-token: the value ", 0), 0u) << result.err;
    EXPECT_NE(result.err.find("empty"), std::string::npos) << result.err;
  }
}

TEST_F(ConfigTest, TokenWithStrayWordOrControlCharacterIsRefusedWithoutEcho) {
  set_env("CHATBUS_AUTH_TOKEN", "sekrit token");
  auto result = parse({});
  expect_refused(result);
  EXPECT_EQ(result.err,
            "chatbusd: --auth-token: word 2 after the token is neither pub=<prefixes> nor "
            "sub=<prefixes>\n");
  unset_env("CHATBUS_AUTH_TOKEN");
  result = parse({"--auth-token", "sekrit\x7f"});
  expect_refused(result);
  EXPECT_EQ(result.err, "chatbusd: --auth-token: the token contains a control character\n");
}

TEST_F(ConfigTest, BadTokenFileLineIsNamedWithoutTheToken) {
  const std::string tokens = config_file("fine\n\n# c\nsekrit pub=a:,b/c\n", "tokens");
  const auto result = parse({"--auth-token-file", tokens});
  expect_refused(result);
  EXPECT_EQ(result.err.rfind("chatbusd: --auth-token-file " + tokens + ":4: ", 0), 0u) << result.err;
  EXPECT_EQ(result.err.find("sekrit"), std::string::npos) << result.err;
}

TEST_F(ConfigTest, MissingTokenFileIsRefused) {
  const auto result = parse({"--auth-token-file", dir() + "/nope"});
  expect_refused(result);
  EXPECT_EQ(result.err, "chatbusd: --auth-token-file " + dir() + "/nope: cannot be read: No such file or directory\n");
}

TEST_F(ConfigTest, NoErrorMessageEchoesAToken) {
  const std::vector<std::vector<std::string>> cases{
      {"--auth-tokn=sekrit"},                  // misspelt option
      {"-tsekrit"},                            // unknown short option with a value
      {"--auth-token", "ok", "sekrit"},        // stray argument
      {"--strict-payloads", "sekrit"},         // stray argument after a flag
      {"--auth-token=sekrit", "--port=http"},  // another option's error
  };
  for (const auto& args : cases) {
    const auto result = parse(args);
    expect_refused(result);
    EXPECT_EQ(result.err.find("sekrit"), std::string::npos) << result.err;
  }
  const auto result = parse({"--config", config_file("auth_token = [\"se#krit\"]\nport = 1\n")});
  expect_refused(result);
  EXPECT_EQ(result.err.find("krit"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace chatbus
