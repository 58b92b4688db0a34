#pragma once

#include <cstdint>
#include <string>

namespace jirasync {

// The id listing of a split incremental sync: issues of `project` updated at
// or after `since_ms` (0 = all) with a key after `after_key` ("" = from the
// start), in key order. `updated` only grows, so an issue edited while the
// listing pages stays in the set; keys are a keyset (see sweep_jql).
std::string changed_listing_jql(const std::string& project, int64_t since_ms,
                                const std::string& after_key);

}  // namespace jirasync
