#include "services/fetcher/comment_completion.hpp"

#include <stdexcept>
#include <unordered_set>

#include "common/json/json_document.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {

namespace {

// Bounds the pages one issue may cost: Jira keeps at most 5000 comments per issue.
constexpr int kMaxPagesPerIssue = 5000 / kCommentPageSize + 10;

}  // namespace

int complete_comments(IssueText& issue,
                      const std::function<CommentPage(int64_t start_at)>& fetch_page) {
  if (issue.json.empty() || issue.id.empty()) return 0;
  // Most issues list all their comments inline; the page's reader saw that.
  if (issue.comment_total >= 0 && issue.comments_listed >= issue.comment_total) return 0;
  if (issue.json.find("\"comment\"") == std::string::npos) return 0;
  rapidjson::Document doc;
  try {
    parse_json_text(issue.json, doc, "issue", kMaxJsonDepth, JsonNumbers::kFullPrecision);
  } catch (const PayloadError&) {
    return 0;  // the reconciler says what is wrong with it
  }
  if (!doc.IsObject() || !doc.HasMember("fields") || !doc["fields"].IsObject()) return 0;
  rapidjson::Value& fields = doc["fields"];
  if (!fields.HasMember("comment") || !fields["comment"].IsObject()) return 0;
  const rapidjson::Value& inline_page = fields["comment"];
  if (!inline_page.HasMember("total") || !inline_page["total"].IsInt64() ||
      !inline_page.HasMember("comments") || !inline_page["comments"].IsArray()) {
    return 0;
  }
  const int64_t shown = inline_page["comments"].Size();
  if (inline_page["total"].GetInt64() <= shown) return 0;

  auto& alloc = doc.GetAllocator();
  rapidjson::Value all(rapidjson::kArrayType);
  std::unordered_set<std::string> seen;
  int requests = 0;
  int64_t start = 0;
  for (;;) {
    if (requests >= kMaxPagesPerIssue) {
      throw std::runtime_error("issue " + issue.id + ": comment pages did not end after " +
                               std::to_string(requests) + " requests");
    }
    CommentPage page = fetch_page(start);
    ++requests;
    for (size_t i = 0; i < page.comments.size(); ++i) {
      if (!seen.insert(page.ids.at(i)).second) continue;
      rapidjson::Document comment;
      parse_json_text(page.comments[i], comment, "comment", kMaxJsonDepth,
                      JsonNumbers::kFullPrecision);
      all.PushBack(rapidjson::Value(comment, alloc), alloc);
    }
    start += static_cast<int64_t>(page.comments.size());
    if (page.comments.empty() || start >= page.total) break;
  }
  const auto count = static_cast<int64_t>(all.Size());
  rapidjson::Value complete(rapidjson::kObjectType);
  complete.AddMember("comments", all, alloc);
  complete.AddMember("maxResults", count, alloc);
  complete.AddMember("total", count, alloc);
  complete.AddMember("startAt", 0, alloc);
  fields["comment"] = complete;
  issue.json = compact_json(doc);
  return requests;
}

}  // namespace jirasync
