#include "common/hash/content_hash.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

namespace jirasync {
namespace {

// tag=<len>:<bytes>;  — length prefixes make the encoding unambiguous
// whatever bytes the values hold.
class HashInput {
 public:
  explicit HashInput(std::string_view version) { text_ += version; }

  void value(std::string_view tag, std::string_view v) {
    text_ += tag;
    text_ += '=';
    text_ += std::to_string(v.size());
    text_ += ':';
    text_ += v;
    text_ += ';';
  }

  void optional(std::string_view tag, const std::optional<std::string>& v) {
    if (v) {
      value(tag, *v);
    } else {
      text_ += tag;
      text_ += "!;";  // absent differs from the empty string
    }
  }

  void optional(std::string_view tag, const std::optional<int64_t>& v) {
    optional(tag, v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt);
  }

  void user(std::string_view tag, const std::optional<JiraUser>& u) {
    if (!u) {
      text_ += tag;
      text_ += "!;";
      return;
    }
    value(tag, "user");
    value("account_id", u->account_id);
    value("display_name", u->display_name);
  }

  void sorted_list(std::string_view tag, std::vector<std::string> items) {
    std::sort(items.begin(), items.end());
    value(tag, std::to_string(items.size()));
    for (const auto& item : items) value("item", item);
  }

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

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
  in.value("created_ms", std::to_string(issue.created_ms));
  in.optional("resolution_date_ms", issue.resolution_date_ms);
  in.value("summary", issue.summary);
  in.value("description_adf", issue.description_adf);
  in.value("description_text", issue.description_text);
  in.value("custom_fields", std::to_string(issue.custom_fields.size()));
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
  in.value("comments", std::to_string(issue.comments.size()));
  for (const JiraComment& c : issue.comments) {
    in.value("comment", c.id);
    user_list_entry(in, c.author);
    in.value("body_adf", c.body_adf);
    in.value("body_text", c.body_text);
    in.value("created_ms", std::to_string(c.created_ms));
    in.value("updated_ms", std::to_string(c.updated_ms));
  }
  in.value("links", std::to_string(issue.links.size()));
  for (const JiraIssueLink& l : issue.links) {
    in.value("link", l.id);
    in.value("type", l.type_name);
    in.value("direction", l.direction);
    in.value("label", l.label);
    in.value("other_id", l.other_id);
    in.value("other_key", l.other_key);
  }
  in.value("subtasks", std::to_string(issue.subtasks.size()));
  for (const JiraSubtaskRef& s : issue.subtasks) {
    in.value("subtask", s.id);
    in.value("key", s.key);
  }
  in.value("attachments", std::to_string(issue.attachments.size()));
  for (const JiraAttachment& a : issue.attachments) {
    in.value("attachment", a.id);
    in.value("filename", a.filename);
    in.value("mime_type", a.mime_type);
    in.value("size", std::to_string(a.size_bytes));
    in.value("created_ms", std::to_string(a.created_ms));
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
  return sha256_hex(in.text());
}

std::string legacy_content_hash(const JiraIssue& issue) {
  HashInput in("jirasync-content-v1;");
  hash_v1_members(in, issue);
  return sha256_hex(in.text());
}

std::string significant_hash(const JiraIssue& issue) {
  HashInput in("jirasync-significant-v1;");
  in.value("summary", issue.summary);
  in.value("description_text", issue.description_text);
  in.value("issue_type", issue.issue_type);
  return sha256_hex(in.text());
}

}  // namespace jirasync
