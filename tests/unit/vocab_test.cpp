// The vocabularies (method/vocab.h): industry mapping and nearest names, the one
// style vocabulary, rep–buyer fit; and migration 0011 carrying the same standard
// list and style mappings as the code.
#include <gtest/gtest.h>

#include <string>

#include "method/vocab.h"
#include "store/migrations.h"

using namespace tj;
using namespace tj::method;

TEST(Industries, StandardListHasSpecNamesAndIsValid) {
  const auto& l = standard_industries();
  for (const char* n : {"互联网", "软件", "电商", "制造", "新能源", "汽车", "电子", "化工", "能源", "建筑", "房地产", "零售",
                        "餐饮", "教育", "医疗", "物流", "金融", "传媒", "咨询", "农业", "政府与公共事业"}) {
    bool found = false;
    for (auto& i : l) found = found || i.name == n;
    EXPECT_TRUE(found) << n;
  }
  EXPECT_EQ(industry_list_problem(l), "");
}

TEST(Industries, AliasesMapToNames) {
  const auto& l = standard_industries();
  EXPECT_EQ(map_industry(l, "制造业"), "制造");
  EXPECT_EQ(map_industry(l, "制造"), "制造");
  EXPECT_EQ(map_industry(l, "  制造业 "), "制造");
  EXPECT_EQ(map_industry(l, "IT"), "互联网");
  EXPECT_EQ(map_industry(l, "it"), "互联网");
  EXPECT_EQ(map_industry(l, "互联网行业"), "互联网");
  EXPECT_EQ(map_industry(l, "软件开发"), "软件");
  EXPECT_EQ(map_industry(l, "Manufacturing"), "制造");
  EXPECT_EQ(map_industry(l, "manufacturing"), "制造");
  EXPECT_EQ(map_industry(l, "real   estate"), "房地产");
  EXPECT_EQ(map_industry(l, ""), "");
  EXPECT_EQ(map_industry(l, "   "), "");
  EXPECT_FALSE(map_industry(l, "通信设备"));
  EXPECT_FALSE(map_industry(l, "制造业x"));
}

TEST(Industries, NearestNamesByEditsThenSharedCharacters) {
  const auto& l = standard_industries();
  auto n = nearest_industries(l, "智能制造");
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(n[0], "制造") << "智能制造 shares 制造; 机械制造 (an alias of 制造) is 2 edits away";
  n = nearest_industries(l, "房地");
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(n[0], "房地产");
  n = nearest_industries(l, "Retial");  // a typo of Retail
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(n[0], "零售");
  EXPECT_LE(nearest_industries(l, "医").size(), 3u);
  // Nothing in common: the first names of the list, so the message still offers some.
  n = nearest_industries(l, "zzzzzzzzzz");
  EXPECT_EQ(n, (std::vector<std::string>{"互联网", "软件", "电商"}));
  EXPECT_TRUE(nearest_industries({}, "x").empty());
}

