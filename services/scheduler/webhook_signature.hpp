#pragma once

#include <string_view>

namespace jirasync {

// Jira Cloud signs a webhook registered with a secret as
// `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`.
enum class WebhookSignature {
  kValid,
  kMalformed,  // not `sha256=` followed by 64 hex digits
  kMismatch,   // well formed, but not the body's HMAC under our secret
};

// Checks `header` (the X-Hub-Signature value) against `body`, byte for byte as
// received. The hex digits may be either case (they name the same bytes; Jira
// sends lower case); the `sha256=` prefix is Jira's and must be exactly that.
// The comparison takes the same time wherever the digests differ.
WebhookSignature verify_webhook_signature(std::string_view secret, std::string_view header,
                                          std::string_view body);

}  // namespace jirasync
