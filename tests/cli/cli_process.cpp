#include "cli_process.hpp"

#include "child_env.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <stdexcept>

namespace chatbus::ctest {
namespace {

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t wrote = ::write(fd, bytes.data(), bytes.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) return;  // the CLI closed its stdin early: its business
    bytes.remove_prefix(static_cast<std::size_t>(wrote));
  }
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CliProcess::CliProcess(std::vector<std::string> args, std::string stdin_data, std::vector<std::string> env)
    : stdin_data_(std::move(stdin_data)) {
  spawn(std::move(args), std::move(env));
  feeder_ = std::thread([this] {
    // A CLI that exits without reading its stdin must give this write
    // EPIPE, not kill the test binary with SIGPIPE.
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    write_all(stdin_fd_, stdin_data_);
    ::close(stdin_fd_);
  });
  drainer_ = std::thread([this] { drain(); });
}

void CliProcess::spawn(std::vector<std::string> args, std::vector<std::string> env) {
  args.insert(args.begin(), CHATBUS_CLI_PATH);
  std::vector<std::string> env_strings = itest::clean_environment();
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> argv = itest::c_strings(args);
  std::vector<char*> envp = itest::c_strings(env_strings);
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  pid_t parent = ::getpid();
  pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    const char message[] = "exec of chatbus failed\n";
    ssize_t ignored = ::write(2, message, sizeof message - 1);
    (void)ignored;
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  pid_ = child;
  stdin_fd_ = in[1];
  out_fd_ = out[0];
  err_fd_ = err[0];
}

void CliProcess::drain() {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  std::string* sinks[2] = {&out_, &err_};
  int open = 2;
  char chunk[65536];
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t got = ::read(fds[i].fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      std::lock_guard lock(mutex_);
      if (got <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        sinks[i]->append(chunk, static_cast<std::size_t>(got));
      }
      changed_.notify_all();
    }
  }
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

std::string CliProcess::out() const {
  std::lock_guard lock(mutex_);
  return out_;
}

std::string CliProcess::err() const {
  std::lock_guard lock(mutex_);
  return err_;
}

bool CliProcess::wait_for(const std::string& stream, std::string_view text, std::chrono::milliseconds deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline, [&] { return stream.find(text) != std::string::npos || closed_; }) &&
         stream.find(text) != std::string::npos;
}

bool CliProcess::wait_for_out(std::string_view text, std::chrono::milliseconds deadline) const {
  return wait_for(out_, text, deadline);
}

bool CliProcess::wait_for_err(std::string_view text, std::chrono::milliseconds deadline) const {
  return wait_for(err_, text, deadline);
}

void CliProcess::send_signal(int signal) const {
  if (!exit_code_) ::kill(pid_, signal);
}

int CliProcess::wait_exit(std::chrono::milliseconds deadline) {
  if (exit_code_) return *exit_code_;
  {
    // The pipes close when the process ends: wait for that, not for a timer.
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, deadline, [&] { return closed_; })) {
      lock.unlock();
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      exit_code_ = -1;
      throw std::runtime_error("chatbus did not exit in time\n--- stdout ---\n" + out() + "\n--- stderr ---\n" + err());
    }
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = exit_code_of(status);
  // An expected non-zero code must not hide a sanitizer report.
  const std::string errors = err();
  EXPECT_EQ(errors.find("Sanitizer"), std::string::npos) << errors;
  EXPECT_EQ(errors.find("runtime error:"), std::string::npos) << errors;
  return *exit_code_;
}

CliProcess::~CliProcess() {
  if (!exit_code_) {
    ADD_FAILURE() << "chatbus still running at the end of the test; killing it\n--- stderr ---\n" << err();
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  feeder_.join();
  drainer_.join();
}

CliResult run_cli(std::vector<std::string> args, std::string stdin_data, std::vector<std::string> env) {
  CliProcess process(std::move(args), std::move(stdin_data), std::move(env));
  int code = process.wait_exit();
  return CliResult{code, process.out(), process.err()};
}

std::vector<std::string> addr_args(std::uint16_t port) { return {"--addr", "127.0.0.1:" + std::to_string(port)}; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

}  // namespace chatbus::ctest
