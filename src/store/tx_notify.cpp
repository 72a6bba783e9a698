// Queries of notifications, channels and the delivery outbox (migration 0014).
#include "store/tx_notify.h"

#include "store/rows.h"

namespace tj {

using db::Row;
using db::Value;
using V = std::vector<Value>;

namespace {

NotificationRow notif_from(const Row& r) {
  namespace k = notification_col;
  NotificationRow n;
  n.id = r.i64(k::id);
  n.org_id = r.i64(k::org_id);
  n.user_id = r.i64(k::user_id);
  n.kind = r.str(k::kind);
  n.params = r.str(k::params);
  n.link = r.str(k::link);
  n.created_at = r.i64(k::created_at);
  n.read_at = r.opt_i64(k::read_at);
  return n;
}

ChannelRow channel_from(const Row& r) {
  namespace k = channel_col;
  ChannelRow c;
  c.id = r.i64(k::id);
  c.org_id = r.i64(k::org_id);
  c.team_id = r.opt_i64(k::team_id);
  c.kind = r.str(k::kind);
  c.name = r.str(k::name);
  c.url = r.str(k::url);
  c.secret = r.str(k::secret);
  if (!r.is_null(k::events)) c.events = r.str(k::events);
  c.active = r.b(k::active);
  c.version = r.i64(k::version);
  c.created_at = r.i64(k::created_at);
  c.updated_at = r.i64(k::updated_at);
  return c;
}

DeliveryRow delivery_from(const Row& r) {
  namespace k = delivery_col;
  DeliveryRow d;
  d.id = r.i64(k::id);
  d.org_id = r.i64(k::org_id);
  d.channel_id = r.i64(k::channel_id);
  d.event_id = r.str(k::event_id);
  d.event = r.str(k::event);
  d.payload = r.str(k::payload);
  d.status = r.str(k::status);
  d.last_error = r.str(k::last_error);
  d.attempts = r.i64(k::attempts);
  d.next_attempt_at = r.i64(k::next_attempt_at);
  d.window_start = r.i64(k::window_start);
  d.created_at = r.i64(k::created_at);
  d.sent_at = r.opt_i64(k::sent_at);
  return d;
}

}  // namespace

Id NotifyTx::insert_notification(const NotificationRow& n, const std::string& dedup_key) {
  auto r = c_.query_one(
      "INSERT INTO notifications(org_id, user_id, kind, params, link, dedup_key, created_at) VALUES (?,?,?,?,?,?,?) "
      "ON CONFLICT DO NOTHING RETURNING id",
      {n.org_id, n.user_id, n.kind, n.params, n.link, db::val_or_null(dedup_key), n.created_at});
  return r ? r->i64(0) : 0;
}

bool NotifyTx::has_dedup(Id org, const std::string& dedup_key) {
  return c_.scalar("SELECT COUNT(*) FROM notifications WHERE org_id = ? AND dedup_key = ?", {org, dedup_key}) > 0;
}

std::vector<NotificationRow> NotifyTx::list_notifications(Id org, Id user, bool unread_only, Id before, int limit) {
  std::string sql = std::string("SELECT ") + kNotificationCols + " FROM notifications WHERE org_id = ? AND user_id = ?";
  V p{org, user};
  if (unread_only) sql += " AND read_at IS NULL";
  if (before > 0) {
    sql += " AND id < ?";
    p.push_back(before);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.push_back(int64_t(limit));
  std::vector<NotificationRow> out;
  for (auto& r : c_.query(sql, p)) out.push_back(notif_from(r));
  return out;
}

int64_t NotifyTx::unread_count(Id org, Id user) {
  return c_.scalar("SELECT COUNT(*) FROM notifications WHERE org_id = ? AND user_id = ? AND read_at IS NULL",
                   {org, user});
}

int64_t NotifyTx::mark_read(Id org, Id user, const std::vector<Id>& ids, bool all, Instant now) {
  if (all)
    return c_.exec("UPDATE notifications SET read_at = ? WHERE org_id = ? AND user_id = ? AND read_at IS NULL",
                   {now, org, user});
  if (ids.empty()) return 0;
  V p{now, org, user};
  for (auto id : ids) p.push_back(id);
  return c_.exec("UPDATE notifications SET read_at = ? WHERE org_id = ? AND user_id = ? AND read_at IS NULL AND id IN (" +
                     placeholders(ids.size()) + ")",
                 p);
}

Id NotifyTx::insert_channel(const ChannelRow& ch) {
  return c_
      .query_one(
          "INSERT INTO channels(org_id, team_id, kind, name, url, secret, events, active, created_at, updated_at) "
          "VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
          {ch.org_id, db::val(ch.team_id), ch.kind, ch.name, ch.url, ch.secret,
           ch.events ? Value(*ch.events) : Value(), db::val(ch.active), ch.created_at, ch.updated_at})
      ->i64(0);
}

std::optional<ChannelRow> NotifyTx::get_channel(Id org, Id id) {
  auto r = c_.query_one(std::string("SELECT ") + kChannelCols + " FROM channels WHERE org_id = ? AND id = ? AND deleted = 0",
                        {org, id});
  if (!r) return std::nullopt;
  return channel_from(*r);
}

std::vector<ChannelRow> NotifyTx::list_channels(Id org) {
  std::vector<ChannelRow> out;
  for (auto& r : c_.query(std::string("SELECT ") + kChannelCols + " FROM channels WHERE org_id = ? AND deleted = 0 ORDER BY id",
                          {org}))
    out.push_back(channel_from(r));
  return out;
}

bool NotifyTx::update_channel(const ChannelRow& ch, int64_t expected_version) {
  return c_.exec("UPDATE channels SET team_id = ?, kind = ?, name = ?, url = ?, secret = ?, events = ?, active = ?, "
                 "updated_at = ?, version = version + 1 WHERE org_id = ? AND id = ? AND deleted = 0 AND version = ?",
                 {db::val(ch.team_id), ch.kind, ch.name, ch.url, ch.secret, ch.events ? Value(*ch.events) : Value(),
                  db::val(ch.active), ch.updated_at, ch.org_id, ch.id, expected_version}) == 1;
}

bool NotifyTx::delete_channel(Id org, Id id, Instant now) {
  if (c_.exec("UPDATE channels SET deleted = 1, active = 0, secret = '', updated_at = ?, version = version + 1 "
              "WHERE org_id = ? AND id = ? AND deleted = 0",
              {now, org, id}) != 1)
    return false;
  c_.exec("UPDATE deliveries SET status = 'dead', last_error = 'channel deleted' WHERE org_id = ? AND channel_id = ? AND "
          "status = 'pending'",
          {org, id});
  return true;
}

Id NotifyTx::insert_delivery(const DeliveryRow& d) {
  return c_
      .query_one(
          "INSERT INTO deliveries(org_id, event_id, channel_id, event, payload, status, attempts, next_attempt_at, "
          "window_start, created_at) VALUES (?,?,?,?,?,'pending',0,?,?,?) RETURNING id",
          {d.org_id, d.event_id, d.channel_id, d.event, d.payload, d.next_attempt_at, d.window_start, d.created_at})
      ->i64(0);
}

std::optional<DeliveryRow> NotifyTx::get_delivery(Id org, Id id) {
  auto r = c_.query_one(std::string("SELECT ") + kDeliveryCols + " FROM deliveries WHERE org_id = ? AND id = ?", {org, id});
  if (!r) return std::nullopt;
  return delivery_from(*r);
}

std::vector<DeliveryRow> NotifyTx::list_deliveries(Id org, std::optional<Id> channel, const std::string& status,
                                                   Id before, int limit) {
  std::string sql = std::string("SELECT ") + kDeliveryCols + " FROM deliveries WHERE org_id = ?";
  V p{org};
  if (channel) {
    sql += " AND channel_id = ?";
    p.push_back(*channel);
  }
  if (!status.empty()) {
    sql += " AND status = ?";
    p.push_back(status);
  }
  if (before > 0) {
    sql += " AND id < ?";
    p.push_back(before);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.push_back(int64_t(limit));
  std::vector<DeliveryRow> out;
  for (auto& r : c_.query(sql, p)) out.push_back(delivery_from(r));
  return out;
}

std::vector<DeliveryRow> NotifyTx::due_deliveries(Instant now, int limit) {
  std::vector<DeliveryRow> out;
  for (auto& r : c_.query(std::string("SELECT ") + kDeliveryCols +
                              " FROM deliveries d WHERE status = 'pending' AND next_attempt_at <= ? AND EXISTS "
                              "(SELECT 1 FROM channels c WHERE c.org_id = d.org_id AND c.id = d.channel_id AND "
                              "c.active = 1 AND c.deleted = 0) ORDER BY next_attempt_at, id LIMIT ?",
                          {now, int64_t(limit)}))
    out.push_back(delivery_from(r));
  return out;
}

int64_t NotifyTx::sent_since(Id channel, Instant since) {
  return c_.scalar("SELECT COUNT(*) FROM deliveries WHERE channel_id = ? AND sent_at IS NOT NULL AND sent_at >= ?",
                   {channel, since});
}

std::optional<Instant> NotifyTx::oldest_sent_since(Id channel, Instant since) {
  auto r = c_.query_one("SELECT MIN(sent_at) FROM deliveries WHERE channel_id = ? AND sent_at IS NOT NULL AND sent_at >= ?",
                        {channel, since});
  if (!r || r->is_null(0)) return std::nullopt;
  return r->i64(0);
}

void NotifyTx::mark_sent(Id org, Id id, int64_t attempts, Instant now) {
  c_.exec("UPDATE deliveries SET status = 'sent', attempts = ?, sent_at = ?, last_error = '' WHERE org_id = ? AND id = ?",
          {attempts, now, org, id});
}

void NotifyTx::mark_failed(Id org, Id id, int64_t attempts, Instant next_attempt_at, bool dead, const std::string& error) {
  c_.exec("UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE org_id = ? AND id = ? "
          "AND status = 'pending'",
          {std::string(dead ? "dead" : "pending"), attempts, next_attempt_at, error, org, id});
}

void NotifyTx::postpone(Id org, Id id, Instant next_attempt_at) {
  c_.exec("UPDATE deliveries SET next_attempt_at = ? WHERE org_id = ? AND id = ? AND status = 'pending'",
          {next_attempt_at, org, id});
}

void NotifyTx::postpone_channel(Id org, Id channel, Instant until) {
  c_.exec("UPDATE deliveries SET next_attempt_at = ? WHERE org_id = ? AND channel_id = ? AND status = 'pending' "
          "AND next_attempt_at < ?",
          {until, org, channel, until});
}

bool NotifyTx::retry_delivery(Id org, Id id, Instant now) {
  return c_.exec("UPDATE deliveries SET status = 'pending', next_attempt_at = ?, window_start = ? WHERE org_id = ? AND "
                 "id = ? AND status <> 'sent' AND channel_id IN (SELECT id FROM channels WHERE org_id = ? AND deleted = 0)",
                 {now, now, org, id, org}) == 1;
}

int64_t NotifyTx::count_deliveries(const std::string& status) {
  return c_.scalar("SELECT COUNT(*) FROM deliveries WHERE status = ?", {status});
}

std::vector<Company> NotifyTx::release_soon(Id org, Instant from, Instant to, int limit) {
  std::vector<Company> out;
  for (auto& r : c_.query(std::string("SELECT ") + kCompanyColsC +
                              " FROM companies c WHERE c.org_id = ? AND c.owner_id IS NOT NULL AND c.signed_at IS NULL "
                              "AND c.status IN ('prospect','contacted','effective') AND COALESCE(c.last_visit_at, "
                              "c.created_at) >= ? AND COALESCE(c.last_visit_at, c.created_at) < ? AND c.deleted = 0 "
                              "ORDER BY c.owner_id, c.id LIMIT ?",
                          {org, from, to, int64_t(limit)}))
    out.push_back(company_from(r));
  return out;
}

std::vector<Company> NotifyTx::nurture_due(Id org, const std::string& day, int limit) {
  std::vector<Company> out;
  for (auto& r : c_.query(std::string("SELECT ") + kCompanyColsC +
                              " FROM companies c WHERE c.org_id = ? AND c.owner_id IS NOT NULL AND c.status = 'nurture' "
                              "AND c.revisit_on <> '' AND c.revisit_on <= ? AND c.deleted = 0 ORDER BY c.owner_id, c.id LIMIT ?",
                          {org, day, int64_t(limit)}))
    out.push_back(company_from(r));
  return out;
}

}  // namespace tj
