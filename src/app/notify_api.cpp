// Notifications use cases (SPEC §6, §7): the bell (a user's own notifications),
// channels and deliveries (admins), nudges (managers), and the scheduled
// reminders run inside `tiejun serve` (and by `tiejun jobs remind --at`).
#include <set>

#include "app/roles.h"
#include "app/delivery.h"
#include "app/internal.h"
#include "app/messages.h"
#include "app/notify.h"
#include "store/tx_notify.h"

namespace tj {
using namespace detail;

namespace {

constexpr const char* kAlertKinds[] = {"time_sink_last_month", "sign_or_drop", "not_effective", "find_payer",
                                       "nurture_due",          "low_new_share", "below_quota", "behind_pace",
                                       "pool_release_soon",    "harvest_window"};
bool is_alert_kind(const std::string& k) {
  for (auto a : kAlertKinds)
    if (k == a) return true;
  return false;
}
std::string alert_text(const std::string& k, bool zh) { return tr_or("alert_text." + k, zh, ""); }

// The URL without its secrets: query values (access_token, key) cut to their last 4 characters.
std::string masked_url(const std::string& url) {
  auto q = url.find('?');
  if (q == std::string::npos) return url;
  std::string out = url.substr(0, q + 1);
  size_t i = q + 1;
  while (i <= url.size()) {
    size_t amp = url.find('&', i);
    if (amp == std::string::npos) amp = url.size();
    std::string part = url.substr(i, amp - i);
    auto eq = part.find('=');
    if (eq != std::string::npos) {
      std::string v = part.substr(eq + 1);
      part = part.substr(0, eq + 1) + (v.size() > 8 ? "…" + v.substr(v.size() - 4) : "…");
    }
    out += part;
    if (amp < url.size()) out += '&';
    i = amp + 1;
  }
  return out;
}

json channel_json(const ChannelRow& c, const std::string& tz) {
  json events = nullptr;
  if (c.events) {
    auto j = json::parse(*c.events, nullptr, false);
    if (j.is_array()) events = j;
  }
  return {{"id", c.id},          {"kind", c.kind},       {"name", c.name},
          {"url", masked_url(c.url)}, {"team_id", null_or(c.team_id)}, {"events", events},
          {"active", c.active},  {"has_secret", !c.secret.empty()}, {"version", c.version},
          {"created_at", opt_iso(c.created_at, tz)}, {"updated_at", opt_iso(c.updated_at, tz)}};
}

json delivery_json(const DeliveryRow& d, const std::string& tz) {
  auto p = json::parse(d.payload, nullptr, false);
  if (!p.is_object()) p = json::object();
  return {{"id", d.id},
          {"event_id", d.event_id},
          {"channel_id", d.channel_id},
          {"event", d.event},
          {"kind", p.value("kind", "")},
          {"title", p.value("title", "")},
          {"text", p.value("text", "")},
          {"status", d.status},
          {"attempts", d.attempts},
          {"last_error", d.last_error},
          {"next_attempt_at", d.status == "pending" ? opt_iso(d.next_attempt_at, tz) : json(nullptr)},
          {"created_at", opt_iso(d.created_at, tz)},
          {"sent_at", opt_iso(d.sent_at, tz)}};
}

Result<std::optional<bool>> q_bool(const Query& q, const char* k) {
  auto it = q.find(k);
  if (it == q.end()) return std::optional<bool>();
  if (it->second == "true" || it->second == "1") return std::optional<bool>(true);
  if (it->second == "false" || it->second == "0") return std::optional<bool>(false);
  return field_error(k, "must be true or false");
}

Result<Id> page_cursor(const Query& q) {
  auto it = q.find("cursor");
  if (it == q.end() || it->second.empty()) return Id(0);
  auto c = decode_cursor(it->second);
  if (!c || !c->is_object() || !c->contains("id") || !(*c)["id"].is_number_integer() || (*c)["id"].get<int64_t>() < 1)
    return field_error("cursor", "is not a cursor this list gave");
  return (*c)["id"].get<Id>();
}

// Validates the channel fields of a create (all) or a patch (present ones) into ch.
Status read_channel(Tx& tx, const Actor& a, const Fields& f, const json& body, bool create, ChannelRow& ch,
                    std::optional<std::string>& new_secret) {
  TRY_ASSIGN(auto kind, f.opt_str("kind", 20));
  if (create && !kind) return field_error("kind", "is required: dingtalk, wecom or webhook");
  if (kind) {
    if (*kind != "dingtalk" && *kind != "wecom" && *kind != "webhook")
      return field_error("kind", "must be dingtalk, wecom or webhook");
    ch.kind = *kind;
  }
  TRY_ASSIGN(auto url, f.opt_str("url", 2000));
  if (create && !url) return field_error("url", "is required");
  if (url) ch.url = *url;
  if (url || kind) {
    const std::string& u = ch.url;
    bool http = u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0;
    if (!http || u.size() < 12 || u.find_first_of(" \t\r\n\"<>\\") != std::string::npos)
      return field_error("url", "must be an http(s) URL");
    if (ch.kind == "dingtalk" && u.find("access_token=") == std::string::npos)
      return field_error("url", "a DingTalk robot URL carries access_token=… (the robot's webhook address)");
    if (ch.kind == "wecom" && u.find("key=") == std::string::npos)
      return field_error("url", "a WeCom robot URL carries key=… (the robot's webhook address)");
  }
  TRY_ASSIGN(auto name, f.opt_str("name", 100));
  if (name) ch.name = *name;
  TRY_ASSIGN(auto secret, f.opt_str("secret", 200));
  if (secret) new_secret = *secret;
  if (f.present("secret") && !f.has("secret")) new_secret = std::string();  // null clears it
  bool has_secret = new_secret ? !new_secret->empty() : !ch.secret.empty();
  if (ch.kind == "webhook" && !has_secret) return field_error("secret", "a webhook needs a secret to sign its messages");
  if (f.present("team_id")) {
    if (f.has("team_id")) {
      TRY_ASSIGN(auto team, f.integer("team_id", 1, INT64_MAX));
      if (!tx.get_team(a.org(), team)) return field_error("team_id", "no such team");
      ch.team_id = team;
    } else {
      ch.team_id.reset();
    }
  }
  if (f.present("events")) {
    const json& e = body.at("events");
    if (e.is_null()) {
      ch.events.reset();
    } else {
      if (!e.is_array() || e.empty() || e.size() > 20) return field_error("events", "must be a non-empty list of events or null");
      std::set<std::string> seen;
      json out = json::array();
      for (auto& x : e) {
        if (!x.is_string() || !notify::is_channel_event(x.get<std::string>()))
          return field_error("events", "must name events among plan_missing, review_missing, alert_digest, booking, "
                                       "feed_reaction, pool_release_soon, nurture_due, behind_pace, duplicate_attempt");
        if (seen.insert(x.get<std::string>()).second) out.push_back(x);
      }
      ch.events = out.dump();
    }
  }
  TRY_ASSIGN(auto active, f.opt_bool("active"));
  if (active) ch.active = *active;
  return ok_status();
}

}  // namespace

// ---------------------------------------------------------------- the bell

Result<json> App::list_notifications(const Actor& a, const Query& q) {
  TRY(q_only(q, {"unread", "limit", "cursor"}));
  TRY_ASSIGN(auto unread, q_bool(q, "unread"));
  TRY_ASSIGN(auto limit, q_int(q, "limit", 1, 100));
  TRY_ASSIGN(Id before, page_cursor(q));
  int n = int(limit.value_or(20));
  json items = json::array(), next = nullptr;
  int64_t count = 0;
  TRY(store_.read([&](Tx& tx) -> Status {
    items = json::array();
    next = nullptr;
    NotifyTx nt(tx.conn());
    auto tz = org_tz(tx, a.org());
    auto rows = nt.list_notifications(a.org(), a.user.id, unread.value_or(false), before, n + 1);
    bool more = int(rows.size()) > n;
    if (more) rows.pop_back();
    for (auto& r : rows) {
      auto p = json::parse(r.params, nullptr, false);
      if (!p.is_object()) p = json::object();
      items.push_back({{"id", r.id},
                       {"kind", r.kind},
                       {"title", notify::title(r.kind, a.zh)},
                       {"message", notify::render(r.kind, p, a.zh, true)},
                       {"link", r.link},
                       {"created_at", opt_iso(r.created_at, tz)},
                       {"read_at", opt_iso(r.read_at, tz)}});
    }
    if (more && !rows.empty()) next = encode_cursor(json{{"id", rows.back().id}});
    count = nt.unread_count(a.org(), a.user.id);
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", next}, {"unread_count", count}};
}

Status App::read_notifications(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"ids", "all"}));
  TRY_ASSIGN(auto all, f.opt_bool("all"));
  std::vector<Id> ids;
  if (f.has("ids")) {
    const json& j = body.at("ids");
    if (!j.is_array() || j.size() > 500) return field_error("ids", "must be a list of at most 500 notification ids");
    for (auto& x : j) {
      if (!x.is_number_integer() || x.get<int64_t>() < 1) return field_error("ids", "must be a list of notification ids");
      ids.push_back(x.get<Id>());
    }
  }
  if (all && !*all) return field_error("all", "must be true when given");
  if (!all && !f.has("ids")) return field_error("ids", "give ids, or all: true");
  if (all && f.has("ids")) return field_error("ids", "give ids or all: true, not both");
  auto now = clock_.now();
  return store_.write([&](Tx& tx) -> Status {
    NotifyTx(tx.conn()).mark_read(a.org(), a.user.id, ids, all.value_or(false), now);
    return ok_status();
  });
}

// ---------------------------------------------------------------- channels

Result<json> App::list_channels(const Actor& a, const Query& q) {
  TRY(q_only(q, {}));
  if (!allows(roles::kChannels, a.user.role)) return refusal(roles::kChannels);
  json items = json::array();
  TRY(store_.read([&](Tx& tx) -> Status {
    items = json::array();
    auto tz = org_tz(tx, a.org());
    for (auto& c : NotifyTx(tx.conn()).list_channels(a.org())) items.push_back(channel_json(c, tz));
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> App::create_channel(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"kind", "name", "url", "secret", "team_id", "events", "active"}));
  if (!allows(roles::kChannels, a.user.role)) return refusal(roles::kChannels);
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    ChannelRow ch;
    ch.org_id = a.org();
    std::optional<std::string> secret;
    TRY(read_channel(tx, a, f, body, true, ch, secret));
    ch.secret = secret && !secret->empty() ? notify::seal(*secret) : "";
    ch.created_at = ch.updated_at = now;
    NotifyTx nt(tx.conn());
    ch.id = nt.insert_channel(ch);
    out = channel_json(ch, org_tz(tx, a.org()));
    json aud = out;
    aud.erase("url");  // the URL of a robot is a credential too: the audit log keeps neither
    audit(tx, a, now, "create", "channel", ch.id, nullptr, aud);
    return ok_status();
  }));
  return out;
}

