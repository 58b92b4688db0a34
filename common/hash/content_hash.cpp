#include "common/hash/content_hash.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

namespace jirasync {
namespace {

// tag=<len>:<bytes>;  — length prefixes make the encoding unambiguous
// whatever bytes the values hold. Streamed into SHA-256 through a small
// buffer: the input (canonical ADF, comment bodies) is never built whole.
class HashInput {
 public:
  explicit HashInput(std::string_view version) : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
      EVP_MD_CTX_free(ctx_);
      throw std::runtime_error("SHA-256 failed in OpenSSL");
    }
    put(version);
  }
  ~HashInput() { EVP_MD_CTX_free(ctx_); }
  HashInput(const HashInput&) = delete;
  HashInput& operator=(const HashInput&) = delete;

  void value(std::string_view tag, std::string_view v) {
    put(tag);
    put('=');
    put_number(static_cast<int64_t>(v.size()));
    put(':');
    put(v);
    put(';');
  }

  void optional(std::string_view tag, const std::optional<std::string>& v) {
    if (v) {
      value(tag, *v);
    } else {
      put(tag);
      put("!;");  // absent differs from the empty string
    }
  }

  void optional(std::string_view tag, const std::optional<int64_t>& v) {
    if (v) {
      number(tag, *v);
    } else {
      put(tag);
      put("!;");
    }
  }

  // The value's decimal text, as value(tag, std::to_string(n)).
  void number(std::string_view tag, int64_t n) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    (void)ec;  // 24 characters hold any int64_t
    value(tag, std::string_view(digits, static_cast<size_t>(end - digits)));
  }

  void user(std::string_view tag, const std::optional<JiraUser>& u) {
    if (!u) {
      put(tag);
      put("!;");
      return;
    }
    value(tag, "user");
    value("account_id", u->account_id);
    value("display_name", u->display_name);
  }

  void sorted_list(std::string_view tag, const std::vector<std::string>& items) {
    std::vector<std::string_view> sorted(items.begin(), items.end());
    std::sort(sorted.begin(), sorted.end());
    number(tag, static_cast<int64_t>(sorted.size()));
    for (std::string_view item : sorted) value("item", item);
  }

  // Lowercase hex of the digest; the input ends here.
  std::string hex() {
    flush();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_, digest, &length) != 1) {
      throw std::runtime_error("SHA-256 failed in OpenSSL");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex(length * 2, '0');
    for (unsigned int i = 0; i < length; ++i) {
      hex[2 * i] = kHex[digest[i] >> 4];
      hex[2 * i + 1] = kHex[digest[i] & 0xf];
    }
    return hex;
  }

 private:
  void put(char c) {
    if (used_ == sizeof buffer_) flush();
    buffer_[used_++] = c;
  }

  void put(std::string_view bytes) {
    if (bytes.size() > sizeof buffer_ - used_) {
      flush();
      if (bytes.size() >= sizeof buffer_) {
        update(bytes.data(), bytes.size());
        return;
      }
    }
    std::memcpy(buffer_ + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
  }

  void put_number(int64_t n) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    (void)ec;
    put(std::string_view(digits, static_cast<size_t>(end - digits)));
  }

  void flush() {
    if (used_ > 0) update(buffer_, used_);
    used_ = 0;
  }

  void update(const void* data, size_t size) {
    if (EVP_DigestUpdate(ctx_, data, size) != 1) {
      throw std::runtime_error("SHA-256 failed in OpenSSL");
    }
  }

  EVP_MD_CTX* ctx_;
  char buffer_[4096];
  size_t used_ = 0;
};

// The members every version hashes, after the version tag.
void hash_v1_members(HashInput& in, const JiraIssue& issue) {
  in.value("id", issue.id);
  in.value("key", issue.key);
  in.value("project_key", issue.project_key);
  in.value("project_id", issue.project_id);
  in.value("issue_type", issue.issue_type);
  in.value("subtask", issue.subtask ? "1" : "0");
  in.value("status", issue.status);
  in.value("status_category", issue.status_category);
  in.optional("priority", issue.priority);
  in.user("assignee", issue.assignee);
  in.user("reporter", issue.reporter);
  in.sorted_list("labels", issue.labels);
  in.sorted_list("components", issue.components);
  in.sorted_list("fix_versions", issue.fix_versions);
  in.optional("parent_id", issue.parent_id);
  in.optional("parent_key", issue.parent_key);
  in.optional("resolution", issue.resolution);
  in.number("created_ms", issue.created_ms);
  in.optional("resolution_date_ms", issue.resolution_date_ms);
  in.value("summary", issue.summary);
  in.value("description_adf", issue.description_adf);
  in.value("description_text", issue.description_text);
  in.number("custom_fields", static_cast<int64_t>(issue.custom_fields.size()));
  for (const auto& [name, json] : issue.custom_fields) {  // std::map: sorted by name
    in.value("name", name);
    in.value("json", json);
  }
}

void user_list_entry(HashInput& in, const std::optional<JiraUser>& user) {
  in.user("author", user);
}

void hash_v2_members(HashInput& in, const JiraIssue& issue) {
  in.optional("due_date", issue.due_date);
  in.user("creator", issue.creator);
  in.sorted_list("affected_versions", issue.affected_versions);
  in.value("environment_adf", issue.environment_adf);
  in.value("environment_text", issue.environment_text);
  // In Jira's order: comments by creation, links and subtasks as ranked.
  in.number("comments", static_cast<int64_t>(issue.comments.size()));
  for (const JiraComment& c : issue.comments) {
    in.value("comment", c.id);
    user_list_entry(in, c.author);
    in.value("body_adf", c.body_adf);
    in.value("body_text", c.body_text);
    in.number("created_ms", c.created_ms);
    in.number("updated_ms", c.updated_ms);
  }
  in.number("links", static_cast<int64_t>(issue.links.size()));
  for (const JiraIssueLink& l : issue.links) {
    in.value("link", l.id);
    in.value("type", l.type_name);
    in.value("direction", l.direction);
    in.value("label", l.label);
    in.value("other_id", l.other_id);
    in.value("other_key", l.other_key);
  }
  in.number("subtasks", static_cast<int64_t>(issue.subtasks.size()));
  for (const JiraSubtaskRef& s : issue.subtasks) {
    in.value("subtask", s.id);
    in.value("key", s.key);
  }
  in.number("attachments", static_cast<int64_t>(issue.attachments.size()));
  for (const JiraAttachment& a : issue.attachments) {
    in.value("attachment", a.id);
    in.value("filename", a.filename);
    in.value("mime_type", a.mime_type);
    in.number("size", a.size_bytes);
    in.number("created_ms", a.created_ms);
    user_list_entry(in, a.author);
  }
  in.optional("original_estimate_s", issue.time_tracking.original_estimate_s);
  in.optional("remaining_estimate_s", issue.time_tracking.remaining_estimate_s);
  in.optional("time_spent_s", issue.time_tracking.time_spent_s);
}

}  // namespace

std::string content_hash(const JiraIssue& issue) {
  HashInput in("jirasync-content-v2;");
  hash_v1_members(in, issue);
  hash_v2_members(in, issue);
  return in.hex();
}

std::string legacy_content_hash(const JiraIssue& issue) {
  HashInput in("jirasync-content-v1;");
  hash_v1_members(in, issue);
  return in.hex();
}

std::string significant_hash(const JiraIssue& issue) {
  HashInput in("jirasync-significant-v1;");
  in.value("summary", issue.summary);
  in.value("description_text", issue.description_text);
  in.value("issue_type", issue.issue_type);
  return in.hex();
}

}  // namespace jirasync
