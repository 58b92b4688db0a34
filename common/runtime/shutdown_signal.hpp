#pragma once

#include <atomic>
#include <chrono>

namespace jirasync {

// SIGINT/SIGTERM -> a flag every poll loop can watch. The handler only stores
// into a lock-free atomic and writes one byte to a self-pipe (both
// async-signal-safe); waiters poll() the pipe, so wait_for() wakes at once
// instead of sleeping out its timeout.
//
// One instance per process at a time (signal dispositions are process-wide);
// the constructor installs the handlers and clears the flag, the destructor
// restores the previous handlers. A second signal while shutting down falls
// back to the default action, so a stuck shutdown can still be interrupted.
class ShutdownSignal {
 public:
  ShutdownSignal();
  ~ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  // Hand this to role.run(stop).
  const std::atomic<bool>& requested() const;

  // Waits until shutdown is requested or `timeout` passes; returns requested().
  bool wait_for(std::chrono::milliseconds timeout) const;

  // Requests shutdown from code (a fatal error in one role of `jirasync run`).
  void request();

  // The signal that requested shutdown; 0 when none (or request() was used).
  int signal_number() const;
};

}  // namespace jirasync
