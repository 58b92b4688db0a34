#include "common/service/readiness.hpp"

#include <stdexcept>

#include "common/json/json_writer.hpp"

namespace jirasync {

Readiness::Readiness(const Clock& clock, int64_t window_ms)
    : clock_(clock), window_ms_(window_ms), started_ms_(clock.now_ms()) {}

void Readiness::add(const std::string& name) {
  std::lock_guard<std::mutex> guard(mutex_);
  for (const auto& d : dependencies_) {
    if (d.name == name) throw std::logic_error("readiness dependency added twice: " + name);
  }
  dependencies_.push_back({name, -1, ""});
}

Readiness::Dependency& Readiness::find(const std::string& name) {
  for (auto& d : dependencies_) {
    if (d.name == name) return d;
  }
  throw std::logic_error("unknown readiness dependency: " + name);
}

void Readiness::record_success(const std::string& name) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto& d = find(name);
  d.last_success_ms = clock_.now_ms();
  d.last_error.clear();
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
    const bool fresh = d.last_success_ms >= 0 && now - d.last_success_ms <= window_ms_;
    std::string state = "ok";
    if (!fresh) {
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
