// The scheduled reminders of SPEC §7, run inside `tiejun serve` (every minute)
// and by `tiejun jobs remind --at INSTANT`. At the organisation's local
// plan_remind_at (09:30): reps without today's plan, with a digest to each team's
// manager; the managers' alert digest; customers about to go back to the pool;
// nurture revisits due; targets behind pace. At review_remind_at (19:00): reps
// without today's share, with the digest. Only on working days (the
// organisation's working_days and holidays), within three hours after the time
// (a server down at 09:30 and up at 15:00 sends no stale morning reminder), and
// once a day: each batch records a job_runs row in the transaction that writes
// its notifications and deliveries, and each notification carries a unique key
// per (organisation, kind, user, day).
#include <map>
#include <set>

#include "app/internal.h"
#include "app/notify.h"
#include "store/tx_notify.h"

namespace tj {
using namespace detail;

namespace {

constexpr int kWindowMin = 180;

// Minutes after local midnight of a setting "HH:MM" (defaults when unset).
int minutes_of(const std::string& hhmm, int dflt) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return dflt;
  int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0'), m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (h < 0 || h > 23 || m < 0 || m > 59) return dflt;
  return h * 60 + m;
}

// plan_remind_at / review_remind_at ("HH:MM", settings; SPEC §7 defaults 09:30 and 19:00).
std::string notify_setting(const Settings& s, bool morning) { return morning ? s.plan_remind_at : s.review_remind_at; }

std::string names_of(const std::vector<std::string>& v, size_t max = 8) {
  std::string s;
  for (size_t i = 0; i < v.size() && i < max; i++) s += (i ? "、" : "") + v[i];
  if (v.size() > max) s += " …";
  return s;
}

}  // namespace

