// run: one benchmark run against one broker, on one thread.
//
// Phases: connect every subscriber (at most --connect-parallel at a time) and
// wait until each subscription is confirmed (chatbus OK, Redis subscribe
// push, NATS PONG after the SUB); connect the publishers (PING/PONG); then
// publish for --duration — as fast as a bounded window of unacknowledged PUBs
// allows (chatbus OK <n>, Redis :<n>, NATS PONG every --nats-ping-every PUBs),
// or for D paced by the schedule t0 + i/rate; wait for every PUB to be
// acknowledged; send every subscriber a PING and wait for its PONG (the
// barrier: all in-flight deliveries have arrived). The interval measured runs
// from the first PUB to the last barrier reply. Finally every subscriber's
// delivered + announced drops must equal what was published on its topic.
//
// Ownership: Run owns every socket; all of them live in one epoll loop, read
// once per readiness into one shared 256 KiB buffer (a partial frame is kept
// per connection). Nothing is allocated per message.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "event_loop.hpp"
#include "histogram.hpp"
#include "options.hpp"
#include "parse.hpp"
#include "result.hpp"
#include "workload.hpp"

namespace chatbus::bench {

class Run {
 public:
  explicit Run(const Options& options);
  ~Run();
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  /// Runs every phase and returns what was measured (valid or not).
  RunResult execute();

 private:
  /// A socket with the partial frame it last left and its unsent output.
  struct Conn {
    int fd = -1;                ///< -1 until connecting
    std::string carry;          ///< bytes of an incomplete frame from the last read
    std::string out;            ///< output not yet taken by the socket, from out_sent on
    std::size_t out_sent = 0;   ///< bytes of `out` already written
    bool watching_out = false;  ///< EPOLLOUT requested
  };
  enum class Stage { idle, connecting, subscribing, ready, barrier, done };
  struct Subscriber {
    Conn conn;                         ///< its socket
    std::uint32_t topic = 0;           ///< index into topics_
    Stage stage = Stage::idle;         ///< where it is in the run
    SubscriberSeen seen;               ///< what it received
    std::uint32_t pings_sent = 0;      ///< PINGs whose PONG is awaited
    std::uint32_t pongs_sent = 0;      ///< answers to NATS server PINGs
    std::uint32_t barrier_rounds = 0;  ///< barrier PINGs sent
  };
  struct Publisher {
    Conn conn;                              ///< its socket (TCP_NODELAY)
    std::vector<std::uint32_t> topics;      ///< its share of the topics
    std::string ring;                       ///< pre-encoded PUBs, cycled through
    std::vector<std::size_t> line_end;      ///< end offset of each PUB in `ring`
    std::vector<std::uint32_t> line_topic;  ///< topic of each PUB in `ring`
    std::size_t ring_pos = 0;               ///< next PUB of `ring` to send
    PublisherSeen seen;                     ///< replies received
    std::uint64_t sent = 0;                 ///< PUBs written
    std::uint32_t pings_sent = 0;           ///< all PINGs, the connect check included
    std::uint32_t pongs_sent = 0;           ///< answers to NATS server PINGs
    bool ready = false;                     ///< connect check answered
    bool finished = false;                  ///< publishing over for it
  };

  static constexpr std::uint64_t subscriber_kind = 1;  ///< epoll key high word
  static constexpr std::uint64_t publisher_kind = 2;   ///< epoll key high word
  static std::uint64_t sub_key(std::uint32_t i) { return subscriber_kind << 32 | i; }
  static std::uint64_t pub_key(std::uint32_t i) { return publisher_kind << 32 | i; }
  std::uint32_t index_of(const Publisher& p) const {
    return static_cast<std::uint32_t>(&p - pubs_.data());
  }

  // run.cpp: the event loop

  bool pump(const char* phase, std::uint64_t deadline, const std::function<bool()>& done);
  void dispatch(const epoll_event& ev);
  bool receive(Conn& conn, bool subscriber, std::uint32_t index);
  void flush(Conn& conn, std::uint64_t key);
  void fail(std::string what);

  // run_result.cpp: the numbers and the validity check
  RunResult result() const;
  void validate(RunResult& r) const;

  // run_connect.cpp: subscriptions, publishers, barrier
  bool connect_subscribers();
  void open_more_subscribers();
  void open_subscriber(std::uint32_t i);
  void subscriber_connected(std::uint32_t i);
  void on_subscriber(std::uint32_t i, std::uint32_t events);
  bool connect_publishers();
  void on_publisher(std::uint32_t i, std::uint32_t events);
  bool barrier();
  void barrier_reply(std::uint32_t i);

  // run_publish.cpp: the measured interval
  void build_ring(Publisher& p);
  bool publish();
  bool drain();
  void tick(std::uint64_t now);
  void fill(Publisher& p);
  void pace(Publisher& p, std::uint64_t now);
  void finish_publishing(Publisher& p);
  void append_from_ring(Publisher& p, std::uint64_t count);
  std::uint64_t acknowledged(const Publisher& p) const;
  std::uint64_t next_wake(std::uint64_t now) const;

  Options options_;                            ///< as given
  Workload workload_;                          ///< the scenario's numbers
  sockaddr_in address_{};                      ///< the broker
  std::vector<std::string> topics_;            ///< chat:stream:<uuid>
  std::vector<Subscriber> subs_;               ///< one per subscriber connection
  std::vector<Publisher> pubs_;                ///< one per publisher connection
  std::vector<std::uint64_t> published_;       ///< PUBs sent per topic
  EventLoop loop_;                             ///< every socket
  std::vector<char> buffer_;                   ///< the shared read buffer
  ParseContext ctx_;                           ///< facts for the parsers, their error
  std::unique_ptr<LatencyHistogram> latency_;  ///< D only

  std::uint32_t next_open_ = 0;                          ///< next subscriber to connect
  std::uint32_t opening_ = 0;                            ///< connecting or awaiting confirmation
  std::uint32_t ready_ = 0;                              ///< subscriptions confirmed
  std::uint32_t pubs_ready_ = 0;                         ///< publishers whose PING was answered
  std::uint32_t barrier_done_ = 0;                       ///< subscribers past the barrier
  bool publishing_ = false;                              ///< inside the publishing phase
  std::uint64_t t_start_ = 0;                            ///< first PUB (the schedule's t0)
  std::uint64_t t_end_ = 0;                              ///< publishing stops
  std::uint64_t t_done_ = 0;                             ///< last barrier reply
  std::uint64_t paced_total_ = 0;                        ///< D: PUBs per publisher
  double paced_interval_ns_ = 0;                         ///< D: time between a publisher's PUBs
  std::uint64_t setup_ns_ = 0;                           ///< connecting and subscribing
  std::optional<std::uint64_t> cpu_start_, cpu_end_;     ///< broker CPU ns
  std::uint64_t self_cpu_start_ = 0, self_cpu_end_ = 0;  ///< generator CPU ns
  std::optional<std::uint64_t> pressure_start_, pressure_end_;     ///< PSI cpu "some", us
  std::optional<std::uint64_t> rss_before_, rss_after_, rss_end_;  ///< broker VmRSS KiB
  bool failed_ = false;                                            ///< a fatal error happened
  bool spin_ = false;                ///< poll without sleeping (see Options::spin)
  std::vector<std::string> errors_;  ///< what
};

}  // namespace chatbus::bench
