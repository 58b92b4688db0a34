#include "common/log/secret_redactor.hpp"

#include <algorithm>
#include <mutex>

#include "common/log/base64.hpp"
#include "common/log/credential_patterns.hpp"

namespace jirasync {
namespace {

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

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
  std::string encoded = percent_encoded(secret);
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

std::string redact(std::string_view text) {
  return SecretRedactor::process().redact(text);
}

}  // namespace jirasync
