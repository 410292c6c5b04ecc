// event_loop: epoll with a nanosecond timeout (see event_loop.hpp).
#include "event_loop.hpp"

#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <stdexcept>

#include "clock.hpp"
#include "net.hpp"

namespace chatbus::bench {

EventLoop::EventLoop() : epfd_(epoll_create1(EPOLL_CLOEXEC)), events_(1024) {
  if (epfd_ < 0) throw std::runtime_error("epoll_create1: " + error_text(errno));
}

EventLoop::~EventLoop() { close(epfd_); }

void EventLoop::add(int fd, std::uint32_t events, std::uint64_t key) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = key;
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0)
    throw std::runtime_error("epoll_ctl add: " + error_text(errno));
}

void EventLoop::modify(int fd, std::uint32_t events, std::uint64_t key) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = key;
  epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::remove(int fd) { epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr); }

std::span<const epoll_event> EventLoop::wait(std::uint64_t timeout_ns) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(timeout_ns / ns_per_s);
  ts.tv_nsec = static_cast<long>(timeout_ns % ns_per_s);
  const int n = epoll_pwait2(epfd_, events_.data(), static_cast<int>(events_.size()), &ts, nullptr);
  if (n < 0) {
    if (errno == EINTR) return {};
    throw std::runtime_error("epoll_pwait2: " + error_text(errno));
  }
  return {events_.data(), static_cast<std::size_t>(n)};
}

}  // namespace chatbus::bench
