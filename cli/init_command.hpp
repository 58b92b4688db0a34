#pragma once

#include <string>
#include <vector>

namespace jirasync {

struct InitRequest {
  std::string site;   // asked for on a terminal when empty
  std::string email;  // asked for on a terminal when empty
  std::vector<std::string> projects;
  std::string output = "jirasync.yaml";
  bool force = false;
};

// `jirasync init`: writes a config for the embedded single-user mode (one
// process, SQLite next to the file) from a site URL, an e-mail and project
// keys, asking on a terminal for what the flags left out. The API token is
// never written (the loader refuses it in a file): it stays in
// JIRA_API_TOKEN or JIRA_API_TOKEN_FILE. Throws CLI::ValidationError naming
// the flag for bad or missing input (exit 2); returns 1 when the file exists
// and --force is not given, 0 when written.
int init_command(InitRequest request);

}  // namespace jirasync
