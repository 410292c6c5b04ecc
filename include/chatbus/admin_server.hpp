// admin_server: the admin HTTP endpoint (/healthz, /readyz, /metrics,
// /v1/stats) on its own port and its own thread, so that a slow scraper or
// a stats request that waits on the workers never delays client traffic.
//
// Threading: one io_context and thread of its own; the pages read the
// server through AdminView (atomics, the router's lock, posted tasks).
// Ownership: the Server owns it and stops it after the workers have
// finished, so /readyz answers 503 throughout a shutdown.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "chatbus/admin_view.hpp"
#include "chatbus/config.hpp"

namespace chatbus {

class AdminServer {
 public:
  /// Binds config.admin_bind:admin_port (throws on failure).
  AdminServer(const Config& config, AdminView view);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  /// The bound address, with the real port when port 0 was asked for.
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  /// Serves on a new thread until stop().
  void start();

  /// Stops serving and joins the thread; safe to call twice.
  void stop();

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context context_;         ///< the admin thread's event loop
  boost::asio::ip::tcp::acceptor acceptor_;  ///< the admin port
  const AdminView view_;                    ///< what the pages read
  std::thread thread_;                      ///< runs context_
  std::size_t open_connections_ = 0;        ///< admin connections being served
  bool accept_warning_logged_ = false;      ///< a failing accept was logged this episode
};

}  // namespace chatbus
