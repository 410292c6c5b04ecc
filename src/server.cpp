#include "chatbus/server.hpp"

#include <boost/asio/post.hpp>
#include <csignal>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <spdlog/spdlog.h>
#include <thread>

#include "chatbus/admin_server.hpp"
#include "chatbus/broker.hpp"
#include "chatbus/worker.hpp"

namespace chatbus {
namespace {

unsigned thread_count(const Config& config) {
  if (config.threads > 0) return config.threads;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::min<unsigned>(cores, Router::max_workers);
}

std::vector<std::unique_ptr<Worker>> make_workers(unsigned count) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < count; ++i) workers.push_back(std::make_unique<Worker>(i));
  return workers;
}

std::vector<Worker*> pointers_to(const std::vector<std::unique_ptr<Worker>>& workers) {
  std::vector<Worker*> pointers;
  for (const auto& worker : workers) pointers.push_back(worker.get());
  return pointers;
}

std::vector<Mailbox*> mailboxes_of(const std::vector<std::unique_ptr<Worker>>& workers) {
  std::vector<Mailbox*> mailboxes;
  for (const auto& worker : workers) mailboxes.push_back(&worker->mailbox());
  return mailboxes;
}

boost::asio::ip::tcp::endpoint listen_endpoint(const Config& config) {
  return {boost::asio::ip::make_address(config.bind), config.port};
}

}  // namespace

Server::Server(const Config& config, ConfigLoader load_config)
    : workers_(make_workers(thread_count(config))),
      broker_(std::make_unique<Broker>(config, mailboxes_of(workers_))),
      acceptor_(workers_[0]->context()),
      signals_(workers_[0]->context(), [this](int signal_number) { on_signal(signal_number); }),
      accept_retry_(workers_[0]->context()),
      topic_sweep_(workers_[0]->context()),
      shutdown_deadline_(workers_[0]->context()),
      load_config_(std::move(load_config)) {
  for (auto& worker : workers_) worker->attach(*broker_);
  const auto endpoint = listen_endpoint(config);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
  if (config.admin) {
    try {
      admin_ = std::make_unique<AdminServer>(config, AdminView(*broker_, pointers_to(workers_)));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("admin endpoint " + config.admin_bind + ":" + std::to_string(config.admin_port) +
                               ": " + e.code().message() + " (--admin-port, or --admin=false to turn it off)");
    }
  }
}

Server::~Server() {
  if (admin_) admin_->stop();
  for (auto& worker : workers_) worker->stop();
  for (auto& worker : workers_) worker->join();
}

boost::asio::ip::tcp::endpoint Server::local_endpoint() const { return acceptor_.local_endpoint(); }

int Server::run() {
  const auto endpoint = local_endpoint();
  spdlog::info("chatbusd node {} with {} I/O thread(s)", broker_->node_id(), workers_.size());
  // The test harness reads the port from this line: keep its start as it is.
  spdlog::info("listening on {}:{}{}", endpoint.address().to_string(), endpoint.port(),
               broker_->tls_context() != nullptr ? " (tls)" : "");
  broker_->set_ready(true);
  if (admin_) {
    const auto admin_endpoint = admin_->local_endpoint();
    spdlog::info("admin listening on {}:{}", admin_endpoint.address().to_string(), admin_endpoint.port());
    admin_->start();
  }
  if (broker_->config().auth_tokens_on_command_line) {
    spdlog::warn("auth tokens were given with --auth-token, where any local user can read them (ps); "
                 "prefer --auth-token-file or CHATBUS_AUTH_TOKEN");
  }
  signals_.start();
  accept_next();
  schedule_topic_sweep();
  for (auto& worker : workers_) worker->start();
  for (auto& worker : workers_) worker->join();
  // Stopped last, so that /readyz says 503 for as long as the shutdown runs.
  if (admin_) admin_->stop();
  spdlog::info("shutdown complete");
  return 0;
}

void Server::accept_next() {
  Worker& target = *workers_[next_worker_];
  next_worker_ = (next_worker_ + 1) % workers_.size();
  // The socket is created on the target worker's io_context: it belongs to
  // that worker from the start.
  acceptor_.async_accept(target.context(),
                         [this, &target](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
                           on_accept(ec, std::move(socket), target);
                         });
}

