// Diagnosis decisions (method/diagnosis.h): which measure of each layer failed, at
// the 0.8 boundary, and messages that cite the failing measure with both figures and
// never a figure that held.
#include <gtest/gtest.h>

#include "method/diagnosis.h"

using namespace tj::method;

namespace {
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST(DiagnosisSource, IntakeFellWhileTheRateRose) {
  // The case: intake 1,240 -> 680, effective 149 -> 143 (12% -> 21%).
  auto v = judge_source({"", 680, 143, 1240, 149}, {{"referral", 180, 60, 600, 70}, {"cold", 500, 83, 640, 79}});
  EXPECT_TRUE(v.failing());
  EXPECT_TRUE(v.intake_failing);
  EXPECT_FALSE(v.rate_failing);
  EXPECT_EQ(v.worst_intake_source, "referral");
  EXPECT_TRUE(has(v.message_en, "from 1,240 to 680")) << v.message_en;
  EXPECT_TRUE(has(v.message_zh, "从 1,240 降到 680")) << v.message_zh;
  EXPECT_TRUE(has(v.message_en, "effective rate rose")) << v.message_en;
  EXPECT_TRUE(has(v.message_zh, "有效率在上升")) << v.message_zh;
  // Figures that did not fail are never cited: not the effective counts, not the rates.
  for (auto* s : {&v.message_en, &v.message_zh})
    for (const char* f : {"143", "149", "12%", "21%"}) EXPECT_FALSE(has(*s, f)) << f << " in " << *s;
}

TEST(DiagnosisSource, RateFellWhileIntakeHeld) {
  auto v = judge_source({"", 1000, 100, 1000, 200}, {});
  EXPECT_FALSE(v.intake_failing);
  EXPECT_TRUE(v.rate_failing);
  EXPECT_TRUE(has(v.message_en, "from 20% to 10%")) << v.message_en;
  EXPECT_TRUE(has(v.message_zh, "有效率从 20% 降到 10%")) << v.message_zh;
  EXPECT_FALSE(has(v.message_en, "1,000")) << "intake held: no figure for it";
}

TEST(DiagnosisSource, TheBoundaryIsEightyPercent) {
  EXPECT_FALSE(judge_source({"", 80, 8, 100, 10}, {}).failing()) << "exactly 80% of the intake, the same rate";
  EXPECT_TRUE(judge_source({"", 79, 8, 100, 10}, {}).intake_failing);
  // rate 0.08 vs 0.10: exactly 80%: holds; 0.079: fails
  EXPECT_FALSE(judge_source({"", 1000, 80, 1000, 100}, {}).rate_failing);
  EXPECT_TRUE(judge_source({"", 1000, 79, 1000, 100}, {}).rate_failing);
  // No previous intake: nothing to compare with.
  EXPECT_FALSE(judge_source({"", 5, 1, 0, 0}, {}).failing());
  // No intake now: intake failed; the rate has no figure and is not judged.
  auto v = judge_source({"", 0, 0, 50, 10}, {});
  EXPECT_TRUE(v.intake_failing);
  EXPECT_FALSE(v.rate_failing);
  EXPECT_EQ(v.message_en.find('%'), std::string::npos) << v.message_en;
}

TEST(DiagnosisSource, BothFell) {
  auto v = judge_source({"", 500, 25, 1000, 100}, {});
  EXPECT_TRUE(v.intake_failing && v.rate_failing);
  EXPECT_TRUE(has(v.message_en, "from 1,000 to 500") && has(v.message_en, "from 10% to 5%")) << v.message_en;
}

TEST(DiagnosisPeople, TheLaggingGroupWithBothFigures) {
  auto v = judge_people(0.4, 0.9);
  EXPECT_TRUE(v.failing);
  EXPECT_EQ(v.lagging, "new_hires");
  EXPECT_TRUE(has(v.message_zh, "40%") && has(v.message_zh, "90%")) << v.message_zh;
  EXPECT_TRUE(has(v.message_en, "new hires (under 90 days) at 40%")) << v.message_en;
  auto w = judge_people(1.0, 0.5);
  EXPECT_EQ(w.lagging, "veterans");
  EXPECT_TRUE(has(w.message_en, "veterans at 50%")) << w.message_en;
  EXPECT_FALSE(judge_people(0.8, 1.0).failing) << "exactly 80%";
  EXPECT_TRUE(judge_people(0.79, 1.0).failing);
  EXPECT_FALSE(judge_people(std::nullopt, 0.2).failing) << "no new hires: nothing to compare";
  EXPECT_EQ(judge_people(std::nullopt, 0.2).message_en, "");
}

TEST(DiagnosisSystem, NamesEachFailingMetric) {
  auto v = judge_system({{"effective_new", 2, 1, 0.4}, {"visits_new", 5, 5, 0.9}});
  EXPECT_TRUE(v.failing);
  EXPECT_EQ(v.failing_metrics, std::vector<std::string>{"effective_new"});
  EXPECT_TRUE(has(v.message_en, "only 40% of reps reach 2") && has(v.message_en, "set it to 1")) << v.message_en;
  EXPECT_FALSE(has(v.message_en, "90%")) << "visits_new held";
  auto both = judge_system({{"effective_new", 2, 1, 0.4}, {"visits_new", 5, 3, 0.6}});
  EXPECT_EQ(both.failing_metrics.size(), 2u);
  EXPECT_TRUE(has(both.message_zh, "新客户拜访指标 5") && has(both.message_zh, "建议调到 3")) << both.message_zh;
  EXPECT_FALSE(judge_system({{"effective_new", 2, 2, 0.8}}).failing);
}

TEST(DiagnosisFormat, Figures) {
  EXPECT_EQ(thousands(1240), "1,240");
  EXPECT_EQ(thousands(680), "680");
  EXPECT_EQ(thousands(1000000), "1,000,000");
  EXPECT_EQ(thousands(0), "0");
  EXPECT_EQ(percent(0.12), "12%");
  EXPECT_EQ(percent(0.206), "21%");
}
