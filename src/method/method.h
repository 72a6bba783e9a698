// The 销售铁军 method as pure functions over aggregates: quota adjustment
// (取中间值), the coaching loop (16字法则), working-day calendars, prospect
// scoring, rep–buyer fit and the talent matrix. No I/O: the app layer feeds
// these with numbers from the store. Every verdict carries a message key so
// the UI can say it in Chinese or English.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.h"
#include "method/params.h"

namespace tj::method {

// ---- calendar ----
// Working days per the organisation's settings (ISO weekdays + holidays).
bool is_working_day(const Settings& s, int64_t day);
// The last n working days ending at `last` (inclusive), oldest first.
std::vector<int64_t> last_working_days(const Settings& s, int64_t last, int n);
int count_working_days(const Settings& s, int64_t from, int64_t to);
int64_t iso_week_start(int64_t day);   // Monday of the ISO week containing day
int64_t month_start(int64_t day);

// ---- quota adjustment: 取中间值 ----
// daily[rep] = the rep's counts on each of the last working days.
struct QuotaSuggestion {
  int current = 0;
  int suggested = 0;          // == current when no change is needed
  double reaching_share = 0;  // share of reps whose median day reaches `current`
  std::vector<double> medians;
};
double median(std::vector<int64_t> v);
// If fewer than `share` of reps reach `quota` on their median day, suggest the
// largest v <= quota that at least `share` of reps reach; never below 1.
QuotaSuggestion suggest_quota(const std::vector<std::vector<int64_t>>& daily, int quota, double share = 0.8);

// ---- coaching loop: 16字法则 ----
// on_quota[i] for consecutive working days, oldest first. A rep enters
// coaching after `enter` consecutive days below quota and leaves after `leave`
// consecutive days on quota.
struct CoachingState {
  bool in_coaching = false;
  std::optional<size_t> since_index;  // index of the day coaching began
  int streak_below = 0, streak_on = 0;
};
CoachingState coaching_state(const std::vector<bool>& on_quota, int enter = 3, int leave = 3);
std::string coaching_stage_name(int stage, bool zh);  // 1 我做你看 ... 4 你说我听; "" for any other stage

// ---- prospects ----
struct ProspectInput {
  int rank_distance = 0;      // |candidate rank - reference rank|, 1 or 2 (0 = same rank)
  bool uses_competitor = false;
  bool budget_fits = false;   // budget_capacity >= the reference's order size
  bool payer_known = false;
};
// Orders as SPEC §3: nearness (±1 before ±2), uses-a-competitor, budget fit, payer known.
int prospect_score(const ProspectInput& p);

// ---- check-in ----
// Great-circle distance in metres between two WGS-84 points (haversine, mean Earth radius):
// how far a visit's check-in was from the company (issue 15).
double distance_m(double lat1, double lng1, double lat2, double lng2);

// ---- rep–buyer fit ----
// Smoothed win rate: (wins + alpha * prior) / (trials + alpha).
double smoothed_win_rate(int64_t wins, int64_t trials, double prior, double alpha = 2.0);

// ---- talent matrix ----
enum class Talent { Star, WildDog, WhiteRabbit, Ox, Dog };
const char* to_string(Talent t);
// performance = quota attainment (1.0 = on quota); values = average of the six, 1–5.
Talent talent_of(double performance, double values);

// ---- messages ----
// A verdict in words a rep understands, by key, with {placeholders} filled from args.
std::string message(const std::string& key, bool zh, const std::vector<std::pair<std::string, std::string>>& args = {});
// The text of key, or nullopt when the catalogue has no such key (a lookup by a code
// that may be unknown: a source, a style).
std::optional<std::string> message_if(const std::string& key, bool zh);

}  // namespace tj::method
