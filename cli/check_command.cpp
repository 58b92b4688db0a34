#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/cli_context.hpp"
#include "cli/templates_command.hpp"
#include "common/bus/kafka_bus.hpp"
#include "common/bus/topics.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_query.hpp"
#include "services/scheduler/cron_schedule.hpp"

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

// Every schedule through the parser the scheduler uses, in its time zone, so
// that `check` passes exactly what `run` and the scheduler accept.
void check_schedules(const Config& config) {
  try {
    (void)CronSchedule::parse("* * * * *", config.schedule_time_zone);
  } catch (const CronError& e) {
    throw ConfigError("schedule_time_zone", e.what());
  }
  for (size_t i = 0; i < config.projects.size(); ++i) {
    const ProjectSettings& p = config.projects[i];
    const std::string path = "projects[" + std::to_string(i) + "]";
    for (const auto& [name, expr] : {std::pair{".incremental_cron", &p.incremental_cron},
                                     std::pair{".full_cron", &p.full_cron}}) {
      try {
        (void)CronSchedule::parse(*expr, config.schedule_time_zone);
      } catch (const CronError& e) {
        throw ConfigError(path + name, e.what());
      }
    }
  }
}

// The database as it is: opened (never created) and its schema version read
// (never migrated). A missing SQLite file is fine when its directory is writable.
std::string describe_database(const Config& config) {
  const DatabaseUrl url = parse_database_url(config.database_url);
  if (url.backend == Backend::kSqlite && url.sqlite_path != ":memory:" &&
      !std::filesystem::exists(url.sqlite_path)) {
    std::filesystem::path dir = std::filesystem::path(url.sqlite_path).parent_path();
    if (dir.empty()) dir = ".";
    if (::access(dir.c_str(), W_OK) != 0) {
      throw std::runtime_error(url.redacted + ": no such file, and its directory " + dir.string() +
                               " is not writable");
    }
    return url.redacted + " (not created yet; the first sync creates it)";
  }
  auto db = Database::open(config.database_url);
  const int latest = schema_migrations().back().version;
  int current = 0;
  try {
    auto lock = db->lock();
    auto row = SqlQuery("SELECT version FROM schema_migrations ORDER BY version DESC")
                   .fetch_one(db->session(), "i");
    if (row) current = static_cast<int>(row->i64(0));
  } catch (const std::exception&) {
    current = 0;  // no bookkeeping table: an empty database
  }
  if (current > latest) {
    throw std::runtime_error(db->redacted_url() + ": schema version " + std::to_string(current) +
                             " is newer than this jirasync knows (" + std::to_string(latest) +
                             "); upgrade jirasync");
  }
  if (current < latest) {
    return db->redacted_url() + " (schema at version " + std::to_string(current) + " of " +
           std::to_string(latest) + "; the next sync or `run` migrates it)";
  }
  return db->redacted_url() + " (schema up to date)";
}

}  // namespace

int check_command(CliContext& ctx) {
  bool ok = report("config", [&] {
    const Config& c = ctx.config();
    check_schedules(c);
    return std::to_string(c.projects.size()) + " project(s), bus " + to_string(c.bus);
  });
  if (!ok) return 1;
  const Config& config = ctx.config();
  ok &= report("templates", [&] { return check_templates(config); });
  ok &= report("database", [&] { return describe_database(config); });
  if (config.bus == BusKind::kKafka) {
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
