// Queries of notifications, channels and the delivery outbox (migration 0014).
#include "store/tx_notify.h"

#include "store/rows.h"

namespace tj {

using db::Row;
using db::Value;
using V = std::vector<Value>;

namespace {

const char* kNotifCols = "id, org_id, user_id, kind, params, link, created_at, read_at";
NotificationRow notif_from(const Row& r) {
  NotificationRow n;
  n.id = r.i64(0);
  n.org_id = r.i64(1);
  n.user_id = r.i64(2);
  n.kind = r.str(3);
  n.params = r.str(4);
  n.link = r.str(5);
  n.created_at = r.i64(6);
  n.read_at = r.opt_i64(7);
  return n;
}

const char* kChannelCols = "id, org_id, team_id, kind, name, url, secret, events, active, version, created_at, updated_at";
ChannelRow channel_from(const Row& r) {
  ChannelRow c;
  c.id = r.i64(0);
  c.org_id = r.i64(1);
  c.team_id = r.opt_i64(2);
  c.kind = r.str(3);
  c.name = r.str(4);
  c.url = r.str(5);
  c.secret = r.str(6);
  if (!r.is_null(7)) c.events = r.str(7);
  c.active = r.b(8);
  c.version = r.i64(9);
  c.created_at = r.i64(10);
  c.updated_at = r.i64(11);
  return c;
}

const char* kDeliveryCols =
    "id, org_id, channel_id, event_id, event, payload, status, last_error, attempts, next_attempt_at, window_start, "
    "created_at, sent_at";
DeliveryRow delivery_from(const Row& r) {
  DeliveryRow d;
  d.id = r.i64(0);
  d.org_id = r.i64(1);
  d.channel_id = r.i64(2);
  d.event_id = r.str(3);
  d.event = r.str(4);
  d.payload = r.str(5);
  d.status = r.str(6);
  d.last_error = r.str(7);
  d.attempts = r.i64(8);
  d.next_attempt_at = r.i64(9);
  d.window_start = r.i64(10);
  d.created_at = r.i64(11);
  d.sent_at = r.opt_i64(12);
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
  std::string sql = std::string("SELECT ") + kNotifCols + " FROM notifications WHERE org_id = ? AND user_id = ?";
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
