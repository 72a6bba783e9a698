#include "method/params.h"

#include <cmath>

namespace tj::method {

Params params_of(const Settings& s) {
  Params p;
  p.quota_visits_new = s.quota_visits_new;
  p.quota_effective_new = s.quota_effective_new;
  p.calls_count_as_visits = s.calls_count_as_visits;
  p.new_share_min = s.new_share_min;
  p.time_sink_age_days = s.time_sink_age_days;
  p.time_sink_window_days = s.time_sink_window_days;
  p.time_sink_visits = s.time_sink_visits;
  p.sign_or_drop_visits = s.sign_or_drop_visits;
  p.not_effective_visits = s.not_effective_visits;
  p.nurture_cap = s.nurture_cap;
  p.pool_release_days = s.pool_release_days;
  p.pool_warn_days = s.pool_warn_days;
  p.claim_daily_max = s.claim_daily_max;
  p.owned_max = s.owned_max;
  p.reclaim_cooldown_days = s.reclaim_cooldown_days;
  p.min_order_value = s.min_order_value;
  p.prospect_rank_window = s.prospect_rank_window;
  p.harvest_window_days = s.harvest_window_days;
  p.diagnosis_share = s.diagnosis_share;
  p.diagnosis_window_days = s.diagnosis_window_days;
  p.quota_adjust_days = s.quota_adjust_days;
  p.quota_adjust_share = s.quota_adjust_share;
  p.new_hire_days = s.new_hire_days;
  p.coaching_enter_days = s.coaching_enter_days;
  p.coaching_leave_days = s.coaching_leave_days;
  p.coaching_window_days = s.coaching_window_days;
  p.coaching_compare_days = s.coaching_compare_days;
  p.talent_window_days = s.talent_window_days;
  p.visit_minutes = s.visit_minutes;
  p.call_minutes = s.call_minutes;
  p.pace_alert_share = s.pace_alert_share;
  p.pace_grace_days = s.pace_grace_days;
  p.plan_remind_at = s.plan_remind_at;
  p.review_remind_at = s.review_remind_at;
  return p;
}

namespace {
ParamSpec int_p(const char* n, int Settings::*m, int64_t lo, int64_t hi, const char* doc) {
  return ParamSpec{n, ParamKind::Int, lo, hi, 0, 0, m, doc};
}
ParamSpec share_p(const char* n, double Settings::*m, const char* doc) {
  return ParamSpec{n, ParamKind::Share, 0, 0, 0.0, 1.0, m, doc};
}
}  // namespace

const std::vector<ParamSpec>& param_specs() {
  static const std::vector<ParamSpec> specs = {
      {"min_order_value", ParamKind::Money, 0, int64_t(1e15), 0, 0, &Settings::min_order_value,
       "minimum order value (fen): a prospect's budget capacity must reach it"},
      int_p("quota_visits_new", &Settings::quota_visits_new, 0, 100,
            "daily quota: distinct new companies met in person per working day"),
      int_p("quota_effective_new", &Settings::quota_effective_new, 0, 100,
            "daily quota: companies that became effective new customers per working day"),
      {"calls_count_as_visits", ParamKind::Bool, 0, 0, 0, 0, &Settings::calls_count_as_visits,
       "a call counts towards visits_new (default: only visits and accompanied visits)"},
      share_p("new_share_min", &Settings::new_share_min, "80/20: least share of visits on new companies"),
      int_p("nurture_cap", &Settings::nurture_cap, 0, 1000, "most companies a rep may keep in nurture"),
      int_p("pool_release_days", &Settings::pool_release_days, 1, 3650,
            "an owned unsigned company goes to the public pool this many days after the latest of its last visit, claim and assignment"),
      int_p("pool_warn_days", &Settings::pool_warn_days, 0, 365, "the owner is warned this many days before the release"),
      int_p("claim_daily_max", &Settings::claim_daily_max, 0, 10000, "most pool claims per rep per day"),
      int_p("owned_max", &Settings::owned_max, 0, 1000000, "most unsigned companies a rep may own"),
      int_p("reclaim_cooldown_days", &Settings::reclaim_cooldown_days, 0, 365,
            "days before a rep may reclaim a company they dropped or lost to the pool"),
      int_p("time_sink_age_days", &Settings::time_sink_age_days, 1, 3650,
            "time sink (a): an unsigned company first visited at least this many days before"),
      int_p("time_sink_window_days", &Settings::time_sink_window_days, 1, 365,
            "time sink (a): the rolling window (days up to as_of) its visits are counted in"),
      int_p("time_sink_visits", &Settings::time_sink_visits, 1, 1000, "time sink (a): visits in the window"),
      int_p("sign_or_drop_visits", &Settings::sign_or_drop_visits, 1, 1000,
            "time sink (b) sign or drop: visits that met the payer"),
      int_p("not_effective_visits", &Settings::not_effective_visits, 1, 1000,
            "time sink (c) not effective / find the payer: visits while need, budget or payer is missing"),
      int_p("prospect_rank_window", &Settings::prospect_rank_window, 0, 100,
            "prospects: candidates within this many ranks of a signed customer"),
      int_p("harvest_window_days", &Settings::harvest_window_days, 1, 3650,
            "harvest: a company is a prospect from this many days before its competitor contract ends"),
      share_p("diagnosis_share", &Settings::diagnosis_share,
              "diagnosis: a measure fails below this share of the previous period's (or the veterans')"),
      int_p("diagnosis_window_days", &Settings::diagnosis_window_days, 1, 365,
            "diagnosis, source layer: the last N days against the N before"),
      int_p("quota_adjust_days", &Settings::quota_adjust_days, 1, 250,
            "diagnosis, people and system layers: the last N working days"),
      share_p("quota_adjust_share", &Settings::quota_adjust_share,
              "quota adjustment: share of reps that must reach the quota on their median day"),
      int_p("new_hire_days", &Settings::new_hire_days, 0, 3650, "tenure in days below which a rep is a new hire"),
      int_p("coaching_enter_days", &Settings::coaching_enter_days, 1, 60,
            "consecutive working days below quota that put a rep into coaching"),
      int_p("coaching_leave_days", &Settings::coaching_leave_days, 1, 60,
            "consecutive working days on quota that end coaching"),
      int_p("coaching_window_days", &Settings::coaching_window_days, 1, 250,
            "working days the coaching loop looks back over"),
      int_p("coaching_compare_days", &Settings::coaching_compare_days, 1, 250,
            "coaching: attainment since entry is compared with this many working days before it"),
      int_p("talent_window_days", &Settings::talent_window_days, 5, 250,
            "talent matrix: performance is quota attainment over this many working days up to as_of"),
      int_p("visit_minutes", &Settings::visit_minutes, 1, 1440,
            "80/20: the weight in minutes of a visit logged without a duration"),
      int_p("call_minutes", &Settings::call_minutes, 1, 1440,
            "80/20: the weight in minutes of a call logged without a duration"),
      share_p("pace_alert_share", &Settings::pace_alert_share,
              "behind_pace: a monthly target's attainment below this share of its pace"),
      int_p("pace_grace_days", &Settings::pace_grace_days, 0, 31,
            "behind_pace: not raised in the month's first N working days"),
      {"plan_remind_at", ParamKind::ClockTime, 0, 0, 0, 0, &Settings::plan_remind_at,
       "local time (HH:MM) of the morning plan reminder"},
      {"review_remind_at", ParamKind::ClockTime, 0, 0, 0, 0, &Settings::review_remind_at,
       "local time (HH:MM) of the evening review reminder"},
  };
  return specs;
}

const ParamSpec* find_param(std::string_view name) {
  for (auto& p : param_specs())
    if (name == p.name) return &p;
  return nullptr;
}

std::optional<int> parse_clock_time(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::optional<std::string> set_param(Settings& s, const ParamSpec& p, const ParamValue& v) {
  auto range = [&] { return "must be an integer from " + std::to_string(p.lo) + " to " + std::to_string(p.hi); };
  switch (p.kind) {
    case ParamKind::Int:
    case ParamKind::Money: {
      if (!std::holds_alternative<int64_t>(v)) return range();
      int64_t x = std::get<int64_t>(v);
      if (x < p.lo || x > p.hi) return range();
      if (p.kind == ParamKind::Int) s.*std::get<int Settings::*>(p.member) = int(x);
      else s.*std::get<Fen Settings::*>(p.member) = x;
      return std::nullopt;
    }
    case ParamKind::Share: {
      double x;
      if (std::holds_alternative<double>(v)) x = std::get<double>(v);
      else if (std::holds_alternative<int64_t>(v)) x = double(std::get<int64_t>(v));
      else return "must be a number from 0 to 1";
      if (!std::isfinite(x) || x < p.dlo || x > p.dhi) return "must be a number from 0 to 1";
      s.*std::get<double Settings::*>(p.member) = x;
      return std::nullopt;
    }
    case ParamKind::Bool:
      if (!std::holds_alternative<bool>(v)) return "must be true or false";
      s.*std::get<bool Settings::*>(p.member) = std::get<bool>(v);
      return std::nullopt;
    case ParamKind::ClockTime:
      if (!std::holds_alternative<std::string>(v) || !parse_clock_time(std::get<std::string>(v)))
        return "must be a local time HH:MM (00:00 to 23:59)";
      s.*std::get<std::string Settings::*>(p.member) = std::get<std::string>(v);
      return std::nullopt;
  }
  return "unknown parameter";
}

ParamValue get_param(const Settings& s, const ParamSpec& p) {
  switch (p.kind) {
    case ParamKind::Int: return int64_t(s.*std::get<int Settings::*>(p.member));
    case ParamKind::Money: return s.*std::get<Fen Settings::*>(p.member);
    case ParamKind::Share: return s.*std::get<double Settings::*>(p.member);
    case ParamKind::Bool: return s.*std::get<bool Settings::*>(p.member);
    case ParamKind::ClockTime: return s.*std::get<std::string Settings::*>(p.member);
  }
  return int64_t(0);
}

std::optional<std::pair<std::string, std::string>> check_params(const Settings& s) {
  if (s.pool_warn_days >= s.pool_release_days)
    return std::pair{std::string("pool_warn_days"), std::string("must be less than pool_release_days (") +
                                                        std::to_string(s.pool_release_days) + ")"};
  if (s.coaching_window_days < s.coaching_enter_days)
    return std::pair{std::string("coaching_window_days"), std::string("must be at least coaching_enter_days (") +
                                                              std::to_string(s.coaching_enter_days) + ")"};
  return std::nullopt;
}

}  // namespace tj::method
