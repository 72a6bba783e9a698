// open_store: picks the backend by URL. "postgresql://..." / "postgres://..."
// -> PostgreSQL (src/store/postgres/); "sqlite:PATH" or a bare path -> SQLite.
#include "store/store.h"
#include "common/redact.h"
#include "store/backends.h"
#include "store/postgres/pg.h"

namespace tj {

Result<std::unique_ptr<Store>> open_store(const std::string& url, int readers) { return open_store(url, readers, {}); }

Result<std::unique_ptr<Store>> open_store(const std::string& url, int readers, const std::vector<std::string>& replicas) {
  if (pg::is_postgres_url(url)) {
    for (auto& r : replicas)
      if (!pg::is_postgres_url(r))
        return bad_request("bad_db_url", "a replica must be a postgresql:// URL: " + redact_secrets(r));
    try {
      return pg::make_store(url, readers, replicas);
    } catch (const db::DbError& e) {
      return bad_request("db_open_failed", e.what());
    }
  }
  if (!replicas.empty()) return bad_request("bad_db_url", "read replicas need a PostgreSQL database");
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  return open_sqlite_store(path, readers);
}

}  // namespace tj
