// auditor: a well-behaved subscriber to every sampled topic that reads
// everything, so that the soak can account for each acknowledged publish.
//
// Per topic it checks that seqs strictly increase and that each jump is
// exactly the sum of the DROPPED counts received since the previous MSG
// (PROTOCOL.md: DROPPED comes before any newer MSG of its topic). It pings
// every second (its only input, so idle_timeout never applies to it); the
// ping loop is its only writer.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <vector>

#include "connection.hpp"
#include "ledger.hpp"

namespace chatbus::soak {

class Auditor {
 public:
  Auditor(asio::any_io_executor executor, std::size_t index, Ledger& ledger, Stats& stats);

  /// Connects and subscribes to every sampled topic.
  asio::awaitable<void> start(std::uint16_t port);
  /// Reads until EOF, checking every line; runs for the whole soak.
  asio::awaitable<void> read_loop();
  /// Pings every second until barrier(); then sends the final PING.
  asio::awaitable<void> ping_loop();
  /// Sends the final PING and waits for its PONG: everything queued to this
  /// auditor before then has been read.
  asio::awaitable<void> barrier();
  /// Stops reading (after the line in hand) until resume(): the drill.
  void pause_reading() { paused_ = true; }
  void resume_reading();

  /// From now on `BYE shutdown` and EOF are expected.
  void expect_shutdown() { shutdown_expected_ = true; }
  /// Waits for read_loop to end (it closes the socket then).
  asio::awaitable<void> wait_done(Duration timeout);

  /// Per sampled topic: acknowledged publishes neither received nor counted
  /// by DROPPED. Call after barrier().
  std::uint64_t unaccounted() const;

 private:
  struct TopicState {
    std::uint64_t last_seq = 0;         ///< seq of the last MSG
    std::uint64_t pending_dropped = 0;  ///< DROPPED counts since that MSG
    std::uint64_t dropped = 0;          ///< all DROPPED counts
  };
  void on_line(const std::string& line);
  void on_msg(const std::string& line);
  void on_dropped(const std::string& line);

  std::size_t index_;                 ///< bit in the ledger
  Ledger& ledger_;                    ///< acknowledged ids, received bits
  Stats& stats_;                      ///< counters and violations
  Connection connection_;             ///< the subscriber socket
  asio::steady_timer ping_timer_;     ///< paces the pings; cancelled by barrier()
  asio::steady_timer final_signal_;   ///< cancelled when the final PONG arrives
  asio::steady_timer done_signal_;    ///< cancelled when read_loop ends
  asio::steady_timer resume_signal_;  ///< cancelled by resume_reading()
  std::vector<TopicState> topics_;    ///< per sampled topic
  bool paused_ = false;               ///< pause_reading() without resume_reading()
  bool final_requested_ = false;      ///< barrier() was called
  bool final_seen_ = false;           ///< the final PONG arrived
  bool shutdown_expected_ = false;    ///< the daemon was told to stop
  bool done_ = false;                 ///< read_loop ended
};

}  // namespace chatbus::soak
