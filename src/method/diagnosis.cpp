#include "method/diagnosis.h"

#include <cmath>

#include "method/method.h"

namespace tj::method {

std::string thousands(int64_t n) {
  bool neg = n < 0;
  std::string s = std::to_string(neg ? -n : n), out;
  for (size_t i = 0; i < s.size(); i++) {
    if (i && (s.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  return neg ? "-" + out : out;
}

std::string percent(double share) { return std::to_string(int64_t(std::llround(share * 100))) + "%"; }

namespace {
std::optional<double> rate_of(int64_t effective, int64_t intake) {
  if (intake <= 0) return std::nullopt;
  return double(effective) / double(intake);
}
// cur < share * prev, with prev > 0; exactly at the boundary holds (rates are ratios of counts:
// 80/1000 against 100/1000 is 0.8 of it, whatever the rounding of 0.8 * 0.1).
bool fell(double cur, double prev, double share) { return prev > 0 && cur < share * prev * (1 - 1e-9); }

std::string source_label(const std::string& s, bool zh) {
  if (s.empty() || s == "unknown") return message("source.unknown", zh);
  return message_if("source." + s, zh).value_or(s);
}
}  // namespace

SourceVerdict judge_source(const SourceFigures& t, const std::vector<SourceFigures>& by_source, double share) {
  SourceVerdict v;
  v.rate = rate_of(t.effective, t.intake);
  v.previous_rate = rate_of(t.previous_effective, t.previous_intake);
  v.intake_failing = fell(double(t.intake), double(t.previous_intake), share);
  v.rate_failing = v.rate && v.previous_rate && fell(*v.rate, *v.previous_rate, share);
  if (!v.failing()) return v;
  int64_t worst_drop = 0;
  double worst_rate_drop = 0;
  for (auto& s : by_source) {
    int64_t drop = s.previous_intake - s.intake;
    if (drop > worst_drop) {
      worst_drop = drop;
      v.worst_intake_source = s.source;
    }
    auto r = rate_of(s.effective, s.intake), pr = rate_of(s.previous_effective, s.previous_intake);
    if (r && pr && *pr - *r > worst_rate_drop) {
      worst_rate_drop = *pr - *r;
      v.worst_rate_source = s.source;
    }
  }
  if (!v.intake_failing) v.worst_intake_source.clear();
  if (!v.rate_failing) v.worst_rate_source.clear();
  for (bool zh : {true, false}) {
    // the worst source "from {previous} to {current}", its figures as previous(s) and current(s) give them
    auto worst = [&](const std::string& source, auto&& previous, auto&& current) {
      for (auto& s : by_source)
        if (s.source == source)
          return message("diag.source.worst", zh,
                         {{"source", source_label(s.source, zh)}, {"previous", previous(s)}, {"current", current(s)}});
      return std::string();
    };
    std::string m = message("diag.source.head", zh);
    if (v.intake_failing) {
      m += message("diag.source.intake_fell", zh,
                   {{"previous", thousands(t.previous_intake)}, {"current", thousands(t.intake)}});
      if (!v.worst_intake_source.empty())
        m += worst(
            v.worst_intake_source, [](const SourceFigures& s) { return thousands(s.previous_intake); },
            [](const SourceFigures& s) { return thousands(s.intake); });
    }
    if (v.rate_failing) {
      if (v.intake_failing) m += message("diag.source.and", zh);
      m += message("diag.source.rate_fell", zh,
                   {{"previous", percent(*v.previous_rate)}, {"current", percent(*v.rate)}});
      if (!v.worst_rate_source.empty())
        m += worst(
            v.worst_rate_source,
            [](const SourceFigures& s) { return percent(*rate_of(s.previous_effective, s.previous_intake)); },
            [](const SourceFigures& s) { return percent(*rate_of(s.effective, s.intake)); });
    } else if (v.rate && v.previous_rate) {
      // The rate held: said in words only, never with its figures.
      m += message(*v.rate > *v.previous_rate ? "diag.source.rate_rose" : "diag.source.rate_held", zh);
    }
    if (!v.intake_failing)
      m += message(t.intake > t.previous_intake ? "diag.source.intake_grew" : "diag.source.intake_held", zh);
    m += message(v.intake_failing ? "diag.source.advice_intake" : "diag.source.advice_quality", zh);
    if (zh) v.message_zh = m;
    else v.message_en = m;
  }
  return v;
}

PeopleVerdict judge_people(std::optional<double> new_hires, std::optional<double> veterans, int tenure_days, double share) {
  PeopleVerdict v;
  if (!new_hires || !veterans) return v;
  bool new_low = *new_hires < *veterans;
  double lo = new_low ? *new_hires : *veterans, hi = new_low ? *veterans : *new_hires;
  if (!fell(lo, hi, share)) return v;
  v.failing = true;
  v.lagging = new_low ? "new_hires" : "veterans";
  std::vector<std::pair<std::string, std::string>> args = {
      {"days", std::to_string(tenure_days)}, {"new_hires", percent(*new_hires)}, {"veterans", percent(*veterans)}};
  const char* key = new_low ? "diag.people.new_hires_low" : "diag.people.veterans_low";
  v.message_zh = message(key, true, args);
  v.message_en = message(key, false, args);
  return v;
}

SystemVerdict judge_system(const std::vector<SystemMetric>& metrics, double share) {
  SystemVerdict v;
  std::string zh, en;
  for (auto& m : metrics) {
    if (!(m.suggested < m.current && m.reaching_share < share)) continue;
    v.failing = true;
    v.failing_metrics.push_back(m.metric);
    const char* metric = m.metric == "effective_new" ? "metric_effective_new" : "metric_visits_new";
    for (bool in_zh : {true, false}) {
      std::string& out = in_zh ? zh : en;  // the two texts built side by side
      if (!out.empty()) out += message("diag.system.sep", in_zh);
      out += message("diag.system.metric", in_zh,
                     {{"metric", message(metric, in_zh)},
                      {"current", std::to_string(m.current)},
                      {"share", percent(m.reaching_share)},
                      {"suggested", std::to_string(m.suggested)}});
    }
  }
  if (v.failing) {
    v.message_zh = message("diag.system", true, {{"metrics", zh}});
    v.message_en = message("diag.system", false, {{"metrics", en}});
  }
  return v;
}

}  // namespace tj::method
