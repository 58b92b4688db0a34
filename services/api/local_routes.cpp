#include "services/api/local_routes.hpp"

#include <algorithm>
#include <charconv>

#include "common/clock/clock.hpp"
#include "common/store/local_ticket_data.hpp"
#include "common/store/local_ticket_rules.hpp"
#include "common/store/ticket_queries.hpp"
#include "services/api/api_error.hpp"
#include "services/api/api_input.hpp"
#include "services/api/json/cache_json.hpp"

namespace jirasync {
namespace {

CachedTicket ticket_of(ApiContext& ctx, const std::string& key) {
  auto t = ctx.tickets.find_by_key(key);
  if (!t)
    throw NotFound("no issue " + key.substr(0, 64) + " in the cache (by current or former key)");
  return *t;
}

// Local text is stored and shown again later: no control characters (a
// newline and a tab only where the field is multi-line). The JSON reader
// already refused bytes that are not UTF-8.
void check_local_text(const std::string& text, bool multiline, const char* parameter) {
  for (size_t at = 0; at < text.size(); ++at) {
    const auto c = static_cast<unsigned char>(text[at]);
    const bool allowed = multiline && (c == '\n' || c == '\t');
    if ((c < 0x20 || c == 0x7f) && !allowed)
      throw BadParameter(parameter, "holds a control character at byte " + std::to_string(at) +
                                        (multiline ? "" : "; this field is one line"));
  }
}

template <typename Check>
void checked(const char* parameter, Check check) {
  try {
    check();
  } catch (const std::invalid_argument& e) {
    throw BadParameter(parameter, e.what());
  }
}

std::string current_key_of(ApiContext& ctx, const std::string& ticket_id) {
  const auto keys = ctx.tickets.current_keys({ticket_id});
  const auto it = keys.find(ticket_id);
  return it != keys.end() ? it->second : "";
}

RouteResponse list_conflicts(ApiContext& ctx, const ApiRequest& request) {
  const bool open_only = bool_param(request, "open", true);
  std::string id;
  if (const auto key = request.param("key")) id = ticket_of(ctx, *key).id;
  const auto list = ctx.local.conflicts(id, open_only);
  std::vector<std::string> ids;
  for (const auto& c : list) ids.push_back(c.ticket_id);
  const auto keys = ctx.tickets.current_keys(ids);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("conflicts");
  w.StartArray();
  for (const auto& c : list) {
    const auto it = keys.find(c.ticket_id);
    write_conflict(w, c, it != keys.end() ? it->second : "");
  }
  w.EndArray();
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

RouteResponse resolve(ApiContext& ctx, const ApiRequest& request) {
  const std::string& text = request.path.at("id");
  int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || id <= 0)
    throw BadParameter("id", "expected a conflict id (a positive whole number)");
  const auto body = json_body(request);
  const std::string take = required_string(body, "take");
  checked("take", [&] { validate_conflict_take(take); });
  const auto find = [&]() -> std::optional<Conflict> {
    for (const auto& c : ctx.local.conflicts("", false))
      if (c.id == id) return c;
    return std::nullopt;
  };
  const auto before = find();
  if (!before) throw NotFound("no conflict " + std::to_string(id));
  if (!before->open)
    return api_error(
        409, "conflict",
        "conflict " + std::to_string(id) + " is already closed (" + before->outcome + ")", "id");
  ctx.local.resolve_conflict(id, take, ctx.clock.now_ms());
  const auto after = find();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("conflict");
  write_conflict(w, after.value_or(*before), current_key_of(ctx, before->ticket_id));
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

RouteResponse tag(ApiContext& ctx, const ApiRequest& request, bool remove) {
  const std::string& tag = request.path.at("tag");
  checked("tag", [&] { validate_tag(tag); });
  const CachedTicket t = ticket_of(ctx, request.path.at("key"));
  const auto changed = remove ? ctx.local.remove_tags(t.id, {tag})
                              : ctx.local.add_tags(t.id, {tag}, ctx.clock.now_ms());
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "key", t.key);
  write_string(w, "tag", tag);
  write_bool(w, "changed", !changed.empty());
  write_strings(w, "tags", ctx.local.tags(t.id));
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

RouteResponse add_note(ApiContext& ctx, const ApiRequest& request) {
  const auto body = json_body(request);
  const std::string text = required_string(body, "text");
  if (text.empty()) throw BadParameter("text", "a note must not be empty");
  check_local_text(text, true, "text");
  const CachedTicket t = ticket_of(ctx, request.path.at("key"));
  const int64_t now = ctx.clock.now_ms();
  ctx.local.add_note(t.id, text, now);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "key", t.key);
  w.Key("note");
  w.StartObject();
  write_string(w, "text", text);
  write_int64(w, "at_ms", now);
  w.EndObject();
  w.EndObject();
  return RouteResponse::json(201, json_text(buffer));
}

RouteResponse link(ApiContext& ctx, const ApiRequest& request, bool remove) {
  const LinkTarget target = link_target_param(request);
  const CachedTicket t = ticket_of(ctx, request.path.at("key"));
  const bool changed = remove ? ctx.local.remove_link(t.id, target)
                              : ctx.local.add_link(t.id, target, ctx.clock.now_ms());
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "key", t.key);
  w.Key("target");
  w.StartObject();
  write_string(w, "type", target.type);
  write_string(w, "id", target.id);
  w.EndObject();
  write_bool(w, "changed", changed);
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

RouteResponse edit(ApiContext& ctx, const ApiRequest& request, bool remove) {
  const std::string& field = request.path.at("field");
  checked("field", [&] { validate_local_edit_field(field); });
  std::string value;
  if (!remove) {
    const auto body = json_body(request);
    value = required_string(body, "value");
    check_local_text(value, field == "description", "value");
  }
  const CachedTicket t = ticket_of(ctx, request.path.at("key"));
  const int64_t now = ctx.clock.now_ms();
  bool changed = true;
  if (remove) {
    changed = ctx.local.remove_local_edit(t.id, field);
  } else {
    ctx.local.put_local_edit(LocalEdit{t.id, field, value, now});
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "key", t.key);
  write_string(w, "field", field);
  write_bool(w, "changed", changed);
  write_local_edits(w, ctx.local.local_edits_of(t.id));
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

ApiHandler handler(ApiContext& ctx, RouteResponse (*run)(ApiContext&, const ApiRequest&)) {
  return answering_errors([&ctx, run](const ApiRequest& r) { return run(ctx, r); });
}

ApiHandler handler(ApiContext& ctx, RouteResponse (*run)(ApiContext&, const ApiRequest&, bool),
                   bool remove) {
  return answering_errors([&ctx, run, remove](const ApiRequest& r) { return run(ctx, r, remove); });
}

}  // namespace

std::vector<ApiRoute> local_routes(ApiContext& ctx) {
  const std::string issue = "/api/v1/issues/{key}";
  return {
      {"GET", "/api/v1/conflicts", ApiScope::kRead,
       "Conflicts between local edits and Jira (open ones unless open=false)",
       handler(ctx, list_conflicts)},
      {"POST", "/api/v1/conflicts/{id}/resolve", ApiScope::kAdmin,
       "Resolves a conflict by taking Jira's or the local value", handler(ctx, resolve)},
      {"PUT", issue + "/tags/{tag}", ApiScope::kAdmin, "Tags an issue locally",
       handler(ctx, tag, false)},
      {"DELETE", issue + "/tags/{tag}", ApiScope::kAdmin, "Removes a local tag",
       handler(ctx, tag, true)},
      {"POST", issue + "/notes", ApiScope::kAdmin, "Adds a local note to an issue",
       handler(ctx, add_note)},
      {"PUT", issue + "/links/{type}/{id}", ApiScope::kAdmin,
       "Links an issue to something outside Jira (e.g. testcase/TC-17)", handler(ctx, link, false)},
      {"DELETE", issue + "/links/{type}/{id}", ApiScope::kAdmin, "Removes a local link",
       handler(ctx, link, true)},
      {"PUT", issue + "/edits/{field}", ApiScope::kAdmin,
       "Overrides a field locally (Jira is not changed)", handler(ctx, edit, false)},
      {"DELETE", issue + "/edits/{field}", ApiScope::kAdmin,
       "Drops a local override, so Jira's value shows again", handler(ctx, edit, true)},
  };
}

}  // namespace jirasync
