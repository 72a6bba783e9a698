// Companies and what happens to them: contacts, visits (the qualification
// rule), deals, nurture, drop and claim.
#include "app/internal.h"
#include "method/method.h"
#include "app/pool.h"
#include "app/vocab.h"
#include "app/json_text.h"
#include "io/text.h"
#include "store/isolation.h"

namespace tj {
using namespace detail;

json to_json(const Company& c, const std::string& tz) {
  return {{"id", c.id},
          {"name", c.name},
          {"industry", c.industry},
          {"industry_rank", null_or(c.industry_rank)},
          {"region", c.region},
          {"budget_capacity", null_or(c.budget_capacity)},
          {"source", c.source},
          {"competitor", c.competitor},
          {"competitor_contract_end", null_or_str(c.competitor_contract_end)},
          {"address", c.address},
          {"location", c.lat && c.lng ? json{{"lat", *c.lat}, {"lng", *c.lng}} : json(nullptr)},
          {"owner_id", null_or(c.owner_id)},
          {"status", to_string(c.status)},
          {"is_new", c.is_new()},
          {"effective", c.effective_at.has_value() && c.is_new()},
          {"need", c.need},
          {"budget", c.budget},
          {"payer_met", c.payer_met},
          {"effective_at", opt_iso(c.effective_at, tz)},
          {"effective_by", null_or(c.effective_by)},
          {"signed_at", opt_iso(c.signed_at, tz)},
          {"first_visit_at", opt_iso(c.first_visit_at, tz)},
          {"last_visit_at", opt_iso(c.last_visit_at, tz)},
          {"visit_count", c.visit_count},
          {"interest_reason", c.interest_reason},
          {"attraction", c.attraction},
          {"concerns", c.concerns},
          {"nurture_reason", null_or_str(c.nurture_reason)},
          {"revisit_on", null_or_str(c.revisit_on)},
          {"drop_reason", null_or_str(c.drop_reason)},
          {"version", c.version},
          {"created_at", opt_iso(c.created_at, tz)},
          {"updated_at", opt_iso(c.updated_at, tz)}};
}

namespace detail {

json contact_json(const Contact& c) {
  return {{"id", c.id},       {"company_id", c.company_id}, {"name", c.name},   {"title", c.title},
          {"is_payer", c.is_payer}, {"style", c.style},     {"phone", c.phone}, {"version", c.version}};
}

namespace {
void write_time(JsonText& w, const std::optional<Instant>& t, const std::string& tz) {
  if (!t) {
    w.null();
    return;
  }
  auto z = TimeZone::get(tz);
  w.value(z ? z->format_local(*t) : format_iso8601_utc(*t));
}
}  // namespace

// Keys in ascending byte order (JsonText's contract): the fields of to_json(Company), plus
// "contacts" and, when given, "fit".
std::string company_text(const Company& c, const std::string& tz, const std::vector<Contact>& contacts,
                         const method::Fit* fit, bool zh) {
  JsonText w;
  w.begin_object();
  w.key("address").value(c.address);
  w.key("attraction").value(c.attraction);
  w.key("budget").value(c.budget);
  w.key("budget_capacity").value(c.budget_capacity);
  w.key("competitor").value(c.competitor);
  w.key("competitor_contract_end").value_or_null(c.competitor_contract_end);
  w.key("concerns").value(c.concerns);
  w.key("contacts").begin_array();
  for (auto& ct : contacts) {
    w.begin_object();
    w.key("company_id").value(ct.company_id);
    w.key("id").value(ct.id);
    w.key("is_payer").value(ct.is_payer);
    w.key("name").value(ct.name);
    w.key("phone").value(ct.phone);
    w.key("style").value(ct.style);
    w.key("title").value(ct.title);
    w.key("version").value(ct.version);
    w.end_object();
  }
  w.end_array();
  w.key("created_at");
  write_time(w, c.created_at, tz);
  w.key("drop_reason").value_or_null(c.drop_reason);
  w.key("effective").value(c.effective_at.has_value() && c.is_new());
  w.key("effective_at");
  write_time(w, c.effective_at, tz);
  w.key("effective_by").value(c.effective_by);
  w.key("first_visit_at");
  write_time(w, c.first_visit_at, tz);
  if (fit) {
    const bool known = !fit->payer_style.empty();
    w.key("fit").begin_object();
    w.key("level").value(method::to_string(fit->level));
    if (known) w.key("payer_style").value(fit->payer_style);
    else w.key("payer_style").null();
    if (known) w.key("payer_style_name").value(method::style_name(fit->payer_style, zh));
    else w.key("payer_style_name").null();
    w.key("prior").value(fit->prior);
    w.key("same_style").value(fit->same_style);
    w.key("trials").value(fit->trials);
    if (known) w.key("win_rate").value(fit->win_rate);
    else w.key("win_rate").null();
    w.key("wins").value(fit->wins);
    w.end_object();
  }
  w.key("id").value(c.id);
  w.key("industry").value(c.industry);
  w.key("industry_rank").value(c.industry_rank);
  w.key("interest_reason").value(c.interest_reason);
  w.key("is_new").value(c.is_new());
  w.key("last_visit_at");
  write_time(w, c.last_visit_at, tz);
  if (c.lat && c.lng) w.key("location").begin_object().key("lat").value(*c.lat).key("lng").value(*c.lng).end_object();
  else w.key("location").null();
  w.key("name").value(c.name);
  w.key("need").value(c.need);
  w.key("nurture_reason").value_or_null(c.nurture_reason);
  w.key("owner_id").value(c.owner_id);
  w.key("payer_met").value(c.payer_met);
  w.key("region").value(c.region);
  w.key("revisit_on").value_or_null(c.revisit_on);
  w.key("signed_at");
  write_time(w, c.signed_at, tz);
  w.key("source").value(c.source);
  w.key("status").value(to_string(c.status));
  w.key("updated_at");
  write_time(w, c.updated_at, tz);
  w.key("version").value(c.version);
  w.key("visit_count").value(c.visit_count);
  w.end_object();
  return w.take();
}

}  // namespace detail

namespace {

json visit_json(const Visit& v, const std::string& tz, const Company* c = nullptr) {
  auto ob = [](const std::optional<bool>& b) { return b ? json(*b) : json(nullptr); };
  return {{"id", v.id},
          {"company_id", v.company_id},
          {"rep_id", v.rep_id},
          {"at", opt_iso(v.at, tz)},
          {"day", v.day},
          {"kind", to_string(v.kind)},
          {"duration_min", null_or(v.duration_min)},
          {"was_new", v.was_new},
          {"met_payer", ob(v.met_payer)},
          {"need", ob(v.need)},
          {"budget", ob(v.budget)},
          {"made_effective", v.made_effective},
          {"companion_id", null_or(v.companion_id)},
          {"coaching_stage", null_or(v.coaching_stage)},
          {"interest_reason", v.interest_reason},
          {"attraction", v.attraction},
          {"concerns", v.concerns},
          {"notes", v.notes},
          {"location", v.lat && v.lng ? json{{"lat", *v.lat}, {"lng", *v.lng}} : json(nullptr)},
          // How far the check-in was from the company's place, when both are known (issue 15).
          {"distance_m", v.lat && v.lng && c && c->lat && c->lng ? json(std::lround(method::distance_m(*v.lat, *v.lng, *c->lat, *c->lng)))
                                                          : json(nullptr)}};
}

json deal_json(const Deal& d) {
  return {{"id", d.id},         {"company_id", d.company_id}, {"rep_id", d.rep_id},
          {"amount", d.amount}, {"signed_on", d.signed_on},   {"notes", d.notes}};
}

// Company fields a client may write (qualification facts change only by visits).
struct CompanyInput {
  std::optional<std::string> name, industry, region, source, competitor;
  std::optional<int64_t> industry_rank, budget_capacity;
  bool rank_present = false, budget_present = false;
  std::optional<std::string> contract_end;  // competitor_contract_end (harvest); null clears it
  bool contract_end_present = false;
  std::optional<std::string> address;
  bool location_present = false;              // "location": {lat, lng} sets it, null clears it
  std::optional<std::pair<double, double>> location;
};

// {"lat": number, "lng": number} within range (a visit's check-in and a company's place).
Result<std::pair<double, double>> read_location(const json& loc) {
  if (!loc.is_object() || loc.size() != 2 || !loc.contains("lat") || !loc.contains("lng") || !loc["lat"].is_number() ||
      !loc["lng"].is_number() || std::abs(loc["lat"].get<double>()) > 90 || std::abs(loc["lng"].get<double>()) > 180)
    return field_error("location", "must be {\"lat\": number, \"lng\": number}");
  return std::pair<double, double>{loc["lat"].get<double>(), loc["lng"].get<double>()};
}

Result<CompanyInput> read_company_fields(const Fields& f) {
  CompanyInput in;
  TRY_ASSIGN(in.name, f.opt_str("name", 200));
  TRY_ASSIGN(in.industry, f.opt_str("industry", 50));
  TRY_ASSIGN(in.region, f.opt_str("region", 50));
  TRY_ASSIGN(in.source, f.opt_str("source", 50));
  TRY_ASSIGN(in.competitor, f.opt_str("competitor", 100));
  TRY_ASSIGN(in.industry_rank, f.opt_int("industry_rank", 1, 1000000));
  TRY_ASSIGN(in.budget_capacity, f.opt_int("budget_capacity", 0, int64_t(1e15)));
  in.rank_present = f.present("industry_rank");
  in.budget_present = f.present("budget_capacity");
  TRY_ASSIGN(in.contract_end, f.opt_date("competitor_contract_end"));
  in.contract_end_present = f.present("competitor_contract_end");
  TRY_ASSIGN(in.address, f.opt_str("address", 200));
  in.location_present = f.present("location");
  if (f.has("location")) {
    TRY_ASSIGN(auto loc, read_location(f.raw().at("location")));
    in.location = loc;
  }
  if (in.name && in.name->empty()) return field_error("name", "must not be empty");
  return in;
}

void apply_company_fields(Company& c, const CompanyInput& in) {
  if (in.name) c.name = *in.name;
  if (in.industry) c.industry = *in.industry;
  if (in.region) c.region = *in.region;
  if (in.source) c.source = *in.source;
  if (in.competitor) c.competitor = *in.competitor;
  if (in.rank_present) c.industry_rank = in.industry_rank;
  if (in.budget_present) c.budget_capacity = in.budget_capacity;
  if (in.contract_end_present) c.competitor_contract_end = in.contract_end.value_or("");
  if (in.address) c.address = *in.address;
  if (in.location_present) {
    c.lat = in.location ? std::optional<double>(in.location->first) : std::nullopt;
    c.lng = in.location ? std::optional<double>(in.location->second) : std::nullopt;
  }
}

// Validates an owner the actor wants to set: reps may only name themselves.
Status check_owner(Tx& tx, const Actor& a, Id owner) {
  if (a.user.role == Role::Rep) {
    if (owner != a.user.id) return bad_request("forbidden_field", "owner_id: a rep cannot assign companies to others");
    return ok_status();
  }
  auto u = tx.get_user(a.org(), owner);
  if (!u || !u->active || !user_in_scope(tx, a, *u)) return field_error("owner_id", "no such user in your teams");
  return ok_status();
}

}  // namespace

Result<CompanyQuery> detail::company_filter(const Actor& a, const Query& q) {
  CompanyQuery cq;
  cq.org_id = a.org();
  cq.scope = a.scope;
  if (auto it = q.find("q"); it != q.end()) {
    cq.q = std::string(io::trim(it->second));
    if (cq.q.size() > 200) return field_error("q", "is too long");
  }
  if (auto it = q.find("status"); it != q.end() && !it->second.empty()) {
    if (!parse_company_status(it->second)) return field_error("status", "unknown status");
    cq.status = it->second;
  }
  if (auto it = q.find("industry"); it != q.end() && !it->second.empty()) cq.industry = it->second;
  if (auto it = q.find("owner_id"); it != q.end() && (it->second == "none" || it->second == "pool")) cq.owner_id = 0;
  else {
    TRY_ASSIGN(cq.owner_id, q_int(q, "owner_id", 1, INT64_MAX));
  }
  return cq;
}

void detail::resolve_industry_alias(Tx& tx, const Actor& a, CompanyQuery& cq) {
  if (cq.industry)
    if (auto m = method::map_industry(org_industries(tx, a.org()), *cq.industry); m && !m->empty()) cq.industry = *m;
}

Result<json> App::list_companies(const Actor& a, const Query& q) {
  TRY(q_only(q, {"q", "status", "owner_id", "industry", "sort", "limit", "cursor"}));
  TRY_ASSIGN(auto cq, company_filter(a, q));
  TRY_ASSIGN(auto limit, q_int(q, "limit", 1, 200));
  cq.limit = int(limit.value_or(20));
  if (auto it = q.find("sort"); it != q.end() && !it->second.empty()) {
    std::string s = it->second;
    if (s[0] == '-') {
      cq.desc = true;
      s = s.substr(1);
    }
    if (!is_company_sort(s))
      return field_error("sort", "must be one of name, created_at, updated_at, industry_rank, budget_capacity, "
                                 "last_visit_at, visit_count, status (prefix - for descending)");
    cq.sort = s;
  }
  if (auto it = q.find("cursor"); it != q.end() && !it->second.empty()) {
    auto c = decode_cursor(it->second);
    if (!c || !c->is_object() || !c->contains("id") || !(*c)["id"].is_number_integer() || !c->contains("v") ||
        !c->contains("s") || (*c)["s"] != (cq.desc ? "-" : "") + cq.sort)
      return field_error("cursor", "is not a cursor of this listing");
    cq.after_id = (*c)["id"].get<int64_t>();
    const auto& v = (*c)["v"];
    if (v.is_number_integer()) cq.after_value = db::Value(v.get<int64_t>());
    else if (v.is_string()) cq.after_value = db::Value(v.get<std::string>());
    else return field_error("cursor", "is not a cursor of this listing");
  }
  json items = json::array();
  json next = nullptr;
  TRY(store_.read([&](Tx& tx) -> Status {
    std::string tz = org_tz(tx, a.org());
    resolve_industry_alias(tx, a, cq);
    cq.limit += 1;  // one more tells whether a next page exists
    auto rows = tx.list_companies(cq);
    bool more = int(rows.size()) == cq.limit;
    if (more) rows.pop_back();
    std::vector<Id> owned;  // the caller's pipeline: how each buyer suits them
    for (auto& c : rows) {
      items.push_back(to_json(c, tz));
      if (c.owner_id == a.user.id) owned.push_back(c.id);
    }
    // Whom to call (tap-to-call on the list, issue 15): the payer's phone, else the first contact's.
    std::vector<Id> ids;
    ids.reserve(rows.size());
    for (auto& c : rows) ids.push_back(c.id);
    std::unordered_map<Id, json> call;
    for (auto& ct : tx.phone_contacts(a.org(), ids))
      call.emplace(ct.company_id, json{{"name", ct.name}, {"phone", ct.phone}, {"is_payer", ct.is_payer}});
    for (auto& it : items) {
      auto f = call.find(it["id"].get<Id>());
      it["call"] = f == call.end() ? json(nullptr) : f->second;
    }
    if (!owned.empty()) {
      auto fits = rep_fits(tx, a.org(), a.user, owned);
      for (auto& it : items)
        if (auto f = fits.find(it["id"].get<Id>()); f != fits.end()) it["fit"] = fit_json(f->second, a.zh);
    }
    if (more && !rows.empty()) {
      const Company& l = rows.back();
      json v;
      if (cq.sort == "name") v = l.name;
      else if (cq.sort == "status") v = to_string(l.status);
      else if (cq.sort == "created_at") v = l.created_at;
      else if (cq.sort == "updated_at") v = l.updated_at;
      else if (cq.sort == "industry_rank") v = l.industry_rank.value_or(1000000000);
      else if (cq.sort == "budget_capacity") v = l.budget_capacity.value_or(-1);
      else if (cq.sort == "last_visit_at") v = l.last_visit_at.value_or(0);
      else v = l.visit_count;
      next = encode_cursor({{"s", (cq.desc ? "-" : "") + cq.sort}, {"v", v}, {"id", l.id}});
    }
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", next}};
}

Result<std::string> App::get_company_text(const Actor& a, Id id) {
  std::string out;
  TRY(store_.read([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, visible_company(tx, a, id));
    std::optional<method::Fit> fit;
    if (c.owner_id == a.user.id) fit = rep_fits(tx, a.org(), a.user, {c.id})[c.id];
    out = company_text(c, org_tz(tx, a.org()), tx.list_contacts(a.org(), id), fit ? &*fit : nullptr, a.zh);
    return ok_status();
  }));
  return out;
}

Result<json> App::get_company(const Actor& a, Id id) {
  TRY_ASSIGN(std::string text, get_company_text(a, id));
  return json::parse(text);
}

Result<json> App::create_company(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"name", "industry", "industry_rank", "region", "budget_capacity", "source",
                                        "competitor", "owner_id", "competitor_contract_end", "address", "location"}));
  if (!f.has("name")) return field_error("name", "is required");
  TRY_ASSIGN(auto in, read_company_fields(f));
  TRY_ASSIGN(auto owner, f.opt_int("owner_id", 1, INT64_MAX));
  bool to_pool = f.present("owner_id") && !owner;  // explicit null: straight into the pool
  auto now = clock_.now();
  json out;
  std::optional<DuplicateHit> dup;  // 撞单: a company of the same normalised name (duplicates.cpp)
  Status st = store_.write([&](Tx& tx) -> Status {
    if ((dup = find_duplicate(tx, a, *in.name, std::nullopt))) return duplicate_error(a, *dup);
    Company c;
    c.org_id = a.org();
    CompanyInput mapped = in;  // the industry as the organisation's list names it (aliases mapped)
    if (mapped.industry) {
      TRY_ASSIGN(mapped.industry, resolve_industry(org_industries(tx, a.org()), *mapped.industry));
    }
    apply_company_fields(c, mapped);
    if (owner) {
      TRY(check_owner(tx, a, *owner));
      c.owner_id = owner;
    } else if (!to_pool) {
      c.owner_id = a.user.id;
    }
    c.created_at = c.updated_at = now;
    c.id = tx.insert_company(c);
    out = to_json(c, org_tz(tx, a.org()));
    audit(tx, a, now, "create", "company", c.id, nullptr, out);
    return ok_status();
  });
  if (!st.ok()) {
    if (dup) (void)report_duplicate_attempt(a, *dup, *in.name, "create");
    return st.take_error();
  }
  return out;
}

