#include "common/store/libpq_connection.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <stdexcept>

#include "common/store/sql_dialect.hpp"

namespace jirasync {

PGconn* libpq_connection(soci::session& session) {
  if (!session.get_backend()) {
    throw std::logic_error("libpq_connection: the SOCI session is not connected");
  }
  // By the dialect, not dynamic_cast: Debian's libsoci exports no typeinfo for
  // its backend classes.
  if (SqlDialect::of(session).backend() != Backend::kPostgres) {
    throw std::logic_error("libpq_connection: the SOCI session is on " +
                           session.get_backend_name() + ", not on PostgreSQL");
  }
  PGconn* conn = static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
  if (!conn) throw std::logic_error("libpq_connection: the SOCI session is not connected");
  return conn;
}

}  // namespace jirasync
