// relay: the bare relay (see relay.hpp). One epoll loop; each MSG line is
// built once per PUB and appended to every subscriber's output buffer; every
// buffer touched in a loop iteration is written with one send() at its end.
#include "relay.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "event_loop.hpp"
#include "net.hpp"

namespace chatbus::bench {
namespace {

constexpr std::size_t high_water = 32u << 20;  ///< pause publishers above this
constexpr std::size_t low_water = 8u << 20;    ///< resume below this
constexpr std::uint64_t listener_key = ~0ULL;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class Relay {
 public:
  explicit Relay(const Options& o) : listener_(listen_on(o.host, o.port)), buffer_(256 * 1024) {
    loop_.add(listener_, EPOLLIN, listener_key);
  }
  ~Relay() { close(listener_); }
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  [[noreturn]] void serve() {
    for (;;) {
      for (const epoll_event& ev : loop_.wait(1'000'000'000)) {
        if (ev.data.u64 == listener_key)
          accept_all();
        else
          on_client(static_cast<std::uint32_t>(ev.data.u64), ev.events);
      }
      for (std::uint32_t c : dirty_) flush(c);
      dirty_.clear();
      if ((congested_ > 0) != paused_) set_paused(congested_ > 0);
    }
  }

 private:
  struct Client {
    int fd = -1;                      ///< -1: free slot
    std::string carry;                ///< incomplete line
    std::string out;                  ///< unsent output from out_sent on
    std::size_t out_sent = 0;         ///< bytes of `out` written
    bool dirty = false;               ///< in dirty_
    bool watching_out = false;        ///< EPOLLOUT requested
    bool publisher = false;           ///< has sent a PUB
    bool congested = false;           ///< counted in congested_
    std::vector<std::string> topics;  ///< its subscriptions
  };
  struct Topic {
    std::vector<std::uint32_t> subscribers;  ///< client slots
    std::uint64_t seq = 0;                   ///< last seq given out
  };

  void accept_all() {
    for (;;) {
      const int fd = accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      set_nodelay(fd);
      std::uint32_t slot = 0;
      while (slot < clients_.size() && clients_[slot].fd >= 0) ++slot;
      if (slot == clients_.size()) clients_.emplace_back();
      clients_[slot] = Client{};
      clients_[slot].fd = fd;
      loop_.add(fd, EPOLLIN, slot);  // not a publisher (yet): read even while paused
    }
  }

  void on_client(std::uint32_t c, std::uint32_t events) {
    if ((events & EPOLLOUT) != 0) mark_dirty(c);
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0) return;
    Client& cl = clients_[c];
    const std::size_t kept = cl.carry.size();
    std::memcpy(buffer_.data(), cl.carry.data(), kept);
    const ssize_t n = recv(cl.fd, buffer_.data() + kept, buffer_.size() - kept, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return drop(c);
    if (n < 0) return;
    const char* p = buffer_.data();
    const char* end = p + kept + static_cast<std::size_t>(n);
    while (const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p))) {
      line(c, std::string_view(p, static_cast<std::size_t>(nl - p)));
      p = nl + 1;
    }
    if (clients_[c].fd >= 0) clients_[c].carry.assign(p, end);
  }

