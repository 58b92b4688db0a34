#include "common/bus/topics.hpp"

#include "common/config/config.hpp"

namespace jirasync {
namespace {

// Kafka's own limits: [a-zA-Z0-9._-], at most 249 characters.
constexpr std::size_t kMaxTopicLength = 249;

bool legal_topic_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

const char* suffix(Topic topic) {
  switch (topic) {
    case Topic::kJobs:
      return "jobs";
    case Topic::kIssuesRaw:
      return "issues.raw";
    case Topic::kIssuesDecided:
      return "issues.decided";
    case Topic::kDeadLetter:
      return "deadletter";
    case Topic::kFetchSlices:
      return "fetch.slices";
  }
  throw ConfigError("kafka.topic",
                    "unknown topic enumerator " + std::to_string(static_cast<int>(topic)));
}

}  // namespace

std::string topic_name(const std::string& prefix, Topic topic) {
  for (char c : prefix) {
    if (!legal_topic_char(c)) {
      throw ConfigError("kafka.topic_prefix",
                        "'" + prefix + "' contains '" + std::string(1, c) +
                            "'; Kafka topic names allow only letters, digits, '.', '_' and '-'");
    }
  }
  std::string name = prefix + suffix(topic);
  if (name.size() > kMaxTopicLength) {
    throw ConfigError("kafka.topic_prefix", "is " + std::to_string(prefix.size()) +
                                                " characters; topic '" + name.substr(0, 20) +
                                                "...' would exceed Kafka's limit of " +
                                                std::to_string(kMaxTopicLength));
  }
  return name;
}

Topics::Topics(const std::string& prefix)
    : jobs(topic_name(prefix, Topic::kJobs)),
      raw(topic_name(prefix, Topic::kIssuesRaw)),
      decided(topic_name(prefix, Topic::kIssuesDecided)),
      deadletter(topic_name(prefix, Topic::kDeadLetter)),
      slices(topic_name(prefix, Topic::kFetchSlices)) {}

std::string consumer_group(const std::string& prefix, const std::string& role) {
  return prefix + role;
}

}  // namespace jirasync
