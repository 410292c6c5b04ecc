#include "ledger.hpp"

#include <algorithm>
#include <stdexcept>

namespace chatbus::soak {

void Stats::violation(std::string what) {
  ++violation_count;
  // The first few distinct ones: a repeated one says no more the 100th time.
  if (violations.size() < 20 && std::find(violations.begin(), violations.end(), what) == violations.end()) {
    violations.push_back(std::move(what));
  }
}

Ledger::Ledger(std::vector<std::string> pool, std::vector<std::string> audited, std::size_t auditors)
    : pool_(std::move(pool)), audited_(std::move(audited)), auditors_(auditors) {
  if (auditors_ > 8) throw std::invalid_argument("at most 8 auditors");
  for (std::size_t i = 0; i < audited_.size(); ++i) index_.emplace(audited_[i], i);
  acked_.resize(audited_.size());
}

std::uint64_t Ledger::next_id() {
  ++last_id_;
  received_.push_back(0);
  forbidden_.push_back(false);
  return last_id_;
}

std::optional<std::size_t> Ledger::sampled_index(std::string_view topic) const {
  const auto it = index_.find(topic);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

void Ledger::acknowledged(std::string_view topic, std::uint64_t id) {
  if (auto index = sampled_index(topic)) acked_[*index].push_back(id);
}

void Ledger::forbid(std::uint64_t id) { forbidden_[id - 1] = true; }

void Ledger::delivered(std::size_t auditor, std::size_t topic, std::uint64_t id, Stats& stats) {
  if (id == 0 || id > last_id_) {
    stats.violation("auditor " + std::to_string(auditor) + " got an id the soak never sent: " + std::to_string(id));
    return;
  }
  if (forbidden_[id - 1]) {
    stats.violation("an unterminated PUB line was delivered (id " + std::to_string(id) + ", topic " +
                    audited_[topic] + ")");
  }
  const auto bit = static_cast<std::uint8_t>(1u << auditor);
  if (received_[id - 1] & bit) {
    stats.violation("auditor " + std::to_string(auditor) + " got id " + std::to_string(id) + " twice");
  }
  received_[id - 1] = static_cast<std::uint8_t>(received_[id - 1] | bit);
}

std::uint64_t Ledger::missing(std::size_t auditor, std::size_t topic) const {
  const auto bit = static_cast<std::uint8_t>(1u << auditor);
  std::uint64_t count = 0;
  for (std::uint64_t id : acked_[topic]) count += (received_[id - 1] & bit) ? 0 : 1;
  return count;
}

}  // namespace chatbus::soak
