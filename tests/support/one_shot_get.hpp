#pragma once

// Test-only: one GET on a fresh connection to 127.0.0.1:port (Connection:
// close), for polling a role's /healthz, /readyz and /metrics.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace jirasync::testing {

struct HttpAnswer {
  int status = 0;  // 0: no answer
  std::string body;
};

inline HttpAnswer http_get(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  HttpAnswer answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      std::string response;
      char buf[4096];
      ssize_t n = 0;
      while ((n = recv(fd, buf, sizeof buf, 0)) > 0) response.append(buf, static_cast<size_t>(n));
      if (response.rfind("HTTP/1.1 ", 0) == 0) {
        answer.status = std::stoi(response.substr(9, 3));
        const auto end = response.find("\r\n\r\n");
        if (end != std::string::npos) answer.body = response.substr(end + 4);
      }
    }
  }
  close(fd);
  return answer;
}

}  // namespace jirasync::testing
