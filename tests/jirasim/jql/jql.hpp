#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/jirasim/sim_issue.hpp"

namespace jirasim::jql {

// Invalid JQL: `message` is what Jira puts in errorMessages[] (e.g.
// "Error in the JQL Query: Expecting ')' but got 'ORDER'. (line 1, character 20)").
class JqlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EvalContext {
  int64_t now_ms = 0;
  std::string account_time_zone = "UTC";  // bare date-times are read in this zone
  std::string current_account_id;
  // Description plain text for ~ on description/text (may be generated on demand).
  std::function<std::string(const SimIssue&)> description_text;
  // Resolves a user name/email/accountId used in JQL to an accountId ("" if unknown).
  std::function<std::string(const std::string&)> resolve_user;
  // Resolves an issue key (current or old) to its id (0 if unknown); used by `parent = KEY`.
  std::function<int64_t(const std::string&)> resolve_issue_key;
};

struct OrderKey {
  std::string field;  // updated|created|key|priority|id
  bool ascending = true;
};

// A parsed query: where-clause plus ORDER BY.
class Query {
 public:
  virtual ~Query() = default;
  virtual bool matches(const SimIssue& issue, const EvalContext& ctx) const = 0;
  virtual const std::vector<OrderKey>& order_by() const = 0;
  // Structure for /rest/api/3/jql/parse (the `structure` object, as JSON text).
  virtual std::string structure_json() const = 0;
};

// The site's custom fields by name: ASCII lower-case name -> "customfield_N".
// A name a system field has stays the system field's (the custom one is cf[N]).
using CustomFieldNames = std::map<std::string, std::string>;

// Throws JqlError.
std::unique_ptr<Query> parse(const std::string& jql, const CustomFieldNames& custom_fields = {});

// Strict weak order from ORDER BY (ties broken by id ascending, like Jira's stable paging).
bool order_less(const std::vector<OrderKey>& keys, const SimIssue& a, const SimIssue& b);

}  // namespace jirasim::jql
