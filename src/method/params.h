// The method's one parameter set (SPEC §3: every number is a per-organisation
// setting). `Params` holds every number a rule reads, with the SPEC default;
// `params_of` builds it from the organisation's Settings. `param_specs()` is the
// one table of those settings: name, kind, range and where it lives in Settings.
// GET/PATCH /api/v1/settings, their validation and the settings table's columns
// are all driven by it, so a new number is one field here, one in Settings, one
// row in the table and one column in a migration.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/entities.h"

namespace tj::method {

struct Params {
  // ---- daily quota ----
  int quota_visits_new = 5;              // distinct new companies met in person per working day
  int quota_effective_new = 2;           // companies that became effective per working day
  bool calls_count_as_visits = false;    // a `call` counts towards visits_new
  // ---- 80/20 ----
  double new_share_min = 0.8;            // share of (weighted) visits on new companies
  // ---- time sinks ----
  int time_sink_age_days = 30;           // (a) first visited at least this many days before as_of
  int time_sink_window_days = 30;        // (a) ... with visits in this rolling window (days, as_of inclusive)
  int time_sink_visits = 2;              // (a) ... at least this many
  int sign_or_drop_visits = 2;           // (b) unsigned, at least this many visits that met the payer
  int not_effective_visits = 3;          // (c) at least this many visits, still missing a fact
  // ---- nurture and the public pool ----
  int nurture_cap = 5;
  int pool_release_days = 30;            // released this long after the latest of visit, claim, assignment
  int pool_warn_days = 3;                // the owner is warned this long before
  int claim_daily_max = 10;              // claims per rep per day
  int owned_max = 300;                   // unsigned companies owned per rep
  int reclaim_cooldown_days = 7;         // a rep cannot reclaim what they dropped or lost for this long
  // ---- prospects ----
  Fen min_order_value = 1000000;         // budget capacity a prospect needs (fen)
  int prospect_rank_window = 2;          // candidates within ±this many ranks of a signed customer
  int harvest_window_days = 60;          // a competitor's contract end: a prospect from this long before
  // ---- diagnosis and quota adjustment ----
  double diagnosis_share = 0.8;          // a measure fails below this share of the previous period's
  int diagnosis_window_days = 30;        // source layer: the last N days against the N before
  int quota_adjust_days = 20;            // people and system: the last N working days
  double quota_adjust_share = 0.8;       // share of reps that must reach the quota on their median day
  int new_hire_days = 90;                // tenure below which a rep is a new hire
  // ---- coaching ----
  int coaching_enter_days = 3;           // consecutive working days below quota to enter
  int coaching_leave_days = 3;           // consecutive working days on quota to leave
  int coaching_window_days = 40;         // working days looked back over
  int coaching_compare_days = 10;        // "does it work": attainment since entry vs this many days before
  // ---- talent matrix ----
  int talent_window_days = 60;           // performance: attainment over this many working days up to as_of
  // ---- 80/20 weights ----
  int visit_minutes = 60;                // a visit (or accompanied visit) logged without a duration weighs this
  int call_minutes = 15;                 // a call logged without a duration weighs this
  // ---- targets ----
  double pace_alert_share = 0.8;         // behind_pace: attainment < share × pace
  int pace_grace_days = 5;               // ... only after this many working days of the month
  // ---- notifications ----
  std::string plan_remind_at = "09:30";  // local time, HH:MM
  std::string review_remind_at = "19:00";
};

// The organisation's parameters (Settings carries every one of them).
Params params_of(const Settings& s);

// ---- the settings table ----
enum class ParamKind { Int, Money, Share, Bool, ClockTime };
struct ParamSpec {
  const char* name;        // the settings key and the column name
  ParamKind kind;
  int64_t lo = 0, hi = 0;  // Int/Money: inclusive range
  double dlo = 0, dhi = 0; // Share: inclusive range
  std::variant<int Settings::*, Fen Settings::*, double Settings::*, bool Settings::*, std::string Settings::*> member;
  const char* doc;         // one line for OpenAPI and the README
};
const std::vector<ParamSpec>& param_specs();
const ParamSpec* find_param(std::string_view name);

// A parameter value as it arrives (decoded from JSON by the caller).
using ParamValue = std::variant<int64_t, double, bool, std::string>;
// Checks `v` against the spec's kind and range and stores it in `s`; on a bad
// value returns the reason (the caller names the field).
std::optional<std::string> set_param(Settings& s, const ParamSpec& p, const ParamValue& v);
ParamValue get_param(const Settings& s, const ParamSpec& p);
// Checks that hold between parameters (e.g. the pool warning before the release);
// returns {field, reason} of the first that does not.
std::optional<std::pair<std::string, std::string>> check_params(const Settings& s);

// "HH:MM" (00:00-23:59) -> minutes after midnight.
std::optional<int> parse_clock_time(std::string_view s);

}  // namespace tj::method
