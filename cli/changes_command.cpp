#include "cli/changes_command.hpp"

#include <cstdio>
#include <cstdlib>

#include "cli/terminal_text.hpp"
#include "common/clock/clock.hpp"
#include "common/store/local_ticket_rules.hpp"
#include "common/store/sql_change_feed.hpp"
#include "common/time/jira_time.hpp"
#include "common/time/since_time.hpp"

namespace jirasync {
namespace {

std::string when(int64_t ms) {
  return ms > 0 ? format_jira_time(ms).substr(0, 19) : "-";
}
std::string instant(int64_t ms) {
  return ms > 0 ? format_jira_time(ms) : std::string();
}

void entry_json(JsonOut& j, const FeedEntry& e) {
  j.begin_object()
      .text("key", e.key)
      .text("project", e.project)
      .text("badge", to_string(e.badge))
      .text("changed", instant(e.changed_ms))
      .number("changes", e.changes)
      .text("status", e.status)
      .text("summary", e.summary)
      .text("detail", e.detail)
      .end_object();
}

void print_feed(const std::vector<FeedEntry>& feed, int64_t since_ms, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    JsonOut j;
    j.begin_object().text("since", instant(since_ms)).key("changes").begin_array();
    for (const FeedEntry& e : feed) entry_json(j, e);
    std::printf("%s\n", j.end_array().end_object().str().c_str());
  } else if (format == OutputFormat::kJsonl) {
    for (const FeedEntry& e : feed) {
      JsonOut j;
      entry_json(j, e);
      std::printf("%s\n", j.str().c_str());
    }
  } else if (format == OutputFormat::kCsv) {
    std::fputs(
        csv_row({"key", "project", "badge", "changed", "changes", "status", "summary"}).c_str(),
        stdout);
    for (const FeedEntry& e : feed)
      std::fputs(csv_row({e.key, e.project, to_string(e.badge), instant(e.changed_ms),
                          std::to_string(e.changes), e.status, e.summary})
                     .c_str(),
                 stdout);
  } else {
    std::printf("changes since %s UTC\n", when(since_ms).c_str());
    std::printf("%-12s %-14s %-8s %-19s %7s %s\n", "BADGE", "KEY", "PROJECT", "CHANGED (UTC)",
                "CHANGES", "SUMMARY");
    for (const FeedEntry& e : feed)
      std::printf("%-12s %-14s %-8s %-19s %7lld %s\n", to_string(e.badge), printable(e.key).c_str(),
                  printable(e.project).c_str(), when(e.changed_ms).c_str(),
                  static_cast<long long>(e.changes), printable(e.summary).c_str());
    if (feed.empty()) std::printf("(nothing changed)\n");
  }
}

}  // namespace

std::string default_viewer() {
  const char* user = std::getenv("USER");
  return user && *user ? user : "default";
}

int changes_command(CliContext& ctx, const ChangesRequest& request) {
  SqlChangeFeed feed(ctx.database());
  const int64_t now = SystemClock().now_ms();
  const std::string viewer = request.viewer.empty() ? default_viewer() : request.viewer;
  int64_t since = now - 86'400'000;  // a day, when nothing else is said
  if (!request.since.empty()) {
    since = parse_since(request.since, now);
  } else if (request.since_last_look) {
    const auto look = feed.last_look(viewer);
    if (look) {
      since = *look;
    } else if (request.format == OutputFormat::kTable) {
      std::printf("(%s has not looked yet: showing the last day)\n", printable(viewer).c_str());
    }
  }
  FeedQuery query{since, request.project, request.kinds, request.limit};
  print_feed(feed.changes_since(query), since, request.format);
  if (request.mark_seen) {
    feed.mark_seen(viewer, now);
    if (request.format == OutputFormat::kTable)
      std::printf("marked seen for %s at %s UTC\n", printable(viewer).c_str(), when(now).c_str());
  }
  return 0;
}

int links_command(CliContext& ctx, const std::string& target, OutputFormat format) {
  const LinkTarget to = parse_link_target(target);
  SqlChangeFeed feed(ctx.database());
  const auto list = feed.reviewed_links(to);
  const auto reviewed = feed.reviewed_at(to);
  const auto badge = [](const ReviewedLink& l) { return l.badge ? to_string(*l.badge) : ""; };
  if (format == OutputFormat::kJson || format == OutputFormat::kJsonl) {
    // An array of the linked tickets (as before badges), each with its badge
    // and the target's last review.
    JsonOut all;
    if (format == OutputFormat::kJson) all.begin_array();
    for (const auto& l : list) {
      JsonOut one;
      JsonOut& j = format == OutputFormat::kJson ? all : one;
      j.begin_object()
          .text("key", l.ticket.key)
          .text("project", l.ticket.project)
          .text("status", l.ticket.status)
          .text("summary", l.ticket.summary)
          .flag("deleted", l.ticket.deleted)
          .key("badge");
      l.badge ? j.text(to_string(*l.badge)) : j.null();
      j.key("reviewed");
      reviewed ? j.text(instant(*reviewed)) : j.null();
      j.end_object();
      if (format == OutputFormat::kJsonl) std::printf("%s\n", one.str().c_str());
    }
    if (format == OutputFormat::kJson) std::printf("%s\n", all.end_array().str().c_str());
    return 0;
  }
  if (format == OutputFormat::kCsv) {
    std::fputs(csv_row({"key", "status", "summary", "deleted", "badge"}).c_str(), stdout);
    for (const auto& l : list)
      std::fputs(csv_row({l.ticket.key, l.ticket.status, l.ticket.summary,
                          l.ticket.deleted ? "true" : "false", badge(l)})
                     .c_str(),
                 stdout);
    return 0;
  }
  if (!list.empty())
    std::printf("%s, last reviewed %s\n", printable(target).c_str(),
                reviewed ? (when(*reviewed) + " UTC").c_str() : "never");
  for (const auto& l : list)
    std::printf("%-12s %-12s %-14s %s%s\n", badge(l), printable(l.ticket.key).c_str(),
                printable(l.ticket.status).c_str(), printable(l.ticket.summary).c_str(),
                l.ticket.deleted ? "  [deleted in Jira]" : "");
  if (list.empty())
    std::printf("no tickets linked to %s\n", printable(target).c_str());
  else
    std::printf("(`jirasync review %s` acknowledges the review)\n", printable(target).c_str());
  return 0;
}

int review_command(CliContext& ctx, const std::string& target) {
  const LinkTarget to = parse_link_target(target);
  SqlChangeFeed feed(ctx.database());
  const int64_t now = SystemClock().now_ms();
  const int64_t n = feed.mark_reviewed(to, now);
  std::printf("%s reviewed at %s UTC (%lld linked ticket(s))\n", printable(target).c_str(),
              when(now).c_str(), static_cast<long long>(n));
  return 0;
}

}  // namespace jirasync
