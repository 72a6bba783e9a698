// The delivery worker (SPEC §7 "Delivery"): sends the outbox (deliveries,
// migration 0014) to DingTalk and WeCom group robots and signed webhooks with
// libcurl, from a thread inside `tiejun serve`. At least once: a row is marked
// sent only after the receiver accepted it, so a crash in between sends it again
// (each message carries its event id). Failures are retried with exponential
// backoff and jitter until `give_up_after` seconds from the first try, then the
// row is `dead` (an admin may retry it). Each robot takes at most
// `robot_per_minute` messages a minute (DingTalk: 20), counted from the sent rows
// so the limit holds across restarts. Also: the server key that seals channel
// secrets (libsodium secretbox), and the robots' signatures.
#pragma once
#include <atomic>
#include <string>

#include "app/app.h"

namespace tj::notify {

// The server key (32 bytes) that seals channel secrets. Loaded from a file,
// created (mode 0600, random) when missing. Returns an error message or "".
std::string load_key_file(const std::string& path);
// Without a loaded key, a random key for this process is used (tests; nothing
// sealed with it survives a restart).
std::string seal(const std::string& secret);
// The secret, or nullopt when it cannot be opened (another key, tampered).
std::optional<std::string> unseal(const std::string& sealed);

// DingTalk custom robot signature: URL-encoded Base64(HMAC-SHA256(key = secret,
// timestamp_ms + "\n" + secret)).
std::string dingtalk_sign(int64_t timestamp_ms, const std::string& secret);
// Lower-case hex HMAC-SHA256(key = secret, body) (X-Tiejun-Signature).
std::string hmac_hex(const std::string& secret, const std::string& body);

struct WorkerOptions {
  std::string public_url;           // links back into Tiejun, e.g. https://crm.example.com
  int64_t give_up_after = 86400;    // seconds from the first try (or a retry) to `dead`
  int64_t backoff_base_ms = 30000;  // first retry after about this long, doubling
  int64_t backoff_max_ms = 3600000; // at most this long between tries
  int64_t timeout_ms = 10000;       // whole request, connect included
  int robot_per_minute = 20;        // DingTalk and WeCom robots
  int batch = 100;                  // deliveries looked at per round
  int parallel = 4;                 // channels sent to at once (one receiver's stall delays only its own queue)
  int64_t poll_ms = 1000;           // how often the outbox is looked at
};

// One round: sends what is due now, each channel's rows in order on its own, up to
// `parallel` channels at once; a channel whose receiver fails (or whose robot minute is
// full) has the rest of its queue held until its next try, so it neither fills the next
// batches nor delays the other channels. Returns the number of deliveries attempted.
int deliver_due(App& app, const WorkerOptions& o);
// Runs rounds until `stop` is set (checked at least every poll_ms).
void run_worker(App& app, const WorkerOptions& o, const std::atomic<bool>& stop);

}  // namespace tj::notify
