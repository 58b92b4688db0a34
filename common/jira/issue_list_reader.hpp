#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace jirasync {

// One issue of a response: its JSON text exactly as Jira sent it (the
// reconciler validates and hashes it), plus what the fetcher routes and
// orders by, read in the same pass. id, key and updated are "" when absent
// or not strings: such an issue still travels, and the reconciler
// dead-letters it with the reason.
struct IssueText {
  std::string json;
  std::string id;
  std::string key;
  std::string updated;  // fields.updated as sent
  // Why this issue cannot travel as JSON ("JSON nested deeper than 512
  // levels"); `json` is then empty. The rest of the page is still read, and
  // the reconciler dead-letters this issue by id with the reason.
  std::string unreadable;
  // fields.comment as the page showed it: `total` and how many of them the
  // `comments` array lists; -1 when absent or not of that type. Lets the
  // fetcher see that an issue needs no more comment pages without parsing it.
  int64_t comment_total = -1;
  int64_t comments_listed = -1;
  bool operator==(const IssueText&) const = default;
};

// Why a response body cannot be used ("`issues` is not an array").
class IssueListError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The members of a search/jql or bulkfetch response the fetcher reads.
struct IssueList {
  bool has_issues = false;
  std::vector<IssueText> issues;
  std::string next_page_token;  // "" when absent or null
  std::optional<bool> is_last;  // absent: nullopt
  bool has_issue_errors = false;
  std::vector<std::string> error_ids;  // issueErrors[].id, integers as decimal text
};

// Reads a response in one SAX pass without building a document: the page of
// 100 issues with every field is the fetcher's largest cost. Validates the
// whole body (JSON syntax, UTF-8, nesting depth) and the types of the members
// above; throws IssueListError naming the member. Other members are ignored.
// Nesting is capped while parsing (a page is read again with the iterative
// parser only when it holds a too-deep issue), so no input can exhaust the
// stack. An issue nested deeper than kMaxJsonDepth (its own object counting
// as one level) is kept with id, key, updated and `unreadable` set, so one
// such issue never fails its page; nesting that deep outside an issue fails
// the page.
IssueList read_issue_list(const std::string& body);

// The same reading for one issue object on its own (tests, fakes, tools).
IssueText read_issue_text(std::string json);

}  // namespace jirasync
