#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/issue_search.hpp"

namespace jirasync {

// Runs compile_jql()'s SQL on the cache: binds its parameters, adds the
// keyset condition and LIMIT, reads the rows. The query text holds no input.
class SqlIssueSearch final : public IssueSearch {
 public:
  explicit SqlIssueSearch(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  IssueSearchPage search(const JqlQuery& query, const JqlContext& context, int limit,
                         const std::string& after) override;
  int64_t count(const JqlQuery& query, const JqlContext& context) override;
  // Custom field names from the stored field list (read once, and only for a
  // query naming a field the compiler does not know), unless `context` brings
  // its own source.
  JqlContext with_field_list(const JqlContext& context) const override;
  std::vector<CatalogField> stored_fields() override;

  // The statement search() would run, and its parameters (for tests and the
  // benchmark's query plans).
  struct Statement {
    std::string sql;
    std::vector<JqlParam> params;
    size_t sort_columns = 0;
  };
  Statement statement(const JqlQuery& query, const JqlContext& context, int limit,
                      const std::string& after) const;

 private:
  // `context` plus the assignee values no ticket is displayed as.
  JqlContext with_absent_names(const JqlQuery& query, const JqlContext& context) const;
  // `context` plus the date ranges SQLite is to test row by row
  // (JqlContext::unindexed_ranges), for a page of `limit` rows.
  JqlContext with_range_plan(const CompiledJql& compiled, const JqlContext& context,
                             int limit) const;

  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
