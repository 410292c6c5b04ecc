// client: a blocking line client for the chatbus wire protocol, for tests.
//
// It speaks plain POSIX sockets to 127.0.0.1 (or TLS over them, through
// OpenSSL on the same non-blocking descriptor, so every read keeps its
// deadline; client_tls.cpp) and keeps the two kinds of
// server lines apart: replies (`OK`, `PONG`, `ERR`), which answer commands in
// order, and pushes (`MSG`, `DROPPED`, `BYE`), which may arrive at any time and
// are collected in a queue while the client waits for a reply.
//
// Every blocking call has a deadline (default 10 s). Running into it throws
// std::runtime_error, which fails the test: deadlines are a safety net, never
// a way to synchronise. One thread per client; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tls_support.hpp"

struct ssl_st;
struct ssl_ctx_st;

namespace chatbus::itest {

using Clock = std::chrono::steady_clock;

/// How long any single blocking read may take before the test fails.
inline constexpr std::chrono::milliseconds default_deadline{10'000};

/// True for `OK`, `PONG` and `ERR` lines, the only lines that answer commands.
bool is_reply(std::string_view line);

/// A parsed `MSG <topic> <seq> <json>` push.
struct Msg {
  std::string topic;  ///< the concrete topic
  std::uint64_t seq;  ///< the topic's sequence number
  std::string json;   ///< the payload as the server wrote it
};

/// A parsed `DROPPED <topic> <count>` push.
struct Dropped {
  std::string topic;    ///< topic the skipped lines belonged to
  std::uint64_t count;  ///< how many MSG lines were skipped
};

/// Parses a MSG push; nullopt if the line is not a well-formed MSG.
std::optional<Msg> parse_msg(std::string_view line);

/// Parses a DROPPED push; nullopt if the line is not a well-formed DROPPED.
std::optional<Dropped> parse_dropped(std::string_view line);

class LineClient {
 public:
  /// Connects to 127.0.0.1:port. A non-zero receive_buffer sets SO_RCVBUF
  /// before connecting, so that the kernel absorbs little for a slow reader.
  /// With `tls`, completes a TLS handshake before returning.
  explicit LineClient(std::uint16_t port, int receive_buffer = 0, std::optional<ClientTls> tls = std::nullopt);
  ~LineClient();
  LineClient(LineClient&& other) noexcept;
  LineClient& operator=(LineClient&&) = delete;
  LineClient(const LineClient&) = delete;
  LineClient& operator=(const LineClient&) = delete;

  /// Writes all bytes. While the socket is full it keeps reading what the
  /// server sends into the input buffer, so big pipelines cannot deadlock.
  void send_raw(std::string_view bytes);
  /// Writes `line` followed by LF.
  void send_line(std::string_view line);
  /// Sends one command line and returns its reply; pushes go to pushes().
  std::string command(std::string_view line);

  /// Next reply, collecting the pushes that come before it. Throws on EOF.
  std::string read_reply();
  /// Oldest push not yet taken, reading more if none is queued. A reply met
  /// on the way is an error: the caller expected none.
  std::string next_push();
  /// Next raw line of any kind (LF removed); nullopt at EOF.
  std::optional<std::string> read_line();
  /// Like read_line, but gives up quietly after `wait`: nullopt then.
  std::optional<std::string> try_read_line(std::chrono::milliseconds wait);
  /// Reads until the server's EOF; every line read must be a push (kept).
  void expect_eof();

  /// Sends `PING <token>` and waits for its PONG: every push the server
  /// queued before it is then in pushes(). Returns the pushes collected.
  std::vector<std::string> barrier();

  /// Pushes collected so far and not yet taken.
  std::deque<std::string>& pushes() { return pushes_; }
  /// Takes every collected push.
  std::vector<std::string> take_pushes();

  /// shutdown(SHUT_WR), or over TLS a close_notify: the server sees EOF on
  /// our side only.
  void shutdown_write();
  /// Closes with a TCP reset (SO_LINGER 0), as a crashed client would.
  void close_abruptly();
  /// Closes normally.
  void close();

  /// True once the server's EOF has been read (the input may hold no line).
  bool at_eof() const { return eof_ && head_ == in_.size(); }
  int fd() const { return fd_; }
  bool tls() const { return ssl_ != nullptr; }
  /// TLS only: the server's end came without its close_notify.
  bool tls_truncated() const { return tls_truncated_; }
  void set_deadline(std::chrono::milliseconds deadline) { deadline_ = deadline; }

 private:
  enum class Fill { data, eof, timeout };
  /// One non-blocking transfer: bytes moved, or why none were.
  struct Io {
    enum class Status { done, eof, blocked, error } status;
    std::size_t bytes = 0;  ///< done: how many
    short events = 0;       ///< blocked: what to poll for
    std::string error;      ///< error: what went wrong
    static Io moved(std::size_t n) { return {Status::done, n, 0, {}}; }
    static Io ended() { return {Status::eof, 0, 0, {}}; }
    static Io waiting(short for_events) { return {Status::blocked, 0, for_events, {}}; }
    static Io failed(std::string why) { return {Status::error, 0, 0, std::move(why)}; }
  };
  Io receive(char* data, std::size_t size);
  Io transmit(const char* data, std::size_t size);
  // TLS (client_tls.cpp)
  void tls_connect(const ClientTls& tls);
  Io tls_receive(char* data, std::size_t size);
  Io tls_transmit(const char* data, std::size_t size);
  void tls_free();
  /// Waits until `until` for bytes and appends what is available to in_.
  Fill fill(Clock::time_point until);
  /// Removes one complete line from in_, if there is one.
  std::optional<std::string> pop_line();
  [[noreturn]] void fail(const std::string& what) const;

  int fd_ = -1;                                ///< the socket; -1 once closed
  ssl_ctx_st* ssl_context_ = nullptr;          ///< TLS settings; null for plain TCP
  ssl_st* ssl_ = nullptr;                      ///< the TLS connection; null for plain TCP
  bool tls_truncated_ = false;                 ///< TLS: EOF without close_notify
  std::string in_;                             ///< bytes read from the socket
  std::size_t head_ = 0;                       ///< start of the unconsumed part of in_
  std::size_t scanned_ = 0;                    ///< in_ holds no LF between head_ and this
  bool eof_ = false;                           ///< server closed its side
  std::deque<std::string> pushes_;             ///< pushes not yet taken
  std::uint64_t barrier_count_ = 0;            ///< makes barrier tokens unique
  std::chrono::milliseconds deadline_ = default_deadline;  ///< per read
};

}  // namespace chatbus::itest
