#pragma once

#include <stdexcept>
#include <string>

namespace jirasync {

// Bad input (from Jira, a topic or a user): names the field and what is wrong,
// so the dead-letter record and the log say exactly why.
class PayloadError : public std::runtime_error {
 public:
  PayloadError(std::string field, const std::string& reason)
      : std::runtime_error(field + ": " + reason), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

}  // namespace jirasync
