#include "app/views.h"

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
  if (auto it = day_targets.find({"rep", u.id, metric}); it != day_targets.end()) return it->second;
  if (u.team_id)
    if (auto it = day_targets.find({"team", *u.team_id, metric}); it != day_targets.end()) return it->second;
  return metric == "visits_new" ? settings.quota_visits_new : settings.quota_effective_new;
}

Result<View> load_view(Tx& tx, const Actor& a, const Query& q, Instant now, RepFilter rf, bool team_wide) {
  View v;
  v.settings = tx.get_settings(a.org());
  v.tz = TimeZone::get(v.settings.timezone);
  if (!v.tz) v.tz = TimeZone::get("UTC");
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
