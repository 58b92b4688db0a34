#pragma once

#include <string>
#include <vector>

#include "common/config/config.hpp"

namespace jirasync {

// The sync scope of each project (ProjectSettings::jql): the JQL every search
// the fetcher sends for the project ANDs in. Installed once where a process
// that fetches is wired up (before its fetcher starts), read by the query
// builders (fetch_query.hpp, listing_query.hpp), so what a run sends follows
// the configuration without the run having to carry it.
void install_sync_scopes(const std::vector<ProjectSettings>& projects);
// The project's scope, "" for the whole project.
std::string sync_scope_of(const std::string& project);
// " AND (<scope>)", or "" for the whole project.
std::string scope_clause(const std::string& project);

}  // namespace jirasync
