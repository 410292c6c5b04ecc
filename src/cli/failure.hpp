// failure: the exit codes of `chatbus` and the exception that carries one.
//
// Every command is a cold path that either succeeds or ends the process, so
// a failure travels as an exception from wherever it is found to main(),
// which prints its message and returns its code. docs/cli.md documents the
// codes; scripts rely on them, so they never change meaning.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace chatbus::cli {

/// The process exit codes (docs/cli.md, "Exit codes").
enum class ExitCode : int {
  ok = 0,          ///< success, or sub ended by SIGINT/SIGTERM or --count
  refused = 1,     ///< the server refused: an ERR reply, or a BYE we did not ask for
  usage = 2,       ///< bad arguments, unreadable token file
  connection = 3,  ///< cannot connect, connection lost, no reply in time, BYE shutdown
  auth = 4,        ///< ERR unauthorized or BYE auth_timeout
};

/// Ends the command with `code`; main() prints what() to stderr.
class Failure : public std::runtime_error {
 public:
  Failure(ExitCode code, const std::string& what, std::optional<std::string> bye_reason = std::nullopt)
      : std::runtime_error(what), code_(code), bye_reason_(std::move(bye_reason)) {}

  /// What the process exits with.
  ExitCode code() const { return code_; }
  /// The reason of the BYE that caused this failure, if a BYE did.
  const std::optional<std::string>& bye_reason() const { return bye_reason_; }
  /// True when trying again later can help: the connection, not the request, failed.
  bool reconnectable() const { return code_ == ExitCode::connection; }

 private:
  ExitCode code_;                          ///< what main() returns
  std::optional<std::string> bye_reason_;  ///< BYE's reason when the server closed
};

/// SIGINT or SIGTERM arrived while waiting: the command winds down and exits 0.
struct Interrupted {};

}  // namespace chatbus::cli
