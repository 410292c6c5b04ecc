// daemon_process: the chatbusd the soak runs against: started with port 0
// on 127.0.0.1, its output drained on the soak's io_context (the last 64 KiB
// kept for the summary of a failed run), stopped with SIGTERM.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace chatbus::soak {

class DaemonProcess {
 public:
  /// Starts `path --bind 127.0.0.1 --port 0 flags...` and waits (at most
  /// 20 s) for its `listening on 127.0.0.1:PORT` line; throws if it fails.
  /// With a non-empty `log_path`, all its output is also written there.
  DaemonProcess(boost::asio::io_context& io, const std::string& path, const std::vector<std::string>& flags,
                const std::string& log_path);
  /// Kills it if it is still running.
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }

  /// Sends SIGTERM (once: a second one would skip the graceful shutdown).
  void terminate();
  /// Waits up to `deadline` for the exit; the wait status, or nullopt if it
  /// is still running.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline);

  /// The end of its output.
  const std::string& log_tail() const { return tail_; }

 private:
  void drain();
  void keep(const char* data, std::size_t size);

  pid_t pid_ = -1;                                ///< the daemon
  std::uint16_t port_ = 0;                        ///< the port it reported
  boost::asio::posix::stream_descriptor output_;  ///< read end of its stderr/stdout
  std::string tail_;                              ///< its last output
  std::ofstream log_file_;                        ///< all its output, if asked for
  char chunk_[4096];                              ///< drain scratch
  bool reaped_ = false;                           ///< waitpid succeeded
  bool terminated_ = false;                       ///< SIGTERM was sent
};

/// VmRSS of `pid` in KiB, from /proc/<pid>/status; 0 if unreadable.
std::uint64_t rss_kib(pid_t pid);

/// Open descriptors of `pid`: the entries of /proc/<pid>/fd.
std::size_t fd_count(pid_t pid);

}  // namespace chatbus::soak
