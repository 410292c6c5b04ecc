#include "auth_support.hpp"

#include "child_env.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace chatbus::itest {

TestFiles::TestFiles() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  dir_ = (std::filesystem::temp_directory_path() /
          ("chatbus_it_" + std::string(test->test_suite_name()) + "_" + test->name() + "_" +
           std::to_string(::getpid())))
             .string();
  std::filesystem::create_directories(dir_);
}

TestFiles::~TestFiles() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string TestFiles::path(const std::string& name) const { return dir_ + "/" + name; }

std::string TestFiles::write(const std::string& name, const std::string& text) const {
  // Renamed into place, so a reload never reads a half-written file.
  const std::string target = path(name);
  const std::string temporary = target + ".new";
  std::ofstream(temporary) << text;
  std::filesystem::rename(temporary, target);
  return target;
}

Exited run_to_exit(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> arg_strings{CHATBUSD_PATH, "--bind", "127.0.0.1", "--port", "0", "--admin-port", "0"};
  arg_strings.insert(arg_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = clean_environment();
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> argv = c_strings(arg_strings);
  std::vector<char*> envp = c_strings(env_strings);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    ::dup2(pipe_fds[1], 1);
    ::dup2(pipe_fds[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  Exited result;
  const auto until = Clock::now() + std::chrono::seconds(20);
  char chunk[4096];
  for (;;) {
    pollfd ready{pipe_fds[0], POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) == 0) {
      ADD_FAILURE() << "chatbusd did not exit by itself\n" << result.output;
      ::kill(child, SIGKILL);
      break;
    }
    const ssize_t got = ::read(pipe_fds[0], chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    result.output.append(chunk, static_cast<std::size_t>(got));
  }
  ::close(pipe_fds[0]);
  ::waitpid(child, &result.status, 0);
  return result;
}

std::size_t count_of(const std::string& log, std::string_view text) {
  std::size_t count = 0;
  for (std::size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + text.size())) ++count;
  return count;
}

bool reloaded(const Daemon& daemon, std::uint64_t generation) {
  daemon.send_signal(SIGHUP);
  return daemon.wait_for_log("config reloaded (generation " + std::to_string(generation) + ")",
                             std::chrono::seconds(20));
}

bool reload_failed(const Daemon& daemon, std::size_t nth) {
  daemon.send_signal(SIGHUP);
  return daemon.wait_for_log_count("config reload failed", nth, std::chrono::seconds(20));
}

}  // namespace chatbus::itest
