#include "services/api/mcp/mcp_issue_json.hpp"

#include <algorithm>

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/json/json_document.hpp"
#include "common/store/local_ticket_data.hpp"
#include "common/store/ticket_freshness.hpp"
#include "common/store/ticket_queries.hpp"
#include "services/api/api_context.hpp"

namespace jirasync {
namespace {

void write_text(JsonWriter& w, const std::string& value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// "" is written as null: the contract's rows use null for "no value".
void write_text_or_null(JsonWriter& w, const char* name, const std::string& value) {
  w.Key(name);
  if (value.empty()) {
    w.Null();
  } else {
    write_text(w, value);
  }
}

void write_origin(JsonWriter& w, const IssueOrigin& origin) {
  write_string(w, "source", origin.source);
  write_int64(w, "synced_ms", origin.synced_ms);
  write_int64(w, "age_ms", origin.age_ms);
  write_bool(w, "stale", origin.stale);
}

// Stored JSON (history details, custom field values) passes through parsed,
// so nothing malformed reaches the client; unreadable text is sent as a string.
void write_stored_json(JsonWriter& w, const std::string& text) {
  if (text.empty()) {
    w.Null();
    return;
  }
  try {
    rapidjson::Document doc;
    parse_json_text(text, doc, "stored");
    const std::string compact = compact_json(doc);
    w.RawValue(compact.data(), compact.size(), doc.GetType());
  } catch (const std::exception&) {
    write_text(w, text);
  }
}

}  // namespace

std::vector<std::string> json_string_list(const std::string& json_array) {
  std::vector<std::string> out;
  if (json_array.empty()) return out;
  try {
    rapidjson::Document doc;
    parse_json_text(json_array, doc, "list");
    if (doc.IsArray()) {
      for (const auto& v : doc.GetArray()) {
        if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
      }
    }
  } catch (const std::exception&) {
  }
  return out;
}

int64_t project_ttl_ms(const Config& config, const std::string& project) {
  for (const ProjectSettings& p : config.projects) {
    if (p.key == project) return p.cache_ttl_ms;
  }
  return ProjectSettings{}.cache_ttl_ms;
}

IssueOrigin cached_origin(ApiContext& ctx, const std::string& id, const std::string& project,
                          int64_t last_synced_ms) {
  IssueOrigin origin;
  const auto ages = ctx.freshness.ages({id});
  const auto it = ages.find(id);
  origin.synced_ms = it != ages.end() ? it->second.synced_ms : last_synced_ms;
  origin.age_ms = std::max<int64_t>(0, ctx.clock.now_ms() - origin.synced_ms);
  origin.stale = origin.synced_ms == 0 || origin.age_ms > project_ttl_ms(ctx.config, project);
  return origin;
}

void write_issue_row_members(JsonWriter& w, const IssueSearchRow& r, const IssueOrigin& origin) {
  write_string(w, "id", r.id);
  write_string(w, "key", r.key);
  write_string(w, "project", r.project);
  write_string(w, "issue_type", r.issue_type);
  write_string(w, "status", r.status);
  write_string(w, "status_category", r.status_category);
  write_text_or_null(w, "priority", r.priority);
  write_text_or_null(w, "assignee", r.assignee);
  write_text_or_null(w, "reporter", r.reporter);
  write_text_or_null(w, "resolution", r.resolution);
  write_string(w, "summary", r.summary);
  write_strings(w, "labels", json_string_list(r.labels));
  write_strings(w, "components", json_string_list(r.components));
  write_strings(w, "fix_versions", json_string_list(r.fix_versions));
  write_text_or_null(w, "parent_key", r.parent_key);
  write_int64(w, "created_ms", r.created_ms);
  write_int64(w, "updated_ms", r.updated_ms);
  write_optional_int64(w, "resolved_ms", r.resolved_ms);
  write_bool(w, "deleted", r.deleted);
  write_origin(w, origin);
}

void write_issue_row_members(JsonWriter& w, const JiraIssue& i, bool deleted,
                             const IssueOrigin& origin) {
  write_string(w, "id", i.id);
  write_string(w, "key", i.key);
  write_string(w, "project", i.project_key);
  write_string(w, "issue_type", i.issue_type);
  write_string(w, "status", i.status);
  write_string(w, "status_category", i.status_category);
  write_optional_string(w, "priority", i.priority);
  write_optional_string(w, "assignee",
                        i.assignee ? std::optional(i.assignee->display_name) : std::nullopt);
  write_optional_string(w, "reporter",
                        i.reporter ? std::optional(i.reporter->display_name) : std::nullopt);
  write_optional_string(w, "resolution", i.resolution);
  write_string(w, "summary", i.summary);
  write_strings(w, "labels", i.labels);
  write_strings(w, "components", i.components);
  write_strings(w, "fix_versions", i.fix_versions);
  write_optional_string(w, "parent_key", i.parent_key);
  write_int64(w, "created_ms", i.created_ms);
  write_int64(w, "updated_ms", i.updated_ms);
  write_optional_int64(w, "resolved_ms", i.resolution_date_ms);
  write_bool(w, "deleted", deleted);
  write_origin(w, origin);
}

std::string issue_detail_json(ApiContext& ctx, const CachedTicket& ticket,
                              const std::string& key_requested, const IssueOrigin& origin,
                              const std::string& note) {
  const JiraIssue& i = ticket.issue;
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("issue");
  w.StartObject();
  write_issue_row_members(w, i, ticket.deleted, origin);
  write_string(w, "description", i.description_text);
  w.Key("comments");
  w.StartArray();
  for (const JiraComment& c : i.comments) {
    w.StartObject();
    write_optional_string(w, "author",
                          c.author ? std::optional(c.author->display_name) : std::nullopt);
    write_int64(w, "created_ms", c.created_ms);
    write_string(w, "body", c.body_text);
    w.EndObject();
  }
  w.EndArray();
  w.Key("custom_fields");
  w.StartObject();
  for (const auto& [field, value] : i.custom_fields) {
    w.Key(field.data(), static_cast<rapidjson::SizeType>(field.size()));
    write_stored_json(w, value);
  }
  w.EndObject();
  w.EndObject();
  write_string(w, "key_requested", key_requested);
  if (!note.empty()) write_string(w, "note", note);

  w.Key("notes");
  w.StartArray();
  for (const Note& n : ctx.local.notes(ticket.id)) {
    w.StartObject();
    write_string(w, "text", n.text);
    write_int64(w, "at_ms", n.at_ms);
    w.EndObject();
  }
  w.EndArray();
  write_strings(w, "tags", ctx.local.tags(ticket.id));
  w.Key("links");
  w.StartArray();
  for (const TicketLink& l : ctx.local.links(ticket.id)) {
    w.StartObject();
    write_string(w, "type", l.target.type);
    write_string(w, "id", l.target.id);
    write_int64(w, "at_ms", l.at_ms);
    w.EndObject();
  }
  w.EndArray();
  w.Key("conflicts");
  w.StartArray();
  for (const Conflict& c : ctx.local.conflicts(ticket.id, true)) {
    w.StartObject();
    write_int64(w, "id", c.id);
    write_string(w, "key", i.key);
    write_string(w, "field", c.field);
    write_string(w, "local_value", c.local_value);
    write_string(w, "jira_value", c.jira_value);
    write_string(w, "strategy", c.strategy);
    write_string(w, "outcome", c.outcome);
    write_bool(w, "open", c.open);
    write_int64(w, "at_ms", c.at_ms);
    w.EndObject();
  }
  w.EndArray();
  w.Key("history");
  w.StartArray();
  for (const TicketChange& c : ctx.tickets.changes(ticket.id)) {
    w.StartObject();
    write_string(w, "change", c.change);
    write_string(w, "run_id", c.run_id);
    write_int64(w, "at_ms", c.at_ms);
    w.Key("detail");
    write_stored_json(w, c.detail);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

}  // namespace jirasync
