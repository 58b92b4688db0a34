#include <algorithm>
#include <cstdio>

#include "cli/cli_context.hpp"
#include "common/bus/kafka_bus.hpp"
#include "common/bus/topics.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/store/database.hpp"

namespace jirasync {
namespace {

// One line per check; the reason for a failure in the same line.
bool report(const char* what, const std::function<std::string()>& check) {
  try {
    const std::string detail = check();
    std::printf("ok    %-9s %s\n", what, detail.c_str());
    return true;
  } catch (const std::exception& e) {
    std::printf("FAIL  %-9s %s\n", what, redact(e.what()).c_str());
    return false;
  }
}

}  // namespace

int check_command(CliContext& ctx) {
  bool ok = report("config", [&] {
    const Config& c = ctx.config();
    return std::to_string(c.projects.size()) + " project(s), bus " + c.bus;
  });
  if (!ok) return 1;
  const Config& config = ctx.config();
  ok &= report("database", [&] {
    auto db = ctx.database();
    return db->redacted_url() + " (schema up to date)";
  });
  if (config.bus == "kafka") {
    ok &= report("kafka", [&] {
      KafkaBus bus(config.kafka);
      const Topics topics(config.kafka.topic_prefix);
      const auto present = bus.topic_names(std::chrono::seconds(10));
      std::string missing;
      for (const auto& t : topics.all())
        if (std::find(present.begin(), present.end(), t) == present.end()) missing += " " + t;
      if (!missing.empty())
        throw std::runtime_error("broker reachable, but topics missing:" + missing);
      return config.kafka.brokers + " (" + std::to_string(topics.all().size()) + " topics present)";
    });
  }
  ok &= report("jira", [&] {
    HttpJiraClient jira(config.jira);
    const JiraAccount me = jira.myself();
    return config.jira.base_url + " as " + me.display_name + " (time zone " + me.time_zone + ")";
  });
  return ok ? 0 : 1;
}

}  // namespace jirasync
