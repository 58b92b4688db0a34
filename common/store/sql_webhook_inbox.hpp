#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/webhook_inbox.hpp"

namespace jirasync {

// WebhookInbox as the tables webhook_refreshes and webhook_deliveries.
class SqlWebhookInbox final : public WebhookInbox {
 public:
  explicit SqlWebhookInbox(std::shared_ptr<Database> db);

  bool accept(const std::string& delivery_id, const std::string& project, const std::string& key,
              int64_t now_ms) override;
  std::vector<std::string> waiting_projects() override;
  std::vector<QueuedKey> queued(const std::string& project, int limit) override;
  void remove(const std::string& project, const std::vector<QueuedKey>& taken) override;
  void forget_deliveries(int64_t before_ms) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
