// The method's verdicts (SPEC §3) as pure functions of facts and the parameter set:
// what counts as a new-customer visit, which days may be judged, the quota, the
// 80/20 rule, the coaching window, target precedence, pace and behind_pace, the
// harvest window, and which actions an alert offers whom. The store supplies the
// facts (counters, rows), the app checks access and renders; each rule lives here
// with its cases in tests/unit/verdicts_test.cpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.h"
#include "method/params.h"

namespace tj::method {

// ---- visits_new ----
// The day's new-customer visits from the counters' facts: distinct new companies met in
// person (`visit`/`accompanied`) and distinct new companies reached by any kind (calls too).
// A call counts only when calls_count_as_visits.
int64_t visits_new_of(const Params& p, int64_t met_in_person, int64_t reached_any);

// ---- finished days ----
// A day in progress is not a miss: the last day that may be judged when the view is as of
// `as_of` and the organisation's today is `today` (as_of itself when it is over, else the day before).
int64_t last_finished_day(int64_t as_of, int64_t today);
// The working days the coaching loop judges: the last coaching_window_days finished working days.
std::vector<int64_t> coaching_days(const Settings& s, const Params& p, int64_t as_of, int64_t today);
// The working days the quota adjustment and the people layer judge (quota_adjust_days, finished).
std::vector<int64_t> adjustment_days(const Settings& s, const Params& p, int64_t as_of, int64_t today);

// ---- the daily quota ----
// A rep's daily quota for a metric: their own target, else their team's, else the organisation's.
int64_t pick_quota(std::optional<int64_t> rep_target, std::optional<int64_t> team_target, int64_t org_default);
bool on_quota(int64_t visits_new, int64_t effective_new, int64_t quota_visits, int64_t quota_effective);
// The day `below_quota` judges for a view as of `as_of` (nullopt: no finished working day to judge
// in the ISO week... i.e. the last finished day is not a working day).
std::optional<int64_t> below_quota_day(const Settings& s, int64_t as_of, int64_t today);

// ---- 80/20 ----
// The days the low_new_share alert judges: the ISO week containing as_of, from its Monday to
// the last finished day (nullopt when none of that week is finished yet).
std::optional<std::pair<int64_t, int64_t>> new_share_range(int64_t as_of, int64_t today);
// Share of (duration-weighted) visit minutes on new companies; nullopt without minutes.
// The duration-weighted minutes, all and on new companies: logged durations, and the
// settings visit_minutes / call_minutes for a visit or a call logged without one.
struct WeightedMinutes {
  int64_t total = 0, on_new = 0;
};
WeightedMinutes weighted_minutes(const Params& p, const VisitMinutes& m);
// The share of weighted minutes on new companies; none without any visit.
std::optional<double> new_share(const Params& p, const VisitMinutes& m);
bool low_new_share(const Params& p, const VisitMinutes& m);

// ---- time sinks ----
// (a) the rolling window: first visited on or before age_cutoff, and >= time_sink_visits
// visits in [window_from, as_of].
struct TimeSinkWindow {
  int64_t window_from = 0, age_cutoff = 0;
};
TimeSinkWindow time_sink_window(const Params& p, int64_t as_of);

// ---- targets against results ----
// pace = share of the period's working days gone (finished) by as_of: a day target is 1
// when that day is over, else 0; a month target counts the month's finished working days.
struct Pace {
  int days_gone = 0, days_total = 0;
  double pace = 0;
};
Pace pace_of(const Settings& s, const std::string& period, int64_t as_of, int64_t today);
std::optional<double> attainment(int64_t actual, int64_t value);
// behind_pace: a monthly target past the month's first pace_grace_days working days whose
// attainment is below pace_alert_share x pace.
bool behind_pace(const Params& p, const std::string& period, const Pace& pace, std::optional<double> attainment);
// The days a target's actual is summed over: the day itself, or the month up to as_of.
std::pair<int64_t, int64_t> target_range(const std::string& period, int64_t as_of);

// ---- harvest ----
// A company whose competitor contract ends on `contract_end` is in its harvest window from
// harvest_window_days before that day up to the day itself.
bool in_harvest_window(const Params& p, int64_t contract_end, int64_t as_of);
// The range of contract end days in the window as of `as_of`: [as_of, as_of + harvest_window_days].
std::pair<int64_t, int64_t> harvest_end_range(const Params& p, int64_t as_of);
// A harvest prospect's score: ahead of every rank-adjacent one (method::prospect_score < 3000),
// the renewal will not wait.
constexpr int kHarvestScore = 3000;

// ---- what an alert lets the caller do ----
// A rep acting on their own company alert: log_visit, drop, nurture (nurture_due: log_visit,
// drop); on their own rep alerts: log_visit. A manager or above: book_accompanied and nudge,
// and reassign on company alerts. Nothing for anyone else.
std::vector<std::string> alert_actions(const std::string& kind, Role role, bool own);
bool is_company_alert(const std::string& kind);

}  // namespace tj::method
