#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>

#include "common/store/database.hpp"

namespace jirasync {

// Runs `work` in one write transaction under the database lock. Bad input
// (std::invalid_argument) and DatabaseError pass through; anything else
// becomes a DatabaseError saying what was being `doing`.
template <typename Work>
auto in_write_transaction(Database& db, const std::string& doing, Work work) -> decltype(work()) {
  auto lock = db.lock();
  try {
    WriteTransaction tx(db);
    if constexpr (std::is_void_v<decltype(work())>) {
      work();
      tx.commit();
    } else {
      auto result = work();
      tx.commit();
      return result;
    }
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    db.fail(doing, e);
  }
}

}  // namespace jirasync
