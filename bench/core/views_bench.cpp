// Server-side time of every computed view, for one manager's team and for the
// whole organisation, on a database made by `tiejun demo --scale N`.
//
//   TIEJUN_BENCH_DB=sqlite:/tmp/demo.db build/release/tiejun_bench --benchmark_repetitions=20 \
//       --benchmark_report_aggregates_only=true
//
// TIEJUN_BENCH_DB may be a postgresql:// URL too. Aggregates: mean, median, p99.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <tuple>

#include "app/internal.h"
#include "method/method.h"

using namespace tj;

namespace {

struct Env {
  std::unique_ptr<Store> store;
  SystemClock clock;
  std::unique_ptr<App> app;
  Actor manager, admin, rep;
  std::string as_of;
  bool ok = false;
};

Env& env() {
  static Env e = [] {
    Env e;
    const char* url = std::getenv("TIEJUN_BENCH_DB");
    if (!url) {
      std::cerr << "set TIEJUN_BENCH_DB to a database made by `tiejun demo --scale N`\n";
      return e;
    }
    auto s = open_store(url, 4);
    if (!s.ok()) {
      std::cerr << s.error().message << "\n";
      return e;
    }
    e.store = std::move(s.value());
    e.app = std::make_unique<App>(*e.store, e.clock);
    auto st = e.store->read([&](Tx& tx) -> Status {
      auto orgs = tx.list_orgs();
      if (orgs.empty()) return not_found("organisation");
      Id org = orgs.front().id;
      e.as_of = tx.conn().query_one("SELECT MAX(day) FROM visits WHERE org_id = ?", {org})->str(0);
      for (auto& u : tx.list_users(org)) {
        if (u.role == Role::Admin && !e.admin.user.id) e.admin.user = u;
        if (u.role == Role::Rep && !e.rep.user.id) e.rep.user = u;
      }
      for (auto& t : tx.list_teams(org))
        if (t.manager_id && !e.manager.user.id) {
          auto m = tx.get_user(org, *t.manager_id);
          if (m && m->role == Role::Manager) e.manager.user = *m;
        }
      for (Actor* a : {&e.admin, &e.manager, &e.rep}) a->scope = detail::scope_for(tx, a->user);
      return ok_status();
    });
    e.ok = st.ok() && e.manager.user.id && e.admin.user.id;
    if (!e.ok) std::cerr << "the database has no demo organisation\n";
    return e;
  }();
  return e;
}

using View = Result<json> (App::*)(const Actor&, const Query&);

void run(benchmark::State& state, View view, int who, Query q) {
  auto& e = env();
  if (!e.ok) {
    state.SkipWithError("no demo database");
    return;
  }
  const Actor& a = who == 0 ? e.manager : who == 1 ? e.admin : e.rep;
  if (q.count("as_of")) q["as_of"] = e.as_of;
  if (q.count("owner_id") && q["owner_id"] == "self") q["owner_id"] = std::to_string(a.user.id);
  for (auto _ : state) {
    auto r = (e.app.get()->*view)(a, q);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}

double p99(const std::vector<double>& v) {
  auto s = v;
  std::sort(s.begin(), s.end());
  return s.empty() ? 0 : s[std::min(s.size() - 1, size_t(0.99 * double(s.size())))];
}

#define VIEW(name, fn, q)                                                                                      \
  BENCHMARK_CAPTURE(run, name##_team, &App::fn, 0, q)->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99); \
  BENCHMARK_CAPTURE(run, name##_org, &App::fn, 1, q)->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);

const Query kAsOf = {{"as_of", ""}};
VIEW(alerts, alerts, kAsOf)
VIEW(diagnosis, diagnosis, kAsOf)
VIEW(leaderboard_month, leaderboard, (Query{{"as_of", ""}, {"period", "month"}}))
VIEW(coaching, coaching, kAsOf)
VIEW(rhythm, rhythm_status, kAsOf)
VIEW(team_view, team_view, kAsOf)  // GET /views/team: the Team page's first screen (issue 15)
VIEW(feed, feed, kAsOf)
VIEW(metrics_month, rep_metrics, (Query{}))
VIEW(conversion, conversion, kAsOf)
VIEW(discovery, discovery, kAsOf)
VIEW(talent, talent, kAsOf)
VIEW(companies_by_name, list_companies, (Query{{"sort", "name"}, {"limit", "20"}}))
VIEW(search_2chars, list_companies, (Query{{"q", "科技"}, {"limit", "20"}}))
VIEW(search_4chars, list_companies, (Query{{"q", "杭州科技"}, {"limit", "20"}}))
// At --scale 42 --companies 1000000 (seed 1): 杭州科技 and 量子物流 match no company, 科技（杭
// 310, 网络科技 23,409, 科技 hundreds of thousands; 鑫淼 none.
VIEW(search_4chars_rare, list_companies, (Query{{"q", "量子物流"}, {"limit", "20"}}))
VIEW(search_4chars_few, list_companies, (Query{{"q", "科技（杭"}, {"limit", "20"}}))
VIEW(search_4chars_frequent, list_companies, (Query{{"q", "网络科技"}, {"limit", "20"}}))
VIEW(search_2chars_rare, list_companies, (Query{{"q", "鑫淼"}, {"limit", "20"}}))
VIEW(targets_progress, targets_progress, kAsOf)
// The Team page before GET /views/team: what its first screen asked the server for, one call after
// another (the rhythm board, the metrics of each of the last ten working days, the month's metrics,
// the settings). HTTP, JSON and the 15 round trips come on top of it in the browser.
void team_page_before(benchmark::State& state, int who) {
  auto& e = env();
  if (!e.ok) {
    state.SkipWithError("no demo database");
    return;
  }
  const Actor& a = who == 0 ? e.manager : e.admin;
  Settings s;
  (void)e.store->read([&](Tx& tx) -> Status {
    s = tx.get_settings(a.org());
    return ok_status();
  });
  int64_t as_of = days_from_civil(*parse_date(e.as_of));
  auto days = method::last_working_days(s, as_of, 10);
  std::string month = format_date(civil_from_days(method::month_start(as_of)));
  for (auto _ : state) {
    auto r = e.app->rhythm_status(a, {{"as_of", e.as_of}});
    benchmark::DoNotOptimize(r);
    for (int64_t d : days) {
      std::string ds = format_date(civil_from_days(d));
      auto m = e.app->rep_metrics(a, {{"from", ds}, {"to", ds}});
      benchmark::DoNotOptimize(m);
    }
    auto m = e.app->rep_metrics(a, {{"from", month}, {"to", e.as_of}});
    auto st = e.app->get_settings(a);
    benchmark::DoNotOptimize(m);
    benchmark::DoNotOptimize(st);
  }
}
BENCHMARK_CAPTURE(team_page_before, team, 0)->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);
BENCHMARK_CAPTURE(team_page_before, org, 1)->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);
BENCHMARK_CAPTURE(run, prospects_rep, &App::prospects, 2, kAsOf)->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);
BENCHMARK_CAPTURE(run, alerts_rep, &App::alerts, 2, kAsOf)->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);
// Issue 15: the rep's pages in one request each, and the prospects filters.
BENCHMARK_CAPTURE(run, today_view_rep, &App::today_view, 2, kAsOf)->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);
BENCHMARK_CAPTURE(run, prospects_rep_competitor_near, &App::prospects, 2,
                  (Query{{"as_of", ""}, {"competitor", "true"}, {"max_rank_distance", "1"}}))
    ->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);
