#pragma once

#include <memory>
#include <mutex>

#include <spdlog/sinks/base_sink.h>

#include "common/log/secret_redactor.hpp"

namespace jirasync {

// Wraps the real output sink so that every message payload passes through the
// SecretRedactor before it is formatted and written. One instance is shared
// by every logger created through common/log, so a logger cannot forget it.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  RedactingSink(spdlog::sink_ptr output, const SecretRedactor& redactor);

  // Redirects every logger at once (re-initialisation, tests capturing output).
  void set_output(spdlog::sink_ptr output);

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;
  void set_pattern_(const std::string& pattern) override;
  void set_formatter_(std::unique_ptr<spdlog::formatter> formatter) override;

 private:
  spdlog::sink_ptr output_;
  const SecretRedactor& redactor_;
};

}  // namespace jirasync
