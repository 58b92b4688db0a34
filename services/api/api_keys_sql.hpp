#pragma once

#include <memory>

#include "services/api/api_keys.hpp"

namespace jirasync {

class Database;

// ApiKeyStore over the api_keys table, PostgreSQL or SQLite.
class SqlApiKeyStore final : public ApiKeyStore {
 public:
  explicit SqlApiKeyStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  void insert(const ApiKeyRecord& record) override;
  std::vector<ApiKeyRecord> list() override;
  bool revoke(const std::string& name, int64_t now_ms) override;
  void mark_used(const std::string& name, int64_t now_ms) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
