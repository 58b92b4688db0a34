#include <algorithm>
#include <cstdio>
#include <set>

#include "cli/cli_context.hpp"
#include "cli/terminal_text.hpp"
#include "common/clock/clock.hpp"
#include "common/store/local_ticket_data.hpp"
#include "common/store/local_ticket_rules.hpp"
#include "common/store/ticket_queries.hpp"
#include "common/time/jira_time.hpp"

namespace jirasync {
namespace {

std::optional<CachedTicket> require(TicketQueries& tickets, const std::string& key) {
  auto t = tickets.find_by_key(key);
  if (!t)
    std::fprintf(stderr, "no ticket %s in the cache (by current or former key)\n",
                 printable(key).c_str());
  return t;
}

std::string instant(int64_t ms) {
  return ms > 0 ? format_jira_time(ms) : std::string();
}

}  // namespace

int edit_command(CliContext& ctx, const std::string& key, const std::string& field,
                 const std::string& value) {
  LocalTicketData& local = ctx.local_data();
  auto t = require(ctx.ticket_queries(), key);
  if (!t) return 1;
  local.put_local_edit(LocalEdit{t->id, field, value, SystemClock().now_ms()});
  std::printf("%s: local %s set (Jira is not changed)\n", t->key.c_str(), field.c_str());
  return 0;
}

int note_command(CliContext& ctx, const std::string& key, const std::string& text) {
  LocalTicketData& local = ctx.local_data();
  auto t = require(ctx.ticket_queries(), key);
  if (!t) return 1;
  local.add_note(t->id, text, SystemClock().now_ms());
  std::printf("%s: note added\n", t->key.c_str());
  return 0;
}

int tag_command(CliContext& ctx, const std::string& key, const std::vector<std::string>& tags,
                bool remove) {
  // Bad input is reported before the cache is opened.
  for (const auto& tag : tags) validate_tag(tag);
  LocalTicketData& local = ctx.local_data();
  auto t = require(ctx.ticket_queries(), key);
  if (!t) return 1;
  const auto changed =
      remove ? local.remove_tags(t->id, tags) : local.add_tags(t->id, tags, SystemClock().now_ms());
  std::string done, untouched;
  std::set<std::string> seen;
  for (const auto& tag : tags) {
    if (!seen.insert(tag).second) continue;
    const bool hit = std::find(changed.begin(), changed.end(), tag) != changed.end();
    (hit ? done : untouched) += " " + tag;
  }
  if (!done.empty())
    std::printf("%s: %s:%s\n", t->key.c_str(), remove ? "removed" : "tagged", done.c_str());
  if (!untouched.empty())
    std::printf("%s: %s:%s\n", t->key.c_str(), remove ? "was not tagged" : "already tagged",
                untouched.c_str());
  return 0;
}

int link_command(CliContext& ctx, const std::string& key, const std::string& target, bool remove) {
  const LinkTarget to = parse_link_target(target);
  LocalTicketData& local = ctx.local_data();
  auto t = require(ctx.ticket_queries(), key);
  if (!t) return 1;
  if (remove) {
    std::printf(
        local.remove_link(t->id, to) ? "%s: unlinked from %s\n" : "%s: was not linked to %s\n",
        t->key.c_str(), target.c_str());
  } else {
    std::printf(local.add_link(t->id, to, SystemClock().now_ms()) ? "%s: linked to %s\n"
                                                                  : "%s: already linked to %s\n",
                t->key.c_str(), target.c_str());
  }
  return 0;
}

// links_command is in changes_command.cpp: it shows each ticket's review badge.

int conflicts_command(CliContext& ctx, const std::string& key, OutputFormat format) {
  TicketQueries& tickets = ctx.ticket_queries();
  std::string id;
  if (!key.empty()) {
    auto t = require(tickets, key);
    if (!t) return 1;
    id = t->id;
  }
  const auto list = ctx.local_data().conflicts(id, key.empty());
  std::vector<std::string> ids;
  for (const auto& c : list) ids.push_back(c.ticket_id);
  const auto keys = tickets.current_keys(ids);
  // A conflict outlives nothing it belongs to, but show the id rather than nothing.
  const auto key_of = [&](const Conflict& c) {
    const auto it = keys.find(c.ticket_id);
    return it != keys.end() ? it->second : "id " + c.ticket_id;
  };
  if (format == OutputFormat::kJson) {
    JsonOut j;
    j.begin_array();
    for (const auto& c : list) {
      j.begin_object()
          .number("id", c.id)
          .text("key", key_of(c))
          .text("ticket_id", c.ticket_id)
          .text("field", c.field)
          .text("strategy", c.strategy)
          .text("outcome", c.outcome)
          .text("local_value", c.local_value)
          .text("jira_value", c.jira_value)
          .flag("open", c.open)
          .text("at", instant(c.at_ms))
          .end_object();
    }
    std::printf("%s\n", j.end_array().str().c_str());
    return 0;
  }
  if (format == OutputFormat::kCsv) {
    std::fputs(csv_row({"id", "key", "field", "strategy", "outcome", "local_value", "jira_value",
                        "open", "at"})
                   .c_str(),
               stdout);
    for (const auto& c : list)
      std::fputs(csv_row({std::to_string(c.id), key_of(c), c.field, c.strategy, c.outcome,
                          c.local_value, c.jira_value, c.open ? "true" : "false", instant(c.at_ms)})
                     .c_str(),
                 stdout);
    return 0;
  }
  for (const auto& c : list)
    std::printf("#%-5lld %-12s %-10s %-12s %-14s local '%s' / Jira '%s'\n",
                static_cast<long long>(c.id), printable(key_of(c)).c_str(), c.field.c_str(),
                c.strategy.c_str(), c.outcome.c_str(), printable(c.local_value).c_str(),
                printable(c.jira_value).c_str());
  if (list.empty()) std::printf("no conflicts\n");
  return 0;
}

int resolve_command(CliContext& ctx, int64_t conflict_id, const std::string& take) {
  ctx.local_data().resolve_conflict(conflict_id, take, SystemClock().now_ms());
  std::printf("conflict #%lld resolved: %s value kept\n", static_cast<long long>(conflict_id),
              take.c_str());
  return 0;
}

}  // namespace jirasync
