#include "tests/jirasim/webhook_events.hpp"

namespace jirasim {

void WebhookEvents::issue_changed(const IssueChange& change, const std::string& actor_id) {
  if (sender_.url().empty()) return;
  const SimIssue* issue = change.after ? change.after.get() : change.before.get();
  if (issue == nullptr) return;
  if (change.before && change.after && change.items.empty()) return;  // nothing happened
  const char* event = !change.before  ? "jira:issue_created"
                      : !change.after ? "jira:issue_deleted"
                                      : "jira:issue_updated";
  const char* type = !change.before  ? "issue_created"
                     : !change.after ? "issue_deleted"
                                     : "issue_generic";
  if (change.before && change.after) {
    for (const auto& item : change.items) {
      if (item.field == "assignee") type = "issue_assigned";
      if (item.field == "Key") type = "issue_moved";
    }
  }
  RenderContext ctx{settings_.base_url(), "UTC", settings_.default_zone()};
  int64_t now = clock_.now_ms();
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("timestamp");
  w.Int64(now);
  w.Key("webhookEvent");
  w.String(event);
  w.Key("issue_event_type_name");
  w.String(type);
  w.Key("user");
  renderer_.write_user(w, actor_id, ctx);
  w.Key("issue");
  renderer_.write_issue(w, *issue, FieldSelection::parse({}, "*all"), Expansion{}, ctx);
  if (change.before && change.after) {
    w.Key("changelog");
    w.StartObject();
    w.Key("id");
    write_string(w, std::to_string(issue->id * 100 + issue->version));
    w.Key("items");
    renderer_.write_changelog_items(w, change.items);
    w.EndObject();
  }
  w.EndObject();
  sender_.send(buf.GetString());
}

}  // namespace jirasim
