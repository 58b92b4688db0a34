#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "common/store/database.hpp"

namespace jirasync {

struct DeferredIndexBuild {
  int built = 0;
  int64_t ms = 0;
};

// Builds the indexes a replay deferred (deferred_indexes.hpp) on the replay's
// connections at once, each taking the next waiting index (the full-text ones
// first), and prints a line per index to `out`.
DeferredIndexBuild build_deferred_indexes_on(
    const std::vector<std::shared_ptr<Database>>& connections, std::FILE* out);

}  // namespace jirasync
