#pragma once

#include <cstdint>
#include <functional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "tests/jirasim/field_selection.hpp"
#include "tests/jirasim/issue_store.hpp"
#include "tests/jirasim/json_writer.hpp"
#include "tests/jirasim/people.hpp"

namespace jirasim {

// Per-request rendering settings.
struct RenderContext {
  std::string base_url;      // prefix of every `self`
  std::string zone;          // the caller's account zone: timestamps carry its offset
  std::string default_zone;  // shown as timeZone of users without their own
};

// Comments an issue carries inline in fields.comment: the oldest ones, with
// total/maxResults saying when there are more (GET .../comment pages the
// rest). Jira documents no number; see docs/jirasim.md.
inline constexpr int kInlineComments = 20;

// Writes issues (and the users, projects and changelogs inside them) as Jira
// Cloud's v3 API does.
class IssueRenderer {
 public:
  IssueRenderer(const People& people, const IssueStore& store, uint64_t seed)
      : people_(people), store_(store), seed_(seed) {}

  void write_issue(JsonWriter& w, const SimIssue& issue, const FieldSelection& fields,
                   const Expansion& expand, const RenderContext& ctx) const;
  // {"id": "..."} only: search/jql's default.
  void write_id_only(JsonWriter& w, const SimIssue& issue) const;
  void write_user(JsonWriter& w, const std::string& account_id, const RenderContext& ctx,
                  bool with_email = false) const;
  void write_names(JsonWriter& w, const FieldSelection& fields) const;
  void write_changelog_items(JsonWriter& w, const std::vector<SimChange>& items) const;
  void write_project(JsonWriter& w, int64_t id, const std::string& key,
                     const RenderContext& ctx) const;

  // Every comment of the issue, oldest first: the generated ones from (seed,
  // id, index), comment_gap_ms apart after `created`.
  std::vector<SimComment> comments(const SimIssue& issue) const;
  // One Comment object as the comment endpoints and fields.comment show it.
  void write_comment(JsonWriter& w, const SimIssue& issue, const SimComment& c,
                     const RenderContext& ctx) const;

  // The ADF JSON of the issue's description ("null" when it has none).
  std::string description_json(const SimIssue& issue) const;
  std::string description_text(const SimIssue& issue) const;

 private:
  void write_fields(JsonWriter& w, const SimIssue& issue, const FieldSelection& fields,
                    const RenderContext& ctx) const;
  void write_changelog(JsonWriter& w, const SimIssue& issue, const RenderContext& ctx) const;
  void write_rendered(JsonWriter& w, const SimIssue& issue, const FieldSelection& fields,
                      const RenderContext& ctx) const;
  void write_status(JsonWriter& w, const SimIssue& issue, const RenderContext& ctx) const;
  void write_issue_type(JsonWriter& w, const std::string& name, const RenderContext& ctx) const;
  void write_priority(JsonWriter& w, const std::string& name, const RenderContext& ctx) const;
  // Fields added with the cache's migration 5: due date, versions,
  // environment, links, subtasks, attachments, time tracking, comments.
  void write_more_fields(JsonWriter& w, const SimIssue& issue, const FieldSelection& fields,
                         const RenderContext& ctx) const;
  // {id, key, self, fields: {summary, status, priority, issuetype}}, as in
  // parent, subtasks and issue links.
  void write_issue_ref(JsonWriter& w, const SimIssue& other, const RenderContext& ctx) const;

  // Users, projects, statuses, types and priorities repeat on every issue:
  // their JSON is built once per (value, base URL, zone) and embedded raw.
  void write_cached(JsonWriter& w, const std::string& key,
                    const std::function<void(JsonWriter&)>& build) const;

  const People& people_;
  const IssueStore& store_;
  uint64_t seed_;
  mutable std::shared_mutex fragments_mu_;
  mutable std::unordered_map<std::string, std::string> fragments_;
};

std::string rendered_time(int64_t ms, const std::string& zone);

}  // namespace jirasim
