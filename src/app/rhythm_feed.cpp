// The daily rhythm board, the team feed (shares and signed deals with comments
// and likes), discovery and conversion insights, and rep–buyer fit.
#include <algorithm>
#include <unordered_map>
#include <map>
#include <set>

#include "app/notify.h"
#include "app/views.h"
#include "method/vocab.h"
#include "app/messages.h"

namespace tj {
using namespace detail;

Result<json> App::rhythm_status(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id"}));
  json items = json::array();
  std::string day;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(View v, load_view(tx, a, q, clock_.now(), RepFilter::Forbid, true));
    day = v.as_of_s;
    auto reps = v.rep_ids();
    std::map<Id, DayNote> plans, reviews;
    for (auto& n : tx.plans_between(a.org(), reps, day, day)) plans[n.rep_id] = n;
    for (auto& n : tx.reviews_between(a.org(), reps, day, day)) reviews[n.rep_id] = n;
    std::map<Id, DailyCount> counts;
    for (auto& d : tx.daily_counts(a.org(), day, day, reps)) counts[d.rep_id] = d;
    for (auto& u : v.reps) {
      auto c = counts.count(u.id) ? counts[u.id] : DailyCount{};
      json plan = plans.count(u.id) ? json::parse(plans[u.id].body_json, nullptr, false) : json(nullptr);
      json review = reviews.count(u.id) ? json::parse(reviews[u.id].body_json, nullptr, false) : json(nullptr);
      if (review.is_object()) review["id"] = reviews[u.id].id;
      items.push_back({{"rep_id", u.id}, {"display_name", u.display_name}, {"team_id", null_or(u.team_id)},
                       {"plan_submitted", !plan.is_null()}, {"review_submitted", !review.is_null()},
                       {"plan", plan}, {"review", review},
                       {"visits", c.visits}, {"visits_new", v.visits_new(c)}, {"effective_new", c.effective_new},
                       {"deals", c.deals}, {"signed_amount", c.signed_amount},
                       {"quota_visits_new", v.quota(u, "visits_new")}, {"quota_effective_new", v.quota(u, "effective_new")}});
    }
    return ok_status();
  }));
  json missing_plan = json::array(), missing_review = json::array();
  for (auto& it : items) {
    if (!it["plan_submitted"].get<bool>()) missing_plan.push_back(it["rep_id"]);
    if (!it["review_submitted"].get<bool>()) missing_review.push_back(it["rep_id"]);
  }
  return json{{"items", std::move(items)},
              {"next_cursor", nullptr},
              {"date", day},
              {"missing_plan", missing_plan},
              {"missing_review", missing_review}};
}

namespace {
// A feed target (review or deal) the actor may see: its rep is in the actor's team view.
Result<Id> feed_target_rep(Tx& tx, const Actor& a, const std::string& kind, Id id) {
  Id rep = 0;
  if (kind == "review") {
    auto r = tx.get_review_by_id(a.org(), id);
    if (!r) return not_found("review");
    rep = r->rep_id;
  } else if (kind == "deal") {
    auto d = tx.get_deal(a.org(), id);
    if (!d) return not_found("deal");
    rep = d->rep_id;
  } else {
    return not_found("feed item");
  }
  auto u = tx.get_user(a.org(), rep);
  if (!u) return not_found(kind);
  bool teammate = a.user.team_id && u->team_id && *a.user.team_id == *u->team_id;
  if (!user_in_scope(tx, a, *u) && !teammate) return not_found(kind);
  return rep;
}
}  // namespace

namespace {
// The opaque cursor holds the last entry of the page before: [day, at, "review"|"deal", id].
std::optional<FeedKey> parse_feed_cursor(const std::string& s) {
  auto c = decode_cursor(s);
  if (!c || !c->is_array() || c->size() != 4) return std::nullopt;
  const json& j = *c;
  if (!j[0].is_string() || !parse_date(j[0].get<std::string>()) || !j[1].is_number_integer() || !j[2].is_string() ||
      !j[3].is_number_integer())
    return std::nullopt;
  std::string kind = j[2].get<std::string>();
  Instant at = j[1].get<Instant>();
  Id id = j[3].get<Id>();
  if ((kind != "review" && kind != "deal") || at < 0 || id < 0) return std::nullopt;
  return FeedKey{j[0].get<std::string>(), at, kind == "deal" ? FeedKey::kDeal : FeedKey::kReview, id};
}
}  // namespace

