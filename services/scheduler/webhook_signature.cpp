#include "services/scheduler/webhook_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <optional>

namespace jirasync {
namespace {

constexpr std::string_view kPrefix = "sha256=";
constexpr size_t kDigestBytes = 32;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decoding depends only on what the sender wrote, never on the secret, so its
// early exits leak nothing.
std::optional<std::array<unsigned char, kDigestBytes>> decode_digest(std::string_view hex) {
  if (hex.size() != 2 * kDigestBytes) return std::nullopt;
  std::array<unsigned char, kDigestBytes> digest{};
  for (size_t i = 0; i < kDigestBytes; ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    digest[i] = static_cast<unsigned char>(high << 4 | low);
  }
  return digest;
}

}  // namespace

WebhookSignature verify_webhook_signature(std::string_view secret, std::string_view header,
                                          std::string_view body) {
  if (!header.starts_with(kPrefix)) return WebhookSignature::kMalformed;
  const auto claimed = decode_digest(header.substr(kPrefix.size()));
  if (!claimed) return WebhookSignature::kMalformed;
  std::array<unsigned char, EVP_MAX_MD_SIZE> expected{};
  unsigned int length = 0;
  const bool computed = HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                             reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                             expected.data(), &length) != nullptr;
  if (!computed || length != kDigestBytes) return WebhookSignature::kMismatch;
  // CRYPTO_memcmp: a compare that stops at the first difference would tell a
  // forger how many leading bytes of a guess are right.
  return CRYPTO_memcmp(claimed->data(), expected.data(), kDigestBytes) == 0
             ? WebhookSignature::kValid
             : WebhookSignature::kMismatch;
}

}  // namespace jirasync
