#include "cli/lag_command.hpp"

#include <chrono>
#include <cstdio>

#include "common/bus/group_lag.hpp"

namespace jirasync {
namespace {

constexpr std::chrono::milliseconds kBrokerTimeout{10000};

struct RoleLag {
  ConsumerRole role;
  GroupLag lag;
};

int64_t total(const GroupLag& lag) {
  int64_t sum = 0;
  for (const auto& p : lag.partitions) {
    if (p.lag < 0) return -1;
    sum += p.lag;
  }
  return sum;
}

std::string offset_text(int64_t offset) {
  return offset >= 0 ? std::to_string(offset) : "-";
}

void print_table(const std::vector<RoleLag>& all) {
  std::printf("%-28s %-32s %9s %12s %12s %10s\n", "GROUP", "TOPIC", "PARTITION", "COMMITTED",
              "HIGH", "LAG");
  for (const auto& [role, lag] : all) {
    for (const auto& topic : lag.missing_topics) {
      std::printf("%-28s %-32s %9s %12s %12s %10s  (no such topic)\n", lag.group.c_str(),
                  topic.c_str(), "-", "-", "-", "-");
    }
    for (const auto& p : lag.partitions) {
      std::printf("%-28s %-32s %9d %12s %12s %10s\n", lag.group.c_str(), p.topic.c_str(),
                  p.partition, offset_text(p.committed).c_str(),
                  offset_text(p.high_watermark).c_str(), offset_text(p.lag).c_str());
    }
  }
  for (const auto& [role, lag] : all) {
    std::printf("%s: lag %s\n", role.role.c_str(), offset_text(total(lag)).c_str());
  }
}

void json_offset(JsonOut& j, std::string_view name, int64_t offset) {
  j.key(name);
  if (offset >= 0) {
    j.number(offset);
  } else {
    j.null();
  }
}

void print_json(const std::vector<RoleLag>& all) {
  JsonOut j;
  j.begin_object().key("groups").begin_array();
  for (const auto& [role, lag] : all) {
    j.begin_object().text("role", role.role).text("group", lag.group).text("topic", role.topic);
    json_offset(j, "lag", total(lag));
    j.key("missing_topics").begin_array();
    for (const auto& topic : lag.missing_topics) j.text(topic);
    j.end_array().key("partitions").begin_array();
    for (const auto& p : lag.partitions) {
      j.begin_object().text("topic", p.topic).number("partition", p.partition);
      json_offset(j, "committed", p.committed);
      json_offset(j, "high_watermark", p.high_watermark);
      json_offset(j, "lag", p.lag);
      j.end_object();
    }
    j.end_array().end_object();
  }
  j.end_array().end_object();
  std::printf("%s\n", j.str().c_str());
}

}  // namespace

int lag_command(CliContext& ctx, const std::string& role, OutputFormat format) {
  const Config& config = ctx.config();
  if (config.bus != BusKind::kKafka) {
    std::fprintf(stderr,
                 "jirasync lag: bus is '%s'; consumer lag exists only with bus: kafka (the "
                 "embedded mode hands records over in memory)\n",
                 to_string(config.bus));
    return 1;
  }
  std::vector<RoleLag> all;
  for (const ConsumerRole& r : consumer_roles(config.kafka.topic_prefix)) {
    if (!role.empty() && r.role != role) continue;
    GroupLagReader reader(config.kafka, r.group);
    all.push_back({r, reader.read({r.topic}, kBrokerTimeout)});
  }
  if (format == OutputFormat::kJson) {
    print_json(all);
  } else {
    print_table(all);
  }
  return 0;
}

}  // namespace jirasync
