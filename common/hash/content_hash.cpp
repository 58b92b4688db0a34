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

}  // namespace

std::string content_hash(const JiraIssue& issue) {
  HashInput in("jirasync-content-v1;");
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
