#include "cli/http_get.hpp"

#include "chatbus/version.hpp"
#include "cli/failure.hpp"
#include "cli/io_result.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cctype>

namespace chatbus::cli {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

/// Stats of a daemon with the maximum page sizes stay far below this.
constexpr std::uint64_t body_limit = 64 * 1024 * 1024;

[[noreturn]] void fail(const Address& address, std::string_view step, const IoResult& result) {
  if (result.status == IoResult::Status::interrupted) throw Interrupted{};
  throw Failure(ExitCode::connection,
                std::string(step) + " http://" + address.text() + ": " + result.describe());
}

}  // namespace

HttpReply http_get(const Address& address, const std::string& target, std::chrono::milliseconds timeout) {
  Reactor reactor(false);
  asio::ip::tcp::socket socket(reactor.context());
  const Deadline deadline = deadline_in(timeout);
  if (auto result = connect_tcp(reactor, socket, address, deadline); !result.ok()) {
    fail(address, "cannot connect to", result);
  }
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, address.text());
  request.set(http::field::user_agent, std::string("chatbus/") + chatbus::version);
  error_code ec;
  auto outcome = reactor.run(
      [&](auto on_done) {
        http::async_write(socket, request, [&, on_done](const error_code& e, std::size_t) {
          ec = e;
          on_done();
        });
      },
      [&] { socket.cancel(); }, deadline);
  if (auto result = IoResult::from(outcome, ec); !result.ok()) fail(address, "sending the request to", result);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  outcome = reactor.run(
      [&](auto on_done) {
        http::async_read(socket, buffer, parser, [&, on_done](const error_code& e, std::size_t) {
          ec = e;
          on_done();
        });
      },
      [&] { socket.cancel(); }, deadline);
  if (auto result = IoResult::from(outcome, ec); !result.ok()) {
    // The protocol port answers a GET with ERR lines, which Beast cannot parse.
    if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
      throw Failure(ExitCode::connection, "http://" + address.text() + " is not an HTTP endpoint (" + ec.message() +
                                              "); --admin-addr names the admin port, not the protocol port");
    }
    fail(address, "reading the response from", result);
  }
  error_code ignored;
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  auto response = parser.release();
  return HttpReply{response.result_int(), std::move(response.body())};
}

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 0x0F];
    }
  }
  return encoded;
}

}  // namespace chatbus::cli
