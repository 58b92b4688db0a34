#include "tests/jirasim/people.hpp"

#include <openssl/crypto.h>

#include <cstdio>

#include "tests/jirasim/sim_random.hpp"

namespace jirasim {

namespace {

// Names from several scripts: connectors that assume Latin-1 display names break here.
constexpr const char* kPersonaNames[] = {
    "Mia Krystof", "Иван Петров",     "田中 太郎",      "李娜",
    "José García", "Zoë Müller",      "Ahmed Al-Farsi", "Ольга Смирнова",
    "佐藤 花子",   "Łukasz Nowak",    "Priya Raman",    "Søren Kierkegaard",
    "王伟",        "Chloé Dubois",    "Kwame Mensah",   "Анна Кузнецова",
    "김민준",      "Mateus Oliveira", "Fatma Yılmaz",   "Liam O'Brien",
    "鈴木 一郎",   "Nguyễn Văn An",   "Emma Schmidt 🚀", "Dmitri Volkov"};

constexpr const char* kPersonaZones[] = {"Australia/Sydney",   "Europe/Moscow",    "Asia/Tokyo",
                                         "Asia/Shanghai",      "Europe/Madrid",    "Europe/Berlin",
                                         "Asia/Dubai",         "America/New_York", "UTC",
                                         "America/Los_Angeles"};

std::string hex_account_id(uint64_t a, uint64_t b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%012llx%012llx",
                static_cast<unsigned long long>(a & 0xffffffffffffULL),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool equal_secret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool base64_decode(std::string_view in, std::string& out) {
  out.clear();
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = b64_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return true;
}

People::People(std::vector<SimUser> login_users, uint64_t seed, int personas) {
  users_ = std::move(login_users);
  login_count_ = users_.size();
  for (int i = 0; i < personas; ++i) {
    SimUser u;
    uint64_t h = mix(seed, 0x5e0, static_cast<uint64_t>(i));
    // Both shapes of Cloud account ids: legacy 24-hex and "712020:<uuid-ish>".
    u.account_id =
        (i % 3 == 2) ? "712020:" + hex_account_id(h, mix(h, 1)) : hex_account_id(h, mix(h, 2));
    u.display_name = kPersonaNames[i % std::size(kPersonaNames)];
    u.email = "persona" + std::to_string(i + 1) + "@example.com";
    u.time_zone = kPersonaZones[i % std::size(kPersonaZones)];
    users_.push_back(std::move(u));
  }
  for (size_t i = 0; i < users_.size(); ++i) {
    by_account_.emplace(users_[i].account_id, i);
    assignable_.push_back(users_[i].account_id);
  }
}

const SimUser* People::authenticate(std::string_view authorization) const {
  constexpr std::string_view kBasic = "Basic ";
  if (authorization.size() <= kBasic.size() || authorization.substr(0, kBasic.size()) != kBasic) {
    return nullptr;
  }
  std::string decoded;
  if (!base64_decode(authorization.substr(kBasic.size()), decoded)) return nullptr;
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return nullptr;
  std::string email = decoded.substr(0, colon);
  std::string token = decoded.substr(colon + 1);
  for (size_t i = 0; i < login_count_; ++i) {
    const SimUser& u = users_[i];
    if (u.email == email && equal_secret(u.api_token, token)) return &u;
  }
  return nullptr;
}

const SimUser* People::find(std::string_view account_id) const {
  auto it = by_account_.find(std::string(account_id));
  return it == by_account_.end() ? nullptr : &users_[it->second];
}

std::string People::resolve(const std::string& who) const {
  if (find(who) != nullptr) return who;
  for (const SimUser& u : users_) {
    if (u.email == who || u.display_name == who) return u.account_id;
  }
  return "";
}

}  // namespace jirasim
