#include "common/jira/issue_list_reader.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cstdint>
#include <type_traits>

#include "common/json/json_document.hpp"
#include "common/json/utf8_text.hpp"

namespace jirasync {
namespace {

using Stream = rapidjson::StringStream;

constexpr int kMaxDepth = static_cast<int>(kMaxJsonDepth);

// How a body is parsed. kFast: RapidJSON's recursive parser, whose depth the
// handler caps at kMaxDepth levels (a few hundred small frames), so it stops
// at the first too-deep issue. kPastDeepIssues: the iterative parser (its
// stack is on the heap, about 8 bytes a level), which reads on past such an
// issue; about a tenth slower, so used only for a page that needs it.
enum class Pass { kFast, kPastDeepIssues };

// The SAX handler. `depth` counts the containers open around the next event.
// In a page the issues are the objects at depth 2 (root object, `issues`
// array); on its own an issue is the root.
class IssueListHandler {
 public:
  IssueListHandler(const Stream& stream, std::string_view body, bool single, Pass pass)
      : stream_(stream),
        body_(body),
        single_(single),
        pass_(pass),
        // The recursive parser has taken the brace when it reports it; the
        // iterative one reports it first.
        brace_taken_(pass == Pass::kFast ? 1 : 0),
        issue_depth_(single ? 0 : 2) {}

  bool Null() { return check(Kind::kNull); }
  bool Bool(bool b) {
    if (!check(Kind::kBool)) return false;
    if (at_top("isLast")) list_.is_last = b;
    return true;
  }
  bool Int(int i) { return integer(i); }
  bool Uint(unsigned u) { return integer(u); }
  bool Int64(int64_t i) { return integer(i); }
  bool Uint64(uint64_t u) { return integer(u); }
  bool Double(double) { return check(Kind::kOther); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return check(Kind::kOther); }

  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (!check(Kind::kString)) return false;
    const std::string_view text(s, n);
    if (at_top("nextPageToken")) {
      list_.next_page_token.assign(text);
    } else if (issue_open_ && depth_ == issue_depth_ + 1) {
      if (issue_key_ == "id") current_.id.assign(text);
      if (issue_key_ == "key") current_.key.assign(text);
    } else if (in_fields_ && depth_ == issue_depth_ + 2 && fields_key_ == "updated") {
      current_.updated.assign(text);
    } else if (at_error_id()) {
      list_.error_ids.emplace_back(text);
      error_has_id_ = true;
    }
    return true;
  }

  bool Key(const char* s, rapidjson::SizeType n, bool) {
    const std::string_view name(s, n);
    if (depth_ == 1 && !single_) {
      top_key_.assign(name);
    } else if (issue_open_ && depth_ == issue_depth_ + 1) {
      issue_key_.assign(name);
    } else if (in_fields_ && depth_ == issue_depth_ + 2) {
      fields_key_.assign(name);
    } else if (in_comment_ && depth_ == issue_depth_ + 3) {
      comment_key_.assign(name);
    } else if (in_errors_ && depth_ == 3) {
      error_key_.assign(name);
    }
    return true;
  }

  bool StartObject() {
    if (!check(Kind::kObject)) return false;
    if (single_ ? depth_ == 0 : (in_issues_ && depth_ == 2)) {
      current_ = IssueText{};
      issue_begin_ = stream_.Tell() - brace_taken_;
      issue_open_ = true;
      comment_seen_ = false;
    } else if (issue_open_ && depth_ == issue_depth_ + 1 && issue_key_ == "fields") {
      in_fields_ = true;
    } else if (at_comment_member() && !comment_seen_) {
      in_comment_ = true;
      comment_key_.clear();
    } else if (in_errors_ && depth_ == 2) {
      error_key_.clear();
      error_has_id_ = false;
    }
    return push();
  }

  bool EndObject(rapidjson::SizeType) {
    --depth_;
    if (in_comment_ && depth_ == issue_depth_ + 2) {
      in_comment_ = false;
      comment_seen_ = true;
    }
    if (in_fields_ && depth_ == issue_depth_ + 1) in_fields_ = false;
    if (issue_open_ && depth_ == issue_depth_) {
      issue_open_ = false;
      if (!single_ && current_.unreadable.empty()) {
        current_.json.assign(
            body_.substr(issue_begin_, stream_.Tell() + 1 - brace_taken_ - issue_begin_));
      }
      list_.issues.push_back(std::move(current_));
    }
    if (in_errors_ && depth_ == 2) {
      if (!error_has_id_) return fail(errors_item() + " has no `id`");
      ++error_index_;
    }
    return true;
  }

  bool StartArray() {
    if (!check(Kind::kArray)) return false;
    if (depth_ == 1) {
      in_issues_ = at_top("issues");
      in_errors_ = at_top("issueErrors");
    } else if (at_comment("comments") && current_.comments_listed < 0) {
      in_comment_list_ = true;
      current_.comments_listed = 0;
    }
    return push();
  }

  bool EndArray(rapidjson::SizeType) {
    --depth_;
    if (depth_ == 1) in_issues_ = in_errors_ = false;
    if (in_comment_list_ && depth_ == issue_depth_ + 3) in_comment_list_ = false;
    return true;
  }

  IssueList& list() { return list_; }
  const std::string& error() const { return error_; }
  // The fast pass stopped at an issue nested too deep: read again past it.
  bool stopped_at_deep_issue() const { return stopped_at_deep_issue_; }

 private:
  enum class Kind { kObject, kArray, kString, kInteger, kNull, kBool, kOther };

