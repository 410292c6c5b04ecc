// server: the daemon's top level. It owns the worker threads, the acceptor
// and the signal handling, and runs the shutdown sequence: close the
// acceptor, stop taking commands on every worker, then ask every session for
// `BYE shutdown` after its queue, wait for them (bounded by
// shutdown_timeout), then stop the threads.
//
// Threading: the acceptor, the signal set and the timers live on worker 0;
// accepted sockets are handed round-robin to the workers, which own them.
// SIGHUP reloads the configuration (server_reload.cpp), also on worker 0.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chatbus/config.hpp"
#include "chatbus/signal_watch.hpp"

namespace chatbus {

class AdminServer;
class Broker;
class Worker;

class Server {
 public:
  /// Parses the configuration again for a reload: the Config, or nullopt
  /// and the reason in `problem` (one line, never holding a token).
  using ConfigLoader = std::function<std::optional<Config>(std::string& problem)>;

  /// Builds the workers and binds the listening socket (throws on failure).
  /// Without `load_config`, SIGHUP only logs that it cannot reload.
  explicit Server(const Config& config, ConfigLoader load_config = {});
  ~Server();

  /// Runs until a shutdown completes; returns the process exit code.
  int run();

  /// The bound address, with the real port when port 0 was asked for.
  boost::asio::ip::tcp::endpoint local_endpoint() const;

 private:
  void accept_next();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket, Worker& target);
  void set_socket_options(boost::asio::ip::tcp::socket& socket) const;
  void on_signal(int signal_number);
  void begin_shutdown();
  void on_worker_quiet();
  void on_worker_empty();
  void finish_shutdown();
  void schedule_topic_sweep();
  struct PendingReload;
  void reload();
  void finish_reload(const PendingReload& pending);

  std::vector<std::unique_ptr<Worker>> workers_;  ///< the I/O threads
  std::unique_ptr<Broker> broker_;                ///< state shared by sessions
  std::unique_ptr<AdminServer> admin_;            ///< the admin endpoint, or null when off
  boost::asio::ip::tcp::acceptor acceptor_;       ///< listening socket, on worker 0
  SignalWatch signals_;                           ///< SIGTERM, SIGINT
  boost::asio::steady_timer accept_retry_;        ///< back-off after EMFILE
  boost::asio::steady_timer topic_sweep_;         ///< forgets idle topics
  boost::asio::steady_timer shutdown_deadline_;   ///< bounds the shutdown
  std::size_t next_worker_ = 0;                   ///< round-robin hand-out
  std::size_t workers_busy_ = 0;                  ///< workers yet to finish the current shutdown phase
  bool shutting_down_ = false;                    ///< a shutdown has begun
  bool finished_ = false;                         ///< the threads were told to stop
  bool descriptor_warning_logged_ = false;        ///< EMFILE logged once per episode
  bool refusal_logged_ = false;                   ///< max_connections logged once per episode
  ConfigLoader load_config_;                      ///< re-parses the configuration on SIGHUP
  std::uint64_t generation_ = 1;                  ///< of the newest Settings
};

}  // namespace chatbus