Result<json> App::patch_channel(const Actor& a, Id id, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"kind", "name", "url", "secret", "team_id", "events", "active", "version"}));
  if (!allows(roles::kChannels, a.user.role)) return refusal(roles::kChannels);
  TRY_ASSIGN(auto version, f.opt_int("version", 1, INT64_MAX));
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    NotifyTx nt(tx.conn());
    auto cur = nt.get_channel(a.org(), id);
    if (!cur) return not_found("channel");
    if (version && *version != cur->version) return stale("the channel");
    ChannelRow ch = *cur;
    std::optional<std::string> secret;
    TRY(read_channel(tx, a, f, body, false, ch, secret));
    if (secret) ch.secret = secret->empty() ? "" : notify::seal(*secret);
    ch.updated_at = now;
    if (!nt.update_channel(ch, cur->version)) return stale("the channel");
    ch.version = cur->version + 1;
    auto tz = org_tz(tx, a.org());
    out = channel_json(ch, tz);
    json old = channel_json(*cur, tz), neu = out;
    old.erase("url");
    neu.erase("url");
    neu["url_changed"] = ch.url != cur->url;
    neu["secret_changed"] = secret.has_value();
    audit(tx, a, now, "update", "channel", id, old, neu);
    return ok_status();
  }));
  return out;
}

