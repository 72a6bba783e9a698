// Prospect recommendation (SPEC §3, App::prospects): table-driven boundaries, and a
// randomized organisation where the answer equals a brute-force computation over every
// row (the walk in budget order with early stop must never change the answer).
//
// The answer's order: score desc, budget_capacity desc, company id asc. A candidate keeps
// its best reference: score, then the larger order, then the lower reference id.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "fixture.h"

using namespace tj;
using namespace tj::testing;

namespace {

// One company of a case. Signed companies get signed_at = signed (local time) and a deal of
// `deal` fen when deal > 0 (more deals with `deal2`).
struct Co {
  const char* key = "";
  int64_t rank = 0;
  std::optional<Fen> budget = 5000000;
  const char* owner = "";  // "", "rep1", "rep3"
  bool competitor = false, payer_met = false, payer_contact = false;
  const char* signed_at = nullptr;
  Fen deal = 0, deal2 = 0;
  bool dropped = false, deleted = false;
  const char* industry = "制造";
};

struct Expect {
  const char* key;
  const char* ref;
  int score;
};

struct ProspectCase {
  const char* name;
  std::vector<Co> cos;
  std::vector<Expect> expect;  // in answer order
  int limit = 0;               // 0: the default (50)
  const char* as_of = "2026-11-27";
};

// What the brute force needs of a company, read straight from the tables.
struct Raw {
  Id id = 0;
  std::string industry;
  std::optional<int64_t> rank;
  std::optional<Fen> budget;
  bool competitor = false, payer_known = false, dropped = false, deleted = false;
  std::optional<Id> owner;
  std::optional<Instant> signed_at;
  Fen order = 0;
};

struct Answer {
  Id company = 0, ref = 0;
  int score = 0;
  int64_t rank = 0, ref_rank = 0;
  Fen budget = 0;
  std::vector<std::string> codes;
  bool operator==(const Answer&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Answer& a) {
  os << "{company " << a.company << " ref " << a.ref << " score " << a.score << " rank " << a.rank << "/" << a.ref_rank
     << " budget " << a.budget << " codes";
  for (auto& c : a.codes) os << " " << c;
  return os << "}";
}

class ProspectsBase : public OrgStore {
 protected:
  static constexpr Fen kMinOrder = 1000000;

  void SetUp() override {
    OrgStore::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ok(app->patch_settings(actor(admin), {{"min_order_value", kMinOrder}}));
  }

  Id user_of(const std::string& who) {
    if (who == "rep1") return rep1;
    if (who == "rep2") return rep2;
    if (who == "rep3") return rep3;
    return 0;
  }

  // Inserts the companies in order (so ids follow the list) and returns key -> id.
  std::map<std::string, Id> insert(const std::vector<Co>& cos) {
    std::map<std::string, Id> ids;
    EXPECT_TRUE(store->write([&](Tx& tx) -> Status {
      for (auto& x : cos) {
        Company c;
        c.org_id = org;
        c.name = std::string("公司") + x.key;
        c.industry = x.industry;
        if (x.rank) c.industry_rank = x.rank;
        c.budget_capacity = x.budget;
        c.competitor = x.competitor ? "竞品" : "";
        if (*x.owner) c.owner_id = user_of(x.owner);
        c.payer_met = x.payer_met;
        c.status = x.dropped ? CompanyStatus::Dropped : x.signed_at ? CompanyStatus::Signed : CompanyStatus::Prospect;
        if (x.signed_at) c.signed_at = at(x.signed_at);
        c.created_at = c.updated_at = at("2026-09-01T10:00:00+08:00");
        Id id = tx.insert_company(c);
        ids[x.key] = id;
        Contact k;
        k.org_id = org;
        k.company_id = id;
        k.name = "联系人";
        k.is_payer = x.payer_contact;
        k.created_at = c.created_at;
        tx.insert_contact(k);
        for (Fen amount : {x.deal, x.deal2}) {
          if (amount <= 0) continue;
          Deal d;
          d.org_id = org;
          d.company_id = id;
          d.rep_id = rep1;
          d.amount = amount;
          d.signed_on = "2026-11-01";
          d.created_at = c.created_at;
          tx.insert_deal(d);
        }
        if (x.deleted) tx.conn().exec("UPDATE companies SET deleted = 1 WHERE org_id = ? AND id = ?", {org, id});
      }
      return ok_status();
    }).ok());
    return ids;
  }