Result<json> App::patch_company(const Actor& a, Id id, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"version", "name", "industry", "industry_rank", "region", "budget_capacity",
                                        "source", "competitor", "owner_id", "status", "nurture_reason", "revisit_on",
                                        "drop_reason", "need", "budget", "payer_met", "effective_at", "signed_at",
                                        "competitor_contract_end", "address", "location"}));
  for (auto k : {"need", "budget", "payer_met", "effective_at", "signed_at"})
    if (f.present(k))
      return bad_request("forbidden_field", std::string(k) + ": qualification facts change only by logging a visit or a deal");
  TRY_ASSIGN(auto version, f.integer("version", 1, INT64_MAX));
  TRY_ASSIGN(auto in, read_company_fields(f));
  TRY_ASSIGN(auto owner, f.opt_int("owner_id", 1, INT64_MAX));
  TRY_ASSIGN(auto status_s, f.opt_str("status", 20));
  TRY_ASSIGN(auto nurture_reason, f.str("nurture_reason", false, 500));
  TRY_ASSIGN(auto revisit_on, f.opt_date("revisit_on"));
  TRY_ASSIGN(auto drop_reason, f.str("drop_reason", false, 500));
  std::optional<CompanyStatus> status;
  if (status_s) {
    status = parse_company_status(*status_s);
    if (!status) return field_error("status", "unknown status");
  }
  if (f.present("owner_id") && a.user.role == Role::Rep)
    return bad_request("forbidden_field", "owner_id: a rep cannot reassign companies; drop it to the pool instead");
  auto now = clock_.now();
  json out;
  std::optional<DuplicateHit> dup;
  Status st = store_.write([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, visible_company(tx, a, id));
    if (!c.owner_id && a.user.role == Role::Rep)
      return conflict("in_pool", "this company is in the public pool; claim it first");
    if (!c.owner_id) TRY(pool_write_allowed(tx, a));  // the pool is shared to claim, not to edit
    if (c.version != version) return stale("the company");
    if (in.name && *in.name != c.name && (dup = find_duplicate(tx, a, *in.name, c.id))) return duplicate_error(a, *dup);
    std::string tz = org_tz(tx, a.org());
    json old = to_json(c, tz);
    CompanyInput mapped = in;  // the industry as the organisation's list names it (aliases mapped)
    if (mapped.industry && *mapped.industry != c.industry) {
      TRY_ASSIGN(mapped.industry, resolve_industry(org_industries(tx, a.org()), *mapped.industry));
    }
    apply_company_fields(c, mapped);
    if (f.present("owner_id")) {
      if (owner) {
        TRY(check_owner(tx, a, *owner));
        c.owner_id = owner;
        if (c.status == CompanyStatus::Dropped) c.status = rules::derived_status(c);
      } else {
        c.owner_id.reset();
      }
    }
    if (status) {
      if (*status == CompanyStatus::Nurture && (nurture_reason.empty() || !revisit_on))
        return bad_request("nurture_needs_reason", "nurture needs nurture_reason and revisit_on");
      auto settings = tx.get_settings(a.org());
      int64_t nurturing = c.owner_id ? tx.count_nurture(a.org(), *c.owner_id) : 0;
      rules::StatusChange ch{*status, nurture_reason, revisit_on.value_or(""), drop_reason};
      TRY(rules::change_status(c, ch, nurturing, settings.nurture_cap));
    } else if (!nurture_reason.empty() || revisit_on || !drop_reason.empty()) {
      return field_error("status", "nurture_reason, revisit_on and drop_reason go with a status change");
    }
    c.updated_at = now;
    if (!tx.update_company(c, version)) return stale("the company");
    c.version = version + 1;
    out = to_json(c, tz);
    audit(tx, a, now, status ? "status" : "update", "company", id, old, out);
    return ok_status();
  });
  if (!st.ok()) {
    if (dup) (void)report_duplicate_attempt(a, *dup, *in.name, "rename");
    return st.take_error();
  }
  return out;
}

