#pragma once

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>

namespace jirasync {

// How long a listener waits before accepting again after accept() failed.
// Failures such as EMFILE leave the connection in the kernel queue and the
// listening socket readable, so re-arming at once spins a core; instead wait
// 50 ms, doubling to 1 s while the failures last. Header-only so the Jira
// simulator can share it.
class AcceptBackoff {
 public:
  // Records a failed accept; returns the wait before the next one.
  std::chrono::milliseconds failed() {
    ++failures_;
    const auto wait = next_;
    next_ = std::min(next_ * 2, kLongest);
    return wait;
  }
  // True right after the first failure of a burst: the one to log.
  bool burst_started() const { return failures_ == 1; }
  // Records an accepted connection; returns how many attempts had failed in
  // the burst it ends (0 when there was none).
  int succeeded() {
    const int failures = failures_;
    failures_ = 0;
    next_ = kShortest;
    return failures;
  }

  // Errors that concern one connection only (the client gave up before it
  // was accepted): accept again at once.
  static bool affects_one_connection(const boost::system::error_code& error) {
    namespace asio_error = boost::asio::error;
    return error == asio_error::connection_aborted || error == asio_error::connection_reset ||
           error == asio_error::interrupted ||
           error == boost::system::errc::make_error_code(boost::system::errc::protocol_error);
  }

 private:
  static constexpr std::chrono::milliseconds kShortest{50};
  static constexpr std::chrono::milliseconds kLongest{1000};
  std::chrono::milliseconds next_ = kShortest;
  int failures_ = 0;
};

}  // namespace jirasync
