// NotifyTx: the queries of notifications, channels and the delivery outbox
// (migration 0014) over the caller's transaction (Tx::conn()). Every query is
// scoped by org_id except the worker's (due_deliveries, mark_*), which walks the
// outbox of every organisation. Lists are keyset-paged by id, newest first.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.h"
#include "store/db.h"

namespace tj {

struct NotificationRow {
  Id id = 0, org_id = 0, user_id = 0;
  std::string kind, params, link;
  Instant created_at = 0;
  std::optional<Instant> read_at;
};

struct ChannelRow {
  Id id = 0, org_id = 0;
  std::optional<Id> team_id;
  std::string kind, name, url, secret;  // secret: sealed (never returned by the API)
  std::optional<std::string> events;   // JSON array text; nullopt: every event
  bool active = true;
  int64_t version = 1;
  Instant created_at = 0, updated_at = 0;
};

struct DeliveryRow {
  Id id = 0, org_id = 0, channel_id = 0;
  std::string event_id, event, payload, status, last_error;
  int64_t attempts = 0;
  Instant next_attempt_at = 0, window_start = 0, created_at = 0;
  std::optional<Instant> sent_at;
};

class NotifyTx {
 public:
  explicit NotifyTx(db::Conn& c) : c_(c) {}

  // Inserts one notification; with a dedup_key, returns 0 (and inserts nothing)
  // when the organisation already has a notification with that key.
  Id insert_notification(const NotificationRow& n, const std::string& dedup_key = "");
  bool has_dedup(Id org, const std::string& dedup_key);
  // The user's notifications with id < before (0: from the newest), newest first.
  std::vector<NotificationRow> list_notifications(Id org, Id user, bool unread_only, Id before, int limit);
  int64_t unread_count(Id org, Id user);
  // Marks the user's listed (or, with all, every) unread notification read; returns rows changed.
  int64_t mark_read(Id org, Id user, const std::vector<Id>& ids, bool all, Instant now);

  Id insert_channel(const ChannelRow& ch);
  std::optional<ChannelRow> get_channel(Id org, Id id);  // not deleted
  std::vector<ChannelRow> list_channels(Id org);          // not deleted, by id
  bool update_channel(const ChannelRow& ch, int64_t expected_version);
  // Soft delete (deliveries keep their channel); its pending deliveries become dead.
  bool delete_channel(Id org, Id id, Instant now);

  Id insert_delivery(const DeliveryRow& d);
  std::optional<DeliveryRow> get_delivery(Id org, Id id);
  std::vector<DeliveryRow> list_deliveries(Id org, std::optional<Id> channel, const std::string& status, Id before,
                                           int limit);
  // Worker: pending deliveries of every organisation due at `now`, soonest first (not
  // those of paused channels: they wait untouched until the channel is resumed).
  std::vector<DeliveryRow> due_deliveries(Instant now, int limit);
  // Deliveries of the channel sent at or after `since` (the robot's rate window).
  int64_t sent_since(Id channel, Instant since);
  std::optional<Instant> oldest_sent_since(Id channel, Instant since);
  void mark_sent(Id org, Id id, int64_t attempts, Instant now);
  void mark_failed(Id org, Id id, int64_t attempts, Instant next_attempt_at, bool dead, const std::string& error);
  void postpone(Id org, Id id, Instant next_attempt_at);
  // Holds a channel's whole pending queue until `until` (a receiver that failed or a robot
  // whose minute is full): rows due earlier move to `until`, their order kept, no attempt counted.
  void postpone_channel(Id org, Id channel, Instant until);
  // Pending again now, attempts kept, with a new give-up window; false if not found.
  bool retry_delivery(Id org, Id id, Instant now);
  int64_t count_deliveries(const std::string& status);  // every organisation (tests, metrics)

  // Reminders: owned, unsigned, active companies whose last visit (or creation) is in
  // [from, to) (they go to the pool within the window), by owner then id.
  std::vector<Company> release_soon(Id org, Instant from, Instant to, int limit);
  // Nurtured companies due for a revisit (revisit_on <= day), by owner then id.
  std::vector<Company> nurture_due(Id org, const std::string& day, int limit);

 private:
  db::Conn& c_;
};

}  // namespace tj
