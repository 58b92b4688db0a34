#pragma once

#include <memory>

#include <spdlog/formatter.h>

namespace jirasync {

// spdlog formatter for `log.format: json`: one object per line with time
// (UTC, milliseconds), level, logger and message; every string escaped as
// RFC 8259 asks, so a message with newlines stays on its line.
class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace jirasync
