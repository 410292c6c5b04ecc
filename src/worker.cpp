#include "chatbus/worker.hpp"

#include <boost/asio/post.hpp>
#include <cassert>
#include <utility>
#include <spdlog/spdlog.h>

#include "chatbus/broker.hpp"
#include "chatbus/session.hpp"

namespace chatbus {

Worker::Worker(unsigned index)
    : index_(index),
      context_(1),  // concurrency hint: one thread runs it
      work_guard_(boost::asio::make_work_guard(context_)),
      mailbox_([this] { boost::asio::post(context_, [this] { drain_mailbox(); }); }),
      read_buffer_(read_buffer_size) {}

Worker::~Worker() {
  stop();
  join();
}

void Worker::attach(Broker& broker) {
  broker_ = &broker;
  settings_ = broker.settings();
}

void Worker::update_settings(std::shared_ptr<const Settings> next) {
  // Sessions may point into the old generation (their grants): keep it
  // alive until each has moved to the new one.
  const std::shared_ptr<const Settings> old = std::exchange(settings_, std::move(next));
  for (const auto& item : sessions_) item.second->apply_settings();
}

void Worker::start() {
  thread_ = std::thread([this] {
    try {
      context_.run();
    } catch (const std::exception& e) {
      spdlog::critical("worker {} stopped by an exception: {}", index_, e.what());
      std::abort();
    }
  });
}

void Worker::stop() {
  work_guard_.reset();
  context_.stop();
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::adopt(boost::asio::ip::tcp::socket socket, bool admitted) {
  assert(broker_ != nullptr);
  auto session = std::make_shared<Session>(*this, *broker_, std::move(socket), admitted);
  Session* key = session.get();
  sessions_.emplace(key, session);
  key->start();
  if (closing_all_) key->close("shutdown");  // accepted just as shutdown began
}

void Worker::drain_mailbox() {
  // Nothing a session does while taking a delivery closes or flushes it
  // synchronously, so a drain never re-enters itself.
  assert(!draining_);
  if (draining_) return;
  draining_ = true;
  mailbox_.take(batch_);
  for (Delivery& delivery : batch_) {
    switch (delivery.kind) {
      case Delivery::Kind::queued:
        delivery.target->deliver(MessagePtr::adopt(delivery.message));
        break;
      case Delivery::Kind::skipped:
        delivery.target->skip(*delivery.message, delivery.epoch);
        delivery.message->release();
        break;
      case Delivery::Kind::retire:
        sessions_.erase(static_cast<Session*>(delivery.target));
        break;
    }
  }
  batch_.clear();
  draining_ = false;
  check_empty();
}

void Worker::retire(Session& session) {
  // The router pushed every earlier delivery for this session into this
  // mailbox before the session left it, so the marker comes after them all.
  if (mailbox_.push(Delivery{&session, nullptr, Delivery::Kind::retire})) mailbox_.wake();
}

void Worker::close_all(std::string_view reason, std::function<void()> on_empty) {
  closing_all_ = true;
  on_empty_ = std::move(on_empty);
  // Copy: closing may retire sessions, which edits the registry.
  std::vector<std::shared_ptr<Session>> sessions;
  sessions.reserve(sessions_.size());
  for (const auto& item : sessions_) sessions.push_back(item.second);
  for (const auto& session : sessions) session->close(reason);
  check_empty();
}

void Worker::destroy_all() {
  std::vector<std::shared_ptr<Session>> sessions;
  sessions.reserve(sessions_.size());
  for (const auto& item : sessions_) sessions.push_back(item.second);
  for (const auto& session : sessions) session->destroy("shutdown deadline");
}

void Worker::collect_connections(std::vector<ConnectionInfo>& out) const {
  for (const auto& item : sessions_) {
    if (auto info = item.second->info()) out.push_back(std::move(*info));
  }
}

void Worker::check_empty() {
  if (on_empty_ && sessions_.empty()) {
    auto callback = std::move(on_empty_);
    on_empty_ = nullptr;
    callback();
  }
}

}  // namespace chatbus
