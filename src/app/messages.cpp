// The app's catalogue of user-visible texts (messages.h).
#include "app/messages.h"

namespace tj {

namespace {
const i18n::Catalog& catalog() {
  static const i18n::Catalog c = {
      // company statuses and visit kinds (the export, notifications)
      {"company_status.prospect", {"线索", "prospect"}},
      {"company_status.contacted", {"已拜访", "contacted"}},
      {"company_status.effective", {"有效", "effective"}},
      {"company_status.signed", {"已签", "signed"}},
      {"company_status.nurture", {"培养", "nurture"}},
      {"company_status.dropped", {"放弃", "dropped"}},
      {"visit_kind.visit", {"拜访", "visit"}},
      {"visit_kind.call", {"电话", "call"}},
      {"visit_kind.accompanied", {"陪访", "accompanied"}},
      {"yes", {"是", "yes"}},
      {"no", {"否", "no"}},
      // 撞单 (duplicates.cpp); {named} is the company's name and id, or "" when the caller may not read it
      {"duplicate.company_named", {"「{name}」（编号 {id}）", "\"{name}\" (id {id})"}},
      {"duplicate.in_pool",
       {"撞单：同名公司{named}在公海里，请直接认领",
        "duplicate (撞单): a company of this name {named_sp}is in the public pool; claim it instead"}},
      {"duplicate.yours", {"撞单：你已经有这家公司了{named}", "duplicate (撞单): you already have this company {named}"}},
      {"duplicate.owned",
       {"撞单：这家公司{named}已是 {owner} 的客户", "duplicate (撞单): this company {named_sp}is already a customer of {owner}"}},
      {"duplicate.exists", {"撞单：同名公司已存在", "duplicate (撞单): a company of this name already exists"}},
      // the public pool's limits (pool.cpp)
      {"pool.reclaim_cooldown",
       {"你在 {lost} 放弃或失去了这家公司，{days} 天内不能再认领：{free} 起可以认领",
        "you dropped or lost this company on {lost}; you cannot reclaim it for {days} days: you can claim it from {free}"}},
      {"pool.claim_daily_max",
       {"今天已认领 {claims} 家，每人每天最多认领 {max} 家：明天（{tomorrow}）再认领",
        "you have claimed {claims} companies today; a rep may claim at most {max} a day: claim again tomorrow ({tomorrow})"}},
      {"pool.owned_max",
       {"你名下已有 {owned} 家未签约的公司，每人最多 {max} 家：签下、放弃或释放一家之后才能认领",
        "you own {owned} unsigned companies; a rep may hold at most {max}: until you sign or drop one, you cannot claim "
        "more"}},
      {"pool.release_today", {"今天", "today"}},
      {"pool.release_tomorrow", {"明天（{day}）", "tomorrow ({day})"}},
      {"pool.release_in_days", {"{n} 天后（{day}）", "in {n} days ({day})"}},
      {"pool.release_warning",
       {"「{company}」{days} 天无跟进，将于{when}退回公海：去拜访一次，或放弃它",
        "{company} goes back to the public pool {when} after {days} days without follow-up: visit it, or drop it"}},
      // the importer's owner cells and companies (importer.cpp)
      {"import.rep_owner_only",
       {"销售只能导入自己的客户（负责人只能写自己，不能写 {cell}）",
        "a rep imports only their own companies (the owner can only be you, not {cell})"}},
      {"import.owner_ambiguous", {"{cell} 是 {n} 个用户的名字；请写用户名", "{cell} is the name of {n} users; use the username"}},
      {"import.owner_unknown", {"你的团队里没有用户 {cell}", "no user {cell} in your teams"}},
      {"import.owner_inactive", {"{cell} 已停用", "{cell} is deactivated"}},
      {"import.rep_cannot_reassign",
       {"负责人：销售不能通过导入接手或转交客户（请从公海认领）",
        "owner: a rep cannot take or reassign a company by import (claim it from the public pool)"}},
      // the rep–buyer fit of a company (rhythm_feed.cpp)
      {"fit.record_payer_style",
       {"先记录买单人的领导风格，才能匹配最合适的销售。", "Record the payer's leadership style to match the best-fitting rep."}},
      {"fit.suggested_by_style",
       {"按买单人风格「{style}」的平滑赢单率推荐。", "Suggested by smoothed win rate with payers of style \"{style}\"."}},
      {"import.name_matches_several",
       {"名称对应 {n} 家公司（编号 {ids}）；请先合并，或手工录入这一行",
        "the name matches {n} companies (ids {ids}); merge them or import the row by hand"}},
  };
  return c;
}
}  // namespace

std::string tr(std::string_view key, bool zh, const i18n::Args& args) { return i18n::text(catalog(), key, zh, args); }

std::string status_name(CompanyStatus s, bool zh) { return tr(std::string("company_status.") + to_string(s), zh); }

std::string visit_kind_name(VisitKind k, bool zh) { return tr(std::string("visit_kind.") + to_string(k), zh); }

std::string yes_no(bool b, bool zh) { return tr(b ? "yes" : "no", zh); }

}  // namespace tj
