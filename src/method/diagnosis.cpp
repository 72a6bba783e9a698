#include "method/diagnosis.h"

#include <cmath>

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
  if (s.empty() || s == "unknown") return zh ? "未填来源" : "no source";
  if (!zh) return s;
  if (s == "ad") return "广告";
  if (s == "referral") return "转介绍";
  if (s == "competitor") return "竞品客户";
  if (s == "exhibition") return "展会";
  if (s == "cold") return "陌拜";
  return s;
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
    std::string m = zh ? "线索源头出了问题：" : "The source is failing: ";
    if (v.intake_failing) {
      m += zh ? "线索进量从 " + thousands(t.previous_intake) + " 降到 " + thousands(t.intake)
              : "lead intake fell from " + thousands(t.previous_intake) + " to " + thousands(t.intake);
      if (!v.worst_intake_source.empty()) {
        for (auto& s : by_source)
          if (s.source == v.worst_intake_source)
            m += zh ? "（其中「" + source_label(s.source, true) + "」从 " + thousands(s.previous_intake) + " 降到 " +
                          thousands(s.intake) + "）"
                    : " (" + source_label(s.source, false) + ": " + thousands(s.previous_intake) + " to " +
                          thousands(s.intake) + ")";
      }
    }
    if (v.rate_failing) {
      if (v.intake_failing) m += zh ? "，" : ", and ";
      m += zh ? "有效率从 " + percent(*v.previous_rate) + " 降到 " + percent(*v.rate)
              : "the effective rate fell from " + percent(*v.previous_rate) + " to " + percent(*v.rate);
      if (!v.worst_rate_source.empty()) {
        for (auto& s : by_source)
          if (s.source == v.worst_rate_source)
            m += zh ? "（其中「" + source_label(s.source, true) + "」从 " +
                          percent(*rate_of(s.previous_effective, s.previous_intake)) + " 降到 " +
                          percent(*rate_of(s.effective, s.intake)) + "）"
                    : " (" + source_label(s.source, false) + ": " + percent(*rate_of(s.previous_effective, s.previous_intake)) +
                          " to " + percent(*rate_of(s.effective, s.intake)) + ")";
      }
    } else if (v.rate && v.previous_rate) {
      // The rate held: said in words only, never with its figures.
      bool rose = *v.rate > *v.previous_rate;
      m += zh ? (rose ? "，而有效率在上升" : "，有效率基本持平") : (rose ? ", while the effective rate rose" : ", while the effective rate held");
    }
    if (!v.intake_failing) {
      bool rose = t.intake > t.previous_intake;
      m += zh ? (rose ? "，线索进量在增加" : "，线索进量基本持平") : (rose ? "; lead intake grew" : "; lead intake held");
    }
    m += zh ? (v.intake_failing ? "。先补线索来源、抓新客户开发。" : "。先查线索质量和来源。")
            : (v.intake_failing ? ". Find more leads and push new-customer development first." : ". Check lead quality and sources first.");
    (zh ? v.message_zh : v.message_en) = m;
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
  std::string td = std::to_string(tenure_days);
  if (new_low) {
    v.message_zh = "人的问题：新人（入职不满" + td + "天）达成率 " + percent(*new_hires) + "，老人 " + percent(*veterans) +
                   "。新人跟不上：按16字法则陪访带教新人。";
    v.message_en = "The people are the issue: new hires (under " + td + " days) at " + percent(*new_hires) +
                   " attainment against veterans at " + percent(*veterans) + ". Coach the new hires with the 16-character loop.";
  } else {
    v.message_zh = "人的问题：老人达成率 " + percent(*veterans) + "，新人（入职不满" + td + "天）" + percent(*new_hires) +
                   "。老人懈怠了：复盘老人的过程指标，陪访找原因。";
    v.message_en = "The people are the issue: veterans at " + percent(*veterans) + " attainment against new hires (under " + td +
                   " days) at " + percent(*new_hires) + ". Review the veterans' process and accompany them to find why.";
  }
  return v;
}

SystemVerdict judge_system(const std::vector<SystemMetric>& metrics, double share) {
  SystemVerdict v;
  std::string zh, en;
  for (auto& m : metrics) {
    if (!(m.suggested < m.current && m.reaching_share < share)) continue;
    v.failing = true;
    v.failing_metrics.push_back(m.metric);
    bool eff = m.metric == "effective_new";
    if (!zh.empty()) {
      zh += "；";
      en += "; ";
    }
    zh += std::string(eff ? "有效新客户" : "新客户拜访") + "指标 " + std::to_string(m.current) + "：只有 " + percent(m.reaching_share) +
          " 的人中位数日达到，建议调到 " + std::to_string(m.suggested);
    en += std::string(eff ? "effective new customers" : "new-customer visits") + ": only " + percent(m.reaching_share) +
          " of reps reach " + std::to_string(m.current) + " on their median day; set it to " + std::to_string(m.suggested);
  }
  if (v.failing) {
    v.message_zh = "指标定高了：" + zh + "（取中间值）。";
    v.message_en = "The quota is too high: " + en + " — a middle value everyone can complete.";
  }
  return v;
}

}  // namespace tj::method
