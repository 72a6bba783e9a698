// Notifications (SPEC §7): events produced where their cause happens, in the
// caller's write transaction, become in-app notifications (the bell) and outbox
// rows (deliveries) for the organisation's channels (DingTalk / WeCom group
// robots, signed webhooks) that take that event. The delivery worker
// (delivery.h) sends the outbox from inside `tiejun serve`.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"

namespace tj::notify {

// The events a channel may subscribe to (SPEC §7 `events`).
const std::vector<std::string>& channel_events();
bool is_channel_event(const std::string& e);

struct Event {
  std::string kind;           // what the bell shows (booking_created, feed_comment, plan_missing, ...)
  std::string channel_event;  // which channels take it (booking, feed_reaction, ...); "" for in-app only
  json params = json::object();  // what the message is rendered from (names, times, counts)
  std::string link;           // a path of the web UI, e.g. /customers/12
  std::vector<Id> recipients; // users notified in-app (each at most once)
  std::string dedup_day;      // with a day: at most one such notification per (kind, user, day)
  std::string dedup_key;      // else, with a key: at most one per (key, user)
  std::optional<Id> team_id;  // the team the event is about (channel matching); none: organisation-wide channels only
  bool group = true;          // also posted to matching channels
};

// Writes the event's notifications and deliveries in the caller's transaction;
// returns the number of in-app notifications written (deduplicated ones are not).
int emit(Tx& tx, Id org, const Event& e, Instant now);

// The message of a notification or group post, in Chinese (zh) or English.
// audience: true for the recipient ("you"), false for a group chat.
std::string render(const std::string& kind, const json& params, bool zh, bool personal = true);
// Short title of a group post (the robots' markdown title).
std::string title(const std::string& kind, bool zh);

// In the caller's write transaction: `attempted_by` tried to create `company`,
// which already belongs to someone else (撞单): its owner is told (and the
// channels taking duplicate_attempt). No-op for pool companies or one's own.
// A booking made (kind booking_created), changed (booking_changed) or cancelled
// (booking_cancelled): its rep and its manager are told, and the team's channels.
void booking_event(Tx& tx, Id org, const BookingRow& r, const std::string& kind, Instant now);
// A comment (body set) or a like on a share or deal: its author is told (not when
// they reacted to their own); a like only once per liker and item.
void feed_reaction(Tx& tx, const Actor& a, const std::string& target_kind, Id target, const std::string* body,
                   Instant now);

void notify_duplicate_attempt(Tx& tx, Id org, const Company& company, const User& attempted_by, Instant now);

}  // namespace tj::notify
