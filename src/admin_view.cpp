#include "chatbus/admin_view.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "chatbus/broker.hpp"
#include "chatbus/worker.hpp"

namespace chatbus {
namespace {

/// Where the workers put their connections; shared so that a worker that
/// answers after the deadline writes into something still alive.
struct Collection {
  std::mutex mutex;                      ///< guards the rest
  std::condition_variable done;          ///< signalled by each worker
  std::vector<ConnectionInfo> connections;  ///< gathered so far
  std::size_t answered = 0;              ///< workers that answered
};

}  // namespace

AdminView::AdminView(Broker& broker, std::vector<Worker*> workers)
    : broker_(broker), workers_(std::move(workers)) {}

MetricsSnapshot AdminView::metrics() const {
  MetricsSnapshot m;
  m.uptime_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - broker_.started_at()).count();
  m.ready = broker_.ready();
  m.threads = workers_.size();
  m.connections = broker_.connection_count();
  m.pending_bytes = broker_.total_pending()->load(std::memory_order_relaxed);
  m.router = broker_.router().stats();
  for (const Worker* worker : workers_) {
    const WorkerMetrics& w = worker->metrics();
    m.connections_accepted += w.connections_accepted.get();
    m.connections_rejected += w.connections_rejected.get();
    m.messages_published += w.messages_published.get();
    m.messages_delivered += w.messages_delivered.get();
    m.messages_dropped += w.messages_dropped.get();
    m.bytes_in += w.bytes_in.get();
    m.bytes_out += w.bytes_out.get();
    for (std::size_t i = 0; i < error_code_count; ++i) m.errors[i] += w.errors[i].get();
    for (std::size_t i = 0; i < close_reason_count; ++i) m.disconnects[i] += w.disconnects[i].get();
    for (std::size_t i = 0; i < m.latency_buckets.size(); ++i) {
      m.latency_buckets[i] += w.publish_to_write.bucket(i);
    }
    m.latency_sum_nanoseconds += w.publish_to_write.sum_nanoseconds();
  }
  return m;
}

std::vector<ConnectionInfo> AdminView::connections(std::chrono::milliseconds deadline,
                                                   bool& complete) const {
  auto collection = std::make_shared<Collection>();
  for (Worker* worker : workers_) {
    boost::asio::post(worker->context(), [worker, collection] {
      std::vector<ConnectionInfo> mine;
      worker->collect_connections(mine);
      std::lock_guard lock(collection->mutex);
      std::move(mine.begin(), mine.end(), std::back_inserter(collection->connections));
      ++collection->answered;
      collection->done.notify_one();
    });
  }
  std::unique_lock lock(collection->mutex);
  complete = collection->done.wait_for(lock, deadline, [&] { return collection->answered == workers_.size(); });
  std::vector<ConnectionInfo> connections = std::move(collection->connections);
  collection->connections.clear();  // a late worker appends to an empty, moved-from vector
  lock.unlock();
  std::sort(connections.begin(), connections.end(),
            [](const ConnectionInfo& a, const ConnectionInfo& b) { return a.id < b.id; });
  return connections;
}

std::vector<Router::TargetCount> AdminView::subscribed_targets(std::string_view prefix) const {
  return broker_.router().subscribed_targets(prefix);
}

}  // namespace chatbus