BENCHMARK_CAPTURE(run, prospects_rep_industry, &App::prospects, 2, (Query{{"as_of", ""}, {"industry", "制造"}, {"limit", "20"}}))
    ->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);
BENCHMARK_CAPTURE(run, companies_mine_rep, &App::list_companies, 2, (Query{{"owner_id", "self"}, {"sort", "-updated_at"}, {"limit", "20"}}))
    ->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);

// A customer's page (GET /views/company/{id}) for the rep's most visited company.
void company_view(benchmark::State& state) {
  auto& e = env();
  if (!e.ok) {
    state.SkipWithError("no demo database");
    return;
  }
  static Id id = 0;
  if (!id) {
    (void)e.store->read([&](Tx& tx) -> Status {
      auto r = tx.conn().query_one("SELECT id FROM companies WHERE org_id = ? AND owner_id = ? AND deleted = 0 "
                                   "ORDER BY visit_count DESC, id LIMIT 1",
                                   {e.rep.user.org_id, e.rep.user.id});
      if (r) id = r->i64(0);
      return ok_status();
    });
  }
  for (auto _ : state) {
    auto r = e.app->company_view(e.rep, id, {});
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(company_view)->Name("company_view_rep")->Unit(benchmark::kMillisecond)->ComputeStatistics("p99", p99);

// TIEJUN_BENCH_DUMP=file: write every view's answer for the first rep, manager, director and
// admin (as_of = the last visit day) as JSON lines and exit; diff two dumps to prove a change
// keeps the answers identical.
int dump(const char* path) {
  auto& e = env();
  if (!e.ok) return 1;
  Actor director;
  auto st = e.store->read([&](Tx& tx) -> Status {
    for (auto& u : tx.list_users(e.admin.user.org_id))
      if (u.role == Role::Director && !director.user.id) director.user = u;
    if (director.user.id) director.scope = detail::scope_for(tx, director.user);
    return ok_status();
  });
  if (!st.ok()) return 1;
  FILE* f = std::fopen(path, "w");
  if (!f) return 1;
  std::vector<std::pair<std::string, const Actor*>> who = {{"rep", &e.rep}, {"manager", &e.manager}, {"admin", &e.admin}};
  if (director.user.id) who.push_back({"director", &director});
  const std::string as_of = e.as_of;
  std::vector<std::tuple<std::string, View, Query>> views = {
      {"alerts", &App::alerts, {{"as_of", as_of}}},
      {"alerts_en", &App::alerts, {{"as_of", as_of}, {"kind", "sign_or_drop"}}},
      {"prospects", &App::prospects, {{"as_of", as_of}, {"limit", "200"}}},
      {"today_view", &App::today_view, {{"as_of", as_of}}},
      {"diagnosis", &App::diagnosis, {{"as_of", as_of}}},
      {"leaderboard_day", &App::leaderboard, {{"as_of", as_of}, {"period", "day"}, {"metric", "visits"}}},
      {"leaderboard_week", &App::leaderboard, {{"as_of", as_of}, {"period", "week"}, {"metric", "new_share"}}},
      {"leaderboard_month", &App::leaderboard, {{"as_of", as_of}, {"period", "month"}}},
      {"leaderboard_conv", &App::leaderboard, {{"as_of", as_of}, {"period", "month"}, {"metric", "conversion"}}},
      {"coaching", &App::coaching, {{"as_of", as_of}}},
      {"talent", &App::talent, {{"as_of", as_of}}},
      {"discovery", &App::discovery, {{"as_of", as_of}}},
      {"conversion", &App::conversion, {{"as_of", as_of}}},
      {"metrics", &App::rep_metrics, {}},
      {"metrics_range", &App::rep_metrics, {{"from", "2026-01-01"}, {"to", as_of}}},
      {"rhythm", &App::rhythm_status, {{"as_of", as_of}}},
      {"team_view", &App::team_view, {{"as_of", as_of}}},
      {"feed", &App::feed, {{"as_of", as_of}}},
  };
  for (int back : {0, 9, 40}) {  // also earlier as_of days (a mid-month past day, last month)
    std::string d = format_date(civil_from_days(days_from_civil(*parse_date(as_of)) - back));
    for (auto& [wn, a] : who)
      for (auto& [vn, fn, q0] : views) {
        Query q = q0;
        if (q.count("as_of")) q["as_of"] = d;
        if (vn.rfind("metrics", 0) == 0 && back) continue;
        Actor ax = *a;
        if (vn == "alerts_en") ax.zh = false;
        auto r = (e.app.get()->*fn)(ax, q);
        // Paged lists (alerts, feed): every page, so a dump compares whole answers.
        for (int page = 0; r.ok() && r.value().contains("next_cursor") && r.value()["next_cursor"].is_string() && page < 10000; page++) {
          Query qn = q;
          qn["cursor"] = r.value()["next_cursor"].get<std::string>();
          auto more = (e.app.get()->*fn)(ax, qn);
          if (!more.ok()) {
            r = std::move(more);
            break;
          }
          for (auto& it : more.value()["items"]) r.value()["items"].push_back(it);
          r.value()["next_cursor"] = more.value()["next_cursor"];
        }
        std::fprintf(f, "%s %s %s %s\n", d.c_str(), wn.c_str(), vn.c_str(),
                     r.ok() ? r.value().dump().c_str() : ("error " + r.error().message).c_str());
      }
  }
  std::fclose(f);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* d = std::getenv("TIEJUN_BENCH_DUMP")) return dump(d);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
