#include "client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace chatbus::itest {
namespace {

bool first_word_is(std::string_view line, std::string_view word) {
  return line.substr(0, word.size()) == word &&
         (line.size() == word.size() || line[word.size()] == ' ');
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

int remaining_ms(Clock::time_point until) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Lines are shown abbreviated in failure messages: some are megabytes long.
std::string shorten(std::string_view line) {
  constexpr std::size_t keep = 200;
  if (line.size() <= keep) return std::string(line);
  return std::string(line.substr(0, keep)) + "...(" + std::to_string(line.size()) + " bytes)";
}

}  // namespace

bool is_reply(std::string_view line) {
  return first_word_is(line, "OK") || first_word_is(line, "PONG") || first_word_is(line, "ERR");
}

std::optional<Msg> parse_msg(std::string_view line) {
  if (!first_word_is(line, "MSG")) return std::nullopt;
  std::string_view rest = line.substr(4);
  auto topic_end = rest.find(' ');
  if (topic_end == std::string_view::npos) return std::nullopt;
  auto seq_end = rest.find(' ', topic_end + 1);
  if (seq_end == std::string_view::npos) return std::nullopt;
  auto seq = parse_number(rest.substr(topic_end + 1, seq_end - topic_end - 1));
  if (!seq) return std::nullopt;
  return Msg{std::string(rest.substr(0, topic_end)), *seq, std::string(rest.substr(seq_end + 1))};
}

std::optional<Dropped> parse_dropped(std::string_view line) {
  if (!first_word_is(line, "DROPPED")) return std::nullopt;
  std::string_view rest = line.substr(8);
  auto topic_end = rest.find(' ');
  if (topic_end == std::string_view::npos) return std::nullopt;
  auto count = parse_number(rest.substr(topic_end + 1));
  if (!count) return std::nullopt;
  return Dropped{std::string(rest.substr(0, topic_end)), *count};
}

LineClient::LineClient(std::uint16_t port, int receive_buffer, std::optional<ClientTls> tls) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail(std::string("socket: ") + std::strerror(errno));
  if (receive_buffer > 0) {
    // Must precede connect(): the window scale is fixed in the handshake.
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    int error = errno;
    ::close(fd_);
    fd_ = -1;
    fail("connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(error));
  }
  if (tls) tls_connect(*tls);
}

LineClient::~LineClient() { close(); }

LineClient::LineClient(LineClient&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      ssl_context_(std::exchange(other.ssl_context_, nullptr)),
      ssl_(std::exchange(other.ssl_, nullptr)),
      tls_truncated_(other.tls_truncated_),
      in_(std::move(other.in_)),
      head_(std::exchange(other.head_, 0)),
      eof_(other.eof_),
      pushes_(std::move(other.pushes_)),
      barrier_count_(other.barrier_count_),
      deadline_(other.deadline_) {}

void LineClient::send_raw(std::string_view bytes) {
  auto until = Clock::now() + deadline_;
  while (!bytes.empty()) {
    const Io io = transmit(bytes.data(), bytes.size());
    if (io.status == Io::Status::done) {
      bytes.remove_prefix(io.bytes);
      until = Clock::now() + deadline_;  // the deadline is for lack of progress
      continue;
    }
    if (io.status != Io::Status::blocked) fail("send: " + io.error);
    // Full: keep reading what the server sends while we wait, so that a big
    // pipeline cannot deadlock.
    pollfd pfd{fd_, static_cast<short>(io.events | (eof_ ? 0 : POLLIN)), 0};
    int ready = ::poll(&pfd, 1, remaining_ms(until));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) fail("timed out writing " + std::to_string(bytes.size()) + " bytes");
    if (pfd.revents & POLLIN) fill(Clock::now());
  }
}

LineClient::Io LineClient::transmit(const char* data, std::size_t size) {
  if (ssl_ != nullptr) return tls_transmit(data, size);
  ssize_t sent = ::send(fd_, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (sent >= 0) return Io::moved(static_cast<std::size_t>(sent));
  if (errno == EAGAIN || errno == EINTR) return Io::waiting(POLLOUT);
  return Io::failed(std::strerror(errno));
}

LineClient::Io LineClient::receive(char* data, std::size_t size) {
  if (ssl_ != nullptr) return tls_receive(data, size);
  ssize_t got = ::recv(fd_, data, size, MSG_DONTWAIT);
  if (got > 0) return Io::moved(static_cast<std::size_t>(got));
  if (got == 0) return Io::ended();
  if (errno == EAGAIN || errno == EINTR) return Io::waiting(POLLIN);
  return Io::failed(std::string(std::strerror(errno)) + " (the server must half-close, not reset)");
}

void LineClient::send_line(std::string_view line) {
  std::string framed(line);
  framed += '\n';
  send_raw(framed);
}

std::string LineClient::command(std::string_view line) {
  send_line(line);
  return read_reply();
}

LineClient::Fill LineClient::fill(Clock::time_point until) {
  if (eof_) return Fill::eof;
  for (;;) {
    if (head_ > 0 && head_ * 2 > in_.size()) {
      in_.erase(0, head_);  // compact rarely, so that popping lines stays linear
      scanned_ = scanned_ > head_ ? scanned_ - head_ : 0;
      head_ = 0;
    }
    // Read first, then wait: TLS may hold decrypted bytes the socket no
    // longer shows as readable.
    char chunk[65536];
    const Io io = receive(chunk, sizeof chunk);
    if (io.status == Io::Status::done) {
      in_.append(chunk, io.bytes);
      return Fill::data;
    }
    if (io.status == Io::Status::eof) {
      eof_ = true;
      return Fill::eof;
    }
    if (io.status == Io::Status::error) fail("recv: " + io.error);
    pollfd pfd{fd_, io.events, 0};
    int ready = ::poll(&pfd, 1, remaining_ms(until));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Fill::timeout;
  }
}

std::optional<std::string> LineClient::pop_line() {
  // Resume the search where the last one stopped: a line of many megabytes
  // arriving in small chunks must not be rescanned from its start each time.
  auto end = in_.find('\n', std::max(head_, scanned_));
  if (end == std::string::npos) {
    scanned_ = in_.size();
    return std::nullopt;
  }
  std::string line = in_.substr(head_, end - head_);
  head_ = end + 1;
  scanned_ = head_;
  return line;
}

std::optional<std::string> LineClient::read_line() {
  auto until = Clock::now() + deadline_;
  for (;;) {
    if (auto line = pop_line()) return line;
    Fill result = fill(until);
    if (result == Fill::timeout) fail("timed out waiting for a line");
    if (result == Fill::eof) {
      if (head_ != in_.size()) fail("EOF in the middle of a line: " + shorten(in_.substr(head_)));
      return std::nullopt;
    }
  }
}

std::optional<std::string> LineClient::try_read_line(std::chrono::milliseconds wait) {
  auto until = Clock::now() + wait;
  for (;;) {
    if (auto line = pop_line()) return line;
    if (fill(until) != Fill::data) return std::nullopt;
  }
}

std::string LineClient::read_reply() {
  for (;;) {
    auto line = read_line();
    if (!line) fail("EOF while waiting for a reply");
    if (is_reply(*line)) return *line;
    pushes_.push_back(std::move(*line));
  }
}

std::string LineClient::next_push() {
  if (!pushes_.empty()) {
    std::string push = std::move(pushes_.front());
    pushes_.pop_front();
    return push;
  }
  auto line = read_line();
  if (!line) fail("EOF while waiting for a push");
  if (is_reply(*line)) fail("a reply came while waiting for a push: " + shorten(*line));
  return *line;
}

void LineClient::expect_eof() {
  while (auto line = read_line()) {
    if (is_reply(*line)) fail("a reply came while waiting for EOF: " + shorten(*line));
    pushes_.push_back(std::move(*line));
  }
}

std::vector<std::string> LineClient::barrier() {
  std::string token = "barrier-" + std::to_string(++barrier_count_);
  std::string reply = command("PING " + token);
  if (reply != "PONG " + token) fail("barrier PING got " + shorten(reply));
  return take_pushes();
}

std::vector<std::string> LineClient::take_pushes() {
  std::vector<std::string> taken(std::make_move_iterator(pushes_.begin()),
                                 std::make_move_iterator(pushes_.end()));
  pushes_.clear();
  return taken;
}

void LineClient::close_abruptly() {
  if (fd_ < 0) return;
  linger reset{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  tls_free();  // without a close_notify, as a crashed client would
  close();
}

void LineClient::close() {
  if (ssl_ != nullptr) {
    shutdown_write();  // a polite TLS client says close_notify first
    tls_free();
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void LineClient::fail(const std::string& what) const {
  std::string message = "LineClient(fd " + std::to_string(fd_) + "): " + what;
  if (!pushes_.empty()) {
    message += "; " + std::to_string(pushes_.size()) + " pushes collected, last: " + shorten(pushes_.back());
  }
  throw std::runtime_error(message);
}

}  // namespace chatbus::itest
