#include "services/api/mcp/mcp_resources.hpp"

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/jql/parser.hpp"
#include "common/json/json_writer.hpp"
#include "common/store/issue_search.hpp"
#include "common/store/ticket_queries.hpp"
#include "services/api/api_context.hpp"
#include "services/api/json/api_jql_context.hpp"
#include "services/api/json/issue_document.hpp"
#include "services/api/json/issue_origin.hpp"
#include "services/api/mcp/json_rpc.hpp"

namespace jirasync {
namespace {

constexpr const char* kListOrder = "ORDER BY updated DESC";

void write_text(JsonWriter& w, const std::string& value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

McpResources::McpResources(ApiContext& ctx, int page_size) : ctx_(ctx), page_size_(page_size) {}

std::string McpResources::list(const std::string& cursor) {
  const JqlContext context = jql_context_of(ctx_);
  IssueSearchPage page;
  try {
    page = ctx_.search.search(parse_jql(kListOrder), context, page_size_, cursor);
  } catch (const std::invalid_argument& e) {
    throw JsonRpcError(kJsonRpcInvalidParams, std::string("cursor: ") + e.what());
  }
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("resources");
  w.StartArray();
  for (const IssueSearchRow& r : page.rows) {
    w.StartObject();
    write_string(w, "uri", kMcpIssueUriPrefix + r.key);
    write_string(w, "name", r.key);
    write_string(w, "title", r.key + ": " + r.summary);
    write_string(w, "mimeType", "application/json");
    w.EndObject();
  }
  w.EndArray();
  if (!page.next_cursor.empty()) write_string(w, "nextCursor", page.next_cursor);
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

std::string McpResources::templates() {
  return R"({"resourceTemplates":[{"uriTemplate":"jira://issue/{key}","name":"issue",)"
         R"("title":"A cached Jira issue","description":"One cached issue by key (old keys )"
         R"(resolve): fields, comments, local notes, tags, links, conflicts and history",)"
         R"("mimeType":"application/json"}]})";
}

std::string McpResources::read(const std::string& uri) {
  const std::string prefix = kMcpIssueUriPrefix;
  if (uri.compare(0, prefix.size(), prefix) != 0 || uri.size() == prefix.size()) {
    throw JsonRpcError(kJsonRpcInvalidParams,
                       "uri: not an issue resource (expected jira://issue/KEY)");
  }
  const std::string key = uri.substr(prefix.size());
  const auto found = ctx_.documents.find(key);
  if (!found) {
    rapidjson::StringBuffer data;
    JsonWriter d(data);
    d.StartObject();
    write_string(d, "uri", uri);
    d.EndObject();
    throw JsonRpcError(kMcpResourceNotFound,
                       "Resource not found: no issue " + key.substr(0, 64) + " in the cache",
                       std::string(data.GetString(), data.GetSize()));
  }
  const std::string text = issue_document_json(ctx_, found->ticket, key, origin_of(ctx_, *found),
                                               "", &found->history, &found->local);
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("contents");
  w.StartArray();
  w.StartObject();
  write_string(w, "uri", uri);
  write_string(w, "mimeType", "application/json");
  w.Key("text");
  write_text(w, text);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

}  // namespace jirasync
