// Shared plumbing of the computed views: the as_of day, the reps a view
// covers (scoped), their quotas (rep target > team target > setting).
#pragma once
#include <map>
#include <tuple>

#include "app/internal.h"
#include "method/method.h"

namespace tj::detail {

struct View {
  Settings settings;
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
  std::string day(int64_t d) const { return format_date(civil_from_days(d)); }
};

enum class RepFilter { Allow, Forbid };
// Reads as_of (default today), team_id and (with RepFilter::Allow) rep_id from the query,
// checks them against the actor's scope, and loads the view. A rep sees their team when
// `team_wide` (leaderboards), else only themselves.
Result<View> load_view(Tx& tx, const Actor& a, const Query& q, Instant now, RepFilter rf, bool team_wide);

}  // namespace tj::detail
