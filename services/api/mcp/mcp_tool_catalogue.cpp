#include "services/api/mcp/mcp_tool_catalogue.hpp"

#include "common/json/json_writer.hpp"

namespace jirasync {

const std::vector<McpToolSpec>& mcp_tool_catalogue() {
  static const std::vector<McpToolSpec> kTools = {
      {"search_issues",
       "Search cached Jira issues",
       "Search the local Jira cache with JQL, or with a saved query template and its "
       "parameters (see list_templates). Never calls Jira. Each issue carries its age and "
       "whether it is stale; pass next_cursor back as cursor for the next page.",
       R"j({"type":"object","properties":{)j"
       R"j("jql":{"type":"string","description":"JQL, e.g. project = WRKA AND status = Open ORDER BY updated DESC"},)j"
       R"j("template":{"type":"string","description":"a template name from list_templates (instead of jql)"},)j"
       R"j("params":{"type":"object","additionalProperties":{"type":"string"},"description":"the template's parameters"},)j"
       R"j("limit":{"type":"integer","minimum":1,"maximum":1000,"default":50},)j"
       R"j("cursor":{"type":"string","description":"next_cursor of the previous page"}},)j"
       R"j("additionalProperties":false})j",
       {"jql", "template", "params", "limit", "cursor"}},
      {"get_issue",
       "Get one cached Jira issue",
       "One issue by key (an old key of a moved issue resolves to the current one) with its "
       "description, comments, custom fields, local notes, tags, links, edits, conflicts "
       "and change history. With max_age (e.g. 15m), an issue older than that is fetched again "
       "from Jira first.",
       R"j({"type":"object","properties":{)j"
       R"j("key":{"type":"string","description":"issue key, e.g. WRKA-42"},)j"
       R"j("max_age":{"type":"string","description":"refresh first when older than this: 30s, 15m, 1h, 2d"}},)j"
       R"j("required":["key"],"additionalProperties":false})j",
       {"key", "max_age"}},
      {"list_changes",
       "List changed issues",
       "Issues that changed after a point in time, newest first, each with one badge: new, "
       "updated, significant, deleted, moved or conflict. since is a duration ago (-7d, 4h) or "
       "a time (2024-03-05, 2024-03-05T10:00:00Z); viewer uses that viewer's last-seen mark. "
       "Default: the last day.",
       R"j({"type":"object","properties":{)j"
       R"j("since":{"type":"string"},)j"
       R"j("viewer":{"type":"string"},)j"
       R"j("project":{"type":"string"},)j"
       R"j("kind":{"type":"array","items":{"type":"string","enum":["new","updated","significant","deleted","moved","conflict","out_of_scope"]}},)j"
       R"j("limit":{"type":"integer","minimum":1,"maximum":10000,"default":100}},)j"
       R"j("additionalProperties":false})j",
       {"since", "viewer", "project", "kind", "limit"}},
      {"list_templates",
       "List query templates",
       "The saved JQL templates search_issues accepts, with their parameters and defaults.",
       R"j({"type":"object","properties":{},"additionalProperties":false})j",
       {}},
      {"sync_status",
       "Cache freshness and sync runs",
       "Per configured project: cached tickets, time-to-live, last successful sync, age, "
       "whether stale, the sync cursor, the last and active run; and the most recent runs.",
       R"j({"type":"object","properties":{)j"
       R"j("project":{"type":"string","description":"only this project"},)j"
       R"j("runs":{"type":"integer","minimum":0,"maximum":200,"default":10,"description":"how many recent runs"}},)j"
       R"j("additionalProperties":false})j",
       {"project", "runs"}},
      {"refresh_issue",
       "Refresh an issue from Jira",
       "Asks the sync pipeline to fetch these issues again from Jira (a refresh run of their "
       "project) and reports the run. Needs an admin key over HTTP.",
       R"j({"type":"object","properties":{)j"
       R"j("key":{"type":"string","description":"issue key, e.g. WRKA-42"}},)j"
       R"j("required":["key"],"additionalProperties":false})j",
       {"key"},
       true},
  };
  return kTools;
}

const McpToolSpec* find_mcp_tool(const std::string& name) {
  for (const McpToolSpec& t : mcp_tool_catalogue()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string mcp_tool_list_json() {
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("tools");
  w.StartArray();
  for (const McpToolSpec& t : mcp_tool_catalogue()) {
    w.StartObject();
    write_string(w, "name", t.name);
    write_string(w, "title", t.title);
    write_string(w, "description", t.description);
    w.Key("inputSchema");
    w.RawValue(t.input_schema.data(), t.input_schema.size(), rapidjson::kObjectType);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

}  // namespace jirasync
