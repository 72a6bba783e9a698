// Duplicate names (撞单, SPEC §3): the check every write of a company name makes, the 409
// `duplicate`, the attempt record; and the admin's view of existing duplicates and merge.
#include "app/roles.h"
#include "app/duplicate_hook.h"
#include "app/pool.h"
#include "domain/names.h"
#include "app/messages.h"

namespace tj {
using namespace detail;

namespace detail {

std::optional<DuplicateHit> find_duplicate(Tx& tx, const Actor& a, const std::string& name, std::optional<Id> except) {
  std::string key = names::company_key(name);
  if (key.empty()) return std::nullopt;
  for (auto& c : tx.companies_by_name_key(a.org(), key, 3)) {
    if (except && c.id == *except) continue;
    DuplicateHit d;
    if (c.owner_id)
      if (auto u = tx.get_user(a.org(), *c.owner_id)) d.owner_name = u->display_name;
    d.readable = tx.company_visible(c, a.scope, a.org());
    d.company = std::move(c);
    return d;
  }
  return std::nullopt;
}

std::string duplicate_reason(const Actor& a, const DuplicateHit& d) {
  const Company& c = d.company;
  const bool zh = a.zh;
  std::string named = d.readable ? tr("duplicate.company_named", zh, {{"name", c.name}, {"id", std::to_string(c.id)}}) : "";
  i18n::Args args = {{"named", named}, {"named_sp", named.empty() ? named : named + " "}, {"owner", d.owner_name}};
  if (!c.owner_id) return tr("duplicate.in_pool", zh, args);
  if (*c.owner_id == a.user.id) return tr("duplicate.yours", zh, args);
  return tr("duplicate.owned", zh, args);
}

Error duplicate_error(const Actor& a, const DuplicateHit& d) { return conflict("duplicate", duplicate_reason(a, d)); }

void record_duplicate_attempt(Tx& tx, const Actor& a, const DuplicateHit& d, const std::string& attempted_name,
                              const char* via, Instant now) {
  if (!d.company.owner_id || *d.company.owner_id == a.user.id) return;  // nobody else to tell
  on_duplicate_attempt(tx, a, d.company, attempted_name, via, now);
}

}  // namespace detail

Status App::report_duplicate_attempt(const Actor& a, const DuplicateHit& d, const std::string& attempted_name,
                                     const char* via) {
  // The refused write rolled back; the attempt is recorded on its own.
  auto now = clock_.now();
  return store_.write([&](Tx& tx) -> Status {
    auto c = tx.get_company(a.org(), d.company.id);
    if (!c) return ok_status();
    DuplicateHit cur = d;
    cur.company = *c;
    record_duplicate_attempt(tx, a, cur, attempted_name, via, now);
    return ok_status();
  });
}

Result<json> App::check_company_name(const Actor& a, const Query& q) {
  TRY(q_only(q, {"name", "except_id"}));
  TRY_ASSIGN(auto except, q_int(q, "except_id", 1, INT64_MAX));
  std::string name = q.count("name") ? q.at("name") : "";
  if (name.empty()) return field_error("name", "is required");
  if (name.size() > 800) return field_error("name", "is too long");
  if (names::company_key(name).empty()) return field_error("name", "has no letter, digit or character to compare");
  json out;
  TRY(store_.read([&](Tx& tx) -> Status {
    auto d = find_duplicate(tx, a, name, except);
    out = {{"exists", d.has_value()}, {"owner_name", nullptr}, {"company_id", nullptr}, {"in_pool", false}, {"mine", false}};
    if (!d) return ok_status();
    if (d->company.owner_id) out["owner_name"] = d->owner_name;
    out["in_pool"] = !d->company.owner_id;
    out["mine"] = d->company.owner_id && *d->company.owner_id == a.user.id;
    if (d->readable) {
      out["company_id"] = d->company.id;
      out["company_name"] = d->company.name;
    }
    out["message"] = duplicate_reason(a, *d);
    return ok_status();
  }));
  return out;
}

Result<json> App::list_duplicates(const Actor& a, const Query& q) {
  TRY(q_only(q, {"limit", "cursor"}));
  if (!allows(roles::kListDuplicates, a.user.role)) return refusal(roles::kListDuplicates);
  TRY_ASSIGN(auto limit_q, q_int(q, "limit", 1, 200));
  const int limit = int(limit_q.value_or(50));
  std::string after;
  if (auto it = q.find("cursor"); it != q.end() && !it->second.empty()) {
    auto c = decode_cursor(it->second);
    if (!c || !c->is_object() || !c->contains("k") || !(*c)["k"].is_string())
      return field_error("cursor", "is not a cursor of this listing");
    after = (*c)["k"].get<std::string>();
  }
  json items = json::array();
  json next = nullptr;
  TRY(store_.read([&](Tx& tx) -> Status {
    std::string tz = org_tz(tx, a.org());
    auto keys = tx.duplicate_name_keys(a.org(), after, limit + 1);
    bool more = int(keys.size()) > limit;
    if (more) keys.pop_back();
    std::map<Id, std::string> names_of;
    for (auto& k : keys) {
      json cs = json::array();
      for (auto& c : tx.companies_by_name_key(a.org(), k, 100)) {
        std::string owner;
        if (c.owner_id) {
          auto it = names_of.find(*c.owner_id);
          if (it == names_of.end()) {
            auto u = tx.get_user(a.org(), *c.owner_id);
            it = names_of.emplace(*c.owner_id, u ? u->display_name : "").first;
          }
          owner = it->second;
        }
        cs.push_back({{"id", c.id},
                      {"name", c.name},
                      {"owner_id", null_or(c.owner_id)},
                      {"owner_name", c.owner_id ? json(owner) : json(nullptr)},
                      {"status", to_string(c.status)},
                      {"visit_count", c.visit_count},
                      {"signed_at", opt_iso(c.signed_at, tz)},
                      {"created_at", opt_iso(c.created_at, tz)}});
      }
      items.push_back({{"name_key", k}, {"companies", cs}});
    }
    if (more && !keys.empty()) next = encode_cursor({{"k", keys.back()}});
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", next}};
}

Result<json> App::merge_companies(const Actor& a, Id id, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"from_id"}));
  TRY_ASSIGN(Id from_id, f.integer("from_id", 1, INT64_MAX));
  if (!allows(roles::kMerge, a.user.role)) return refusal(roles::kMerge);
  if (from_id == id) return field_error("from_id", "must be another company than the one merged into");
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    auto into = tx.get_company(a.org(), id);
    if (!into) return not_found("company");
    auto from = tx.get_company(a.org(), from_id);
    if (!from) return field_error("from_id", "no such company");
    std::string tz = org_tz(tx, a.org());
    json old_into = to_json(*into, tz), old_from = to_json(*from, tz);
    Company c = *into;
    // Fields the kept company lacks are taken from the merged one.
    auto fill = [](std::string& to, const std::string& v) {
      if (to.empty()) to = v;
    };
    fill(c.industry, from->industry);
    fill(c.region, from->region);
    fill(c.source, from->source);
    fill(c.competitor, from->competitor);
    fill(c.interest_reason, from->interest_reason);
    fill(c.attraction, from->attraction);
    fill(c.concerns, from->concerns);
    if (!c.industry_rank) c.industry_rank = from->industry_rank;
    if (!c.budget_capacity) c.budget_capacity = from->budget_capacity;
    if (!c.owner_id && from->owner_id) {
      c.owner_id = from->owner_id;
      if (c.status == CompanyStatus::Dropped) c.status = rules::derived_status(c);
    }
    if (from->signed_at && (!c.signed_at || *from->signed_at < *c.signed_at)) c.signed_at = from->signed_at;
    // The merged company leaves first (its counters go), then its records move and the kept
    // company's visit-derived facts are replayed over both histories.
    tx.soft_delete_company(a.org(), from->id, now);
    tx.move_company_children(a.org(), from->id, c.id);
    auto visits = tx.company_visits_in_order(a.org(), c.id);
    rules::replay_visits(c, visits);
    for (auto& v : visits) tx.set_visit_flags(a.org(), v.id, v.was_new, v.made_effective);
    if (c.signed_at) {  // a signed customer stays signed, whatever the kept one's side state
      c.status = CompanyStatus::Signed;
      c.nurture_reason.clear();
      c.revisit_on.clear();
    }
    c.updated_at = now;
    int64_t ver = c.version;
    if (!tx.update_company(c, ver)) return stale("the company");
    c.version = ver + 1;
    out = to_json(c, tz);
    audit(tx, a, now, "merge", "company", c.id, old_into, json{{"merged_from", from->id}, {"company", out}});
    audit(tx, a, now, "merged_into", "company", from->id, old_from, json{{"merged_into", c.id}});
    return ok_status();
  }));
  return out;
}

}  // namespace tj
