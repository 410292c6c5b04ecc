// arguments: the `chatbus` command line (CLI11), environment defaults and
// the token file, turned into an Invocation.
#pragma once

#include "cli/options.hpp"

#include <iosfwd>
#include <optional>

namespace chatbus::cli {

/// Parses argv. On --help/--version (exit_code 0) or a usage error
/// (exit_code 2, message on `err`) returns nullopt.
std::optional<Invocation> parse_arguments(int argc, const char* const* argv, int& exit_code, std::ostream& out,
                                          std::ostream& err);

}  // namespace chatbus::cli