Status App::delete_company(const Actor& a, Id id) {
  auto now = clock_.now();
  return store_.write([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, visible_company(tx, a, id));
    if (a.user.role == Role::Rep && (!c.owner_id || *c.owner_id != a.user.id)) return not_found("company");
    if (!c.owner_id) TRY(pool_write_allowed(tx, a));  // the pool is shared to claim, not to edit
    if (c.signed_at) return conflict("has_deals", "a signed customer keeps its history; it cannot be deleted");
    tx.soft_delete_company(a.org(), id, now);
    audit(tx, a, now, "delete", "company", id, to_json(c, org_tz(tx, a.org())), nullptr);
    return ok_status();
  });
}

Result<json> App::claim_company(const Actor& a, Id id) {
  auto now = clock_.now();
  json out;
  std::optional<DuplicateHit> dup;
  std::string claimed_name;
  Status st = store_.write([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, visible_company(tx, a, id));
    std::string tz = org_tz(tx, a.org());
    json old = to_json(c, tz);
    int64_t v = c.version;
    if (!c.owner_id) {  // the pool's limits and 撞单 (pool.cpp, duplicates.cpp)
      TRY(check_claim_limits(tx, a, c, tx.get_settings(a.org()), now));
      claimed_name = c.name;
      if ((dup = find_duplicate(tx, a, c.name, c.id))) return duplicate_error(a, *dup);
    }
    TRY(rules::claim(c, a.user.id));
    c.updated_at = now;
    if (!tx.update_company(c, v)) return stale("the company");
    c.version = v + 1;
    record_claim(tx, a, id, now);
    out = to_json(c, tz);
    audit(tx, a, now, "claim", "company", id, old, out);
    return ok_status();
  });
  if (!st.ok()) {
    if (dup) (void)report_duplicate_attempt(a, *dup, claimed_name, "claim");
    return st.take_error();
  }
  return out;
}