  std::vector<Answer> fast(Id as, const std::string& as_of, int limit) {
    Query q{{"as_of", as_of}};
    if (limit) q["limit"] = std::to_string(limit);
    auto j = ok(app->prospects(actor(as), q));
    std::vector<Answer> out;
    for (auto& i : j["items"]) {
      Answer a{i["company_id"].get<Id>(),     i["reference_company_id"].get<Id>(), i["score"].get<int>(),
               i["industry_rank"].get<int64_t>(), i["reference_rank"].get<int64_t>(),  i["budget_capacity"].get<Fen>(),
               {}};
      for (auto& c : i["reason_codes"]) a.codes.push_back(c.get<std::string>());
      EXPECT_EQ(i["reasons"].size(), a.codes.size());
      EXPECT_FALSE(i["company_name"].get<std::string>().empty());
      EXPECT_FALSE(i["reference_company_name"].get<std::string>().empty());
      out.push_back(std::move(a));
    }
    return out;
  }

  // SPEC §3 over every row of the organisation, as plainly as possible.
  std::vector<Answer> brute(Id rep, const std::string& as_of, int limit) {
    Instant end = at((as_of + "T23:59:59+08:00").c_str());
    std::vector<Raw> all;
    EXPECT_TRUE(store->read([&](Tx& tx) -> Status {
      std::map<Id, Fen> order;
      for (auto& r : tx.conn().query("SELECT company_id, amount FROM deals WHERE org_id = ?", {org}))
        order[r.i64(0)] = std::max(order[r.i64(0)], r.i64(1));
      std::set<Id> payer;
      for (auto& r : tx.conn().query("SELECT company_id FROM contacts WHERE org_id = ? AND is_payer = 1", {org}))
        payer.insert(r.i64(0));
      for (auto& r : tx.conn().query("SELECT id, industry, industry_rank, budget_capacity, competitor, payer_met, status, "
                                     "deleted, owner_id, signed_at FROM companies WHERE org_id = ?",
                                     {org})) {
        Raw x;
        x.id = r.i64(0);
        x.industry = r.str(1);
        x.rank = r.opt_i64(2);
        x.budget = r.opt_i64(3);
        x.competitor = !r.str(4).empty();
        x.payer_known = r.b(5) || payer.count(x.id);
        x.dropped = r.str(6) == "dropped";
        x.deleted = r.b(7);
        x.owner = r.opt_i64(8);
        x.signed_at = r.opt_i64(9);
        x.order = order.count(x.id) ? order[x.id] : 0;
        all.push_back(x);
      }
      return ok_status();
    }).ok());
    std::vector<Answer> out;
    for (auto& c : all) {
      bool cand = !c.deleted && !c.industry.empty() && c.rank && (!c.signed_at || *c.signed_at > end) && !c.dropped &&
                  (!c.owner || *c.owner == rep) && c.budget && *c.budget >= kMinOrder;
      if (!cand) continue;
      std::optional<Answer> best;
      Fen best_order = 0;
      for (auto& r : all) {  // references
        bool ref = !r.deleted && !r.industry.empty() && r.rank && r.signed_at && *r.signed_at <= end;
        if (!ref || r.industry != c.industry || std::llabs(*r.rank - *c.rank) > 2) continue;
        int dist = int(std::llabs(*r.rank - *c.rank));
        bool fit = *c.budget >= std::max(r.order, kMinOrder);
        int score = (dist <= 1 ? 2000 : 1000) + (c.competitor ? 100 : 0) + (fit ? 10 : 0) + (c.payer_known ? 1 : 0);
        bool better = !best || score > best->score ||
                      (score == best->score && (r.order > best_order || (r.order == best_order && r.id < best->ref)));
        if (!better) continue;
        Answer a{c.id, r.id, score, *c.rank, *r.rank, *c.budget, {}};
        a.codes.push_back(dist <= 1 ? "rank_adjacent_1" : "rank_adjacent_2");
        if (c.competitor) a.codes.push_back("uses_competitor");
        if (fit) a.codes.push_back("budget_fit");
        if (c.payer_known) a.codes.push_back("payer_known");
        best = a;
        best_order = r.order;
      }
      if (best) out.push_back(*best);
    }
    std::sort(out.begin(), out.end(), [](const Answer& a, const Answer& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.budget != b.budget) return a.budget > b.budget;
      return a.company < b.company;
    });
    if (out.size() > size_t(limit ? limit : 50)) out.resize(size_t(limit ? limit : 50));
    return out;
  }
};

class ProspectCases : public ProspectsBase, public ::testing::WithParamInterface<std::tuple<ProspectCase, std::string>> {
 protected:
  std::string backend() const override { return std::get<1>(GetParam()); }
  static const ProspectCase& param() { return std::get<0>(GetParam()); }
};

TEST_P(ProspectCases, Table) {
  const auto& tc = param();
  auto ids = insert(tc.cos);
  std::vector<std::tuple<Id, Id, int>> want, got;
  for (auto& e : tc.expect) want.emplace_back(ids.at(e.key), ids.at(e.ref), e.score);
  auto answer = fast(rep1, tc.as_of, tc.limit);
  for (auto& a : answer) got.emplace_back(a.company, a.ref, a.score);
  std::map<Id, std::string> key_of;
  for (auto& [k, id] : ids) key_of[id] = k;
  std::string got_s;
  for (auto& [c, r, s] : got) got_s += key_of[c] + "<-" + key_of[r] + ":" + std::to_string(s) + " ";
  EXPECT_EQ(got, want) << tc.name << "; got " << got_s;
  EXPECT_EQ(answer, brute(rep1, tc.as_of, tc.limit)) << tc.name;
}

// rep1 asks; min_order_value 1,000,000; as_of 2026-11-27 (its end: 23:59:59 +08:00).
const char* kSigned = "2026-11-20T12:00:00+08:00";

INSTANTIATE_TEST_SUITE_P(
    Rules, ProspectCases,
    ::testing::Combine(
        ::testing::Values(
            ProspectCase{"equal score and budget: the lower company id first",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "B", .rank = 6, .budget = 2000000},
                          {.key = "A", .rank = 4, .budget = 2000000},
                          {.key = "C", .rank = 3, .budget = 2000000},
                          {.key = "D", .rank = 7, .budget = 2000000}},
                         {{"B", "R", 2000}, {"A", "R", 2000}, {"C", "R", 1000}, {"D", "R", 1000}}},
            ProspectCase{"equal score: the larger budget first",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "A", .rank = 4, .budget = 2000000},
                          {.key = "B", .rank = 6, .budget = 2500000}},
                         {{"B", "R", 2000}, {"A", "R", 2000}}},
            ProspectCase{"near two references: the better score (budget fit) wins",
                         {{.key = "R1", .rank = 3, .signed_at = kSigned, .deal = 5000000},
                          {.key = "R2", .rank = 7, .signed_at = kSigned, .deal = 1000000},
                          {.key = "X", .rank = 5, .budget = 2000000},
                          {.key = "Y", .rank = 4, .budget = 2000000}},
                         {{"Y", "R1", 2000}, {"X", "R2", 1010}}},
            ProspectCase{"near two references at equal score: the larger order wins",
                         {{.key = "R1", .rank = 3, .signed_at = kSigned, .deal = 2000000},
                          {.key = "R2", .rank = 7, .signed_at = kSigned, .deal = 4000000, .deal2 = 1000000},
                          {.key = "X", .rank = 5, .budget = 10000000}},
                         {{"X", "R2", 1010}}},
            ProspectCase{"near two references at equal score and order: the lower reference id",
                         {{.key = "R1", .rank = 7, .signed_at = kSigned, .deal = 3000000},
                          {.key = "R2", .rank = 3, .signed_at = kSigned, .deal = 3000000},
                          {.key = "X", .rank = 5, .budget = 10000000}},
                         {{"X", "R1", 1010}}},
            ProspectCase{"two references at the same rank: the nearer rank first, then the score",
                         {{.key = "R1", .rank = 5, .signed_at = kSigned, .deal = 9000000},
                          {.key = "R2", .rank = 5, .signed_at = kSigned, .deal = 2000000},
                          {.key = "R3", .rank = 8, .signed_at = kSigned, .deal = 1000000},
                          {.key = "X", .rank = 6, .budget = 3000000},
                          {.key = "Y", .rank = 7, .budget = 3000000}},
                         {{"X", "R2", 2010}, {"Y", "R3", 2010}}},
            ProspectCase{"budget exactly at min_order_value and at the reference's order",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "A", .rank = 4, .budget = 1000000},
                          {.key = "B", .rank = 6, .budget = 3000000},
                          {.key = "C", .rank = 4, .budget = 999999},
                          {.key = "N", .rank = 6, .budget = std::nullopt},
                          {.key = "R2", .rank = 20, .signed_at = kSigned, .deal = 500000},
                          {.key = "D", .rank = 21, .budget = 1000000},
                          {.key = "R3", .rank = 40, .signed_at = kSigned},  // signed without a deal: order 0
                          {.key = "E", .rank = 41, .budget = 1000000}},
                         {{"B", "R", 2010}, {"D", "R2", 2010}, {"E", "R3", 2010}, {"A", "R", 2000}}},
            ProspectCase{"owned by another rep: excluded; the asker's own and free ones kept",
                         {{.key = "R", .rank = 5, .owner = "rep3", .signed_at = kSigned, .deal = 3000000},
                          {.key = "O", .rank = 4, .budget = 90000000, .owner = "rep3"},
                          {.key = "M", .rank = 6, .budget = 2000000, .owner = "rep1"},
                          {.key = "F", .rank = 4, .budget = 1500000}},
                         {{"M", "R", 2000}, {"F", "R", 2000}}},
            ProspectCase{"signed after as_of: still a candidate; signed by the end of as_of: a reference",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "L", .rank = 6, .budget = 2000000, .signed_at = "2026-11-28T00:00:00+08:00", .deal = 9000000},
                          {.key = "E", .rank = 20, .signed_at = "2026-11-27T23:59:59+08:00", .deal = 1000000},
                          {.key = "C", .rank = 21, .budget = 1500000}},
                         {{"C", "E", 2010}, {"L", "R", 2000}}},
            ProspectCase{"nothing signed by as_of: no prospects",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000}, {.key = "A", .rank = 4}},
                         {},
                         0,
                         "2026-11-19"},
            ProspectCase{"dropped and deleted candidates excluded; a deleted reference has no prospects",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "D", .rank = 4, .budget = 9000000, .dropped = true},
                          {.key = "X", .rank = 6, .budget = 9000000, .deleted = true},
                          {.key = "K", .rank = 7, .budget = 2000000},
                          {.key = "G", .rank = 30, .signed_at = kSigned, .deal = 3000000, .deleted = true},
                          {.key = "H", .rank = 31, .budget = 9000000}},
                         {{"K", "R", 1000}}},
            ProspectCase{"another industry, or none, is no candidate",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "I", .rank = 4, .industry = "零售"},
                          {.key = "J", .rank = 4, .industry = ""},
                          {.key = "R0", .rank = 50, .signed_at = kSigned, .deal = 3000000, .industry = ""},
                          {.key = "J2", .rank = 51, .industry = ""},
                          {.key = "A", .rank = 6, .budget = 2000000}},
                         {{"A", "R", 2000}}},
            ProspectCase{"competitor, budget fit and payer (met or a payer contact) add up",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "A", .rank = 4, .budget = 1000000, .competitor = true},
                          {.key = "B", .rank = 6, .budget = 1000000, .payer_met = true},
                          {.key = "C", .rank = 3, .budget = 1000000, .payer_contact = true},
                          {.key = "D", .rank = 7, .budget = 5000000, .competitor = true, .payer_contact = true}},
                         {{"A", "R", 2100}, {"B", "R", 2001}, {"D", "R", 1111}, {"C", "R", 1001}}},
            ProspectCase{"limit 1",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "A", .rank = 4, .budget = 2000000},
                          {.key = "B", .rank = 6, .budget = 2000000, .competitor = true},
                          {.key = "C", .rank = 3, .budget = 9000000, .competitor = true, .payer_met = true}},
                         {{"B", "R", 2100}},
                         1},
            ProspectCase{"limit 2: the later walk (no competitor) still beats a weak competitor",
                         {{.key = "R", .rank = 5, .signed_at = kSigned, .deal = 3000000},
                          {.key = "A", .rank = 4, .budget = 2000000},
                          {.key = "B", .rank = 6, .budget = 2000000, .competitor = true},
                          {.key = "C", .rank = 3, .budget = 9000000, .competitor = true, .payer_met = true},
                          {.key = "E", .rank = 6, .budget = 1500000}},
                         {{"B", "R", 2100}, {"A", "R", 2000}},
                         2}),
        backends()),
    CaseOnBackendName());

