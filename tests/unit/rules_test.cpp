// The qualification rule and status transitions of SPEC §3, as tables of cases.
#include <gtest/gtest.h>

#include "domain/rules.h"

using namespace tj;

namespace {
Visit visit(std::optional<bool> need, std::optional<bool> budget, std::optional<bool> payer, Instant at = 1000,
            Id rep = 7) {
  Visit v;
  v.need = need;
  v.budget = budget;
  v.met_payer = payer;
  v.at = at;
  v.day = "2026-11-27";
  v.rep_id = rep;
  return v;
}
const std::optional<bool> T = true, F = false, N = std::nullopt;
}  // namespace

struct QualCase {
  const char* name;
  std::vector<std::array<std::optional<bool>, 3>> visits;  // need, budget, payer per visit
  CompanyStatus expect_status;
  bool expect_effective;
  int effective_on_visit;  // 1-based visit that made it effective, 0 = none
};

class Qualification : public ::testing::TestWithParam<QualCase> {};

TEST_P(Qualification, EffectiveTheFirstTimeAllThreeHold) {
  const auto& tc = GetParam();
  Company c;
  c.owner_id = 7;
  int made = 0;
  for (size_t i = 0; i < tc.visits.size(); i++) {
    auto v = visit(tc.visits[i][0], tc.visits[i][1], tc.visits[i][2], 1000 + Instant(i) * 100, 7 + Id(i));
    rules::apply_visit(c, v);
    EXPECT_TRUE(v.was_new);
    if (v.made_effective) {
      EXPECT_EQ(made, 0) << "made effective twice";
      made = int(i) + 1;
    }
  }
  EXPECT_EQ(c.status, tc.expect_status) << tc.name;
  EXPECT_EQ(c.effective_at.has_value(), tc.expect_effective) << tc.name;
  EXPECT_EQ(made, tc.effective_on_visit) << tc.name;
  if (made) {
    EXPECT_EQ(*c.effective_at, 1000 + (made - 1) * 100);
    EXPECT_EQ(*c.effective_by, 7 + made - 1) << "credited to the rep who logged that visit";
  }
  EXPECT_EQ(c.visit_count, int64_t(tc.visits.size()));
}

