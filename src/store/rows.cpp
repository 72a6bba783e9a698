// The store's row mappers and column lists (rows.h).
#include "store/rows.h"

#include <initializer_list>

namespace tj {

namespace {
#define TJ_COLUMN_NAME(n) #n,
std::string join(std::initializer_list<const char*> names, const char* prefix = "") {
  std::string s;
  for (const char* n : names) {
    if (!s.empty()) s += ", ";
    s += prefix;
    s += n;
  }
  return s;
}
}  // namespace

const std::string kCompanyCols = join({TJ_COMPANY_COLUMNS(TJ_COLUMN_NAME)});
const std::string kCompanyColsC = join({TJ_COMPANY_COLUMNS(TJ_COLUMN_NAME)}, "c.");
const std::string kContactCols = join({TJ_CONTACT_COLUMNS(TJ_COLUMN_NAME)});
const std::string kVisitCols = join({TJ_VISIT_COLUMNS(TJ_COLUMN_NAME)});
const std::string kUserCols = join({TJ_USER_COLUMNS(TJ_COLUMN_NAME)});
const std::string kTeamCols = join({TJ_TEAM_COLUMNS(TJ_COLUMN_NAME)});
const std::string kTargetCols = join({TJ_TARGET_COLUMNS(TJ_COLUMN_NAME)});
const std::string kDealCols = join({TJ_DEAL_COLUMNS(TJ_COLUMN_NAME)});
const std::string kBookingColsB = join({TJ_BOOKING_COLUMNS(TJ_COLUMN_NAME)}, "b.");
const std::string kNotificationCols = join({TJ_NOTIFICATION_COLUMNS(TJ_COLUMN_NAME)});
const std::string kChannelCols = join({TJ_CHANNEL_COLUMNS(TJ_COLUMN_NAME)});
const std::string kDeliveryCols = join({TJ_DELIVERY_COLUMNS(TJ_COLUMN_NAME)});
#undef TJ_COLUMN_NAME

Company company_from(const db::Row& r) {
  namespace k = company_col;
  Company c;
  c.id = r.i64(k::id);
  c.org_id = r.i64(k::org_id);
  c.name = r.str(k::name);
  c.industry = r.str(k::industry);
  c.industry_rank = r.opt_i64(k::industry_rank);
  c.region = r.str(k::region);
  c.budget_capacity = r.opt_i64(k::budget_capacity);
  c.source = r.str(k::source);
  c.competitor = r.str(k::competitor);
  c.owner_id = r.opt_i64(k::owner_id);
  c.status = parse_company_status(r.str(k::status)).value_or(CompanyStatus::Prospect);
  c.need = r.b(k::need);
  c.budget = r.b(k::budget);
  c.payer_met = r.b(k::payer_met);
  c.effective_at = r.opt_i64(k::effective_at);
  c.effective_day = r.str(k::effective_day);
  c.effective_by = r.opt_i64(k::effective_by);
  c.signed_at = r.opt_i64(k::signed_at);
  c.first_visit_at = r.opt_i64(k::first_visit_at);
  c.last_visit_at = r.opt_i64(k::last_visit_at);
  c.visit_count = r.i64(k::visit_count);
  c.interest_reason = r.str(k::interest_reason);
  c.attraction = r.str(k::attraction);
  c.concerns = r.str(k::concerns);
  c.nurture_reason = r.str(k::nurture_reason);
  c.revisit_on = r.str(k::revisit_on);
  c.drop_reason = r.str(k::drop_reason);
  c.version = r.i64(k::version);
  c.created_at = r.i64(k::created_at);
  c.updated_at = r.i64(k::updated_at);
  c.competitor_contract_end = r.str(k::competitor_contract_end);
  c.address = r.str(k::address);
  if (!r.is_null(k::lat) && !r.is_null(k::lng)) {
    c.lat = r.f64(k::lat);
    c.lng = r.f64(k::lng);
  }
  return c;
}

Contact contact_from(const db::Row& r) {
  namespace k = contact_col;
  Contact c;
  c.id = r.i64(k::id);
  c.org_id = r.i64(k::org_id);
  c.company_id = r.i64(k::company_id);
  c.name = r.str(k::name);
  c.title = r.str(k::title);
  c.is_payer = r.b(k::is_payer);
  c.style = r.str(k::style);
  c.phone = r.str(k::phone);
  c.version = r.i64(k::version);
  c.created_at = r.i64(k::created_at);
  return c;
}

Visit visit_from(const db::Row& r) {
  namespace k = visit_col;
  Visit v;
  v.id = r.i64(k::id);
  v.org_id = r.i64(k::org_id);
  v.company_id = r.i64(k::company_id);
  v.rep_id = r.i64(k::rep_id);
  v.at = r.i64(k::at);
  v.day = r.str(k::day);
  v.kind = parse_visit_kind(r.str(k::kind)).value_or(VisitKind::Visit);
  v.duration_min = r.opt_i64(k::duration_min);
  v.was_new = r.b(k::was_new);
  v.met_payer = r.opt_b(k::met_payer);
  v.need = r.opt_b(k::need);
  v.budget = r.opt_b(k::budget);
  v.made_effective = r.b(k::made_effective);
  v.companion_id = r.opt_i64(k::companion_id);
  v.coaching_stage = r.opt_i64(k::coaching_stage);
  v.interest_reason = r.str(k::interest_reason);
  v.attraction = r.str(k::attraction);
  v.concerns = r.str(k::concerns);
  v.notes = r.str(k::notes);
  v.created_at = r.i64(k::created_at);
  if (!r.is_null(k::lat)) v.lat = r.f64(k::lat);
  if (!r.is_null(k::lng)) v.lng = r.f64(k::lng);
  return v;
}

User user_from(const db::Row& r) {
  namespace k = user_col;
  User u;
  u.id = r.i64(k::id);
  u.org_id = r.i64(k::org_id);
  u.username = r.str(k::username);
  u.display_name = r.str(k::display_name);
  u.password_hash = r.str(k::password_hash);
  u.role = parse_role(r.str(k::role)).value_or(Role::Rep);
  u.team_id = r.opt_i64(k::team_id);
  u.hire_date = r.str(k::hire_date);
  u.selling_style = r.str(k::selling_style);
  u.active = r.b(k::active);
  u.version = r.i64(k::version);
  u.created_at = r.i64(k::created_at);
  u.must_change_password = r.b(k::must_change_password);
  return u;
}

Team team_from(const db::Row& r) {
  namespace k = team_col;
  Team t;
  t.id = r.i64(k::id);
  t.org_id = r.i64(k::org_id);
  t.name = r.str(k::name);
  t.parent_id = r.opt_i64(k::parent_id);
  t.manager_id = r.opt_i64(k::manager_id);
  t.version = r.i64(k::version);
  t.created_at = r.i64(k::created_at);
  return t;
}

Target target_from(const db::Row& r) {
  namespace k = target_col;
  Target t;
  t.id = r.i64(k::id);
  t.org_id = r.i64(k::org_id);
  t.scope = r.str(k::scope);
  t.scope_id = r.i64(k::scope_id);
  t.metric = r.str(k::metric);
  t.period = r.str(k::period);
  t.value = r.i64(k::value);
  t.reason = r.str(k::reason);
  t.set_by = r.opt_i64(k::set_by);
  t.updated_at = r.i64(k::updated_at);
  t.version = r.i64(k::version);
  return t;
}

Deal deal_from(const db::Row& r) {
  namespace k = deal_col;
  return Deal{r.i64(k::id),     r.i64(k::org_id),    r.i64(k::company_id), r.i64(k::rep_id),
              r.i64(k::amount), r.str(k::signed_on), r.i64(k::created_at), r.str(k::notes)};
}

std::string placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; i++) s += i ? ",?" : "?";
  return s;
}

}  // namespace tj
