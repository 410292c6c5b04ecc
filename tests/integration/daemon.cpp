#include "daemon.hpp"

#include "child_env.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <regex>
#include <stdexcept>

namespace chatbus::itest {
namespace {

constexpr std::chrono::seconds startup_deadline{20};
// Covers the daemon's default shutdown_timeout (5 s) with room for sanitizers.
constexpr std::chrono::seconds exit_deadline{15};

}  // namespace

Daemon::Daemon(std::vector<std::string> flags, std::vector<std::string> env) {
  std::vector<std::string> args{CHATBUSD_PATH, "--bind", "127.0.0.1", "--port", "0", "--admin-port", "0"};
  tls_ = std::find(flags.begin(), flags.end(), "--tls-cert") != flags.end();
  if (tls_mode() && !tls_) {
    const TlsFiles& files = tls_files();
    args.insert(args.end(), {"--tls-cert", files.server_cert, "--tls-key", files.server_key});
    tls_ = true;
  }
  args.insert(args.end(), flags.begin(), flags.end());
  const bool admin = std::find(flags.begin(), flags.end(), "--admin=false") == flags.end();
  spawn(args, env);
  drainer_ = std::thread([this] { drain_output(); });
  std::string failure = await_listening(admin);
  if (!failure.empty()) {
    abandon();
    throw std::runtime_error("chatbusd did not start: " + failure + "\n--- chatbusd output ---\n" + log());
  }
}

void Daemon::spawn(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> arg_strings = args;
  std::vector<std::string> env_strings = clean_environment();
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> argv = c_strings(arg_strings);
  std::vector<char*> envp = c_strings(env_strings);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  pid_t parent = ::getpid();
  pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);  // dup2 onto 0 clears the flag
    ::dup2(null_fd, 0);
    ::dup2(pipe_fds[1], 1);
    ::dup2(pipe_fds[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    const char message[] = "exec of chatbusd failed\n";
    ssize_t ignored = ::write(2, message, sizeof message - 1);
    (void)ignored;
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  pid_ = child;
  output_fd_ = pipe_fds[0];
}

void Daemon::drain_output() {
  char chunk[4096];
  for (;;) {
    ssize_t got = ::read(output_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    std::lock_guard lock(mutex_);
    if (got <= 0) {
      output_closed_ = true;
      changed_.notify_all();
      return;
    }
    log_.append(chunk, static_cast<std::size_t>(got));
    changed_.notify_all();
  }
}

std::string Daemon::await_listening(bool admin) {
  // The client port is logged first (so the first match is its line), then
  // the admin port.
  static const std::regex listening(R"(listening on 127\.0\.0\.1:([0-9]+))");
  static const std::regex admin_listening(R"(admin listening on 127\.0\.0\.1:([0-9]+))");
  std::unique_lock lock(mutex_);
  auto until = Clock::now() + startup_deadline;
  for (;;) {
    std::smatch match, admin_match;
    if (std::regex_search(log_, match, listening) &&
        (!admin || std::regex_search(log_, admin_match, admin_listening))) {
      unsigned long port = std::stoul(match[1].str());
      if (port == 0 || port > 65535) return "it logged port " + match[1].str();
      port_ = static_cast<std::uint16_t>(port);
      if (admin) admin_port_ = static_cast<std::uint16_t>(std::stoul(admin_match[1].str()));
      return {};
    }
    if (output_closed_) return "its output closed before the listening line";
    if (changed_.wait_until(lock, until) == std::cv_status::timeout) {
      return "no 'listening on 127.0.0.1:<port>' line within 20 s";
    }
  }
}

void Daemon::abandon() {
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  status_ = status;
  drainer_.join();
  ::close(output_fd_);
}

Daemon::~Daemon() {
  if (!status_) {
    send_signal(SIGTERM);
    if (!wait_exit(exit_deadline)) {
      ADD_FAILURE() << "chatbusd did not exit within 15 s of SIGTERM; killing it\n--- chatbusd output ---\n"
                    << log();
      ::kill(pid_, SIGKILL);
      wait_exit(exit_deadline);
    }
  }
  drainer_.join();
  ::close(output_fd_);
  if (status_) {
    const bool exited_cleanly = WIFEXITED(*status_) && WEXITSTATUS(*status_) == 0;
    EXPECT_TRUE(exited_cleanly) << "chatbusd " << describe_status(*status_) << "\n--- chatbusd output ---\n"
                                << log();
  }
}

std::string Daemon::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

bool Daemon::wait_for_log(std::string_view text, std::chrono::milliseconds deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline, [&] {
    return log_.find(text) != std::string::npos || output_closed_;
  }) && log_.find(text) != std::string::npos;
}

bool Daemon::wait_for_log_count(std::string_view text, std::size_t count,
                                std::chrono::milliseconds deadline) const {
  const auto occurrences = [&] {
    std::size_t found = 0;
    for (auto at = log_.find(text); at != std::string::npos; at = log_.find(text, at + text.size())) ++found;
    return found;
  };
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline, [&] { return occurrences() >= count || output_closed_; }) &&
         occurrences() >= count;
}

void Daemon::send_signal(int signal) const {
  if (!status_) ::kill(pid_, signal);
}

std::optional<int> Daemon::wait_exit(std::chrono::milliseconds deadline) {
  if (status_) return status_;
  auto until = Clock::now() + deadline;
  for (;;) {
    int status = 0;
    pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped == pid_) {
      status_ = status;
      return status_;
    }
    if (reaped < 0 && errno != EINTR) throw std::runtime_error("waitpid failed");
    if (Clock::now() >= until) return std::nullopt;
    // Polling the child's exit is the harness's business; tests never sleep.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::string Daemon::describe_status(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended with wait status " + std::to_string(status);
}

}  // namespace chatbus::itest
