#include "common/http/connection_table.hpp"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <utility>

namespace jirasync {
namespace {

prometheus::Family<prometheus::Gauge>& open_family(prometheus::Registry& registry) {
  return prometheus::BuildGauge()
      .Name("jirasync_http_connections_open")
      .Help(
          "Open connections of the HTTP listener (health, metrics, control API) by state: "
          "idle (waiting for a request), reading, writing")
      .Register(registry);
}

}  // namespace

ConnectionTable::ConnectionTable(prometheus::Registry& registry)
    : idle_gauge_(open_family(registry).Add({{"state", "idle"}})),
      reading_gauge_(open_family(registry).Add({{"state", "reading"}})),
      writing_gauge_(open_family(registry).Add({{"state", "writing"}})) {}

ConnectionTable::~ConnectionTable() {
  // Gauges may be shared by several listeners on one registry: take back only ours.
  for (const Entry& entry : idle_) gauge(entry.state).Decrement();
  for (const Entry& entry : busy_) gauge(entry.state).Decrement();
}

ConnectionTable::Handle ConnectionTable::add(std::function<void()> close) {
  idle_gauge_.Increment();
  idle_.push_back({State::kIdle, std::move(close)});
  return std::prev(idle_.end());
}

void ConnectionTable::set_state(Handle handle, State state) {
  auto& from = handle->state == State::kIdle ? idle_ : busy_;
  auto& to = state == State::kIdle ? idle_ : busy_;
  gauge(handle->state).Decrement();
  gauge(state).Increment();
  handle->state = state;
  // Splicing keeps the handle valid; an idle connection goes to the back.
  if (&from != &to || state == State::kIdle) to.splice(to.end(), from, handle);
}

void ConnectionTable::remove(Handle handle) {
  gauge(handle->state).Decrement();
  (handle->state == State::kIdle ? idle_ : busy_).erase(handle);
}

bool ConnectionTable::close_oldest_idle() {
  if (idle_.empty()) return false;
  auto close = std::move(idle_.front().close);
  remove(idle_.begin());
  close();
  return true;
}

prometheus::Gauge& ConnectionTable::gauge(State state) {
  switch (state) {
    case State::kIdle:
      return idle_gauge_;
    case State::kReading:
      return reading_gauge_;
    case State::kWriting:
      break;
  }
  return writing_gauge_;
}

}  // namespace jirasync
