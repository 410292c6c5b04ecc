// Server reload (SIGHUP): parse the configuration again from the same flags,
// environment, config file and token file; if it is invalid, log why and
// keep everything as it was. Otherwise keep the running value of what needs
// a restart (with a warning), install the new settings in the broker, post
// them to every worker (each hands them to its sessions on its own thread),
// and log `config reloaded` once every worker has them, so that a client
// that sees the line meets the new settings in its next command.
//
// Runs on worker 0, like the signal handling. The parse reads files there:
// a cold path, and a reload is rare.
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "chatbus/broker.hpp"
#include "chatbus/config_reload.hpp"
#include "chatbus/logging.hpp"
#include "chatbus/server.hpp"
#include "chatbus/worker.hpp"

namespace chatbus {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

/// One reload on its way to the workers; touched on worker 0 only.
struct Server::PendingReload {
  std::shared_ptr<const Settings> next;  ///< the settings being installed
  std::vector<std::string> changes;      ///< what the log line reports
  std::size_t workers_left = 0;          ///< workers yet to take `next`
};

void Server::reload() {
  if (shutting_down_) return;
  spdlog::info("SIGHUP received: reloading the configuration");
  std::string problem = "this server was started without a way to reload";
  std::optional<Config> loaded = load_config_ ? load_config_(problem) : std::nullopt;
  if (!loaded) {
    spdlog::error("config reload failed, keeping the running configuration: {}", problem);
    return;
  }
  ReloadPlan plan = plan_reload(broker_->settings()->config, std::move(*loaded));
  if (!plan.need_restart.empty()) {
    spdlog::warn("config reload: {} changed but only take(s) effect after a restart; keeping the "
                 "running value(s)",
                 joined(plan.need_restart));
  }
  auto pending = std::make_shared<PendingReload>();
  pending->next = make_settings(std::move(plan.config), broker_->node_id(), ++generation_);
  pending->changes = std::move(plan.changes);
  pending->workers_left = workers_.size();
  broker_->install(pending->next);
  Worker& coordinator = *workers_[0];
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    boost::asio::post(w->context(), [this, w, &coordinator, pending, next = pending->next] {
      w->update_settings(next);
      boost::asio::post(coordinator.context(), [this, pending] {
        if (--pending->workers_left == 0) finish_reload(*pending);
      });
    });
  }
}

void Server::finish_reload(const PendingReload& pending) {
  // The line is logged at the more verbose of the old and new levels, so a
  // reload to `warn` still says that it happened.
  const auto before = spdlog::default_logger_raw()->level();
  set_log_level(pending.next->config.log_level);
  const auto after = spdlog::default_logger_raw()->level();
  spdlog::set_level(std::min(before, after));
  spdlog::info("config reloaded (generation {}): {}", pending.next->generation,
               pending.changes.empty() ? std::string("nothing changed") : joined(pending.changes));
  spdlog::set_level(after);
}

}  // namespace chatbus
