// config_file: chatbusd's checks and precedence fix on top of CLI11's TOML
// reader (see config_file.hpp for why each exists).
#include "config_file.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <set>
#include <sstream>

namespace chatbus::config_detail {
namespace {

[[noreturn]] void fail(const std::string& message) { throw CLI::FileError(message); }

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

/// The part of a value before its comment. CLI11 cuts a value at its first
/// '#', even inside quotes, which would silently shorten a token such as
/// "ab#c"; such a value is refused instead.
std::string_view strip_comment(std::string_view value, std::size_t line) {
  char quote = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      if (c == '#') {
        fail("line " + std::to_string(line) + ": '#' inside a quoted value is not supported");
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      return trim(value.substr(0, i));
    }
  }
  return trim(value);
}

/// Refuses what CLI11's line-based reader would get silently wrong: '#' in a
/// quoted value, and comments inside an array spread over several lines
/// (CLI11 glues those lines together, comments included).
void check_comments(const std::string& text) {
  std::istringstream lines(text);
  bool in_array = false;
  std::size_t number = 0;
  for (std::string raw; std::getline(lines, raw);) {
    ++number;
    const std::string_view line = trim(raw);
    if (in_array) {
      if (line.find('#') != std::string_view::npos) {
        fail("line " + std::to_string(number) +
             ": a comment inside a multi-line array is not "
             "supported");
      }
      in_array = line.empty() || line.back() != ']';
      continue;
    }
    const auto equals = line.find('=');
    if (line.empty() || line.front() == '#' || line.front() == ';' || line.front() == '[') continue;
    if (equals == line.npos) {
      // A bare word is most often a pasted token: name the line, never its
      // text (this message is logged on a reload).
      fail("line " + std::to_string(number) + " is not key = value (its text is not shown: it may be a secret)");
    }
    const std::string_view value = strip_comment(line.substr(equals + 1), number);
    in_array = !value.empty() && value.front() == '[' && value.back() != ']';
  }
}

/// Values for a key CLI11 would misread: a list for a single value (often an
/// unquoted value with a blank, which CLI11 splits), or an empty value (which
/// CLI11 turns into `true` for a flag).
void check_values(const ConfigFile::Key& key, const CLI::ConfigItem& item) {
  if (key.list) return;
  if (item.inputs.size() != 1) {
    fail("key " + key.key +
         " takes a single value (quote a value that holds a blank, "
         "and give each key once)");
  }
  if (item.inputs.front().empty()) fail("key " + key.key + " has an empty value");
}

/// True when CHATBUS_* is set, so the environment must win over the file.
bool overridden_by_env(const ConfigFile::Key& key) {
  const char* value = std::getenv(key.env.c_str());
  return value != nullptr && *value != '\0';
}

}  // namespace

const ConfigFile::Key& ConfigFile::accepted_key(const CLI::ConfigItem& item) const {
  if (!item.parents.empty()) {
    fail("section or dotted key \"" + CLI::detail::join(item.parents, ".") +
         "\" is not supported; every key belongs at the top level");
  }
  const auto match = [this](std::string_view name) {
    return std::find_if(keys_.begin(), keys_.end(), [name](const Key& k) { return k.key == name; });
  };
  if (const auto found = match(item.name); found != keys_.end()) return *found;
  std::string underscored = item.name;
  std::replace(underscored.begin(), underscored.end(), '-', '_');
  if (underscored != item.name && match(underscored) != keys_.end()) {
    fail("unknown key \"" + item.name + "\" (keys use underscores: " + underscored + ")");
  }
  fail("unknown key \"" + item.name + "\"");
}

std::vector<CLI::ConfigItem> ConfigFile::from_config(std::istream& input) const {
  const std::string text{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
  check_comments(text);
  std::istringstream copy(text);
  std::vector<CLI::ConfigItem> kept;
  std::set<std::string> seen;
  for (CLI::ConfigItem& item : CLI::ConfigBase::from_config(copy)) {
    const Key& key = accepted_key(item);
    if (!seen.insert(key.key).second) fail("key " + key.key + " is given twice");
    check_values(key, item);
    // An empty array is "no values", the default; CLI11 has nothing to add.
    if (overridden_by_env(key) || item.inputs.empty()) continue;
    item.name = key.option;
    kept.push_back(std::move(item));
  }
  return kept;
}

}  // namespace chatbus::config_detail
