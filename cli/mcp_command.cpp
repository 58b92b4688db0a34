#include "cli/mcp_command.hpp"

#include <unistd.h>
#include <ext/stdio_filebuf.h>

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <spdlog/spdlog.h>
#include "cli/refresh_runner.hpp"
#include "common/clock/clock.hpp"

#include "common/log/logging.hpp"
#include "common/store/sql_change_feed.hpp"
#include "common/store/sql_issue_documents.hpp"
#include "common/store/sql_issue_search.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "common/store/ticket_queries.hpp"
#include "common/templates/template_catalog.hpp"
#include "services/api/api_context.hpp"
#include "services/api/mcp/mcp_resources.hpp"
#include "services/api/mcp/mcp_session.hpp"
#include "services/api/mcp/mcp_stdio_transport.hpp"
#include "services/api/mcp/mcp_tools.hpp"

namespace jirasync {
namespace {

constexpr int64_t kRefreshBudgetMs = 60'000;

// Refreshes for the local user: the same path as `jirasync refresh` (a
// refresh run per project, in this process on the in-process bus or through
// the services on Kafka), waited for, so the run has ended when the tool answers.
class CliSyncRequests final : public SyncRequests {
 public:
  explicit CliSyncRequests(CliContext& ctx) : ctx_(ctx) {}
  Started request(const std::string& project, JobKind kind, const std::vector<std::string>& keys,
                  const std::string&) override {
    if (kind != JobKind::kRefresh || keys.empty()) {
      throw std::runtime_error("only refreshes of issues are offered here; use `jirasync sync`");
    }
    std::vector<RefreshTarget> targets;
    for (const std::string& key : keys) {
      const auto cached = ctx_.ticket_queries().find_by_key(key);
      targets.push_back({key, cached ? cached->id : "", project});
    }
    const RefreshOutcome outcome = refresh_tickets(ctx_, targets, kRefreshBudgetMs, false);
    if (outcome.runs.empty()) {
      throw std::runtime_error(outcome.problem.empty() ? "no refresh run started"
                                                       : outcome.problem);
    }
    return {outcome.runs.front().id, project, true};
  }

 private:
  CliContext& ctx_;
};

int serve(CliContext& ctx) {
  // Whatever a library might print must not corrupt the protocol stream:
  // the protocol gets its own copy of stdout, and fd 1 becomes stderr.
  std::fflush(stdout);
  const int protocol_fd = ::dup(STDOUT_FILENO);
  if (protocol_fd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    throw std::runtime_error("cannot set up stdout for the protocol");
  }
  __gnu_cxx::stdio_filebuf<char> protocol_buf(protocol_fd, std::ios::out);
  std::ostream protocol(&protocol_buf);

  const Config& config = ctx.config();
  SystemClock clock;
  SqlIssueSearch search(ctx.database());
  SqlChangeFeed changes(ctx.database());
  SqlTicketFreshness freshness(ctx.database());
  SqlIssueDocuments documents(ctx.database());
  const TemplateCatalog templates(config.templates);
  CliSyncRequests sync(ctx);
  ApiContext api{
      config,    clock,      search,    changes, ctx.ticket_queries(), ctx.local_data(), freshness,
      documents, ctx.runs(), templates, sync};
  McpTools tools(api);
  McpResources resources(api);
  McpSession session(tools, resources, ApiScope::kAdmin);  // the local user owns the cache
  const auto log = get_logger("mcp");
  log->info("serving MCP {} on stdio", kMcpProtocolVersion);
  serve_mcp_stdio(session, std::cin, protocol);
  log->info("stdin closed, stopping");
  return 0;
}

}  // namespace

void add_mcp_command(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  auto* cmd = app.add_subcommand(
      "mcp",
      "Serve the cache to AI assistants: an MCP server (2025-06-18) on stdin/stdout. Tools: "
      "search_issues, get_issue, list_changes, list_templates, sync_status, refresh_issue; "
      "resources jira://issue/KEY. Logs go to stderr.");
  // `jirasync mcp --config FILE` as well as `jirasync --config FILE mcp`:
  // assistants' configs list the arguments either way.
  cmd->fallthrough();
  commands.push_back({cmd, [&ctx] { return serve(ctx); }});
}

}  // namespace jirasync
