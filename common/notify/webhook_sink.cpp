#include "common/notify/webhook_sink.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/notify/json_post.hpp"

namespace jirasync {

std::string notification_signature(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

WebhookSink::WebhookSink(std::string name, std::string url, std::string secret, int timeout_ms)
    : name_(std::move(name)),
      url_(std::move(url)),
      secret_(std::move(secret)),
      timeout_ms_(timeout_ms) {}

void WebhookSink::deliver(const OutboxEntry& entry) {
  std::map<std::string, std::string> headers = {
      {"X-Jirasync-Event", entry.event_kind},
      {"X-Jirasync-Delivery", std::to_string(entry.id)},
  };
  if (!secret_.empty())
    headers["X-Jirasync-Signature"] = notification_signature(secret_, entry.payload);
  post_json(name_, url_, entry.payload, headers, timeout_ms_);
}

}  // namespace jirasync