INSTANTIATE_TEST_SUITE_P(
    Rules, Qualification,
    ::testing::Values(
        QualCase{"no visits", {}, CompanyStatus::Prospect, false, 0},
        QualCase{"one empty visit", {{N, N, N}}, CompanyStatus::Contacted, false, 0},
        QualCase{"all three at once", {{T, T, T}}, CompanyStatus::Effective, true, 1},
        QualCase{"need and budget, no payer", {{T, T, F}}, CompanyStatus::Contacted, false, 0},
        QualCase{"payer not met is not effective", {{T, T, N}, {N, N, F}}, CompanyStatus::Contacted, false, 0},
        QualCase{"facts accumulate across visits", {{T, N, N}, {N, T, N}, {N, N, T}}, CompanyStatus::Effective, true, 3},
        QualCase{"need withdrawn before payer met", {{T, T, N}, {F, N, N}, {N, N, T}}, CompanyStatus::Contacted, false, 0},
        QualCase{"effective stays once reached", {{T, T, T}, {F, F, F}}, CompanyStatus::Effective, true, 1},
        QualCase{"payer once met stays met", {{N, N, T}, {N, N, F}, {T, T, N}}, CompanyStatus::Effective, true, 3}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

TEST(Rules, DealMakesSignedAndExisting) {
  Company c;
  c.owner_id = 1;
  auto v = visit(T, T, T);
  rules::apply_visit(c, v);
  Deal d;
  rules::apply_deal(c, d, 5000);
  EXPECT_EQ(c.status, CompanyStatus::Signed);
  EXPECT_FALSE(c.is_new());
  auto v2 = visit(N, N, N, 6000);
  rules::apply_visit(c, v2);
  EXPECT_FALSE(v2.was_new) << "a visit to an existing customer is not a new-customer visit";
  EXPECT_EQ(c.status, CompanyStatus::Signed);
}

TEST(Rules, SignedBeforeQualifiedIsNeverEffectiveNew) {
  Company c;
  c.owner_id = 1;
  rules::apply_deal(c, Deal{}, 10);
  auto v = visit(T, T, T, 20);
  rules::apply_visit(c, v);
  EXPECT_FALSE(v.made_effective);
  EXPECT_FALSE(c.effective_at.has_value());
}

struct TransitionCase {
  const char* name;
  CompanyStatus from;
  bool facts;  // need+budget+payer all true
  rules::StatusChange change;
  int64_t nurturing;
  bool ok;
  CompanyStatus expect;
};

class Transitions : public ::testing::TestWithParam<TransitionCase> {};

TEST_P(Transitions, Enforced) {
  const auto& tc = GetParam();
  Company c;
  c.owner_id = 3;
  c.status = tc.from;
  c.visit_count = tc.from == CompanyStatus::Prospect ? 0 : 1;
  c.need = c.budget = c.payer_met = tc.facts;
  if (tc.facts) c.effective_at = 100;
  if (tc.from == CompanyStatus::Signed) c.signed_at = 200;
  if (tc.from == CompanyStatus::Dropped) c.owner_id.reset();
  auto st = rules::change_status(c, tc.change, tc.nurturing, 5);
  EXPECT_EQ(st.ok(), tc.ok) << tc.name << (st.ok() ? "" : ": " + st.error().message);
  EXPECT_EQ(c.status, tc.expect) << tc.name;
  if (tc.ok && tc.expect == CompanyStatus::Dropped) EXPECT_FALSE(c.owner_id.has_value()) << "dropped goes to the pool";
}

using CS = CompanyStatus;
INSTANTIATE_TEST_SUITE_P(
    Rules, Transitions,
    ::testing::Values(
        TransitionCase{"nurture with reason", CS::Contacted, false, {CS::Nurture, "budget next quarter", "2027-01-10", ""}, 0, true, CS::Nurture},
        TransitionCase{"nurture without reason", CS::Contacted, false, {CS::Nurture, "", "2027-01-10", ""}, 0, false, CS::Contacted},
        TransitionCase{"nurture at cap-1", CS::Contacted, false, {CS::Nurture, "r", "2027-01-10", ""}, 4, true, CS::Nurture},
        TransitionCase{"nurture at cap", CS::Contacted, false, {CS::Nurture, "r", "2027-01-10", ""}, 5, false, CS::Contacted},
        TransitionCase{"drop with reason", CS::Effective, true, {CS::Dropped, "", "", "no budget"}, 0, true, CS::Dropped},
        TransitionCase{"drop without reason", CS::Effective, true, {CS::Dropped, "", "", ""}, 0, false, CS::Effective},
        TransitionCase{"signed cannot drop", CS::Signed, true, {CS::Dropped, "", "", "x"}, 0, false, CS::Signed},
        TransitionCase{"signed cannot nurture", CS::Signed, true, {CS::Nurture, "r", "2027-01-01", ""}, 0, false, CS::Signed},
        TransitionCase{"no manual signing", CS::Effective, true, {CS::Signed, "", "", ""}, 0, false, CS::Effective},
        TransitionCase{"no manual effective", CS::Contacted, false, {CS::Effective, "", "", ""}, 0, false, CS::Contacted},
        TransitionCase{"prospect to effective", CS::Prospect, false, {CS::Effective, "", "", ""}, 0, false, CS::Prospect},
        TransitionCase{"nurture back to contacted", CS::Nurture, false, {CS::Contacted, "", "", ""}, 1, true, CS::Contacted},
        TransitionCase{"nurture back to effective", CS::Nurture, true, {CS::Effective, "", "", ""}, 1, true, CS::Effective},
        TransitionCase{"nurture to wrong status", CS::Nurture, false, {CS::Effective, "", "", ""}, 1, false, CS::Nurture},
        TransitionCase{"dropped must be claimed", CS::Dropped, false, {CS::Contacted, "", "", ""}, 0, false, CS::Dropped},
        TransitionCase{"contacted to prospect", CS::Contacted, false, {CS::Prospect, "", "", ""}, 0, false, CS::Contacted}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

TEST(Rules, ClaimTakesPoolCompanyBackToItsFacts) {
  Company c;
  c.status = CompanyStatus::Dropped;
  c.visit_count = 2;
  c.drop_reason = "x";
  ASSERT_TRUE(rules::claim(c, 9).ok());
  EXPECT_EQ(*c.owner_id, 9);
  EXPECT_EQ(c.status, CompanyStatus::Contacted);
  EXPECT_FALSE(rules::claim(c, 10).ok()) << "an owned company cannot be claimed";
}

TEST(Rules, NurturedCompanyStaysParkedUntilItQualifies) {
  Company c;
  c.owner_id = 1;
  c.status = CompanyStatus::Nurture;
  c.nurture_reason = "r";
  c.revisit_on = "2027-01-01";
  c.visit_count = 1;
  auto v = visit(T, N, N);
  rules::apply_visit(c, v);
  EXPECT_EQ(c.status, CompanyStatus::Nurture);
  auto v2 = visit(N, T, T);
  rules::apply_visit(c, v2);
  EXPECT_EQ(c.status, CompanyStatus::Effective);
  EXPECT_TRUE(c.nurture_reason.empty());
}
