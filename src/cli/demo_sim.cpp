// `tiejun demo`, the simulation (demo_sim.h): the organisation's plan, the companies,
// and six months of visits and deals simulated day by day through tj::rules.
#include "cli/demo_sim.h"

namespace tj::cli::demo_impl {

// ---------- the organisation ----------

void Demo::plan_org() {
  int S = a_.scale;
  auto add_user = [&](const std::string& username, Role role, const std::string& hire, Arch arch) {
    UserPlan p;
    p.u.username = username;
    p.u.display_name = person_name(rng_);
    p.u.role = role;
    p.u.hire_date = hire;
    p.u.selling_style = role == Role::Rep ? dd::kStyles[rng_.below(4)] : "";
    p.arch = arch;
    users_.push_back(p);
    return users_.size() - 1;
  };
  size_t admin = add_user("admin", Role::Admin, date(org_day_ - 200), Solid);
  users_[admin].u.display_name = "系统管理员";
  size_t director = add_user("director", Role::Director, date(org_day_ - rng_.range(300, 900)), Solid);
  TeamPlan root;
  root.t.name = "销售中心";
  root.manager = director;
  teams_.push_back(root);
  users_[director].team = 0;
  int nteams = kTeamsPerScale * S;
  std::vector<int> per_area(dd::kTeamAreas, 0);
  int rep_no = 0;
  for (int i = 0; i < nteams; i++) {
    TeamPlan tp;
    tp.area = size_t(i) % dd::kTeamAreas;
    tp.tmpl = i % 4;
    tp.t.name = std::string(dd::kAreas[tp.area]) + chinese_number(++per_area[tp.area]) + "组";
    tp.manager = add_user("manager" + std::to_string(i + 1), Role::Manager, date(org_day_ - rng_.range(100, 1200)), Solid);
    users_[tp.manager].team = teams_.size();
    Arch archs[kRepsPerTeam];
    std::copy(std::begin(kTeamTemplates[tp.tmpl]), std::end(kTeamTemplates[tp.tmpl]), archs);
    for (int k = kRepsPerTeam - 1; k > 0; k--) std::swap(archs[k], archs[rng_.below(uint64_t(k) + 1)]);
    for (int k = 0; k < kRepsPerTeam; k++) {
      int64_t hire = archs[k] == NewHire ? as_of_ - rng_.range(35, 85) : as_of_ - rng_.range(200, 1500);
      size_t u = add_user("rep" + std::to_string(++rep_no), Role::Rep, date(hire), archs[k]);
      users_[u].team = teams_.size();
      tp.reps.push_back(u);
    }
    teams_.push_back(tp);
  }
  for (auto& up : users_) {
    auto hd = parse_date(up.u.hire_date);
    int64_t hday = hd ? days_from_civil(*hd) : org_day_;
    up.u.created_at = at_local(std::max(hday, org_day_), 10 * 3600 + rng_.range(0, 7200));
  }
  // Reps' simulation parameters: archetype with a little personal variation.
  for (size_t t = 1; t < teams_.size(); t++) {
    for (size_t u : teams_[t].reps) {
      RepSim r;
      r.user = u;
      r.team = t;
      r.arch = users_[u].arch;
      r.p = kArch[r.arch];
      double j = rng_.uniform(0.9, 1.1);
      r.p.visits *= j;
      r.p.payer *= rng_.uniform(0.9, 1.1);
      r.p.close *= rng_.uniform(0.9, 1.1);
      r.p.existing *= rng_.uniform(0.85, 1.15);
      for (int s = 0; s < 4; s++)
        if (users_[u].u.selling_style == dd::kStyles[s]) r.style = s;
      int64_t hire = days_from_civil(*parse_date(users_[u].u.hire_date));
      r.start_day = std::max(start_, hire);
      if (r.arch == NewHire) {
        r.eff_quota_override = 1;
        r.visits_quota_override = 4;
      }
      reps_.push_back(std::move(r));
    }
  }
  // The benchmark rep of the first team gets a stretch target.
  for (auto& r : reps_)
    if (r.arch == Star) {
      r.eff_quota_override = 3;
      r.visits_quota_override = 6;
      break;
    }
}

// ---------- companies ----------

void Demo::make_companies() {
  size_t n = a_.companies > 0 ? size_t(a_.companies) : size_t(kCompaniesPerScale) * size_t(a_.scale);
  cos_.resize(n);
  sims_.resize(n);
  // Areas: where the teams are, plus a share nobody works (pool prospects).
  std::vector<double> area_w(dd::count(dd::kAreas), 0.0);
  for (size_t t = 1; t < teams_.size(); t++) area_w[teams_[t].area] += 10.0;
  double extra = double(teams_.size() - 1) * 0.35;
  for (auto& w : area_w) w += extra;
  double ind_w[dd::count(dd::kIndustries)];
  for (size_t i = 0; i < dd::count(dd::kIndustries); i++) ind_w[i] = dd::kIndustries[i].weight;
  std::vector<std::vector<uint32_t>> by_ind(dd::count(dd::kIndustries));
  std::vector<uint8_t> ind_of(n);
  for (size_t i = 0; i < n; i++) {
    ind_of[i] = uint8_t(rng_.weighted(ind_w, dd::count(dd::kIndustries)));
    by_ind[ind_of[i]].push_back(uint32_t(i));
    sims_[i].area = uint8_t(rng_.weighted(area_w.data(), area_w.size()));
    sims_[i].city = uint8_t(rng_.below(12));
  }
  industry_size_.resize(by_ind.size());
  for (size_t k = 0; k < by_ind.size(); k++) {
    rng_.shuffle(by_ind[k]);
    industry_size_[k] = by_ind[k].size();
    for (size_t r = 0; r < by_ind[k].size(); r++) cos_[by_ind[k][r]].industry_rank = int64_t(r + 1);
  }
  std::unordered_set<uint64_t> names;
  names.reserve(n * 2);
  for (size_t i = 0; i < n; i++) {
    Company& c = cos_[i];
    CoSim& s = sims_[i];
    const auto& ind = dd::kIndustries[ind_of[i]];
    double q = double(*c.industry_rank) / double(industry_size_[ind_of[i]]);  // 0 = the top of the industry
    c.industry = ind.name;
    c.region = dd::kAreas[s.area];
    if (rng_.chance(0.9)) {
      double yuan = std::pow(10.0, 6.8 - 2.6 * std::sqrt(q) + 0.2 * rng_.normal());
      int64_t k = std::max<int64_t>(1, std::llround(yuan / 1000.0));  // whole thousands of yuan
      c.budget_capacity = k * 1000 * 100;
    }
    std::string city = dd::kAreaCities[s.area][s.city];
    for (int attempt = 0;; attempt++) {
      std::string root;
      do root = std::string(rng_.pick(dd::kRoot1)) + rng_.pick(dd::kRoot2);
      while (root.substr(0, 3) == root.substr(3));
      std::string word = ind.words[rng_.below(6)];
      std::string suffix = q < 0.02 ? (rng_.chance(0.5) ? "集团股份有限公司" : "集团有限公司") : ind.suffixes[rng_.below(3)];
      std::string name = rng_.chance(0.12) ? root + word + "（" + city + "）" + suffix : city + root + word + suffix;
      if (attempt >= 30) name += "（" + std::to_string(i) + "）";
      if (names.insert(fnv1a(tj::names::company_key(name))).second) {  // unique after normalisation (撞单)
        c.name = std::move(name);
        break;
      }
    }
    // Hidden truth is drawn when a rep first touches the company (the lead mix changes over time).
    s.payer_access = float(std::clamp(0.4 + 0.26 * q + rng_.uniform(-0.1, 0.1), 0.15, 0.8));
    s.close_prop = float(rng_.uniform(0.4, 0.85));
    s.payer_style = uint8_t(rng_.below(4));
  }
  queues_.assign(dd::count(dd::kAreas), {});
  for (size_t i = 0; i < n; i++) queues_[sims_[i].area].push_back(uint32_t(i));
  for (auto& q : queues_) rng_.shuffle(q);
}

// The source and the facts of a lead, decided when it is first worked.
void Demo::touch(uint32_t co, int64_t d) {
  CoSim& s = sims_[co];
  Company& c = cos_[co];
  if (s.touched) return;
  s.touched = true;
  s.source = uint8_t(rng_.weighted(d >= recent_from_ ? dd::kSourceWeightsRecent : dd::kSourceWeights, 5));
  c.source = dd::kSources[s.source];
  if (s.source == 2 || rng_.chance(0.15)) c.competitor = rng_.pick(dd::kCompetitors);
  s.need_true = rng_.chance(dd::kSourceNeed[s.source]);
  s.budget_true = c.budget_capacity ? (*c.budget_capacity >= kMinOrder && rng_.chance(0.85)) : rng_.chance(0.6);
}

uint32_t Demo::pop_lead(size_t area, int64_t d) {
  auto* q = &queues_[area];
  if (q->empty()) {  // this area is worked out: take a lead from the fullest other queue
    size_t best = 0;
    for (size_t k = 0; k < queues_.size(); k++)
      if (queues_[k].size() > queues_[best].size()) best = k;
    q = &queues_[best];
    if (q->size() < 50) return UINT32_MAX;  // keep a few pool prospects untouched
  }
  uint32_t co = q->back();
  q->pop_back();
  touch(co, d);
  return co;
}

void Demo::own(RepSim& r, uint32_t co) {
  cos_[co].owner_id = uid(r.user);
  sims_[co].pos = int32_t(r.pipeline.size());
  sims_[co].next = kNone;
  r.pipeline.push_back(co);
}

void Demo::leave_pipeline(RepSim& r, uint32_t co) {
  int32_t p = sims_[co].pos;
  if (p < 0) return;
  uint32_t last = r.pipeline.back();
  r.pipeline[size_t(p)] = last;
  sims_[last].pos = p;
  r.pipeline.pop_back();
  sims_[co].pos = -1;
  sims_[co].next = kNone;
}

Fen Demo::deal_amount(const Company& c, double share) {
  double cap = c.budget_capacity ? double(*c.budget_capacity) / 100.0 : 200000.0;  // yuan
  double yuan = cap * share;
  if (cap >= 50000) yuan = std::clamp(yuan, 50000.0, 2000000.0);
  else yuan = std::clamp(yuan, 10000.0, cap);
  return std::llround(yuan / 1000.0) * 1000 * 100;
}

void Demo::record(const RepSim& r, const Visit& v, uint32_t co, size_t companion, uint8_t ir, uint8_t at, uint8_t cn,
                  uint8_t nt) {
  VRec x{};
  x.at = v.at;
  x.co = co;
  x.rep = uint32_t(r.user);
  x.companion = companion == SIZE_MAX ? 0 : uint32_t(companion + 1);
  x.dur = v.duration_min ? uint16_t(*v.duration_min) : 0;
  x.kind = uint8_t(v.kind);
  x.stage = v.coaching_stage ? uint8_t(*v.coaching_stage) : 0;
  x.met = untri(v.met_payer);
  x.need = untri(v.need);
  x.budget = untri(v.budget);
  x.flags = uint8_t((v.was_new ? 1 : 0) | (v.made_effective ? 2 : 0));
  x.interest = ir;
  x.attraction = at;
  x.concerns = cn;
  x.notes = nt;
  visits_.push_back(x);
}

void Demo::sign(RepSim& r, uint32_t co, Instant at) {
  Company& c = cos_[co];
  bool was_nurture = c.status == CompanyStatus::Nurture;
  Deal d;
  d.company_id = co;
  d.rep_id = *c.owner_id;
  d.amount = deal_amount(c, rng_.uniform(0.25, 0.8));
  d.signed_on = tz_->local_date(at);
  rules::apply_deal(c, d, at);
  c.version++;
  c.updated_at = at;
  deals_.push_back({at, co, uint32_t(r.user), d.amount});
  if (was_nurture) r.nurture--;
  leave_pipeline(r, co);
  r.customers.push_back(co);
}

void Demo::drop(RepSim& r, uint32_t co, int64_t d, Instant at, const std::string& reason) {
  Company& c = cos_[co];
  bool was_nurture = c.status == CompanyStatus::Nurture;
  if (!rules::change_status(c, {CompanyStatus::Dropped, "", "", reason}, r.nurture, 5).ok()) return;
  c.version++;
  c.updated_at = at;
  if (was_nurture) r.nurture--;
  leave_pipeline(r, co);
  sims_[co].dropped_day = int32_t(d);
  pool_.push_back(co);
}

bool Demo::nurture(RepSim& r, uint32_t co, int64_t d, Instant at) {
  Company& c = cos_[co];
  bool already = c.status == CompanyStatus::Nurture;
  int64_t back = d + rng_.range(14, 60);
  const char* reason = rng_.pick(dd::kNurtureReasons);
  if (!rules::change_status(c, {CompanyStatus::Nurture, reason, date(back), ""}, r.nurture, 5).ok()) return false;
  c.version++;
  c.updated_at = at;
  if (!already) r.nurture++;
  CoSim& s = sims_[co];
  s.next = kNurtureRevisit;
  // Diligent reps come back on the day; others let it slide (nurture_due alerts).
  s.next_day = int32_t(rng_.chance(r.p.diligence) ? back + rng_.range(0, 2) : back + rng_.range(3, 20));
  return true;
}

int Demo::eff_quota(const RepSim& r, int64_t d) const {
  if (r.eff_quota_override) return r.eff_quota_override;
  return (teams_[r.team].tmpl == 3 && d >= lowered_day_) ? 1 : 2;
}

// What the method says to do after a visit to an unsigned company.
void Demo::after_visit(RepSim& r, uint32_t co, int64_t d, Instant end, bool signing_meeting) {
  decide(r, co, d, end, signing_meeting);
  // A parked company always has a date to come back; without one it is dropped.
  const Company& c = cos_[co];
  if (c.owner_id && c.status == CompanyStatus::Nurture && sims_[co].next == kNone) {
    if (!rng_.chance(0.6) || !nurture(r, co, d, end)) drop(r, co, d, end, dd::kDropReasons[4]);
  }
}

void Demo::decide(RepSim& r, uint32_t co, int64_t d, Instant end, bool signing_meeting) {
  Company& c = cos_[co];
  CoSim& s = sims_[co];
  if (c.signed_at || !c.owner_id) return;
  s.next = kNone;
  if (c.effective_at) {  // effective: sign, or drop; only a few are parked
    if (signing_meeting && rng_.chance(0.85)) return sign(r, co, end + 1800);
    if (!signing_meeting && rng_.chance(s.close_prop * r.p.close * fit(r, co))) {
      if (rng_.chance(0.4)) return sign(r, co, end + 1800);
      s.next = kSignMeeting;
      s.next_day = int32_t(d + rng_.range(1, 6));
      return;
    }
    double x = rng_.real();
    if (x < 0.4 && nurture(r, co, d, end)) return;
    if (x < 0.65) return drop(r, co, d, end, rng_.chance(0.5) ? dd::kDropReasons[5] : dd::kDropReasons[2]);
    return;  // lingers: "sign or drop" material
  }
  if (s.need_known && !s.need_true) {
    if (rng_.chance(0.65 * r.p.diligence + 0.1)) drop(r, co, d, end, dd::kDropReasons[0]);
    return;
  }
  if (s.budget_known && !s.budget_true) {
    double x = rng_.real();
    if (x < 0.5) drop(r, co, d, end, dd::kDropReasons[1]);
    else if (x < 0.65) nurture(r, co, d, end);
    return;
  }
  if (!c.payer_met || !s.budget_known || !s.need_known) {
    if (!c.payer_met && c.visit_count >= 4 && r.arch != TimeSink && rng_.chance(0.4)) return drop(r, co, d, end, dd::kDropReasons[3]);
    if (rng_.chance(r.p.diligence * (s.need_known ? 1.0 : 0.5))) {
      s.next = kFollowUp;
      s.next_day = int32_t(d + rng_.range(2, 9));
      return;
    }
  }
  // No next step: a decisive rep drops it now; the others let it lie until the
  // 30-day rule sends it to the pool.
  if (r.arch != TimeSink && rng_.chance(0.5 * r.p.diligence)) drop(r, co, d, end, dd::kDropReasons[6]);
}

void Demo::rep_day(RepSim& r, int64_t d, bool accompanied, size_t manager) {
  bool today = d == as_of_;  // the history ends this morning
  double mean = r.p.visits;
  int64_t tenure = d - r.start_day;
  double ramp = r.arch == NewHire ? std::min(1.0, 0.6 + double(tenure) / 75.0) : 1.0;
  int n = int(std::lround(mean * ramp + 1.2 * rng_.normal()));
  n = std::clamp(n, 2, 12);
  if (today) n = std::max(1, n / 2);
  int64_t limit = today ? 12 * 3600 : 20 * 3600;
  int64_t t = 9 * 3600 + rng_.range(0, 40) * 60;
  int acc_left = accompanied ? int(rng_.range(1, 3)) : 0;
  // Follow-ups that are due, oldest first.
  std::vector<std::pair<int32_t, uint32_t>> due;
  for (uint32_t co : r.pipeline)
    if (sims_[co].next != kNone && sims_[co].next_day <= d) due.push_back({sims_[co].next_day, co});
  std::sort(due.begin(), due.end());
  size_t due_i = 0;
  std::unordered_set<uint32_t> seen;  // one visit per company a day
  for (int slot = 0; slot < n && t < limit; slot++) {
    uint32_t co = UINT32_MAX;
    bool existing = false, stale = false;
    uint8_t planned = kNone;
    if (due_i < due.size() && slot < (n * 6 + 9) / 10) {
      co = due[due_i++].second;
      planned = sims_[co].next;
    } else if (!r.customers.empty() && rng_.chance(r.p.existing)) {
      co = r.customers[rng_.below(r.customers.size())];
      existing = true;
    } else if (!r.pipeline.empty() && rng_.chance(r.p.stale)) {
      for (int k = 0; k < 3 && co == UINT32_MAX; k++) {
        uint32_t x = r.pipeline[rng_.below(r.pipeline.size())];
        if (sims_[x].next == kNone && cos_[x].status != CompanyStatus::Nurture) co = x;
      }
      stale = co != UINT32_MAX;
    }
    if (co == UINT32_MAX) {  // a new lead: mostly fresh, sometimes fished out of the public pool
      if (!pool_.empty() && rng_.chance(0.06)) {
        for (int k = 0; k < 4 && co == UINT32_MAX; k++) {
          size_t i = rng_.below(pool_.size());
          uint32_t x = pool_[i];
          if (cos_[x].owner_id) {  // claimed meanwhile
            pool_[i] = pool_.back();
            pool_.pop_back();
            if (pool_.empty()) break;
            continue;
          }
          if (sims_[x].dropped_day + 14 > d) continue;
          pool_[i] = pool_.back();
          pool_.pop_back();
          Company& c = cos_[x];
          if (!rules::claim(c, uid(r.user)).ok()) continue;
          c.version++;
          c.updated_at = at_local(d, t);
          co = x;
          sims_[co].pos = -1;
          own(r, co);
        }
      }
      if (co == UINT32_MAX) {
        co = pop_lead(teams_[r.team].area, d);
        if (co != UINT32_MAX) {
          own(r, co);
          cos_[co].version++;  // assigned to the rep
        }
      }
      if (co == UINT32_MAX && !r.customers.empty()) {
        co = r.customers[rng_.below(r.customers.size())];
        existing = true;
      }
      if (co == UINT32_MAX) break;
    }
    if (!seen.insert(co).second) continue;
    Company& c = cos_[co];
    CoSim& s = sims_[co];
    Visit v;
    v.org_id = org_;
    v.company_id = co;
    v.rep_id = uid(r.user);
    v.at = at_local(d, t);
    v.day = tz_->local_date(v.at);
    size_t companion = SIZE_MAX;
    bool is_new = c.is_new();
    if (acc_left > 0 && is_new) {
      v.kind = VisitKind::Accompanied;
      acc_left--;
      companion = manager;
      v.companion_id = uid(manager);
      v.coaching_stage = r.stage ? r.stage : int(rng_.range(3, 4));
    } else if (rng_.chance(existing ? (r.arch == Poor8020 ? 0.15 : 0.5) : r.p.calls)) {  // 80/20 misses are long visits
      v.kind = VisitKind::Call;
    }
    int64_t dur = v.kind == VisitKind::Call ? rng_.range(5, 20)
                  : v.kind == VisitKind::Accompanied ? rng_.range(45, 120)
                                                     : rng_.range(30, 100);
    if (rng_.chance(0.85)) v.duration_min = dur;
    uint8_t ir = 0, at = 0, cn = 0, nt = 0;
    if (is_new) {
      double p = s.payer_access * r.p.payer;
      if (r.arch == NewHire) p *= std::min(1.0, 0.75 + double(tenure) / 240.0);
      if (v.kind == VisitKind::Call) p *= 0.45;
      if (v.kind == VisitKind::Accompanied) p *= 1.5;
      if (stale) p *= 0.5;  // the same contact again, no way to the boss
      bool met = rng_.chance(std::min(p, 0.95));
      if (v.kind != VisitKind::Call || rng_.chance(0.7)) v.met_payer = met;
      if (!s.need_known && rng_.chance(stale ? 0.3 : 0.8)) {
        v.need = s.need_true;
        s.need_known = true;
        if (s.need_true) ir = uint8_t(dd::kInterestBySource[s.source][rng_.below(2)]);
      }
      if (!s.budget_known && rng_.chance((met || c.payer_met) ? 0.85 : 0.2)) {
        v.budget = s.budget_true;
        s.budget_known = true;
      }
      if (s.need_true && s.need_known && rng_.chance(0.45)) at = uint8_t(1 + rng_.below(dd::count(dd::kAttraction) - 1));
      if (s.need_true && s.need_known && rng_.chance(0.35)) cn = uint8_t(1 + rng_.below(dd::count(dd::kConcerns) - 1));
      if (rng_.chance(0.75)) {
        if (v.kind == VisitKind::Accompanied) nt = 10;
        else if (planned == kSignMeeting) nt = 7;
        else if (v.kind == VisitKind::Call) nt = 6;
        else if (met) nt = 2;
        else if (c.visit_count >= 2) nt = rng_.chance(0.5) ? 11 : 12;
        else nt = c.visit_count == 0 ? uint8_t(rng_.chance(0.5) ? 1 : 3) : uint8_t(rng_.chance(0.5) ? 4 : 5);
      }
    } else if (rng_.chance(0.6)) {
      static constexpr uint8_t kExisting[] = {8, 9, 13};
      nt = rng_.pick(kExisting);
    }
    v.interest_reason = dd::kInterest[ir];
    v.attraction = dd::kAttraction[at];
    v.concerns = dd::kConcerns[cn];
    v.notes = dd::kNotes[nt];
    v.created_at = v.at + (v.duration_min ? *v.duration_min : 30) * 60;
    bool was_nurture = c.status == CompanyStatus::Nurture;
    rules::apply_visit(c, v);
    c.version++;
    c.updated_at = v.created_at;
    if (was_nurture && c.status != CompanyStatus::Nurture) r.nurture--;
    if (v.made_effective) r.eff_today++;
    record(r, v, co, companion, ir, at, cn, nt);
    Instant end = v.at + dur * 60;
    if (is_new) after_visit(r, co, d, end, planned == kSignMeeting);
    else if (rng_.chance(0.02)) {  // an existing customer buys more
      Deal dl;
      dl.amount = deal_amount(c, rng_.uniform(0.08, 0.3));
      deals_.push_back({end + 1800, co, uint32_t(r.user), dl.amount});
      rules::apply_deal(c, dl, end + 1800);
      c.version++;
      c.updated_at = end + 1800;
    }
    int64_t gap = v.kind == VisitKind::Call ? rng_.range(3, 10) : rng_.range(15, 45);
    t += (dur + gap) * 60;
  }
}

// Existing customers that veterans signed before the six months.
void Demo::prehistory() {
  for (auto& r : reps_) {
    if (r.arch == NewHire) continue;
    int64_t hire = days_from_civil(*parse_date(users_[r.user].u.hire_date));
    int64_t lo = std::max(hire + 25, org_day_ + 20), hi = start_ - 3;
    if (lo >= hi) continue;
    int k = int(rng_.range(5, 9) + (hi - lo) / 40);
    if (r.arch == Poor8020) k = k * 8 / 5;
    for (int i = 0; i < k; i++) {
      int64_t sd = rng_.range(lo, hi);
      while (!working(sd)) sd--;
      int64_t fd = sd - rng_.range(2, 20);
      while (!working(fd)) fd--;
      uint32_t co = pop_lead(teams_[r.team].area, fd);
      if (co == UINT32_MAX) break;
      CoSim& s = sims_[co];
      Company& c = cos_[co];
      s.need_true = s.need_known = s.budget_true = s.budget_known = true;
      if (!c.budget_capacity || *c.budget_capacity < kMinOrder) c.budget_capacity = kMinOrder * 20;
      own(r, co);
      for (int j = 0; j < 2; j++) {
        int64_t d = j ? sd : fd;
        Visit v;
        v.org_id = org_;
        v.company_id = co;
        v.rep_id = uid(r.user);
        v.at = at_local(d, 9 * 3600 + rng_.range(0, 8 * 60) * 60);
        v.day = tz_->local_date(v.at);
        v.kind = VisitKind::Visit;
        v.duration_min = rng_.range(30, 90);
        v.met_payer = j == 1;
        uint8_t ir = 0, nt = j ? 7 : 1;
        if (j == 0) {
          v.need = true;
          ir = uint8_t(dd::kInterestBySource[s.source][rng_.below(2)]);
        } else {
          v.budget = true;
        }
        v.interest_reason = dd::kInterest[ir];
        v.notes = dd::kNotes[nt];
        v.created_at = v.at + *v.duration_min * 60;
        rules::apply_visit(c, v);
        c.version++;
        c.updated_at = v.created_at;
        record(r, v, co, SIZE_MAX, ir, 0, 0, nt);
        if (j == 1) sign(r, co, v.at + *v.duration_min * 60 + 1800);
      }
    }
  }
}

void Demo::simulate() {
  for (int64_t d = start_; d <= as_of_; d++) {
    if (!working(d)) continue;
    // 02:00, the app's pool-release job: an owned, unsigned company (prospect,
    // contacted or effective) with no visit for 30 days loses its owner and keeps
    // its status; the reason goes into drop_reason (App::run_jobs does the same).
    Instant job_at = at_local(d, 2 * 3600), cutoff = job_at - 30 * 86400;
    int64_t released = 0;
    for (auto& r : reps_) {
      for (size_t i = 0; i < r.pipeline.size();) {
        uint32_t co = r.pipeline[i];
        Company& c = cos_[co];
        if (c.status != CompanyStatus::Nurture && c.last_visit_at && *c.last_visit_at < cutoff) {
          c.owner_id.reset();
          c.drop_reason = dd::kReleaseReason;
          c.version++;
          c.updated_at = job_at;
          leave_pipeline(r, co);  // moves another company into slot i
          sims_[co].dropped_day = int32_t(d);
          pool_.push_back(co);
          released++;
          continue;
        }
        i++;
      }
    }
    jobs_.push_back({d, released});  // job_runs: so the server does not run today's job again
    // Each manager picks the rep to accompany today: coaching first, then new hires.
    std::vector<size_t> acc(teams_.size(), SIZE_MAX);
    size_t first = 0;
    for (size_t t = 1; t < teams_.size(); t++) {
      size_t n = kRepsPerTeam;
      if (!rng_.chance(0.8)) {
        first += n;
        continue;
      }
      int best = -1;
      std::vector<size_t> cands;
      for (size_t k = first; k < first + n; k++) {
        RepSim& r = reps_[k];
        if (r.start_day > d) continue;
        int prio = r.stage ? 3 : r.arch == NewHire ? 2 : 1;
        if (prio > best) {
          best = prio;
          cands.clear();
        }
        if (prio == best) cands.push_back(k);
      }
      if (!cands.empty()) acc[t] = cands[rng_.below(cands.size())];
      first += n;
    }
    for (size_t k = 0; k < reps_.size(); k++) {
      RepSim& r = reps_[k];
      if (r.start_day > d) continue;
      r.eff_today = 0;
      bool with_manager = acc[r.team] == k;
      rep_day(r, d, with_manager, teams_[r.team].manager);
      if (d == as_of_) continue;
      // The coaching loop: 3 days below quota -> coaching; 3 days on quota -> out.
      if (r.eff_today >= eff_quota(r, d)) {
        r.on++;
        r.below = 0;
      } else {
        r.below++;
        r.on = 0;
      }
      if (!r.stage && r.below >= 3) {
        r.stage = 1;
        r.acc_days = 0;
      } else if (r.stage && r.on >= 3) {
        r.stage = 0;
      }
      if (with_manager && r.stage && ++r.acc_days >= 2 && r.stage < 4) {
        r.stage++;
        r.acc_days = 0;
        r.p.payer *= 1.02;  // the coaching works, a little
      }
    }
  }
}

void Demo::finish_companies() {
  // Fresh leads handed to each rep over the last month, not visited yet (about
  // as many as a rep opens in two weeks, so lead intake does not dip at the end).
  for (auto& r : reps_) {
    int k = int(rng_.range(25, 45));
    for (int i = 0; i < k; i++) {
      uint32_t co = pop_lead(teams_[r.team].area, as_of_);
      if (co == UINT32_MAX) break;
      Company& c = cos_[co];
      c.owner_id = uid(r.user);
      c.created_at = c.updated_at = at_local(as_of_ - rng_.range(0, 27), 8 * 3600 + rng_.range(0, 3600));
    }
  }
  Instant org_at = at_local(org_day_, 9 * 3600);
  Instant now_ish = at_local(as_of_, 8 * 3600);
  for (size_t i = 0; i < cos_.size(); i++) {
    Company& c = cos_[i];
    c.org_id = org_;
    if (!sims_[i].touched) touch(uint32_t(i), org_day_);
    if (c.created_at) continue;
    if (c.first_visit_at) {
      c.created_at = std::max(org_at + 3600, *c.first_visit_at - rng_.range(1, 30) * 86400 - rng_.range(0, 8 * 3600));
    } else {  // a pool prospect: imported at some point
      c.created_at = org_at + 3600 + int64_t(rng_.below(uint64_t(now_ish - org_at - 3600)));
      c.updated_at = c.created_at;
    }
    if (c.updated_at < c.created_at) c.updated_at = c.created_at;
  }
}

}  // namespace tj::cli::demo_impl
