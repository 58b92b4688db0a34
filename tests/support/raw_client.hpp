#pragma once

// Test-only: a client on plain POSIX sockets, so a test controls exactly what
// a server sees: half a request, or nothing at all.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace jirasync::testing {

// Connects to 127.0.0.1:port at construction; throws when it cannot.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      const int error = errno;
      ::close(fd_);
      throw std::runtime_error(std::string("connect: ") + std::strerror(error));
    }
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(const std::string& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  // Reads until `wanted` has arrived, the server closes, or `within` passes;
  // returns everything read.
  std::string read_until(const std::string& wanted, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (received_.find(wanted) == std::string::npos && !closed_ &&
           std::chrono::steady_clock::now() < deadline) {
      pollfd readable{fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count() +
                        1;
      if (::poll(&readable, 1, static_cast<int>(left)) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n > 0) {
        received_.append(buffer, static_cast<std::size_t>(n));
      } else {
        closed_ = true;  // 0: orderly close; < 0: reset
      }
    }
    return received_;
  }

  // True once the server has closed the connection, within `within`.
  bool closed_within(std::chrono::milliseconds within) {
    read_until(std::string(1, '\0'), within);
    return closed_;
  }

 private:
  int fd_;
  std::string received_;
  bool closed_ = false;
};

}  // namespace jirasync::testing
