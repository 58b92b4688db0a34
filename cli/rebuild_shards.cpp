#include "cli/rebuild_shards.hpp"

#include <cstdint>

namespace jirasync {

size_t rebuild_shard(std::string_view ticket_id, size_t shards) {
  if (shards <= 1) return 0;
  uint64_t h = 14695981039346656037ull;
  for (const char c : ticket_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<size_t>(h % shards);
}

}  // namespace jirasync
