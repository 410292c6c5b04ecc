// run_result: from counters to RunResult, and the validity rule (see run.hpp):
// a run is valid when nothing failed (no error reply, no BYE, no -ERR, no
// disconnect, no seq gap, no time-out) and every subscriber's delivered +
// announced drops equals what was published on its topic.
#include "run.hpp"

namespace chatbus::bench {

RunResult Run::result() const {
  RunResult r;
  r.broker = options_.broker;
  r.scenario = options_.scenario;
  r.label = options_.label;
  r.description = workload_.description;
  r.topics = workload_.topics;
  r.subscribers = workload_.subscribers;
  r.publishers = workload_.publishers;
  r.duration_s = workload_.idle ? 0.0 : static_cast<double>(options_.duration_ns) / 1e9;
  r.setup_s = static_cast<double>(setup_ns_) / 1e9;
  r.interval_s = static_cast<double>(t_done_ - t_start_) / 1e9;
  for (const Publisher& p : pubs_) {
    r.published += p.sent;
    r.acked_receivers += p.seen.receivers;
  }
  for (const Subscriber& s : subs_) {
    r.delivered += s.seen.delivered;
    r.dropped += s.seen.dropped;
    r.expected += published_[s.topic];
  }
  if (r.interval_s > 0.01) {  // a run that failed while connecting has no interval
    r.deliveries_per_s = static_cast<double>(r.delivered) / r.interval_s;
    r.generator_cpu = static_cast<double>(self_cpu_end_ - self_cpu_start_) / 1e9 / r.interval_s;
  }
  if (cpu_start_ && cpu_end_) {
    r.broker_cpu_s = static_cast<double>(*cpu_end_ - *cpu_start_) / 1e9;
    if (r.delivered > 0)
      r.broker_cpu_ns_per_delivery = *r.broker_cpu_s * 1e9 / static_cast<double>(r.delivered);
  }
  if (pressure_start_ && pressure_end_ && r.interval_s > 0.01)
    r.cpu_pressure = static_cast<double>(*pressure_end_ - *pressure_start_) / 1e6 / r.interval_s;
  if (latency_) {
    r.latency =
        LatencySummary{latency_->count(), latency_->percentile(0.50), latency_->percentile(0.99),
                       latency_->percentile(0.999), latency_->max()};
  }
  if (workload_.idle && rss_before_ && rss_after_) {
    r.rss_before_kib = rss_before_;
    r.rss_after_kib = rss_after_;
    r.rss_per_connection_bytes =
        (static_cast<double>(*rss_after_) - static_cast<double>(*rss_before_)) * 1024.0 /
        static_cast<double>(workload_.subscribers);
  }
  r.broker_rss_end_kib = rss_end_;
  validate(r);
  return r;
}

void Run::validate(RunResult& r) const {
  r.errors = errors_;
  std::uint64_t short_subs = 0;
  std::uint64_t over_subs = 0;
  for (std::size_t i = 0; i < subs_.size(); ++i) {
    const Subscriber& s = subs_[i];
    const std::uint64_t got = s.seen.delivered + s.seen.dropped;
    const std::uint64_t want = published_[s.topic];
    if (got == want) continue;
    (got < want ? short_subs : over_subs) += 1;
    if (short_subs + over_subs <= 3)
      r.errors.push_back("subscriber " + std::to_string(i) + " on " + topics_[s.topic] +
                         ": delivered " + std::to_string(s.seen.delivered) + " + dropped " +
                         std::to_string(s.seen.dropped) + " != published " + std::to_string(want));
  }
  if (short_subs > 0)
    r.errors.push_back(std::to_string(short_subs) + " subscribers lost messages unannounced");
  if (over_subs > 0)
    r.errors.push_back(std::to_string(over_subs) + " subscribers got more than was published");
  if (r.latency && r.latency->count != r.delivered)
    r.errors.push_back("latency samples != deliveries");
  // chatbus OK <n> counts the subscriptions a PUB was queued to (skipped ones
  // not): it should equal what arrived. Redis :<n> counts every subscriber.
  if (options_.broker == Broker::chatbus && r.acked_receivers != r.delivered)
    r.warnings.push_back("sum of OK <n> (" + std::to_string(r.acked_receivers) +
                         ") != delivered (" + std::to_string(r.delivered) + ")");
  if (options_.broker == Broker::redis && r.acked_receivers != r.expected)
    r.warnings.push_back("sum of :<n> (" + std::to_string(r.acked_receivers) +
                         ") != published x subscribers (" + std::to_string(r.expected) + ")");
  if (options_.broker_pid > 0 && !r.broker_cpu_s)
    r.warnings.push_back("could not read /proc/" + std::to_string(options_.broker_pid));
  r.valid = r.errors.empty();
}

}  // namespace chatbus::bench
