#include "services/api/change_routes.hpp"

#include "common/clock/clock.hpp"
#include "common/store/change_feed.hpp"
#include "common/store/local_ticket_rules.hpp"
#include "common/store/ticket_queries.hpp"
#include "services/api/api_input.hpp"
#include "services/api/issue_refresh.hpp"
#include "services/api/json/cache_json.hpp"
#include "services/api/json/change_json.hpp"

namespace jirasync {
namespace {

constexpr int kMaxFeed = 10'000;

std::set<ChangeBadge> kinds_param(const ApiRequest& request) {
  std::set<ChangeBadge> out;
  const auto text = request.param("kind");
  if (!text) return out;
  size_t start = 0;
  while (start <= text->size()) {
    size_t end = text->find(',', start);
    if (end == std::string::npos) end = text->size();
    const std::string kind = text->substr(start, end - start);
    start = end + 1;
    if (kind.empty()) continue;
    try {
      out.insert(parse_change_badge(kind));
    } catch (const std::invalid_argument& e) {
      throw BadParameter("kind", e.what());
    }
  }
  return out;
}

std::string viewer_of(const std::string& viewer, const char* parameter) {
  if (viewer.empty() || viewer.size() > 200) throw BadParameter(parameter, "1 to 200 bytes");
  for (unsigned char c : viewer)
    if (c < 0x20 || c == 0x7f) throw BadParameter(parameter, "holds a control character");
  return viewer;
}

RouteResponse list_changes(ApiContext& ctx, const ApiRequest& request) {
  const int64_t now = ctx.clock.now_ms();
  FeedQuery query;
  const auto viewer = request.param("viewer");
  try {
    query.since_ms =
        feed_since_ms(ctx.changes, now, request.param("since"),
                      viewer ? std::optional(viewer_of(*viewer, "viewer")) : std::nullopt);
  } catch (const std::invalid_argument& e) {
    throw BadParameter("since", e.what());
  }
  query.project = request.param("project").value_or("");
  query.kinds = kinds_param(request);
  query.limit = int_param(request, "limit", 1000, 1, kMaxFeed);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("changes");
  w.StartArray();
  for (const FeedEntry& e : ctx.changes.changes_since(query)) write_feed_entry(w, e);
  w.EndArray();
  write_int64(w, "since_ms", query.since_ms);
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

RouteResponse mark_seen(ApiContext& ctx, const ApiRequest& request) {
  const auto body = json_body(request);
  const std::string viewer = viewer_of(required_string(body, "viewer"), "viewer");
  int64_t at = ctx.clock.now_ms();
  if (auto it = body.FindMember("at_ms"); it != body.MemberEnd()) {
    if (!it->value.IsInt64() || it->value.GetInt64() < 0)
      throw BadParameter("at_ms", "expected epoch milliseconds");
    at = it->value.GetInt64();
  }
  ctx.changes.mark_seen(viewer, at);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "viewer", viewer);
  write_int64(w, "seen_ms", at);
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

RouteResponse linked(ApiContext& ctx, const ApiRequest& request) {
  const LinkTarget target = link_target_param(request);
  const auto list = ctx.changes.reviewed_links(target);
  std::vector<std::string> ids;
  for (const auto& l : list) ids.push_back(l.ticket.id);
  const auto origins = origins_of(ctx, ids);
  const int64_t now = ctx.clock.now_ms();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("target");
  w.StartObject();
  write_string(w, "type", target.type);
  write_string(w, "id", target.id);
  w.EndObject();
  write_optional_int64(w, "reviewed_ms", ctx.changes.reviewed_at(target));
  w.Key("tickets");
  w.StartArray();
  for (const ReviewedLink& l : list) {
    // The row as a search lists it (the link list holds only a summary).
    IssueSearchRow row;
    if (auto cached = ctx.tickets.find_by_key(l.ticket.key); cached && cached->id == l.ticket.id) {
      row = search_row_of(*cached);
    } else {
      row.id = l.ticket.id;
      row.key = l.ticket.key;
      row.project = l.ticket.project;
      row.summary = l.ticket.summary;
      row.status = l.ticket.status;
      row.deleted = l.ticket.deleted;
      row.labels = row.components = row.fix_versions = "[]";
    }
    const auto o = origins.find(l.ticket.id);
    w.StartObject();
    write_issue_row(w, row, o != origins.end() ? o->second : IssueOrigin{"cache", 0, true}, now);
    write_optional_string(w, "badge",
                          l.badge ? std::optional<std::string>(to_string(*l.badge)) : std::nullopt);
    write_int64(w, "linked_ms", l.linked_ms);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

RouteResponse review(ApiContext& ctx, const ApiRequest& request) {
  const LinkTarget target = link_target_param(request);
  const int64_t now = ctx.clock.now_ms();
  const int64_t covered = ctx.changes.mark_reviewed(target, now);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_int64(w, "reviewed_ms", now);
  write_int64(w, "tickets", covered);
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

}  // namespace

std::vector<ApiRoute> change_routes(ApiContext& ctx) {
  return {
      {"GET", "/api/v1/changes", ApiScope::kRead,
       "The change feed with badges, since a time or a viewer's last look",
       answering_errors([&ctx](const ApiRequest& r) { return list_changes(ctx, r); })},
      {"POST", "/api/v1/changes/seen", ApiScope::kRead,
       "Marks the change feed seen for a viewer (their own last-look mark)",
       answering_errors([&ctx](const ApiRequest& r) { return mark_seen(ctx, r); })},
      {"GET", "/api/v1/links/{type}/{id}", ApiScope::kRead,
       "The tickets linked to a target, badged against its last review",
       answering_errors([&ctx](const ApiRequest& r) { return linked(ctx, r); })},
      {"POST", "/api/v1/links/{type}/{id}/review", ApiScope::kAdmin,
       "Acknowledges the review of every ticket linked to a target",
       answering_errors([&ctx](const ApiRequest& r) { return review(ctx, r); })},
  };
}

}  // namespace jirasync