Result<json> App::feed(const Actor& a, const Query& q) {
  TRY(q_only(q, {"as_of", "team_id", "days", "limit", "cursor"}));
  TRY_ASSIGN(auto days, q_int(q, "days", 1, 31));
  TRY_ASSIGN(auto limit_q, q_int(q, "limit", 1, 200));
  const int limit = int(limit_q.value_or(50));
  std::optional<FeedKey> after;
  if (q.count("cursor")) {
    after = parse_feed_cursor(q.at("cursor"));
    if (!after) return field_error("cursor", "not a cursor of this list");
  }
  json items = json::array();
  json next = nullptr;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    Query q2 = q;
    for (auto k : {"days", "limit", "cursor"}) q2.erase(k);
    TRY_ASSIGN(View v, load_view(tx, a, q2, clock_.now(), RepFilter::Forbid, true));
    auto reps = v.rep_ids();
    std::string from = v.day(v.as_of - days.value_or(7) + 1);
    std::unordered_map<Id, std::string> names;
    for (auto& u : v.reps) names[u.id] = u.display_name;
    struct Entry {
      FeedKey key;
      json body;
    };
    // The newest `limit` + 1 of each kind after the cursor, merged; one more than fits says
    // whether the feed goes on.
    std::vector<Entry> es;
    for (auto& r : tx.feed_reviews(a.org(), reps, from, v.as_of_s, after, limit + 1)) {
      json b = json::parse(r.body_json, nullptr, false);
      b["rep_id"] = r.rep_id;
      b["date"] = r.day;
      b["display_name"] = names[r.rep_id];
      // A manager's one tap from "help wanted" to a 陪访 booking (issue 14.4): the proposal.
      if (a.user.role != Role::Rep && b.is_object() && b.contains("help_wanted") && b["help_wanted"].is_string()) {
        json hb = propose_help_booking(tx, a, v, r.rep_id, b["help_wanted"].get<std::string>(), nullptr);
        if (!hb.is_null()) {
          hb["review_id"] = r.id;
          b["help_booking"] = hb;
        }
      }
      es.push_back({{r.day, r.updated_at, FeedKey::kReview, r.id}, b});
    }
    for (auto& f : tx.feed_deals(a.org(), reps, from, v.as_of_s, after, limit + 1)) {
      const Deal& d = f.deal;
      json b = {{"rep_id", d.rep_id}, {"display_name", names[d.rep_id]}, {"company_id", d.company_id},
                {"company_name", f.company_name}, {"amount", d.amount}, {"date", d.signed_on}};
      es.push_back({{d.signed_on, d.created_at, FeedKey::kDeal, d.id}, b});
    }
    std::sort(es.begin(), es.end(), [](const Entry& x, const Entry& y) {
      if (x.key.day != y.key.day) return x.key.day > y.key.day;
      if (x.key.at != y.key.at) return x.key.at > y.key.at;
      if (x.key.kind != y.key.kind) return x.key.kind < y.key.kind;
      return x.key.id > y.key.id;
    });
    if (int(es.size()) > limit) {
      es.resize(size_t(limit));
      const FeedKey& k = es.back().key;
      next = encode_cursor(json::array({k.day, k.at, k.kind == FeedKey::kDeal ? "deal" : "review", k.id}));
    }
    const char* kind_name[] = {"review", "deal"};
    std::vector<Id> ids[2];
    for (auto& e : es) ids[e.key.kind].push_back(e.key.id);
    std::map<std::pair<int, Id>, json> comments;
    std::map<std::pair<int, Id>, int64_t> likes;
    std::set<std::pair<int, Id>> mine;
    std::unordered_map<Id, std::string> commenter;
    for (int k : {FeedKey::kReview, FeedKey::kDeal}) {
      if (ids[k].empty()) continue;
      for (auto& c : tx.comments_on(a.org(), kind_name[k], ids[k])) {
        auto it = commenter.find(c.user_id);
        if (it == commenter.end()) {
          auto u = tx.get_user(a.org(), c.user_id);
          it = commenter.emplace(c.user_id, u ? u->display_name : "").first;
        }
        comments[{k, c.target_id}].push_back({{"id", c.id}, {"user_id", c.user_id}, {"display_name", it->second},
                                              {"body", c.body}, {"at", opt_iso(c.created_at, v.settings.timezone)}});
      }
      for (auto& [id, n] : tx.like_counts(a.org(), kind_name[k], ids[k])) likes[{k, id}] = n;
      for (auto id : tx.liked_by(a.org(), kind_name[k], ids[k], a.user.id)) mine.insert({k, id});
    }
    for (auto& e : es) {
      auto key = std::pair{e.key.kind, e.key.id};
      items.push_back({{"kind", kind_name[e.key.kind]}, {"id", e.key.id}, {"date", e.key.day}, {"item", e.body},
                       {"comments", comments.count(key) ? comments[key] : json::array()},
                       {"likes", likes.count(key) ? likes[key] : 0}, {"liked", mine.count(key) > 0}});
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", next}};
}

Result<json> App::comment(const Actor& a, const std::string& kind, Id id, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"body"}));
  TRY_ASSIGN(auto text, f.str("body", true, 2000));
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    TRY(feed_target_rep(tx, a, kind, id));
    Id cid = tx.insert_comment(a.org(), kind, id, a.user.id, text, now);
    out = {{"id", cid}, {"kind", kind}, {"target_id", id}, {"user_id", a.user.id}, {"body", text}};
    audit(tx, a, now, "comment", kind, id, nullptr, out);
    notify::feed_reaction(tx, a, kind, id, &text, now);
    return ok_status();
  }));
  return out;
}

