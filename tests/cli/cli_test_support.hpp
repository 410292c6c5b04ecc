// cli_test_support: small helpers shared by the end-to-end CLI tests.
#pragma once

#include "cli_process.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <initializer_list>
#include <string>
#include <vector>

namespace chatbus::ctest {

/// `first` followed by `more`.
inline std::vector<std::string> with(std::vector<std::string> first, std::initializer_list<std::string> more) {
  first.insert(first.end(), more);
  return first;
}

/// `first` followed by `more`.
inline std::vector<std::string> with(std::vector<std::string> first, const std::vector<std::string>& more) {
  first.insert(first.end(), more.begin(), more.end());
  return first;
}

/// Each line of `text` parsed as one JSON object (throws if one is not).
inline std::vector<boost::json::object> json_lines(const std::string& text) {
  std::vector<boost::json::object> objects;
  for (const auto& line : lines_of(text)) objects.push_back(boost::json::parse(line).as_object());
  return objects;
}

/// The line the sub command prints to stderr once every SUB is in place.
inline std::string subscribed_line(std::string_view targets) { return "chatbus: subscribed to " + std::string(targets); }

}  // namespace chatbus::ctest
