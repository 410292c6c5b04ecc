// session: one client connection: its socket, its line framer, its bounded
// outbound queue, its subscriptions and its deadlines.
//
// Threading: a session lives on one worker thread and is touched only there
// (the router touches nothing but its thread-safe FlowControl). Reads and
// writes are reactor style: wait for readiness, then read into the worker's
// shared scratch buffer / gather-write the queue with non-blocking calls, so
// an idle session holds no I/O buffer at all.
//
// TLS (when the broker has a TLS context): the same state machine, with a
// handshake first and Asio's ssl::stream for the bytes: reads go into a
// per-session buffer and writes copy a slice of the queue into a staging
// buffer, one async_write in flight (session_tls.cpp). The plain path only
// tests `tls_` once per read turn and per flush.
//
// Ownership: the worker's registry holds the session, and every pending
// asynchronous operation holds `self`. close() and destroy() are idempotent;
// destroy() leaves the router and retires the session through the worker's
// mailbox, after which the registry lets go.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chatbus/connection_info.hpp"
#include "chatbus/auth_token.hpp"
#include "chatbus/line_framer.hpp"
#include "chatbus/outbound_queue.hpp"
#include "chatbus/protocol.hpp"
#include "chatbus/string_map.hpp"
#include "chatbus/subscriber.hpp"
#include "chatbus/topic.hpp"

namespace chatbus {

class Broker;
class Worker;
struct TlsLink;

class Session final : public Subscriber, public std::enable_shared_from_this<Session> {
 public:
  using tcp = boost::asio::ip::tcp;
  using Clock = std::chrono::steady_clock;

  /// How long a closed connection (plain or TLS) keeps discarding input
  /// after its BYE, for the peer to take every reply.
  static constexpr auto linger_time = std::chrono::seconds(5);

  Session(Worker& worker, Broker& broker, tcp::socket socket, bool admitted);
  ~Session();

  /// Starts reading (or, when not admitted, sends `BYE overloaded`).
  void start();

  /// Ends the session politely: BYE <reason> after what is queued (or
  /// instead of it when `discard_queue`), then half-close and linger.
  void close(std::string_view reason, bool discard_queue = false);

  /// Closes the socket and lets go of everything at once.
  void destroy(std::string_view reason);

  /// What /v1/stats shows of this connection; nullopt once it is closed
  /// (or for a refused one).
  std::optional<ConnectionInfo> info() const;

  /// Own thread, after the worker's settings changed: re-resolves this
  /// session's grants from its token (a removed token leaves it
  /// unauthenticated, its subscriptions kept) and re-arms its deadlines.
  void apply_settings();

  void deliver(MessagePtr message) override;
  void skip(const Message& message, std::uint32_t epoch) override;

 private:
  enum class State {
    open,       ///< reading commands, delivering messages
    closing,    ///< BYE queued, flushing the queue
    lingering,  ///< BYE written, send side shut, discarding input
    closed      ///< socket closed, waiting to be retired
  };

  // Reading (session.cpp)
  void run_protocol();
  void wait_readable();
  void on_readable();
  /// Bytes read from the peer: the clocks, the metrics, the barrier, then
  /// the framer.
  void take_input(std::string_view data);
  /// True (and reading paused) while our own output is over max_pending.
  bool pause_reading_if_backed_up();
  void handle_input(std::string_view data);
  void handle_end_of_input();
  bool handle_frame(FrameKind kind, std::string_view line);

  // Commands (session_commands.cpp). Each returns false to stop reading.
  bool dispatch(std::string_view line);
  void do_hello();
  void do_auth(const Command& command);
  void deny(std::string_view action, std::string_view target);
  TopicKind parse_target(std::string_view text);
  std::vector<std::string>::iterator find_subscription(bool& found);
  void do_sub(const Command& command);
  void do_unsub(const Command& command);
  void do_pub(const Command& command);
  void reply_error(ErrorCode code, std::string_view message);
  template <class Encode>
  void reply(Encode&& encode);

