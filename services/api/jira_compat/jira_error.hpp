#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/http/http_route.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// Jira's error shape (ErrorCollection), which Jira clients parse:
//   {"errorMessages": ["..."], "errors": {"field": "..."}}
RouteResponse jira_error(int status, const std::vector<std::string>& messages,
                         const std::map<std::string, std::string>& errors = {});

class JqlError;

// A JQL error's message for a Jira client: Jira's wording, with the CLI's
// advice (--source live) replaced by asking Jira.
std::string jira_jql_message(const JqlError& error);

// Wraps a Jira route's handler so what it throws answers in Jira's shape:
// std::invalid_argument, JqlError and a bad body (PayloadError) 400, anything else 500 without
// detail (the log has it). The router's own shape is for /api/v1.
ApiHandler jira_handler(ApiHandler handler);

}  // namespace jirasync
