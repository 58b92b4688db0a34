#include "cli/search_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <stdexcept>

#include "cli/cli_context.hpp"
#include "cli/output_format.hpp"
#include "cli/search_sources.hpp"
#include "cli/terminal_text.hpp"
#include "common/clock/clock.hpp"
#include "common/jql/jql_error.hpp"
#include "common/jql/parser.hpp"
#include "common/jql/search_cursor.hpp"
#include "common/json/json_document.hpp"
#include "common/store/sql_field_catalog.hpp"
#include "common/store/sql_issue_search.hpp"
#include "common/time/jira_time.hpp"

namespace jirasync {
namespace {

constexpr int kUsageError = 2;
constexpr int kPageSize = 1000;

// One printable column of a search result.
struct Column {
  const char* name;
  std::function<std::string(const IssueSearchRow&)> text;
  bool list = false;  // the value is a JSON array of names
  size_t max_width = 40;
};

std::string instant(int64_t ms) {
  return ms > 0 ? format_jira_time(ms) : std::string();
}

const std::vector<Column>& columns() {
  static const std::vector<Column> kColumns = {
      {"key", [](const IssueSearchRow& r) { return r.key; }},
      {"id", [](const IssueSearchRow& r) { return r.id; }},
      {"project", [](const IssueSearchRow& r) { return r.project; }},
      {"type", [](const IssueSearchRow& r) { return r.issue_type; }},
      {"status", [](const IssueSearchRow& r) { return r.status; }},
      {"statusCategory", [](const IssueSearchRow& r) { return r.status_category; }},
      {"priority", [](const IssueSearchRow& r) { return r.priority; }},
      {"assignee", [](const IssueSearchRow& r) { return r.assignee; }},
      {"reporter", [](const IssueSearchRow& r) { return r.reporter; }},
      {"resolution", [](const IssueSearchRow& r) { return r.resolution; }},
      {"summary", [](const IssueSearchRow& r) { return r.summary; }, false, 60},
      {"labels", [](const IssueSearchRow& r) { return r.labels; }, true},
      {"components", [](const IssueSearchRow& r) { return r.components; }, true},
      {"fixVersions", [](const IssueSearchRow& r) { return r.fix_versions; }, true},
      {"parent", [](const IssueSearchRow& r) { return r.parent_key; }},
      {"created", [](const IssueSearchRow& r) { return instant(r.created_ms); }},
      {"updated", [](const IssueSearchRow& r) { return instant(r.updated_ms); }},
      {"resolved", [](const IssueSearchRow& r) { return instant(r.resolved_ms.value_or(0)); }},
      {"synced", [](const IssueSearchRow& r) { return instant(r.last_synced_ms); }},
  };
  return kColumns;
}

const std::vector<std::string> kDefaultFields = {"key",      "type",    "status", "priority",
                                                 "assignee", "updated", "summary"};

const Column* find_column(const std::string& name) {
  for (const Column& c : columns()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

// ["a","b"] -> a, b (the stored arrays hold only strings).
std::vector<std::string> names_of(const std::string& json_array) {
  std::vector<std::string> out;
  try {
    rapidjson::Document doc;
    parse_json_text(json_array, doc, "labels");
    if (doc.IsArray()) {
      for (const auto& v : doc.GetArray()) {
        if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
      }
    }
  } catch (const std::exception&) {
  }
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::string cell(const Column& c, const IssueSearchRow& r) {
  return c.list ? joined(names_of(c.text(r))) : c.text(r);
}

void print_json_row(JsonOut& j, const std::vector<const Column*>& shown, const IssueSearchRow& r) {
  j.begin_object();
  for (const Column* c : shown) {
    j.key(c->name);
    if (c->list) {
      j.begin_array();
      for (const auto& n : names_of(c->text(r))) j.text(n);
      j.end_array();
    } else {
      const std::string v = c->text(r);
      if (v.empty()) {
        j.null();
      } else {
        j.text(v);
      }
    }
  }
  j.end_object();
}

// Width in characters (UTF-8 lead bytes), for aligning columns.
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string clipped(const std::string& s, size_t max) {
  if (width(s) <= max) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++n > max - 1) break;
    out += s[i];
  }
  return out + "\xe2\x80\xa6";  // …
}

void print_table(const std::vector<const Column*>& shown, const std::vector<IssueSearchRow>& rows) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const Column* c : shown) widths.push_back(width(c->name));
  for (const auto& r : rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < shown.size(); ++i) {
      std::string v = clipped(printable(cell(*shown[i], r)), shown[i]->max_width);
      if (std::string(shown[i]->name) == "updated" || std::string(shown[i]->name) == "created" ||
          std::string(shown[i]->name) == "resolved" || std::string(shown[i]->name) == "synced") {
        v = v.substr(0, 16);
      }
      widths[i] = std::max(widths[i], width(v));
      line.push_back(std::move(v));
    }
    cells.push_back(std::move(line));
  }
  const auto print_line = [&](const std::vector<std::string>& line) {
    std::string out;
    for (size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) out += std::string(widths[i] - width(line[i]) + 2, ' ');
    }
    std::printf("%s\n", out.c_str());
  };
  std::vector<std::string> header;
  for (const Column* c : shown) header.emplace_back(c->name);
  print_line(header);
  for (const auto& line : cells) print_line(line);
}

}  // namespace