Result<json> App::run_reminders(Instant at) {
  std::vector<Org> orgs;
  TRY(store_.read([&](Tx& tx) -> Status {
    orgs = tx.list_orgs();
    return ok_status();
  }));
  json report = json::array();
  for (auto& o : orgs) {
    Settings s;
    TRY(store_.read([&](Tx& tx) -> Status {
      s = tx.get_settings(o.id);
      return ok_status();
    }));
    auto tz = TimeZone::get(s.timezone);
    int64_t dayn = tz ? tz->local_day(at) : at / 86400;
    std::string day = format_date(civil_from_days(dayn));
    int64_t local_min = (at - (tz ? tz->start_of_local_day(dayn) : dayn * 86400)) / 60;
    bool working = s.working_days.find(char('0' + weekday(dayn))) != std::string::npos;
    for (auto& h : s.holidays)
      if (h == day) working = false;
    json r = {{"org_id", o.id}, {"day", day}, {"working_day", working}, {"ran", json::array()}};
    if (!working) {
      report.push_back(r);
      continue;
    }
    int morning = minutes_of(notify_setting(s, true), 9 * 60 + 30);
    int evening = minutes_of(notify_setting(s, false), 19 * 60);
    for (bool is_morning : {true, false}) {
      int t = is_morning ? morning : evening;
      if (local_min < t || local_min >= t + kWindowMin) continue;
      std::string job = is_morning ? "notify_morning" : "notify_evening";
      bool done = false;
      TRY(store_.read([&](Tx& tx) -> Status {
        done = tx.job_ran(o.id, job, day);
        return ok_status();
      }));
      if (done) continue;
      // The managers' alert digests are computed before the write (a read of the views).
      struct Digest {
        Id manager = 0;
        Id team = 0;
        int64_t total = 0;
        std::map<std::string, int64_t> kinds;
        std::vector<std::pair<Id, json>> behind;  // rep, alert
      };
      std::vector<Digest> digests;
      std::vector<Team> teams;
      TRY(store_.read([&](Tx& tx) -> Status {
        teams = tx.list_teams(o.id);
        return ok_status();
      }));
      if (is_morning) {
        std::set<Id> done_mgr;
        for (auto& tm : teams) {
          if (!tm.manager_id || !done_mgr.insert(*tm.manager_id).second) continue;
          Result<Actor> act = unauthorized("");
          TRY(store_.read([&](Tx& tx) -> Status {
            act = actor_for(tx, o.id, *tm.manager_id);
            return ok_status();
          }));
          if (!act.ok()) continue;
          auto al = alerts(act.value(), Query{{"as_of", day}});
          if (!al.ok()) continue;
          Digest d;
          d.manager = *tm.manager_id;
          d.team = tm.id;
          for (auto& it : al.value()["items"]) {
            std::string k = it.value("kind", "");
            d.total++;
            d.kinds[k]++;
            if (k == "behind_pace" && it.contains("rep_id") && it["rep_id"].is_number_integer())
              d.behind.push_back({it["rep_id"].get<Id>(), it});
          }
          digests.push_back(std::move(d));
        }
      }
      int64_t written = 0;
      TRY(store_.write([&](Tx& tx) -> Status {
        written = 0;
        if (tx.job_ran(o.id, job, day)) return ok_status();
        auto users = tx.list_users(o.id);
        std::map<Id, const User*> by_id;
        for (auto& u : users) by_id[u.id] = &u;
        std::vector<Id> reps;
        for (auto& u : users)
          if (u.active && u.role == Role::Rep) reps.push_back(u.id);
        // plan / share missing
        std::set<Id> has;
        for (auto& n : is_morning ? tx.plans_between(o.id, reps, day, day) : tx.reviews_between(o.id, reps, day, day))
          has.insert(n.rep_id);
        std::string kind = is_morning ? "plan_missing" : "review_missing";
        std::string link = "/today";
        std::map<Id, std::vector<std::string>> missing_by_team;
        for (Id r : reps) {
          if (has.count(r)) continue;
          const User& u = *by_id[r];
          notify::Event e;
          e.kind = kind;
          e.channel_event = kind;
          e.params = {{"rep", u.display_name}};
          e.link = link;
          e.recipients = {r};
          e.dedup_day = day;
          e.group = false;  // the team's digest goes to the group
          written += notify::emit(tx, o.id, e, at);
          if (u.team_id) missing_by_team[*u.team_id].push_back(u.display_name);
        }
        for (auto& tm : teams) {
          auto it = missing_by_team.find(tm.id);
          if (it == missing_by_team.end()) continue;
          notify::Event e;
          e.kind = kind + "_digest";
          e.channel_event = kind;
          e.params = {{"team", tm.name}, {"count", int64_t(it->second.size())}, {"names", names_of(it->second)}};
          e.link = "/team";
          if (tm.manager_id) e.recipients = {*tm.manager_id};
          e.dedup_key = e.kind + ":" + std::to_string(tm.id) + ":" + day;
          e.team_id = tm.id;
          written += notify::emit(tx, o.id, e, at);
        }
        if (is_morning) {
          for (auto& d : digests) {
            if (d.total == 0) continue;
            notify::Event e;
            e.kind = "alert_digest";
            e.channel_event = "alert_digest";
            json kinds = json::object();
            for (auto& [k, n] : d.kinds) kinds[k] = n;
            e.params = {{"count", d.total}, {"kinds", kinds}};
            e.link = "/team";
            e.recipients = {d.manager};
            e.dedup_day = day;
            e.team_id = d.team;
            e.group = false;  // a manager's digest is theirs
            written += notify::emit(tx, o.id, e, at);
            for (auto& rep_alert : d.behind) {
              const auto& rep = rep_alert.first;
              const auto& alert = rep_alert.second;  // named, not a structured binding: lambdas capture it below
              auto u = by_id.find(rep);
              if (u == by_id.end()) continue;
              notify::Event b;
              b.kind = "behind_pace";
              b.channel_event = "behind_pace";
              auto field = [&](const char* k) { return alert.contains(k) ? alert[k] : json(nullptr); };
              b.params = {{"rep", u->second->display_name}, {"target", field("metric")}, {"actual", field("actual")},
                          {"value", field("value")}, {"alert_message", field("message")}};
              b.link = "/today";
              b.recipients = {rep};
              b.dedup_day = day;
              b.team_id = u->second->team_id;
              written += notify::emit(tx, o.id, b, at);
            }
          }
          // customers about to go back to the pool, and nurture revisits due: one note per owner
          NotifyTx nt(tx.conn());
          int64_t release = int64_t(s.pool_release_days) * 86400;
          int64_t warn = std::max(1, s.pool_warn_days);  // "about to go back to the pool": within this many days
          auto soon = nt.release_soon(o.id, at - release, at - release + warn * 86400, 5000);
          auto due = nt.nurture_due(o.id, day, 5000);
          for (int pass = 0; pass < 2; pass++) {
            auto& list = pass == 0 ? soon : due;
            std::map<Id, std::vector<const Company*>> by_owner;
            for (auto& c : list) by_owner[*c.owner_id].push_back(&c);
            for (auto& [owner, cs] : by_owner) {
              auto u = by_id.find(owner);
              if (u == by_id.end() || !u->second->active) continue;
              std::vector<std::string> names;
              for (auto* c : cs) names.push_back(c->name);
              notify::Event e;
              e.kind = pass == 0 ? "pool_release_soon" : "nurture_due";
              e.channel_event = e.kind;
              e.params = {{"rep", u->second->display_name}, {"count", int64_t(cs.size())}, {"names", names_of(names, 5)},
                          {"days", warn}};
              e.link = cs.size() == 1 ? "/customers/" + std::to_string(cs[0]->id) : "/customers";
              e.recipients = {owner};
              e.dedup_day = day;
              e.team_id = u->second->team_id;
              written += notify::emit(tx, o.id, e, at);
            }
          }
        }
        tx.record_job(o.id, job, day, json{{"notifications", written}}.dump(), at);
        return ok_status();
      }));
      r["ran"].push_back(job);
      r[job] = written;
    }
    report.push_back(r);
  }
  return json{{"reminders", report}};
}

}  // namespace tj
