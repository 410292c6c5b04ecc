#include "chatbus/metrics_exposition.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <string_view>

namespace chatbus {
namespace {

/// Appends metric families; one family is HELP, TYPE, then its samples.
class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  template <class Value>
  void sample(std::string_view name, Value value, std::string_view labels = {}) {
    if (labels.empty()) {
      fmt::format_to(std::back_inserter(out_), "{} {}\n", name, value);
    } else {
      fmt::format_to(std::back_inserter(out_), "{}{{{}}} {}\n", name, labels, value);
    }
  }
  template <class Value>
  void single(std::string_view name, std::string_view type, std::string_view help, Value value) {
    family(name, type, help);
    sample(name, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;  ///< the exposition so far
};

void connection_metrics(Exposition& e, const MetricsSnapshot& m) {
  e.single("chatbus_connections", "gauge", "Open client connections.", m.connections);
  e.single("chatbus_connections_accepted_total", "counter", "Client connections accepted.",
           m.connections_accepted);
  e.family("chatbus_connections_rejected_total", "counter", "Client connections refused, by reason.");
  e.sample("chatbus_connections_rejected_total", m.connections_rejected, "reason=\"max_connections\"");
  e.family("chatbus_disconnects_total", "counter",
           "Client connections ended, by reason (the BYE reason, peer_closed or io_error).");
  for (std::size_t i = 0; i < close_reason_count; ++i) {
    e.sample("chatbus_disconnects_total", m.disconnects[i],
             fmt::format("reason=\"{}\"", close_reason_name(static_cast<CloseReason>(i))));
  }
  e.family("chatbus_errors_total", "counter", "ERR replies sent, by code.");
  for (std::size_t i = 0; i < error_code_count; ++i) {
    e.sample("chatbus_errors_total", m.errors[i],
             fmt::format("code=\"{}\"", error_code_name(static_cast<ErrorCode>(i))));
  }
}

void message_metrics(Exposition& e, const MetricsSnapshot& m) {
  e.single("chatbus_subscriptions", "gauge", "Subscriptions, patterns included.", m.router.subscriptions);
  e.single("chatbus_topics", "gauge", "Topics known, idle ones kept for topic_ttl included.", m.router.topics);
  e.single("chatbus_topics_subscribed", "gauge", "Topics with at least one exact subscriber.",
           m.router.subscribed_topics);
  e.single("chatbus_patterns", "gauge", "Distinct patterns subscribed to.", m.router.patterns);
  e.single("chatbus_messages_published_total", "counter", "PUB commands accepted.", m.messages_published);
  e.single("chatbus_messages_delivered_total", "counter", "MSG lines queued to subscribers.",
           m.messages_delivered);
  e.single("chatbus_messages_dropped_total", "counter",
           "MSG lines skipped for slow subscribers (each reported to them by DROPPED).", m.messages_dropped);
  e.single("chatbus_received_bytes_total", "counter", "Bytes read from clients.", m.bytes_in);
  e.single("chatbus_sent_bytes_total", "counter", "Bytes written to clients.", m.bytes_out);
  e.single("chatbus_outbound_queued_bytes", "gauge", "Bytes queued to clients and not yet written.",
           m.pending_bytes);
}

void latency_histogram(Exposition& e, const MetricsSnapshot& m) {
  constexpr std::string_view name = "chatbus_publish_to_write_seconds";
  e.family(name, "histogram", "Time from a PUB arriving to its MSG being written to a subscriber's socket.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < LatencyHistogram::bucket_count; ++i) {
    cumulative += m.latency_buckets[i];
    const double bound = static_cast<double>(LatencyHistogram::upper_bound(i)) * 1e-9;
    e.sample("chatbus_publish_to_write_seconds_bucket", cumulative, fmt::format("le=\"{}\"", bound));
  }
  cumulative += m.latency_buckets[LatencyHistogram::bucket_count];
  e.sample("chatbus_publish_to_write_seconds_bucket", cumulative, "le=\"+Inf\"");
  e.sample("chatbus_publish_to_write_seconds_sum", static_cast<double>(m.latency_sum_nanoseconds) * 1e-9);
  e.sample("chatbus_publish_to_write_seconds_count", cumulative);
}

/// Resident set size in bytes, from /proc/self/statm (pages).
std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

std::uint64_t open_descriptors() {
  std::uint64_t count = 0;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (const dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(dir);
    --count;  // the directory's own descriptor
  }
  return count;
}

void process_metrics(Exposition& e) {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  e.single("process_cpu_seconds_total", "counter", "User and system CPU time spent.", cpu);
  e.single("process_resident_memory_bytes", "gauge", "Resident memory size.", resident_bytes());
  e.single("process_open_fds", "gauge", "Open file descriptors.", open_descriptors());
  e.single("process_max_fds", "gauge", "Limit on open file descriptors.", static_cast<std::uint64_t>(files.rlim_cur));
}

}  // namespace

std::string render_prometheus(const MetricsSnapshot& m) {
  Exposition e;
  e.single("chatbus_up", "gauge", "1 while the server runs.", 1);
  e.single("chatbus_ready", "gauge", "1 while the server accepts clients, 0 once shutdown began.", m.ready ? 1 : 0);
  e.single("chatbus_uptime_seconds", "gauge", "Seconds since the server started.", m.uptime_seconds);
  e.single("chatbus_threads", "gauge", "I/O threads.", m.threads);
  connection_metrics(e, m);
  message_metrics(e, m);
  latency_histogram(e, m);
  process_metrics(e);
  return e.take();
}

}  // namespace chatbus