  // The value of top-level member `name` of a page.
  bool at_top(std::string_view name) const { return depth_ == 1 && !single_ && top_key_ == name; }
  bool at_error_id() const { return in_errors_ && depth_ == 3 && error_key_ == "id"; }
  // The value of fields.comment, and of member `name` of that object.
  bool at_comment_member() const {
    return in_fields_ && depth_ == issue_depth_ + 2 && fields_key_ == "comment";
  }
  bool at_comment(std::string_view name) const {
    return in_comment_ && depth_ == issue_depth_ + 3 && comment_key_ == name;
  }

  std::string errors_item() const { return "issueErrors[" + std::to_string(error_index_) + "]"; }

  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  // Inside an issue the limit applies to the issue alone (as the reconciler
  // will parse it); past it the issue is marked and the parse goes on, on
  // the iterative parser's heap stack, to the end of the issue.
  bool push() {
    ++depth_;
    if (issue_open_) {
      if (depth_ - issue_depth_ <= kMaxDepth) return true;
      if (pass_ == Pass::kFast) {
        stopped_at_deep_issue_ = true;
        return false;
      }
      if (current_.unreadable.empty()) {
        current_.unreadable = "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels";
      }
      return true;
    }
    if (depth_ > kMaxDepth) {
      return fail("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    return true;
  }

  // The shape of the members this reader knows, checked before each value.
  bool check(Kind kind) {
    if (depth_ == 0) return kind == Kind::kObject || fail("expected a JSON object");
    if (in_comment_list_ && depth_ == issue_depth_ + 4) ++current_.comments_listed;
    // A parsed document reads the first of members named alike: so does this.
    if (at_comment_member() && kind != Kind::kObject) comment_seen_ = true;
    if (at_top("issues")) {
      list_.has_issues = true;
      return kind == Kind::kArray || fail("`issues` is not an array");
    }
    if (at_top("issueErrors")) {
      list_.has_issue_errors = true;
      return kind == Kind::kArray || fail("`issueErrors` is not an array");
    }
    if (at_top("nextPageToken")) {
      return kind == Kind::kString || kind == Kind::kNull ||
             fail("`nextPageToken` is not a string");
    }
    if (at_top("isLast")) return kind == Kind::kBool || fail("`isLast` is not a boolean");
    if (in_issues_ && depth_ == 2) {
      return kind == Kind::kObject ||
             fail("issues[" + std::to_string(list_.issues.size()) + "] is not an object");
    }
    if (in_errors_ && depth_ == 2) {
      return kind == Kind::kObject || fail(errors_item() + " has no `id`");
    }
    if (at_error_id()) {
      return kind == Kind::kString || kind == Kind::kInteger ||
             fail(errors_item() + ".id is neither a string nor an integer");
    }
    return true;
  }

  // n as an int64_t, -1 when negative or past INT64_MAX.
  template <typename Number>
  static int64_t non_negative(Number n) {
    if constexpr (std::is_signed_v<Number>) {
      return n < 0 ? -1 : static_cast<int64_t>(n);
    } else {
      return n > static_cast<uint64_t>(INT64_MAX) ? -1 : static_cast<int64_t>(n);
    }
  }

  template <typename Number>
  bool integer(Number n) {
    if (!check(Kind::kInteger)) return false;
    if (at_comment("total") && current_.comment_total < 0) {
      current_.comment_total = non_negative(n);
    }
    if (at_error_id()) {
      list_.error_ids.push_back(std::to_string(n));
      error_has_id_ = true;
    }
    return true;
  }

  const Stream& stream_;
  std::string_view body_;
  bool single_;
  Pass pass_;
  size_t brace_taken_;
  bool stopped_at_deep_issue_ = false;
  int issue_depth_;  // depth outside an issue object
  int depth_ = 0;
  std::string top_key_;
  std::string issue_key_;
  std::string fields_key_;
  std::string error_key_;
  bool in_issues_ = false;
  bool in_errors_ = false;
  bool issue_open_ = false;
  bool in_fields_ = false;
  bool in_comment_ = false;       // inside the first fields.comment object
  bool comment_seen_ = false;     // the issue's fields.comment member was read
  bool in_comment_list_ = false;  // inside its first `comments` array
  std::string comment_key_;
  bool error_has_id_ = false;
  size_t error_index_ = 0;
  size_t issue_begin_ = 0;
  IssueText current_;
  IssueList list_;
  std::string error_;
};

IssueList read(const std::string& body, bool single, Pass pass) {
  Stream stream(body.c_str());
  IssueListHandler handler(stream, body, single, pass);
  rapidjson::Reader reader;
  if (pass == Pass::kFast) {
    reader.Parse(stream, handler);
  } else {
    reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler);
  }
  if (handler.stopped_at_deep_issue()) return read(body, single, Pass::kPastDeepIssues);
  if (reader.HasParseError()) {
    if (!handler.error().empty()) throw IssueListError(handler.error());
    throw IssueListError("malformed JSON at offset " + std::to_string(reader.GetErrorOffset()) +
                         ": " + rapidjson::GetParseError_En(reader.GetParseErrorCode()));
  }
  return std::move(handler.list());
}

IssueList read(const std::string& body, bool single) {
  // Jira sends UTF-8; invalid bytes would otherwise reach the topic and fail
  // far from their source. Checked here, and NUL-free, the terminated body
  // can go through RapidJSON's SIMD string scan.
  if (const size_t bad = find_invalid_utf8(body); bad != std::string_view::npos) {
    throw IssueListError("invalid UTF-8 or a NUL byte at offset " + std::to_string(bad));
  }
  return read(body, single, Pass::kFast);
}

}  // namespace

IssueList read_issue_list(const std::string& body) {
  return read(body, false);
}

IssueText read_issue_text(std::string json) {
  IssueList list = read(json, true);
  IssueText text = list.issues.empty() ? IssueText{} : std::move(list.issues.front());
  if (text.unreadable.empty()) text.json = std::move(json);
  return text;
}

}  // namespace jirasync