Result<json> App::like(const Actor& a, const std::string& kind, Id id) {
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    TRY(feed_target_rep(tx, a, kind, id));
    bool liked = tx.toggle_like(a.org(), kind, id, a.user.id, now);
    int64_t n = 0;
    for (auto& [t, c] : tx.like_counts(a.org(), kind, {id})) n = c;
    out = {{"kind", kind}, {"target_id", id}, {"liked", liked}, {"likes", n}};
    audit(tx, a, now, liked ? "like" : "unlike", kind, id, nullptr, nullptr);
    if (liked) notify::feed_reaction(tx, a, kind, id, nullptr, now);
    return ok_status();
  }));
  return out;
}

namespace {
Result<std::pair<std::string, std::string>> range_of(const detail::View& v, const Query& q) {
  TRY_ASSIGN(auto from, q_date(q, "from"));
  TRY_ASSIGN(auto to, q_date(q, "to"));
  std::string t = to.value_or(v.as_of_s);
  std::string f = from.value_or(v.day(days_from_civil(*parse_date(t)) - 89));
  if (f > t) return field_error("to", "must not be before from");
  if (days_from_civil(*parse_date(t)) - days_from_civil(*parse_date(f)) > 400) return field_error("from", "at most 400 days");
  return std::pair{f, t};
}
// The discovery and conversion views' scope (team_id, as_of: load_view) and their range of days
// (from, to: range_of).
Result<std::pair<detail::View, std::pair<std::string, std::string>>> period_view(Tx& tx, const Actor& a, const Query& q,
                                                                                 Instant now) {
  Query q2 = q;
  q2.erase("from");
  q2.erase("to");
  TRY_ASSIGN(detail::View v, detail::load_view(tx, a, q2, now, detail::RepFilter::Forbid, false));
  TRY_ASSIGN(auto range, range_of(v, q));
  return std::pair{std::move(v), std::move(range)};
}
json top_counts(const std::map<std::string, int64_t>& m, size_t n) {
  std::vector<std::pair<std::string, int64_t>> v(m.begin(), m.end());
  std::sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
  json out = json::array();
  for (size_t i = 0; i < v.size() && i < n; i++) out.push_back({{"text", v[i].first}, {"count", v[i].second}});
  return out;
}
}  // namespace

Result<json> App::discovery(const Actor& a, const Query& q) {
  TRY(q_only(q, {"from", "to", "team_id", "as_of"}));
  json out;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(auto pv, period_view(tx, a, q, clock_.now()));
    const View& v = pv.first;
    const auto& range = pv.second;
    std::map<std::string, int64_t> interest, attraction, concerns;
    int64_t n = 0;
    // Counters (migration 0007): visits with any text (field 0) and per field, by text.
    for (auto& c : tx.discovery_counts(a.org(), v.rep_ids(), range.first, range.second)) {
      if (c.field == 0) n = c.n;
      else (c.field == 1 ? interest : c.field == 2 ? attraction : concerns)[c.text] = c.n;
    }
    out = {{"from", range.first}, {"to", range.second}, {"visits_with_discovery", n},
           {"interest_reasons", top_counts(interest, 10)}, {"attractions", top_counts(attraction, 10)},
           {"concerns", top_counts(concerns, 10)}};
    return ok_status();
  }));
  return out;
}

