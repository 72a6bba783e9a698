// `tiejun demo`, the writer (demo_sim.h): the simulated organisation written through
// the store's bulk loader (store/bulk_loader.h): multi-row INSERTs on SQLite, COPY on
// PostgreSQL with the loaded tables' indexes and foreign keys made after the rows.
#include "app/internal.h"
#include "cli/demo_sim.h"
#include "store/bulk_loader.h"

namespace tj::cli::demo_impl {

// ---------- the organisation ----------

Status Demo::write_org(Tx& tx, const std::string& hash) {
  Instant org_at = at_local(org_day_, 9 * 3600);
  org_ = tx.insert_org(kOrgName, org_at);
  for (auto& t : teams_) {
    t.t.org_id = org_;
    t.t.created_at = org_at + 600;
    if (&t != &teams_[0]) t.t.parent_id = teams_[0].t.id;
    t.t.id = tx.insert_team(t.t);
  }
  for (auto& up : users_) {
    up.u.org_id = org_;
    up.u.password_hash = hash;
    if (up.team != SIZE_MAX) up.u.team_id = teams_[up.team].t.id;
    up.u.id = tx.insert_user(up.u);
  }
  for (auto& t : teams_) {
    t.t.manager_id = uid(t.manager);
    tx.conn().exec("UPDATE teams SET manager_id = ? WHERE org_id = ? AND id = ?", {*t.t.manager_id, org_, t.t.id});
  }
  // The audit trail of the set-up, by the admin.
  Actor admin;
  admin.user = users_[0].u;
  auto audit = [&](Instant at, const char* action, const char* entity, Id id, const json& old_v, const json& new_v) {
    detail::audit(tx, admin, at, action, entity, id, old_v, new_v);
  };
  audit(org_at, "create", "org", org_, nullptr, json{{"name", kOrgName}});
  for (auto& up : users_) audit(std::max(up.u.created_at, org_at), "create", "user", up.u.id, nullptr, to_json(up.u));
  for (auto& t : teams_)
    audit(t.t.created_at, "create", "team", t.t.id, nullptr,
          json{{"id", t.t.id}, {"name", t.t.name}, {"parent_id", t.t.parent_id ? json(*t.t.parent_id) : json(nullptr)},
               {"manager_id", *t.t.manager_id}, {"version", 1}});
  return ok_status();
}

// ---------- writing ----------


void Demo::write_all(Store& store) {
  bool quiet = a_.scale < 5 && !std::getenv("TIEJUN_DEMO_VERBOSE");
  // Ids: companies by creation time, as if they had been entered one by one.
  std::vector<uint32_t> order(cos_.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = uint32_t(i);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return cos_[x].created_at < cos_[y].created_at; });
  Id co_base = 0, ct_base = 0, v_base = 0, d_base = 0;
  bool pg = false;  // PostgreSQL: each table in one transaction, by COPY, indexes made at the end
  auto st = store.read([&](Tx& tx) -> Status {
    pg = tx.conn().dialect() == db::Dialect::Postgres;
    co_base = tx.conn().scalar("SELECT COALESCE(MAX(id), 0) FROM companies");
    ct_base = tx.conn().scalar("SELECT COALESCE(MAX(id), 0) FROM contacts");
    v_base = tx.conn().scalar("SELECT COALESCE(MAX(id), 0) FROM visits");
    d_base = tx.conn().scalar("SELECT COALESCE(MAX(id), 0) FROM deals");
    return ok_status();
  });
  if (!st.ok()) throw std::runtime_error(st.error().message);
  std::vector<Id> id_of(cos_.size());
  for (size_t k = 0; k < order.size(); k++) id_of[order[k]] = co_base + Id(k) + 1;
  auto must = [](const Status& s) {
    if (!s.ok()) throw std::runtime_error(s.error().message);
  };
  auto begin_bulk = [](Tx& tx) { bulk::prepare_load(tx.conn()); };

