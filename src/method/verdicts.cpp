#include "method/verdicts.h"

#include <algorithm>

#include "method/method.h"

namespace tj::method {

int64_t visits_new_of(const Params& p, int64_t met_in_person, int64_t reached_any) {
  return p.calls_count_as_visits ? reached_any : met_in_person;
}

int64_t last_finished_day(int64_t as_of, int64_t today) { return as_of < today ? as_of : today - 1; }

std::vector<int64_t> coaching_days(const Settings& s, const Params& p, int64_t as_of, int64_t today) {
  return last_working_days(s, last_finished_day(as_of, today), p.coaching_window_days);
}

std::vector<int64_t> adjustment_days(const Settings& s, const Params& p, int64_t as_of, int64_t today) {
  return last_working_days(s, last_finished_day(as_of, today), p.quota_adjust_days);
}

int64_t pick_quota(std::optional<int64_t> rep_target, std::optional<int64_t> team_target, int64_t org_default) {
  if (rep_target) return *rep_target;
  if (team_target) return *team_target;
  return org_default;
}

bool on_quota(int64_t visits_new, int64_t effective_new, int64_t quota_visits, int64_t quota_effective) {
  return visits_new >= quota_visits && effective_new >= quota_effective;
}

std::optional<int64_t> below_quota_day(const Settings& s, int64_t as_of, int64_t today) {
  int64_t d = last_finished_day(as_of, today);
  if (!is_working_day(s, d)) return std::nullopt;
  return d;
}

std::optional<std::pair<int64_t, int64_t>> new_share_range(int64_t as_of, int64_t today) {
  int64_t from = iso_week_start(as_of), to = last_finished_day(as_of, today);
  if (to < from) return std::nullopt;
  return std::pair{from, to};
}

WeightedMinutes weighted_minutes(const Params& p, const VisitMinutes& m) {
  WeightedMinutes w;
  w.total = m.logged_total + m.calls_unlogged * p.call_minutes + m.meets_unlogged * p.visit_minutes;
  w.on_new = m.logged_new + m.calls_unlogged_new * p.call_minutes + m.meets_unlogged_new * p.visit_minutes;
  return w;
}

std::optional<double> new_share(const Params& p, const VisitMinutes& m) {
  auto w = weighted_minutes(p, m);
  if (w.total <= 0) return std::nullopt;
  return double(w.on_new) / double(w.total);
}

bool low_new_share(const Params& p, const VisitMinutes& m) {
  auto s = new_share(p, m);
  return s && *s < p.new_share_min;
}

TimeSinkWindow time_sink_window(const Params& p, int64_t as_of) {
  return {as_of - (p.time_sink_window_days - 1), as_of - p.time_sink_age_days};
}

Pace pace_of(const Settings& s, const std::string& period, int64_t as_of, int64_t today) {
  Pace r;
  int64_t done = last_finished_day(as_of, today);
  if (period == "day") {
    r.days_total = 1;
    r.days_gone = done >= as_of ? 1 : 0;
  } else {
    int64_t from = month_start(as_of);
    auto c = civil_from_days(as_of);
    int64_t last = days_from_civil({c.m == 12 ? c.y + 1 : c.y, c.m == 12 ? 1 : c.m + 1, 1}) - 1;
    r.days_total = count_working_days(s, from, last);
    r.days_gone = done < from ? 0 : count_working_days(s, from, std::min(done, last));
  }
  r.pace = r.days_total ? double(r.days_gone) / double(r.days_total) : 1.0;
  return r;
}

std::optional<double> attainment(int64_t actual, int64_t value) {
  if (value <= 0) return std::nullopt;
  return double(actual) / double(value);
}

bool behind_pace(const Params& p, const std::string& period, const Pace& pace, std::optional<double> att) {
  if (period != "month" || !att) return false;
  if (pace.days_gone <= p.pace_grace_days) return false;
  return *att < p.pace_alert_share * pace.pace;
}

std::pair<int64_t, int64_t> target_range(const std::string& period, int64_t as_of) {
  return {period == "day" ? as_of : month_start(as_of), as_of};
}

bool in_harvest_window(const Params& p, int64_t contract_end, int64_t as_of) {
  return as_of >= contract_end - p.harvest_window_days && as_of <= contract_end;
}

std::pair<int64_t, int64_t> harvest_end_range(const Params& p, int64_t as_of) {
  return {as_of, as_of + p.harvest_window_days};
}

bool is_company_alert(const std::string& kind) {
  return kind != "low_new_share" && kind != "below_quota" && kind != "behind_pace";
}

std::vector<std::string> alert_actions(const std::string& kind, Role role, bool own) {
  bool company = is_company_alert(kind);
  if (role == Role::Rep) {
    if (!own) return {};
    if (!company) return {"log_visit"};
    if (kind == "nurture_due") return {"log_visit", "drop"};
    return {"log_visit", "drop", "nurture"};
  }
  if (company) return {"book_accompanied", "nudge", "reassign"};
  return {"book_accompanied", "nudge"};
}

}  // namespace tj::method
