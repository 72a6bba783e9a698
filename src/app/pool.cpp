// The public pool (公海): claim limits and the release day (SPEC §3). The release itself is
// the daily job (people.cpp run_jobs) over Tx::stale_owned; the warning is the alert
// `pool_release_soon` (method_views.cpp) over Tx::pool_release_due.
#include "app/pool.h"
#include "method/params.h"

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
                      zh ? "你在 " + day_str(lost_day) + " 放弃或失去了这家公司，" + std::to_string(n.cooldown_days) +
                               " 天内不能再认领：" + day_str(free_day) + " 起可以认领"
                         : "you dropped or lost this company on " + day_str(lost_day) + "; you cannot reclaim it for " +
                               std::to_string(n.cooldown_days) + " days: you can claim it from " + day_str(free_day));
  }
  int64_t claims = tx.count_claims(a.org(), a.user.id, tz->start_of_local_day(today), tz->start_of_local_day(today + 1));
  if (claims >= n.claim_daily_max)
    return conflict("claim_daily_max",
                    zh ? "今天已认领 " + std::to_string(claims) + " 家，每人每天最多认领 " + std::to_string(n.claim_daily_max) +
                             " 家：明天（" + day_str(today + 1) + "）再认领"
                       : "you have claimed " + std::to_string(claims) + " companies today; a rep may claim at most " +
                             std::to_string(n.claim_daily_max) + " a day: claim again tomorrow (" + day_str(today + 1) + ")");
  int64_t owned = tx.count_owned_unsigned(a.org(), a.user.id);
  if (owned >= n.owned_max)
    return conflict("owned_max",
                    zh ? "你名下已有 " + std::to_string(owned) + " 家未签约的公司，每人最多 " + std::to_string(n.owned_max) +
                             " 家：签下、放弃或释放一家之后才能认领"
                       : "you own " + std::to_string(owned) + " unsigned companies; a rep may hold at most " +
                             std::to_string(n.owned_max) + ": until you sign or drop one, you cannot claim more");
  return ok_status();
}

void record_claim(Tx& tx, const Actor& a, Id company, Instant now) { tx.insert_claim(a.org(), a.user.id, company, now); }

std::string pool_release_day(const TimeZone& tz, Instant clock_start, const PoolNumbers& n) {
  return tz.local_date(clock_start + int64_t(n.release_days) * 86400);
}

std::string pool_release_message(bool zh, const std::string& company, const std::string& day, int64_t days_left,
                                 const PoolNumbers& n) {
  std::string when = days_left <= 0 ? (zh ? "今天" : "today")
                     : days_left == 1 ? (zh ? "明天（" + day + "）" : "tomorrow (" + day + ")")
                                      : (zh ? std::to_string(days_left) + " 天后（" + day + "）"
                                            : "in " + std::to_string(days_left) + " days (" + day + ")");
  return zh ? "「" + company + "」" + std::to_string(n.release_days) + " 天无跟进，将于" + when +
                  "退回公海：去拜访一次，或放弃它"
            : company + " goes back to the public pool " + when + " after " + std::to_string(n.release_days) +
                  " days without follow-up: visit it, or drop it";
}

}  // namespace tj::detail