  // Writing and flow control (session_output.cpp)
  template <class Encode>
  void queue_text(Encode&& encode);
  void schedule_flush();
  void flush();
  void wait_writable();
  void after_write_progress();
  void report_drops();
  void note_over_limit();
  void leave_router();
  void finish_closing();

  // TLS (session_tls.cpp); only with tls_
  void tls_handshake();
  void on_tls_handshake(const boost::system::error_code& ec);
  void tls_read();
  void on_tls_read(const boost::system::error_code& ec, std::size_t n);
  void tls_flush();
  void on_tls_written(const boost::system::error_code& ec);
  void tls_shutdown();
  void tls_close_notify();
  void on_tls_shutdown(const boost::system::error_code& ec);
  bool tls_reads() const;
  Clock::time_point handshake_deadline() const;

  // Deadlines (session_timers.cpp)
  void update_timer();
  void on_timer();
  std::optional<Clock::time_point> next_deadline() const;

  Worker& worker_;                    ///< owning worker: scratch, mailbox
  Broker& broker_;                    ///< config, router, node identity
  tcp::socket socket_;                ///< the connection, non-blocking
  std::unique_ptr<TlsLink> tls_;      ///< TLS stream and buffers; null on a plain port
  const bool admitted_;               ///< false: over max_connections, say BYE
  const std::uint64_t id_;            ///< for log lines
  State state_ = State::open;         ///< lifecycle, see State
  LineFramer framer_;                 ///< splits input into lines
  OutboundQueue queue_;               ///< unwritten replies and messages
  std::optional<boost::asio::steady_timer> timer_;  ///< made on first deadline
  Clock::time_point timer_expiry_;    ///< when timer_ is set to fire
  std::vector<std::string> subscriptions_;  ///< canonical targets, sorted
  StringMap<std::uint64_t> dropped_;       ///< topic -> skipped MSGs
  std::string canonical_;             ///< scratch: canonical topic of a command
  std::string payload_;               ///< scratch: canonical payload of a PUB
  std::string bye_reason_;            ///< why we closed, for the log
  Clock::time_point connected_at_;    ///< start of auth_timeout
  Clock::time_point last_input_at_;   ///< start of idle_timeout
  Clock::time_point auth_clock_from_;  ///< start of auth_timeout: the connect, or a reload that revoked the token
  Clock::time_point over_limit_since_;  ///< start of slow_consumer_timeout
  Clock::time_point linger_until_;    ///< end of the post-BYE linger
  std::uint64_t messages_in_ = 0;     ///< accepted PUBs
  std::uint64_t messages_out_ = 0;    ///< MSG lines queued
  unsigned bad_lines_in_a_row_ = 0;   ///< for max_bad_lines
  bool authenticated_ = false;        ///< AUTH succeeded (or none needed)
  bool over_limit_ = false;           ///< queue passed max_pending, timer runs
  bool reading_ = false;              ///< a wait for readability is pending
  bool read_paused_ = false;          ///< not reading until our output drains
  bool writing_ = false;              ///< a wait for writability is pending
  bool flush_scheduled_ = false;      ///< a flush is posted
  bool input_closed_ = false;         ///< the peer half-closed (or vanished)
  bool closing_posted_ = false;       ///< a close is posted, not yet run
  bool finished_by_peer_ = false;     ///< peer closed with nothing subscribed: close once flushed
  bool authenticated_once_ = false;   ///< was authenticated at some point: no auth_timeout
  std::string token_;                 ///< the token AUTH accepted, to re-resolve on reload
  const TokenEntry* grants_ = nullptr;  ///< restricted grants, in the worker's Settings; null = may do all
  bool handshaking_ = false;          ///< TLS handshake under way: no reads, writes or other deadlines
};

template <class Encode>
void Session::queue_text(Encode&& encode) {
  flow().add(queue_.append_text(std::forward<Encode>(encode)));
  if (!over_limit_ && flow().over_limit()) note_over_limit();
}

template <class Encode>
void Session::reply(Encode&& encode) {
  bad_lines_in_a_row_ = 0;
  queue_text(std::forward<Encode>(encode));
}

}  // namespace chatbus