  void line(std::uint32_t c, std::string_view l) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.starts_with("PUB ")) return publish(c, l.substr(4));
    Client& cl = clients_[c];
    if (l.starts_with("SUB ")) {
      const std::string_view topic = l.substr(4);
      auto it = topics_.find(topic);
      if (it == topics_.end()) it = topics_.emplace(std::string(topic), Topic{}).first;
      it->second.subscribers.push_back(c);
      cl.topics.emplace_back(topic);
      cl.out.append("OK ").append(topic).append("\n");
    } else if (l.starts_with("PING")) {
      cl.out.append("PONG").append(l.substr(4)).append("\n");
    } else {
      cl.out.append("ERR bad_command relay knows SUB, PUB and PING\n");
    }
    mark_dirty(c);
  }

  void publish(std::uint32_t c, std::string_view rest) {
    clients_[c].publisher = true;
    const auto space = rest.find(' ');
    const std::string_view topic = rest.substr(0, space);
    const std::string_view payload = space == rest.npos ? "" : rest.substr(space + 1);
    std::size_t n = 0;
    if (auto it = topics_.find(topic); it != topics_.end()) {
      Topic& t = it->second;
      char seq[24];
      const char* seq_end = std::to_chars(seq, seq + sizeof seq, ++t.seq).ptr;
      msg_.assign("MSG ")
          .append(topic)
          .append(" ")
          .append(std::string_view(seq, static_cast<std::size_t>(seq_end - seq)))
          .append(" ");
      msg_.append(payload).append("\n");
      for (std::uint32_t s : t.subscribers) {
        clients_[s].out.append(msg_);
        mark_dirty(s);
      }
      n = t.subscribers.size();
    }
    char reply[32] = "OK ";
    auto* r_end = std::to_chars(reply + 3, reply + sizeof reply - 1, n).ptr;
    *r_end++ = '\n';
    clients_[c].out.append(reply, r_end);
    mark_dirty(c);
  }

  void mark_dirty(std::uint32_t c) {
    if (!clients_[c].dirty) {
      clients_[c].dirty = true;
      dirty_.push_back(c);
    }
  }

  void flush(std::uint32_t c) {
    Client& cl = clients_[c];
    cl.dirty = false;
    if (cl.fd < 0) return;
    const long n = write_some(cl.fd, std::string_view(cl.out).substr(cl.out_sent));
    if (n < 0) return drop(c);
    cl.out_sent += static_cast<std::size_t>(n);
    if (cl.out_sent == cl.out.size()) {
      cl.out.clear();
      cl.out_sent = 0;
    } else if (cl.out_sent > (4u << 20)) {
      cl.out.erase(0, cl.out_sent);
      cl.out_sent = 0;
    }
    const std::size_t pending = cl.out.size() - cl.out_sent;
    if (!cl.congested && pending > high_water) {
      cl.congested = true;
      ++congested_;
    } else if (cl.congested && pending < low_water) {
      cl.congested = false;
      --congested_;
    }
    const bool want_out = pending > 0;
    if (want_out != cl.watching_out) {
      cl.watching_out = want_out;
      loop_.modify(cl.fd, interest(cl), c);
    }
  }

  std::uint32_t interest(const Client& cl) const {
    return (paused_ && cl.publisher ? 0u : EPOLLIN) | (cl.watching_out ? EPOLLOUT : 0u);
  }

  void set_paused(bool paused) {
    paused_ = paused;
    for (std::uint32_t c = 0; c < clients_.size(); ++c) {
      const Client& cl = clients_[c];
      if (cl.fd >= 0 && cl.publisher) loop_.modify(cl.fd, interest(cl), c);
    }
  }

  void drop(std::uint32_t c) {
    Client& cl = clients_[c];
    for (const std::string& name : cl.topics) {
      auto it = topics_.find(name);
      if (it == topics_.end()) continue;
      auto& subs = it->second.subscribers;
      std::erase(subs, c);
      if (subs.empty()) topics_.erase(it);
    }
    if (cl.congested) --congested_;
    close(cl.fd);
    cl = Client{};
  }

  int listener_;                      ///< listening socket
  EventLoop loop_;                    ///< every socket
  std::vector<char> buffer_;          ///< shared read buffer
  std::vector<Client> clients_;       ///< by slot (the epoll key)
  std::vector<std::uint32_t> dirty_;  ///< slots with output added this iteration
  std::unordered_map<std::string, Topic, StringHash, std::equal_to<>> topics_;  ///< by name
  std::string msg_;            ///< the MSG line being fanned out
  std::size_t congested_ = 0;  ///< clients above high_water
  bool paused_ = false;        ///< publishers not read
};

}  // namespace

int run_relay(const Options& options) {
  Relay relay(options);
  std::fprintf(stderr, "chatbus-bench relay listening on %s:%u\n", options.host.c_str(),
               static_cast<unsigned>(options.port));
  relay.serve();
}

}  // namespace chatbus::bench
