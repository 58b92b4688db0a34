#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace jirasync {

struct CliContext;

struct SearchArgs {
  std::string jql;
  std::vector<std::string> fields;  // empty: the default columns
  int limit = 50;
  std::string format = "table";  // table|json|jsonl|csv
  std::string after;             // keyset cursor from a previous page
  // Instead of `jql`: a template (`jirasync templates`) and its parameters.
  std::string template_name;
  std::vector<std::string> params;  // k=v
  std::string source = "cache";     // cache|live|auto (cli/search_sources.hpp)
  std::string budget = "30s";       // auto/live: how long refreshing may take
};

// Adds `search` to `app`; its options fill `args`.
CLI::App* add_search_options(CLI::App& app, SearchArgs& args);

// JQL over the cache (never calls Jira). Exit 0 with the rows; 2 when the JQL,
// a field name or the cursor is wrong (nothing opened); 1 when the database fails.
int search_command(CliContext& ctx, const SearchArgs& args);

}  // namespace jirasync