  {
    Phase ph{"companies + contacts", quiet};
    const size_t chunk = pg ? std::max<size_t>(order.size(), 1) : 20000;
    Id contact_id = ct_base;
    for (size_t from = 0; from < order.size(); from += chunk) {
      size_t to = std::min(order.size(), from + chunk);
      must(store.write([&](Tx& tx) -> Status {
        begin_bulk(tx);
        bulk::DeferredIndexes deferred(tx.conn(), {"companies", "contacts"});
        auto& cn = tx.conn();
        std::vector<std::pair<Id, std::string>> fts;  // company id -> contact names
        {
          bulk::RowWriter ins(cn,
                       "INSERT INTO companies(id, org_id, name, industry, industry_rank, region, budget_capacity, source, "
                       "competitor, owner_id, status, need, budget, payer_met, effective_at, effective_day, effective_by, "
                       "signed_at, first_visit_at, last_visit_at, visit_count, interest_reason, attraction, concerns, "
                       "nurture_reason, revisit_on, drop_reason, version, created_at, updated_at, name_key)",
                       31, 40);
          for (size_t k = from; k < to; k++) {
            const Company& c = cos_[order[k]];
            ins.row(id_of[order[k]], org_, c.name, c.industry, opt(c.industry_rank), c.region, opt(c.budget_capacity),
                    c.source, c.competitor, opt(c.owner_id), std::string(to_string(c.status)), int64_t(c.need),
                    int64_t(c.budget), int64_t(c.payer_met), opt(c.effective_at), str_or_null(c.effective_day),
                    opt(c.effective_by), opt(c.signed_at), opt(c.first_visit_at), opt(c.last_visit_at), c.visit_count,
                    c.interest_reason, c.attraction, c.concerns, str_or_null(c.nurture_reason),
                    str_or_null(c.revisit_on), str_or_null(c.drop_reason), c.version, c.created_at, c.updated_at,
                    names::company_key(c.name));
          }
          ins.flush();
        }
        // SQLite's search table (company_fts, kept by triggers); PostgreSQL searches
        // the names through trigram indexes and has no such table.
        const bool fts_table = cn.dialect() == db::Dialect::Sqlite;
        if (fts_table)
          cn.exec("DELETE FROM company_fts WHERE rowid >= ? AND rowid <= ?", {id_of[order[from]], id_of[order[to - 1]]});
        {
          // The contacts FTS trigger recomputes the company's contact names with a
          // subquery that scans every contact (contacts has no index on company_id
          // alone), so with the chunk's company_fts rows removed it is a no-op and
          // the rows are written back below with name and contact names at once.
          bulk::RowWriter ins(cn, "INSERT INTO contacts(id, org_id, company_id, name, title, is_payer, style, phone, created_at)", 9, 100);
          for (size_t k = from; k < to; k++) {
            uint32_t i = order[k];
            const Company& c = cos_[i];
            uint64_t sd = a_.seed ^ (0xC0DE000000000000ULL + i);
            Rng r(splitmix64(sd));
            int n = c.visit_count == 0 ? (r.chance(0.6) ? 1 : 2) : c.visit_count >= 2 ? int(r.range(2, 3)) : int(r.range(1, 2));
            bool payer_known = c.payer_met || c.signed_at;
            std::string names;
            for (int j = 0; j < n; j++) {
              std::string name = person_name(r);
              bool payer = payer_known && j == 0;
              std::string title = payer ? (c.industry == "互联网" && r.chance(0.4) ? "CEO" : r.pick(dd::kPayerTitles))
                                        : r.pick(dd::kOtherTitles);
              std::string style = payer ? dd::kStyles[sims_[i].payer_style] : dd::kStyles[r.below(4)];
              char phone[16];
              std::snprintf(phone, sizeof phone, "%s****%04d", r.pick(dd::kMobilePrefixes), int(r.below(10000)));
              Instant at = (j == 0 || !c.first_visit_at) ? c.created_at : *c.first_visit_at;
              ins.row(++contact_id, org_, id_of[i], name, title, int64_t(payer), style, std::string(phone), at);
              if (!names.empty()) names += ' ';
              names += name;
            }
            if (fts_table) fts.emplace_back(id_of[i], std::move(names));
          }
          ins.flush();
        }
        if (fts_table) {
          bulk::RowWriter ins(cn, "INSERT INTO company_fts(rowid, name, contacts)", 3, 200);
          for (size_t k = from; k < to; k++) ins.row(id_of[order[k]], cos_[order[k]].name, std::move(fts[k - from].second));
          ins.flush();
        }
        deferred.restore();
        return ok_status();
      }));
      if (!quiet) std::fprintf(stderr, "\r  companies %zu/%zu", to, order.size());
    }
    if (!quiet) std::fprintf(stderr, "\n");
  }
  {
    Phase ph{"visits", quiet};
    const size_t chunk = pg ? std::max<size_t>(visits_.size(), 1) : 100000;
    for (size_t from = 0; from < visits_.size(); from += chunk) {
      size_t to = std::min(visits_.size(), from + chunk);
      must(store.write([&](Tx& tx) -> Status {
        begin_bulk(tx);
        bulk::DeferredIndexes deferred(tx.conn(), {"visits"});
        bulk::RowWriter ins(tx.conn(),
                     "INSERT INTO visits(id, org_id, company_id, rep_id, at, day, kind, duration_min, was_new, met_payer, "
                     "need, budget, made_effective, companion_id, coaching_stage, interest_reason, attraction, concerns, "
                     "notes, created_at)",
                     20, 60);
        for (size_t k = from; k < to; k++) {
          const VRec& v = visits_[k];
          auto b = [](int8_t x) { return x < 0 ? db::Value() : db::Value(int64_t(x)); };
          ins.row(v_base + Id(k) + 1, org_, id_of[v.co], uid(v.rep), v.at, tz_->local_date(v.at),
                  std::string(to_string(VisitKind(v.kind))), v.dur ? db::Value(int64_t(v.dur)) : db::Value(),
                  int64_t(v.flags & 1), b(v.met), b(v.need), b(v.budget), int64_t((v.flags >> 1) & 1),
                  v.companion ? db::Value(uid(v.companion - 1)) : db::Value(),
                  v.stage ? db::Value(int64_t(v.stage)) : db::Value(), std::string(dd::kInterest[v.interest]),
                  std::string(dd::kAttraction[v.attraction]), std::string(dd::kConcerns[v.concerns]),
                  std::string(dd::kNotes[v.notes]), v.at + int64_t(v.dur ? v.dur : 30) * 60);
        }
        ins.flush();
        deferred.restore();
        return ok_status();
      }));
      if (!quiet) std::fprintf(stderr, "\r  visits %zu/%zu", to, visits_.size());
    }
    if (!quiet) std::fprintf(stderr, "\n");
  }
  {
    Phase ph{"deals, targets, notes", quiet};
    must(store.write([&](Tx& tx) -> Status {
      begin_bulk(tx);
      {
        bulk::RowWriter ins(tx.conn(), "INSERT INTO deals(id, org_id, company_id, rep_id, amount, signed_on, created_at)", 7, 200);
        for (size_t k = 0; k < deals_.size(); k++) {
          const DRec& d = deals_[k];
          ins.row(d_base + Id(k) + 1, org_, id_of[d.co], uid(d.rep), d.amount, tz_->local_date(d.at), d.at);
        }
        ins.flush();
      }
      // Targets: team day quotas set by the director at the start; rep overrides by managers.
      auto audit_target = [&](const Target& t, const std::optional<Target>& old, Id by) {
        Actor who;
        who.user.org_id = org_;
        who.user.id = by;
        detail::audit(tx, who, t.updated_at, old ? "update" : "create", "target", t.id, old ? detail::target_json(*old) : json(nullptr),
                      detail::target_json(t));
      };
      auto put = [&](const std::string& scope, Id scope_id, const std::string& metric, const std::string& period,
                     int64_t value, const std::string& reason, Id by, Instant at) {
        auto old = tx.get_target(org_, scope, scope_id, metric, period);
        Target t = old.value_or(Target{});
        t.org_id = org_;
        t.scope = scope;
        t.scope_id = scope_id;
        t.metric = metric;
        t.period = period;
        t.value = value;
        t.reason = reason;
        t.set_by = by;
        t.updated_at = at;
        t.id = tx.upsert_target(t, old ? std::optional<int64_t>(old->value) : std::nullopt);
        if (old) t.version++;
        audit_target(t, old, by);
      };
      Id director = uid(teams_[0].manager);
      Instant set_at = at_local(start_ - 3, 9 * 3600);
      // Monthly signed amount per team: 15% above what the team really signs in a month.
      std::vector<Fen> team_signed(teams_.size(), 0);
      for (auto& d : deals_)
        if (day_of(d.at) >= start_) team_signed[users_[d.rep].team] += d.amount;
      for (size_t t = 1; t < teams_.size(); t++) {
        Id tid = teams_[t].t.id;
        put("team", tid, "visits_new", "day", 5, "公司标准：每人每天5个新客户拜访", director, set_at);
        put("team", tid, "effective_new", "day", 2, "公司标准：每人每天2个有效新客户", director, set_at);
        Fen monthly = Fen(double(team_signed[t]) / 6.0 * 1.15);
        monthly = std::max<Fen>(100000000, (monthly + 9999999) / 10000000 * 10000000);  // whole 100,000 yuan, >= 1M yuan
        put("team", tid, "signed_amount", "month", monthly, "按上半年实际签约额上浮15%", director, set_at);
        if (teams_[t].tmpl == 3)
          put("team", tid, "effective_new", "day", 1,
              "取中间值：近20个工作日多数人的中位数只有1个，先降到1个，保证人人能完成", uid(teams_[t].manager),
              at_local(lowered_day_, 8 * 3600 + 1800));
      }
      for (auto& r : reps_) {
        if (!r.eff_quota_override) continue;
        Id by = uid(teams_[r.team].manager);
        int64_t from = std::max(start_ - 2, r.start_day);
        bool newbie = r.arch == NewHire;
        put("rep", uid(r.user), "visits_new", "day", r.visits_quota_override,
            newbie ? "新人前三个月：先把拜访量做起来" : "业绩标杆：挑战更高目标", by, at_local(from, 9 * 3600 + 600));
        put("rep", uid(r.user), "effective_new", "day", r.eff_quota_override,
            newbie ? "新人前三个月：有效客户目标减半" : "业绩标杆：挑战更高目标", by, at_local(from, 9 * 3600 + 600));
      }
      {
        bulk::RowWriter ins(tx.conn(), "INSERT INTO job_runs(org_id, job, day, result, at)", 5, 200);
        for (auto& [d, n] : jobs_)
          ins.row(org_, std::string("pool_release"), date(d), json{{"released", n}}.dump(), at_local(d, 2 * 3600));
        ins.flush();
      }
      // Values assessments (the six values, 1-5) by each rep's manager, last quarter and
      // this one; a rep's values depend on who they are (stars and time-sinkers score
      // high, wild dogs and dogs low), so the talent matrix has all its corners.
      {
        bulk::RowWriter ins(tx.conn(),
                     "INSERT INTO values_assessments(org_id, user_id, assessor_id, period, customer_first, teamwork, "
                     "embrace_change, integrity, passion, dedication, comment, created_at)",
                     12, 100);
        CivilDate ac = civil_from_days(as_of_);
        int q = (ac.m - 1) / 3 + 1, py = q == 1 ? ac.y - 1 : ac.y, pq = q == 1 ? 4 : q - 1;
        int64_t prev_end = days_from_civil({ac.y, (q - 1) * 3 + 1, 1}) - 1;  // the day before this quarter
        struct P {
          std::string period;
          int64_t day;
        };
        P periods[] = {{std::to_string(py) + "-Q" + std::to_string(pq), prev_end},
                       {std::to_string(ac.y) + "-Q" + std::to_string(q), as_of_ - 7}};
        static constexpr double kMean[] = {4.5, 3.7, 2.5, 4.3, 3.8, 2.4};  // by Arch
        Rng vr(a_.seed ^ 0x7A1E5ULL);
        for (auto& p : periods) {
          int64_t d = p.day;
          while (!working(d)) d--;
          for (auto& r : reps_) {
            if (r.start_day > d) continue;
            int64_t sc[6];
            for (auto& x : sc) x = std::clamp<int64_t>(std::lround(kMean[r.arch] + 0.55 * vr.normal()), 1, 5);
            std::string comment = dd::kValuesComments[vr.below(dd::count(dd::kValuesComments))];
            ins.row(org_, uid(r.user), uid(teams_[r.team].manager), p.period, sc[0], sc[1], sc[2], sc[3], sc[4], sc[5],
                    comment, at_local(d, 17 * 3600 + vr.range(0, 3600)));
          }
        }
        ins.flush();
      }
      // Training: each team every other Wednesday; new hires start with onboarding.
      {
        bulk::RowWriter ins(tx.conn(),
                     "INSERT INTO training_records(org_id, user_id, kind, title, day, hours, notes, created_by, created_at)",
                     9, 100);
        for (size_t t = 1; t < teams_.size(); t++) {
          Id by = uid(teams_[t].manager);
          int topic = int(t);
          for (int64_t d = start_; d < as_of_; d++) {
            if (weekday(d) != 3 || (d / 7) % 2 != int64_t(t % 2)) continue;
            const char* const* tr = dd::kTrainings[topic++ % dd::count(dd::kTrainings)];
            for (size_t u : teams_[t].reps) {
              int64_t hire = days_from_civil(*parse_date(users_[u].u.hire_date));
              if (hire > d) continue;
              ins.row(org_, uid(u), std::string(tr[0]), std::string(tr[1]), date(d), 1.5, std::string(""), by,
                      at_local(d, 18 * 3600));
            }
          }
          for (size_t u : teams_[t].reps) {
            int64_t hire = days_from_civil(*parse_date(users_[u].u.hire_date));
            if (hire < start_) continue;
            int64_t d = hire;
            while (!working(d)) d++;
            ins.row(org_, uid(u), std::string("values"), std::string("新人入职培训：六脉神剑与销售铁军方法"), date(d), 8.0,
                    std::string("入职第一天"), by, at_local(d, 18 * 3600));
            d++;
            while (!working(d)) d++;
            ins.row(org_, uid(u), std::string("skills"), std::string("产品演示与拜访记录实操"), date(d), 4.0, std::string(""),
                    by, at_local(d, 18 * 3600));
          }
        }
        ins.flush();
      }
      // Morning plans for the last three working days (today included), evening
      // shares for the three before today.
      std::vector<int64_t> days;
      for (int64_t d = as_of_; days.size() < 4 && d > start_; d--)
        if (working(d)) days.push_back(d);
      struct DayLog {
        std::vector<uint32_t> cos;
        int eff = 0;
        std::vector<std::pair<uint32_t, Fen>> deals;
      };
      std::map<std::pair<size_t, int64_t>, DayLog> logs;  // (user, day)
      int64_t from_day = days.empty() ? as_of_ : days.back();
      for (size_t k = visits_.size(); k-- > 0;) {
        const VRec& v = visits_[k];
        int64_t d = day_of(v.at);
        if (d < from_day) break;
        auto& l = logs[{v.rep, d}];
        l.cos.insert(l.cos.begin(), v.co);
        if (v.flags & 2) l.eff++;
      }
      for (auto& d : deals_)
        if (day_of(d.at) >= from_day) logs[{d.rep, day_of(d.at)}].deals.push_back({d.co, d.amount});
      Rng nr(a_.seed ^ 0x9A15ULL);
      for (auto& r : reps_) {
        for (size_t di = 0; di < days.size(); di++) {
          int64_t d = days[di];
          if (d < r.start_day) continue;
          auto it = logs.find({r.user, d});
          if (it == logs.end()) continue;
          DayLog& l = it->second;
          if (di < 3 && nr.chance(0.85)) {
            json ids = json::array();
            for (size_t i = 0; i < l.cos.size() && i < 8; i++) ids.push_back(id_of[l.cos[i]]);
            int planned = int(l.cos.size()) + (d == as_of_ ? int(nr.range(2, 4)) : int(nr.range(0, 1)));
            std::string goal = nr.pick(dd::kGoals);
            goal.replace(goal.find("{n}"), 3, std::to_string(planned));
            json body = {{"company_ids", ids}, {"goal", goal}, {"visits_planned", planned}, {"notes", ""}};
            DayNote n{0, org_, uid(r.user), date(d), body.dump(), 1, at_local(d, 8 * 3600 + 1800 + nr.range(0, 1800))};
            tx.put_note(Tx::NoteKind::Plan, n, 0);
          }
          if (di >= 1 && nr.chance(0.75)) {
            std::string wins;
            if (!l.deals.empty()) {
              wins = "签下" + cos_[l.deals[0].first].name + "，金额" + std::to_string(l.deals[0].second / 1000000) + "万";
            } else if (l.eff) {
              wins = "新增" + std::to_string(l.eff) + "个有效新客户";
            } else {
              wins = "拜访了" + std::to_string(l.cos.size()) + "家，还没有有效客户";
            }
            std::string help;
            if (!l.cos.empty() && nr.chance(0.35)) help = "希望主管明天陪访" + cos_[l.cos.back()].name;
            json body = {{"wins", wins}, {"problems", nr.pick(dd::kProblems)}, {"help_wanted", help}, {"notes", ""}};
            DayNote n{0, org_, uid(r.user), date(d), body.dump(), 1, at_local(d, 19 * 3600 + nr.range(0, 3600))};
            tx.put_note(Tx::NoteKind::Review, n, 0);
          }
        }
      }
      return ok_status();
    }));
  }
  // PostgreSQL: the identity sequences continue after the ids given explicitly
  // above (the next company created in the app gets MAX(id) + 1, as on SQLite),
  // and fresh planner statistics for the bulk-loaded tables.
  bool on_pg = false;
  must(store.write([&](Tx& tx) -> Status {
    tx.rebuild_rep_day_stats(org_);  // the views' per-(rep, day) counters, in one statement after the bulk load
    tx.rebuild_view_counters(org_);  // discovery, conversion and intake counters (migration 0007), likewise
    auto& cn = tx.conn();
    if (cn.dialect() != db::Dialect::Postgres) return ok_status();
    on_pg = true;
    for (const char* t : {"companies", "contacts", "visits", "deals"})
      cn.query(std::string("SELECT setval(pg_get_serial_sequence(?, 'id'), m) FROM (SELECT MAX(id) AS m FROM ") + t +
                   ") x WHERE m IS NOT NULL",
               {std::string(t)});
    return ok_status();
  }));
  if (on_pg) {
    // Planner statistics for the fresh tables. (Not on SQLite: its queries are written for
    // the planner without statistics, and sqlite_stat1 alone, which knows no NULL share,
    // steers the scoped company list to the owner index for the public pool.)
    Phase ph{"analyze", quiet};
    must(store.write([&](Tx& tx) -> Status {
      tx.conn().exec_script("ANALYZE");
      return ok_status();
    }));
  }
}

}  // namespace tj::cli::demo_impl
