// Tiejun's entities as plain value types: no I/O, no JSON. Money is int64 fen;
// instants are UTC Unix seconds; calendar days are "YYYY-MM-DD" strings.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/time.h"

namespace tj {

using Id = int64_t;
using Fen = int64_t;

enum class Role { Rep, Manager, Director, Admin };
const char* to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

// Company lifecycle of SPEC §3: prospect -> contacted -> effective -> signed,
// with nurture and dropped as side states.
enum class CompanyStatus { Prospect, Contacted, Effective, Signed, Nurture, Dropped };
const char* to_string(CompanyStatus s);
std::optional<CompanyStatus> parse_company_status(std::string_view s);

enum class VisitKind { Visit, Call, Accompanied };
const char* to_string(VisitKind k);
std::optional<VisitKind> parse_visit_kind(std::string_view s);

struct Settings {
  Id org_id = 0;
  std::string timezone = "Asia/Shanghai";
  Fen min_order_value = 1000000;  // 10,000 yuan
  int quota_visits_new = 5;
  int quota_effective_new = 2;
  double new_share_min = 0.8;
  int nurture_cap = 5;
  int pool_release_days = 30;
  int session_idle_minutes = 720;
  std::string working_days = "12345";  // ISO weekdays that are working days
  std::vector<std::string> holidays;   // "YYYY-MM-DD"
  int64_t version = 1;
  // The method's other numbers (migration 0009; meaning and ranges: src/method/params.h).
  bool calls_count_as_visits = false;
  int time_sink_age_days = 30;
  int time_sink_window_days = 30;
  int time_sink_visits = 2;
  int sign_or_drop_visits = 2;
  int not_effective_visits = 3;
  int pool_warn_days = 3;
  int claim_daily_max = 10;
  int owned_max = 300;
  int reclaim_cooldown_days = 7;
  int prospect_rank_window = 2;
  int harvest_window_days = 60;
  double diagnosis_share = 0.8;
  int diagnosis_window_days = 30;
  int quota_adjust_days = 20;
  double quota_adjust_share = 0.8;
  int new_hire_days = 90;
  int coaching_enter_days = 3;
  int coaching_leave_days = 3;
  int coaching_window_days = 40;
  int coaching_compare_days = 10;
  int talent_window_days = 60;
  int visit_minutes = 60;
  int call_minutes = 15;
  double pace_alert_share = 0.8;
  int pace_grace_days = 5;
  std::string plan_remind_at = "09:30";
  std::string review_remind_at = "19:00";
};

struct Org {
  Id id = 0;
  std::string name;
  Instant created_at = 0;
};

struct Team {
  Id id = 0, org_id = 0;
  std::string name;
  std::optional<Id> parent_id, manager_id;
  int64_t version = 1;
  Instant created_at = 0;
};

struct User {
  Id id = 0, org_id = 0;
  std::string username, display_name, password_hash;
  Role role = Role::Rep;
  std::optional<Id> team_id;
  std::string hire_date;      // may be empty
  std::string selling_style;  // free text or a style key
  bool active = true;
  int64_t version = 1;
  Instant created_at = 0;
  bool must_change_password = false;  // set by someone else's reset; cleared by the owner's change
};

struct Company {
  Id id = 0, org_id = 0;
  std::string name, industry;
  std::optional<int64_t> industry_rank;
  std::string region;
  std::optional<Fen> budget_capacity;
  std::string source, competitor;
  std::string competitor_contract_end;  // "YYYY-MM-DD" or empty: when its contract with `competitor` ends (harvest)
  std::string address;                 // street address, as people write it (migration 0019)
  std::optional<double> lat, lng;      // where it is, when known (both or neither)
  std::optional<Id> owner_id;
  CompanyStatus status = CompanyStatus::Prospect;
  bool need = false, budget = false, payer_met = false;
  std::optional<Instant> effective_at;
  std::string effective_day;
  std::optional<Id> effective_by;
  std::optional<Instant> signed_at, first_visit_at, last_visit_at;
  int64_t visit_count = 0;
  std::string interest_reason, attraction, concerns;
  std::string nurture_reason, revisit_on, drop_reason;
  int64_t version = 1;
  Instant created_at = 0, updated_at = 0;

  bool is_new() const { return !signed_at.has_value(); }  // new until its first signed deal
};

struct Contact {
  Id id = 0, org_id = 0, company_id = 0;
  std::string name, title;
  bool is_payer = false;
  std::string style;  // leadership style of the buyer
  std::string phone;
  int64_t version = 1;
  Instant created_at = 0;
};

struct Visit {
  Id id = 0, org_id = 0, company_id = 0, rep_id = 0;
  Instant at = 0;
  std::string day;  // local date in the org's zone
  VisitKind kind = VisitKind::Visit;
  std::optional<int64_t> duration_min;
  bool was_new = true;
  std::optional<bool> met_payer, need, budget;
  bool made_effective = false;
  std::optional<Id> companion_id;
  std::optional<int64_t> coaching_stage;
  std::string interest_reason, attraction, concerns, notes;
  Instant created_at = 0;
  std::optional<double> lat, lng;  // check-in location, when the browser gave one
};

struct Deal {
  Id id = 0, org_id = 0, company_id = 0, rep_id = 0;
  Fen amount = 0;
  std::string signed_on;
  Instant created_at = 0;
  std::string notes;
};

struct Target {
  Id id = 0, org_id = 0;
  std::string scope;   // rep | team
  Id scope_id = 0;
  std::string metric;  // visits_new | effective_new | signed_amount
  std::string period;  // day | month
  int64_t value = 0;
  std::string reason;
  std::optional<Id> set_by;
  Instant updated_at = 0;
  int64_t version = 1;
};

struct DayNote {  // a morning plan or an evening review
  Id id = 0, org_id = 0, rep_id = 0;
  std::string day;
  std::string body_json;  // validated JSON object
  int64_t version = 1;
  Instant updated_at = 0;
};

struct AuditEntry {
  Id id = 0, org_id = 0;
  Instant at = 0;
  std::optional<Id> user_id;
  std::string action, entity;
  std::optional<Id> entity_id;
  std::string old_json, new_json;
};

struct Session {
  std::string id_hash;
  Id org_id = 0, user_id = 0;
  std::string csrf_token;
  Instant created_at = 0, last_seen = 0;
};

// The facts of the 80/20 split (counters, migration 0017): the minutes that were logged, and
// how many visits were logged without a duration, by kind (calls; visits and accompanied
// visits) and on new companies. method::weighted_minutes gives them their weights.
struct VisitMinutes {
  int64_t logged_total = 0, logged_new = 0;
  int64_t calls_unlogged = 0, calls_unlogged_new = 0;
  int64_t meets_unlogged = 0, meets_unlogged_new = 0;
  VisitMinutes& operator+=(const VisitMinutes& o) {
    logged_total += o.logged_total;
    logged_new += o.logged_new;
    calls_unlogged += o.calls_unlogged;
    calls_unlogged_new += o.calls_unlogged_new;
    meets_unlogged += o.meets_unlogged;
    meets_unlogged_new += o.meets_unlogged_new;
    return *this;
  }
};

struct RepMetrics {
  Id rep_id = 0;
  // visits_new: distinct new companies met in person per day, summed; reached_new: the same
  // counting calls too (method::visits_new_of chooses by calls_count_as_visits).
  int64_t visits = 0, visits_new = 0, effective_new = 0, deals = 0, reached_new = 0;
  Fen signed_amount = 0;
  VisitMinutes minutes;  // the 80/20 split's facts
};

}  // namespace tj
