#pragma once

#include <optional>
#include <set>
#include <string>

#include "cli/cli_context.hpp"
#include "common/store/change_feed.hpp"
#include "common/time/since_time.hpp"  // parse_since, for --since

namespace jirasync {

struct ChangesRequest {
  std::string since;             // a duration ago ("2h") or a time; "" = see below
  bool since_last_look = false;  // since `viewer` last marked the feed seen
  std::string viewer;            // whose last look ("" = $USER)
  std::string project;
  std::set<ChangeBadge> kinds;
  bool mark_seen = false;
  int limit = 1000;
  OutputFormat format = OutputFormat::kTable;
};

// The viewer a last-look mark belongs to when none is named: $USER, else "default".
std::string default_viewer();

// `jirasync changes`: the change feed with badges.
int changes_command(CliContext& ctx, const ChangesRequest& request);
// `jirasync review TYPE:ID`: acknowledges the review of every linked ticket.
int review_command(CliContext& ctx, const std::string& target);

}  // namespace jirasync
