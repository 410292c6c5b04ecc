// net: socket helpers (see net.hpp).
#include "net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace chatbus::bench {

sockaddr_in make_address(const std::string& host, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1)
    throw std::invalid_argument("not an IPv4 address: " + host);
  return a;
}

int start_connect(const sockaddr_in& address, bool& done) {
  done = false;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  const auto* sa = reinterpret_cast<const sockaddr*>(&address);
  if (connect(fd, sa, sizeof address) == 0) {
    done = true;
    return fd;
  }
  if (errno == EINPROGRESS) return fd;
  const int e = errno;
  close(fd);
  return -e;
}

int connect_result(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

void set_nodelay(int fd) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

std::size_t raise_fd_limit(std::size_t wanted) {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur >= wanted) return lim.rlim_cur;
  rlimit more = lim;
  more.rlim_cur = wanted;
  if (more.rlim_max < wanted) more.rlim_max = wanted;
  if (setrlimit(RLIMIT_NOFILE, &more) != 0) {  // not allowed to raise the hard limit
    more.rlim_cur = lim.rlim_max;
    more.rlim_max = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &more);
  }
  getrlimit(RLIMIT_NOFILE, &lim);
  return lim.rlim_cur;
}

int listen_on(const std::string& host, std::uint16_t port) {
  const sockaddr_in a = make_address(host, port);
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket: " + error_text(errno));
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 || listen(fd, 4096) != 0) {
    const int e = errno;
    close(fd);
    throw std::runtime_error("listen on " + host + ":" + std::to_string(port) + ": " +
                             error_text(e));
  }
  return fd;
}

long write_some(int fd, std::string_view data) {
  if (data.empty()) return 0;
  const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
  if (n >= 0) return static_cast<long>(n);
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
  return -errno;
}

std::string error_text(int e) { return std::strerror(e); }

}  // namespace chatbus::bench
