#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <cstddef>

namespace jirasync {

// How many connections a listener may hold: `configured`, lowered when
// RLIMIT_NOFILE is small so that the process keeps descriptors for everything
// else it opens (Kafka, the database, its own clients): at most the soft limit
// less 64, or half of it when that is more (256 -> 192, 100 -> 50). At least 1.
// Header-only so the Jira simulator can share it.
inline std::size_t connection_cap(std::size_t configured) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return std::max<std::size_t>(configured, 1);
  }
  const auto soft = static_cast<std::size_t>(limit.rlim_cur);
  const std::size_t reserve = std::min<std::size_t>(64, soft / 2);
  return std::max<std::size_t>(std::min(configured, soft - reserve), 1);
}

}  // namespace jirasync