Result<json> App::conversion(const Actor& a, const Query& q) {
  TRY(q_only(q, {"from", "to", "team_id", "as_of"}));
  json out;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(auto pv, period_view(tx, a, q, clock_.now()));
    const View& v = pv.first;
    const auto& range = pv.second;
    std::map<std::string, std::pair<int64_t, int64_t>> by_source, by_industry;
    std::map<Id, std::pair<int64_t, int64_t>> by_rep;
    int64_t e = 0, s = 0;
    // Counters (migration 0007): by (source, industry), and per rep.
    auto reps = v.rep_ids();
    for (auto& r : tx.conversion_counts(a.org(), reps, range.first, range.second)) {
      e += r.effective;
      s += r.signed_;
      by_source[r.source].first += r.effective;
      by_source[r.source].second += r.signed_;
      by_industry[r.industry].first += r.effective;
      by_industry[r.industry].second += r.signed_;
    }
    for (auto& r : tx.conversion_by_rep(a.org(), reps, range.first, range.second))
      by_rep[r.rep_id] = {r.effective, r.signed_};
    auto row = [](json key, std::pair<int64_t, int64_t> p) {
      key["effective"] = p.first;
      key["signed"] = p.second;
      key["conversion"] = p.first ? json(double(p.second) / double(p.first)) : json(nullptr);
      return key;
    };
    json src = json::array(), ind = json::array(), rep = json::array();
    for (auto& [k, p] : by_source) src.push_back(row({{"source", k}}, p));
    for (auto& [k, p] : by_industry) ind.push_back(row({{"industry", k}}, p));
    for (auto& u : v.reps) rep.push_back(row({{"rep_id", u.id}, {"display_name", u.display_name}}, by_rep[u.id]));
    out = {{"from", range.first}, {"to", range.second}, {"total", row(json::object(), {e, s})},
           {"by_source", src}, {"by_industry", ind}, {"by_rep", rep}};
    return ok_status();
  }));
  return out;
}

Result<json> App::fit(const Actor& a, Id company) {
  json out;
  TRY(store_.read_replica([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, visible_company(tx, a, company));
    TRY_ASSIGN(View v, load_view(tx, a, {}, clock_.now(), RepFilter::Forbid, true));
    std::string style = tx.payer_style(a.org(), company);
    auto rows = tx.fit_rows(a.org());
    int64_t st_trials = 0, st_wins = 0, all_trials = 0, all_wins = 0;
    std::map<Id, std::pair<int64_t, int64_t>> per_rep;
    for (auto& r : rows) {
      all_trials += r.trials;
      all_wins += r.wins;
      if (r.style == style) {
        st_trials += r.trials;
        st_wins += r.wins;
        per_rep[r.rep_id] = {r.trials, r.wins};
      }
    }
    double prior = st_trials ? double(st_wins) / double(st_trials) : all_trials ? double(all_wins) / double(all_trials) : 0.3;
    json reps = json::array();
    for (auto& u : v.reps) {
      auto [t, w] = per_rep[u.id];
      reps.push_back({{"rep_id", u.id}, {"display_name", u.display_name}, {"selling_style", u.selling_style},
                      {"selling_style_name", method::style_name(u.selling_style, a.zh)},
                      {"trials", t}, {"wins", w}, {"win_rate", method::smoothed_win_rate(w, t, prior)}});
    }
    std::stable_sort(reps.begin(), reps.end(), [](const json& x, const json& y) { return x["win_rate"].get<double>() > y["win_rate"].get<double>(); });
    json best = reps.empty() || style.empty() ? json(nullptr) : reps[0];
    out = {{"company_id", c.id}, {"payer_style", style.empty() ? json(nullptr) : json(style)},
           {"payer_style_name", style.empty() ? json(nullptr) : json(method::style_name(style, a.zh))}, {"prior", prior},
           {"suggested_rep", best}, {"reps", reps},
           {"message", style.empty() ? tr("fit.record_payer_style", a.zh)
                                     : tr("fit.suggested_by_style", a.zh, {{"style", method::style_name(style, a.zh)}})}};
    return ok_status();
  }));
  return out;
}

}  // namespace tj
