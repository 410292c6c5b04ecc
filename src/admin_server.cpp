#include "chatbus/admin_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "admin_routes.hpp"

namespace chatbus {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace {

/// Admin connections served at once; more are closed on arrival, so a
/// flood of scrapers cannot take the process's descriptors.
constexpr std::size_t max_admin_connections = 64;

/// Time a client gets to send a request's header or take a response.
constexpr auto request_deadline = std::chrono::seconds(10);

/// Largest request header accepted (no request has a body).
constexpr std::uint32_t max_header_bytes = 8 * 1024;

}  // namespace

AdminServer::AdminServer(const Config& config, AdminView view)
    : acceptor_(context_), view_(std::move(view)) {
  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address(config.admin_bind), config.admin_port};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start() {
  asio::co_spawn(context_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { context_.run(); });
}

void AdminServer::stop() {
  context_.stop();
  if (thread_.joinable()) thread_.join();
}

asio::awaitable<void> AdminServer::accept_loop() {
  while (true) {
    boost::system::error_code ec;
    asio::ip::tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of descriptors, most likely (Linux checks for a free descriptor
      // before it looks for a pending connection, so this repeats for as
      // long as the process is out of them): do not spin, say it once.
      if (!accept_warning_logged_) {
        spdlog::warn("admin endpoint: accept failed: {}; retrying every 100 ms", ec.message());
        accept_warning_logged_ = true;
      }
      asio::steady_timer pause(context_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    accept_warning_logged_ = false;
    if (open_connections_ >= max_admin_connections) continue;  // the socket closes here
    // A page that throws (out of memory building a huge one) costs its
    // connection, not the process.
    asio::co_spawn(context_, serve(std::move(socket)), [](std::exception_ptr error) {
      if (!error) return;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        spdlog::error("admin endpoint: request failed: {}", e.what());
      }
    });
  }
}

asio::awaitable<void> AdminServer::serve(asio::ip::tcp::socket socket) {
  ++open_connections_;
  struct Uncount {
    std::size_t& count;  ///< open_connections_
    ~Uncount() { --count; }
  } uncount{open_connections_};  // also when a page throws
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  while (true) {
    http::request_parser<http::empty_body> parser;
    parser.header_limit(max_header_bytes);
    stream.expires_after(request_deadline);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;  // closed, timed out, or not HTTP: nothing to answer
    const admin_detail::Request& request = parser.get();
    admin_detail::Response response = admin_detail::route(request, view_);
    const bool keep_alive = response.keep_alive();
    stream.expires_after(request_deadline);
    if (request.method() == http::verb::head) {
      http::response_serializer<http::string_body> serializer(response);
      co_await http::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec || !keep_alive) break;
  }
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace chatbus