// ---------- contacts ----------

Result<json> App::list_contacts(const Actor& a, Id company) {
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    TRY(visible_company(tx, a, company));
    for (auto& c : tx.list_contacts(a.org(), company)) items.push_back(contact_json(c));
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> App::create_contact(const Actor& a, Id company, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"name", "title", "is_payer", "style", "phone"}));
  Contact c;
  TRY_ASSIGN(c.name, f.str("name", true, 100));
  TRY_ASSIGN(c.title, f.str("title", false, 100));
  TRY_ASSIGN(auto payer, f.opt_bool("is_payer"));
  TRY_ASSIGN(c.style, f.str("style", false, 50));
  TRY_ASSIGN(c.style, resolve_style("style", c.style));
  TRY_ASSIGN(c.phone, f.str("phone", false, 50));
  c.is_payer = payer.value_or(false);
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    TRY(writable_company(tx, a, company));
    c.org_id = a.org();
    c.company_id = company;
    c.created_at = now;
    c.id = tx.insert_contact(c);
    out = contact_json(c);
    audit(tx, a, now, "create", "contact", c.id, nullptr, out);
    return ok_status();
  }));
  return out;
}

Result<json> App::patch_contact(const Actor& a, Id id, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"name", "title", "is_payer", "style", "phone", "version"}));
  TRY_ASSIGN(auto version, f.opt_int("version", 1, INT64_MAX));
  TRY_ASSIGN(auto name, f.opt_str("name", 100));
  TRY_ASSIGN(auto title, f.opt_str("title", 100));
  TRY_ASSIGN(auto payer, f.opt_bool("is_payer"));
  TRY_ASSIGN(auto style, f.opt_str("style", 50));
  if (style) {
    TRY_ASSIGN(style, resolve_style("style", *style));
  }
  TRY_ASSIGN(auto phone, f.opt_str("phone", 50));
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    auto c = tx.get_contact(a.org(), id);
    if (!c) return not_found("contact");
    TRY(writable_company(tx, a, c->company_id));
    if (version && *version != c->version) return stale("the contact");
    json old = contact_json(*c);
    if (name) {
      if (name->empty()) return field_error("name", "must not be empty");
      c->name = *name;
    }
    if (title) c->title = *title;
    if (payer) c->is_payer = *payer;
    if (style) c->style = *style;
    if (phone) c->phone = *phone;
    if (!tx.update_contact(*c, c->version)) return stale("the contact");
    c->version++;
    out = contact_json(*c);
    audit(tx, a, now, "update", "contact", id, old, out);
    return ok_status();
  }));
  return out;
}

