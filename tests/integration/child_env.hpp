// child_env: argv/envp for a child process the tests start (chatbusd, and
// the chatbus CLI in tests/cli).
#pragma once

#include <string>
#include <vector>

namespace chatbus::itest {

/// This process's environment without CHATBUS_* variables: the daemon and
/// the CLI read those, and a test must see only what it passes.
std::vector<std::string> clean_environment();

/// Pointers into `strings`, null-terminated, for execve.
std::vector<char*> c_strings(std::vector<std::string>& strings);

}  // namespace chatbus::itest
