#include "tests/jirasim/page_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vector>

namespace jirasim {

namespace {

constexpr char kSep = '\x1f';
constexpr size_t kMacBytes = 12;
constexpr const char* kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64url_encode(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

bool b64url_decode(std::string_view in, std::string& out) {
  out.clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const char* p = std::char_traits<char>::find(kAlphabet, 64, c);
    if (p == nullptr) return false;
    acc = (acc << 6) | static_cast<uint32_t>(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return true;
}

std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  while (true) {
    size_t p = s.find(kSep);
    out.emplace_back(s.substr(0, p));
    if (p == std::string_view::npos) break;
    s.remove_prefix(p + 1);
  }
  return out;
}

}  // namespace

uint64_t hash_text(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string PageTokenCodec::mac(std::string_view payload) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), kMacBytes);
}

std::string PageTokenCodec::encode(const PagePosition& p) const {
  const SimIssue& i = p.last;
  std::string payload = "1";
  for (const std::string& part :
       {std::to_string(p.query_hash), std::to_string(p.offset), std::to_string(i.id), i.key,
        i.project_key, i.issue_type, i.status, i.status_category, i.priority, i.assignee_id,
        i.reporter_id, i.resolution, std::to_string(i.resolution_ms), std::to_string(i.created_ms),
        std::to_string(i.updated_ms), i.summary}) {
    payload += kSep;
    payload += part;
  }
  // The custom fields the position holds (those the query orders by): id and
  // raw JSON, which has no raw control character to clash with kSep.
  for (const auto& [id, json] : i.custom_fields) {
    payload += kSep;
    payload += id;
    payload += kSep;
    payload += json;
  }
  return b64url_encode(payload + mac(payload));
}

std::optional<PagePosition> PageTokenCodec::decode(std::string_view token) const {
  std::string raw;
  if (token.empty() || token.size() > 4096 || !b64url_decode(token, raw) ||
      raw.size() <= kMacBytes) {
    return std::nullopt;
  }
  std::string_view payload(raw.data(), raw.size() - kMacBytes);
  std::string expected = mac(payload);
  if (CRYPTO_memcmp(expected.data(), raw.data() + payload.size(), kMacBytes) != 0) {
    return std::nullopt;
  }
  std::vector<std::string> f = split(payload);
  if (f.size() < 17 || f.size() % 2 == 0 || f[0] != "1") return std::nullopt;
  try {
    PagePosition p;
    p.query_hash = std::stoull(f[1]);
    p.offset = std::stoull(f[2]);
    SimIssue& i = p.last;
    i.id = std::stoll(f[3]);
    i.key = f[4];
    i.project_key = f[5];
    i.issue_type = f[6];
    i.status = f[7];
    i.status_category = f[8];
    i.priority = f[9];
    i.assignee_id = f[10];
    i.reporter_id = f[11];
    i.resolution = f[12];
    i.resolution_ms = std::stoll(f[13]);
    i.created_ms = std::stoll(f[14]);
    i.updated_ms = std::stoll(f[15]);
    i.summary = f[16];
    for (size_t n = 17; n + 1 < f.size(); n += 2) i.custom_fields[f[n]] = f[n + 1];
    return p;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace jirasim
