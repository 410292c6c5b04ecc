#include "cli/server_connection.hpp"

#include "cli/failure.hpp"
#include "cli/server_line.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace chatbus::cli {
namespace {

/// MSG's own words around a payload: verb, topic, seq.
constexpr std::size_t msg_overhead = 1024;
/// A re-serialised payload may be longer than the PUB line was (`0.1` is
/// sent as `1E-1`): the limit on server lines only stops a runaway line.
constexpr std::size_t payload_growth = 2;

}  // namespace

Failure bye_failure(std::string_view reason) {
  std::string what = "the server closed the connection: BYE " + std::string(reason);
  if (reason == "shutdown") return Failure(ExitCode::connection, what, std::string(reason));
  if (reason == "auth_timeout") return Failure(ExitCode::auth, what, std::string(reason));
  return Failure(ExitCode::refused, what, std::string(reason));
}

Failure err_failure(std::string_view reply, std::string_view context) {
  auto parsed = parse_server_line(reply);
  std::string what = std::string(context) + ": " + std::string(reply);
  if (parsed.code == "unauthorized") return Failure(ExitCode::auth, "authentication failed: " + what);
  return Failure(ExitCode::refused, what);
}

void ServerConnection::open() {
  auto result = link_.connect(options_.addr, deadline_in(options_.timeout));
  if (result.status == LineLink::Status::interrupted) throw Interrupted{};
  if (!result.ok()) {
    throw Failure(ExitCode::connection, "cannot connect to " + options_.addr.text() + ": " + result.describe());
  }
  kept_.clear();
  say_hello();
  if (options_.token) {
    std::string reply = command("AUTH " + *options_.token);
    if (reply != "OK") throw err_failure(reply, "AUTH");
  }
}

void ServerConnection::say_hello() {
  std::string reply = command("HELLO");
  if (!reply.starts_with("OK ")) throw err_failure(reply, "HELLO");
  boost::system::error_code ec;
  auto hello = boost::json::parse(std::string_view(reply).substr(3), ec);
  if (ec || !hello.is_object()) throw Failure(ExitCode::refused, "HELLO: the reply is not a JSON object: " + reply);
  const auto& object = hello.as_object();
  info_ = ServerInfo{};
  if (auto* node = object.if_contains("node"); node && node->is_string()) info_.node = node->as_string().c_str();
  if (auto* version = object.if_contains("version"); version && version->is_string()) {
    info_.version = version->as_string().c_str();
  }
  if (auto* max_line = object.if_contains("max_line"); max_line && max_line->is_int64() && max_line->as_int64() > 0) {
    info_.max_line = static_cast<std::size_t>(max_line->as_int64());
  }
  link_.set_max_line(info_.max_line * payload_growth + msg_overhead);
}

void ServerConnection::queue(std::string_view line) {
  out_.append(line);
  out_ += '\n';
}

void ServerConnection::flush() {
  if (out_.empty()) return;
  auto result = link_.write(out_, deadline_in(options_.timeout));
  out_.clear();
  if (result.status == LineLink::Status::interrupted) throw Interrupted{};
  if (!result.ok()) {
    throw Failure(ExitCode::connection, "lost the connection to " + options_.addr.text() + ": " + result.describe());
  }
}

std::string ServerConnection::command(std::string_view line) {
  queue(line);
  flush();
  return read_reply();
}

std::string ServerConnection::read_line(Deadline deadline) {
  std::string line;
  auto result = link_.read_line(line, deadline);
  switch (result.status) {
    case LineLink::Status::ok: return line;
    case LineLink::Status::interrupted: throw Interrupted{};
    case LineLink::Status::timed_out:
      throw Failure(ExitCode::connection, "no reply from " + options_.addr.text() + " in time (--timeout)");
    case LineLink::Status::eof:
    case LineLink::Status::failed: break;
  }
  throw Failure(ExitCode::connection, "lost the connection to " + options_.addr.text() + ": " + result.describe());
}

std::string ServerConnection::read_reply() {
  const Deadline deadline = deadline_in(options_.timeout);
  for (;;) {
    std::string line = read_line(deadline);
    auto parsed = parse_server_line(line);
    if (is_reply(parsed.kind)) return line;
    if (parsed.kind == LineKind::bye) throw bye_failure(parsed.text);
    kept_.push_back(std::move(line));
  }
}

std::string ServerConnection::next_line() {
  if (!kept_.empty()) {
    std::string line = std::move(kept_.front());
    kept_.pop_front();
    return line;
  }
  return read_line(std::nullopt);
}

void ServerConnection::quit() {
  link_.reactor().clear_interrupt();
  try {
    queue("QUIT");
    flush();
    const Deadline deadline = deadline_in(options_.timeout);
    while (parse_server_line(read_line(deadline)).kind != LineKind::bye) {
    }
  } catch (const Failure&) {
    // Gone already: nothing left to say goodbye to.
  } catch (const Interrupted&) {
    // A second signal: the user does not want to wait.
  }
  link_.close();
}

}  // namespace chatbus::cli
