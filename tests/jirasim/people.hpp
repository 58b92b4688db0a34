#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tests/jirasim/sim_issue.hpp"

namespace jirasim {

// Everyone the simulator knows: the configured users who may log in (Basic
// email:token) and generated personas who only appear as assignees/reporters.
class People {
 public:
  People(std::vector<SimUser> login_users, uint64_t seed, int personas = 24);

  // The user of an `Authorization: Basic base64(email:token)` header, or
  // nullptr for anything else (missing, malformed, unknown, wrong token).
  const SimUser* authenticate(std::string_view authorization) const;
  const SimUser* find(std::string_view account_id) const;
  // accountId for an accountId, email or display name used in JQL; "" if unknown.
  std::string resolve(const std::string& who) const;

  const std::vector<SimUser>& everyone() const { return users_; }
  // Account ids the generator assigns issues to (login users first).
  const std::vector<std::string>& assignable() const { return assignable_; }

 private:
  std::vector<SimUser> users_;
  std::vector<std::string> assignable_;
  std::unordered_map<std::string, size_t> by_account_;
  size_t login_count_ = 0;
};

// Decodes standard base64; returns false on malformed input.
bool base64_decode(std::string_view in, std::string& out);

}  // namespace jirasim