TEST(Industries, EditDistanceCountsCharactersNotBytes) {
  EXPECT_EQ(edit_distance("制造", "制造业"), 1u);
  EXPECT_EQ(edit_distance("制造", "智造"), 1u);
  EXPECT_EQ(edit_distance("", "互联网"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Industries, ListProblems) {
  EXPECT_NE(industry_list_problem({{"制造", {}}, {"制造", {}}}), "");
  EXPECT_NE(industry_list_problem({{"制造", {"IT"}}, {"互联网", {"it"}}}), "") << "an alias used twice";
  EXPECT_NE(industry_list_problem({{"制造", {}}, {"其他", {"制造"}}}), "") << "an alias that is a name";
  EXPECT_NE(industry_list_problem({{" ", {}}}), "");
  EXPECT_NE(industry_list_problem({{"制造", {""}}}), "");
  EXPECT_NE(industry_list_problem({{std::string(51, 'a'), {}}}), "");
  EXPECT_EQ(industry_list_problem({{std::string(50, 'a'), {}}}), "");
  EXPECT_EQ(industry_list_problem({}), "") << "an admin may empty the list";
}

TEST(Styles, OneVocabulary) {
  EXPECT_EQ(parse_style("driver"), "driver");
  EXPECT_EQ(parse_style("Driver"), "driver");
  EXPECT_EQ(parse_style("支配型"), "driver");
  EXPECT_EQ(parse_style("分析型"), "analytical");
  EXPECT_EQ(parse_style("友善型"), "amiable");
  EXPECT_EQ(parse_style("表现型"), "expressive");
  EXPECT_EQ(parse_style(""), "");
  EXPECT_FALSE(parse_style("decisive")) << "the demo's old word is not part of the vocabulary";
  EXPECT_FALSE(parse_style("顾问式"));
  EXPECT_EQ(style_name("amiable", true), "友善型");
  EXPECT_EQ(style_name("amiable", false), "Amiable");
  EXPECT_EQ(style_keys().size(), 4u);
}

TEST(Styles, LegacyValuesMap) {
  EXPECT_EQ(legacy_style("decisive"), "driver");
  EXPECT_EQ(legacy_style("老虎型"), "driver");
  EXPECT_EQ(legacy_style("analytic"), "analytical");
  EXPECT_EQ(legacy_style("analytical"), "analytical");
  EXPECT_FALSE(legacy_style("顾问式"));
}

TEST(Fit, Verdicts) {
  // No payer style: unknown.
  EXPECT_EQ(fit_of("driver", "", 3, 4, 0.3).level, FitLevel::Unknown);
  // No record with this style: same style is good (the seed), another is fair.
  EXPECT_EQ(fit_of("driver", "driver", 0, 0, 0.3).level, FitLevel::Good);
  EXPECT_EQ(fit_of("driver", "amiable", 0, 0, 0.3).level, FitLevel::Fair);
  // A record: above the prior is good; at it fair; more than 0.1 below poor.
  EXPECT_EQ(fit_of("driver", "amiable", 2, 4, 0.3).level, FitLevel::Good);
  EXPECT_EQ(fit_of("driver", "amiable", 3, 10, 0.3).level, FitLevel::Fair);
  EXPECT_EQ(fit_of("driver", "amiable", 2, 10, 0.3).level, FitLevel::Fair) << "0.2 is exactly 0.1 below";
  EXPECT_EQ(fit_of("driver", "amiable", 1, 10, 0.3).level, FitLevel::Poor);
  auto f = fit_of("driver", "amiable", 2, 4, 0.3);
  EXPECT_DOUBLE_EQ(f.win_rate, (2 + 2 * 0.3) / (4 + 2));
  EXPECT_NE(fit_reason(f, true).find("友善型"), std::string::npos);
  EXPECT_EQ(fit_reason(fit_of("driver", "amiable", 1, 10, 0.3), true), "");
}

// Migration 0011 maps stored values with tables of its own: they must say what the code says.
TEST(VocabularyMigration, Migration0011CarriesTheStandardListAndStyles) {
  for (const auto* set : {migrations::kSqlite, migrations::kPostgres}) {
    const char* sql = nullptr;
    for (auto* m = set; m->name; ++m)
      if (m->number == 11) sql = m->sql;
    ASSERT_TRUE(sql);
    std::string s(sql);
    for (auto& i : standard_industries()) {
      EXPECT_NE(s.find("'" + i.name + "'"), std::string::npos) << i.name;
      for (auto& al : i.aliases) {
        std::string k = industry_key(al);
        EXPECT_NE(s.find("('" + k + "', '" + i.name + "')"), std::string::npos) << al << " -> " << i.name;
      }
    }
    for (auto& [old, key] : std::vector<std::pair<std::string, std::string>>{
             {"decisive", "driver"}, {"支配型", "driver"}, {"analytic", "analytical"}, {"老虎型", "driver"}})
      EXPECT_NE(s.find("('" + old + "', '" + key + "')"), std::string::npos) << old;
  }
}
