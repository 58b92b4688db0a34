#include "tests/jirasim/runtime_settings.hpp"

#include <stdexcept>

namespace jirasim {

std::string RuntimeSettings::default_zone() const {
  std::lock_guard lock(mu_);
  return default_zone_;
}

void RuntimeSettings::set_default_zone(std::string zone) {
  std::lock_guard lock(mu_);
  default_zone_ = std::move(zone);
}

std::string RuntimeSettings::zone_of(const SimUser& user) const {
  std::lock_guard lock(mu_);
  auto it = user_zones_.find(user.account_id);
  if (it != user_zones_.end()) return it->second;
  return user.time_zone.empty() ? default_zone_ : user.time_zone;
}

void RuntimeSettings::set_user_zone(const std::string& account_id, std::string zone) {
  std::lock_guard lock(mu_);
  user_zones_[account_id] = std::move(zone);
}

void RuntimeSettings::clear_user_zones() {
  std::lock_guard lock(mu_);
  user_zones_.clear();
}

bool RuntimeSettings::legacy_search() const {
  std::lock_guard lock(mu_);
  return legacy_search_;
}

void RuntimeSettings::set_legacy_search(bool on) {
  std::lock_guard lock(mu_);
  legacy_search_ = on;
}

std::string RuntimeSettings::base_url() const {
  std::lock_guard lock(mu_);
  return base_url_;
}

void RuntimeSettings::set_base_url(std::string url) {
  std::lock_guard lock(mu_);
  base_url_ = std::move(url);
}

const char* to_string(PageTokenMode mode) {
  return mode == PageTokenMode::kOffset ? "offset" : "keyset";
}

PageTokenMode page_token_mode_from(std::string_view text) {
  if (text == "keyset") return PageTokenMode::kKeyset;
  if (text == "offset") return PageTokenMode::kOffset;
  throw std::invalid_argument("page token mode '" + std::string(text) +
                              "' is neither 'keyset' nor 'offset'");
}

PageTokenMode RuntimeSettings::page_token_mode() const {
  std::lock_guard lock(mu_);
  return page_token_mode_;
}

void RuntimeSettings::set_page_token_mode(PageTokenMode mode) {
  std::lock_guard lock(mu_);
  page_token_mode_ = mode;
}

PageMutations RuntimeSettings::page_mutations() const {
  std::lock_guard lock(mu_);
  return page_mutations_;
}

void RuntimeSettings::set_page_mutations(PageMutations mutations) {
  std::lock_guard lock(mu_);
  page_mutations_ = std::move(mutations);
}

}  // namespace jirasim
