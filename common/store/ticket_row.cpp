#include "common/store/ticket_row.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

#include "common/json/json_writer.hpp"
#include "common/store/json_columns.hpp"

namespace jirasync {

namespace {

constexpr const char* kColumns =
    "id, key, project, project_id, issue_type, subtask, status, status_category, priority, "
    "assignee_id, assignee_name, reporter_id, reporter_name, labels, components, fix_versions, "
    "parent_id, parent_key, resolution, resolution_ms, created_ms, updated_ms, summary, "
    "description_text, description_adf, custom_fields, content_hash, significant_hash, "
    "first_seen_ms, last_synced_ms, sync_status, deleted, deleted_ms, due_date, creator_id, "
    "creator_name, affected_versions, environment_text, environment_adf, "
    "time_original_estimate_s, time_remaining_estimate_s, time_spent_s";
// One letter per column above: 0-4 text, 5 flag, 6-18 text, 19-21 integers,
// 22-27 text, 28-29 integers, 30 text, 31-32 integers, 33-38 text (migration
// 5), 39-41 integers.
constexpr const char* kKinds =
    "ttttt"
    "i"
    "ttttttttttttt"
    "iii"
    "tttttt"
    "ii"
    "t"
    "ii"
    "tttttt"
    "iii";

constexpr size_t count_columns() {
  size_t n = 1;
  for (const char* p = kColumns; *p; ++p) n += (*p == ',');
  return n;
}
constexpr size_t count_kinds() {
  size_t n = 0;
  for (const char* p = kKinds; *p; ++p) ++n;
  return n;
}
static_assert(count_columns() == 42 && count_kinds() == 42, "ticket columns and kinds disagree");

std::optional<JiraUser> user_from(SqlRow& r, size_t id_col, size_t name_col) {
  if (r.is_null(id_col) && r.is_null(name_col)) return std::nullopt;
  return JiraUser{r.take_text(id_col), r.take_text(name_col)};
}

SqlValue opt(const std::optional<std::string>& v) {
  if (v) return *v;
  return std::monostate{};
}
SqlValue opt(const std::optional<int64_t>& v) {
  if (v) return *v;
  return std::monostate{};
}

class ChangeWriter {
 public:
  ChangeWriter() : w_(buf_) { w_.StartObject(); }

  void text(const char* field, const std::optional<std::string>& before,
            const std::optional<std::string>& after) {
    if (before == after) return;
    w_.Key(field);
    w_.StartObject();
    w_.Key("old");
    put(before);
    w_.Key("new");
    put(after);
    w_.EndObject();
  }
  void number(const char* field, const std::optional<int64_t>& before,
              const std::optional<int64_t>& after) {
    if (before == after) return;
    w_.Key(field);
    w_.StartObject();
    w_.Key("old");
    before ? w_.Int64(*before) : w_.Null();
    w_.Key("new");
    after ? w_.Int64(*after) : w_.Null();
    w_.EndObject();
  }
  void flag(const char* field, bool before, bool after) {
    if (before == after) return;
    w_.Key(field);
    w_.StartObject();
    w_.Key("old");
    w_.Bool(before);
    w_.Key("new");
    w_.Bool(after);
    w_.EndObject();
  }
  // Lists are small (labels, components, versions): both values are kept.
  void list(const char* field, const std::vector<std::string>& before,
            const std::vector<std::string>& after) {
    if (before == after) return;
    w_.Key(field);
    w_.StartObject();
    for (const auto& [name, values] : {std::pair{"old", &before}, std::pair{"new", &after}}) {
      w_.Key(name);
      w_.StartArray();
      for (const std::string& v : *values)
        w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
      w_.EndArray();
    }
    w_.EndObject();
  }
  void bulky(const std::string& field, bool changed) {
    if (!changed) return;
    w_.Key(field.c_str(), static_cast<rapidjson::SizeType>(field.size()));
    w_.StartObject();
    w_.EndObject();
  }
  std::string finish() {
    w_.EndObject();
    return std::string(buf_.GetString(), buf_.GetSize());
  }

