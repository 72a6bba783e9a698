// tiejun: the one binary. Wires subcommands; each lives in its own file.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Tiejun 铁军 — the sales-team operating system of 《销售铁军》"};
  app.require_subcommand(1);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  tj::cli::ServeArgs sa;
  auto* serve = app.add_subcommand("serve", "serve the HTTP API and the web UI");
  serve->add_option("--db", sa.db, "database URL: sqlite:PATH (default) or postgresql://...")->envname("TIEJUN_DB");
  serve->add_option("--listen", sa.listen, "HOST:PORT to listen on")->envname("TIEJUN_LISTEN");
  serve->add_option("--web-dir", sa.web_dir, "serve the UI from this folder instead of the embedded copy");
  serve->add_option("--io-threads", sa.io_threads, "I/O threads")->check(CLI::Range(1, 64));
  serve->add_option("--workers", sa.workers, "worker threads for blocking work")->check(CLI::Range(1, 256));
  serve->add_flag("--secure-cookies", sa.secure_cookies, "mark the session cookie Secure (behind HTTPS)");

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
  auto* jobs_run = jobs->add_subcommand("run", "release stale companies to the public pool (公海) for every organisation");
  jobs->require_subcommand(1);
  jobs_run->add_option("--db", db, "database URL")->envname("TIEJUN_DB");
  jobs_run->add_flag("--force", force_jobs, "run even if today's run is done");

  tj::cli::DemoArgs da;
  auto* demo = app.add_subcommand("demo", "create a realistic demo organisation (and serve it with --serve)");
  demo->add_option("--db", da.db, "database URL")->envname("TIEJUN_DB");
  demo->add_option("--scale", da.scale, "multiply the demo (1000 = 1M companies, 10M visits)")->check(CLI::Range(1, 1000));
  demo->add_option("--seed", da.seed, "random seed (deterministic)");
  demo->add_option("--as-of", da.as_of, "the last day of the generated history (YYYY-MM-DD; default today)");
  demo->add_flag("--serve", da.serve, "serve the demo after creating it");
  demo->add_option("--listen", da.listen, "HOST:PORT for --serve");
  demo->add_flag("--force", da.force, "replace an existing demo database");

  CLI11_PARSE(app, argc, argv);
  if (*serve) return tj::cli::serve(sa);
  if (*init) return tj::cli::init(db, org, admin, pwfile);
  if (*migrate) return tj::cli::migrate(db);
  if (*backup) return tj::cli::backup(db, out);
  if (*demo) return tj::cli::demo(da);
  if (*jobs_run) return tj::cli::jobs_run(db, force_jobs);
  return 2;
}
