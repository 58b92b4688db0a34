#include "common/store/sql_webhook_inbox.hpp"

#include "common/store/sql_query.hpp"

namespace jirasync {

SqlWebhookInbox::SqlWebhookInbox(std::shared_ptr<Database> db) : db_(std::move(db)) {}

bool SqlWebhookInbox::accept(const std::string& delivery_id, const std::string& project,
                             const std::string& key, int64_t now_ms) {
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    soci::session& s = db_->session();
    if (!delivery_id.empty()) {
      const int64_t fresh = SqlQuery(
                                "INSERT INTO webhook_deliveries (id, accepted_ms) VALUES (?, ?) "
                                "ON CONFLICT (id) DO NOTHING")
                                .arg(delivery_id)
                                .arg(now_ms)
                                .execute(s);
      if (fresh == 0) {
        tx.commit();
        return false;
      }
    }
    SqlQuery(
        "INSERT INTO webhook_refreshes (project, issue_key, version, queued_ms) "
        "VALUES (?, ?, 1, ?) ON CONFLICT (project, issue_key) DO UPDATE SET "
        "version = webhook_refreshes.version + 1")
        .arg(project)
        .arg(key)
        .arg(now_ms)
        .execute(s);
    tx.commit();
    return true;
  } catch (const std::exception& e) {
    db_->fail("queueing a webhook delivery for " + project, e);
  }
}

std::vector<std::string> SqlWebhookInbox::waiting_projects() {
  auto lock = db_->lock();
  try {
    std::vector<std::string> out;
    for (const SqlRow& row :
         SqlQuery("SELECT project FROM webhook_refreshes GROUP BY project ORDER BY MIN(queued_ms)")
             .fetch(db_->session(), "t")) {
      out.push_back(row.text(0));
    }
    return out;
  } catch (const std::exception& e) {
    db_->fail("listing queued webhook refreshes", e);
  }
}

std::vector<WebhookInbox::QueuedKey> SqlWebhookInbox::queued(const std::string& project,
                                                             int limit) {
  auto lock = db_->lock();
  try {
    std::vector<QueuedKey> out;
    for (const SqlRow& row :
         SqlQuery("SELECT issue_key, version FROM webhook_refreshes WHERE project = "
                  "? ORDER BY queued_ms, issue_key LIMIT ?")
             .arg(project)
             .arg(limit)
             .fetch(db_->session(), "ti")) {
      out.push_back({row.text(0), row.i64(1)});
    }
    return out;
  } catch (const std::exception& e) {
    db_->fail("reading queued webhook refreshes of " + project, e);
  }
}

void SqlWebhookInbox::remove(const std::string& project, const std::vector<QueuedKey>& taken) {
  if (taken.empty()) return;
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    for (const QueuedKey& k : taken) {
      SqlQuery("DELETE FROM webhook_refreshes WHERE project = ? AND issue_key = ? AND version = ?")
          .arg(project)
          .arg(k.key)
          .arg(k.version)
          .execute(db_->session());
    }
    tx.commit();
  } catch (const std::exception& e) {
    db_->fail("removing taken webhook refreshes of " + project, e);
  }
}

void SqlWebhookInbox::forget_deliveries(int64_t before_ms) {
  auto lock = db_->lock();
  try {
    SqlQuery("DELETE FROM webhook_deliveries WHERE accepted_ms < ?")
        .arg(before_ms)
        .execute(db_->session());
  } catch (const std::exception& e) {
    db_->fail("forgetting old webhook deliveries", e);
  }
}

}  // namespace jirasync
