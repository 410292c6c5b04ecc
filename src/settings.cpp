#include "chatbus/settings.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "chatbus/version.hpp"

namespace chatbus {

std::string encode_hello(std::size_t max_line, std::size_t max_subs, std::string_view node_id) {
  // A boost::json::object keeps insertion order, so the fields come out in
  // the order PROTOCOL.md shows.
  boost::json::object hello;
  hello["server"] = "chatbusd";
  hello["version"] = version;
  hello["proto"] = protocol_version;
  hello["node"] = node_id;
  hello["max_line"] = max_line;
  hello["max_subs"] = max_subs;
  return "OK " + boost::json::serialize(hello) + "\n";
}

std::shared_ptr<const Settings> make_settings(Config config, std::string_view node_id,
                                              std::uint64_t generation) {
  auto settings = std::make_shared<Settings>();
  settings->tokens = TokenTable(config.auth_tokens);
  settings->hello_reply = encode_hello(config.max_line, config.max_subs, node_id);
  settings->config = std::move(config);
  settings->generation = generation;
  return settings;
}

}  // namespace chatbus
