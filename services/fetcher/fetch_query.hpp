#pragma once

#include <cstdint>
#include <string>

namespace jirasync {

// JQL the fetcher sends. Times are epoch milliseconds, never a bare date-time:
// Jira reads a bare date-time in the account's time zone.
//
// A project with a sync scope (sync_scope.hpp) has it ANDed in, in
// parentheses, by every builder here and in listing_query.hpp.
//
// Every page is a fresh query anchored on the last value read, never a
// nextPageToken followed across a changing result set (Jira does not document
// what a token does then, and offset-like shifting loses issues).
std::string quote_jql(const std::string& value);
// Issues of `project` updated at or after `since_ms` (0 = all), oldest first;
// ties in a stable order.
std::string updated_since_jql(const std::string& project, int64_t since_ms);
// Every issue of `project` with a key after `after_key` ("" = from the
// start), in key order, for the id sweep. Keys within one project compare by
// number, and a key is never reused, so the listing is a keyset.
std::string sweep_jql(const std::string& project, const std::string& after_key = "");

}  // namespace jirasync
