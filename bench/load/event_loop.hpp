// event_loop: a thin epoll wrapper, level-triggered. The callers read once per
// readiness report (a large read), so a busy socket is simply reported again
// and no socket can starve the others. Single-threaded by design: the
// generator runs on one core, and so does the relay.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <span>
#include <vector>

namespace chatbus::bench {

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  /// Watches `fd` for `events` (EPOLLIN, EPOLLOUT…), reported with `key`.
  void add(int fd, std::uint32_t events, std::uint64_t key);
  /// Changes what `fd` is watched for.
  void modify(int fd, std::uint32_t events, std::uint64_t key);
  /// Stops watching `fd` (closing it does that too).
  void remove(int fd);
  /// Waits at most `timeout_ns` (0 = poll) for events; the span lives until
  /// the next call.
  std::span<const epoll_event> wait(std::uint64_t timeout_ns);

 private:
  int epfd_;                         ///< the epoll instance
  std::vector<epoll_event> events_;  ///< filled by epoll_pwait2
};

}  // namespace chatbus::bench
