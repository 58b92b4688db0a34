#include <spdlog/fmt/fmt.h>

#include <cstdio>

#include "cli/cli_context.hpp"
#include "cli/progress_line.hpp"
#include "cli/terminal_text.hpp"
#include "common/store/local_ticket_data.hpp"
#include "common/store/run_store.hpp"
#include "common/store/ticket_cache.hpp"
#include "common/store/ticket_queries.hpp"
#include "common/time/jira_time.hpp"
#include "services/scheduler/run_json.hpp"

namespace jirasync {
namespace {

std::string when(int64_t ms) {
  return ms > 0 ? format_jira_time(ms).substr(0, 19) : "-";
}

// A timestamp for JSON and CSV: Jira's format, "" when unset.
std::string instant(int64_t ms) {
  return ms > 0 ? format_jira_time(ms) : std::string();
}

void json_instant(JsonOut& j, std::string_view name, int64_t ms) {
  j.key(name);
  if (ms > 0) {
    j.text(format_jira_time(ms));
  } else {
    j.null();
  }
}

// One line of text from the cache, safe to print in a table.
std::string shown(std::string_view text) {
  return printable(text);
}

void print_run_row(const SyncRun& r) {
  const int64_t took = r.finished_ms && r.started_ms ? *r.finished_ms - *r.started_ms : 0;
  std::printf("%-24s %-8s %-11s %-10s %-19s %8s %7lld %7lld %7lld %7lld %5lld %s\n", r.id.c_str(),
              r.project.c_str(), to_string(r.kind), to_string(r.status), when(r.created_ms).c_str(),
              took ? format_duration(took).c_str() : "-", static_cast<long long>(r.stats.fetched),
              static_cast<long long>(r.stats.created), static_cast<long long>(r.stats.updated),
              static_cast<long long>(r.stats.deleted), static_cast<long long>(r.stats.api_calls),
              shown(r.error.substr(0, 60)).c_str());
}

void print_runs_csv(const std::vector<SyncRun>& list) {
  std::fputs(csv_row({"id", "project", "kind", "status", "trigger", "created", "started",
                      "finished", "fetched", "created_issues", "updated", "unchanged", "deleted",
                      "moved", "conflicts", "dead_lettered", "api_calls", "error"})
                 .c_str(),
             stdout);
  for (const auto& r : list) {
    const auto n = [](int64_t v) { return std::to_string(v); };
    std::fputs(
        csv_row({r.id, r.project, to_string(r.kind), to_string(r.status), r.trigger,
                 instant(r.created_ms), instant(r.started_ms.value_or(0)),
                 instant(r.finished_ms.value_or(0)), n(r.stats.fetched), n(r.stats.created),
                 n(r.stats.updated), n(r.stats.unchanged), n(r.stats.deleted), n(r.stats.moved),
                 n(r.stats.conflicts), n(r.stats.dead_lettered), n(r.stats.api_calls), r.error})
            .c_str(),
        stdout);
  }
}

}  // namespace

int runs_command(CliContext& ctx, const std::string& project, int limit, OutputFormat format) {
  RunStore& runs = ctx.runs();
  const auto list = runs.list_runs(project, limit);
  if (format == OutputFormat::kJson) {
    // The same document as the scheduler's GET /api/runs.
    std::printf("%s\n", runs_to_json(list).c_str());
    return 0;
  }
  if (format == OutputFormat::kCsv) {
    print_runs_csv(list);
    return 0;
  }
  std::printf("%-24s %-8s %-11s %-10s %-19s %8s %7s %7s %7s %7s %5s %s\n", "RUN", "PROJECT", "KIND",
              "STATUS", "CREATED (UTC)", "TOOK", "FETCHED", "CREATED", "UPDATED", "DELETED",
              "CALLS", "ERROR");
  for (const auto& r : list) print_run_row(r);
  if (list.empty()) std::printf("(no runs yet: try `jirasync sync --project KEY --wait`)\n");
  return 0;
}

int status_command(CliContext& ctx, OutputFormat format) {
  const Config& config = ctx.config();
  RunStore& runs = ctx.runs();
  TicketQueries& tickets = ctx.ticket_queries();
  struct Row {
    std::string project;
    int64_t tickets = 0;
    int64_t cursor_ms = 0;
    std::string last_run;    // status of the latest run, "" when none
    std::string active_run;  // "ID (status)", "" when none
  };
  std::vector<Row> rows;
  for (const auto& p : config.projects) {
    const auto last = runs.list_runs(p.key, 1);
    const auto active = runs.active_run(p.key);
    rows.push_back({p.key, tickets.count(p.key), runs.cursor_ms(p.key),
                    last.empty() ? "" : to_string(last.front().status),
                    active ? active->id + " (" + to_string(active->status) + ")" : ""});
  }
  if (format == OutputFormat::kJson) {
    JsonOut j;
    j.begin_array();
    for (const Row& r : rows) {
      j.begin_object().text("project", r.project).number("tickets", r.tickets);
      json_instant(j, "cursor", r.cursor_ms);
      j.text("last_run", r.last_run).text("active_run", r.active_run).end_object();
    }
    std::printf("%s\n", j.end_array().str().c_str());
    return 0;
  }
  if (format == OutputFormat::kCsv) {
    std::fputs(csv_row({"project", "tickets", "cursor", "last_run", "active_run"}).c_str(), stdout);
    for (const Row& r : rows)
      std::fputs(csv_row({r.project, std::to_string(r.tickets), instant(r.cursor_ms), r.last_run,
                          r.active_run})
                     .c_str(),
                 stdout);
    return 0;
  }
  std::printf("%-10s %9s %-19s %-10s %s\n", "PROJECT", "TICKETS", "CURSOR (UTC)", "LAST RUN",
              "ACTIVE");
  for (const Row& r : rows)
    std::printf("%-10s %9lld %-19s %-10s %s\n", r.project.c_str(),
                static_cast<long long>(r.tickets), when(r.cursor_ms).c_str(),
                r.last_run.empty() ? "-" : r.last_run.c_str(),
                r.active_run.empty() ? "-" : r.active_run.c_str());
  const auto open = ctx.local_data().conflicts("", true);
  if (!open.empty()) std::printf("\n%zu open conflict(s): see `jirasync conflicts`\n", open.size());
  return 0;
}

namespace {

// Everything `show` prints, read once.
struct TicketView {
  CachedTicket ticket;
  std::vector<LocalEdit> edits;
  std::vector<std::string> tags;
  std::vector<TicketLink> links;
  std::vector<Note> notes;
  std::vector<Conflict> conflicts;  // open ones
  std::vector<TicketChange> changes;
  ShowFreshness freshness;
};

void print_show_json(const TicketView& v, const std::string& asked_key) {
  const JiraIssue& i = v.ticket.issue;
  JsonOut j;
  j.begin_object().text("id", i.id).text("key", i.key);
  j.key("asked_as");
  if (asked_key != i.key) {
    j.text(asked_key);
  } else {
    j.null();
  }
  j.text("summary", i.summary).text("type", i.issue_type).text("status", i.status);
  j.text("status_category", i.status_category);
  j.key("priority");
  if (i.priority) {
    j.text(*i.priority);
  } else {
    j.null();
  }
  for (const auto& [name, user] : {std::pair{"assignee", &i.assignee}, {"reporter", &i.reporter}}) {
    j.key(name);
    if (*user) {
      j.begin_object()
          .text("account_id", (*user)->account_id)
          .text("display_name", (*user)->display_name)
          .end_object();
    } else {
      j.null();
    }
  }
  j.key("labels").begin_array();
  for (const auto& l : i.labels) j.text(l);
  j.end_array();
  json_instant(j, "created", i.created_ms);
  json_instant(j, "updated", i.updated_ms);
  j.flag("deleted", v.ticket.deleted).text("description", i.description_text);
  j.key("freshness").begin_object().text("source", v.freshness.source);
  json_instant(j, "synced", v.freshness.synced_ms);
  j.number("max_age_ms", v.freshness.max_age_ms).flag("stale", v.freshness.stale);
  j.text("note", v.freshness.note).end_object();
  j.key("local_edits").begin_array();
  for (const auto& e : v.edits) {
    j.begin_object().text("field", e.field).text("value", e.value);
    json_instant(j, "edited", e.edited_ms);
    j.end_object();
  }
  j.end_array().key("tags").begin_array();
  for (const auto& t : v.tags) j.text(t);
  j.end_array().key("links").begin_array();
  for (const auto& l : v.links) {
    j.begin_object().text("type", l.target.type).text("id", l.target.id);
    json_instant(j, "linked", l.at_ms);
    j.end_object();
  }
  j.end_array().key("notes").begin_array();
  for (const auto& n : v.notes) {
    j.begin_object();
    json_instant(j, "at", n.at_ms);
    j.text("text", n.text).end_object();
  }
  j.end_array().key("conflicts").begin_array();
  for (const auto& c : v.conflicts) {
    j.begin_object()
        .number("id", c.id)
        .text("field", c.field)
        .text("local_value", c.local_value)
        .text("jira_value", c.jira_value)
        .text("strategy", c.strategy)
        .text("outcome", c.outcome)
        .end_object();
  }
  j.end_array().key("history").begin_array();
  for (const auto& c : v.changes) {
    j.begin_object();
    json_instant(j, "at", c.at_ms);
    j.text("change", c.change).text("detail", c.detail).end_object();
  }
  std::printf("%s\n", j.end_array().end_object().str().c_str());
}

void print_show_table(const TicketView& v, const std::string& asked_key) {
  const JiraIssue& i = v.ticket.issue;
  std::printf("%s  %s%s\n", shown(i.key).c_str(), shown(i.summary).c_str(),
              v.ticket.deleted ? "  [deleted in Jira]" : "");
  if (i.key != asked_key) std::printf("(formerly %s)\n", shown(asked_key).c_str());
  std::printf("  id        %s\n  type      %s\n  status    %s (%s)\n  priority  %s\n",
              shown(i.id).c_str(), shown(i.issue_type).c_str(), shown(i.status).c_str(),
              shown(i.status_category).c_str(), shown(i.priority.value_or("-")).c_str());
  std::printf("  assignee  %s\n  reporter  %s\n",
              i.assignee ? shown(i.assignee->display_name).c_str() : "-",
              i.reporter ? shown(i.reporter->display_name).c_str() : "-");
  std::string labels;
  for (const auto& l : i.labels) labels += (labels.empty() ? "" : ", ") + l;
  std::printf("  labels    %s\n  created   %s\n  updated   %s\n",
              labels.empty() ? "-" : shown(labels).c_str(), format_jira_time(i.created_ms).c_str(),
              format_jira_time(i.updated_ms).c_str());
  const ShowFreshness& f = v.freshness;
  std::printf("  synced    %s UTC from %s%s\n", when(f.synced_ms).c_str(), f.source.c_str(),
              f.stale ? "  [STALE]" : "");
  if (!f.note.empty()) std::printf("  (%s; showing the cache)\n", shown(f.note).c_str());
  if (!v.edits.empty()) {
    std::printf("\nlocal edits:\n");
    for (const auto& e : v.edits)
      std::printf("  %-10s %s  (edited %s)\n", e.field.c_str(),
                  printable(e.value, e.field == "description").c_str(), when(e.edited_ms).c_str());
  }
  std::string tags;
  for (const auto& tag : v.tags) tags += (tags.empty() ? "" : ", ") + tag;
  if (!tags.empty()) std::printf("\nlocal tags: %s\n", shown(tags).c_str());
  if (!v.links.empty()) {
    std::printf("\nlinks:\n");
    for (const auto& l : v.links)
      std::printf("  %s:%s  (linked %s)\n", shown(l.target.type).c_str(),
                  shown(l.target.id).c_str(), when(l.at_ms).c_str());
  }
  if (!v.notes.empty()) {
    std::printf("\nnotes:\n");
    for (const auto& n : v.notes)
      std::printf("  %s  %s\n", when(n.at_ms).c_str(), printable(n.text, true).c_str());
  }
  for (const auto& c : v.conflicts)
    std::printf(
        "\nCONFLICT #%lld on %s: local '%s' vs Jira '%s' (resolve with `jirasync resolve "
        "%lld --take jira|local`)\n",
        static_cast<long long>(c.id), shown(c.field).c_str(), shown(c.local_value).c_str(),
        shown(c.jira_value).c_str(), static_cast<long long>(c.id));
  if (!i.description_text.empty())
    std::printf("\n%s\n", printable(i.description_text, true).c_str());
  if (!v.changes.empty()) {
    std::printf("\nhistory:\n");
    for (const auto& c : v.changes)
      std::printf("  %s  %-12s %s\n", when(c.at_ms).c_str(), shown(c.change).c_str(),
                  shown(c.detail.substr(0, 100)).c_str());
  }
}

}  // namespace

int show_command(CliContext& ctx, const std::string& key, OutputFormat format,
                 const ShowFreshness& freshness) {
  TicketQueries& tickets = ctx.ticket_queries();
  LocalTicketData& local = ctx.local_data();
  auto found = tickets.find_by_key(key);
  if (!found) {
    std::fprintf(stderr, "no ticket %s in the cache (by current or former key)\n",
                 shown(key).c_str());
    return 1;
  }
  TicketView v;
  v.freshness = freshness;
  v.ticket = std::move(*found);
  const std::string& id = v.ticket.id;
  auto edits = ctx.ticket_cache().local_edits({id});
  if (auto it = edits.find(id); it != edits.end()) v.edits = std::move(it->second);
  v.tags = local.tags(id);
  v.links = local.links(id);
  v.notes = local.notes(id);
  v.conflicts = local.conflicts(id, true);
  v.changes = tickets.changes(id);
  if (format == OutputFormat::kJson) {
    print_show_json(v, key);
  } else {
    print_show_table(v, key);
  }
  return 0;
}

}  // namespace jirasync
