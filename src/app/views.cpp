#include "app/views.h"

#include <map>
#include <optional>
#include <set>

namespace tj::detail {

std::vector<Id> View::rep_ids() const {
  std::vector<Id> out;
  for (auto& u : reps) out.push_back(u.id);
  return out;
}

const User* View::rep(Id id) const {
  for (auto& u : reps)
    if (u.id == id) return &u;
  return nullptr;
}

int64_t View::quota(const User& u, const std::string& metric) const {
  // targets_key is unique on (org, scope, scope_id, metric, period): at most one of each.
  std::optional<int64_t> rep_t, team_t;
  if (auto it = day_targets.find({"rep", u.id, metric}); it != day_targets.end()) rep_t = it->second;
  if (u.team_id)
    if (auto it = day_targets.find({"team", *u.team_id, metric}); it != day_targets.end()) team_t = it->second;
  return method::pick_quota(rep_t, team_t, metric == "visits_new" ? params.quota_visits_new : params.quota_effective_new);
}

std::vector<TargetProgress> target_progress(Tx& tx, Id org, const Settings& s, const method::Params& p, int64_t as_of,
                                            int64_t today, const std::vector<Target>& targets) {
  std::vector<TargetProgress> out;
  if (targets.empty()) return out;
  auto day_s = [](int64_t d) { return format_date(civil_from_days(d)); };
  // The organisation's per-rep sums over each period's range, read once per period.
  std::map<std::string, std::map<Id, RepMetrics>> sums;
  std::map<Id, std::vector<Id>> members;  // team -> the users of its subtree
  // The teams and users, read once for every team target (at 168 teams each target read its
  // subtree and members: 339 statements for the organisation's targets on PostgreSQL).
  std::optional<std::pair<std::vector<Team>, std::vector<User>>> org_people;
  for (auto& t : targets) {
    auto [from, to] = method::target_range(t.period, as_of);
    if (!sums.count(t.period)) {
      auto& m = sums[t.period];
      for (auto& r : tx.rep_metrics(org, day_s(from), day_s(to), std::nullopt)) m[r.rep_id] = r;
    }
    const auto& m = sums[t.period];
    std::vector<Id> reps;
    if (t.scope == "rep") {
      reps = {t.scope_id};
    } else {
      auto it = members.find(t.scope_id);
      if (it == members.end()) {
        if (!org_people) org_people.emplace(tx.list_teams(org), tx.list_users(org));
        std::set<Id> subtree{t.scope_id};  // the team and every team below it (cycles end the walk)
        for (bool grew = true; grew;) {
          grew = false;
          for (auto& team : org_people->first)
            if (team.parent_id && subtree.count(*team.parent_id) && subtree.insert(team.id).second) grew = true;
        }
        std::vector<Id> ids;  // in id order, as list_users_in_teams gave them
        for (auto& u : org_people->second)
          if (u.team_id && subtree.count(*u.team_id)) ids.push_back(u.id);
        it = members.emplace(t.scope_id, std::move(ids)).first;
      }
      reps = it->second;
    }
    TargetProgress tp;
    tp.target = t;
    int64_t met = 0, reached = 0;
    for (Id r : reps) {
      auto f = m.find(r);
      if (f == m.end()) continue;
      if (t.metric == "visits_new") {
        met += f->second.visits_new;
        reached += f->second.reached_new;
      } else if (t.metric == "effective_new") {
        tp.actual += f->second.effective_new;
      } else {
        tp.actual += f->second.signed_amount;
      }
    }
    if (t.metric == "visits_new") tp.actual = method::visits_new_of(p, met, reached);
    tp.attainment = method::attainment(tp.actual, t.value);
    tp.pace = method::pace_of(s, t.period, as_of, today);
    tp.behind = method::behind_pace(p, t.period, tp.pace, tp.attainment);
    tp.from = day_s(from);
    tp.to = day_s(to);
    out.push_back(std::move(tp));
  }
  return out;
}

Result<View> load_view(Tx& tx, const Actor& a, const Query& q, Instant now, RepFilter rf, bool team_wide) {
  View v;
  v.settings = tx.get_settings(a.org());
  v.params = method::params_of(v.settings);
  v.tz = TimeZone::get(v.settings.timezone);
  if (!v.tz) v.tz = TimeZone::get("UTC");
  v.today = v.tz->local_day(now);
  TRY_ASSIGN(auto as_of, q_date(q, "as_of"));
  v.as_of = as_of ? days_from_civil(*parse_date(*as_of)) : v.tz->local_day(now);
  if (v.as_of > v.tz->local_day(now) + 1) return field_error("as_of", "must not be in the future");
  v.as_of_s = v.day(v.as_of);
  v.as_of_end = v.tz->start_of_local_day(v.as_of + 1) - 1;
  TRY_ASSIGN(auto team, q_int(q, "team_id", 1, INT64_MAX));
  std::optional<int64_t> rep;
  if (rf == RepFilter::Allow) {
    TRY_ASSIGN(rep, q_int(q, "rep_id", 1, INT64_MAX));
  }
  // Scope is the same whichever way the request names it: team_id narrows, never widens.
  TRY_ASSIGN(std::vector<User> users, users_in_view(tx, a, team, team_wide));
  for (auto& u : users)
    if (u.role == Role::Rep && u.active && (!rep || u.id == *rep)) v.reps.push_back(u);
  if (rep && v.reps.empty()) {
    // The caller may ask about themselves even outside a team listing.
    if (*rep == a.user.id && a.user.role == Role::Rep) v.reps.push_back(a.user);
    else return not_found("rep");
  }
  v.targets = tx.list_targets(a.org());
  for (auto& t : v.targets)
    if (t.period == "day") v.day_targets[{t.scope, t.scope_id, t.metric}] = t.value;
  return v;
}

}  // namespace tj::detail
