// cli_process: runs the real `chatbus` binary (CHATBUS_CLI_PATH) for a test.
//
// stdin is a pipe fed from a thread with the given bytes, then closed;
// stdout and stderr are captured separately by a drainer thread, and a test
// waits for text to appear in them (woken by each chunk, never polling).
// The child sees only the test's CHATBUS_* variables. Create and destroy it
// on the test's main thread (PR_SET_PDEATHSIG, as for Daemon). A process
// still running at destruction is killed and reported as a failure.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace chatbus::ctest {

/// How long a CLI may take to do what a test waits for before it fails.
inline constexpr std::chrono::milliseconds cli_deadline{20'000};

class CliProcess {
 public:
  /// Starts `chatbus args...` with `stdin_data` on stdin and `env` (NAME=value)
  /// added to the cleaned environment.
  explicit CliProcess(std::vector<std::string> args, std::string stdin_data = {},
                      std::vector<std::string> env = {});
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string out() const;
  std::string err() const;
  /// Waits for `text` in stdout (stderr); true if it came before the deadline.
  bool wait_for_out(std::string_view text, std::chrono::milliseconds deadline = cli_deadline) const;
  bool wait_for_err(std::string_view text, std::chrono::milliseconds deadline = cli_deadline) const;
  void send_signal(int signal) const;
  /// Waits for the exit; the exit code, or 128 + signal if killed. Throws
  /// (failing the test) if it does not end before the deadline.
  int wait_exit(std::chrono::milliseconds deadline = cli_deadline);

 private:
  void spawn(std::vector<std::string> args, std::vector<std::string> env);
  void drain();
  bool wait_for(const std::string& stream, std::string_view text, std::chrono::milliseconds deadline) const;

  pid_t pid_ = -1;                     ///< the chatbus process
  int stdin_fd_ = -1;                  ///< write end of its stdin (owned by feeder_)
  int out_fd_ = -1;                    ///< read end of its stdout
  int err_fd_ = -1;                    ///< read end of its stderr
  std::string stdin_data_;             ///< what feeder_ writes
  std::thread feeder_;                 ///< writes stdin_data_ and closes stdin
  std::thread drainer_;                ///< copies stdout/stderr into out_/err_
  mutable std::mutex mutex_;           ///< guards out_, err_, closed_
  mutable std::condition_variable changed_;  ///< signalled on new output or EOF
  std::string out_;                    ///< captured stdout
  std::string err_;                    ///< captured stderr
  bool closed_ = false;                ///< both pipes reached EOF
  std::optional<int> exit_code_;       ///< once reaped
};

/// What a finished run printed and returned.
struct CliResult {
  int exit_code = -1;  ///< as CliProcess::wait_exit
  std::string out;     ///< stdout
  std::string err;     ///< stderr
};

/// Runs `chatbus args...` to completion.
CliResult run_cli(std::vector<std::string> args, std::string stdin_data = {}, std::vector<std::string> env = {});

/// `--addr 127.0.0.1:<port>` for the first arguments of a command line.
std::vector<std::string> addr_args(std::uint16_t port);

/// The lines of `text`, without their LF.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace chatbus::ctest
