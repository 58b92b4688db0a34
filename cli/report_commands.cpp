#include <spdlog/fmt/fmt.h>

#include <cstdio>

#include "cli/cli_context.hpp"
#include "cli/progress_line.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_store.hpp"
#include "common/time/jira_time.hpp"
#include "services/scheduler/run_json.hpp"

namespace jirasync {
namespace {

std::string when(int64_t ms) {
  return ms > 0 ? format_jira_time(ms).substr(0, 19) : "-";
}

void print_run_row(const SyncRun& r) {
  const int64_t took = r.finished_ms && r.started_ms ? *r.finished_ms - *r.started_ms : 0;
  std::printf("%-24s %-8s %-11s %-10s %-19s %8s %7lld %7lld %7lld %7lld %5lld %s\n", r.id.c_str(),
              r.project.c_str(), to_string(r.kind), to_string(r.status), when(r.created_ms).c_str(),
              took ? format_duration(took).c_str() : "-", static_cast<long long>(r.stats.fetched),
              static_cast<long long>(r.stats.created), static_cast<long long>(r.stats.updated),
              static_cast<long long>(r.stats.deleted), static_cast<long long>(r.stats.api_calls),
              r.error.substr(0, 60).c_str());
}

}  // namespace

int runs_command(CliContext& ctx, const std::string& project, int limit, bool json) {
  SqlRunStore runs(ctx.database());
  const auto list = runs.list_runs(project, limit);
  if (json) {
    std::printf("%s\n", runs_to_json(list).c_str());
    return 0;
  }
  std::printf("%-24s %-8s %-11s %-10s %-19s %8s %7s %7s %7s %7s %5s %s\n", "RUN", "PROJECT", "KIND",
              "STATUS", "CREATED (UTC)", "TOOK", "FETCHED", "CREATED", "UPDATED", "DELETED",
              "CALLS", "ERROR");
  for (const auto& r : list) print_run_row(r);
  if (list.empty()) std::printf("(no runs yet: try `jirasync sync --project KEY --wait`)\n");
  return 0;
}

int status_command(CliContext& ctx) {
  const Config& config = ctx.config();
  SqlRunStore runs(ctx.database());
  SqlTicketStore tickets(ctx.database());
  std::printf("%-10s %9s %-19s %-10s %s\n", "PROJECT", "TICKETS", "CURSOR (UTC)", "LAST RUN",
              "ACTIVE");
  for (const auto& p : config.projects) {
    const auto last = runs.list_runs(p.key, 1);
    const auto active = runs.active_run(p.key);
    std::printf("%-10s %9lld %-19s %-10s %s\n", p.key.c_str(),
                static_cast<long long>(tickets.count(p.key)), when(runs.cursor_ms(p.key)).c_str(),
                last.empty() ? "-" : to_string(last.front().status),
                active ? (active->id + " (" + to_string(active->status) + ")").c_str() : "-");
  }
  const auto open = tickets.conflicts("", true);
  if (!open.empty()) std::printf("\n%zu open conflict(s): see `jirasync conflicts`\n", open.size());
  return 0;
}

int show_command(CliContext& ctx, const std::string& key) {
  SqlTicketStore tickets(ctx.database());
  const auto t = tickets.find_by_key(key);
  if (!t) {
    std::fprintf(stderr, "no ticket %s in the cache (by current or former key)\n", key.c_str());
    return 1;
  }
  const JiraIssue& i = t->issue;
  std::printf("%s  %s%s\n", i.key.c_str(), i.summary.c_str(),
              t->deleted ? "  [deleted in Jira]" : "");
  if (i.key != key) std::printf("(formerly %s)\n", key.c_str());
  std::printf("  id        %s\n  type      %s\n  status    %s (%s)\n  priority  %s\n", i.id.c_str(),
              i.issue_type.c_str(), i.status.c_str(), i.status_category.c_str(),
              i.priority.value_or("-").c_str());
  std::printf("  assignee  %s\n  reporter  %s\n",
              i.assignee ? i.assignee->display_name.c_str() : "-",
              i.reporter ? i.reporter->display_name.c_str() : "-");
  std::string labels;
  for (const auto& l : i.labels) labels += (labels.empty() ? "" : ", ") + l;
  std::printf("  labels    %s\n  created   %s\n  updated   %s\n",
              labels.empty() ? "-" : labels.c_str(), format_jira_time(i.created_ms).c_str(),
              format_jira_time(i.updated_ms).c_str());
  const auto edits = tickets.local_edits({t->id});
  if (auto it = edits.find(t->id); it != edits.end()) {
    std::printf("\nlocal edits:\n");
    for (const auto& e : it->second)
      std::printf("  %-10s %s  (edited %s)\n", e.field.c_str(), e.value.c_str(),
                  when(e.edited_ms).c_str());
  }
  std::string tags;
  for (const auto& tag : tickets.tags(t->id)) tags += (tags.empty() ? "" : ", ") + tag;
  if (!tags.empty()) std::printf("\nlocal tags: %s\n", tags.c_str());
  const auto links = tickets.links(t->id);
  if (!links.empty()) {
    std::printf("\nlinks:\n");
    for (const auto& l : links)
      std::printf("  %s:%s  (linked %s)\n", l.target.type.c_str(), l.target.id.c_str(),
                  when(l.at_ms).c_str());
  }
  const auto notes = tickets.notes(t->id);
  if (!notes.empty()) {
    std::printf("\nnotes:\n");
    for (const auto& n : notes) std::printf("  %s  %s\n", when(n.at_ms).c_str(), n.text.c_str());
  }
  for (const auto& c : tickets.conflicts(t->id, true))
    std::printf(
        "\nCONFLICT #%lld on %s: local '%s' vs Jira '%s' (resolve with `jirasync resolve "
        "%lld --take jira|local`)\n",
        static_cast<long long>(c.id), c.field.c_str(), c.local_value.c_str(), c.jira_value.c_str(),
        static_cast<long long>(c.id));
  if (!i.description_text.empty()) std::printf("\n%s\n", i.description_text.c_str());
  const auto changes = tickets.changes(t->id);
  if (!changes.empty()) {
    std::printf("\nhistory:\n");
    for (const auto& c : changes)
      std::printf("  %s  %-12s %s\n", when(c.at_ms).c_str(), c.change.c_str(),
                  c.detail.substr(0, 100).c_str());
  }
  return 0;
}

}  // namespace jirasync
