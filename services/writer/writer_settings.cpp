#include "services/writer/writer_settings.hpp"

namespace jirasync {

WriterSettings WriterSettings::from(const Config& config) {
  if (config.writer_batch_size < 1) {
    throw ConfigError("writer.batch_size",
                      "must be at least 1, got " + std::to_string(config.writer_batch_size));
  }
  if (config.writer_linger_ms < 0) {
    throw ConfigError("writer.linger_ms",
                      "must not be negative, got " + std::to_string(config.writer_linger_ms));
  }
  WriterSettings s;
  s.topic_prefix = config.kafka.topic_prefix;
  s.batch_size = config.writer_batch_size;
  s.linger_ms = config.writer_linger_ms;
  return s;
}

}  // namespace jirasync
