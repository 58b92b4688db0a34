#include "services/api/api_keys_sql.hpp"

#include "common/store/database.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

void SqlApiKeyStore::insert(const ApiKeyRecord& record) {
  auto lock = db_->lock();
  int64_t inserted = 0;
  try {
    inserted = SqlQuery(
                   "INSERT INTO api_keys (name, scope, key_hash, prefix, created_ms) "
                   "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")
                   .arg(record.name)
                   .arg(std::string(to_string(record.scope)))
                   .arg(record.key_hash)
                   .arg(record.prefix)
                   .arg(record.created_ms)
                   .execute(db_->session());
  } catch (const std::exception& e) {
    db_->fail("storing API key " + record.name, e);
  }
  if (inserted == 0) {
    throw ApiKeyError("name: an API key named '" + record.name +
                      "' exists already (revoked keys keep their name); choose another");
  }
}

std::vector<ApiKeyRecord> SqlApiKeyStore::list() {
  auto lock = db_->lock();
  try {
    std::vector<ApiKeyRecord> out;
    for (const SqlRow& row :
         SqlQuery("SELECT name, scope, key_hash, prefix, created_ms, revoked_ms, last_used_ms "
                  "FROM api_keys ORDER BY name")
             .fetch(db_->session(), "ttttiii")) {
      ApiKeyRecord r;
      r.name = row.text(0);
      r.scope = row.text(1) == "admin" ? ApiScope::kAdmin : ApiScope::kRead;
      r.key_hash = row.text(2);
      r.prefix = row.text(3);
      r.created_ms = row.i64(4);
      r.revoked_ms = row.opt_i64(5);
      r.last_used_ms = row.opt_i64(6);
      out.push_back(std::move(r));
    }
    return out;
  } catch (const std::exception& e) {
    db_->fail("listing API keys", e);
  }
}

bool SqlApiKeyStore::revoke(const std::string& name, int64_t now_ms) {
  auto lock = db_->lock();
  try {
    return SqlQuery("UPDATE api_keys SET revoked_ms = ? WHERE name = ? AND revoked_ms IS NULL")
               .arg(now_ms)
               .arg(name)
               .execute(db_->session()) > 0;
  } catch (const std::exception& e) {
    db_->fail("revoking API key " + name, e);
  }
}

void SqlApiKeyStore::mark_used(const std::string& name, int64_t now_ms) {
  auto lock = db_->lock();
  try {
    SqlQuery("UPDATE api_keys SET last_used_ms = ? WHERE name = ?")
        .arg(now_ms)
        .arg(name)
        .execute(db_->session());
  } catch (const std::exception& e) {
    db_->fail("marking API key " + name + " used", e);
  }
}

}  // namespace jirasync
