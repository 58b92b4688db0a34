#include "common/service/readiness.hpp"

#include <stdexcept>
#include <utility>

#include "common/json/json_writer.hpp"

namespace jirasync {

Readiness::Readiness(const Clock& clock, int64_t window_ms)
    : clock_(clock), window_ms_(window_ms), started_ms_(clock.now_ms()) {}

void Readiness::add(const std::string& name) {
  std::lock_guard<std::mutex> guard(mutex_);
  for (const auto& d : dependencies_) {
    if (d.name == name) throw std::logic_error("readiness dependency added twice: " + name);
  }
  dependencies_.push_back({name, -1, -1, ""});
}

const Readiness::Dependency& Readiness::find(const std::string& name) const {
  for (const auto& d : dependencies_) {
    if (d.name == name) return d;
  }
  throw std::logic_error("unknown readiness dependency: " + name);
}

Readiness::Dependency& Readiness::find(const std::string& name) {
  return const_cast<Dependency&>(std::as_const(*this).find(name));
}

bool Readiness::fresh(const Dependency& d, int64_t now) const {
  return d.last_success_ms >= 0 && now - d.last_success_ms <= window_ms_;
}

void Readiness::record_success(const std::string& name) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto& d = find(name);
  const int64_t now = clock_.now_ms();
  if (!fresh(d, now)) d.answering_since_ms = now;
  d.last_success_ms = now;
  d.last_error.clear();
}

std::optional<int64_t> Readiness::answering_since_ms(const std::string& name) const {
  std::lock_guard<std::mutex> guard(mutex_);
  const auto& d = find(name);
  if (!fresh(d, clock_.now_ms())) return std::nullopt;
  return d.answering_since_ms;
}

void Readiness::record_failure(const std::string& name, const std::string& error) {
  std::lock_guard<std::mutex> guard(mutex_);
  find(name).last_error = error;
}

void Readiness::run_check(ReadinessProbe& probe) {
  try {
    probe.check();
  } catch (const std::exception& e) {
    record_failure(probe.name(), e.what());
    return;
  }
  record_success(probe.name());
}

void Readiness::set_serving(bool serving) {
  std::lock_guard<std::mutex> guard(mutex_);
  serving_ = serving;
}

ReadinessReport Readiness::report() const {
  std::lock_guard<std::mutex> guard(mutex_);
  const int64_t now = clock_.now_ms();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  bool ready = serving_;
  std::vector<std::pair<std::string, std::string>> states;
  for (const auto& d : dependencies_) {
    std::string state = "ok";
    if (!fresh(d, now)) {
      ready = false;
      // Seconds without an answer: since the last success, or since start.
      const int64_t since = d.last_success_ms >= 0 ? d.last_success_ms : started_ms_;
      state = (d.last_success_ms >= 0 ? "no answer for " : "no answer yet, for ") +
              std::to_string((now - since) / 1000) + " s";
      if (!d.last_error.empty()) state += ": " + d.last_error;
    }
    states.emplace_back(d.name, std::move(state));
  }
  w.StartObject();
  write_bool(w, "ready", ready);
  if (!serving_) write_string(w, "process", "not serving (starting or stopping)");
  for (const auto& [name, state] : states) write_string(w, name.c_str(), state);
  w.EndObject();
  return {ready, std::string(buffer.GetString(), buffer.GetSize()) + "\n"};
}

}  // namespace jirasync
