// auth_support: what the token, permission and reload tests share: files the
// daemon reads (rewritten between reloads), a run of chatbusd that is
// expected to stop at startup, and the SIGHUP round trip.
#pragma once

#include <string>
#include <vector>

#include "test_support.hpp"

namespace chatbus::itest {

/// A per-test directory of files, removed with the object.
class TestFiles {
 public:
  TestFiles();
  ~TestFiles();
  TestFiles(const TestFiles&) = delete;
  TestFiles& operator=(const TestFiles&) = delete;

  /// (Re)writes `name` with `text`, atomically (rename), and returns its path.
  std::string write(const std::string& name, const std::string& text) const;

  /// The path `name` would have (whether or not it exists).
  std::string path(const std::string& name) const;

 private:
  std::string dir_;  ///< the directory
};

/// What a chatbusd run that ended by itself produced.
struct Exited {
  int status = -1;     ///< wait status
  std::string output;  ///< stdout and stderr
};

/// Runs chatbusd with `args` and `env` (CHATBUS_* cleared otherwise) until it
/// exits; fails the test (and kills it) if it is still running after 20 s.
Exited run_to_exit(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

/// Sends SIGHUP and waits until the log says `config reloaded (generation
/// <generation>)` (startup is generation 1); false if it never does.
bool reloaded(const Daemon& daemon, std::uint64_t generation);

/// Sends SIGHUP and waits for the `nth` `config reload failed` line.
bool reload_failed(const Daemon& daemon, std::size_t nth);

/// How often `text` occurs in `log`.
std::size_t count_of(const std::string& log, std::string_view text);

}  // namespace chatbus::itest
