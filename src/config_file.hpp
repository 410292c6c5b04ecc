// config_file: chatbusd's TOML config file, read through CLI11's own parser
// with the three things CLI11 2.1.2 does not do by itself:
//
//  * Keys are the option names with underscores (`max_line` for --max-line);
//    CLI11 only matches a key spelt exactly like the option.
//  * An unknown, repeated or sectioned key is an error: a misspelt limit that
//    is silently ignored runs production on the default.
//  * Precedence. CLI11 2.1.2 reads the file before the environment and fills
//    an option from its env variable only if nothing set it yet, so a file
//    value beats CHATBUS_*. A key whose env variable is set (non-empty, the
//    same test CLI11 applies) is therefore dropped here, which lets CLI11's
//    env lookup fill the option: flag > env > file > default. A dropped value
//    is not validated, just as CLI11 never looks at a file value a flag
//    overrides.
//
// Problems are thrown as CLI::FileError, which CLI11 holds back until --help
// and --version have been handled, so `--help` works with a broken file.
// Messages never echo a value (it may be an auth token).
//
// Startup only; an instance is used by one CLI::App on one thread.
#pragma once

#include <CLI/CLI.hpp>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace chatbus::config_detail {

class ConfigFile final : public CLI::ConfigBase {
 public:
  /// One key the file may hold.
  struct Key {
    std::string key;     ///< as written in the file: max_line
    std::string option;  ///< the option's long name, which CLI11 matches: max-line
    std::string env;     ///< the variable that overrides it: CHATBUS_MAX_LINE
    bool list = false;   ///< takes an array (auth_token)
  };

  explicit ConfigFile(std::vector<Key> keys) : keys_(std::move(keys)) {}

  /// Parses with CLI11, then checks, renames and filters the items (see above).
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

 private:
  /// The Key for an item, or throws FileError naming the unknown key.
  const Key& accepted_key(const CLI::ConfigItem& item) const;

  std::vector<Key> keys_;  ///< every accepted key
};

}  // namespace chatbus::config_detail
