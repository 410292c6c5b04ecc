#include "cli/io_result.hpp"

#include <boost/asio/connect.hpp>

namespace chatbus::cli {

namespace asio = boost::asio;
using boost::system::error_code;

std::string IoResult::describe() const {
  switch (status) {
    case Status::ok: return "ok";
    case Status::eof: return "the server closed the connection";
    case Status::timed_out: return "timed out";
    case Status::interrupted: return "interrupted";
    case Status::failed: break;
  }
  return error.message();
}

IoResult IoResult::from(Reactor::Outcome outcome, const error_code& ec) {
  if (outcome == Reactor::Outcome::interrupted) return {Status::interrupted, {}};
  if (outcome == Reactor::Outcome::timed_out) return {Status::timed_out, {}};
  if (ec == asio::error::eof) return {Status::eof, {}};
  if (ec) return {Status::failed, ec};
  return {};
}

IoResult connect_tcp(Reactor& reactor, asio::ip::tcp::socket& socket, const Address& address, Deadline deadline) {
  asio::ip::tcp::resolver resolver(reactor.context());
  asio::ip::tcp::resolver::results_type endpoints;
  error_code ec;
  auto outcome = reactor.run(
      [&](auto on_done) {
        resolver.async_resolve(address.host, std::to_string(address.port),
                               [&, on_done](const error_code& e, asio::ip::tcp::resolver::results_type r) {
                                 ec = e;
                                 endpoints = std::move(r);
                                 on_done();
                               });
      },
      [&] { resolver.cancel(); }, deadline);
  if (auto result = IoResult::from(outcome, ec); !result.ok()) return result;
  outcome = reactor.run(
      [&](auto on_done) {
        asio::async_connect(socket, endpoints, [&, on_done](const error_code& e, const asio::ip::tcp::endpoint&) {
          ec = e;
          on_done();
        });
      },
      [&] { socket.cancel(); }, deadline);
  return IoResult::from(outcome, ec);
}

}  // namespace chatbus::cli
