#include "cli/issue_details.hpp"

#include "cli/terminal_text.hpp"
#include "common/time/jira_time.hpp"

namespace jirasync {

namespace {

std::string minutes(int64_t seconds) {
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 60) + "m";
}

std::string day(int64_t ms) {
  return ms > 0 ? format_jira_time(ms).substr(0, 16) : "-";
}

std::string user_name(const std::optional<JiraUser>& u) {
  if (!u) return "(anonymous)";
  return u->display_name.empty() ? u->account_id : u->display_name;
}

void json_user(JsonOut& j, const char* name, const std::optional<JiraUser>& u) {
  j.key(name);
  if (u) {
    j.begin_object().text("account_id", u->account_id).text("display_name", u->display_name);
    j.end_object();
  } else {
    j.null();
  }
}

void json_seconds(JsonOut& j, const char* name, const std::optional<int64_t>& v) {
  j.key(name);
  if (v) {
    j.number(*v);
  } else {
    j.null();
  }
}

}  // namespace

std::string issue_details_table(const JiraIssue& i) {
  std::string out;
  auto line = [&](const std::string& text) { out += "  " + printable(text) + "\n"; };
  if (i.due_date) line("due       " + *i.due_date);
  if (i.creator) line("creator   " + user_name(i.creator));
  if (!i.affected_versions.empty()) {
    std::string versions;
    for (const auto& v : i.affected_versions) versions += (versions.empty() ? "" : ", ") + v;
    line("affects   " + versions);
  }
  const JiraTimeTracking& t = i.time_tracking;
  if (t != JiraTimeTracking{}) {
    std::string text;
    auto part = [&](const char* what, const std::optional<int64_t>& v) {
      if (!v) return;
      text += std::string(text.empty() ? "" : ", ") + what + " " + minutes(*v);
    };
    part("estimate", t.original_estimate_s);
    part("remaining", t.remaining_estimate_s);
    part("spent", t.time_spent_s);
    line("time      " + text);
  }
  if (!i.environment_text.empty()) {
    out += "  environment  " + printable(i.environment_text, true) + "\n";
  }
  if (!i.links.empty()) {
    out += "\nissue links:\n";
    for (const auto& l : i.links) line(l.label + " " + l.other_key);
  }
  if (!i.subtasks.empty()) {
    std::string keys;
    for (const auto& s : i.subtasks) keys += (keys.empty() ? "" : ", ") + s.key;
    out += "\nsub-tasks: " + printable(keys) + "\n";
  }
  if (!i.attachments.empty()) {
    out += "\nattachments:\n";
    for (const auto& a : i.attachments) {
      line(a.filename + " (" + (a.mime_type.empty() ? "?" : a.mime_type) + ", " +
           std::to_string(a.size_bytes) + " bytes, " + user_name(a.author) + " " +
           day(a.created_ms) + ")");
    }
  }
  if (!i.comments.empty()) {
    out += "\ncomments (" + std::to_string(i.comments.size()) + "):\n";
    for (const auto& c : i.comments) {
      line(user_name(c.author) + "  " + day(c.created_ms) +
           (c.updated_ms > c.created_ms ? "  (edited " + day(c.updated_ms) + ")" : ""));
      out += "    " + printable(c.body_text, true) + "\n";
    }
  }
  return out;
}

void write_issue_details_json(JsonOut& j, const JiraIssue& i) {
  j.key("due_date");
  if (i.due_date) {
    j.text(*i.due_date);
  } else {
    j.null();
  }
  json_user(j, "creator", i.creator);
  j.key("affected_versions").begin_array();
  for (const auto& v : i.affected_versions) j.text(v);
  j.end_array();
  j.text("environment", i.environment_text);
  j.key("time_tracking").begin_object();
  json_seconds(j, "original_estimate_s", i.time_tracking.original_estimate_s);
  json_seconds(j, "remaining_estimate_s", i.time_tracking.remaining_estimate_s);
  json_seconds(j, "time_spent_s", i.time_tracking.time_spent_s);
  j.end_object();
  j.key("issue_links").begin_array();
  for (const auto& l : i.links) {
    j.begin_object()
        .text("id", l.id)
        .text("type", l.type_name)
        .text("direction", l.direction)
        .text("label", l.label)
        .text("issue_id", l.other_id)
        .text("issue_key", l.other_key)
        .end_object();
  }
  j.end_array().key("subtasks").begin_array();
  for (const auto& s : i.subtasks)
    j.begin_object().text("id", s.id).text("key", s.key).end_object();
  j.end_array().key("attachments").begin_array();
  for (const auto& a : i.attachments) {
    j.begin_object()
        .text("id", a.id)
        .text("filename", a.filename)
        .text("mime_type", a.mime_type)
        .number("size_bytes", a.size_bytes);
    j.key("created").text(a.created_ms > 0 ? format_jira_time(a.created_ms) : "");
    json_user(j, "author", a.author);
    j.end_object();
  }
  j.end_array().key("comments").begin_array();
  for (const auto& c : i.comments) {
    j.begin_object().text("id", c.id);
    json_user(j, "author", c.author);
    j.text("body", c.body_text);
    j.key("created").text(format_jira_time(c.created_ms));
    j.key("updated").text(format_jira_time(c.updated_ms));
    j.end_object();
  }
  j.end_array();
}

}  // namespace jirasync
