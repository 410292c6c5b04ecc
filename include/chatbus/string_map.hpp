// string_map: an unordered_map keyed by std::string that can be searched
// with a std::string_view, so lookups on the hot path allocate nothing.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chatbus {

/// Hash that accepts anything convertible to std::string_view.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace chatbus
