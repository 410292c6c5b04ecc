// run_publish: the measured interval (see run.hpp). Throughput scenarios keep
// each publisher's window of unacknowledged PUBs full from a ring of
// pre-encoded PUB lines (one memcpy per batch, one send() per batch); D sends
// message i of a publisher at t0 + i/rate carrying that *scheduled* time, so a
// stall anywhere shows up as latency instead of silently delaying the
// schedule (no coordinated omission).
#include <algorithm>
#include <cmath>

#include "clock.hpp"
#include "encode.hpp"
#include "run.hpp"

namespace chatbus::bench {
namespace {

constexpr std::size_t ring_lines_min = 1000;        ///< PUBs in a ring (at least)
constexpr std::size_t max_unsent_bytes = 1u << 20;  ///< stop adding while the socket lags

}  // namespace

void Run::build_ring(Publisher& p) {
  const std::size_t per_topic = std::max<std::size_t>(1, ring_lines_min / p.topics.size());
  const std::size_t lines = per_topic * p.topics.size();
  char payload[max_payload];
  for (std::size_t k = 0; k < lines; ++k) {
    const std::uint32_t topic = p.topics[k % p.topics.size()];
    const std::size_t n = make_payload(payload, throughput_id_base + k + 1);
    append_publish(options_.broker, p.ring, topics_[topic], {payload, n});
    p.line_end.push_back(p.ring.size());
    p.line_topic.push_back(topic);
  }
}

bool Run::publish() {
  publishing_ = true;
  t_end_ = t_start_ + options_.duration_ns;
  if (workload_.paced) {
    const double per_publisher = options_.rate / static_cast<double>(pubs_.size());
    paced_interval_ns_ = 1e9 / per_publisher;
    paced_total_ = static_cast<std::uint64_t>(
        std::floor(static_cast<double>(options_.duration_ns) / paced_interval_ns_));
  }
  const bool ok = pump("publish", t_end_ + options_.timeout_ns, [this] {
    return std::all_of(pubs_.begin(), pubs_.end(), [](const Publisher& p) { return p.finished; });
  });
  publishing_ = false;
  return ok;
}

bool Run::drain() {
  return pump("wait for PUB acknowledgements", now_ns() + options_.timeout_ns, [this] {
    return std::all_of(pubs_.begin(), pubs_.end(), [this](const Publisher& p) {
      return acknowledged(p) == p.sent &&
             (options_.broker != Broker::nats || p.seen.pongs == p.pings_sent);
    });
  });
}

void Run::tick(std::uint64_t now) {
  for (Publisher& p : pubs_) {
    if (p.finished) continue;
    if (workload_.paced) {
      pace(p, now);
      if (p.sent == paced_total_) finish_publishing(p);
    } else if (now >= t_end_) {
      finish_publishing(p);
    } else {
      fill(p);
    }
  }
}

std::uint64_t Run::acknowledged(const Publisher& p) const {
  if (options_.broker != Broker::nats) return p.seen.acks;
  // Every --nats-ping-every PUBs carry a PING; its PONG acknowledges them
  // (the first PONG answered the connect check).
  const std::uint64_t pongs = p.seen.pongs > 0 ? p.seen.pongs - 1 : 0;
  return std::min<std::uint64_t>(pongs * options_.nats_ping_every, p.sent);
}

void Run::fill(Publisher& p) {
  const std::uint64_t in_flight = p.sent - acknowledged(p);
  if (in_flight >= options_.window) return;
  const std::uint64_t room = options_.window - in_flight;
  if (in_flight > 0 && room < options_.window / 4) return;  // let acks gather: fewer syscalls
  if (p.conn.out.size() - p.conn.out_sent > max_unsent_bytes) return;
  append_from_ring(p, room);
  flush(p.conn, pub_key(index_of(p)));
}

void Run::append_from_ring(Publisher& p, std::uint64_t count) {
  const std::size_t lines = p.line_end.size();
  const std::uint32_t every = options_.nats_ping_every;
  const bool nats = options_.broker == Broker::nats;
  while (count > 0) {
    std::size_t n = std::min<std::size_t>(count, lines - p.ring_pos);
    if (nats) n = std::min<std::size_t>(n, every - p.sent % every);
    const std::size_t from = p.ring_pos == 0 ? 0 : p.line_end[p.ring_pos - 1];
    p.conn.out.append(p.ring, from, p.line_end[p.ring_pos + n - 1] - from);
    for (std::size_t k = p.ring_pos; k < p.ring_pos + n; ++k) ++published_[p.line_topic[k]];
    p.sent += n;
    p.ring_pos = (p.ring_pos + n) % lines;
    count -= n;
    if (nats && p.sent % every == 0) {
      append_ping(options_.broker, p.conn.out);
      ++p.pings_sent;
    }
  }
}

void Run::pace(Publisher& p, std::uint64_t now) {
  const auto due_now = static_cast<std::uint64_t>(
                           std::floor(static_cast<double>(now - t_start_) / paced_interval_ns_)) +
                       1;
  const std::uint64_t due = std::min(due_now, paced_total_);
  const std::uint32_t every = options_.nats_ping_every;
  char payload[max_payload];
  const std::size_t before = p.conn.out.size();
  while (p.sent < due && p.sent - acknowledged(p) < options_.window) {
    const std::uint64_t scheduled =
        t_start_ +
        static_cast<std::uint64_t>(std::llround(static_cast<double>(p.sent) * paced_interval_ns_));
    const std::uint32_t topic = p.topics[p.sent % p.topics.size()];
    const std::size_t n = make_payload(payload, scheduled);
    append_publish(options_.broker, p.conn.out, topics_[topic], {payload, n});
    ++published_[topic];
    ++p.sent;
    if (options_.broker == Broker::nats && p.sent % every == 0) {
      append_ping(options_.broker, p.conn.out);
      ++p.pings_sent;
    }
  }
  if (p.conn.out.size() != before) flush(p.conn, pub_key(index_of(p)));
}

void Run::finish_publishing(Publisher& p) {
  p.finished = true;
  if (options_.broker == Broker::nats && p.sent % options_.nats_ping_every != 0) {
    append_ping(options_.broker, p.conn.out);  // acknowledges the last partial batch
    ++p.pings_sent;
  }
  flush(p.conn, pub_key(index_of(p)));
}

std::uint64_t Run::next_wake(std::uint64_t now) const {
  if (!publishing_) return ~0ULL;
  if (!workload_.paced) return now < t_end_ ? t_end_ - now : 0;
  std::uint64_t earliest = ~0ULL;
  for (const Publisher& p : pubs_) {
    if (p.finished || p.sent - acknowledged(p) >= options_.window) continue;  // acks wake us
    const std::uint64_t due =
        t_start_ +
        static_cast<std::uint64_t>(std::llround(static_cast<double>(p.sent) * paced_interval_ns_));
    earliest = std::min(earliest, due > now ? due - now : 0);
  }
  return earliest;
}

}  // namespace chatbus::bench
