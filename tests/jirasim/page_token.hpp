#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tests/jirasim/sim_issue.hpp"

namespace jirasim {

// Where the next page starts: the last issue served, as it sorted then.
struct PagePosition {
  uint64_t query_hash = 0;  // the JQL the token belongs to
  SimIssue last;            // sortable fields only (custom ones the query orders by)
  uint64_t offset = 0;      // issues served before the next page (PageTokenMode::kOffset)
};

// nextPageToken: opaque, signed with a per-run secret so a tampered or foreign
// token is refused (400) instead of silently restarting at page one. It holds
// a position in the ORDER BY sequence, not a snapshot: issues changed between
// pages move, deleted ones vanish, as in Jira.
class PageTokenCodec {
 public:
  explicit PageTokenCodec(std::string secret) : secret_(std::move(secret)) {}

  std::string encode(const PagePosition& position) const;
  std::optional<PagePosition> decode(std::string_view token) const;

 private:
  std::string mac(std::string_view payload) const;
  std::string secret_;
};

uint64_t hash_text(std::string_view text);

}  // namespace jirasim