class Prospects : public ProspectsBase, public ::testing::WithParamInterface<std::string> {
 protected:
  std::string backend() const override { return GetParam(); }
};
TJ_ON_EACH_BACKEND(Prospects);

// A few hundred companies drawn from a fixed seed, with many equal budgets and ranks (so
// the pages split runs of equal keys), compared with the brute force for several askers,
// as_of days and limits.
TEST_P(Prospects, RandomOrgEqualsBruteForce) {
  std::mt19937_64 rng(20261127);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto pick = [&](auto const& v) { return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)]; };
  const std::vector<const char*> industries = {"制造", "制造", "零售", "金融", ""};
  const std::vector<Fen> budgets = {500000, 999999, 1000000, 2000000, 3000000, 3000000, 5000000, 8000000, 20000000};
  const std::vector<Fen> orders = {400000, 1000000, 2000000, 3000000, 5000000, 12000000};
  const std::vector<const char*> owners = {"", "", "", "rep1", "rep2", "rep3"};
  const std::vector<const char*> signed_days = {"2026-10-10T10:00:00+08:00", "2026-11-05T10:00:00+08:00",
                                                "2026-11-10T23:59:59+08:00", "2026-11-20T10:00:00+08:00",
                                                "2026-11-28T09:00:00+08:00"};
  std::vector<Co> cos;
  std::vector<std::string> keys;
  keys.reserve(700);
  for (int i = 0; i < 700; i++) {
    keys.push_back("k" + std::to_string(i));
    Co c;
    c.key = keys.back().c_str();
    c.industry = pick(industries);
    c.rank = chance(0.03) ? 0 : std::uniform_int_distribution<int64_t>(1, 80)(rng);
    c.budget = chance(0.08) ? std::nullopt : std::optional<Fen>(chance(0.7) ? pick(budgets) : Fen(rng() % 30000000));
    c.owner = pick(owners);
    c.competitor = chance(0.45);
    c.payer_met = chance(0.2);
    c.payer_contact = chance(0.15);
    if (chance(0.22)) {
      c.signed_at = pick(signed_days);
      if (chance(0.9)) c.deal = pick(orders);
      if (chance(0.3)) c.deal2 = pick(orders);
    }
    c.dropped = chance(0.07);
    c.deleted = chance(0.05);
    cos.push_back(c);
  }
  insert(cos);
  int compared = 0;
  for (Id as : {rep1, rep2, rep3, mgr})
    for (const char* as_of : {"2026-11-27", "2026-11-10", "2026-10-20"})
      for (int limit : {1, 7, 50, 200}) {
        auto want = brute(as, as_of, limit);
        auto got = fast(as, as_of, limit);
        ASSERT_EQ(got, want) << "as " << as << " as_of " << as_of << " limit " << limit;
        compared += int(want.size());
      }
  EXPECT_GT(compared, 1000);
}

}  // namespace
