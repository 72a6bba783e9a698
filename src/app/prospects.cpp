// Prospect recommendation (SPEC §3): GET /api/v1/prospects.
//
// A candidate (same industry, rank within ±2 of a signed reference, not signed by as_of,
// not dropped, free or the asking rep's, budget_capacity >= min_order_value, not deleted)
// is scored against each of its references by method::prospect_score and keeps the best
// (score, then the larger order, then the lower reference id). The answer is the top
// `limit` by score desc, budget_capacity desc, company id asc.
//
// Instead of scoring every candidate of the organisation, the candidates are walked in
// pages of (budget_capacity DESC, id) — first those using a competitor, then the others
// (migration 0008) — with the references near each page fetched and memoised by
// (industry, rank). The walk keeps the top `limit`, and a walk stops at the first company
// that could not enter it even with the best score its walk allows (2111 with a
// competitor, 2011 without): every later company of that walk comes after it in
// (budget desc, id asc) order, so it could at most tie on score and then loses the tie.
// Names and the other columns are loaded for the winners alone.
#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "app/views.h"
#include "app/vocab.h"
#include "store/tx_prospects.h"
#include "common/money.h"

namespace tj {
using namespace detail;
using method::message;

namespace {

struct Pick {
  int score = -1;
  Fen budget = 0;
  Id id = 0;
  ProspectCandidate cand;
  ProspectRef ref;
};

// The answer's order: score desc, budget_capacity desc, company id asc.
bool ahead(int score, Fen budget, Id id, const Pick& p) {
  if (score != p.score) return score > p.score;
  if (budget != p.budget) return budget > p.budget;
  return id < p.id;
}
struct Ahead {
  bool operator()(const Pick& a, const Pick& b) const { return ahead(a.score, a.budget, a.id, b); }
};

// Pages start at twice the limit (at least 16, at most 256) and double up to 1024 rows.
constexpr int kMinPage = 16, kMaxFirstPage = 256, kMaxPage = 1024;
constexpr size_t kRefChunk = 128;  // rows whose references are fetched at once

}  // namespace

Result<json> App::prospects(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "rep_id", "limit", "industry", "competitor", "max_rank_distance"}));
  TRY_ASSIGN(auto limit_q, q_int(q, "limit", 1, 200));
  const size_t limit = size_t(limit_q.value_or(50));
  // Filters (issue 15): one industry, companies using a competitor or not, and how near in rank
  // to the reference customer (1: the direct neighbours). Filtered rows never enter the walk's
  // top, so its early stop still holds.
  std::string industry_f = q.count("industry") ? q.at("industry") : "";
  std::optional<bool> competitor_f;
  if (q.count("competitor")) {
    const std::string& v = q.at("competitor");
    if (v == "true") competitor_f = true;
    else if (v == "false") competitor_f = false;
    else return field_error("competitor", "must be true or false");
  }
  TRY_ASSIGN(auto max_dist_q, q_int(q, "max_rank_distance", 0, 100));
  json items = json::array();
  std::string as_of_s;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    Query q2 = q;
    for (const char* k : {"limit", "industry", "competitor", "max_rank_distance"}) q2.erase(k);
    TRY_ASSIGN(View v, load_view(tx, a, q2, clock_.now(), RepFilter::Allow, false));
    as_of_s = v.as_of_s;
    Id rep = q.count("rep_id") ? v.reps.empty() ? a.user.id : v.reps.front().id : a.user.id;
    const Fen min_order = v.params.min_order_value;
    // candidates within ±W ranks of a reference (the filter narrows the window, never widens it)
    const int64_t W = max_dist_q ? std::min<int64_t>(*max_dist_q, v.params.prospect_rank_window) : v.params.prospect_rank_window;
    if (!industry_f.empty()) {  // an alias names its industry; an unknown one is 400 unknown_industry
      TRY_ASSIGN(industry_f, resolve_industry(org_industries(tx, a.org()), industry_f));
    }
    auto wanted = [&](const std::string& industry, bool competitor) {
      return (industry_f.empty() || industry == industry_f) && (!competitor_f || *competitor_f == competitor);
    };

    // References by industry and rank; a rank present (even with no reference) was fetched.
    std::unordered_map<std::string, std::unordered_map<int64_t, std::vector<ProspectRef>>> refs_at;
    std::set<Pick, Ahead> top;  // best first, at most `limit`
    auto can_enter = [&](int best_score, const ProspectCandidate& c) {
      return top.size() < limit || ahead(best_score, c.budget, c.id, *top.rbegin());
    };
    for (bool competitor : {true, false}) {
      if (competitor_f && *competitor_f != competitor) continue;
      const int walk_max = method::prospect_score({1, competitor, true, true});
      std::optional<std::pair<Fen, Id>> after;
      int page = std::clamp(int(limit) * 2, kMinPage, kMaxFirstPage);
      bool stop = false;  // a row could not enter: the rest of this walk cannot either
      for (bool more = true; more && !stop;) {
        auto rows = tx.prospect_candidates_page(a.org(), competitor, rep, min_order, v.as_of_end, after, page);
        more = int(rows.size()) == page;
        if (rows.empty()) break;
        after = {rows.back().budget, rows.back().id};
        page = std::min(page * 2, kMaxPage);
        // In chunks, so that the references are fetched for few rows past the end of the walk:
        // the rows up to the first that cannot enter (the walk ends there), and of those the
        // ones whose own best score could enter, need their references; then they are scored.
        for (size_t from = 0; from < rows.size() && !stop; from += kRefChunk) {
          size_t to = std::min(rows.size(), from + kRefChunk), n = from;
          std::unordered_map<std::string, std::vector<int64_t>> need;
          for (; n < to && can_enter(walk_max, rows[n]); n++) {
            const auto& c = rows[n];
            if (!wanted(c.industry, c.competitor)) continue;
            if (!can_enter(method::prospect_score({1, c.competitor, true, c.payer_known}), c)) continue;
            auto& known = refs_at[c.industry];
            for (int64_t r = c.rank - W; r <= c.rank + W; r++)
              if (known.emplace(r, std::vector<ProspectRef>{}).second) need[c.industry].push_back(r);
          }
          if (n < to) stop = true;
          prospects_store::RankNeed wanted_ranks(need.begin(), need.end());
          for (auto& [industry, ref] : prospects_store::refs_at(tx, a.org(), wanted_ranks, v.as_of_end))
            refs_at[industry][ref.rank].push_back(ref);
          for (size_t i = from; i < n; i++) {
            const auto& c = rows[i];
            if (!can_enter(walk_max, c)) {
              stop = true;
              break;
            }
            if (!wanted(c.industry, c.competitor)) continue;
            if (!can_enter(method::prospect_score({1, c.competitor, true, c.payer_known}), c)) continue;
            Pick best;
            const auto& known = refs_at[c.industry];
            for (int64_t r = c.rank - W; r <= c.rank + W; r++) {
              auto it = known.find(r);
              if (it == known.end()) continue;
              for (const ProspectRef& ref : it->second) {
                int dist = int(std::llabs(c.rank - ref.rank));
                int score = method::prospect_score(
                    {dist, c.competitor, c.budget >= std::max<Fen>(ref.order, min_order), c.payer_known});
                if (score > best.score || (score == best.score && (ref.order > best.ref.order ||
                                                                   (ref.order == best.ref.order && ref.id < best.ref.id))))
                  best = {score, c.budget, c.id, c, ref};
              }
            }
            if (best.score < 0 || !can_enter(best.score, c)) continue;
            top.insert(std::move(best));
            if (top.size() > limit) top.erase(std::prev(top.end()));
          }
        }
      }
    }

    // Harvest (让竞争对手去培养，时机成熟再收割): companies whose competitor contract ends within
    // harvest_window_days, the rep's or the pool's; they lead the answer, soonest first.
    auto [h_from, h_to] = method::harvest_end_range(v.params, v.as_of);
    std::unordered_map<Id, Company> harvest;
    std::vector<Id> harvest_order;
    for (auto& c : tx.harvest_candidates(a.org(), rep, v.day(h_from), v.day(h_to), v.as_of_end, int(limit))) {
      if (!wanted(c.industry, !c.competitor.empty())) continue;
      harvest_order.push_back(c.id);
      harvest.emplace(c.id, std::move(c));
    }
    auto harvest_reason = [&](const Company& c) {
      return message("reason_harvest", a.zh,
                     {{"competitor", c.competitor.empty() ? message("a_competitor", a.zh) : c.competitor},
                      {"date", c.competitor_contract_end}});
    };
    json ranked = json::array();

    // The winners' and their references' rows.
    std::vector<Id> ids;
    for (auto& p : top) {
      ids.push_back(p.id);
      ids.push_back(p.ref.id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::unordered_map<Id, Company> rows;
    for (auto& c : tx.companies_by_ids(a.org(), ids)) rows.emplace(c.id, std::move(c));
    bool zh = a.zh;
    // Rep–buyer fit of the asking rep with each winner's payer (SPEC §3: the seed's direction).
    std::unordered_map<Id, method::Fit> fits;
    if (auto ru = tx.get_user(a.org(), rep)) {
      std::vector<Id> winners;
      winners.reserve(top.size());
      for (auto& b : top) winners.push_back(b.id);
      fits = rep_fits(tx, a.org(), *ru, winners);
    }
    for (auto& b : top) {
      auto ci = rows.find(b.id), ri = rows.find(b.ref.id);
      if (ci == rows.end() || ri == rows.end()) continue;  // cannot happen inside one read transaction
      const Company& c = ci->second;
      const Company& ref = ri->second;
      int distance = int(std::llabs(b.cand.rank - b.ref.rank));
      Fen order = std::max<Fen>(b.ref.order, min_order);
      json reasons = json::array(), codes = json::array();
      reasons.push_back(message("reason_rank_adjacent", zh,
                                {{"ref", ref.name}, {"ref_rank", std::to_string(b.ref.rank)}, {"rank", std::to_string(b.cand.rank)},
                                 {"distance", std::to_string(distance)}, {"industry", c.industry}}));
      codes.push_back(distance <= 1 ? "rank_adjacent_1" : "rank_adjacent_2");
      if (!c.competitor.empty()) {
        reasons.push_back(message("reason_competitor", zh, {{"competitor", c.competitor}}));
        codes.push_back("uses_competitor");
      }
      if (b.budget >= order) {
        reasons.push_back(message("reason_budget_fit", zh, {{"budget", money::yuan_grouped(b.budget)}, {"order", money::yuan_grouped(order)}}));
        codes.push_back("budget_fit");
      }
      if (b.cand.payer_known) {
        reasons.push_back(message("reason_payer_known", zh));
        codes.push_back("payer_known");
      }
      if (auto h = harvest.find(c.id); h != harvest.end()) {
        reasons.insert(reasons.begin(), harvest_reason(c));
        codes.insert(codes.begin(), "harvest_window");
        harvest.erase(h);
      }
      const method::Fit& fit = fits[c.id];
      if (auto r = method::fit_reason(fit, zh); !r.empty()) {
        reasons.push_back(r);
        codes.push_back("style_fit");
      }
      ranked.push_back({{"company_id", c.id},
                       {"company_name", c.name},
                       {"competitor_contract_end", null_or_str(c.competitor_contract_end)},
                       {"industry", c.industry},
                       {"industry_rank", b.cand.rank},
                       {"budget_capacity", b.budget},
                       {"owner_id", null_or(c.owner_id)},
                       {"status", to_string(c.status)},
                       {"score", b.score},
                       {"competitor", c.competitor},
                       {"reference_order", order},
                       {"reference_company_id", b.ref.id},
                       {"reference_company_name", ref.name},
                       {"reference_rank", b.ref.rank},
                       {"reasons", reasons},
                       {"reason_codes", codes},
                       {"fit", fit_json(fit, zh)}});
    }
    for (Id id : harvest_order) {
      if (max_dist_q) break;  // a harvest-only suggestion has no reference to be near to
      auto h = harvest.find(id);
      if (h == harvest.end()) continue;  // also a ranked prospect: its reasons say it
      const Company& c = h->second;
      items.push_back({{"company_id", c.id},
                       {"company_name", c.name},
                       {"competitor_contract_end", c.competitor_contract_end},
                       {"industry", c.industry},
                       {"industry_rank", null_or(c.industry_rank)},
                       {"budget_capacity", null_or(c.budget_capacity)},
                       {"owner_id", null_or(c.owner_id)},
                       {"status", to_string(c.status)},
                       {"score", method::kHarvestScore},
                       {"competitor", c.competitor},
                       {"reference_order", nullptr},
                       {"reference_company_id", nullptr},
                       {"reference_company_name", nullptr},
                       {"reference_rank", nullptr},
                       {"reasons", json::array({harvest_reason(c)})},
                       {"reason_codes", json::array({"harvest_window"})}});
    }
    for (auto& r : ranked) {
      if (items.size() >= limit) break;
      items.push_back(std::move(r));
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}, {"as_of", as_of_s}};
}

}  // namespace tj
