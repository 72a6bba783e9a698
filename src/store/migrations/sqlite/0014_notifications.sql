-- 0014: notifications (SPEC §7). `notifications`: the in-app bell, one row per
-- recipient; `kind` and `params` (JSON) are rendered into a message in the
-- reader's language; `link` is a path of the web UI. `dedup_key` (when set) makes
-- a scheduled reminder once per (organisation, kind, user, day), across restarts.
-- `channels`: an organisation's DingTalk / WeCom group robots and signed webhooks,
-- for the whole organisation (team_id NULL) or a team's subtree, for the listed
-- `events` (JSON array; NULL means every event); `secret` is sealed with the
-- server's key (libsodium secretbox, base64 of nonce || box) and never returned.
-- `deliveries`: the outbox, written in the transaction of the change that caused
-- the event; one row per (event, channel); the worker inside `tiejun serve` sends
-- it and moves it pending -> sent, or dead after `window_start` + the give-up age.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  link TEXT NOT NULL DEFAULT '',
  dedup_key TEXT,
  created_at INTEGER NOT NULL,
  read_at INTEGER
);
CREATE INDEX notifications_user ON notifications(org_id, user_id, id);
CREATE INDEX notifications_unread ON notifications(org_id, user_id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_dedup ON notifications(org_id, dedup_key) WHERE dedup_key IS NOT NULL;

CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  team_id INTEGER REFERENCES teams(id),
  kind TEXT NOT NULL CHECK (kind IN ('dingtalk','wecom','webhook')),
  name TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  events TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  deleted INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX channels_org ON channels(org_id, id);

CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  event_id TEXT NOT NULL,
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX deliveries_event ON deliveries(event_id, channel_id);
CREATE INDEX deliveries_org ON deliveries(org_id, id);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_sent ON deliveries(channel_id, sent_at) WHERE sent_at IS NOT NULL;
