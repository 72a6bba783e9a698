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
      {"duplicate.yours",
       {"撞单：你已经有这家公司了{named}", "duplicate (撞单): you already have this company {named}"}},
      {"duplicate.owned",
       {"撞单：这家公司{named}已是 {owner} 的客户",
        "duplicate (撞单): this company {named_sp}is already a customer of {owner}"}},
      {"duplicate.exists", {"撞单：同名公司已存在", "duplicate (撞单): a company of this name already exists"}},
      // the public pool's limits (pool.cpp)
      {"pool.reclaim_cooldown",
       {"你在 {lost} 放弃或失去了这家公司，{days} 天内不能再认领：{free} 起可以认领",
        "you dropped or lost this company on {lost}; you cannot reclaim it for {days} days: you can claim it from "
        "{free}"}},
      {"pool.claim_daily_max",
       {"今天已认领 {claims} 家，每人每天最多认领 {max} 家：明天（{tomorrow}）再认领",
        "you have claimed {claims} companies today; a rep may claim at most {max} a day: claim again tomorrow "
        "({tomorrow})"}},
      {"pool.owned_max",
       {"你名下已有 {owned} 家未签约的公司，每人最多 {max} 家：签下、放弃或释放一家之后才能认领",
        "you own {owned} unsigned companies; a rep may hold at most {max}: until you sign or drop one, you cannot "
        "claim "
        "more"}},
      {"pool.release_today", {"今天", "today"}},
      // a company the daily job gives back to the pool (people.cpp: run_jobs; its drop_reason)
      {"pool.release_reason",
       {"{days}天内无拜访（自最近一次拜访、认领或分配起），自动释放到公海",
        "no visit for {days} days since the last visit, claim or assignment"}},
      {"pool.release_tomorrow", {"明天（{day}）", "tomorrow ({day})"}},
      {"pool.release_in_days", {"{n} 天后（{day}）", "in {n} days ({day})"}},
      {"pool.release_warning",
       {"「{company}」{days} 天无跟进，将于{when}退回公海：去拜访一次，或放弃它",
        "{company} goes back to the public pool {when} after {days} days without follow-up: visit it, or drop it"}},
      // the importer's owner cells and companies (importer.cpp)
      {"import.rep_owner_only",
       {"销售只能导入自己的客户（负责人只能写自己，不能写 {cell}）",
        "a rep imports only their own companies (the owner can only be you, not {cell})"}},
      {"import.owner_ambiguous",
       {"{cell} 是 {n} 个用户的名字；请写用户名", "{cell} is the name of {n} users; use the username"}},
      {"import.owner_unknown", {"你的团队里没有用户 {cell}", "no user {cell} in your teams"}},
      {"import.owner_inactive", {"{cell} 已停用", "{cell} is deactivated"}},
      {"import.rep_cannot_reassign",
       {"负责人：销售不能通过导入接手或转交客户（请从公海认领）",
        "owner: a rep cannot take or reassign a company by import (claim it from the public pool)"}},
      // the rep–buyer fit of a company (rhythm_feed.cpp)
      {"fit.record_payer_style",
       {"先记录买单人的领导风格，才能匹配最合适的销售。",
        "Record the payer's leadership style to match the best-fitting rep."}},
      {"fit.suggested_by_style",
       {"按买单人风格「{style}」的平滑赢单率推荐。",
        "Suggested by smoothed win rate with payers of style \"{style}\"."}},
      // notifications (notify.cpp): the titles by kind, then the texts. A text has a
      // personal form (to the person it is about) and a group form (to a manager or a
      // channel, naming {rep}). {team_prefix} is notify.team_prefix or "", {detail}
      // notify.detail or "", {target} one of notify.target.*.
      {"notify_title.plan_missing", {"早启动提醒", "Morning plan reminder"}},
      {"notify_title.plan_missing_digest", {"早启动：计划未交", "Morning kick-off: plans missing"}},
      {"notify_title.review_missing", {"晚分享提醒", "Evening share reminder"}},
      {"notify_title.review_missing_digest", {"晚分享：分享未交", "Evening share: shares missing"}},
      {"notify_title.alert_digest", {"今日团队提醒", "Today's team alerts"}},
      {"notify_title.booking_created", {"陪访预约", "Accompanied visit booked"}},
      {"notify_title.booking_changed", {"陪访改期", "Accompanied visit changed"}},
      {"notify_title.booking_cancelled", {"陪访取消", "Accompanied visit cancelled"}},
      {"notify_title.feed_comment", {"新评论", "New comment"}},
      {"notify_title.feed_like", {"新点赞", "New like"}},
      {"notify_title.pool_release_soon", {"客户即将释放到公海", "Customers about to go back to the pool"}},
      {"notify_title.nurture_due", {"培养客户该回访了", "Nurture revisits due"}},
      {"notify_title.behind_pace", {"目标进度落后", "Behind pace"}},
      {"notify_title.duplicate_attempt", {"撞单提醒", "Someone tried to create your customer"}},
      {"notify_title.nudge", {"经理提醒", "A nudge from your manager"}},
      {"notify_title.default", {"铁军通知", "Tiejun notification"}},
      {"notify.team_prefix", {"{team}：", "{team}: "}},
      {"notify.detail", {"：{detail}", ": {detail}"}},
      {"notify.plan_missing.personal",
       {"早上好！今天的计划还没写。花五分钟定下今天要拜访的新客户和要推进的老客户，开个好头。",
        "Good morning! Today's plan isn't in yet. Take five minutes to list the new customers you'll visit and the "
        "deals you'll move, and start strong."}},
      {"notify.plan_missing.group",
       {"{rep} 今天的计划还没写，请尽快补上。", "{rep} has not written today's plan yet."}},
      {"notify.plan_missing_digest",
       {"{team_prefix}早启动时间到，还有 {count} 位同学没交今日计划：{names}。请提醒他们把今天的拜访安排写下来。",
        "{team_prefix}{count} rep(s) have no plan for today yet: {names}. Ask them to write down today's visits."}},
      {"notify.review_missing.personal",
       {"今天辛苦了！晚分享还没写：拜访了谁、发现了什么、明天怎么做。写下来，团队一起进步。",
        "Good work today! Your evening share isn't in yet: whom you met, what you learned, what you'll do tomorrow. "
        "Write it down so the team learns with you."}},
      {"notify.review_missing.group", {"{rep} 今天的晚分享还没写。", "{rep} has not written today's share yet."}},
      {"notify.review_missing_digest",
       {"{team_prefix}晚分享时间到，还有 {count} 位同学没写今日分享：{names}。",
        "{team_prefix}{count} rep(s) have not shared today yet: {names}."}},
      {"notify.alert_digest",
       {"今天团队有 {count} 条提醒（{kinds}）。先处理时间黑洞和该签或该放的客户，再安排陪访。",
        "Your team has {count} alert(s) today ({kinds}). Start with the time sinks and the sign-or-drop customers, "
        "then "
        "book accompanied visits."}},
      {"notify.booking_created.personal",
       {"{manager} 约你 {at} 一起陪访「{company}」（{stage}）。提前准备好客户资料和问题。",
        "{manager} will go with you to {company} at {at} ({stage}). Prepare the account and your questions."}},
      {"notify.booking_created.group",
       {"陪访已约好：{manager} 与 {rep}，{at}，「{company}」（{stage}）。",
        "Accompanied visit booked: {manager} with {rep}, {at}, {company} ({stage})."}},
      {"notify.booking_changed",
       {"陪访有变动：{manager} 与 {rep} 陪访「{company}」，现在是 {at}（{stage}）。",
        "Accompanied visit changed: {manager} with {rep} at {company}, now {at} ({stage})."}},
      {"notify.booking_cancelled",
       {"陪访已取消：{manager} 与 {rep} 原定 {at} 陪访「{company}」。",
        "Accompanied visit cancelled: {manager} with {rep} at {company}, was {at}."}},
      {"notify.target.deal", {"签单", "deal"}},
      {"notify.target.review", {"晚分享", "evening share"}},
      {"notify.target.review_short", {"晚分享", "share"}},
      {"notify.feed_comment.personal",
       {"{who} 评论了你的{target}：「{body}」", "{who} commented on your {target}: \"{body}\""}},
      {"notify.feed_comment.group",
       {"{who} 评论了 {rep} 的{target}：「{body}」", "{who} commented on {rep}'s {target}: \"{body}\""}},
      {"notify.feed_like.personal",
       {"{who} 给你的{target}点了赞，继续加油！", "{who} liked your {target}. Keep it up!"}},
      {"notify.feed_like.group", {"{who} 给 {rep} 的{target}点了赞。", "{who} liked {rep}'s {target}."}},
      {"notify.pool_release_soon.personal",
       {"你有 {count} 家客户很久没拜访，{days} 天内将释放到公海：{names}。想留住就尽快去拜访。",
        "You have {count} customer(s) unvisited for long that go back to the public pool within {days} day(s): "
        "{names}. Visit them to keep them."}},
      {"notify.pool_release_soon.group",
       {"{rep} 有 {count} 家客户很久没拜访，{days} 天内将释放到公海：{names}。想留住就尽快去拜访。",
        "{rep} has {count} customer(s) unvisited for long that go back to the public pool within {days} day(s): "
        "{names}. Visit them to keep them."}},
      {"notify.nurture_due.personal",
       {"有 {count} 家培养客户到了约定的回访日：{names}。今天联系一下，看看时机是否成熟。",
        "You have {count} nurtured customer(s) due for a revisit: {names}. Get in touch today and see whether the time "
        "is right."}},
      {"notify.nurture_due.group",
       {"{rep} 有 {count} 家培养客户到了约定的回访日：{names}。今天联系一下，看看时机是否成熟。",
        "{rep} has {count} nurtured customer(s) due for a revisit: {names}. Get in touch today and see whether the "
        "time "
        "is right."}},
      {"notify.behind_pace_words.personal",
       {"你的目标进度落后于节奏{detail}。今天多跑几家新客户，把节奏追回来。",
        "You are behind pace on a target{detail}. Add a few new-customer visits today to catch up."}},
      {"notify.behind_pace_words.group",
       {"{rep} 的目标进度落后于节奏{detail}。今天多跑几家新客户，把节奏追回来。",
        "{rep} is behind pace on a target{detail}. Add a few new-customer visits today to catch up."}},
      {"notify.behind_pace.personal",
       {"你的目标「{target}」进度落后：完成 {actual} / {value}。今天多跑几家新客户，把节奏追回来。",
        "Your target \"{target}\" is behind pace: {actual} of {value}. Add a few new-customer visits today to catch "
        "up."}},
      {"notify.behind_pace.group",
       {"{rep} 的目标「{target}」进度落后：完成 {actual} / {value}。今天多跑几家新客户，把节奏追回来。",
        "{rep}'s target \"{target}\" is behind pace: {actual} of {value}. Add a few new-customer visits today to catch "
        "up."}},
      {"notify.duplicate_attempt.personal",
       {"{who} 刚才想新建客户「{company}」，它已经是你的客户。尽快跟进，别让客户被撞单。",
        "{who} just tried to create {company}, which is already your customer. Follow up soon so nobody else works "
        "it."}},
      {"notify.duplicate_attempt.group",
       {"撞单：{who} 想新建「{company}」，它已是 {rep} 的客户。",
        "Duplicate: {who} tried to create {company}, already {rep}'s customer."}},
      {"notify.nudge", {"{manager} 提醒你：{message}", "{manager} nudges you: {message}"}},
      {"notify.nudge_default", {"请看一下这条提醒并尽快处理。", "please look at this alert and act on it soon."}},
      {"notify.default", {"你有一条新通知。", "You have a new notification."}},
      {"notify.view_in_tiejun", {"在铁军中查看", "View in Tiejun"}},
      // the alert kinds as a nudge explains them (notify_api.cpp)
      {"alert_text.time_sink_last_month",
       {"这家客户上个月就在跟，这个月还在反复拜访，是时间黑洞：该签就签，该放就放。",
        "this customer has taken your time since last month: sign it or drop it."}},
      {"alert_text.sign_or_drop",
       {"买单人已见过两次还没签，要么推动签约，要么放弃。", "you met the payer twice without signing: close or drop."}},
      {"alert_text.not_effective",
       {"拜访三次还没确认需求和预算，下次拜访把这两件事问清楚。",
        "three visits and need or budget still unknown: settle them on the next visit."}},
      {"alert_text.find_payer",
       {"拜访三次还没见到买单人，先找到能拍板的人。", "three visits without meeting the payer: find who decides."}},
      {"alert_text.nurture_due",
       {"培养客户到了回访日，今天联系一下。", "a nurtured customer is due for a revisit: get in touch today."}},
      {"alert_text.low_new_share",
       {"花在新客户上的时间太少了，把八成时间留给新客户。", "too little time on new customers: give them 80% of it."}},
      {"alert_text.below_quota",
       {"今天的新客户拜访量不够，抓紧时间多跑几家。", "below today's new-customer quota: fit in a few more visits."}},
      {"alert_text.behind_pace", {"目标进度落后，调整节奏追上来。", "behind pace on your target: pick up the rhythm."}},
      {"alert_text.pool_release_soon",
       {"客户快要释放到公海了，尽快去拜访。", "a customer is about to go back to the pool: visit it soon."}},
      {"alert_text.harvest_window", {"收获窗口到了，抓紧推动签约。", "it's harvest time: push for the signature."}},
      // the alert kinds as the team digest names them (notify.cpp)
      {"alert_label.time_sink_last_month", {"时间黑洞", "time sinks"}},
      {"alert_label.sign_or_drop", {"该签或该放", "sign or drop"}},
      {"alert_label.not_effective", {"需求预算未明", "need/budget unclear"}},
      {"alert_label.find_payer", {"未见买单人", "payer not met"}},
      {"alert_label.nurture_due", {"培养待回访", "nurture revisits"}},
      {"alert_label.low_new_share", {"新客户时间不足", "too little on new"}},
      {"alert_label.below_quota", {"拜访量不足", "below quota"}},
      {"alert_label.behind_pace", {"进度落后", "behind pace"}},
      {"alert_label.pool_release_soon", {"将释放公海", "going to the pool"}},
      {"alert_label.harvest_window", {"收获窗口", "harvest window"}},
      // the export's column headers (export.cpp)
      {"export_column.id", {"编号", "id"}},
      {"export_column.name", {"公司名称", "name"}},
      {"export_column.industry", {"行业", "industry"}},
      {"export_column.industry_rank", {"行业排名", "industry_rank"}},
      {"export_column.region", {"地区", "region"}},
      {"export_column.budget_capacity", {"预算（元）", "budget_capacity (yuan)"}},
      {"export_column.source", {"来源", "source"}},
      {"export_column.competitor", {"竞品", "competitor"}},
      {"export_column.owner", {"负责人", "owner"}},
      {"export_column.status", {"状态", "status"}},
      {"export_column.has_need", {"有需求", "has_need"}},
      {"export_column.has_budget", {"有预算", "has_budget"}},
      {"export_column.payer_met", {"见过买单人", "payer_met"}},
      {"export_column.effective_at", {"有效时间", "effective_at"}},
      {"export_column.signed_at", {"签约时间", "signed_at"}},
      {"export_column.visit_count", {"拜访次数", "visit_count"}},
      {"export_column.last_visit_at", {"最近拜访", "last_visit_at"}},
      {"export_column.interest_reason", {"感兴趣原因", "interest_reason"}},
      {"export_column.attraction", {"吸引点", "attraction"}},
      {"export_column.concerns", {"顾虑", "concerns"}},
      {"export_column.nurture_reason", {"培养原因", "nurture_reason"}},
      {"export_column.revisit_on", {"回访日期", "revisit_on"}},
      {"export_column.drop_reason", {"放弃原因", "drop_reason"}},
      {"export_column.created_at", {"创建时间", "created_at"}},
      {"export_column.competitor_contract_end", {"竞品合同到期", "competitor_contract_end"}},
      {"export_column.company_id", {"公司编号", "company_id"}},
      {"export_column.company", {"公司名称", "company"}},
      {"export_column.contact_name", {"联系人", "contact_name"}},
      {"export_column.contact_title", {"职务", "contact_title"}},
      {"export_column.contact_is_payer", {"是否买单人", "contact_is_payer"}},
      {"export_column.contact_style", {"领导风格", "contact_style"}},
      {"export_column.contact_phone", {"电话", "contact_phone"}},
      {"export_column.at", {"时间", "at"}},
      {"export_column.day", {"日期", "day"}},
      {"export_column.kind", {"方式", "kind"}},
      {"export_column.visited_by", {"拜访人", "visited_by"}},
      {"export_column.duration_min", {"时长（分钟）", "duration_min"}},
      {"export_column.met_payer", {"见到买单人", "met_payer"}},
      {"export_column.made_effective", {"成为有效", "made_effective"}},
      {"export_column.companion", {"陪访主管", "companion"}},
      {"export_column.coaching_stage", {"辅导阶段", "coaching_stage"}},
      {"export_column.notes", {"备注", "notes"}},
      {"export_column.amount", {"金额（元）", "amount (yuan)"}},
      {"export_column.signed_on", {"签约日期", "signed_on"}},
      {"export_column.signed_by", {"签单销售", "signed_by"}},
      // lists in running text: a, b, c (list.sep); need and budget (list.and)
      {"list.sep", {"、", ", "}},
      {"list.and", {"、", " and "}},
      // the importer's reasons for a rejected cell (importer.cpp): {label} is the column as the
      // file names it, {cell} the cell quoted
      {"import.reason", {"{label}：{reason}", "{label}: {reason}"}},
      {"import.name_empty",
       {"{label}：为空；每一行都要有公司名称", "{label}: empty; every row needs the company name"}},
      {"import.too_long", {"{label}：超过 {max} 个字", "{label}: longer than {max} characters"}},
      {"import.bad_rank",
       {"{label}：{cell} 不是 1 到 1000000 之间的整数", "{label}: {cell} is not a whole number from 1 to 1000000"}},
      {"import.bad_money", {"{label}：{cell} {why}", "{label}: {cell} {why}"}},
      // io::parse_money's three reasons (English, from the io layer) as Chinese readers read them
      {"import.money.not_amount", {"不是金额（例如 12345.67、1,200、¥800 或 50万）", "is not an amount"}},
      {"import.money.out_of_range", {"超出范围", "is out of range"}},
      {"import.money.negative", {"不能为负数", "must not be negative"}},
      {"import.bad_date",
       {"{label}：{cell} 不是日期（例如 2027-03-01）", "{label}: {cell} is not a date (e.g. 2027-03-01)"}},
      {"import.bad_bool",
       {"{label}：{cell} 不是 是/否（Y/N、true/false、1/0）", "{label}: {cell} is not 是/否 (Y/N, true/false, 1/0)"}},
      {"import.bad_style",
       {"{label}：{cell} 不是 支配型、分析型、友善型、表现型 之一",
        "{label}: {cell} is not one of driver, analytical, amiable, expressive"}},
      {"import.contact_name_empty",
       {"{label}：为空，但这一行有联系人信息", "{label}: empty, but the row has contact details"}},
      {"import.in_pool", {"这家公司在公海里：请先认领", "the company is in the public pool (公海): claim it first"}},
      {"import.in_pool_or_owner",
       {"这家公司在公海里：请先认领，或指定负责人",
        "the company is in the public pool (公海): claim it first, or give it an owner"}},
      // an industry not on the organisation's list (vocab.cpp); {names} the nearest, joined by list.sep
      {"industry.unknown_near",
       {"未知行业「{input}」，最接近的是：{names}", "unknown industry \"{input}\"; nearest: {names}"}},
      {"industry.unknown_empty",
       {"未知行业「{input}」（行业列表为空）", "unknown industry \"{input}\" (the industry list is empty)"}},
      {"import.name_matches_several",
       {"名称对应 {n} 家公司（编号 {ids}）；请先合并，或手工录入这一行",
        "the name matches {n} companies (ids {ids}); merge them or import the row by hand"}},
  };
  return c;
}
}  // namespace

std::string tr(std::string_view key, bool zh, const i18n::Args& args) { return i18n::text(catalog(), key, zh, args); }

std::string tr_or(std::string_view key, bool zh, const std::string& fallback) {
  const std::string* t = i18n::find(catalog(), key, zh);
  return t ? *t : fallback;
}

std::string join_list(const std::vector<std::string>& parts, bool zh, std::string_view sep_key) {
  std::string out, sep = tr(sep_key, zh);
  for (auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string status_name(CompanyStatus s, bool zh) { return tr(std::string("company_status.") + to_string(s), zh); }

std::string visit_kind_name(VisitKind k, bool zh) { return tr(std::string("visit_kind.") + to_string(k), zh); }

std::string yes_no(bool b, bool zh) { return tr(b ? "yes" : "no", zh); }

}  // namespace tj