// ---------- visits ----------

Result<json> App::list_company_visits(const Actor& a, Id company, const Query& q) {
  TRY(q_only(q, {"limit", "cursor"}));
  TRY_ASSIGN(auto limit, q_int(q, "limit", 1, 500));
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, visible_company(tx, a, company));
    std::string tz = org_tz(tx, a.org());
    for (auto& v : tx.list_visits(a.org(), company, int(limit.value_or(100)))) items.push_back(visit_json(v, tz, &c));
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

// A customer's page in one answer (issue 15): GET /api/v1/views/company/{id}.
Result<json> App::company_view(const Actor& a, Id id, const Query& q) {
  TRY(q_only(q, {"visits_limit"}));
  TRY_ASSIGN(auto limit, q_int(q, "visits_limit", 1, 500));
  json out;
  TRY(store_.read([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, visible_company(tx, a, id));
    std::string tz = org_tz(tx, a.org());
    out = to_json(c, tz);
    json contacts = json::array(), visits = json::array(), deals = json::array();
    for (auto& ct : tx.list_contacts(a.org(), id)) contacts.push_back(contact_json(ct));
    out["contacts"] = contacts;
    if (c.owner_id == a.user.id) out["fit"] = fit_json(rep_fits(tx, a.org(), a.user, {c.id})[c.id], a.zh);
    for (auto& v : tx.list_visits(a.org(), id, int(limit.value_or(100)))) visits.push_back(visit_json(v, tz, &c));
    for (auto& d : tx.list_deals(a.org(), id)) deals.push_back(deal_json(d));
    out = json{{"company", out}, {"visits", visits}, {"deals", deals}};
    return ok_status();
  }));
  return out;
}

