#pragma once

#include <cstdint>
#include <functional>

#include "common/jira/issue_list_reader.hpp"
#include "common/jira/jira_client.hpp"

namespace jirasync {

// A search or bulkfetch returns only the first comments of an issue inline
// (fields.comment: `total` larger than its `comments`). The cache keeps every
// comment, and the reconciler refuses a truncated list, so before the issue
// travels the fetcher pages the rest from GET .../comment and puts the whole
// list in fields.comment ({comments, maxResults, total, startAt} with total =
// the comments it holds). Each page is one request of the run's API budget,
// under the shared rate limit (the caller's `fetch_page` does both).
//
// Only issues whose inline list is short are touched (the others cost one
// substring search, or a parse when they have a comment field); an issue
// whose JSON cannot be read is left for the reconciler to judge. A comment
// added between two pages shifts the offsets: pages are merged by comment
// id; one deleted meanwhile may hide another, which the next change to the
// issue (deleting a comment updates it) brings back.
inline constexpr int kCommentPageSize = 100;  // GET .../comment's default and usual cap

// Returns the requests made (0 when the inline list was complete). Throws
// std::runtime_error when the pages stop making progress before `total`.
int complete_comments(IssueText& issue,
                      const std::function<CommentPage(int64_t start_at)>& fetch_page);

}  // namespace jirasync
