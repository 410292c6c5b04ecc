// run: construction, the phases in order, the event loop (see run.hpp).
#include "run.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "clock.hpp"
#include "net.hpp"
#include "proc_stats.hpp"

namespace chatbus::bench {
namespace {

constexpr std::size_t read_buffer_size = 256 * 1024;
constexpr std::uint64_t max_poll_ns = 50'000'000;  ///< re-check phase conditions this often

}  // namespace

Run::Run(const Options& options)
    : options_(options),
      workload_(workload_for(options.scenario, options)),
      address_(make_address(options.host, options.port)),
      topics_(make_topics(workload_.topics, options.seed)),
      subs_(workload_.subscribers),
      pubs_(workload_.publishers),
      published_(workload_.topics, 0),
      buffer_(read_buffer_size) {
  options_.nats_ping_every = std::min(options_.nats_ping_every, options_.window);
  raise_fd_limit(workload_.subscribers + workload_.publishers + 64);
  for (std::uint32_t i = 0; i < subs_.size(); ++i) subs_[i].topic = i % workload_.topics;
  for (std::uint32_t t = 0; t < workload_.topics; ++t)
    if (!pubs_.empty()) pubs_[t % pubs_.size()].topics.push_back(t);
  ctx_.topic_len = topics_.front().size();
  ctx_.redis_message_head = "*3\r\n$7\r\nmessage\r\n$" + std::to_string(ctx_.topic_len) + "\r\n";
  // A sleeping vCPU takes a long time to wake on this kind of VM; in the
  // latency scenario the generator owns its core, so it polls instead and its
  // own wake-ups stay out of the measured latency.
  spin_ = options.spin == Spin::on || (options.spin == Spin::automatic && workload_.paced);
  if (workload_.paced) latency_ = std::make_unique<LatencyHistogram>();
  ctx_.latency = latency_.get();
}

Run::~Run() {
  for (auto& s : subs_)
    if (s.conn.fd >= 0) close(s.conn.fd);
  for (auto& p : pubs_)
    if (p.conn.fd >= 0) close(p.conn.fd);
}

RunResult Run::execute() {
  rss_before_ = process_rss_kib(options_.broker_pid);
  const std::uint64_t setup_start = now_ns();
  bool ok = connect_subscribers();
  if (ok && workload_.idle) rss_after_ = process_rss_kib(options_.broker_pid);
  ok = ok && connect_publishers();
  setup_ns_ = now_ns() - setup_start;
  cpu_start_ = process_cpu_ns(options_.broker_pid);
  self_cpu_start_ = self_cpu_ns();
  pressure_start_ = cpu_pressure_us();
  t_start_ = now_ns();
  ok = ok && (workload_.idle || publish());
  ok = ok && drain();
  ok = ok && barrier();
  t_done_ = now_ns();
  cpu_end_ = process_cpu_ns(options_.broker_pid);
  self_cpu_end_ = self_cpu_ns();
  pressure_end_ = cpu_pressure_us();
  rss_end_ = process_rss_kib(options_.broker_pid);
  return result();
}

bool Run::pump(const char* phase, std::uint64_t deadline, const std::function<bool()>& done) {
  while (!failed_ && !done()) {
    const std::uint64_t now = now_ns();
    if (now >= deadline) {
      fail(std::string("timed out in phase '") + phase + "'");
      break;
    }
    if (publishing_) tick(now);
    const std::uint64_t wake = spin_ ? 0 : std::min({deadline - now, next_wake(now), max_poll_ns});
    for (const epoll_event& ev : loop_.wait(wake)) {
      dispatch(ev);
      if (failed_) break;
    }
  }
  return !failed_;
}

void Run::dispatch(const epoll_event& ev) {
  const std::uint64_t kind = ev.data.u64 >> 32;
  const auto index = static_cast<std::uint32_t>(ev.data.u64);
  if (kind == subscriber_kind)
    on_subscriber(index, ev.events);
  else
    on_publisher(index, ev.events);
}

bool Run::receive(Conn& conn, bool subscriber, std::uint32_t index) {
  const std::size_t kept = conn.carry.size();
  if (kept > 0) std::memcpy(buffer_.data(), conn.carry.data(), kept);
  const ssize_t n = recv(conn.fd, buffer_.data() + kept, buffer_.size() - kept, 0);
  const char* who = subscriber ? "subscriber " : "publisher ";
  if (n == 0) {
    fail(who + std::to_string(index) + ": broker closed the connection");
    return false;
  }
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
    fail(who + std::to_string(index) + ": " + error_text(errno));
    return false;
  }
  ctx_.now = now_ns();
  const std::size_t total = kept + static_cast<std::size_t>(n);
  const std::size_t used =
      subscriber ? parse_subscriber(options_.broker, buffer_.data(), total, subs_[index].seen, ctx_)
                 : parse_publisher(options_.broker, buffer_.data(), total, pubs_[index].seen, ctx_);
  conn.carry.assign(buffer_.data() + used, total - used);
  if (!ctx_.error.empty()) {
    fail(who + std::to_string(index) + ": " + ctx_.error);
    return false;
  }
  if (conn.carry.size() > buffer_.size() / 2) {
    fail(who + std::to_string(index) + ": a frame longer than the read buffer");
    return false;
  }
  return true;
}

void Run::flush(Conn& conn, std::uint64_t key) {
  const long n = write_some(conn.fd, std::string_view(conn.out).substr(conn.out_sent));
  if (n < 0) {
    fail("write: " + error_text(static_cast<int>(-n)));
    return;
  }
  conn.out_sent += static_cast<std::size_t>(n);
  if (conn.out_sent == conn.out.size()) {
    conn.out.clear();
    conn.out_sent = 0;
  } else if (conn.out_sent > (1u << 20)) {
    conn.out.erase(0, conn.out_sent);
    conn.out_sent = 0;
  }
  const bool want_out = !conn.out.empty();
  if (want_out != conn.watching_out) {
    loop_.modify(conn.fd, EPOLLIN | (want_out ? EPOLLOUT : 0u), key);
    conn.watching_out = want_out;
  }
}

void Run::fail(std::string what) {
  failed_ = true;
  if (errors_.size() < 20) errors_.push_back(std::move(what));
}

}  // namespace chatbus::bench
