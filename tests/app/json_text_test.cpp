// JsonText (app/json_text.h) and the company answer it writes: byte for byte what nlohmann dumps
// of the same object (the route GET /companies/{id} sends the text; every other answer is
// nlohmann's). Fails if a field is missing, out of order, or formatted differently.
#include <gtest/gtest.h>

#include "app/internal.h"
#include "app/vocab.h"
#include "app/json_text.h"
#include "method/vocab.h"

using namespace tj;
using namespace tj::detail;
using nlohmann::json;

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// What the answer was before JsonText: to_json(c) with contacts and fit added.
std::string expected(const Company& c, const std::string& tz, const std::vector<Contact>& contacts,
                     const method::Fit* fit, bool zh) {
  json out = to_json(c, tz);
  json cs = json::array();
  for (auto& ct : contacts) cs.push_back(contact_json(ct));
  out["contacts"] = cs;
  if (fit) out["fit"] = fit_json(*fit, zh);
  return dump(out);
}

Company bare() {
  Company c;
  c.id = 7;
  c.org_id = 1;
  c.name = "杭州测试科技有限公司";
  c.created_at = 1764547200;  // 2025-12-01T00:00:00Z
  c.updated_at = 1764550800;
  return c;
}

Company full() {
  Company c = bare();
  c.industry = "软件";
  c.industry_rank = 12;
  c.region = "杭州";
  c.budget_capacity = 120000000;
  c.source = "referral";
  c.competitor = "某某CRM";
  c.competitor_contract_end = "2027-03-31";
  c.address = "西湖区文三路 1 号 \"A\" 座\\3楼\n(后门)\t☎";
  c.lat = 30.2741;
  c.lng = 120.1551;
  c.owner_id = 42;
  c.status = CompanyStatus::Effective;
  c.need = true;  // the three facts differ, so a swapped field shows
  c.budget = false;
  c.payer_met = true;
  c.effective_at = 1764590400;
  c.effective_by = 42;
  c.first_visit_at = 1764580000;
  c.last_visit_at = 1764600000;
  c.visit_count = 3;
  c.interest_reason = "想要 \x01 控制字符";
  c.attraction = "bad utf-8: \xff\xfe end";
  c.concerns = "价格";
  c.nurture_reason = "等预算";
  c.revisit_on = "2026-01-15";
  c.drop_reason = "";
  c.version = 9;
  return c;
}

std::vector<Contact> contacts() {
  Contact a;
  a.id = 100;
  a.company_id = 7;
  a.name = "王总";
  a.title = "CEO";
  a.is_payer = true;
  a.style = "driver";
  a.phone = "138****0000";
  a.version = 2;
  Contact b = a;
  b.id = 101;
  b.name = "Li \"Lee\" \\ Ming";
  b.is_payer = false;
  b.style = "";
  b.title = "";
  return {a, b};
}

}  // namespace

TEST(JsonText, MatchesNlohmannForEveryKindOfValue) {
  JsonText w;
  w.begin_object();
  w.key("a").value(int64_t(-9223372036854775807 - 1));
  w.key("b").value(true);
  w.key("c").value(0.1);
  w.key("d").value(1e300);
  w.key("e").value(2.0);
  w.key("f").null();
  w.key("g").value(std::string("\"\\/\b\f\n\r\t\x1f\x7f 中文 \xc3\x28"));
  w.key("h").begin_array().value(int64_t(1)).begin_object().end_object().begin_array().end_array().end_array();
  w.key("i").value(std::optional<int64_t>());
  w.key("j").value_or_null("");
  w.end_object();
  json j = {{"a", INT64_MIN},
            {"b", true},
            {"c", 0.1},
            {"d", 1e300},
            {"e", 2.0},
            {"f", nullptr},
            {"g", "\"\\/\b\f\n\r\t\x1f\x7f 中文 \xc3\x28"},
            {"h", json::array({1, json::object(), json::array()})},
            {"i", nullptr},
            {"j", nullptr}};
  EXPECT_EQ(w.text(), dump(j));
}

TEST(JsonText, CompanyAnswerIsByteForByteTheJsonOne) {
  method::Fit known;
  known.payer_style = "driver";
  known.trials = 52;
  known.wins = 38;
  known.prior = 0.7032967032967034;
  known.win_rate = 0.7297517297517297;
  known.level = method::FitLevel::Good;
  known.same_style = true;
  method::Fit unknown;
  unknown.prior = 0.3;
  for (const std::string tz : {"Asia/Shanghai", "America/New_York", "no/such_zone"})
    for (const Company& c : {bare(), full()})
      for (const auto& cs : {std::vector<Contact>{}, contacts()})
        for (const method::Fit* f : std::vector<const method::Fit*>{nullptr, &known, &unknown})
          for (bool zh : {true, false}) {
            SCOPED_TRACE(tz + " company " + std::to_string(c.visit_count) + " contacts " + std::to_string(cs.size()) +
                         (f ? " fit" : " no fit") + (zh ? " zh" : " en"));
            EXPECT_EQ(company_text(c, tz, cs, f, zh), expected(c, tz, cs, f, zh));
          }
}
