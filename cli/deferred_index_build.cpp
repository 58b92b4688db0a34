#include "cli/deferred_index_build.hpp"

#include "cli/finish_together.hpp"

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <string>

#include "common/store/deferred_indexes.hpp"

namespace jirasync {

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

DeferredIndexBuild build_deferred_indexes_on(
    const std::vector<std::shared_ptr<Database>>& connections, std::FILE* out) {
  DeferredIndexBuild result;
  if (connections.empty()) return result;
  const int64_t started = steady_ms();
  const std::vector<std::string> names = SqlDeferredIndexes(*connections.front()).waiting();
  if (names.empty()) return result;
  std::fprintf(out, "replay: building %zu indexes of the ticket tables over the rows\n",
               names.size());
  std::fflush(out);
  std::atomic<size_t> next{0};
  std::atomic<int> built{0};
  std::mutex printing;
  // Each connection builds one index at a time (PostgreSQL builds an index
  // on one core, B-trees with its own parallel workers besides).
  auto work = [&](Database& db) {
    SqlDeferredIndexes indexes(db);
    for (size_t i = next++; i < names.size(); i = next++) {
      const int64_t t0 = steady_ms();
      if (!indexes.build(names[i])) continue;
      const int n = ++built;
      std::lock_guard<std::mutex> hold(printing);
      std::fprintf(out, "replay: index %d of %zu built: %s (%.1f s)\n", n, names.size(),
                   names[i].c_str(), static_cast<double>(steady_ms() - t0) / 1000.0);
      std::fflush(out);
    }
  };
  std::vector<std::future<void>> others;
  for (size_t c = 1; c < connections.size() && c < names.size(); ++c) {
    others.push_back(std::async(std::launch::async, work, std::ref(*connections[c])));
  }
  finish_together([&] { work(*connections.front()); }, others);
  result.built = built.load();
  result.ms = steady_ms() - started;
  return result;
}

}  // namespace jirasync
