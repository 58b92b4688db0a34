#pragma once

#include <string>

#include "tests/jirasim/issue_renderer.hpp"
#include "tests/jirasim/request_target.hpp"

namespace jirasim {

// GET /rest/api/3/issue/{issueIdOrKey}/comment for an issue the caller may
// see: a PageOfComments {comments, maxResults, total, startAt}. startAt
// (default 0) is an offset; maxResults defaults to 100 and is capped at
// kMaxCommentPage (the answer's maxResults says what was applied); orderBy is
// created, +created or -created. `expand` is accepted and ignored. A bad
// parameter throws ApiError 400 with Jira's kind of message.
inline constexpr int kMaxCommentPage = 100;

std::string comment_page_json(const IssueRenderer& renderer, const SimIssue& issue,
                              const RequestTarget& target, const RenderContext& ctx);

}  // namespace jirasim
