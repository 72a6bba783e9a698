// tiejun: the one binary. Wires subcommands; each lives in its own file.
#include <CLI/CLI.hpp>
#include <iostream>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/serve_ops.h"
#include "common/log.h"

int main(int argc, char** argv) {
  CLI::App app{"Tiejun 铁军 — the sales-team operating system of 《销售铁军》"};
  app.set_version_flag("--version", std::string("tiejun ") + TIEJUN_VERSION);
  app.require_subcommand(1);
  tj::cli::tune_allocator();
  tj::logging::setup(false);

  tj::cli::ServeArgs sa;
  tj::cli::ServeOps& ops = tj::cli::serve_ops();
  auto* serve = app.add_subcommand("serve", "serve the HTTP API and the web UI");
  serve->add_option("--db", sa.db, "database URL: sqlite:PATH (default) or postgresql://...")->envname("TIEJUN_DB");
  serve->add_option("--listen", sa.listen, "HOST:PORT to listen on")->envname("TIEJUN_LISTEN");
  serve->add_option("--web-dir", sa.web_dir, "serve the UI from this folder instead of the embedded copy");
  serve->add_option("--io-threads", sa.io_threads, "I/O threads")->check(CLI::Range(1, 64));
  serve->add_option("--workers", sa.workers, "worker threads for blocking work")->check(CLI::Range(1, 256));
  serve->add_flag("--secure-cookies", sa.secure_cookies, "mark the session cookie Secure (behind HTTPS)");
  serve->add_option("--db-replica", sa.db_replicas,
                    "a PostgreSQL streaming replica (postgresql://...) for the computed views; repeatable")
      ->envname("TIEJUN_DB_REPLICAS")
      ->delimiter(',');
  serve->add_option("--metrics-listen", sa.metrics_listen,
                    "also serve GET /metrics (Prometheus) without authentication on HOST:PORT (keep it private); "
                    "on the main port it takes an admin's bearer token");
  std::string serve_config;
  serve->add_option("--config", serve_config,
                    "read serve options from this file (key = value, e.g. listen = \"127.0.0.1:8080\"); the command "
                    "line and TIEJUN_* environment variables override it")
      ->envname("TIEJUN_CONFIG");
  serve->add_option("--max-conns-per-ip", sa.max_conns_per_ip,
                    "open connections per client address; more are answered 503 and closed (default 256)")
      ->check(CLI::Range(1, 1000000));
  serve->add_option("--header-timeout", sa.header_timeout_s,
                    "seconds a client has to send a request's headers, and that a kept-alive connection may idle (default 20)")
      ->check(CLI::Range(1, 3600));
  serve->add_option("--login-failures-per-ip", sa.login_failures_per_ip,
                    "failed logins per client address per 15 minutes before 429 (default 60)")
      ->check(CLI::Range(1, 1000000));
  serve->add_option("--request-timeout", ops.request_timeout_s,
                    "seconds every request may take; a query past it is interrupted and the request answers 503 "
                    "timeout (default 10)")
      ->check(CLI::Range(0.05, 3600.0));
  serve->add_option("--long-request-timeout", ops.long_request_timeout_s,
                    "seconds a spreadsheet import or an export may take (default 600)")
      ->check(CLI::Range(1.0, 86400.0));
  serve->add_option("--heavy-workers", ops.heavy_workers,
                    "threads for the expensive reads (organisation-wide views, search, exports), apart from the "
                    "short reads and writes (default 2)")
      ->check(CLI::Range(1, 64));
  serve->add_option("--heavy-queue", ops.heavy_queue,
                    "expensive reads that may wait for those threads; more are answered 503 (default 512)")
      ->check(CLI::Range(1, 100000));
  serve->add_option("--log-format", ops.log_format, "log lines as text (default) or json (one JSON object per line)")
      ->check(CLI::IsMember({"text", "json"}));
  serve->add_option("--log-level", ops.log_level,
                    "least level logged: debug, info (default: one access line per request), warn, error, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

  serve->add_option("--public-url", sa.public_url, "the address users reach Tiejun at, for links in notifications")
      ->envname("TIEJUN_PUBLIC_URL");
  serve->add_option("--secret-key-file", sa.secret_key_file,
                    "key sealing channel secrets (64 hex digits; created if missing; default: beside the SQLite file)")
      ->envname("TIEJUN_SECRET_KEY_FILE");
  serve->add_option("--delivery-give-up", sa.delivery_give_up_s, "seconds a notification is retried before it is dead")
      ->check(CLI::Range(int64_t(1), int64_t(7 * 86400)));
  serve->add_option("--delivery-backoff-ms", sa.delivery_backoff_ms, "first retry delay (doubles, with jitter)")
      ->check(CLI::Range(int64_t(100), int64_t(3600000)));
  serve->add_option("--delivery-timeout-ms", sa.delivery_timeout_ms, "timeout of one delivery request")
      ->check(CLI::Range(int64_t(200), int64_t(120000)));
  serve->add_option("--robot-per-minute", sa.robot_per_minute, "messages a minute per DingTalk / WeCom robot")
      ->check(CLI::Range(1, 1000));
  serve->add_option("--delivery-parallel", sa.delivery_parallel,
                    "channels sent to at once (a stalled receiver holds only its own queue)")
      ->check(CLI::Range(1, 64));
  std::string db = "sqlite:tiejun.db", org, admin, pwfile;
  auto* init = app.add_subcommand("init", "create an organisation with its admin");
  init->add_option("--db", db, "database URL")->envname("TIEJUN_DB");
  init->add_option("--org", org, "organisation name")->required();
  init->add_option("--admin", admin, "admin username")->required();
  init->add_option("--password-file", pwfile, "file holding the admin password (first line)")->required();

  auto* migrate = app.add_subcommand("migrate", "apply pending schema migrations");
  migrate->add_option("--db", db, "database URL")->envname("TIEJUN_DB");

  std::string out;
  auto* backup = app.add_subcommand("backup", "write a consistent copy of the database (SQLite online backup)");
  backup->add_option("--db", db, "database URL")->envname("TIEJUN_DB");
  backup->add_option("--out", out, "destination file")->required();

  bool force_jobs = false;
  auto* jobs = app.add_subcommand("jobs", "run the daily jobs by hand");
  auto* jobs_run = jobs->add_subcommand("run", "release stale companies to the public pool (公海) for every organisation; on PostgreSQL also fold the counters' delta rows");
  jobs->require_subcommand(1);
  jobs_run->add_option("--db", db, "database URL")->envname("TIEJUN_DB");
  jobs_run->add_flag("--force", force_jobs, "run even if today's run is done");
  std::string jobs_at;
  jobs_run->add_option("--at", jobs_at, "run as of this instant, ISO 8601 (default: now); e.g. to release two copies alike");

  std::string remind_at;
  auto* jobs_remind = jobs->add_subcommand("remind", "send the scheduled notifications due at an instant (plan, share, digests)");
  jobs_remind->add_option("--db", db, "database URL")->envname("TIEJUN_DB");
  jobs_remind->add_option("--at", remind_at, "the instant, ISO 8601 (default: now)");
  tj::cli::DemoArgs da;
  auto* demo = app.add_subcommand("demo", "create a realistic demo organisation (and serve it with --serve)");
  demo->add_option("--db", da.db, "database URL")->envname("TIEJUN_DB");
  demo->add_option("--scale", da.scale, "multiply the demo: N x (24 reps, 12,000 companies, ~21,000 visits); 42 >= 1,000 reps, 84 >= 1M companies, 480 ~ 10M visits")->check(CLI::Range(1, 1000));
  demo->add_option("--companies", da.companies,
                   "companies instead of 12,000 x scale, e.g. --scale 42 --companies 1000000 for 1,008 reps and 1M companies")
      ->check(CLI::Range(int64_t(100), int64_t(20000000)));
  demo->add_option("--seed", da.seed, "random seed (deterministic)");
  demo->add_option("--as-of", da.as_of, "the last day of the generated history (YYYY-MM-DD; default today)");
  demo->add_flag("--serve", da.serve, "serve the demo after creating it");
  demo->add_option("--listen", da.listen, "HOST:PORT for --serve");
  demo->add_flag("--force", da.force, "replace an existing demo database");

  // import / export
  tj::cli::ImportArgs ia;
  auto* imp = app.add_subcommand("import", "import companies (one contact per row) from CSV or XLSX");
  imp->footer("Exit status: 0 all rows imported (or would be, on a dry run), 3 some rows rejected "
              "(all-or-nothing: nothing written), 1 the file or an option is wrong.");
  imp->add_option("what", ia.what, "what to import")->required()->check(CLI::IsMember({"companies"}));
  imp->add_option("FILE", ia.file, "CSV (UTF-8, UTF-8 with BOM, GBK/GB18030; , ; or tab) or XLSX")->required();
  imp->add_option("--db", ia.db, "database URL")->envname("TIEJUN_DB");
  imp->add_flag("--dry-run", ia.dry_run, "report what would be created, updated and rejected; write nothing");
  imp->add_option("--mapping", ia.mapping, "column=field,... e.g. 客户全称=name,对接人=contact_name,备注=ignore");
  imp->add_option("--owner", ia.owner, "owner (username) of new companies without an owner cell (default: the acting user)");
  imp->add_option("--as", ia.as, "act as this user (default: the admin of the only organisation)");
  imp->add_option("--mode", ia.mode, "all_or_nothing (default) or per_row (import the good rows, report the others)")
      ->check(CLI::IsMember({"all_or_nothing", "per_row"}));
  imp->add_flag("--json", ia.json, "print the report as JSON");
  imp->add_option("--lang", ia.lang, "language of the reasons for rejected rows: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  tj::cli::ExportArgs ea;
  auto* exp = app.add_subcommand("export", "export companies, contacts, visits or deals to CSV or XLSX");
  exp->add_option("what", ea.what, "companies, contacts, visits or deals")->required()
      ->check(CLI::IsMember({"companies", "contacts", "visits", "deals"}));
  exp->add_option("--format", ea.format, "csv (UTF-8 with BOM, for Excel) or xlsx")->check(CLI::IsMember({"csv", "xlsx"}));
  exp->add_option("--out", ea.out, "destination file")->required();
  exp->add_option("--db", ea.db, "database URL")->envname("TIEJUN_DB");
  exp->add_option("--as", ea.as, "act as this user: export what they may see (default: the admin of the only organisation)");
  exp->add_option("--status", ea.status, "only companies in this status");
  exp->add_option("--industry", ea.industry, "only companies of this industry");
  exp->add_option("--owner-id", ea.owner_id, "only companies of this owner (id, or none for the public pool)");
  exp->add_option("-q,--q", ea.q, "only companies whose name or contacts contain this text");
  exp->add_option("--from", ea.from, "visits and deals from this day (YYYY-MM-DD)");
  exp->add_option("--to", ea.to, "visits and deals up to this day (YYYY-MM-DD)");
  exp->add_option("--lang", ea.lang, "header language: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));

  tj::cli::CopyArgs ca;
  auto* copy = app.add_subcommand("copy", "move organisations with all their history from SQLite to PostgreSQL "
                                          "(verified by counts and checksums; run again to resume)");
  copy->add_option("--from", ca.from, "source database: sqlite:PATH")->required();
  copy->add_option("--to", ca.to, "target database: postgresql://user@host:port/db")->required();
  copy->add_option("--org", ca.orgs, "copy only this organisation id (repeatable; default every one)");
  copy->add_option("--batch", ca.batch, "rows per source query")->check(CLI::Range(100, 1000000));
  copy->add_option("--rows-per-copy", ca.rows_per_copy,
                   "rows per COPY statement on the target (default 200000: bounds each run of the counters' "
                   "statement triggers)")
      ->check(CLI::Range(int64_t(1), int64_t(100000000)));

  tj::cli::name_environment(*serve);  // after every serve option: TIEJUN_<OPTION> for each
  CLI11_PARSE(app, argc, argv);
  if (*serve && !serve_config.empty()) {
    if (auto err = tj::cli::apply_config_file(*serve, serve_config); !err.empty()) {
      std::cerr << "tiejun: " << err << "\n";
      return 2;
    }
  }
  if (*serve) return tj::cli::serve(sa);
  if (*init) return tj::cli::init(db, org, admin, pwfile);
  if (*migrate) return tj::cli::migrate(db);
  if (*backup) return tj::cli::backup(db, out);
  if (*demo) return tj::cli::demo(da);
  if (*jobs_run) return tj::cli::jobs_run(db, force_jobs, jobs_at);
  if (*jobs_remind) return tj::cli::jobs_remind(db, remind_at);
  if (*copy) return tj::cli::copy(ca);
  if (*imp) return tj::cli::import_file(ia);
  if (*exp) return tj::cli::export_file(ea);
  return 2;
}
