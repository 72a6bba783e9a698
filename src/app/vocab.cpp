#include "app/vocab.h"

#include "app/messages.h"
#include "store/snapshot_cache.h"

#include <chrono>
#include <map>
#include <mutex>

namespace tj::detail {

std::vector<method::Industry> org_industries(Tx& tx, Id org) {
  std::vector<method::Industry> out;
  for (auto& [name, aliases] : vocab_store::list_industries(tx, org)) out.push_back({name, aliases});
  return out;
}

json industries_json(const std::vector<method::Industry>& list) {
  json out = json::array();
  for (auto& i : list) out.push_back({{"name", i.name}, {"aliases", i.aliases}});
  return out;
}

Result<std::vector<method::Industry>> parse_industries(const json& v) {
  if (!v.is_array()) return field_error("industries", "must be a list of {name, aliases}");
  std::vector<method::Industry> out;
  for (auto& e : v) {
    if (!e.is_object()) return field_error("industries", "each item is an object {name, aliases}");
    method::Industry i;
    for (auto& [k, x] : e.items()) {
      if (k == "name") {
        if (!x.is_string()) return field_error("industries", "name must be a string");
        i.name = x.get<std::string>();
      } else if (k == "aliases") {
        if (!x.is_array()) return field_error("industries", "aliases must be a list of strings");
        for (auto& al : x) {
          if (!al.is_string()) return field_error("industries", "aliases must be a list of strings");
          i.aliases.push_back(al.get<std::string>());
        }
      } else {
        return field_error("industries", "unknown key \"" + k + "\" (an item has name and aliases)");
      }
    }
    // Stored trimmed.
    auto trim = [](const std::string& s) {
      size_t b = s.find_first_not_of(" \t\r\n"), e2 = s.find_last_not_of(" \t\r\n");
      return b == std::string::npos ? std::string() : s.substr(b, e2 - b + 1);
    };
    i.name = trim(i.name);
    for (auto& al : i.aliases) al = trim(al);
    out.push_back(std::move(i));
  }
  if (auto p = method::industry_list_problem(out); !p.empty()) return bad_request("invalid_industries", "industries: " + p);
  return out;
}

Status replace_industry_list(Tx& tx, const Actor& a, const std::vector<method::Industry>& old_list,
                             const std::vector<method::Industry>& new_list, Instant now) {
  for (auto& o : old_list) {
    bool kept = false;
    for (auto& n : new_list) kept = kept || n.name == o.name;
    if (kept) continue;
    int64_t used = vocab_store::count_companies_in_industry(tx, a.org(), o.name);
    if (used == 0) continue;
    auto to = method::map_industry(new_list, o.name);
    if (!to || to->empty())
      return conflict("industry_in_use", std::to_string(used) + " companies have the industry \"" + o.name +
                                             "\": keep it, or make it an alias of another industry to merge them");
    int64_t moved = vocab_store::rename_industry(tx, a.org(), o.name, *to, now);
    audit(tx, a, now, "merge_industry", "settings", a.org(), json{{"industry", o.name}},
          json{{"industry", *to}, {"companies", moved}});
  }
  std::vector<vocab_store::IndustryRow> rows;
  rows.reserve(new_list.size());
  for (auto& i : new_list) rows.emplace_back(i.name, i.aliases);
  vocab_store::replace_industries(tx, a.org(), rows);
  return ok_status();
}

std::string unknown_industry_message(const std::vector<method::Industry>& list, std::string_view input, bool zh) {
  auto near = method::nearest_industries(list, input);
  return tr(near.empty() ? "industry.unknown_empty" : "industry.unknown_near", zh,
            {{"input", std::string(input)}, {"names", join_list(near, zh)}});
}

Result<std::string> resolve_industry(const std::vector<method::Industry>& list, const std::string& input) {
  auto m = method::map_industry(list, input);
  if (m) return *m;
  return bad_request("unknown_industry", "industry: " + unknown_industry_message(list, input, false) +
                                             " (an admin manages the list in the settings)");
}

Result<std::string> resolve_style(const char* field, const std::string& input) {
  auto s = method::parse_style(input);
  if (s) return *s;
  return bad_request("unknown_style", std::string(field) +
                                          ": must be driver (支配型), analytical (分析型), amiable (友善型), expressive "
                                          "(表现型) or empty");
}

namespace {

// A rep's record by payer style (vocab_store::fit_rows_of) aggregates every company the rep ever
// made effective: at demo size that was 80% of reading one company (3,000 instead of 14,000
// one-company reads/s). It is cached by SnapshotCache's rule (store/snapshot_cache.h): a write
// this process commits is seen at once, another process's within a second.
struct FitKey {
  const void* conn;
  Id org, rep;
  bool operator==(const FitKey&) const = default;
};
struct FitKeyHash {
  size_t operator()(const FitKey& k) const {
    return std::hash<const void*>()(k.conn) ^ (std::hash<Id>()(k.org) * 31) ^ (std::hash<Id>()(k.rep) * 1000003);
  }
};

std::vector<Tx::FitRow> fit_rows_cached(Tx& tx, Id org, Id rep) {
  static SnapshotCache<FitKey, std::vector<Tx::FitRow>, FitKeyHash> cache(std::chrono::seconds(1), 4096);
  return cache.get_or_read(FitKey{&tx.conn(), org, rep}, [&] { return vocab_store::fit_rows_of(tx, org, rep); });
}

}  // namespace

std::unordered_map<Id, method::Fit> rep_fits(Tx& tx, Id org, const User& rep, const std::vector<Id>& companies) {
  std::unordered_map<Id, method::Fit> out;
  if (companies.empty()) return out;
  std::map<std::string, std::pair<int64_t, int64_t>> by_style;  // trials, wins
  int64_t trials = 0, wins = 0;
  for (auto& r : fit_rows_cached(tx, org, rep.id)) {
    trials += r.trials;
    wins += r.wins;
    by_style[r.style] = {r.trials, r.wins};
  }
  double prior = trials ? double(wins) / double(trials) : 0.3;
  std::unordered_map<Id, std::string> style;
  for (auto& [id, s] : vocab_store::payer_styles(tx, org, companies)) style[id] = s;
  for (Id c : companies) {
    const std::string& s = style[c];
    auto it = by_style.find(s);
    auto [t, w] = it == by_style.end() || s.empty() ? std::pair<int64_t, int64_t>{0, 0} : it->second;
    out[c] = method::fit_of(rep.selling_style, s, w, t, prior);
  }
  return out;
}

json fit_json(const method::Fit& f, bool zh) {
  return {{"payer_style", f.payer_style.empty() ? json(nullptr) : json(f.payer_style)},
          {"payer_style_name", f.payer_style.empty() ? json(nullptr) : json(method::style_name(f.payer_style, zh))},
          {"level", method::to_string(f.level)},
          {"win_rate", f.payer_style.empty() ? json(nullptr) : json(f.win_rate)},
          {"trials", f.trials},
          {"wins", f.wins},
          {"prior", f.prior},
          {"same_style", f.same_style}};
}

}  // namespace tj::detail
