// One function per subcommand; main.cpp only wires them to CLI11.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tj {
class Store;
}

namespace tj::cli {

// Opens the database and applies pending migrations; null after printing why (admin.cpp).
std::unique_ptr<Store> open_migrated(const std::string& db);

struct ServeArgs {
  std::string db = "sqlite:tiejun.db";
  std::string listen = "127.0.0.1:8080";
  std::string web_dir;
  int io_threads = 2, workers = 4;
  bool secure_cookies = false;
  std::vector<std::string> db_replicas;  // PostgreSQL streaming replicas for the computed views
  int max_conns_per_ip = 256;            // open connections per client address (issue 17 point 4)
  int header_timeout_s = 20;             // a request's headers (and keep-alive idleness) within this
  int login_failures_per_ip = 60;        // failed logins per client address per 15 minutes, then 429
};
int serve(const ServeArgs& a);

int init(const std::string& db, const std::string& org, const std::string& admin, const std::string& password_file);
int migrate(const std::string& db);
int backup(const std::string& db, const std::string& out);
int jobs_run(const std::string& db, bool force);

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
};
int copy(const CopyArgs& a);

// Helpers shared by subcommands.
std::string db_url(const std::string& s);  // also reads TIEJUN_DB when s is empty
bool split_listen(const std::string& listen, std::string& host, uint16_t& port);

}  // namespace tj::cli