Status App::delete_channel(const Actor& a, Id id) {
  if (!allows(roles::kChannels, a.user.role)) return refusal(roles::kChannels);
  auto now = clock_.now();
  return store_.write([&](Tx& tx) -> Status {
    if (!NotifyTx(tx.conn()).delete_channel(a.org(), id, now)) return not_found("channel");
    audit(tx, a, now, "delete", "channel", id, nullptr, nullptr);
    return ok_status();
  });
}

// ---------------------------------------------------------------- deliveries

Result<json> App::list_deliveries(const Actor& a, const Query& q) {
  TRY(q_only(q, {"channel_id", "status", "limit", "cursor"}));
  TRY_ASSIGN(auto channel, q_int(q, "channel_id", 1, INT64_MAX));
  TRY_ASSIGN(auto limit, q_int(q, "limit", 1, 200));
  TRY_ASSIGN(Id before, page_cursor(q));
  std::string status;
  if (auto it = q.find("status"); it != q.end()) {
    status = it->second;
    if (status != "pending" && status != "sent" && status != "dead") return field_error("status", "must be pending, sent or dead");
  }
  if (!allows(roles::kChannels, a.user.role)) return refusal(roles::kChannels);
  int n = int(limit.value_or(50));
  json items = json::array(), next = nullptr;
  TRY(store_.read([&](Tx& tx) -> Status {
    items = json::array();
    next = nullptr;
    auto tz = org_tz(tx, a.org());
    auto rows = NotifyTx(tx.conn()).list_deliveries(a.org(), channel, status, before, n + 1);
    bool more = int(rows.size()) > n;
    if (more) rows.pop_back();
    for (auto& d : rows) items.push_back(delivery_json(d, tz));
    if (more && !rows.empty()) next = encode_cursor(json{{"id", rows.back().id}});
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", next}};
}

Result<json> App::retry_delivery(const Actor& a, Id id) {
  if (!allows(roles::kChannels, a.user.role)) return refusal(roles::kChannels);
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    NotifyTx nt(tx.conn());
    auto d = nt.get_delivery(a.org(), id);
    if (!d) return not_found("delivery");
    if (d->status == "sent") return conflict("already_sent", "this delivery was sent; the receiver has it");
    if (!nt.retry_delivery(a.org(), id, now)) return conflict("channel_deleted", "the channel of this delivery was deleted");
    out = delivery_json(*nt.get_delivery(a.org(), id), org_tz(tx, a.org()));
    audit(tx, a, now, "retry", "delivery", id, json{{"status", d->status}}, json{{"status", "pending"}});
    return ok_status();
  }));
  return out;
}

