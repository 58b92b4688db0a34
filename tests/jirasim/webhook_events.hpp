#pragma once

#include "tests/jirasim/issue_renderer.hpp"
#include "tests/jirasim/issue_store.hpp"
#include "tests/jirasim/runtime_settings.hpp"
#include "tests/jirasim/webhook_sender.hpp"

namespace jirasim {

// Turns store changes into Jira's webhook payloads (jira:issue_created,
// jira:issue_updated with its changelog, jira:issue_deleted).
class WebhookEvents {
 public:
  WebhookEvents(const IssueRenderer& renderer, const RuntimeSettings& settings,
                WebhookSender& sender, const jirasync::Clock& clock)
      : renderer_(renderer), settings_(settings), sender_(sender), clock_(clock) {}

  void issue_changed(const IssueChange& change, const std::string& actor_id);

 private:
  const IssueRenderer& renderer_;
  const RuntimeSettings& settings_;
  WebhookSender& sender_;
  const jirasync::Clock& clock_;
};

}  // namespace jirasim