 private:
  void put(const std::optional<std::string>& v) {
    if (v) {
      w_.String(v->data(), static_cast<rapidjson::SizeType>(v->size()));
    } else {
      w_.Null();
    }
  }
  rapidjson::StringBuffer buf_;
  JsonWriter w_;
};

std::optional<std::string> user_name(const std::optional<JiraUser>& u) {
  if (!u) return std::nullopt;
  return u->display_name.empty() ? u->account_id : u->display_name;
}
std::optional<std::string> user_id(const std::optional<JiraUser>& u) {
  if (!u) return std::nullopt;
  return u->account_id;
}

}  // namespace

const char* ticket_columns() {
  return kColumns;
}
const char* ticket_column_kinds() {
  return kKinds;
}
size_t ticket_column_count() {
  return count_columns();
}

std::string ticket_upsert_assignments() {
  std::string out;
  std::string columns = kColumns;
  size_t start = 0;
  while (start < columns.size()) {
    size_t end = columns.find(',', start);
    if (end == std::string::npos) end = columns.size();
    std::string name = columns.substr(start, end - start);
    name.erase(0, name.find_first_not_of(' '));
    if (name != "id" && name != "first_seen_ms") {
      if (!out.empty()) out += ", ";
      out += name + " = excluded." + name;
    }
    start = end + 1;
  }
  return out;
}

TicketRow ticket_row_from_sql(SqlRow&& r) {
  TicketRow row;
  JiraIssue& i = row.cached.issue;
  i.id = r.take_text(0);
  i.key = r.take_text(1);
  i.project_key = r.take_text(2);
  i.project_id = r.take_text(3);
  i.issue_type = r.take_text(4);
  i.subtask = r.flag(5);
  i.status = r.take_text(6);
  i.status_category = r.take_text(7);
  i.priority = r.take_opt_text(8);
  i.assignee = user_from(r, 9, 10);
  i.reporter = user_from(r, 11, 12);
  i.labels = string_list_from_json(r.take_text(13), "tickets.labels");
  i.components = string_list_from_json(r.take_text(14), "tickets.components");
  i.fix_versions = string_list_from_json(r.take_text(15), "tickets.fix_versions");
  i.parent_id = r.take_opt_text(16);
  i.parent_key = r.take_opt_text(17);
  i.resolution = r.take_opt_text(18);
  i.resolution_date_ms = r.opt_i64(19);
  i.created_ms = r.i64(20);
  i.updated_ms = r.i64(21);
  i.summary = r.take_text(22);
  i.description_text = r.take_text(23);
  i.description_adf = r.take_text(24);
  i.custom_fields = raw_object_from_json(r.take_text(25), "tickets.custom_fields");
  row.cached.id = i.id;
  row.cached.key = i.key;
  row.cached.updated_ms = i.updated_ms;
  row.cached.content_hash = r.take_text(26);
  row.cached.significant_hash = r.take_text(27);
  row.first_seen_ms = r.i64(28);
  row.last_synced_ms = r.i64(29);
  row.sync_status = r.take_text(30);
  row.cached.deleted = r.flag(31);
  row.deleted_ms = r.opt_i64(32);
  i.due_date = r.take_opt_text(33);
  i.creator = user_from(r, 34, 35);
  i.affected_versions = string_list_from_json(r.take_text(36), "tickets.affected_versions");
  i.environment_text = r.take_text(37);
  i.environment_adf = r.take_text(38);
  i.time_tracking = {r.opt_i64(39), r.opt_i64(40), r.opt_i64(41)};
  return row;
}

TicketRow ticket_row_from_sql(const SqlRow& row) {
  return ticket_row_from_sql(SqlRow(row));
}

std::vector<SqlValue> ticket_row_to_sql(const TicketRow& row) {
  const JiraIssue& i = row.cached.issue;
  std::vector<SqlValue> v;
  v.reserve(42);
  v.emplace_back(row.cached.id);
  v.emplace_back(row.cached.key);
  v.emplace_back(i.project_key);
  v.emplace_back(i.project_id);
  v.emplace_back(i.issue_type);
  v.emplace_back(int64_t{i.subtask ? 1 : 0});
  v.emplace_back(i.status);
  v.emplace_back(i.status_category);
  v.push_back(opt(i.priority));
  v.push_back(opt(user_id(i.assignee)));
  v.push_back(i.assignee ? SqlValue(i.assignee->display_name) : SqlValue());
  v.push_back(opt(user_id(i.reporter)));
  v.push_back(i.reporter ? SqlValue(i.reporter->display_name) : SqlValue());
  v.emplace_back(string_list_to_json(i.labels));
  v.emplace_back(string_list_to_json(i.components));
  v.emplace_back(string_list_to_json(i.fix_versions));
  v.push_back(opt(i.parent_id));
  v.push_back(opt(i.parent_key));
  v.push_back(opt(i.resolution));
  v.push_back(opt(i.resolution_date_ms));
  v.emplace_back(i.created_ms);
  v.emplace_back(i.updated_ms);
  v.emplace_back(i.summary);
  v.emplace_back(i.description_text);
  v.emplace_back(i.description_adf);
  v.emplace_back(raw_object_to_json(i.custom_fields));
  v.emplace_back(row.cached.content_hash);
  v.emplace_back(row.cached.significant_hash);
  v.emplace_back(row.first_seen_ms);
  v.emplace_back(row.last_synced_ms);
  v.emplace_back(row.sync_status);
  v.emplace_back(int64_t{row.cached.deleted ? 1 : 0});
  v.push_back(opt(row.deleted_ms));
  v.push_back(opt(i.due_date));
  v.push_back(opt(user_id(i.creator)));
  v.push_back(i.creator ? SqlValue(i.creator->display_name) : SqlValue());
  v.emplace_back(string_list_to_json(i.affected_versions));
  v.emplace_back(i.environment_text);
  v.emplace_back(i.environment_adf);
  v.push_back(opt(i.time_tracking.original_estimate_s));
  v.push_back(opt(i.time_tracking.remaining_estimate_s));
  v.push_back(opt(i.time_tracking.time_spent_s));
  return v;
}

std::string describe_changes(const JiraIssue& a, const JiraIssue& b) {
  ChangeWriter w;
  w.text("key", a.key, b.key);
  w.text("project", a.project_key, b.project_key);
  w.text("issue_type", a.issue_type, b.issue_type);
  w.flag("subtask", a.subtask, b.subtask);
  w.text("status", a.status, b.status);
  w.text("status_category", a.status_category, b.status_category);
  w.text("priority", a.priority, b.priority);
  w.text("assignee", user_name(a.assignee), user_name(b.assignee));
  w.text("reporter", user_name(a.reporter), user_name(b.reporter));
  w.text("parent_key", a.parent_key, b.parent_key);
  w.text("resolution", a.resolution, b.resolution);
  w.number("resolution_ms", a.resolution_date_ms, b.resolution_date_ms);
  w.text("summary", a.summary, b.summary);
  w.number("created_ms", a.created_ms, b.created_ms);
  w.number("updated_ms", a.updated_ms, b.updated_ms);
  w.list("labels", a.labels, b.labels);
  w.list("components", a.components, b.components);
  w.list("fix_versions", a.fix_versions, b.fix_versions);
  w.bulky("description",
          a.description_adf != b.description_adf || a.description_text != b.description_text);
  w.text("due_date", a.due_date, b.due_date);
  w.text("creator", user_name(a.creator), user_name(b.creator));
  w.bulky("affected_versions", a.affected_versions != b.affected_versions);
  w.bulky("environment",
          a.environment_adf != b.environment_adf || a.environment_text != b.environment_text);
  w.bulky("comments", a.comments != b.comments);
  w.bulky("links", a.links != b.links);
  w.bulky("subtasks", a.subtasks != b.subtasks);
  w.bulky("attachments", a.attachments != b.attachments);
  w.number("time_original_estimate_s", a.time_tracking.original_estimate_s,
           b.time_tracking.original_estimate_s);
  w.number("time_remaining_estimate_s", a.time_tracking.remaining_estimate_s,
           b.time_tracking.remaining_estimate_s);
  w.number("time_spent_s", a.time_tracking.time_spent_s, b.time_tracking.time_spent_s);
  std::set<std::string> names;
  for (const auto& [name, value] : a.custom_fields) names.insert(name);
  for (const auto& [name, value] : b.custom_fields) names.insert(name);
  for (const std::string& name : names) {
    auto x = a.custom_fields.find(name);
    auto y = b.custom_fields.find(name);
    const bool same =
        x != a.custom_fields.end() && y != b.custom_fields.end() && x->second == y->second;
    w.bulky(name, !same);
  }
  return w.finish();
}

}  // namespace jirasync
