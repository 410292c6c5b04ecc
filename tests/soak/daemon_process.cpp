#include "daemon_process.hpp"

#include "child_env.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>



namespace chatbus::soak {
namespace {

constexpr std::size_t tail_limit = 64 * 1024;

// The daemon also reads CHATBUS_* variables; the soak sets everything by flag.
using itest::clean_environment;
using itest::c_strings;

}  // namespace

DaemonProcess::DaemonProcess(boost::asio::io_context& io, const std::string& path,
                             const std::vector<std::string>& flags, const std::string& log_path)
    : output_(io) {
  if (!log_path.empty()) log_file_.open(log_path);
  std::vector<std::string> args{path, "--bind", "127.0.0.1", "--port", "0", "--admin-port", "0"};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<std::string> env = clean_environment();
  std::vector<char*> argv = c_strings(args);
  std::vector<char*> envp = c_strings(env);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec. The daemon dies
    // with the soak, so a killed soak leaves nothing behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ::dup2(null_fd, 0);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  output_.assign(fds[0]);

  // Read synchronously up to the listening line, then drain asynchronously.
  static const std::regex listening(R"(listening on 127\.0\.0\.1:([0-9]+))");
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::string seen;
  for (;;) {
    std::smatch match;
    if (std::regex_search(seen, match, listening)) {
      port_ = static_cast<std::uint16_t>(std::stoul(match[1].str()));
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    pollfd pfd{fds[0], POLLIN, 0};
    if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) == 0) {
      throw std::runtime_error("chatbusd did not log its listening line within 20 s:\n" + seen);
    }
    const ssize_t got = ::read(fds[0], chunk_, sizeof chunk_);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) throw std::runtime_error("chatbusd exited before listening:\n" + seen);
    seen.append(chunk_, static_cast<std::size_t>(got));
  }
  keep(seen.data(), seen.size());
  drain();
}

DaemonProcess::~DaemonProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void DaemonProcess::drain() {
  output_.async_read_some(boost::asio::buffer(chunk_), [this](boost::system::error_code ec, std::size_t n) {
    if (ec) return;  // EOF: the daemon exited
    keep(chunk_, n);
    drain();
  });
}

void DaemonProcess::keep(const char* data, std::size_t size) {
  if (log_file_.is_open()) log_file_.write(data, static_cast<std::streamsize>(size));
  tail_.append(data, size);
  if (tail_.size() > 2 * tail_limit) tail_.erase(0, tail_.size() - tail_limit);
}

void DaemonProcess::terminate() {
  if (!reaped_ && !terminated_) ::kill(pid_, SIGTERM);
  terminated_ = true;
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds deadline) {
  if (reaped_) return std::nullopt;
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    int status = 0;
    const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped == pid_) {
      reaped_ = true;
      return status;
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    // Polling a child's exit: the end condition of the run, not a protocol event.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::uint64_t rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6));
  }
  return 0;
}

std::size_t fd_count(pid_t pid) {
  std::error_code ec;
  std::size_t count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++count;
  }
  return count;
}

}  // namespace chatbus::soak
