#include "child_env.hpp"

#include <cstring>

extern char** environ;

namespace chatbus::itest {

std::vector<std::string> clean_environment() {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "CHATBUS_", 8) != 0) env.emplace_back(*entry);
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace chatbus::itest
