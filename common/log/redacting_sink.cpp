#include "common/log/redacting_sink.hpp"

#include <string>
#include <utility>

namespace jirasync {

RedactingSink::RedactingSink(spdlog::sink_ptr output, const SecretRedactor& redactor)
    : output_(std::move(output)), redactor_(redactor) {}

void RedactingSink::set_output(spdlog::sink_ptr output) {
  std::lock_guard lock(mutex_);
  output->set_formatter(formatter_->clone());
  output_ = std::move(output);
}

void RedactingSink::sink_it_(const spdlog::details::log_msg& msg) {
  const std::string clean =
      redactor_.redact(std::string_view(msg.payload.data(), msg.payload.size()));
  // The logger's name too: every field of a line is redacted, whatever the format.
  const std::string name =
      redactor_.redact(std::string_view(msg.logger_name.data(), msg.logger_name.size()));
  spdlog::details::log_msg redacted = msg;
  redacted.payload = spdlog::string_view_t(clean.data(), clean.size());
  redacted.logger_name = spdlog::string_view_t(name.data(), name.size());
  output_->log(redacted);
}

void RedactingSink::flush_() {
  output_->flush();
}

void RedactingSink::set_pattern_(const std::string& pattern) {
  base_sink::set_pattern_(pattern);
  output_->set_formatter(formatter_->clone());
}

void RedactingSink::set_formatter_(std::unique_ptr<spdlog::formatter> formatter) {
  base_sink::set_formatter_(std::move(formatter));
  output_->set_formatter(formatter_->clone());
}

}  // namespace jirasync
