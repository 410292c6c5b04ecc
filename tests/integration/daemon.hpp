// daemon: runs the real chatbusd binary (CHATBUSD_PATH) for one test.
//
// Each Daemon is a fresh process listening on 127.0.0.1 with an ephemeral
// port, so tests never share state and may run in parallel. The constructor
// returns once the daemon has logged `listening on 127.0.0.1:<port>`; a
// background thread keeps draining its stderr into a buffer (so the pipe never
// fills and tests may inspect the log). The destructor sends SIGTERM, waits
// (SIGKILL after a deadline) and EXPECTs exit status 0, which also catches
// sanitizer reports; on failure it prints the captured stderr.
//
// Create and destroy a Daemon on the test's main thread: the child is told to
// die with the thread that started it (PR_SET_PDEATHSIG), so that a killed
// test binary leaves no daemon behind.
#pragma once

#include "client.hpp"

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace chatbus::itest {

class Daemon {
 public:
  /// Starts chatbusd with `--bind 127.0.0.1 --port 0 --admin-port 0` plus
  /// `flags`, and `env` ("NAME=value") added to its otherwise CHATBUS_*-free
  /// environment; with the admin endpoint on, also waits for its port. Under
  /// tls_mode() also with the test server certificate (unless `flags` name
  /// a --tls-cert of their own). Flags with --tls-cert make a TLS daemon too.
  /// Throws std::runtime_error (failing the test) if it does not come up.
  explicit Daemon(std::vector<std::string> flags = {}, std::vector<std::string> env = {});
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  std::uint16_t port() const { return port_; }
  /// The admin endpoint's port (0 when started with --admin=false).
  std::uint16_t admin_port() const { return admin_port_; }
  pid_t pid() const { return pid_; }

  /// A new connection to this daemon, over TLS when it serves TLS
  /// (verifying it against the test CA, presenting no client certificate).
  LineClient connect(int receive_buffer = 0) const {
    return LineClient(port_, receive_buffer, tls_ ? std::optional(default_client_tls()) : std::nullopt);
  }

  /// True when this daemon's port speaks TLS.
  bool tls() const { return tls_; }

  /// Everything the daemon wrote to stderr (and stdout) so far.
  std::string log() const;

  /// Waits up to `deadline` for `text` to appear in the log (woken by each
  /// new chunk of output, not by polling); true if it did.
  bool wait_for_log(std::string_view text, std::chrono::milliseconds deadline) const;

  /// Like wait_for_log, until `text` appears at least `count` times.
  bool wait_for_log_count(std::string_view text, std::size_t count, std::chrono::milliseconds deadline) const;

  /// Sends `signal` to the daemon.
  void send_signal(int signal) const;

  /// Waits up to `deadline` for the daemon to exit; its wait status, or
  /// nullopt if it is still running.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline);

  /// "exited with 0", "killed by signal 9", ... for failure messages.
  static std::string describe_status(int status);

 private:
  void spawn(const std::vector<std::string>& args, const std::vector<std::string>& env);
  void drain_output();
  /// Waits for the `listening on` line; empty string on success, else why not.
  std::string await_listening(bool admin);
  /// SIGKILL, reap and join: used when startup failed.
  void abandon();

  pid_t pid_ = -1;                     ///< the daemon process
  int output_fd_ = -1;                 ///< read end of its stderr/stdout pipe
  std::uint16_t port_ = 0;             ///< the port it reported
  std::uint16_t admin_port_ = 0;       ///< the admin port it reported, or 0
  bool tls_ = false;                   ///< started with --tls-cert
  std::optional<int> status_;          ///< wait status once reaped
  std::thread drainer_;                ///< copies output_fd_ into log_
  mutable std::mutex mutex_;           ///< guards log_ and output_closed_
  mutable std::condition_variable changed_;  ///< signalled when log_ grows or closes
  std::string log_;                    ///< captured output
  bool output_closed_ = false;         ///< the pipe reached EOF
};

}  // namespace chatbus::itest
