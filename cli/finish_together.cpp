#include "cli/finish_together.hpp"

#include <exception>

namespace jirasync {

void finish_together(const std::function<void()>& here, std::vector<std::future<void>>& others) {
  std::exception_ptr failed;
  try {
    here();
  } catch (...) {
    failed = std::current_exception();
  }
  for (auto& f : others) {
    try {
      f.get();
    } catch (...) {
      if (!failed) failed = std::current_exception();
    }
  }
  if (failed) std::rethrow_exception(failed);
}

}  // namespace jirasync
