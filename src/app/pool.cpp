// The public pool (公海): claim limits and the release day (SPEC §3). The release itself is
// the daily job (people.cpp run_jobs) over Tx::stale_owned; the warning is the alert
// `pool_release_soon` (method_views.cpp) over Tx::pool_release_due.
#include "app/pool.h"
#include "method/params.h"
#include "app/messages.h"

namespace tj::detail {

PoolNumbers pool_numbers(const Settings& s) {
  const method::Params p = method::params_of(s);
  PoolNumbers n;
  n.release_days = p.pool_release_days;
  n.warn_days = p.pool_warn_days;
  n.claim_daily_max = p.claim_daily_max;
  n.owned_max = p.owned_max;
  n.cooldown_days = p.reclaim_cooldown_days;
  return n;
}

namespace {
std::shared_ptr<const TimeZone> zone_of(const Settings& s) {
  auto tz = TimeZone::get(s.timezone);
  return tz ? tz : TimeZone::get("UTC");
}
std::string day_str(int64_t day) { return format_date(civil_from_days(day)); }
}  // namespace

Status check_claim_limits(Tx& tx, const Actor& a, const Company& c, const Settings& s, Instant now) {
  const PoolNumbers n = pool_numbers(s);
  auto tz = zone_of(s);
  const int64_t today = tz->local_day(now);
  const bool zh = a.zh;
  auto facts = tx.pool_facts(a.org(), c.id);
  if (facts.lost_by && *facts.lost_by == a.user.id && facts.lost_at) {
    int64_t lost_day = tz->local_day(*facts.lost_at), free_day = lost_day + n.cooldown_days;
    if (today < free_day)
      return conflict("reclaim_cooldown",
                      tr("pool.reclaim_cooldown", zh,
                         {{"lost", day_str(lost_day)}, {"days", std::to_string(n.cooldown_days)}, {"free", day_str(free_day)}}));
  }
  int64_t claims = tx.count_claims(a.org(), a.user.id, tz->start_of_local_day(today), tz->start_of_local_day(today + 1));
  if (claims >= n.claim_daily_max)
    return conflict("claim_daily_max",
                    tr("pool.claim_daily_max", zh,
                       {{"claims", std::to_string(claims)}, {"max", std::to_string(n.claim_daily_max)}, {"tomorrow", day_str(today + 1)}}));
  int64_t owned = tx.count_owned_unsigned(a.org(), a.user.id);
  if (owned >= n.owned_max)
    return conflict("owned_max",
                    tr("pool.owned_max", zh, {{"owned", std::to_string(owned)}, {"max", std::to_string(n.owned_max)}}));
  return ok_status();
}

void record_claim(Tx& tx, const Actor& a, Id company, Instant now) { tx.insert_claim(a.org(), a.user.id, company, now); }

std::string pool_release_day(const TimeZone& tz, Instant clock_start, const PoolNumbers& n) {
  return tz.local_date(clock_start + int64_t(n.release_days) * 86400);
}

std::string pool_release_message(bool zh, const std::string& company, const std::string& day, int64_t days_left,
                                 const PoolNumbers& n) {
  std::string when = days_left <= 0 ? tr("pool.release_today", zh)
                     : days_left == 1 ? tr("pool.release_tomorrow", zh, {{"day", day}})
                                      : tr("pool.release_in_days", zh, {{"n", std::to_string(days_left)}, {"day", day}});
  return tr("pool.release_warning", zh, {{"company", company}, {"days", std::to_string(n.release_days)}, {"when", when}});
}

}  // namespace tj::detail
