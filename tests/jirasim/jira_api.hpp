#pragma once

#include <string>

#include "tests/jirasim/fault_injector.hpp"
#include "tests/jirasim/http_types.hpp"
#include "tests/jirasim/issue_renderer.hpp"
#include "tests/jirasim/issue_search.hpp"
#include "tests/jirasim/issue_store.hpp"
#include "tests/jirasim/page_token.hpp"
#include "tests/jirasim/people.hpp"
#include "tests/jirasim/request_target.hpp"
#include "tests/jirasim/runtime_settings.hpp"

namespace jirasim {

// The Jira Cloud REST endpoints the simulator serves, for an authenticated user.
class JiraApi {
 public:
  JiraApi(const IssueStore& store, const People& people, const IssueRenderer& renderer,
          IssueSearch& search, const PageTokenCodec& tokens, const RuntimeSettings& settings,
          FaultInjector& faults)
      : store_(store),
        people_(people),
        renderer_(renderer),
        search_(search),
        tokens_(tokens),
        settings_(settings),
        faults_(faults) {}

  // The route template counters use, e.g. "GET /rest/api/3/issue/{issueIdOrKey}".
  static std::string endpoint_of(http::verb method, const std::string& path);

  HttpResponse handle(const HttpRequest& req, const RequestTarget& target, const SimUser& user);

 private:
  struct Caller {
    const SimUser& user;
    RenderContext render;
  };

  std::string search_jql(const HttpRequest& req, const RequestTarget& target, const Caller& c);
  std::string legacy_search(const HttpRequest& req, const RequestTarget& target, const Caller& c);
  std::string get_issue(const std::string& id_or_key, const RequestTarget& target, const Caller& c);
  std::string bulk_fetch(const HttpRequest& req, const Caller& c);
  std::string approximate_count(const HttpRequest& req, const Caller& c);
  std::string parse_jql(const HttpRequest& req, const RequestTarget& target);
  std::string myself(const Caller& c);
  std::vector<std::string> unknown_project_warnings(const std::string& structure) const;
  std::string server_info(const Caller& c);
  std::string project_search(const RequestTarget& target, const Caller& c);

  const IssueStore& store_;
  const People& people_;
  const IssueRenderer& renderer_;
  IssueSearch& search_;
  const PageTokenCodec& tokens_;
  const RuntimeSettings& settings_;
  FaultInjector& faults_;
};

// Jira's answer on the removed search endpoints (CHANGE-2046).
extern const char* const kSearchRemovedMessage;

}  // namespace jirasim
