#include <cstdio>

#include "cli/cli_context.hpp"
#include "common/clock/clock.hpp"
#include "common/store/sql_ticket_store.hpp"

namespace jirasync {
namespace {

std::optional<CachedTicket> require(SqlTicketStore& tickets, const std::string& key) {
  auto t = tickets.find_by_key(key);
  if (!t)
    std::fprintf(stderr, "no ticket %s in the cache (by current or former key)\n", key.c_str());
  return t;
}

}  // namespace

int edit_command(CliContext& ctx, const std::string& key, const std::string& field,
                 const std::string& value) {
  SqlTicketStore tickets(ctx.database());
  auto t = require(tickets, key);
  if (!t) return 1;
  tickets.put_local_edit(LocalEdit{t->id, field, value, SystemClock().now_ms()});
  std::printf("%s: local %s set (Jira is not changed)\n", t->key.c_str(), field.c_str());
  return 0;
}

int note_command(CliContext& ctx, const std::string& key, const std::string& text) {
  SqlTicketStore tickets(ctx.database());
  auto t = require(tickets, key);
  if (!t) return 1;
  tickets.add_note(t->id, text, SystemClock().now_ms());
  std::printf("%s: note added\n", t->key.c_str());
  return 0;
}

int conflicts_command(CliContext& ctx, const std::string& key) {
  SqlTicketStore tickets(ctx.database());
  std::string id;
  if (!key.empty()) {
    auto t = require(tickets, key);
    if (!t) return 1;
    id = t->id;
  }
  const auto list = tickets.conflicts(id, key.empty());
  for (const auto& c : list)
    std::printf("#%-5lld ticket %-10s %-10s %-12s %-14s local '%s' / Jira '%s'\n",
                static_cast<long long>(c.id), c.ticket_id.c_str(), c.field.c_str(),
                c.strategy.c_str(), c.outcome.c_str(), c.local_value.c_str(), c.jira_value.c_str());
  if (list.empty()) std::printf("no conflicts\n");
  return 0;
}

int resolve_command(CliContext& ctx, int64_t conflict_id, const std::string& take) {
  SqlTicketStore tickets(ctx.database());
  tickets.resolve_conflict(conflict_id, take, SystemClock().now_ms());
  std::printf("conflict #%lld resolved: %s value kept\n", static_cast<long long>(conflict_id),
              take.c_str());
  return 0;
}

}  // namespace jirasync
