#include "domain/rules.h"

#include <cstring>

namespace tj {

const char* to_string(Role r) {
  switch (r) {
    case Role::Rep: return "rep";
    case Role::Manager: return "manager";
    case Role::Director: return "director";
    case Role::Admin: return "admin";
  }
  return "rep";
}
std::optional<Role> parse_role(std::string_view s) {
  if (s == "rep") return Role::Rep;
  if (s == "manager") return Role::Manager;
  if (s == "director") return Role::Director;
  if (s == "admin") return Role::Admin;
  return std::nullopt;
}
const char* to_string(CompanyStatus s) {
  switch (s) {
    case CompanyStatus::Prospect: return "prospect";
    case CompanyStatus::Contacted: return "contacted";
    case CompanyStatus::Effective: return "effective";
    case CompanyStatus::Signed: return "signed";
    case CompanyStatus::Nurture: return "nurture";
    case CompanyStatus::Dropped: return "dropped";
  }
  return "prospect";
}
std::optional<CompanyStatus> parse_company_status(std::string_view s) {
  for (auto st : {CompanyStatus::Prospect, CompanyStatus::Contacted, CompanyStatus::Effective,
                  CompanyStatus::Signed, CompanyStatus::Nurture, CompanyStatus::Dropped})
    if (s == to_string(st)) return st;
  return std::nullopt;
}
const char* to_string(VisitKind k) {
  switch (k) {
    case VisitKind::Visit: return "visit";
    case VisitKind::Call: return "call";
    case VisitKind::Accompanied: return "accompanied";
  }
  return "visit";
}
std::optional<VisitKind> parse_visit_kind(std::string_view s) {
  if (s == "visit") return VisitKind::Visit;
  if (s == "call") return VisitKind::Call;
  if (s == "accompanied") return VisitKind::Accompanied;
  return std::nullopt;
}

namespace rules {

CompanyStatus derived_status(const Company& c) {
  if (c.signed_at) return CompanyStatus::Signed;
  if (c.effective_at) return CompanyStatus::Effective;
  if (c.visit_count > 0) return CompanyStatus::Contacted;
  return CompanyStatus::Prospect;
}

void apply_visit(Company& c, Visit& v) {
  v.was_new = c.is_new();
  c.visit_count += 1;
  if (!c.first_visit_at || v.at < *c.first_visit_at) c.first_visit_at = v.at;
  if (!c.last_visit_at || v.at > *c.last_visit_at) c.last_visit_at = v.at;
  if (v.need) c.need = *v.need;
  if (v.budget) c.budget = *v.budget;
  if (v.met_payer && *v.met_payer) c.payer_met = true;  // once met, the payer stays known
  if (!v.interest_reason.empty()) c.interest_reason = v.interest_reason;
  if (!v.attraction.empty()) c.attraction = v.attraction;
  if (!v.concerns.empty()) c.concerns = v.concerns;
  v.made_effective = false;
  if (c.is_new() && !c.effective_at && c.need && c.budget && c.payer_met) {
    c.effective_at = v.at;
    c.effective_day = v.day;
    c.effective_by = v.rep_id;
    v.made_effective = true;
  }
  // A nurtured company stays parked until it qualifies; others follow their facts.
  if (c.status == CompanyStatus::Nurture) {
    if (v.made_effective) {
      c.status = CompanyStatus::Effective;
      c.nurture_reason.clear();
      c.revisit_on.clear();
    }
  } else if (c.status != CompanyStatus::Dropped) {
    c.status = derived_status(c);
  }
}

void apply_deal(Company& c, const Deal& d, Instant now) {
  if (!c.signed_at) c.signed_at = now;
  c.status = CompanyStatus::Signed;
  c.nurture_reason.clear();
  c.revisit_on.clear();
}

Status change_status(Company& c, const StatusChange& ch, int64_t nurture_count, int cap) {
  if (c.status == ch.to) {
    if (ch.to == CompanyStatus::Nurture) {  // updating reason / date of a parked company
      if (ch.nurture_reason.empty() || ch.revisit_on.empty())
        return bad_request("nurture_needs_reason", "nurture needs nurture_reason and revisit_on");
      c.nurture_reason = ch.nurture_reason;
      c.revisit_on = ch.revisit_on;
    }
    return ok_status();
  }
  if (c.status == CompanyStatus::Signed)
    return conflict("illegal_transition", "a signed company is an existing customer; its status cannot change to " +
                                              std::string(to_string(ch.to)));
  if (c.status == CompanyStatus::Dropped)
    return conflict("illegal_transition", "a dropped company is in the public pool; claim it first");
  switch (ch.to) {
    case CompanyStatus::Signed:
      return conflict("illegal_transition", "a company becomes signed only by recording a deal");
    case CompanyStatus::Effective:
      if (!(c.need && c.budget && c.payer_met) || c.status != CompanyStatus::Nurture)
        return conflict("illegal_transition",
                        "a company becomes effective only when need, budget and payer are all confirmed by a visit");
      c.status = CompanyStatus::Effective;
      c.nurture_reason.clear();
      c.revisit_on.clear();
      return ok_status();
    case CompanyStatus::Prospect:
    case CompanyStatus::Contacted: {
      auto d = derived_status(c);
      if (c.status != CompanyStatus::Nurture || d != ch.to)
        return conflict("illegal_transition", std::string("cannot move a company from ") + to_string(c.status) +
                                                  " to " + to_string(ch.to));
      c.status = d;
      c.nurture_reason.clear();
      c.revisit_on.clear();
      return ok_status();
    }
    case CompanyStatus::Nurture:
      if (ch.nurture_reason.empty() || ch.revisit_on.empty())
        return bad_request("nurture_needs_reason", "nurture needs nurture_reason and revisit_on");
      if (!c.owner_id) return conflict("illegal_transition", "a pool company must be claimed before nurturing");
      if (nurture_count >= cap)
        return conflict("nurture_cap_reached", "the nurture pool holds at most " + std::to_string(cap) +
                                                   " companies per rep; sign or drop one first");
      c.status = CompanyStatus::Nurture;
      c.nurture_reason = ch.nurture_reason;
      c.revisit_on = ch.revisit_on;
      return ok_status();
    case CompanyStatus::Dropped:
      if (ch.drop_reason.empty()) return bad_request("drop_needs_reason", "dropping needs drop_reason");
      c.status = CompanyStatus::Dropped;
      c.drop_reason = ch.drop_reason;
      c.owner_id.reset();  // to the public pool, history kept
      c.nurture_reason.clear();
      c.revisit_on.clear();
      return ok_status();
  }
  return conflict("illegal_transition", "unknown transition");
}

void replay_visits(Company& c, std::vector<Visit>& visits) {
  CompanyStatus kept = c.status;
  std::optional<Instant> signed_at = c.signed_at;
  c.need = c.budget = c.payer_met = false;
  c.effective_at.reset();
  c.effective_by.reset();
  c.effective_day.clear();
  c.first_visit_at.reset();
  c.last_visit_at.reset();
  c.visit_count = 0;
  c.status = CompanyStatus::Prospect;
  for (auto& v : visits) {
    // A visit after the first deal was to an existing customer.
    c.signed_at = (signed_at && v.at >= *signed_at) ? signed_at : std::nullopt;
    apply_visit(c, v);
  }
  c.signed_at = signed_at;
  if (kept == CompanyStatus::Nurture || kept == CompanyStatus::Dropped) c.status = kept;
  else c.status = derived_status(c);
}

Status claim(Company& c, Id rep_id) {
  if (c.owner_id) return conflict("not_in_pool", "this company is owned; only pool companies can be claimed");
  c.owner_id = rep_id;
  if (c.status == CompanyStatus::Dropped || c.status == CompanyStatus::Nurture) c.status = derived_status(c);
  c.drop_reason.clear();
  return ok_status();
}

}  // namespace rules
}  // namespace tj
