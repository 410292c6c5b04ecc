#include "soak.hpp"

#include <sys/wait.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iostream>
#include <memory>

#include "auditor.hpp"
#include "context.hpp"
#include "daemon_process.hpp"
#include "lines.hpp"
#include "report.hpp"

namespace chatbus::soak {
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr Duration reply_timeout{30'000};
/// An audited topic outside the pool (and outside chat:stream:, so no
/// pattern subscriber shares it): only the auditors subscribe to it.
constexpr std::string_view drill_topic = "soak:drill";
/// Drill PUBs at most while waiting for the paused auditor to be skipped.
constexpr std::size_t max_drill = 8000;

std::vector<std::string> daemon_flags(const Options& options, const Limits& limits) {
  const auto ms = [](Duration d) { return std::to_string(d.count()) + "ms"; };
  // A little above what the soak holds at most: two sockets per slot, the
  // auditors, the control and liveness connections.
  const int max_connections = 2 * options.connections + options.auditors + 32;
  return {"--threads", "2",
          "--max-pending", std::to_string(limits.max_pending),
          "--max-line", std::to_string(limits.max_line),
          "--max-bad-lines", std::to_string(limits.max_bad_lines),
          "--slow-consumer-timeout", ms(limits.slow_consumer_timeout),
          "--idle-timeout", ms(limits.idle_timeout),
          "--max-connections", std::to_string(max_connections),
          // Finds peers that vanished (no FIN, no RST); one that half-closed
          // while subscribed is kept until a write fails or idle_timeout.
          "--tcp-keepalive", "1s",
          "--shutdown-timeout", "5s"};
}

/// A timer used as an event: wait() returns once fire() ran (or at the deadline).
class Event {
 public:
  explicit Event(asio::any_io_executor executor) : timer_(executor, Clock::time_point::max()) {}
  void fire() {
    fired_ = true;
    timer_.cancel();
  }
  asio::awaitable<bool> wait(Duration deadline) {
    if (!fired_) {
      timer_.expires_after(deadline);
      co_await timer_.async_wait(use_tuple);
    }
    co_return fired_;
  }

 private:
  asio::steady_timer timer_;  ///< cancelled by fire()
  bool fired_ = false;        ///< fire() ran
};

asio::awaitable<void> pause(asio::any_io_executor executor, Duration d) {
  asio::steady_timer timer(executor, d);
  co_await timer.async_wait(use_tuple);
}

/// Publishes one valid message to each of `topics` on `control`, recording
/// the acknowledged ones.
asio::awaitable<void> publish_each(Context& context, Connection& control, const std::vector<std::string>& topics) {
  std::string lines;
  std::vector<std::uint64_t> ids;
  for (const auto& topic : topics) {
    ids.push_back(context.ledger.next_id());
    lines += "PUB " + topic + " " + context.payload(ids.back()) + "\n";
  }
  context.stats.published += topics.size();
  co_await control.send(lines, reply_timeout);
  for (std::size_t i = 0; i < topics.size(); ++i) {
    const auto reply = co_await read_reply(control);
    if (!starts_with_word(reply, "OK")) {
      context.stats.violation("control PUB got " + reply);
      continue;
    }
    ++context.stats.acknowledged;
    if (context.ledger.sampled_index(topics[i])) ++context.stats.acknowledged_sampled;
    context.ledger.acknowledged(topics[i], ids[i]);
  }
}

/// QUIT, read to the server's EOF, close.
asio::awaitable<void> quit(Connection& connection) {
  co_await connection.send("QUIT\n", reply_timeout);
  co_await read_reply(connection);
  co_await read_to_bye(connection, "BYE quit", reply_timeout);
  connection.close();
}

/// A fresh client can still PING, and a fresh SUB/PUB/MSG round trip works.
asio::awaitable<void> check_liveness(Context& context) {
  Connection pinger(context.executor);
  co_await pinger.connect(context.port);
  co_await pinger.send("PING still there\n", reply_timeout);
  if (auto reply = co_await read_reply(pinger); reply != "PONG still there") {
    context.stats.violation("liveness: PING got " + reply);
  }
  Connection subscriber(context.executor);
  Connection publisher(context.executor);
  co_await subscriber.connect(context.port);
  co_await publisher.connect(context.port);
  const std::string topic = "chat:stream:" + context.uuid();
  co_await subscriber.send("SUB " + topic + "\n", reply_timeout);
  if (auto reply = co_await read_reply(subscriber); reply != "OK " + topic) {
    context.stats.violation("liveness: SUB got " + reply);
  }
  co_await publisher.send("PUB " + topic + " {\"after_message_id\":7,\"status\":\"running\"}\n", reply_timeout);
  if (auto reply = co_await read_reply(publisher); reply != "OK 1") context.stats.violation("liveness: PUB got " + reply);
  const auto msg = co_await subscriber.read_line(reply_timeout);
  if (msg != "MSG " + topic + " 1 {\"after_message_id\":7,\"status\":\"running\"}") {
    context.stats.violation("liveness: the subscriber got " + msg.value_or("EOF"));
  }
  for (Connection* c : {&pinger, &subscriber, &publisher}) c->close();
  context.stats.connections += 3;
}

struct Run {
  Context& context;
  DaemonProcess& daemon;
  const Options& options;
  std::vector<std::unique_ptr<Auditor>>& auditors;
  Report& report;
};

/// Floods the drill topic with ~1 KB messages until a reply counts fewer
/// than every auditor (the paused one was skipped); false if none did.
asio::awaitable<bool> flood_drill(Context& context) {
  Connection connection(context.executor);
  co_await connection.connect(context.port);
  ++context.stats.connections;
  const std::string pad(1000, 'p');
  bool skipped = false;
  for (std::size_t sent = 0; sent < max_drill && !skipped; sent += 16) {
    std::vector<std::uint64_t> ids;
    std::string lines;
    for (int i = 0; i < 16; ++i) {
      ids.push_back(context.ledger.next_id());
      lines += "PUB " + std::string(drill_topic) + " {\"after_message_id\":" + std::to_string(ids.back()) +
               ",\"x_pad\":\"" + pad + "\"}\n";
    }
    context.stats.published += ids.size();
    co_await connection.send(lines, reply_timeout);
    for (std::uint64_t id : ids) {
      const auto reply = co_await read_reply(connection);
      const auto queued = starts_with_word(reply, "OK") ? to_number(std::string_view(reply).substr(3)) : std::nullopt;
      if (!queued) {
        context.stats.violation("drill PUB got " + reply.substr(0, 200));
        continue;
      }
      ++context.stats.acknowledged;
      ++context.stats.acknowledged_sampled;
      context.ledger.acknowledged(drill_topic, id);
      if (*queued < context.ledger.auditor_count()) skipped = true;
    }
  }
  co_await quit(connection);
  co_return skipped;
}

/// Every few seconds, one auditor stops reading while the drill topic is
/// flooded until flow control skips it, then reads on: it must be told
/// DROPPED, and the accounting must still come out exact.
asio::awaitable<void> drills(Run& run) {
  Context& context = run.context;
  for (std::size_t next = 0;; ++next) {
    co_await pause(context.executor, std::chrono::seconds(5));
    if (Clock::now() + std::chrono::seconds(5) > context.churn_end) co_return;
    Auditor& auditor = *run.auditors[next % run.auditors.size()];
    auditor.pause_reading();
    bool skipped = false;
    bool refused = false;
    try {
      skipped = co_await flood_drill(context);
    } catch (const Bye& bye) {
      refused = std::string(bye.what()) == "overloaded";
      if (!refused) context.stats.violation(std::string("drill: BYE ") + bye.what());
    } catch (const std::exception& e) {
      context.stats.violation(std::string("drill: ") + e.what());
    }
    auditor.resume_reading();
    if (refused) {
      context.stats.fault("drill: refused with BYE overloaded");  // at max_connections: the next one
    } else if (skipped) {
      ++run.report.drills_skipped;
      context.stats.fault("drill: paused auditor skipped (DROPPED due)");
    } else {
      context.stats.violation("drill: flow control never skipped the paused auditor");
    }
  }
}

asio::awaitable<void> churn(Run& run) {
  Context& context = run.context;
  std::size_t active = static_cast<std::size_t>(run.options.connections) + 1;
  Event all_done(context.executor);
  const auto finished = [&](std::exception_ptr) {
    if (--active == 0) all_done.fire();
  };
  for (std::size_t slot = 0; slot < static_cast<std::size_t>(run.options.connections); ++slot) {
    asio::co_spawn(context.executor, run_slot(context, slot), finished);
  }
  asio::co_spawn(context.executor, drills(run), finished);
  const int warmup = run.options.warmup > 0 ? run.options.warmup : std::min(60, std::max(1, run.options.duration / 5));
  co_await pause(context.executor, std::chrono::seconds(std::min(warmup, run.options.duration)));
  run.report.rss_start_kib = rss_kib(run.daemon.pid());
  // Episodes end on their own (each wait has a deadline) after churn_end.
  if (!co_await all_done.wait(std::chrono::seconds(run.options.duration + 300))) {
    context.stats.violation("churning clients did not finish within 300 s of the end");
  }
}

/// Waits (bounded) for the daemon's descriptors to come back to `baseline`.
/// Meanwhile it publishes to every pool topic each round: a write is how the
/// daemon notices a subscriber that closed while its topics were quiet.
asio::awaitable<std::size_t> wait_for_descriptors(Run& run, std::size_t baseline) {
  const auto until = Clock::now() + std::chrono::seconds(run.options.fd_wait);
  std::size_t count = fd_count(run.daemon.pid());
  while (count != baseline && Clock::now() < until) {
    Connection control(run.context.executor);
    co_await control.connect(run.context.port);
    co_await publish_each(run.context, control, run.context.ledger.pool());
    co_await quit(control);
    co_await pause(run.context.executor, Duration(200));
    count = fd_count(run.daemon.pid());
  }
  co_return count;
}

asio::awaitable<void> soak(Run& run) {
  Context& context = run.context;
  for (auto& auditor : run.auditors) {
    co_await auditor->start(context.port);
    asio::co_spawn(context.executor, auditor->read_loop(), asio::detached);
    asio::co_spawn(context.executor, auditor->ping_loop(), asio::detached);
  }
  // Only the auditors are connected: the baseline.
  run.report.fds_start = fd_count(run.daemon.pid());

  co_await churn(run);
  run.report.churn_done = Clock::now();

  run.report.fds_end = co_await wait_for_descriptors(run, run.report.fds_start);
  run.report.rss_end_kib = rss_kib(run.daemon.pid());
  // The last word on every sampled topic, then a barrier on each auditor:
  // everything acknowledged before it has been read or reported dropped.
  Connection control(context.executor);
  co_await control.connect(context.port);
  co_await publish_each(context, control, context.ledger.audited());
  for (auto& auditor : run.auditors) co_await auditor->barrier();
  for (auto& auditor : run.auditors) context.stats.unaccounted += auditor->unaccounted();
  if (run.report.drills_skipped > 0 && context.stats.dropped == 0) {
    context.stats.violation("drills made the daemon skip MSGs to auditors, but no auditor was told DROPPED");
  }
  co_await quit(control);
  co_await check_liveness(context);

  for (auto& auditor : run.auditors) auditor->expect_shutdown();
  run.daemon.terminate();
  for (auto& auditor : run.auditors) co_await auditor->wait_done(Duration(15'000));
}

}  // namespace

int run_soak(const Options& options) {
  asio::io_context io(1);
  const Limits limits;
  std::unique_ptr<DaemonProcess> daemon;
  try {
    daemon = std::make_unique<DaemonProcess>(io, options.chatbusd, daemon_flags(options, limits), options.daemon_log);
  } catch (const std::exception& e) {
    std::cerr << "chatbus-soak: " << e.what() << "\n";
    return 2;
  }
  Stats stats;
  std::mt19937_64 random(options.seed);
  std::vector<std::string> pool;
  for (int i = 0; i < options.topics; ++i) pool.push_back("chat:stream:" + random_uuid(random));
  std::vector<std::string> audited(pool.begin(), pool.begin() + options.sampled);
  audited.push_back(std::string(drill_topic));
  Ledger ledger(pool, audited, static_cast<std::size_t>(options.auditors));
  Context run_context{io.get_executor(), daemon->port(), limits, ledger, stats, random, {},
                      static_cast<std::size_t>(options.sampled)};
  std::vector<std::unique_ptr<Auditor>> auditors;
  for (int i = 0; i < options.auditors; ++i) {
    auditors.push_back(std::make_unique<Auditor>(io.get_executor(), static_cast<std::size_t>(i), ledger, stats));
  }
  Report report;
  Run run{run_context, *daemon, options, auditors, report};
  const auto started = Clock::now();
  run_context.churn_end = started + std::chrono::seconds(options.duration);
  bool finished = false;
  asio::co_spawn(io, soak(run), [&](std::exception_ptr error) {
    finished = true;
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        stats.violation(std::string("soak: ") + e.what());
      }
    }
    io.stop();
  });
  io.run();
  if (!finished) stats.violation("soak: the event loop ended early");
  daemon->terminate();  // the run may have stopped before its end
  const auto status = daemon->wait_exit(std::chrono::seconds(20));
  report.elapsed = std::chrono::duration_cast<Duration>(Clock::now() - started);
  report.end_phase = std::chrono::duration_cast<Duration>(Clock::now() - report.churn_done);
  if (!status) {
    stats.violation("chatbusd did not exit within 20 s of SIGTERM");
  } else if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    stats.violation("chatbusd ended with wait status " + std::to_string(*status));
  }
  report.daemon_log_tail = daemon->log_tail();
  return print_report(options, report, stats) ? 0 : 1;
}

}  // namespace chatbus::soak
