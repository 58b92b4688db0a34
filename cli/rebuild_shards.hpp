#pragma once

#include <cstddef>
#include <string_view>

namespace jirasync {

// Which of `shards` database connections rebuilds a ticket (`jirasync
// replay` writes over several at once on PostgreSQL): every record of one
// ticket goes to the same connection, so a ticket's records are still applied
// in topic order and no two connections write the same rows. Stable across
// runs and platforms (FNV-1a of the id); `shards` >= 1.
size_t rebuild_shard(std::string_view ticket_id, size_t shards);

}  // namespace jirasync
