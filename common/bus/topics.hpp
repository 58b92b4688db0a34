#pragma once

#include <string>
#include <vector>

namespace jirasync {

// The project's topics (docs/architecture.md), all named from one configurable
// prefix so several installations can share a broker.
enum class Topic {
  kJobs,           // SyncJob, keyed by project key
  kIssuesRaw,      // RawRecord: a snapshot or deletion keyed by issue id, a sweep
                   // chunk or end keyed "sweep:<project>"; log-compacted
  kIssuesDecided,  // Decision, keyed like the raw record it came from
  kDeadLetter,     // rejected payloads, keyed by source topic
  kFetchSlices,    // FetchSlice: one bulkfetch chunk of a listed run, for any fetcher,
                   // keyed "<run id>/<seq>" (spread over the partitions)
};

// "<prefix>jobs", "<prefix>issues.raw", ... Throws ConfigError
// ("kafka.topic_prefix") when the prefix would make an illegal Kafka topic name.
std::string topic_name(const std::string& prefix, Topic topic);

// The consumer group of a role ("<prefix>writer"), so installations, tests and
// benchmarks that share a broker under different prefixes never share a group.
std::string consumer_group(const std::string& prefix, const std::string& role);

// Every topic name of one prefix at once.
struct Topics {
  explicit Topics(const std::string& prefix);

  std::string jobs;
  std::string raw;
  std::string decided;
  std::string deadletter;
  std::string slices;

  std::vector<std::string> all() const { return {jobs, raw, decided, deadletter, slices}; }
};

}  // namespace jirasync
