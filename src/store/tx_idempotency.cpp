// Idempotency-Key rows (migration 0015) and the Store hooks that write a key in the
// transaction of the create it belongs to (app/store.h, Store::IdempotencyScope).
#include "store/store.h"
#include "store/tx.h"

namespace tj {

std::optional<Tx::IdempotencyRow> Tx::get_idempotency_key(Id user, const std::string& key, Instant since) {
  auto r = c_.query_one(
      "SELECT request_hash, status, body, created_at FROM idempotency_keys WHERE user_id = ? AND key = ? AND "
      "created_at >= ?",
      {user, key, since});
  if (!r) return std::nullopt;
  IdempotencyRow row;
  row.request_hash = r->str(0);
  row.status = r->opt_i64(1);
  row.body = r->str(2);
  row.created_at = r->i64(3);
  return row;
}

bool Tx::claim_idempotency_key(Id org, Id user, const std::string& key, const std::string& request_hash, Instant now,
                               Instant since) {
  c_.exec("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at < ?", {user, key, since});
  return c_.exec(
             "INSERT INTO idempotency_keys(org_id, user_id, key, request_hash, created_at) VALUES (?,?,?,?,?) "
             "ON CONFLICT (user_id, key) DO NOTHING",
             {org, user, key, request_hash, now}) == 1;
}

void Tx::finish_idempotency_key(Id user, const std::string& key, int64_t status, const std::string& body) {
  c_.exec("UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND key = ? AND status IS NULL",
          {status, body, user, key});
}

int64_t Tx::prune_idempotency_keys(Instant before) {
  return c_.exec("DELETE FROM idempotency_keys WHERE created_at < ?", {before});
}

Status Store::before_write(Tx& tx) {
  auto* s = IdempotencyScope::current();
  if (!s || s->claimed) return ok_status();
  // Once the key is found taken, every later write of the request fails too: none of its
  // work may be done a second time.
  if (s->conflict || !tx.claim_idempotency_key(s->org_id, s->user_id, s->key, s->request_hash, s->now, s->since)) {
    s->conflict = true;
    return Error{Err::Conflict, "idempotency_in_progress", "another request with this Idempotency-Key was saved first"};
  }
  return ok_status();
}

void Store::after_commit() {
  if (auto* s = IdempotencyScope::current()) s->claimed = true;
}

}  // namespace tj