// ---------------------------------------------------------------- nudges

Result<json> App::nudge(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"rep_id", "kind", "company_id"}));
  if (!allows(roles::kNudge, a.user.role)) return refusal(roles::kNudge);
  TRY_ASSIGN(Id rep_id, f.integer("rep_id", 1, INT64_MAX));
  TRY_ASSIGN(std::string kind, f.str("kind", true, 40));
  TRY_ASSIGN(auto company_id, f.opt_int("company_id", 1, INT64_MAX));
  if (!is_alert_kind(kind)) return field_error("kind", "must be an alert kind (e.g. sign_or_drop, find_payer, below_quota)");
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    auto rep = tx.get_user(a.org(), rep_id);
    if (!rep || !rep->active || rep->id == a.user.id || !user_in_scope(tx, a, *rep)) return not_found("rep");
    std::string company_name;
    if (company_id) {
      TRY_ASSIGN(Company c, visible_company(tx, a, *company_id));
      company_name = c.name;
    }
    auto tz = TimeZone::get(org_tz(tx, a.org()));
    std::string day = tz ? tz->local_date(now) : format_date(civil_from_days(now / 86400));
    notify::Event e;
    e.kind = "nudge";
    std::string zh = alert_text(kind, true), en = alert_text(kind, false);
    if (!company_name.empty()) {
      zh = "「" + company_name + "」" + zh;
      en = company_name + ": " + en;
    }
    e.params = {{"manager", a.user.display_name}, {"alert", kind}, {"message_zh", zh}, {"message_en", en}};
    if (company_id) e.params["company_id"] = *company_id;
    e.link = company_id ? "/customers/" + std::to_string(*company_id) : "/today";
    e.recipients = {rep->id};
    e.dedup_key = "nudge:" + kind + ":" + std::to_string(company_id.value_or(0)) + ":" + day;
    e.group = false;
    int n = notify::emit(tx, a.org(), e, now);
    out = {{"sent", n > 0}, {"rep_id", rep->id}, {"kind", kind}, {"company_id", company_id ? json(*company_id) : json(nullptr)}};
    if (n > 0) audit(tx, a, now, "nudge", "user", rep->id, nullptr, out);
    return ok_status();
  }));
  return out;
}

}  // namespace tj