CLI::App* add_search_options(CLI::App& app, SearchArgs& args) {
  auto* cmd = app.add_subcommand(
      "search",
      "Search the cache with JQL (offline: never calls Jira). See docs/jql.md for what runs.");
  auto* jql =
      cmd->add_option("jql", args.jql, "the JQL query, e.g. 'project = WRKA AND status = Open'");
  add_search_source_options(cmd, args, jql);
  std::string names;
  for (const Column& c : columns()) names += (names.empty() ? "" : ",") + std::string(c.name);
  cmd->add_option("--fields", args.fields, "columns, comma-separated: " + names)
      ->delimiter(',')
      ->check(CLI::IsMember([] {
        std::vector<std::string> v;
        for (const Column& c : columns()) v.emplace_back(c.name);
        return v;
      }()));
  cmd->add_option("-n,--limit", args.limit, "at most this many issues (default 50)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--format", args.format, "table (default), json, jsonl or csv")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv"}));
  cmd->add_option("--after", args.after,
                  "continue after this cursor (printed by the previous page as next_cursor)");
  return cmd;
}

int search_command(CliContext& ctx, const SearchArgs& given) {
  SearchArgs args = given;
  if (const int rc = resolve_search_source(ctx, args); rc >= 0) return rc;
  std::vector<const Column*> shown;
  for (const auto& f : args.fields.empty() ? kDefaultFields : args.fields) {
    shown.push_back(find_column(f));
  }
  const Config& config = ctx.config();
  SystemClock clock;
  JqlContext context;
  context.account_id = config.jira.account_id;
  context.time_zone = config.jira.account_time_zone;
  // Custom fields by name: the stored field list, read (and the database
  // opened) only for a query that names a field the compiler does not know.
  context.custom_fields = [&ctx] { return stored_custom_fields(ctx.database())(); };
  context.now_ms = clock.now_ms();

  // Everything the command line decides is checked before the database opens.
  JqlQuery query;
  try {
    query = parse_jql(args.jql);
    (void)compile_jql(query, Backend::kSqlite, context);
    if (!args.after.empty()) {
      (void)decode_search_cursor(args.after, compile_jql(query, Backend::kSqlite, context).order);
    }
  } catch (const JqlError& e) {
    std::fprintf(stderr, "jirasync search: %s\n", e.what());
    return kUsageError;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "jirasync search: --after: %s\n", e.what());
    return kUsageError;
  }

  SqlIssueSearch search(ctx.database());
  std::vector<IssueSearchRow> rows;
  std::string cursor = args.after;
  do {
    const int want = std::min(kPageSize, args.limit - static_cast<int>(rows.size()));
    IssueSearchPage page = search.search(query, context, want, cursor);
    for (auto& r : page.rows) rows.push_back(std::move(r));
    cursor = page.next_cursor;
  } while (!cursor.empty() && static_cast<int>(rows.size()) < args.limit);

  if (args.format == "json") {
    JsonOut j;
    j.begin_object().text("source", "cache").key("issues").begin_array();
    for (const auto& r : rows) print_json_row(j, shown, r);
    j.end_array().key("next_cursor");
    if (cursor.empty()) {
      j.null();
    } else {
      j.text(cursor);
    }
    j.end_object();
    std::printf("%s\n", j.str().c_str());
    return 0;
  }
  if (args.format == "jsonl") {
    for (const auto& r : rows) {
      JsonOut j;
      print_json_row(j, shown, r);
      std::printf("%s\n", j.str().c_str());
    }
  } else if (args.format == "csv") {
    std::vector<std::string> header;
    for (const Column* c : shown) header.emplace_back(c->name);
    std::fputs(csv_row(header).c_str(), stdout);
    for (const auto& r : rows) {
      std::vector<std::string> line;
      for (const Column* c : shown) line.push_back(cell(*c, r));
      std::fputs(csv_row(line).c_str(), stdout);
    }
  } else {
    print_table(shown, rows);
  }
  // The source and where to continue go to stderr, so stdout stays the data.
  std::fprintf(stderr, "%zu issue%s from the cache%s%s\n", rows.size(), rows.size() == 1 ? "" : "s",
               cursor.empty() ? "" : "; more with --after ", cursor.c_str());
  return 0;
}

}  // namespace jirasync
