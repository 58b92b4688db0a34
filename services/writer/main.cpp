// jirasync-writer: applies decisions to the cache, one transaction per batch.
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include "common/clock/clock.hpp"
#include "common/service/service_process.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_decision_sink.hpp"
#include "services/writer/writer.hpp"

int main(int argc, char** argv) {
  using namespace jirasync;
  ServiceProcess process(argc, argv, "jirasync-writer",
                         "Consumes decisions from issues.decided and applies them to the ticket "
                         "cache, storing the consumed offsets in the same database transaction. "
                         "Runs the schema migrations at start.");
  return process.run([&](const std::atomic<bool>& stop) {
    if (process.config().bus == BusKind::kInProcess) {
      spdlog::warn("writer: bus 'inprocess' reaches no other process; use `jirasync run`");
    }
    SystemClock clock;
    auto db = process.open_database();
    const int migrated = migrate(*db);
    spdlog::info("writer: database {} ready ({} migrations applied)", db->redacted_url(), migrated);
    SqlDecisionSink store(db, process.config().notifications.mass_delete_share);
    auto bus = process.open_bus();
    Writer writer(WriterSettings::from(process.config()), *bus, store, clock, process.registry());
    writer.run(stop);
  });
}
