#include "method/vocab.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "method/method.h"
#include "common/utf8.h"

namespace tj::method {

namespace {

// UTF-8 to code points; an invalid byte stands for itself (utf8::next).
std::vector<uint32_t> code_points(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) out.push_back(utf8::next(s, i));
  return out;
}

size_t shared_chars(std::string_view a, std::string_view b) {
  auto x = code_points(a), y = code_points(b);
  std::set<uint32_t> sx(x.begin(), x.end()), sy(y.begin(), y.end());
  size_t n = 0;
  for (auto c : sx) n += sy.count(c);
  return n;
}

}  // namespace

const std::vector<Industry>& standard_industries() {
  static const std::vector<Industry> list = {
      {"互联网", {"互联网行业", "IT", "IT互联网", "互联网/IT", "信息技术", "Internet"}},
      {"软件", {"软件开发", "软件行业", "软件服务", "SaaS", "Software"}},
      {"电商", {"电子商务", "电商行业", "E-commerce", "Ecommerce"}},
      {"制造", {"制造业", "生产制造", "工业制造", "机械制造", "Manufacturing"}},
      {"新能源", {"新能源行业", "光伏", "储能", "New Energy"}},
      {"汽车", {"汽车行业", "汽车制造", "汽配", "Automotive", "Auto"}},
      {"电子", {"电子行业", "电子制造", "半导体", "Electronics"}},
      {"化工", {"化工行业", "化学工业", "Chemicals", "Chemical"}},
      {"能源", {"能源行业", "电力", "石油", "Energy"}},
      {"建筑", {"建筑业", "建筑工程", "建材", "Construction"}},
      {"房地产", {"房地产业", "地产", "房产", "Real Estate"}},
      {"零售", {"零售业", "商贸", "批发零售", "Retail"}},
      {"餐饮", {"餐饮业", "餐饮服务", "食品", "Catering", "Food & Beverage"}},
      {"教育", {"教育培训", "教育行业", "培训", "Education"}},
      {"医疗", {"医疗健康", "医药", "医疗行业", "Healthcare", "Medical"}},
      {"物流", {"物流业", "快递物流", "供应链", "Logistics"}},
      {"金融", {"金融业", "金融服务", "银行", "保险", "Finance", "Financial Services"}},
      {"传媒", {"传媒行业", "文化传媒", "广告", "媒体", "Media"}},
      {"咨询", {"咨询服务", "管理咨询", "Consulting"}},
      {"农业", {"农林牧渔", "农业行业", "Agriculture"}},
      {"政府与公共事业", {"政府", "公共事业", "事业单位", "政府机关", "Government", "Public Sector"}},
  };
  return list;
}

std::string industry_key(std::string_view s) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(ch >= 'A' && ch <= 'Z' ? char(ch - 'A' + 'a') : ch);
  }
  return out;
}