void Server::on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket,
                       Worker& target) {
  if (ec == boost::asio::error::operation_aborted) return;
  if (ec == boost::asio::error::no_descriptors || ec.value() == ENFILE || ec.value() == ENOBUFS ||
      ec.value() == ENOMEM) {
    // Out of descriptors or memory: accepting again at once would spin.
    // Back off, and say so once until an accept succeeds again.
    if (!descriptor_warning_logged_) {
      spdlog::warn("accept failed: {}; retrying every 100 ms", ec.message());
      descriptor_warning_logged_ = true;
    }
    accept_retry_.expires_after(std::chrono::milliseconds(100));
    accept_retry_.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && !shutting_down_) accept_next();
    });
    return;
  }
  if (ec) {
    spdlog::debug("accept failed: {}", ec.message());
    if (!shutting_down_) accept_next();
    return;
  }
  if (descriptor_warning_logged_) {
    spdlog::info("accepting connections again");
    descriptor_warning_logged_ = false;
  }
  if (shutting_down_) {
    // Accepted just before the acceptor closed: the workers may be past
    // saying BYE already, so say it here (a TLS client could not read it
    // before a handshake: it just sees the close).
    static constexpr std::string_view bye = "BYE shutdown\n";
    if (broker_->tls_context() == nullptr) {
      [[maybe_unused]] const auto sent = ::send(socket.native_handle(), bye.data(), bye.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    boost::system::error_code close_ec;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, close_ec);
    socket.close(close_ec);
    return;
  }
  set_socket_options(socket);
  const bool admitted = broker_->admit_connection();
  // Say so once per episode of refusals, not once per refused connection.
  if (!admitted && !refusal_logged_) {
    spdlog::warn("max_connections ({}) reached: refusing new connections with BYE overloaded",
                 workers_[0]->settings().config.max_connections);
  } else if (admitted && refusal_logged_) {
    spdlog::info("accepting connections again below max_connections");
  }
  refusal_logged_ = !admitted;
  if (!admitted) workers_[0]->metrics().connections_rejected.add();  // this is worker 0's thread
  if (!admitted && !broker_->admit_refusal()) {
    // Too many refusals lingering already: say BYE if the socket takes it
    // right now, and close. (Over TLS there is no BYE without a handshake,
    // which is what this path saves: just close.)
    static constexpr std::string_view bye = "BYE overloaded\n";
    if (broker_->tls_context() == nullptr) {
      [[maybe_unused]] const auto sent = ::send(socket.native_handle(), bye.data(), bye.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    boost::system::error_code close_ec;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, close_ec);
    socket.close(close_ec);
    if (!shutting_down_) accept_next();
    return;
  }
  boost::asio::post(target.context(), [&target, admitted, s = std::move(socket)]() mutable {
    target.adopt(std::move(s), admitted);  // during shutdown: BYE shutdown at once
  });
  if (!shutting_down_) accept_next();
}

void Server::set_socket_options(boost::asio::ip::tcp::socket& socket) const {
  boost::system::error_code ec;
  socket.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  // This runs on worker 0, whose copy of the settings is current.
  const auto keepalive =
      std::chrono::duration_cast<std::chrono::seconds>(workers_[0]->settings().config.tcp_keepalive);
  if (keepalive.count() <= 0) return;
  socket.set_option(boost::asio::socket_base::keep_alive(true), ec);
  const int fd = socket.native_handle();
  const int idle = static_cast<int>(std::max<std::int64_t>(1, keepalive.count()));
  const int interval = std::max(1, idle / 3);
  const int probes = 3;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
}

void Server::on_signal(int signal_number) {
  if (signal_number == SIGHUP) {
    reload();
    return;
  }
  if (!shutting_down_) {
    spdlog::info("signal {} received: shutting down", signal_number);
    begin_shutdown();
    return;
  }
  // A second signal skips the wait for clients.
  spdlog::info("signal {} received again: closing every connection now", signal_number);
  finish_shutdown();
}

void Server::begin_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  broker_->set_ready(false);
  boost::system::error_code ec;
  acceptor_.close(ec);
  accept_retry_.cancel();
  topic_sweep_.cancel();
  shutdown_deadline_.expires_after(workers_[0]->settings().config.shutdown_timeout);
  shutdown_deadline_.async_wait([this](boost::system::error_code wait_ec) {
    if (wait_ec) return;
    spdlog::warn("shutdown_timeout reached: closing the remaining connections");
    finish_shutdown();
  });
  // Two phases. First every worker stops taking commands; only once all
  // have, does any session leave the router and say BYE. Otherwise a
  // publisher on a worker not yet told could still get `OK` for a PUB that
  // a subscriber on a worker already closed never receives.
  workers_busy_ = workers_.size();
  Worker& coordinator = *workers_[0];
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    boost::asio::post(w->context(), [this, w, &coordinator] {
      w->stop_input();
      boost::asio::post(coordinator.context(), [this] { on_worker_quiet(); });
    });
  }
}

void Server::on_worker_quiet() {
  if (--workers_busy_ > 0) return;
  // Every PUB that was answered has pushed its deliveries into the
  // mailboxes by now; each session drains its mailbox before its BYE.
  workers_busy_ = workers_.size();
  Worker& coordinator = *workers_[0];
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    boost::asio::post(w->context(), [this, w, &coordinator] {
      w->close_all("shutdown", [this, &coordinator] {
        boost::asio::post(coordinator.context(), [this] { on_worker_empty(); });
      });
    });
  }
}

void Server::on_worker_empty() {
  if (--workers_busy_ == 0) finish_shutdown();
}

void Server::finish_shutdown() {
  if (finished_) return;
  finished_ = true;
  shutdown_deadline_.cancel();
  signals_.cancel();
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    // destroy_all runs on each worker's own thread, then the thread stops.
    boost::asio::post(w->context(), [w] {
      w->destroy_all();
      w->stop();
    });
  }
}

void Server::schedule_topic_sweep() {
  const auto ttl = broker_->config().topic_ttl;
  if (ttl.count() <= 0) return;
  const auto period = std::clamp<Config::duration>(ttl / 4, std::chrono::seconds(1), std::chrono::seconds(60));
  topic_sweep_.expires_after(period);
  topic_sweep_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    const std::size_t forgotten = broker_->router().forget_idle_topics();
    if (forgotten > 0) spdlog::debug("forgot {} idle topic(s)", forgotten);
    schedule_topic_sweep();
  });
}

}  // namespace chatbus
