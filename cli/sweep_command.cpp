#include "cli/sweep_command.hpp"

#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/output_format.hpp"
#include "cli/terminal_text.hpp"
#include "common/store/sweep_holds.hpp"

namespace jirasync {

namespace {

int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string utc(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

int list_holds(CliContext& ctx, bool all, OutputFormat format) {
  const auto holds = list_sweep_holds(*ctx.database(), !all);
  if (format == OutputFormat::kJson) {
    JsonOut j;
    j.begin_array();
    for (const StoredSweepHold& h : holds) {
      j.begin_object()
          .text("project", h.hold.project)
          .text("run_id", h.hold.run_id)
          .number("would_delete", h.hold.would_delete)
          .number("live", h.hold.live)
          .number("held_ms", h.hold.held_ms)
          .text("status", h.status)
          .end_object();
    }
    j.end_array();
    std::printf("%s\n", j.str().c_str());
    return 0;
  }
  std::printf("%-10s %-24s %12s %8s %-19s %s\n", "PROJECT", "RUN", "WOULD DELETE", "LIVE",
              "HELD (UTC)", "STATUS");
  for (const StoredSweepHold& h : holds) {
    std::printf("%-10s %-24s %12lld %8lld %-19s %s\n", printable(h.hold.project).c_str(),
                printable(h.hold.run_id).c_str(), static_cast<long long>(h.hold.would_delete),
                static_cast<long long>(h.hold.live), utc(h.hold.held_ms).c_str(), h.status.c_str());
  }
  if (holds.empty()) std::printf("(no held sweep deletions)\n");
  return 0;
}

int release(CliContext& ctx, const std::string& project) {
  const auto gone = release_sweep_hold(*ctx.database(), project, wall_now_ms());
  if (!gone) {
    std::fprintf(stderr, "jirasync: %s has no held sweep deletion (`jirasync sweep list`)\n",
                 printable(project).c_str());
    return 1;
  }
  std::printf("released the held sweep of %s: %zu ticket(s) marked deleted\n",
              printable(project).c_str(), gone->size());
  return 0;
}

}  // namespace

std::pair<CLI::App*, std::function<int()>> add_sweep_command(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand(
      "sweep",
      "Deletions held by the sweep safety stop (notifications.mass_delete_share): a full sync "
      "that would delete more than that share of a project deletes nothing until released");
  cmd->require_subcommand(1);
  struct Args {
    bool all = false;
    OutputFormat format = OutputFormat::kTable;
    std::string project;
  };
  auto args = std::make_shared<Args>();
  auto* list = cmd->add_subcommand("list", "Held sweep deletions (newest first)");
  list->add_flag("--all", args->all, "also those released or superseded");
  list->add_option_function<std::string>(
          "--format",
          [args](const std::string& f) {
            args->format = f == "json" ? OutputFormat::kJson : OutputFormat::kTable;
          },
          "table|json")
      ->check(CLI::IsMember({"table", "json"}));
  auto* rel = cmd->add_subcommand(
      "release",
      "Apply the project's newest held deletion now (tickets a later sync saw are kept)");
  rel->add_option("project", args->project, "project key")->required();
  return {cmd, [&ctx, args, list, rel]() -> int {
            if (*list) return list_holds(ctx, args->all, args->format);
            if (*rel) return release(ctx, args->project);
            return 2;
          }};
}

}  // namespace jirasync
