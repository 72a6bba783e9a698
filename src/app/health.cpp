// Readiness for load balancers and orchestrators (SPEC §8): the database answers a read
// and every migration this binary knows has been applied.
#include "app/app.h"
#include "store/db.h"
#include "store/migrations.h"

namespace tj {

int App::latest_migration() {
  int latest = 0;
  for (const auto* m = migrations::kSqlite; m->name; ++m) latest = std::max(latest, m->number);
  return latest;
}

Result<json> App::readiness() {
  int applied = -1;
  Status st = store_.read([&](Tx& tx) -> Status {
    applied = int(tx.conn().scalar("SELECT COALESCE(MAX(number),0) FROM schema_migrations"));
    return ok_status();
  });
  if (!st.ok()) return Error{Err::Unavailable, "database_unavailable", "the database does not answer: " + st.error().message};
  const int want = latest_migration();
  if (applied < want)
    return Error{Err::Unavailable, "migrations_pending",
                 "schema version " + std::to_string(applied) + " of " + std::to_string(want) + ": run tiejun migrate"};
  return json{{"status", "ready"}, {"schema_version", applied}};
}

}  // namespace tj
