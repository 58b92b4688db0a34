#include "common/log/secret_redactor.hpp"

#include <algorithm>
#include <mutex>

#include "common/log/base64.hpp"
#include "common/log/credential_patterns.hpp"
#include "common/url/percent_encoding.hpp"

namespace jirasync {
namespace {

void replace_all(std::string& text, const std::string& secret) {
  size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), SecretRedactor::kMask);
    pos += SecretRedactor::kMask.size();
  }
}

}  // namespace

void SecretRedactor::add_secret(std::string_view secret) {
  if (secret.empty()) return;
  std::unique_lock lock(mutex_);
  add_locked(std::string(secret));
  std::string encoded = percent_encode(secret);
  if (encoded != secret) add_locked(std::move(encoded));
}

void SecretRedactor::add_basic_auth(std::string_view user, std::string_view token) {
  if (token.empty()) return;
  add_secret(token);
  std::string credentials(user);
  credentials += ':';
  credentials += token;
  std::unique_lock lock(mutex_);
  add_locked(base64_encode(credentials));
}

void SecretRedactor::add_locked(std::string secret) {
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
  secrets_.push_back(std::move(secret));
  std::stable_sort(secrets_.begin(), secrets_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void SecretRedactor::clear() {
  std::unique_lock lock(mutex_);
  secrets_.clear();
}

std::string SecretRedactor::redact(std::string_view text) const {
  std::string out(text);
  {
    std::shared_lock lock(mutex_);
    for (const std::string& secret : secrets_) replace_all(out, secret);
  }
  mask_credential_patterns(out);
  return out;
}

SecretRedactor& SecretRedactor::process() {
  static SecretRedactor redactor;
  return redactor;
}

std::string scrub_secret(std::string_view text, std::string_view secret) {
  SecretRedactor one;
  one.add_secret(secret);
  return one.redact(text);
}

std::string redact(std::string_view text) {
  return SecretRedactor::process().redact(text);
}

}  // namespace jirasync
