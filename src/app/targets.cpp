// Targets against results (树目标 → 拿结果): GET /api/v1/targets/progress. Each visible
// target with its actual, attainment and pace; the numbers are src/method's
// (method::pace_of, attainment, behind_pace), the sums the counters' (target_progress).
#include <algorithm>
#include <map>
#include <optional>

#include "app/views.h"

namespace tj {
using namespace detail;

Result<json> App::targets_progress(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id", "period"}));
  std::string period = q.count("period") ? q.at("period") : "";
  if (!period.empty() && period != "day" && period != "month") return field_error("period", "must be day or month");
  TRY_ASSIGN(auto as_of_q, q_date(q, "as_of"));
  TRY_ASSIGN(auto team, q_int(q, "team_id", 1, INT64_MAX));
  json items = json::array();
  std::string as_of_s;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    Settings s = tx.get_settings(a.org());
    auto P = method::params_of(s);
    auto tz = TimeZone::get(s.timezone);
    if (!tz) tz = TimeZone::get("UTC");
    int64_t today = tz->local_day(clock_.now());
    int64_t as_of = as_of_q ? days_from_civil(*parse_date(*as_of_q)) : today;
    if (as_of > today + 1) return field_error("as_of", "must not be in the future");
    as_of_s = format_date(civil_from_days(as_of));
    // Which targets the caller may see: as GET /api/v1/targets (a rep: their own and their
    // team's; a manager: their teams' and their reps'; directors and admins: all).
    auto team_visible = [&](Id t) {
      if (a.scope.kind == Scope::All) return true;
      if (a.user.team_id && *a.user.team_id == t) return true;
      return std::find(a.scope.team_ids.begin(), a.scope.team_ids.end(), t) != a.scope.team_ids.end();
    };
    std::vector<Id> subtree;
    std::vector<Id> members;
    if (team) {
      if (!tx.get_team(a.org(), *team) || !team_visible(*team)) return not_found("team");
      subtree = tx.team_subtree(a.org(), {*team});
      for (auto& u : tx.list_users_in_teams(a.org(), subtree)) members.push_back(u.id);
    }
    std::vector<Target> shown;
    std::optional<std::map<Id, User>> users;  // read once, for the rep targets (not one query each)
    for (auto& t : tx.list_targets(a.org())) {
      if (!period.empty() && t.period != period) continue;
      bool visible;
      if (t.scope == "team") {
        visible = team_visible(t.scope_id);
        if (team) visible = visible && std::find(subtree.begin(), subtree.end(), t.scope_id) != subtree.end();
      } else {
        if (!users) {
          users.emplace();
          for (auto& u : tx.list_users(a.org())) users->emplace(u.id, u);
        }
        auto u = users->find(t.scope_id);
        visible = u != users->end() && user_in_scope(tx, a, u->second);
        if (team) visible = visible && std::find(members.begin(), members.end(), t.scope_id) != members.end();
      }
      if (visible) shown.push_back(t);
    }
    for (auto& tp : target_progress(tx, a.org(), s, P, as_of, today, shown)) items.push_back(target_progress_json(tp));
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}, {"as_of", as_of_s}};
}

json detail::target_progress_json(const TargetProgress& tp) {
  const Target& t = tp.target;
  return {{"id", t.id},
          {"scope", t.scope},
          {"scope_id", t.scope_id},
          {"metric", t.metric},
          {"period", t.period},
          {"value", t.value},
          {"actual", tp.actual},
          {"attainment", tp.attainment ? json(*tp.attainment) : json(nullptr)},
          {"pace", tp.pace.pace},
          {"working_days_gone", tp.pace.days_gone},
          {"working_days", tp.pace.days_total},
          {"behind_pace", tp.behind},
          {"from", tp.from},
          {"to", tp.to}};
}

}  // namespace tj