Result<json> App::create_visit(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"company_id", "at", "kind", "duration_min", "met_payer", "need", "budget",
                                        "companion_id", "coaching_stage", "interest_reason", "attraction", "concerns",
                                        "notes", "location"}));
  Visit v;
  TRY_ASSIGN(v.company_id, f.integer("company_id", 1, INT64_MAX));
  TRY_ASSIGN(auto at_s, f.opt_str("at", 40));
  TRY_ASSIGN(auto kind_s, f.opt_str("kind", 20));
  TRY_ASSIGN(v.duration_min, f.opt_int("duration_min", 1, 24 * 60));
  TRY_ASSIGN(v.met_payer, f.opt_bool("met_payer"));
  TRY_ASSIGN(v.need, f.opt_bool("need"));
  TRY_ASSIGN(v.budget, f.opt_bool("budget"));
  TRY_ASSIGN(v.companion_id, f.opt_int("companion_id", 1, INT64_MAX));
  TRY_ASSIGN(v.coaching_stage, f.opt_int("coaching_stage", 1, 4));
  TRY_ASSIGN(v.interest_reason, f.str("interest_reason", false, 500));
  TRY_ASSIGN(v.attraction, f.str("attraction", false, 500));
  TRY_ASSIGN(v.concerns, f.str("concerns", false, 500));
  TRY_ASSIGN(v.notes, f.str("notes", false, 5000));
  if (f.has("location")) {
    const auto& loc = body.at("location");
    if (!loc.is_object() || !loc.contains("lat") || !loc.contains("lng") || !loc["lat"].is_number() ||
        !loc["lng"].is_number() || std::abs(loc["lat"].get<double>()) > 90 || std::abs(loc["lng"].get<double>()) > 180)
      return field_error("location", "must be {\"lat\": number, \"lng\": number}");
    v.lat = loc["lat"].get<double>();
    v.lng = loc["lng"].get<double>();
  }
  auto now = clock_.now();
  if (at_s) {
    auto t = parse_iso8601(*at_s);
    if (!t) return field_error("at", "must be an ISO 8601 time with an offset, e.g. 2026-11-27T10:30:00+08:00");
    if (*t > now + 300) return field_error("at", "must not be in the future");
    if (*t < now - 366LL * 86400) return field_error("at", "must be within the last year");
    v.at = *t;
  } else {
    v.at = now;
  }
  auto kind = parse_visit_kind(kind_s.value_or("visit"));
  if (!kind) return field_error("kind", "must be visit, call or accompanied");
  v.kind = *kind;
  if (v.kind == VisitKind::Accompanied) {
    if (!v.companion_id) return field_error("companion_id", "an accompanied visit names the companion manager");
    if (!v.coaching_stage) return field_error("coaching_stage", "an accompanied visit records its coaching stage 1-4");
  } else if (v.companion_id || v.coaching_stage) {
    return field_error("kind", "companion_id and coaching_stage belong to an accompanied visit");
  }
  json out;
  // Every invariant of this write is guarded by the company row it updates (store/isolation.h).
  RowGuardedWrite guarded;
  TRY(store_.write([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, writable_company(tx, a, v.company_id));
    if (a.user.role == Role::Rep && *c.owner_id != a.user.id) return not_found("company");
    if (v.companion_id) {
      // The companion is a manager of the rep's own line (issue 17, point 12): the rep's team's
      // manager, a manager or director above it, or an admin — one whose scope holds the rep.
      // Any other id, existing or not, gets the same answer.
      auto m = tx.get_user(a.org(), *v.companion_id);
      bool line = false;
      if (m && m->active && m->role != Role::Rep && m->id != a.user.id) {
        Actor ma;
        ma.user = *m;
        ma.scope = scope_for(tx, *m);
        line = user_in_scope(tx, ma, a.user);
      }
      if (!line)
        return field_error("companion_id", "must be an active manager of your line (your team's manager, one above it, "
                                           "or an admin), other than you");
    }
    auto settings = tx.get_settings(a.org());
    auto tz = TimeZone::get(settings.timezone);
    v.org_id = a.org();
    v.rep_id = a.user.id;
    v.day = tz ? tz->local_date(v.at) : format_date(civil_from_days(v.at / 86400));
    v.created_at = now;
    json old = to_json(c, settings.timezone);
    int64_t ver = c.version;
    rules::apply_visit(c, v);
    c.updated_at = now;
    v.id = tx.insert_visit(v);
    complete_booking_for_visit(tx, a, v, now);  // a booked 陪访 is done (bookings.cpp)
    if (!tx.update_company(c, ver)) return stale("the company");
    c.version = ver + 1;
    out = visit_json(v, settings.timezone, &c);
    out["status"] = to_string(c.status);
    out["effective"] = c.effective_at.has_value() && c.is_new();
    out["company"] = to_json(c, settings.timezone);
    audit(tx, a, now, "create", "visit", v.id, nullptr, visit_json(v, settings.timezone));
    audit(tx, a, now, "visit", "company", c.id, old, out["company"]);
    return ok_status();
  }));
  return out;
}

