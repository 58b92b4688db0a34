#include "bench/site_reader.hpp"

#include <stdexcept>

#include "common/log/base64.hpp"

namespace jirasync::bench {

SiteReader::SiteReader(jirasim::Simulator& sim) : sim_(sim) {
  const auto user = jirasim::demo_user();
  auth_ = "Basic " + base64_encode(user.email + ":" + user.api_token);
}

rapidjson::Document SiteReader::page(int64_t first_id, int count) {
  std::string body = R"({"fields":["*all"],"issueIdsOrKeys":[)";
  for (int k = 0; k < count; ++k) {
    body += (k ? "," : "") + std::string("\"") + std::to_string(first_id + k) + "\"";
  }
  body += "]}";
  rapidjson::Document page;
  read(jirasim::http::verb::post, "/rest/api/3/issue/bulkfetch", body, page);
  for (auto& issue : page["issues"].GetArray()) complete_comments(issue, page.GetAllocator());
  return page;
}

void SiteReader::read(jirasim::http::verb verb, const std::string& target, const std::string& body,
                      rapidjson::Document& out) {
  jirasim::HttpRequest req{verb, target, 11};
  req.set(jirasim::http::field::host, "jirasim.local");
  req.set(jirasim::http::field::authorization, auth_);
  req.set(jirasim::http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  const jirasim::HttpReply reply = sim_.handle(req, true);
  if (reply.response.result_int() != 200) {
    throw std::runtime_error(target + ": jirasim answered " +
                             std::to_string(reply.response.result_int()) + " " +
                             reply.response.body().substr(0, 200));
  }
  out.Parse(reply.response.body().c_str(), reply.response.body().size());
  if (out.HasParseError()) throw std::runtime_error(target + ": not JSON");
}

// A search returns the oldest 20 comments inline; the fetcher pages the
// rest from /comment before it stores the issue. Same here.
void SiteReader::complete_comments(rapidjson::Value& issue,
                                   rapidjson::Document::AllocatorType& alloc) {
  auto fields = issue.FindMember("fields");
  if (fields == issue.MemberEnd()) return;
  auto comment = fields->value.FindMember("comment");
  if (comment == fields->value.MemberEnd() || !comment->value.IsObject()) return;
  const auto& page = comment->value;
  if (!page.HasMember("total") || !page.HasMember("comments")) return;
  if (page["total"].GetInt64() <= static_cast<int64_t>(page["comments"].Size())) return;
  rapidjson::Value all(rapidjson::kArrayType);
  const std::string id = issue["id"].GetString();
  for (int64_t start = 0;;) {
    rapidjson::Document more;
    read(
        jirasim::http::verb::get,
        "/rest/api/3/issue/" + id + "/comment?startAt=" + std::to_string(start) + "&maxResults=100",
        "", more);
    for (auto& c : more["comments"].GetArray()) all.PushBack(rapidjson::Value(c, alloc), alloc);
    start += more["comments"].Size();
    if (more["comments"].Size() == 0 || start >= more["total"].GetInt64()) break;
  }
  rapidjson::Value replaced(rapidjson::kObjectType);
  const auto total = static_cast<int64_t>(all.Size());
  replaced.AddMember("comments", all, alloc);
  replaced.AddMember("maxResults", total, alloc);
  replaced.AddMember("total", total, alloc);
  replaced.AddMember("startAt", 0, alloc);
  comment->value = replaced;
}

}  // namespace jirasync::bench
