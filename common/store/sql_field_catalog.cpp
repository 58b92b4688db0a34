#include "common/store/sql_field_catalog.hpp"

#include <stdexcept>

#include "common/store/sql_query.hpp"

namespace jirasync {

void SqlFieldCatalog::replace_all(const std::vector<CatalogField>& fields, int64_t fetched_ms) {
  for (const CatalogField& f : fields) {
    if (f.id.empty()) throw std::invalid_argument("field list: a field has no id");
  }
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    soci::session& s = db_->session();
    SqlQuery("DELETE FROM jira_fields").execute(s);
    for (const CatalogField& f : fields) {
      // Jira never lists an id twice; a list that does keeps its last entry.
      SqlQuery("DELETE FROM jira_fields WHERE id = ?").arg(f.id).execute(s);
      SqlQuery("INSERT INTO jira_fields (id, name, custom, fetched_ms) VALUES (?, ?, ?, ?)")
          .arg(f.id)
          .arg(f.name)
          .arg(int64_t{f.custom ? 1 : 0})
          .arg(fetched_ms)
          .execute(s);
    }
    tx.commit();
  } catch (const std::exception& e) {
    db_->fail("storing Jira's field list", e);
  }
}

std::vector<CatalogField> SqlFieldCatalog::all() {
  auto lock = db_->lock();
  try {
    std::vector<CatalogField> out;
    for (const SqlRow& r : SqlQuery("SELECT id, name, custom FROM jira_fields ORDER BY id")
                               .fetch(db_->session(), "tti")) {
      out.push_back({r.text(0), r.text(1), r.flag(2)});
    }
    return out;
  } catch (const std::exception& e) {
    db_->fail("reading Jira's field list", e);
  }
}

std::optional<int64_t> SqlFieldCatalog::fetched_ms() {
  auto lock = db_->lock();
  try {
    const auto row =
        SqlQuery("SELECT MIN(fetched_ms) FROM jira_fields").fetch_one(db_->session(), "i");
    return row ? row->opt_i64(0) : std::nullopt;
  } catch (const std::exception& e) {
    db_->fail("reading Jira's field list", e);
  }
}

std::vector<CustomFieldName> custom_field_names(FieldCatalog& catalog) {
  std::vector<CustomFieldName> out;
  for (const CatalogField& f : catalog.all()) {
    if (f.custom) out.push_back({f.id, f.name});
  }
  return out;
}

std::function<std::vector<CustomFieldName>()> stored_custom_fields(std::shared_ptr<Database> db) {
  return [db = std::move(db)] {
    SqlFieldCatalog catalog(db);
    return custom_field_names(catalog);
  };
}

}  // namespace jirasync
