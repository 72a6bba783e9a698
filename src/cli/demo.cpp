// `tiejun demo`: a realistic demo organisation, generated deterministically from
// a seed (same seed + same --as-of -> the same database content, byte for byte
// apart from schema_migrations.applied_at).
//
// Shape at --scale 1: a director over a root team with 4 sales teams (a manager
// and 6 reps each: a benchmark star, solid reps, one who spends too much time on
// existing customers (80/20), one time-sinker, new hires, weak ones), an admin,
// 12,000 companies with Chinese names in 10 industries (ranked inside their
// industry, budget capacity falling with rank), 6 months of working-day visits
// (~21,000) following the method, ~2,300 deals, nurture and public-pool
// companies, accompanied visits with coaching stages, team quotas with a few rep
// overrides (and one quota lowered by 取中间值), values assessments, training
// records, and morning plans / evening shares for the last days. The history ends
// on the morning of --as-of (visits that day stop at noon).
//
// --scale N multiplies teams, reps, companies and visits by N: 24N reps,
// 12,000N companies, ~21,000N visits. Scale 42 has 1,008 reps, scale 84 has
// 1,008,000 companies, scale 480 has ~10,000,000 visits. --companies M sets the
// number of companies apart from the reps (--scale 42 --companies 1000000: 1,008
// reps among a million companies); visits follow the reps, not the companies.
//
// How: the history is simulated in memory, day by day and rep by rep, on
// tj::Company objects through tj::rules (apply_visit, apply_deal, change_status,
// claim) -- the same rules the app applies -- so company facts, statuses,
// effective_at/day/by, visit counts and visit.was_new/made_effective agree
// exactly with what the app would have recorded. The nightly pool release is
// simulated as App::run_jobs does it (and recorded in job_runs). Everything is
// then written (demo_write.cpp) through the store's bulk loader (store/bulk_loader.h) in large transactions:
// multi-row prepared INSERTs on SQLite, COPY on PostgreSQL (any --db works:
// sqlite:FILE or a postgresql:// URL naming an empty database; on PostgreSQL
// each big table is loaded in one transaction with its indexes and foreign keys
// made after the rows, the identity sequences are moved past the explicit ids
// and the tables analysed). Not generated: per-visit/per-deal audit rows (only
// the set-up and the targets are audited), sessions, tokens, comments and likes.
#include "cli/demo_sim.h"

