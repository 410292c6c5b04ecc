// worker: one I/O thread with its own io_context, the sessions it owns, and
// the mailbox through which other threads hand it deliveries.
//
// Threading: everything but mailbox() and context() is called on the
// worker's own thread. A session never migrates between workers.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>
#include <vector>

#include "chatbus/connection_info.hpp"
#include "chatbus/mailbox.hpp"
#include "chatbus/metrics.hpp"
#include "chatbus/settings.hpp"

namespace chatbus {

class Broker;
class Session;

class Worker {
 public:
  /// Size of the buffer every session of this worker reads into.
  static constexpr std::size_t read_buffer_size = 64 * 1024;

  explicit Worker(unsigned index);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Second step of construction: the broker needs every worker's mailbox.
  void attach(Broker& broker);

  /// Own thread: this worker's copy of the current settings, read by its
  /// sessions without any lock or atomic.
  const Settings& settings() const { return *settings_; }

  /// Own thread: replaces the copy and lets every session re-resolve what
  /// it derived from the old one (grants, deadlines) before the old one goes.
  void update_settings(std::shared_ptr<const Settings> next);

  unsigned index() const { return index_; }
  boost::asio::io_context& context() { return context_; }
  Mailbox& mailbox() { return mailbox_; }

  /// Runs the io_context on a new thread until stop().
  void start();
  void stop();
  void join();

  /// Own thread: takes a freshly accepted connection.
  void adopt(boost::asio::ip::tcp::socket socket, bool admitted);

  /// Own thread: hands every queued delivery to its session, in order.
  void drain_mailbox();

  /// Own thread: lets go of a destroyed session once every delivery queued
  /// to it before it left the router has been drained.
  void retire(Session& session);

  /// Own thread: scratch space for one read, shared by all sessions.
  std::span<char> read_buffer() { return read_buffer_; }

  /// Own thread: from now on its sessions discard what they read (the first
  /// step of a shutdown: no PUB is answered after it).
  void stop_input() { input_stopped_ = true; }
  /// Own thread: stop_input() was called.
  bool input_stopped() const { return input_stopped_; }

  /// Own thread: BYE <reason> to every session (after what is queued).
  /// `on_empty` runs on this thread once the last session is gone.
  void close_all(std::string_view reason, std::function<void()> on_empty);

  /// Own thread: closes every remaining session at once.
  void destroy_all();

  /// Own thread: this worker's counters (any thread may read them).
  WorkerMetrics& metrics() { return metrics_; }
  const WorkerMetrics& metrics() const { return metrics_; }

  /// Own thread: appends what /v1/stats shows of each open session.
  void collect_connections(std::vector<ConnectionInfo>& out) const;

 private:
  void check_empty();

  const unsigned index_;                      ///< position among the workers
  boost::asio::io_context context_;           ///< this thread's event loop
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      work_guard_;                            ///< keeps run() going while idle
  Mailbox mailbox_;                           ///< deliveries from other threads
  WorkerMetrics metrics_;                     ///< counters, written on this thread only
  Broker* broker_ = nullptr;                  ///< set by attach()
  std::shared_ptr<const Settings> settings_;  ///< this thread's copy, set by attach()
  std::thread thread_;                        ///< runs context_
  std::unordered_map<Session*, std::shared_ptr<Session>> sessions_;  ///< owned sessions
  std::vector<Delivery> batch_;               ///< drain scratch
  std::vector<char> read_buffer_;             ///< shared read scratch
  std::function<void()> on_empty_;            ///< pending close_all callback
  bool draining_ = false;                     ///< guards against re-entrant drains
  bool closing_all_ = false;                  ///< shutdown began: close newcomers
  bool input_stopped_ = false;                ///< shutdown began: commands are discarded
};

}  // namespace chatbus
