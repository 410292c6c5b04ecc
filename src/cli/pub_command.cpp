// `chatbus pub`: one payload from the command line, or one per line of
// stdin, pipelined.
//
// From stdin, PUBs are sent without waiting for their replies, at most
// --window of them unanswered; whenever stdin has nothing more to read at
// once, the client waits for every reply first, so an interactive user sees
// an error right after the line that caused it. Replies come in order, so
// the oldest unanswered line number names each one.
#include "cli/commands.hpp"
#include "cli/server_connection.hpp"
#include "cli/server_line.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <deque>
#include <iostream>

namespace chatbus::cli {
namespace {

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r") == std::string_view::npos; }

/// The payload as one line: a JSON text spread over several lines is
/// re-serialised compactly (its line breaks are insignificant white space).
std::string one_line_payload(const std::string& payload) {
  if (is_blank(payload)) throw Failure(ExitCode::usage, "the payload is empty");
  if (payload.find_first_of("\r\n") == std::string::npos) return payload;
  boost::system::error_code ec;
  auto value = boost::json::parse(payload, ec);
  if (ec) throw Failure(ExitCode::usage, "the payload spans several lines and is not valid JSON: " + ec.message());
  return boost::json::serialize(value);
}

ExitCode publish_one(ServerConnection& connection, const std::string& topic, const std::string& payload) {
  std::string line = "PUB " + topic + " " + one_line_payload(payload);
  connection.open();
  std::string reply = connection.command(line);
  if (!reply.starts_with("OK")) throw err_failure(reply, "PUB");
  // PROTOCOL.md: `OK <n>`, the subscriptions it was queued to.
  std::cout << parse_server_line(reply).text << '\n';
  return ExitCode::ok;
}

/// The stdin loop's state: which lines await a reply, and the tally.
class Pipeline {
 public:
  Pipeline(ServerConnection& connection, const PubOptions& options) : connection_(connection), options_(options) {}

  ExitCode run();

 private:
  /// Reads one reply and books it against the oldest unanswered line.
  void take_reply();
  void drain();

  ServerConnection& connection_;        ///< the open connection
  const PubOptions& options_;           ///< topic, window
  std::deque<std::uint64_t> waiting_;   ///< line numbers of unanswered PUBs
  std::uint64_t sent_ = 0;              ///< PUBs sent
  std::uint64_t acknowledged_ = 0;      ///< OK replies
  std::uint64_t refused_ = 0;           ///< ERR replies
};

ExitCode Pipeline::run() {
  // Unsynchronised, std::cin reads through its own buffer, and in_avail()
  // tells whether the next line can be had without blocking.
  std::ios::sync_with_stdio(false);
  std::string line;
  std::uint64_t number = 0;
  try {
    for (;;) {
      if (waiting_.size() >= options_.window) {
        connection_.flush();
        take_reply();
        while (!waiting_.empty() && connection_.has_line()) take_reply();
        continue;
      }
      if (!waiting_.empty() && std::cin.rdbuf()->in_avail() <= 0) drain();
      if (!std::getline(std::cin, line)) break;
      ++number;
      if (is_blank(line)) continue;  // the server would not answer it
      connection_.queue("PUB " + options_.topic + " " + line);
      waiting_.push_back(number);
      ++sent_;
    }
    drain();
  } catch (const Failure&) {
    std::cout << "acknowledged " << acknowledged_ << " of " << sent_ << std::endl;
    throw;
  }
  std::cout << "acknowledged " << acknowledged_ << " of " << sent_ << std::endl;
  return refused_ == 0 ? ExitCode::ok : ExitCode::refused;
}

void Pipeline::take_reply() {
  std::string reply = connection_.read_reply();
  const std::uint64_t number = waiting_.front();
  waiting_.pop_front();
  if (reply.starts_with("OK")) {
    ++acknowledged_;
    return;
  }
  ++refused_;
  std::cerr << "chatbus: line " << number << ": " << reply << '\n';
  if (parse_server_line(reply).code == "unauthorized") throw err_failure(reply, "PUB");
}

void Pipeline::drain() {
  connection_.flush();
  while (!waiting_.empty()) take_reply();
}

}  // namespace

ExitCode run_pub(const Invocation& invocation) {
  const auto& options = invocation.pub;
  if (options.topic.empty() || options.topic.find_first_of(" \t\r\n") != std::string::npos) {
    throw Failure(ExitCode::usage, "the topic must be one word");
  }
  Reactor reactor(false);
  ServerConnection connection(reactor, invocation.common);
  if (options.payload) return publish_one(connection, options.topic, *options.payload);
  connection.open();
  return Pipeline(connection, options).run();
}

}  // namespace chatbus::cli