namespace tj::cli {
namespace demo_impl {

int Demo::run(Store& store) {
  auto t0 = std::chrono::steady_clock::now();
  bool quiet = a_.scale < 5 && !std::getenv("TIEJUN_DEMO_VERBOSE");
  plan_org();
  std::string hash = demo_password_hash(a_.seed);  // once (argon2id, ~90 ms); every demo user shares it
  auto st = store.write([&](Tx& tx) { return write_org(tx, hash); });
  if (!st.ok()) {
    std::cerr << "tiejun demo: " << st.error().message << "\n";
    return 1;
  }
  {
    Phase ph{"simulate history", quiet};
    make_companies();
    prehistory();
    simulate();
    finish_companies();
  }
  try {
    write_all(store);
  } catch (const std::exception& e) {
    std::cerr << "tiejun demo: writing failed: " << e.what() << "\n";
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::map<std::string, size_t> by_status;
  size_t pool = 0;
  for (auto& c : cos_) {
    by_status[to_string(c.status)]++;
    if (!c.owner_id) pool++;
  }
  Fen signed_total = 0;
  for (auto& d : deals_) signed_total += d.amount;
  std::cout << "Demo organisation \"" << kOrgName << "\" written to " << store.describe() << " in " << std::fixed
            << std::setprecision(1) << secs << " s (scale " << a_.scale << ", seed " << a_.seed << ", as of "
            << date(as_of_) << ")\n";
  std::cout << "  " << teams_.size() - 1 << " sales teams, " << reps_.size() << " reps, " << cos_.size()
            << " companies (";
  bool first = true;
  for (auto& [k, v] : by_status) {
    std::cout << (first ? "" : ", ") << k << " " << v;
    first = false;
  }
  std::cout << "; " << pool << " in the public pool), " << visits_.size() << " visits, " << deals_.size()
            << " deals worth " << signed_total / 100 / 10000 << "万 yuan\n";
  return 0;
}

}  // namespace demo_impl

using demo_impl::Demo;
using demo_impl::kPassword;

int demo(const DemoArgs& a) {
  std::string url = a.db.empty() ? "sqlite:tiejun-demo.db" : a.db;
  std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
  auto tz = TimeZone::get("Asia/Shanghai");
  if (!tz) {
    std::cerr << "tiejun demo: the time zone database (tzdata) is missing\n";
    return 1;
  }
  int64_t today = tz->local_day(SystemClock().now());
  int64_t as_of = today;
  if (!a.as_of.empty()) {
    auto d = parse_date(a.as_of);
    if (!d) {
      std::cerr << "tiejun demo: --as-of must be a date YYYY-MM-DD\n";
      return 2;
    }
    as_of = days_from_civil(*d);
    if (as_of > today) std::cerr << "tiejun demo: note: --as-of " << a.as_of << " is in the future; so is part of the history\n";
  }
  bool is_file = !pg::is_postgres_url(url);
  std::error_code ec;
  if (!is_file) {
    // PostgreSQL: the demo goes into an empty database (created beforehand, e.g.
    // createdb); --force deletes SQLite files only, never a server's data.
    auto st = open_store(url, 1);
    if (!st.ok()) {
      std::cerr << "tiejun demo: " << st.error().message << "\n";
      return 1;
    }
    auto m = st.value()->migrate();
    if (!m.ok()) {
      std::cerr << "tiejun demo: " << m.error().message << "\n";
      return 1;
    }
    size_t orgs = 0;
    auto r = st.value()->read([&](Tx& tx) -> Status {
      orgs = tx.list_orgs().size();
      return ok_status();
    });
    if (!r.ok() || orgs > 0) {
      std::cerr << "tiejun demo: " << st.value()->describe() << " already holds "
                << (orgs ? "an organisation" : "data") << "; the demo needs an empty database (drop and create it"
                << (a.force ? ": --force deletes SQLite files only" : "") << ")\n";
      return 1;
    }
  } else if (std::filesystem::exists(path, ec)) {
    if (a.force) {
      for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    } else {
      auto st = open_store(url, 1);
      if (!st.ok()) {
        std::cerr << "tiejun demo: " << st.error().message << "\n";
        return 1;
      }
      auto m = st.value()->migrate();
      size_t orgs = 0;
      auto r = st.value()->read([&](Tx& tx) -> Status {
        orgs = tx.list_orgs().size();
        return ok_status();
      });
      if (!m.ok() || !r.ok() || orgs > 0) {
        std::cerr << "tiejun demo: " << path << " already holds " << (orgs ? "an organisation" : "data")
                  << "; pass --force to delete it and create the demo afresh\n";
        return 1;
      }
    }
  }
  {
    auto st = open_store(url, 1);
    if (!st.ok()) {
      std::cerr << "tiejun demo: " << st.error().message << "\n";
      return 1;
    }
    auto store = std::move(st.value());
    auto m = store->migrate();
    if (!m.ok()) {
      std::cerr << "tiejun demo: " << m.error().message << "\n";
      return 1;
    }
    Demo demo(a, as_of);
    int rc = demo.run(*store);
    if (rc) return rc;
  }
  std::string shown_url = "http://" + a.listen + "/";
  std::cout << "Demo ready: log in as rep1 / " << kPassword << " (rep), manager1 / " << kPassword
            << " (manager), director / " << kPassword << " (director), admin / " << kPassword << " (admin)\n";
  if (!a.serve) {
    std::cout << "Serve it with: tiejun serve --db " << url << " --listen " << a.listen << "   then open " << shown_url
              << "\n";
    return 0;
  }
  ServeArgs sa;
  sa.db = url;
  sa.listen = a.listen;
  return serve(sa);
}

}  // namespace tj::cli
