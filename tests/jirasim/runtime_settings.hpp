#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "tests/jirasim/sim_issue.hpp"

namespace jirasim {

// What a nextPageToken points at. Jira does not document its behaviour when
// results change between pages; `kKeyset` resumes after the last issue served
// (issues edited meanwhile move behind it), `kOffset` resumes at a position in
// the result set as it is when the page is asked for, so an edit or deletion
// shifts later issues back (JRASERVER-69860).
enum class PageTokenMode { kKeyset, kOffset };
const char* to_string(PageTokenMode mode);
// "keyset" or "offset"; throws std::invalid_argument naming the value.
PageTokenMode page_token_mode_from(std::string_view text);

// Changes the simulator makes to one project after every search/jql page it
// serves, so tests can change Jira between pages without racing the client.
struct PageMutations {
  std::string project;  // "" = off
  int edits = 0;
  int creates = 0;
  int deletes = 0;
  bool enabled() const { return !project.empty() && edits + creates + deletes > 0; }
};

// Settings the control API may change while the simulator runs.
class RuntimeSettings {
 public:
  std::string default_zone() const;
  void set_default_zone(std::string zone);
  // The account zone of a user: a run-time override, else the user's own, else the default.
  std::string zone_of(const SimUser& user) const;
  void set_user_zone(const std::string& account_id, std::string zone);
  void clear_user_zones();

  bool legacy_search() const;
  void set_legacy_search(bool on);

  std::string base_url() const;
  void set_base_url(std::string url);

  PageTokenMode page_token_mode() const;
  void set_page_token_mode(PageTokenMode mode);

  PageMutations page_mutations() const;
  void set_page_mutations(PageMutations mutations);

 private:
  mutable std::mutex mu_;
  std::string default_zone_ = "UTC";
  std::map<std::string, std::string> user_zones_;
  bool legacy_search_ = false;
  std::string base_url_;
  PageTokenMode page_token_mode_ = PageTokenMode::kKeyset;
  PageMutations page_mutations_;
};

}  // namespace jirasim
