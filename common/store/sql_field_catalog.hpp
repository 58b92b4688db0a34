#pragma once

#include <memory>

#include "common/jql/sql_compiler.hpp"
#include "common/store/database.hpp"
#include "common/store/field_catalog.hpp"

namespace jirasync {

// FieldCatalog on the jira_fields table (migration 15). Every call holds the
// Database lock.
class SqlFieldCatalog final : public FieldCatalog {
 public:
  explicit SqlFieldCatalog(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  void replace_all(const std::vector<CatalogField>& fields, int64_t fetched_ms) override;
  std::vector<CatalogField> all() override;
  std::optional<int64_t> fetched_ms() override;

 private:
  std::shared_ptr<Database> db_;
};

// The custom fields of `catalog`, as JqlContext::custom_fields wants them.
std::vector<CustomFieldName> custom_field_names(FieldCatalog& catalog);

// A JqlContext::custom_fields that reads the stored field list of `db` (when a
// query names a field the compiler does not know).
std::function<std::vector<CustomFieldName>()> stored_custom_fields(std::shared_ptr<Database> db);

}  // namespace jirasync
