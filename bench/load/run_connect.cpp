// run_connect: setting up subscribers and publishers, and the final barrier
// (see run.hpp). Subscribers are opened --connect-parallel at a time: a
// connection counts as "opening" from connect() until its subscription is
// confirmed, so a broker with a short accept backlog (Redis: 511) never sees
// more half-open connections than it can take.
#include "clock.hpp"
#include "encode.hpp"
#include "net.hpp"
#include "run.hpp"

namespace chatbus::bench {
namespace {

constexpr std::uint32_t max_barrier_rounds = 8;

}  // namespace

bool Run::connect_subscribers() {
  open_more_subscribers();
  return pump("subscribe", now_ns() + options_.timeout_ns,
              [this] { return ready_ == subs_.size(); });
}

void Run::open_more_subscribers() {
  while (!failed_ && opening_ < options_.connect_parallel && next_open_ < subs_.size())
    open_subscriber(next_open_++);
}

void Run::open_subscriber(std::uint32_t i) {
  bool established = false;
  const int fd = start_connect(address_, established);
  if (fd < 0) {
    fail("subscriber " + std::to_string(i) + ": connect: " + error_text(-fd));
    return;
  }
  Subscriber& s = subs_[i];
  s.conn.fd = fd;
  s.stage = Stage::connecting;
  ++opening_;
  loop_.add(fd, EPOLLIN | EPOLLOUT, sub_key(i));
  s.conn.watching_out = true;
  if (established) subscriber_connected(i);
}

void Run::subscriber_connected(std::uint32_t i) {
  Subscriber& s = subs_[i];
  if (const int err = connect_result(s.conn.fd); err != 0) {
    fail("subscriber " + std::to_string(i) + ": connect: " + error_text(err));
    return;
  }
  s.stage = Stage::subscribing;
  append_preamble(options_.broker, s.conn.out);
  append_subscribe(options_.broker, s.conn.out, topics_[s.topic], i + 1);
  if (options_.broker == Broker::nats) {  // NATS confirms nothing: a PONG after SUB does
    append_ping(options_.broker, s.conn.out);
    ++s.pings_sent;
  }
  flush(s.conn, sub_key(i));
}

void Run::on_subscriber(std::uint32_t i, std::uint32_t events) {
  Subscriber& s = subs_[i];
  if (s.stage == Stage::connecting) {
    subscriber_connected(i);
    return;
  }
  if ((events & EPOLLOUT) != 0) flush(s.conn, sub_key(i));
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0 || failed_) return;
  if (!receive(s.conn, true, i)) return;
  if (s.seen.server_pings > s.pongs_sent) {
    for (; s.pongs_sent < s.seen.server_pings; ++s.pongs_sent) append_pong(s.conn.out);
    flush(s.conn, sub_key(i));
  }
  if (s.stage == Stage::subscribing) {
    const bool confirmed =
        options_.broker == Broker::nats ? s.seen.pongs >= s.pings_sent : s.seen.confirms >= 1;
    if (confirmed) {
      s.stage = Stage::ready;
      ++ready_;
      --opening_;
      open_more_subscribers();
    }
  } else if (s.stage == Stage::barrier && s.seen.pongs >= s.pings_sent) {
    barrier_reply(i);
  }
}

bool Run::connect_publishers() {
  for (std::uint32_t i = 0; i < pubs_.size() && !failed_; ++i) {
    Publisher& p = pubs_[i];
    build_ring(p);
    bool established = false;
    const int fd = start_connect(address_, established);
    if (fd < 0) {
      fail("publisher: connect: " + error_text(-fd));
      break;
    }
    p.conn.fd = fd;
    set_nodelay(fd);
    loop_.add(fd, EPOLLIN, pub_key(i));
    append_preamble(options_.broker, p.conn.out);
    append_ping(options_.broker, p.conn.out);  // sent once the connect completes
    ++p.pings_sent;
    flush(p.conn, pub_key(i));
  }
  return pump("connect publishers", now_ns() + options_.timeout_ns,
              [this] { return pubs_ready_ == pubs_.size(); });
}

void Run::on_publisher(std::uint32_t i, std::uint32_t events) {
  Publisher& p = pubs_[i];
  if ((events & EPOLLOUT) != 0) flush(p.conn, pub_key(i));
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0 || failed_) return;
  if (!receive(p.conn, false, i)) return;
  if (p.seen.server_pings > p.pongs_sent) {
    for (; p.pongs_sent < p.seen.server_pings; ++p.pongs_sent) append_pong(p.conn.out);
    flush(p.conn, pub_key(i));
  }
  if (!p.ready && p.seen.pongs >= 1) {
    p.ready = true;
    ++pubs_ready_;
  }
  if (publishing_ && !p.finished && !workload_.paced) fill(p);
}

bool Run::barrier() {
  for (std::uint32_t i = 0; i < subs_.size() && !failed_; ++i) {
    Subscriber& s = subs_[i];
    s.stage = Stage::barrier;
    append_ping(options_.broker, s.conn.out);
    ++s.pings_sent;
    ++s.barrier_rounds;
    flush(s.conn, sub_key(i));
  }
  return pump("barrier", now_ns() + options_.timeout_ns,
              [this] { return barrier_done_ == subs_.size(); });
}

void Run::barrier_reply(std::uint32_t i) {
  // A chatbus subscriber that was over max_pending may be told DROPPED only
  // once its queue drained, i.e. possibly after this PONG was queued: ask
  // again (the next PONG comes after that DROPPED) before calling it short.
  Subscriber& s = subs_[i];
  const std::uint64_t got = s.seen.delivered + s.seen.dropped;
  if (got < published_[s.topic] && s.barrier_rounds < max_barrier_rounds) {
    append_ping(options_.broker, s.conn.out);
    ++s.pings_sent;
    ++s.barrier_rounds;
    flush(s.conn, sub_key(i));
    return;
  }
  s.stage = Stage::done;
  ++barrier_done_;
}

}  // namespace chatbus::bench
