// Producing notifications: the events of SPEC §7 written in the caller's
// transaction as in-app notifications and outbox rows, and their texts.
#include "app/notify.h"

#include <sodium.h>

#include <set>

#include "app/internal.h"
#include "app/messages.h"
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

std::string alert_label(const std::string& k, bool zh) { return tr_or("alert_label." + k, zh, k); }

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
  return tr_or("notify_title." + k, zh, tr("notify_title.default", zh));
}

// Each kind's text is a message (messages.cpp: notify.*) filled from the params stored with
// the notification; the personal form speaks to its reader, the group form names the rep.
std::string render(const std::string& k, const json& j, bool zh, bool personal) {
  i18n::Args args;
  for (const char* name :
       {"who", "company", "at", "rep", "manager", "names", "count", "body", "days", "actual", "value"})
    args.emplace_back(name, p(j, name));
  args.emplace_back("stage", i18n::pick(zh, p(j, "stage_zh"), p(j, "stage_en")));
  args.emplace_back("target", p(j, "target"));
  auto set = [&](const char* name, std::string value) {
    for (auto& [n, v] : args)
      if (n == name) {
        v = std::move(value);
        return;
      }
    args.emplace_back(name, std::move(value));
  };
  auto text = [&](const std::string& key) { return tr(key, zh, args); };
  auto form = [&](const std::string& kind) { return text("notify." + kind + (personal ? ".personal" : ".group")); };
  if (k == "plan_missing" || k == "review_missing") return form(k);
  if (k == "plan_missing_digest" || k == "review_missing_digest") {
    std::string team = p(j, "team");
    set("team_prefix", team.empty() ? "" : tr("notify.team_prefix", zh, {{"team", team}}));
    return text("notify." + k);
  }
  if (k == "alert_digest") {
    std::vector<std::string> kinds;
    if (j.contains("kinds") && j["kinds"].is_object())
      for (auto& [kind, n] : j["kinds"].items()) kinds.push_back(alert_label(kind, zh) + " " + n.dump());
    set("kinds", join_list(kinds, zh));
    return text("notify.alert_digest");
  }
  if (k == "booking_created")
    return text(personal && j.value("to_rep", false) ? "notify.booking_created.personal"
                                                     : "notify.booking_created.group");
  if (k == "booking_changed" || k == "booking_cancelled") return text("notify." + k);
  if (k == "feed_comment" || k == "feed_like") {
    bool deal = p(j, "target_kind") == "deal";
    set("target", tr(deal       ? "notify.target.deal"
                     : personal ? "notify.target.review"
                                : "notify.target.review_short",
                     zh));
    return form(k);
  }
  if (k == "pool_release_soon" || k == "nurture_due" || k == "duplicate_attempt") return form(k);
  if (k == "behind_pace" && (p(j, "actual").empty() || p(j, "value").empty())) {
    std::string m = p(j, "alert_message");  // the alert's own words when it names no numbers
    set("detail", m.empty() ? "" : tr("notify.detail", zh, {{"detail", m}}));
    return form("behind_pace_words");
  }
  if (k == "behind_pace") return form(k);
  if (k == "nudge") {
    std::string m = i18n::pick(zh, p(j, "message_zh"), p(j, "message_en"));
    set("message", m.empty() ? tr("notify.nudge_default", zh) : m);
    return text("notify.nudge");
  }
  return tr("notify.default", zh);
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
