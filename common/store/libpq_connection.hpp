#pragma once

#include <libpq-fe.h>

namespace soci {
class session;
}

namespace jirasync {

// The libpq connection under a SOCI PostgreSQL session: the one place that
// reaches into SOCI's backend (its public but undocumented `conn_`), so a
// SOCI upgrade that moves it breaks here and in libpq_connection_test.cpp,
// nowhere else. The connection stays the session's: use it only while holding
// the session (Database::lock()), never close it. Throws std::logic_error for
// a session that is not connected or not on PostgreSQL.
PGconn* libpq_connection(soci::session& session);

}  // namespace jirasync
