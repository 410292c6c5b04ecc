// net: the few socket calls the generator and the relay make, wrapped so the
// callers read as intent. Every socket is non-blocking; errors come back as
// errno values, never exceptions, except at startup (listen, resolve).
#pragma once

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatbus::bench {

/// An IPv4 address and port; throws std::invalid_argument on a bad literal.
sockaddr_in make_address(const std::string& host, std::uint16_t port);

/// Starts a non-blocking connect. Returns the fd (>= 0) or -errno. `done` is
/// true when the connection was established at once.
int start_connect(const sockaddr_in& address, bool& done);

/// After the socket became writable: 0 if the connect succeeded, else errno.
int connect_result(int fd);

/// Disables Nagle, for publishers and the relay's replies.
void set_nodelay(int fd);

/// Raises RLIMIT_NOFILE to at least `wanted` (hard limit too, when allowed).
/// Returns the soft limit in force afterwards.
std::size_t raise_fd_limit(std::size_t wanted);

/// A listening, non-blocking socket on host:port; throws std::runtime_error.
int listen_on(const std::string& host, std::uint16_t port);

/// Writes as much of `data` as the socket takes now. Returns the byte count
/// written, or -errno on an error other than EAGAIN.
long write_some(int fd, std::string_view data);

/// A human text for errno `e` (strerror, kept as std::string).
std::string error_text(int e);

}  // namespace chatbus::bench
