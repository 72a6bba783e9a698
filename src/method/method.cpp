#include <cmath>
#include "method/method.h"

#include <algorithm>
#include <map>

#include "common/i18n.h"

namespace tj::method {

bool is_working_day(const Settings& s, int64_t day) {
  if (s.working_days.find(char('0' + weekday(day))) == std::string::npos) return false;
  if (s.holidays.empty()) return true;
  std::string ds = format_date(civil_from_days(day));
  return std::find(s.holidays.begin(), s.holidays.end(), ds) == s.holidays.end();
}

std::vector<int64_t> last_working_days(const Settings& s, int64_t last, int n) {
  std::vector<int64_t> out;
  for (int64_t d = last; int(out.size()) < n && d > last - 10 * n - 30; d--)
    if (is_working_day(s, d)) out.push_back(d);
  std::reverse(out.begin(), out.end());
  return out;
}

int count_working_days(const Settings& s, int64_t from, int64_t to) {
  int n = 0;
  for (int64_t d = from; d <= to; d++) n += is_working_day(s, d);
  return n;
}

int64_t iso_week_start(int64_t day) { return day - (weekday(day) - 1); }
int64_t month_start(int64_t day) {
  auto c = civil_from_days(day);
  return days_from_civil({c.y, c.m, 1});
}

double median(std::vector<int64_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? double(v[n / 2]) : (double(v[n / 2 - 1]) + double(v[n / 2])) / 2.0;
}

QuotaSuggestion suggest_quota(const std::vector<std::vector<int64_t>>& daily, int quota, double share) {
  QuotaSuggestion q;
  q.current = quota;
  q.suggested = quota;
  if (daily.empty() || quota <= 1) {
    q.reaching_share = daily.empty() ? 0 : 1;
    for (auto& d : daily) q.medians.push_back(median(d));
    if (!daily.empty()) {
      size_t reach = 0;
      for (double m : q.medians) reach += m >= quota;
      q.reaching_share = double(reach) / double(daily.size());
    }
    return q;
  }
  for (auto& d : daily) q.medians.push_back(median(d));
  auto reaching = [&](int v) {
    size_t n = 0;
    for (double m : q.medians) n += m >= v;
    return double(n) / double(q.medians.size());
  };
  q.reaching_share = reaching(quota);
  if (q.reaching_share >= share) return q;
  int v = quota;
  while (v > 1 && reaching(v) < share) v--;
  q.suggested = std::max(1, v);
  return q;
}

CoachingState coaching_state(const std::vector<bool>& on_quota, int enter, int leave) {
  CoachingState s;
  for (size_t i = 0; i < on_quota.size(); i++) {
    if (on_quota[i]) {
      s.streak_on++;
      s.streak_below = 0;
    } else {
      s.streak_below++;
      s.streak_on = 0;
    }
    if (!s.in_coaching && s.streak_below >= enter) {
      s.in_coaching = true;
      s.since_index = i + 1 - size_t(enter);
    } else if (s.in_coaching && s.streak_on >= leave) {
      s.in_coaching = false;
      s.since_index.reset();
    }
  }
  return s;
}

std::string coaching_stage_name(int stage, bool zh) {
  if (stage < 1 || stage > 4) return "";
  return message("coaching_stage." + std::to_string(stage), zh);
}

double distance_m(double lat1, double lng1, double lat2, double lng2) {
  constexpr double kR = 6371008.8, kRad = 3.14159265358979323846 / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlng = (lng2 - lng1) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kR * std::asin(std::min(1.0, std::sqrt(h)));
}

int prospect_score(const ProspectInput& p) {
  int nearness = p.rank_distance <= 1 ? 2 : 1;  // ±1 (or the same rank) before ±2
  return nearness * 1000 + (p.uses_competitor ? 100 : 0) + (p.budget_fits ? 10 : 0) + (p.payer_known ? 1 : 0);
}

double smoothed_win_rate(int64_t wins, int64_t trials, double prior, double alpha) {
  return (double(wins) + alpha * prior) / (double(trials) + alpha);
}

const char* to_string(Talent t) {
  switch (t) {
    case Talent::Star: return "star";
    case Talent::WildDog: return "wild_dog";
    case Talent::WhiteRabbit: return "white_rabbit";
    case Talent::Ox: return "ox";
    case Talent::Dog: return "dog";
  }
  return "ox";
}

Talent talent_of(double performance, double values) {
  bool perf_high = performance >= 1.0, perf_low = performance < 0.6;
  bool val_high = values >= 4.0, val_low = values < 3.0;
  if (perf_high && val_high) return Talent::Star;
  if (perf_high && val_low) return Talent::WildDog;
  if (perf_low && val_high) return Talent::WhiteRabbit;
  if (perf_low && val_low) return Talent::Dog;
  return Talent::Ox;
}

namespace {
const i18n::Catalog& messages() {
  static const i18n::Catalog m = {
      {"time_sink_last_month",
       {"「{company}」{first_day}就开始拜访，近{days}天又拜访了{visits}次仍未签约：别再追了，约买单人一次性签或放弃。",
        "\"{company}\" was first visited on {first_day} and got {visits} visits in the last {days} days without "
        "signing: "
        "stop chasing — meet the payer to sign, or drop it."}},
      {"harvest_window",
       {"「{company}」与{competitor}的合同{date}到期：续约前去拜访，让竞争对手去培养，时机成熟再收割。",
        "\"{company}\"'s contract with {competitor} ends on {date}: be there before the renewal — let the competitor "
        "grow the customer, then harvest."}},
      {"a_competitor", {"竞品", "a competitor"}},
      {"reason_harvest",
       {"与{competitor}的合同{date}到期：续约前正是收割的时机。",
        "Its contract with {competitor} ends on {date}: the time to harvest is before the renewal."}},
      {"behind_pace",
       {"本月{metric}目标完成{attainment}%，按工作日进度应达{pace}%：落后于进度，今天补上。",
        "This month's {metric} target is {attainment}% done while {pace}% of the working days are gone: behind pace — "
        "catch up today."}},
      {"behind_pace_team",
       {"{team}本月{metric}目标完成{attainment}%，按工作日进度应达{pace}%：团队落后于进度，今天的早会把缺口分到人。",
        "{team}: this month's {metric} target is {attainment}% done while {pace}% of the working days are gone: the "
        "team "
        "is behind pace — split the gap among the reps at today's kick-off."}},
      {"metric_visits_new", {"新客户拜访", "new-customer visits"}},
      {"metric_effective_new", {"有效新客户", "effective new customers"}},
      {"metric_signed_amount", {"签约金额", "signed amount"}},
      {"sign_or_drop",
       {"「{company}」已见过买单人{visits}次仍未签约：真正的有效客户一两次就签，签或放弃。",
        "\"{company}\" has met the payer {visits} times without signing: a real effective customer signs in one or two "
        "meetings — sign or drop."}},
      {"not_effective",
       {"「{company}」拜访{visits}次仍缺{missing}：不是有效客户，补齐或放弃。",
        "\"{company}\" had {visits} visits and still lacks {missing}: not an effective customer — qualify it or drop "
        "it."}},
      {"find_payer",
       {"「{company}」拜访{visits}次还没见到买单人：先找到买单人，只在买单人身上花力气。",
        "\"{company}\" had {visits} visits and the payer was never met: find the payer; spend effort only on the "
        "person "
        "who signs."}},
      {"nurture_due",
       {"「{company}」培养到期（{date}）：今天回访，签或放弃。原因：{reason}",
        "\"{company}\" is due for its nurture revisit ({date}): revisit today, then sign or drop. Reason: {reason}"}},
      {"low_new_share",
       {"本周新客户拜访占比{share}%，低于{min}%：把80%的时间花在新客户上。",
        "This week only {share}% of your visit time went to new customers, below {min}%: spend 80% of your time on new "
        "customers."}},
      {"below_quota",
       {"{date}：新客户拜访{visits_new}/{quota_visits}，有效新客户{effective_new}/{quota_effective}，未完成指标。",
        "{date}: {visits_new}/{quota_visits} new-customer visits and {effective_new}/{quota_effective} effective new "
        "customers — below quota."}},
      {"missing_need", {"需求", "need"}},
      {"missing_budget", {"预算", "budget"}},
      {"missing_payer", {"买单人", "the payer"}},
      {"reason_rank_adjacent",
       {"同行业排名第{ref_rank}的「{ref}」已签约，本公司排名第{rank}（相差{distance}名）：告诉他们「第{ref_rank}"
        "名已经在用，效果很好」。",
        "\"{ref}\", ranked #{ref_rank} in {industry}, signed; this company ranks #{rank} ({distance} away): tell them "
        "#{ref_rank} bought it and it works."}},
      {"reason_competitor",
       {"正在使用竞品「{competitor}」：竞品客户是好客户。",
        "Uses the competitor product \"{competitor}\": competitors' customers are good prospects."}},
      {"reason_budget_fit",
       {"预算能力{budget}元，付得起参照客户的订单（{order}元）。",
        "Budget capacity ¥{budget} can pay the reference order size (¥{order})."}},
      {"reason_payer_known", {"已知买单人：直接约他。", "The payer is known: go straight to them."}},
      {"source_failing",
       {"线索源头出了问题：有效新客户 {current}，上期 {previous}。先查线索来源和新客户开发。",
        "The source is failing: {current} effective new customers against {previous} last period. Check lead data and "
        "new-customer development first."}},
      {"people_failing",
       {"人的问题：新人达成率 {new_hires}，老人 {veterans}。针对落后的一组做16字辅导。",
        "The people are the issue: new hires at {new_hires} attainment, veterans at {veterans}. Coach the lagging "
        "group "
        "with the 16-character loop."}},
      {"system_failing",
       {"指标定高了：只有 {share}% 的人中位数日达到 {current}，建议调到 {suggested}（取中间值）。",
        "The quota is too high: only {share}% of reps reach {current} on their median day; set it to {suggested} — a "
        "middle value everyone can complete."}},
      {"all_ok",
       {"源头、人、制度都正常：继续按过程抓结果。", "Source, people and system all hold: keep driving the process."}},
      // the 16-character coaching loop's stages (coaching_stage_name)
      {"coaching_stage.1", {"我做你看", "I do, you watch"}},
      {"coaching_stage.2", {"我说你听", "I say, you listen"}},
      {"coaching_stage.3", {"你做我看", "You do, I watch"}},
      {"coaching_stage.4", {"你说我听", "You say, I listen"}},
      // leadership styles (vocab.cpp: style_name, parse_style reads the zh names too)
      {"style.driver", {"支配型", "Driver"}},
      {"style.analytical", {"分析型", "Analytical"}},
      {"style.amiable", {"友善型", "Amiable"}},
      {"style.expressive", {"表现型", "Expressive"}},
      // the rep–buyer fit's reason (vocab.cpp: fit_reason)
      {"fit.same_style",
       {"买单人是{style}，和你的风格相同：先找合你风格的买单人。",
        "The payer is {style}, your own style: pick the buyers whose style fits yours."}},
      {"fit.better_rate",
       {"买单人是{style}：你和这类买单人的赢单率 {rate}%（{record}），高于你的平均 {base}%。",
        "The payer is {style}: your win rate with such payers is {rate}% ({record}), above your average {base}%."}},
      // lead sources as the diagnosis names them (an unlisted source is named as stored)
      {"source.unknown", {"未填来源", "no source"}},
      {"source.ad", {"广告", "ad"}},
      {"source.referral", {"转介绍", "referral"}},
      {"source.competitor", {"竞品客户", "competitor"}},
      {"source.exhibition", {"展会", "exhibition"}},
      {"source.cold", {"陌拜", "cold"}},
      // the diagnosis (diagnosis.cpp): the source verdict, said in parts
      {"diag.source.head", {"线索源头出了问题：", "The source is failing: "}},
      {"diag.source.intake_fell",
       {"线索进量从 {previous} 降到 {current}", "lead intake fell from {previous} to {current}"}},
      {"diag.source.worst",
       {"（其中「{source}」从 {previous} 降到 {current}）", " ({source}: {previous} to {current})"}},
      {"diag.source.and", {"，", ", and "}},
      {"diag.source.rate_fell",
       {"有效率从 {previous} 降到 {current}", "the effective rate fell from {previous} to {current}"}},
      {"diag.source.rate_rose", {"，而有效率在上升", ", while the effective rate rose"}},
      {"diag.source.rate_held", {"，有效率基本持平", ", while the effective rate held"}},
      {"diag.source.intake_grew", {"，线索进量在增加", "; lead intake grew"}},
      {"diag.source.intake_held", {"，线索进量基本持平", "; lead intake held"}},
      {"diag.source.advice_intake",
       {"。先补线索来源、抓新客户开发。", ". Find more leads and push new-customer development first."}},
      {"diag.source.advice_quality", {"。先查线索质量和来源。", ". Check lead quality and sources first."}},
      // the people verdict: {days} is the tenure that makes a veteran
      {"diag.people.new_hires_low",
       {"人的问题：新人（入职不满{days}天）达成率 {new_hires}，老人 {veterans}。新人跟不上：按16字法则陪访带教新人。",
        "The people are the issue: new hires (under {days} days) at {new_hires} attainment against veterans at "
        "{veterans}. Coach the new hires with the 16-character loop."}},
      {"diag.people.veterans_low",
       {"人的问题：老人达成率 "
        "{veterans}，新人（入职不满{days}天）{new_hires}。老人懈怠了：复盘老人的过程指标，陪访找原因。",
        "The people are the issue: veterans at {veterans} attainment against new hires (under {days} days) at "
        "{new_hires}. Review the veterans' process and accompany them to find why."}},
      // the system verdict: one part a quota set too high, joined by diag.system.sep
      {"diag.system.metric",
       {"{metric}指标 {current}：只有 {share} 的人中位数日达到，建议调到 {suggested}",
        "{metric}: only {share} of reps reach {current} on their median day; set it to {suggested}"}},
      {"diag.system.sep", {"；", "; "}},
      {"diag.system",
       {"指标定高了：{metrics}（取中间值）。",
        "The quota is too high: {metrics} — a middle value everyone can complete."}},
  };
  return m;
}
}  // namespace

std::string message(const std::string& key, bool zh, const std::vector<std::pair<std::string, std::string>>& args) {
  return i18n::text(messages(), key, zh, args);
}

std::optional<std::string> message_if(const std::string& key, bool zh) {
  const std::string* t = i18n::find(messages(), key, zh);
  if (!t) return std::nullopt;
  return *t;
}

}  // namespace tj::method
