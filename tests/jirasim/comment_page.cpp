#include "tests/jirasim/comment_page.hpp"

#include <algorithm>
#include <charconv>

#include "tests/jirasim/http_types.hpp"

namespace jirasim {

namespace {

int64_t integer_param(const RequestTarget& target, const std::string& name, int64_t fallback) {
  const auto text = target.first(name);
  if (!text) return fallback;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size()) {
    throw ApiError{400, "The value '" + *text + "' of parameter '" + name + "' is not an integer."};
  }
  return v;
}

}  // namespace

std::string comment_page_json(const IssueRenderer& renderer, const SimIssue& issue,
                              const RequestTarget& target, const RenderContext& ctx) {
  const int64_t start_at = integer_param(target, "startAt", 0);
  if (start_at < 0) throw ApiError{400, "The startAt parameter must not be negative."};
  int64_t max_results = integer_param(target, "maxResults", kMaxCommentPage);
  if (max_results < 0) throw ApiError{400, "The maxResults parameter must not be negative."};
  max_results = std::min<int64_t>(max_results, kMaxCommentPage);
  const std::string order = target.first("orderBy").value_or("created");
  if (order != "created" && order != "+created" && order != "-created") {
    throw ApiError{400, "The orderBy parameter must be created, +created or -created."};
  }
  std::vector<SimComment> all = renderer.comments(issue);
  if (order == "-created") std::reverse(all.begin(), all.end());
  const size_t begin = static_cast<size_t>(std::min<int64_t>(start_at, std::ssize(all)));
  const size_t end = std::min(all.size(), begin + static_cast<size_t>(max_results));

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("comments");
  w.StartArray();
  for (size_t i = begin; i < end; ++i) renderer.write_comment(w, issue, all[i], ctx);
  w.EndArray();
  w.Key("maxResults");
  w.Int64(max_results);
  w.Key("total");
  w.Int64(std::ssize(all));
  w.Key("startAt");
  w.Int64(start_at);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace jirasim