Status App::delete_visit(const Actor& a, Id id) {
  auto now = clock_.now();
  return store_.write([&](Tx& tx) -> Status {
    auto v = tx.get_visit(a.org(), id);
    if (!v) return not_found("visit");
    auto rep = tx.get_user(a.org(), v->rep_id);
    if (!rep || !user_in_scope(tx, a, *rep)) return not_found("visit");
    // Deleting replays the company's visits: the company must be the caller's to change now
    // (not merely the visit's rep in scope: the company may since be another team's, issue 17).
    auto cw = writable_company(tx, a, v->company_id);
    if (!cw.ok()) return cw.error().kind == Err::NotFound ? Status(not_found("visit")) : Status(cw.error());
    if (a.user.role == Role::Rep && *cw.value().owner_id != a.user.id) return not_found("visit");
    std::optional<Company> c = std::move(cw.value());
    std::string tz = org_tz(tx, a.org());
    json old_company = to_json(*c, tz);
    reopen_bookings_of_visit(tx, a, id, now);  // bookings.cpp
    tx.delete_visit(a.org(), id);
    auto rest = tx.company_visits_in_order(a.org(), c->id);
    int64_t ver = c->version;
    rules::replay_visits(*c, rest);
    for (auto& r : rest) tx.set_visit_flags(a.org(), r.id, r.was_new, r.made_effective);
    c->updated_at = now;
    if (!tx.update_company(*c, ver)) return stale("the company");
    audit(tx, a, now, "delete", "visit", id, visit_json(*v, tz), nullptr);
    audit(tx, a, now, "replay", "company", c->id, old_company, to_json(*c, tz));
    return ok_status();
  });
}

