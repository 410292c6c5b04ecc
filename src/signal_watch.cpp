#include "chatbus/signal_watch.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <system_error>

namespace chatbus {
namespace {

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);  // reload, see Server::reload
  return set;
}

int open_signalfd() {
  const sigset_t set = termination_signals();
  if (const int error = pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0) {
    throw std::system_error(error, std::system_category(), "pthread_sigmask");
  }
  const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::system_category(), "signalfd");
  return fd;
}

}  // namespace

SignalWatch::SignalWatch(boost::asio::io_context& context, std::function<void(int)> on_signal)
    : descriptor_(context, open_signalfd()), on_signal_(std::move(on_signal)) {}

void SignalWatch::start() { wait(); }

void SignalWatch::cancel() {
  boost::system::error_code ec;
  descriptor_.cancel(ec);
}

void SignalWatch::wait() {
  descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
    if (ec) return;
    signalfd_siginfo info{};
    while (::read(descriptor_.native_handle(), &info, sizeof info) == sizeof info) {
      on_signal_(static_cast<int>(info.ssi_signo));
    }
    wait();
  });
}

}  // namespace chatbus
