// Shared plumbing of the computed views: the as_of day, the reps a view
// covers (scoped), their quotas (rep target > team target > setting).
#pragma once
#include <map>
#include <tuple>

#include "app/internal.h"
#include "method/method.h"
#include "method/verdicts.h"

namespace tj::detail {

// The coaching view's page of reps (GET /coaching: limit, cursor): the default and the largest.
inline constexpr int64_t kCoachingPage = 200;
inline constexpr int64_t kCoachingMaxPage = 500;

struct View {
  Settings settings;
  method::Params params;      // the organisation's numbers of the method
  int64_t today = 0;          // the organisation's today (local day number): days before it are finished
  std::shared_ptr<const TimeZone> tz;
  int64_t as_of = 0;          // local day number
  std::string as_of_s;        // "YYYY-MM-DD"
  Instant as_of_end = 0;      // last second of as_of, UTC
  std::vector<User> reps;     // role rep, in scope, narrowed by team_id / rep_id
  std::vector<Target> targets;
  // Daily targets by (scope "rep"/"team", scope id, metric), so quota() is a lookup, not a
  // scan of every target for every rep (an organisation of 1,000 reps has about as many).
  std::map<std::tuple<std::string, Id, std::string>, int64_t> day_targets;
  std::vector<Id> rep_ids() const;
  const User* rep(Id id) const;
  int64_t quota(const User& u, const std::string& metric) const;  // per working day
  // The day's new-customer visits from the counters (method::visits_new_of).
  int64_t visits_new(const DailyCount& d) const { return method::visits_new_of(params, d.visits_new, d.reached_new); }
  std::string day(int64_t d) const { return format_date(civil_from_days(d)); }
};

// A target against its results (树目标 → 拿结果): the actual over the target's period up to
// as_of (a day: that day; a month: its first day to as_of), attainment, pace, behind_pace.
// A team target sums every member of the team and its sub-teams.
struct TargetProgress {
  Target target;
  int64_t actual = 0;
  std::optional<double> attainment;
  method::Pace pace;
  bool behind = false;
  std::string from, to;
};
std::vector<TargetProgress> target_progress(Tx& tx, Id org, const Settings& s, const method::Params& p, int64_t as_of,
                                            int64_t today, const std::vector<Target>& targets);
// One target's progress as GET /targets/progress and the today view show it.
json target_progress_json(const TargetProgress& tp);

// A share's "help wanted" as a proposed 陪访 booking for a manager (team_view.cpp): the rep,
// the rep's company the text names (the plan's companies first, then the rep's own; null when
// none), the next working day at 10:00 local, stage 1. Null for a rep caller, an empty text or
// a rep outside the view. review_id is left null for the caller to fill.
json propose_help_booking(Tx& tx, const Actor& a, const View& v, Id rep_id, const std::string& help_text, const json& plan);

enum class RepFilter { Allow, Forbid };
// Reads as_of (default today), team_id and (with RepFilter::Allow) rep_id from the query,
// checks them against the actor's scope, and loads the view. A rep sees their team when
// `team_wide` (leaderboards), else only themselves.
Result<View> load_view(Tx& tx, const Actor& a, const Query& q, Instant now, RepFilter rf, bool team_wide);

}  // namespace tj::detail
