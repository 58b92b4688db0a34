#pragma once

#include <cstddef>
#include <functional>
#include <list>

namespace prometheus {
class Gauge;
class Registry;
}  // namespace prometheus

namespace jirasync {

// The open connections of one listener and what each is doing, so that a full
// listener can close the connection that has waited longest for a request to
// make room for a new one, and /metrics can tell idle connections from busy
// ones (jirasync_http_connections_open{state}). Not thread-safe: the
// listener's io_context thread owns it.
class ConnectionTable {
 public:
  enum class State { kIdle, kReading, kWriting };

 private:
  struct Entry {
    State state;
    std::function<void()> close;
  };

 public:
  using Handle = std::list<Entry>::iterator;

  explicit ConnectionTable(prometheus::Registry& registry);
  ~ConnectionTable();
  ConnectionTable(const ConnectionTable&) = delete;
  ConnectionTable& operator=(const ConnectionTable&) = delete;

  // A new connection, idle until its first byte; `close` shuts it when the
  // table picks it to make room (its entry is gone by then).
  Handle add(std::function<void()> close);
  // Becoming idle puts the connection at the back of the queue of idle ones.
  void set_state(Handle handle, State state);
  void remove(Handle handle);

  // Closes the connection that has been idle longest; false when none is.
  bool close_oldest_idle();

  std::size_t size() const { return idle_.size() + busy_.size(); }
  bool has_idle() const { return !idle_.empty(); }

 private:
  prometheus::Gauge& gauge(State state);

  std::list<Entry> idle_;  // longest idle first
  std::list<Entry> busy_;
  prometheus::Gauge& idle_gauge_;
  prometheus::Gauge& reading_gauge_;
  prometheus::Gauge& writing_gauge_;
};

}  // namespace jirasync
