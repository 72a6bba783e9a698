// One function per subcommand; main.cpp only wires them to CLI11.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace tj {
class Store;
}

namespace tj::cli {

// Opens the database and applies pending migrations; null after printing why (admin.cpp).
std::unique_ptr<Store> open_migrated(const std::string& db);
// A command's end that prints a use case's answer: its JSON (indented) and 0, or
// "tiejun: <message>" on stderr and 1 (admin.cpp).
int print_answer(const Result<nlohmann::json>& r);

struct ServeArgs {
  std::string db = "sqlite:tiejun.db";
  std::string listen = "127.0.0.1:8080";
  std::string web_dir;
  int io_threads = 2, workers = 4;
  bool secure_cookies = false;
  std::vector<std::string> db_replicas;  // PostgreSQL streaming replicas for the computed views
  std::string metrics_listen;            // HOST:PORT serving GET /metrics to anyone; empty: none
  // notifications (SPEC §7): links back into Tiejun, the key sealing channel secrets, the delivery worker
  std::string public_url;                // default http://LISTEN/
  std::string secret_key_file;           // default: beside a SQLite database, else ./tiejun-secret.key
  int64_t delivery_give_up_s = 86400;    // retry for this long, then dead
  int64_t delivery_backoff_ms = 30000;   // first retry after about this long, doubling (jitter 0.5-1.5x)
  int64_t delivery_timeout_ms = 10000;   // per request
  int robot_per_minute = 20;             // DingTalk / WeCom robot rate limit
  int delivery_parallel = 4;             // channels sent to at once
  int max_conns_per_ip = 256;            // open connections per client address (issue 17 point 4)
  int header_timeout_s = 20;             // a request's headers (and keep-alive idleness) within this
  int login_failures_per_ip = 60;        // failed logins per client address per 15 minutes, then 429
};
int serve(const ServeArgs& a);

int init(const std::string& db, const std::string& org, const std::string& admin, const std::string& password_file);
int migrate(const std::string& db);
int backup(const std::string& db, const std::string& out);
// The daily jobs for every organisation; at: the instant to run them as (ISO 8601; empty: now).
int jobs_run(const std::string& db, bool force, const std::string& at = "");
// The scheduled notifications due at an instant (ISO 8601), once a day each (notify.cpp).
int jobs_remind(const std::string& db, const std::string& at);

struct DemoArgs {
  std::string db = "sqlite:tiejun-demo.db";
  int scale = 1;          // multiplies reps, companies and visits
  int64_t companies = 0;  // when > 0: this many companies instead of 12,000 x scale
  uint64_t seed = 20261127;
  bool serve = false;     // serve after generating
  std::string listen = "127.0.0.1:8080";
  bool force = false;     // replace an existing database file
  std::string as_of;      // "today" of the generated history, YYYY-MM-DD (default: today)
};
int demo(const DemoArgs& a);

// import / export (import_export.cpp)
struct ImportArgs {
  std::string what = "companies", file, db = "sqlite:tiejun.db", mapping, owner, as, mode = "all_or_nothing";
  std::string lang = "zh";  // of the reasons for rejected rows
  bool dry_run = false, json = false;
};
int import_file(const ImportArgs& a);
struct ExportArgs {
  std::string what, format = "csv", out, db = "sqlite:tiejun.db", as, status, industry, owner_id, q, from, to, lang;
};
int export_file(const ExportArgs& a);

// Moves organisations from one database (sqlite:PATH) to PostgreSQL (copy.cpp).
struct CopyArgs {
  std::string from, to;
  std::vector<int64_t> orgs;  // empty: every organisation
  int batch = 5000;           // rows per source query
  // Rows per COPY statement on the target. The counters' statement triggers on visits and
  // deals (migrations 0005, 0007, 0016) read each statement's whole transition table: one
  // COPY of 9.8 M visits spent over 23 minutes in them and never finished, statements of
  // ~900k rows took 40-66 s each. A table is sent in statements of at most this many rows
  // (all in the table's one transaction, verified together). Settable for tests.
  int64_t rows_per_copy = 200000;
};
int copy(const CopyArgs& a);

// Helpers shared by subcommands.
std::string db_url(const std::string& s);  // also reads TIEJUN_DB when s is empty
bool split_listen(const std::string& listen, std::string& host, uint16_t& port);

}  // namespace tj::cli
