// The public pool (公海) clock and claim limits, and duplicate names (撞单), SPEC §3:
// the checks the company use cases (companies.cpp, import.cpp) call in their write
// transactions. pool.cpp: claim limits and the release warning; duplicates.cpp: the name
// check, the 409 `duplicate` and the attempt record (duplicate_hook.h).
#pragma once
#include "app/internal.h"

namespace tj::detail {

// ---- the pool ----
// The pool numbers of an organisation, from method::Params (pool_release_days, pool_warn_days,
// claim_daily_max, owned_max, reclaim_cooldown_days: settings, never literals here).
struct PoolNumbers {
  int release_days = 0, warn_days = 0, claim_daily_max = 0, owned_max = 0, cooldown_days = 0;
};
PoolNumbers pool_numbers(const Settings& s);

// Checks that `a` may claim pool company `c` now: the reclaim cool-down (a company the actor
// dropped or lost to the pool, until the local day lost + cooldown_days), the daily claim
// limit (claims of the actor's current local day), and the owned limit (unsigned companies the
// actor owns). Each refusal is a 409 whose code names the limit (`reclaim_cooldown`,
// `claim_daily_max`, `owned_max`) and whose message says until when, in the actor's language.
Status check_claim_limits(Tx& tx, const Actor& a, const Company& c, const Settings& s, Instant now);
// Records a claim (counted by the daily limit).
void record_claim(Tx& tx, const Actor& a, Id company, Instant now);

// The local day on which an owned company whose pool clock started at `clock_start` is released.
std::string pool_release_day(const TimeZone& tz, Instant clock_start, const PoolNumbers& n);

// The alert `pool_release_soon`'s message: the company goes back to the pool on `day`.
std::string pool_release_message(bool zh, const std::string& company, const std::string& day, int64_t days_left,
                                 const PoolNumbers& n);

// ---- duplicates ----
// A live company of the organisation whose normalised name equals `name`'s (other than
// `except`): the first by id, with its owner's display name (empty for a pool company) and
// whether `a` may read it.
struct DuplicateHit {
  Company company;
  std::string owner_name;
  bool readable = false;
};
std::optional<DuplicateHit> find_duplicate(Tx& tx, const Actor& a, const std::string& name, std::optional<Id> except);
// The 409 `duplicate`: names the existing company's owner (display name only) and, when the
// caller may read it, the company; nothing else.
Error duplicate_error(const Actor& a, const DuplicateHit& d);
// The reason of an import row rejected as a duplicate (same words as duplicate_error).
std::string duplicate_reason(const Actor& a, const DuplicateHit& d);
// Tells the owner: on_duplicate_attempt (duplicate_hook.h), unless the caller is the owner
// or the company is in the pool.
void record_duplicate_attempt(Tx& tx, const Actor& a, const DuplicateHit& d, const std::string& attempted_name,
                              const char* via, Instant now);

}  // namespace tj::detail
