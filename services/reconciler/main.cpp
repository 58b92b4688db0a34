// jirasync-reconciler: decides what each issue snapshot means for the cache.
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include "common/clock/clock.hpp"
#include "common/service/service_process.hpp"
#include "common/store/database.hpp"
#include "common/store/sql_ticket_cache.hpp"
#include "services/reconciler/reconciler.hpp"

int main(int argc, char** argv) {
  using namespace jirasync;
  ServiceProcess process(argc, argv, "jirasync-reconciler",
                         "Consumes issue snapshots from issues.raw, compares them with the cache "
                         "(content hash, Jira updated time, key, local edits and the project's "
                         "conflict strategy) and produces decisions to issues.decided. Malformed "
                         "records go to the dead-letter topic.");
  return process.run([&](const std::atomic<bool>& stop) {
    if (process.config().bus == BusKind::kInProcess) {
      spdlog::warn("reconciler: bus 'inprocess' reaches no other process; use `jirasync run`");
    }
    SystemClock clock;
    // The writer owns the schema (it migrates at start); the reconciler only reads.
    SqlTicketCache store(process.open_database());
    auto bus = process.open_bus();
    Reconciler reconciler(ReconcilerSettings::from(process.config()), *bus, store, clock,
                          process.registry());
    reconciler.run(stop);
  });
}