// ---------- deals ----------

Result<json> App::list_company_deals(const Actor& a, Id company) {
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    TRY(visible_company(tx, a, company));
    for (auto& d : tx.list_deals(a.org(), company)) items.push_back(deal_json(d));
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> App::create_deal(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"company_id", "amount", "signed_on", "notes"}));
  Deal d;
  TRY_ASSIGN(d.company_id, f.integer("company_id", 1, INT64_MAX));
  TRY_ASSIGN(d.amount, f.integer("amount", 1, int64_t(1e15)));
  TRY_ASSIGN(auto signed_on, f.opt_date("signed_on"));
  TRY_ASSIGN(d.notes, f.str("notes", false, 2000));
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    TRY_ASSIGN(Company c, writable_company(tx, a, d.company_id));
    if (a.user.role == Role::Rep && *c.owner_id != a.user.id) return not_found("company");
    auto settings = tx.get_settings(a.org());
    auto tz = TimeZone::get(settings.timezone);
    std::string today = tz ? tz->local_date(now) : format_date(civil_from_days(now / 86400));
    d.signed_on = signed_on.value_or(today);
    if (d.signed_on > today) return field_error("signed_on", "must not be in the future");
    if (c.status == CompanyStatus::Dropped) return conflict("illegal_transition", "claim the company before signing");
    json old = to_json(c, settings.timezone);
    int64_t ver = c.version;
    d.org_id = a.org();
    d.rep_id = *c.owner_id;  // the owner is credited
    d.created_at = now;
    rules::apply_deal(c, d, now);
    c.updated_at = now;
    d.id = tx.insert_deal(d);
    if (!tx.update_company(c, ver)) return stale("the company");
    c.version = ver + 1;
    out = deal_json(d);
    out["company"] = to_json(c, settings.timezone);
    audit(tx, a, now, "create", "deal", d.id, nullptr, deal_json(d));
    audit(tx, a, now, "sign", "company", c.id, old, out["company"]);
    return ok_status();
  }));
  return out;
}

}  // namespace tj
