// Diagnosis (source → people → system, SPEC §3): which measure of each layer
// failed, and the message that names it with both of its figures. Never a figure
// that did not fail: a measure that held is named only in words ("while the
// effective rate rose"), without numbers.
//
// A measure fails when its current value is below `share` (0.8) of the value it is
// compared with:
//   source  intake (leads that came in) this period vs the previous one;
//           effective rate (effective / intake) this period vs the previous one
//           (only when both periods have intake);
//   people  the lower of new hires' (tenure < 90 days) and veterans' attainment vs
//           the higher (only when both groups have reps);
//   system  per metric (effective_new, visits_new): fewer than `share` of reps reach
//           the quota on their median day (method::suggest_quota), so a lower quota
//           is suggested.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tj::method {

struct SourceFigures {
  std::string source;  // "" for the totals
  int64_t intake = 0, effective = 0, previous_intake = 0, previous_effective = 0;
};
struct SourceVerdict {
  bool intake_failing = false, rate_failing = false;
  bool failing() const { return intake_failing || rate_failing; }
  std::optional<double> rate, previous_rate;  // effective / intake; nullopt with no intake
  // The source that fell the most on each failing measure ("" when none is named):
  // intake: the largest drop in intake; rate: the largest drop in rate among sources
  // with intake in both periods.
  std::string worst_intake_source, worst_rate_source;
  std::string message_zh, message_en;  // "" when not failing
};
// total: the totals; by_source: the same figures per source.
SourceVerdict judge_source(const SourceFigures& total, const std::vector<SourceFigures>& by_source, double share = 0.8);

struct PeopleVerdict {
  bool failing = false;
  std::string lagging;  // "new_hires" or "veterans" when failing, else ""
  std::string message_zh, message_en;
};
// Attainment as a share (1.0 = on quota); nullopt when the group has no reps.
PeopleVerdict judge_people(std::optional<double> new_hires, std::optional<double> veterans, int tenure_days = 90,
                           double share = 0.8);

struct SystemMetric {
  std::string metric;  // effective_new, visits_new
  int current = 0, suggested = 0;
  double reaching_share = 0;
};
struct SystemVerdict {
  bool failing = false;
  std::vector<std::string> failing_metrics;  // in the order given
  std::string message_zh, message_en;
};
SystemVerdict judge_system(const std::vector<SystemMetric>& metrics, double share = 0.8);

// 1,240 (thousands separated by commas); 12% (a share, rounded to a whole percent).
std::string thousands(int64_t n);
std::string percent(double share);

}  // namespace tj::method
