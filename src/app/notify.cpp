// Producing notifications: the events of SPEC §7 written in the caller's
// transaction as in-app notifications and outbox rows, and their texts.
#include "app/notify.h"

#include <sodium.h>

#include <set>

#include "app/internal.h"
#include "method/method.h"
#include "store/tx_notify.h"
#include "common/hex.h"
#include "common/utf8.h"

namespace tj::notify {

const std::vector<std::string>& channel_events() {
  static const std::vector<std::string> e = {"plan_missing",      "review_missing", "alert_digest",
                                             "booking",           "feed_reaction",  "pool_release_soon",
                                             "nurture_due",       "behind_pace",    "duplicate_attempt"};
  return e;
}
bool is_channel_event(const std::string& e) {
  for (auto& k : channel_events())
    if (k == e) return true;
  return false;
}

namespace {

std::string random_id() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  return hex::encode(b, sizeof b);
}

std::string p(const json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

// The team and every team above it (a channel of any of them takes the event).
std::set<Id> team_chain(Tx& tx, Id org, Id team) {
  std::set<Id> out;
  std::optional<Id> cur = team;
  while (cur && !out.count(*cur) && out.size() < 64) {
    out.insert(*cur);
    auto t = tx.get_team(org, *cur);
    cur = t ? t->parent_id : std::nullopt;
  }
  return out;
}

// A paused channel still takes its events: they wait, pending, until it is resumed.
bool takes(const ChannelRow& ch, const std::string& event) {
  if (!ch.events) return true;
  auto j = json::parse(*ch.events, nullptr, false);
  if (!j.is_array()) return true;
  for (auto& e : j)
    if (e.is_string() && e.get<std::string>() == event) return true;
  return false;
}

std::string alert_label(const std::string& k, bool zh) {
  struct L {
    const char *k, *zh, *en;
  };
  static const L ls[] = {{"time_sink_last_month", "时间黑洞", "time sinks"},
                         {"sign_or_drop", "该签或该放", "sign or drop"},
                         {"not_effective", "需求预算未明", "need/budget unclear"},
                         {"find_payer", "未见买单人", "payer not met"},
                         {"nurture_due", "培养待回访", "nurture revisits"},
                         {"low_new_share", "新客户时间不足", "too little on new"},
                         {"below_quota", "拜访量不足", "below quota"},
                         {"behind_pace", "进度落后", "behind pace"},
                         {"pool_release_soon", "将释放公海", "going to the pool"},
                         {"harvest_window", "收获窗口", "harvest window"}};
  for (auto& l : ls)
    if (k == l.k) return zh ? l.zh : l.en;
  return k;
}

}  // namespace

int emit(Tx& tx, Id org, const Event& e, Instant now) {
  NotifyTx nt(tx.conn());
  int written = 0;
  std::set<Id> seen;
  std::string params = e.params.dump();
  for (Id u : e.recipients) {
    if (u <= 0 || !seen.insert(u).second) continue;
    NotificationRow n;
    n.org_id = org;
    n.user_id = u;
    n.kind = e.kind;
    n.params = params;
    n.link = e.link;
    n.created_at = now;
    std::string key = !e.dedup_day.empty() ? e.kind + ":" + std::to_string(u) + ":" + e.dedup_day
                      : !e.dedup_key.empty() ? e.dedup_key + ":" + std::to_string(u)
                                             : "";
    if (nt.insert_notification(n, key)) written++;
  }
  if (!e.group || e.channel_event.empty()) return written;
  auto channels = nt.list_channels(org);
  if (channels.empty()) return written;
  std::set<Id> chain;
  if (e.team_id) chain = team_chain(tx, org, *e.team_id);
  std::string event_id;
  json payload;
  for (auto& ch : channels) {
    if (!takes(ch, e.channel_event)) continue;
    if (ch.team_id && !chain.count(*ch.team_id)) continue;
    if (event_id.empty()) {
      event_id = random_id();
      payload = {{"id", event_id},
                 {"event", e.channel_event},
                 {"kind", e.kind},
                 {"title", title(e.kind, true)},
                 {"text", render(e.kind, e.params, true, false)},
                 {"link", e.link},
                 {"created_at", now}};
    }
    DeliveryRow d;
    d.org_id = org;
    d.event_id = event_id;
    d.channel_id = ch.id;
    d.event = e.channel_event;
    d.payload = payload.dump();
    d.next_attempt_at = now;
    d.window_start = now;
    d.created_at = now;
    nt.insert_delivery(d);
  }
  return written;
}

std::string title(const std::string& k, bool zh) {
  struct T {
    const char *kind, *zh, *en;
  };
  static const T ts[] = {
      {"plan_missing", "早启动提醒", "Morning plan reminder"},
      {"plan_missing_digest", "早启动：计划未交", "Morning kick-off: plans missing"},
      {"review_missing", "晚分享提醒", "Evening share reminder"},
      {"review_missing_digest", "晚分享：分享未交", "Evening share: shares missing"},
      {"alert_digest", "今日团队提醒", "Today's team alerts"},
      {"booking_created", "陪访预约", "Accompanied visit booked"},
      {"booking_changed", "陪访改期", "Accompanied visit changed"},
      {"booking_cancelled", "陪访取消", "Accompanied visit cancelled"},
      {"feed_comment", "新评论", "New comment"},
      {"feed_like", "新点赞", "New like"},
      {"pool_release_soon", "客户即将释放到公海", "Customers about to go back to the pool"},
      {"nurture_due", "培养客户该回访了", "Nurture revisits due"},
      {"behind_pace", "目标进度落后", "Behind pace"},
      {"duplicate_attempt", "撞单提醒", "Someone tried to create your customer"},
      {"nudge", "经理提醒", "A nudge from your manager"},
  };
  for (auto& t : ts)
    if (k == t.kind) return zh ? t.zh : t.en;
  return zh ? "铁军通知" : "Tiejun notification";
}

std::string render(const std::string& k, const json& j, bool zh, bool personal) {
  auto who = p(j, "who"), company = p(j, "company"), at = p(j, "at"), rep = p(j, "rep"), mgr = p(j, "manager");
  auto names = p(j, "names"), count = p(j, "count"), body = p(j, "body"), stage = zh ? p(j, "stage_zh") : p(j, "stage_en");
  auto team = p(j, "team"), what = p(j, "target");
  if (k == "plan_missing")
    return personal ? (zh ? "早上好！今天的计划还没写。花五分钟定下今天要拜访的新客户和要推进的老客户，开个好头。"
                          : "Good morning! Today's plan isn't in yet. Take five minutes to list the new customers you'll "
                            "visit and the deals you'll move, and start strong.")
                    : (zh ? rep + " 今天的计划还没写，请尽快补上。" : rep + " has not written today's plan yet.");
  if (k == "plan_missing_digest")
    return zh ? (team.empty() ? "" : team + "：") + "早启动时间到，还有 " + count + " 位同学没交今日计划：" + names +
                    "。请提醒他们把今天的拜访安排写下来。"
              : (team.empty() ? "" : team + ": ") + count + " rep(s) have no plan for today yet: " + names +
                    ". Ask them to write down today's visits.";
  if (k == "review_missing")
    return personal ? (zh ? "今天辛苦了！晚分享还没写：拜访了谁、发现了什么、明天怎么做。写下来，团队一起进步。"
                          : "Good work today! Your evening share isn't in yet: whom you met, what you learned, what "
                            "you'll do tomorrow. Write it down so the team learns with you.")
                    : (zh ? rep + " 今天的晚分享还没写。" : rep + " has not written today's share yet.");
  if (k == "review_missing_digest")
    return zh ? (team.empty() ? "" : team + "：") + "晚分享时间到，还有 " + count + " 位同学没写今日分享：" + names + "。"
              : (team.empty() ? "" : team + ": ") + count + " rep(s) have not shared today yet: " + names + ".";
  if (k == "alert_digest") {
    std::string lines;
    if (j.contains("kinds") && j["kinds"].is_object())
      for (auto& [kind, n] : j["kinds"].items())
        lines += (lines.empty() ? "" : zh ? "、" : ", ") + alert_label(kind, zh) + " " + n.dump();
    return zh ? "今天团队有 " + count + " 条提醒（" + lines + "）。先处理时间黑洞和该签或该放的客户，再安排陪访。"
              : "Your team has " + count + " alert(s) today (" + lines +
                    "). Start with the time sinks and the sign-or-drop customers, then book accompanied visits.";
  }
  if (k == "booking_created") {
    if (personal && j.value("to_rep", false))
      return zh ? mgr + " 约你 " + at + " 一起陪访「" + company + "」（" + stage + "）。提前准备好客户资料和问题。"
                : mgr + " will go with you to " + company + " at " + at + " (" + stage + "). Prepare the account and "
                    "your questions.";
    return zh ? "陪访已约好：" + mgr + " 与 " + rep + "，" + at + "，「" + company + "」（" + stage + "）。"
              : "Accompanied visit booked: " + mgr + " with " + rep + ", " + at + ", " + company + " (" + stage + ").";
  }
  if (k == "booking_changed")
    return zh ? "陪访有变动：" + mgr + " 与 " + rep + " 陪访「" + company + "」，现在是 " + at + "（" + stage + "）。"
              : "Accompanied visit changed: " + mgr + " with " + rep + " at " + company + ", now " + at + " (" + stage + ").";
  if (k == "booking_cancelled")
    return zh ? "陪访已取消：" + mgr + " 与 " + rep + " 原定 " + at + " 陪访「" + company + "」。"
              : "Accompanied visit cancelled: " + mgr + " with " + rep + " at " + company + ", was " + at + ".";
  if (k == "feed_comment") {
    bool deal = p(j, "target_kind") == "deal";
    if (personal)
      return zh ? who + " 评论了你的" + (deal ? "签单" : "晚分享") + "：「" + body + "」"
                : who + " commented on your " + (deal ? "deal" : "evening share") + ": \"" + body + "\"";
    return zh ? who + " 评论了 " + rep + " 的" + (deal ? "签单" : "晚分享") + "：「" + body + "」"
              : who + " commented on " + rep + "'s " + (deal ? "deal" : "share") + ": \"" + body + "\"";
  }
  if (k == "feed_like") {
    bool deal = p(j, "target_kind") == "deal";
    if (personal)
      return zh ? who + " 给你的" + (deal ? "签单" : "晚分享") + "点了赞，继续加油！"
                : who + " liked your " + (deal ? "deal" : "evening share") + ". Keep it up!";
    return zh ? who + " 给 " + rep + " 的" + (deal ? "签单" : "晚分享") + "点了赞。"
              : who + " liked " + rep + "'s " + (deal ? "deal" : "share") + ".";
  }
  if (k == "pool_release_soon")
    return zh ? (personal ? std::string("你有 ") : rep + " 有 ") + count + " 家客户很久没拜访，" + p(j, "days") +
                    " 天内将释放到公海：" + names + "。想留住就尽快去拜访。"
              : (personal ? std::string("You have ") : rep + " has ") + count +
                    " customer(s) unvisited for long that go back to the public pool within " + p(j, "days") +
                    " day(s): " + names + ". Visit them to keep them.";
  if (k == "nurture_due")
    return zh ? (personal ? std::string("") : rep + " ") + "有 " + count + " 家培养客户到了约定的回访日：" + names +
                    "。今天联系一下，看看时机是否成熟。"
              : (personal ? std::string("You have ") : rep + " has ") + count +
                    " nurtured customer(s) due for a revisit: " + names + ". Get in touch today and see whether the time is right.";
  if (k == "behind_pace" && (p(j, "actual").empty() || p(j, "value").empty())) {
    std::string m = p(j, "alert_message");  // the alert's own words when it names no numbers
    return zh ? (personal ? std::string("你的") : rep + " 的") + "目标进度落后于节奏" + (m.empty() ? "" : "：" + m) +
                    "。今天多跑几家新客户，把节奏追回来。"
              : (personal ? std::string("You are") : rep + " is") + " behind pace on a target" + (m.empty() ? "" : ": " + m) +
                    ". Add a few new-customer visits today to catch up.";
  }
  if (k == "behind_pace")
    return zh ? (personal ? std::string("你的") : rep + " 的") + "目标「" + what + "」进度落后：完成 " + p(j, "actual") +
                    " / " + p(j, "value") + "。今天多跑几家新客户，把节奏追回来。"
              : (personal ? std::string("Your") : rep + "'s") + " target \"" + what + "\" is behind pace: " +
                    p(j, "actual") + " of " + p(j, "value") + ". Add a few new-customer visits today to catch up.";
  if (k == "duplicate_attempt")
    return personal ? (zh ? who + " 刚才想新建客户「" + company + "」，它已经是你的客户。尽快跟进，别让客户被撞单。"
                          : who + " just tried to create " + company + ", which is already your customer. Follow up "
                              "soon so nobody else works it.")
                    : (zh ? "撞单：" + who + " 想新建「" + company + "」，它已是 " + rep + " 的客户。"
                          : "Duplicate: " + who + " tried to create " + company + ", already " + rep + "'s customer.");
  if (k == "nudge") {
    std::string m = zh ? p(j, "message_zh") : p(j, "message_en");
    return zh ? mgr + " 提醒你：" + (m.empty() ? "请看一下这条提醒并尽快处理。" : m)
              : mgr + " nudges you: " + (m.empty() ? "please look at this alert and act on it soon." : m);
  }
  return zh ? "你有一条新通知。" : "You have a new notification.";
}

namespace {
// "2026-12-08 14:00" in the organisation's zone.
std::string local_minute(Tx& tx, Id org, Instant t) {
  auto tz = TimeZone::get(detail::org_tz(tx, org));
  int64_t off = tz ? tz->offset_at(t) : 0;
  int64_t local = t + off;
  int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t sec = local - day * 86400;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", int(sec / 3600), int(sec / 60 % 60));
  return format_date(civil_from_days(day)) + " " + buf;
}
}  // namespace

void booking_event(Tx& tx, Id org, const BookingRow& r, const std::string& kind, Instant now) {
  const Booking& b = r.b;
  auto rep = tx.get_user(org, b.rep_id);
  json params = {{"manager", r.manager_name},
                 {"rep", r.rep_name},
                 {"company", r.company_name},
                 {"at", local_minute(tx, org, b.at)},
                 {"stage_zh", method::coaching_stage_name(int(b.stage), true)},
                 {"stage_en", method::coaching_stage_name(int(b.stage), false)},
                 {"booking_id", b.id}};
  // The rep's note is personal ("X will go with you"); the manager's is the confirmation.
  Event to_rep;
  to_rep.kind = kind;
  to_rep.channel_event = "booking";
  to_rep.params = params;
  to_rep.params["to_rep"] = true;
  to_rep.link = "/today";
  to_rep.recipients = {b.rep_id};
  to_rep.team_id = rep ? rep->team_id : std::nullopt;
  emit(tx, org, to_rep, now);
  if (b.manager_id != b.rep_id) {
    Event to_mgr = to_rep;
    to_mgr.params = params;
    to_mgr.link = "/team";
    to_mgr.recipients = {b.manager_id};
    to_mgr.group = false;  // one group post per booking
    emit(tx, org, to_mgr, now);
  }
}

void feed_reaction(Tx& tx, const Actor& a, const std::string& target_kind, Id target, const std::string* body,
                   Instant now) {
  Id author = 0;
  if (target_kind == "review") {
    auto r = tx.get_review_by_id(a.org(), target);
    if (r) author = r->rep_id;
  } else if (target_kind == "deal") {
    auto d = tx.get_deal(a.org(), target);
    if (d) author = d->rep_id;
  }
  if (!author || author == a.user.id) return;
  auto u = tx.get_user(a.org(), author);
  if (!u || !u->active) return;
  Event e;
  e.kind = body ? "feed_comment" : "feed_like";
  e.channel_event = "feed_reaction";
  e.params = {{"who", a.user.display_name}, {"rep", u->display_name}, {"target_kind", target_kind}, {"target_id", target}};
  if (body) {
    e.params["body"] = utf8::cut_bytes(*body, 200);
  }
  else e.dedup_key = "feed_like:" + target_kind + ":" + std::to_string(target) + ":" + std::to_string(a.user.id);
  e.link = "/today";
  e.recipients = {author};
  e.team_id = u->team_id;
  emit(tx, a.org(), e, now);
}

void notify_duplicate_attempt(Tx& tx, Id org, const Company& company, const User& attempted_by, Instant now) {
  if (!company.owner_id || *company.owner_id == attempted_by.id) return;
  auto owner = tx.get_user(org, *company.owner_id);
  if (!owner || !owner->active) return;
  Event e;
  e.kind = "duplicate_attempt";
  e.channel_event = "duplicate_attempt";
  e.params = {{"who", attempted_by.display_name}, {"company", company.name}, {"rep", owner->display_name}};
  e.link = "/customers/" + std::to_string(company.id);
  e.recipients = {owner->id};
  e.team_id = owner->team_id;
  emit(tx, org, e, now);
}

}  // namespace tj::notify