std::optional<std::string> map_industry(const std::vector<Industry>& list, std::string_view input) {
  std::string k = industry_key(input);
  if (k.empty()) return std::string();
  for (auto& i : list)
    if (industry_key(i.name) == k) return i.name;
  for (auto& i : list)
    for (auto& al : i.aliases)
      if (industry_key(al) == k) return i.name;
  return std::nullopt;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  auto x = code_points(a), y = code_points(b);
  std::vector<size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); j++) prev[j] = j;
  for (size_t i = 1; i <= x.size(); i++) {
    cur[0] = i;
    for (size_t j = 1; j <= y.size(); j++)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

std::vector<std::string> nearest_industries(const std::vector<Industry>& list, std::string_view input, size_t n) {
  std::string k = industry_key(input);
  size_t len = code_points(k).size();
  struct Cand {
    size_t dist, shared, pos;
  };
  std::vector<Cand> near;
  for (size_t p = 0; p < list.size(); p++) {
    size_t best_d = SIZE_MAX, best_s = 0;
    auto consider = [&](const std::string& word) {
      std::string w = industry_key(word);
      size_t d = edit_distance(k, w), s = shared_chars(k, w);
      if (d < best_d || (d == best_d && s > best_s)) {
        best_d = d;
        best_s = s;
      }
    };
    consider(list[p].name);
    for (auto& al : list[p].aliases) consider(al);
    if (best_s > 0 || best_d * 2 <= len) near.push_back({best_d, best_s, p});
  }
  std::stable_sort(near.begin(), near.end(), [](const Cand& x, const Cand& y) {
    if (x.dist != y.dist) return x.dist < y.dist;
    return x.shared > y.shared;
  });
  std::vector<std::string> out;
  for (auto& c : near) {
    if (out.size() >= n) break;
    out.push_back(list[c.pos].name);
  }
  for (size_t p = 0; near.empty() && p < list.size() && out.size() < n; p++) out.push_back(list[p].name);
  return out;
}

std::string industry_list_problem(const std::vector<Industry>& list) {
  if (list.size() > 200) return "at most 200 industries";
  std::set<std::string> seen;
  for (auto& i : list) {
    std::string k = industry_key(i.name);
    if (k.empty()) return "an industry needs a name";
    if (code_points(i.name).size() > 50) return "\"" + i.name + "\" is longer than 50 characters";
    if (i.aliases.size() > 50) return "\"" + i.name + "\" has more than 50 aliases";
    if (!seen.insert(k).second) return "\"" + i.name + "\" appears twice";
  }
  for (auto& i : list)
    for (auto& al : i.aliases) {
      std::string k = industry_key(al);
      if (k.empty()) return "an alias of \"" + i.name + "\" is empty";
      if (code_points(al).size() > 50) return "the alias \"" + al + "\" is longer than 50 characters";
      if (!seen.insert(k).second) return "the alias \"" + al + "\" of \"" + i.name + "\" is already a name or an alias";
    }
  return "";
}

// ---- styles ----

namespace {
struct StyleDef {
  const char* key;                  // its names are the messages style.<key> (method.cpp)
  std::vector<const char*> legacy;  // values stored before the one vocabulary
};
const std::vector<StyleDef>& style_defs() {
  static const std::vector<StyleDef> d = {
      {"driver",
       {"decisive", "dominant", "dominance", "director", "controller", "支配", "控制型", "力量型", "老虎型", "结果型"}},
      {"analytical", {"analytic", "analyst", "conscientious", "thinker", "分析", "完美型", "猫头鹰型", "思考型"}},
      {"amiable", {"steady", "supportive", "relater", "友善", "和平型", "考拉型", "温和型", "亲和型"}},
      {"expressive", {"influential", "influencer", "socializer", "表现", "活泼型", "孔雀型", "表达型"}},
  };
  return d;
}
}  // namespace

const std::vector<std::string>& style_keys() {
  static const std::vector<std::string> k = {"driver", "analytical", "amiable", "expressive"};
  return k;
}

std::optional<std::string> parse_style(std::string_view input) {
  std::string k = industry_key(input);
  if (k.empty()) return std::string();
  for (auto& d : style_defs())
    if (k == d.key || k == style_name(d.key, true)) return std::string(d.key);
  return std::nullopt;
}

std::optional<std::string> legacy_style(std::string_view stored) {
  if (auto s = parse_style(stored)) return s;
  std::string k = industry_key(stored);
  for (auto& d : style_defs())
    for (auto* l : d.legacy)
      if (k == l) return std::string(d.key);
  return std::nullopt;
}

std::string style_name(std::string_view key, bool zh) {
  return message_if("style." + std::string(key), zh).value_or(std::string(key));
}

// ---- fit ----

const char* to_string(FitLevel f) {
  switch (f) {
    case FitLevel::Good: return "good";
    case FitLevel::Fair: return "fair";
    case FitLevel::Poor: return "poor";
    case FitLevel::Unknown: break;
  }
  return "unknown";
}

Fit fit_of(std::string_view rep_style, std::string_view payer_style, int64_t wins, int64_t trials, double prior) {
  Fit f;
  f.payer_style = std::string(payer_style);
  f.trials = trials;
  f.wins = wins;
  f.prior = prior;
  f.same_style = !payer_style.empty() && rep_style == payer_style;
  if (payer_style.empty()) return f;
  f.win_rate = smoothed_win_rate(wins, trials, prior);
  if (trials <= 0) f.level = f.same_style ? FitLevel::Good : FitLevel::Fair;
  else {
    double raw = double(wins) / double(trials);
    f.level = raw > prior ? FitLevel::Good : raw < prior - 0.1 ? FitLevel::Poor : FitLevel::Fair;
  }
  return f;
}

std::string fit_reason(const Fit& f, bool zh) {
  if (f.level != FitLevel::Good) return "";
  std::string st = style_name(f.payer_style, zh);
  if (f.trials <= 0) return message("fit.same_style", zh, {{"style", st}});
  std::string rate = std::to_string(std::llround(f.win_rate * 100)), base = std::to_string(std::llround(f.prior * 100));
  std::string record = std::to_string(f.wins) + "/" + std::to_string(f.trials);
  return message("fit.better_rate", zh, {{"style", st}, {"rate", rate}, {"record", record}, {"base", base}});
}

}  // namespace tj::method
