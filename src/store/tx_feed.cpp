// The team feed's queries: evening shares and signed deals a page at a time, newest first
// (day desc, time desc, shares before deals, id desc), strictly after a cursor.
#include "store/rows.h"
#include "store/tx.h"

namespace tj {

using db::Value;
using V = std::vector<Value>;

namespace {
// "(day, at, id) after the cursor" for one kind: at the cursor's day and time, the kind's ids
// below `id_below` (shares come before deals at the same moment).
std::string after_clause(const char* day, const char* at, const char* id, const std::optional<FeedKey>& after, int kind,
                         V& p) {
  if (!after) return "";
  Id id_below = after->kind == kind ? after->id : after->kind < kind ? INT64_MAX : 0;
  p.emplace_back(after->day);
  p.emplace_back(after->day);
  p.emplace_back(after->at);
  p.emplace_back(after->at);
  p.emplace_back(id_below);
  return std::string(" AND (") + day + " < ? OR (" + day + " = ? AND (" + at + " < ? OR (" + at + " = ? AND " + id + " < ?))))";
}
}  // namespace

std::vector<DayNote> Tx::feed_reviews(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to,
                                      const std::optional<FeedKey>& after, int limit) {
  std::vector<DayNote> out;
  if (reps.empty() || limit <= 0) return out;
  V p{org};
  for (auto r : reps) p.emplace_back(r);
  p.emplace_back(from);
  p.emplace_back(to);
  std::string cond = after_clause("day", "updated_at", "id", after, FeedKey::kReview, p);
  p.emplace_back(int64_t(limit));
  for (auto& r : c_.query("SELECT id, org_id, rep_id, day, body, version, updated_at FROM reviews WHERE org_id = ? AND rep_id IN (" +
                              placeholders(reps.size()) + ") AND day >= ? AND day <= ?" + cond +
                              " ORDER BY day DESC, updated_at DESC, id DESC LIMIT ?",
                          p))
    out.push_back({r.i64(0), r.i64(1), r.i64(2), r.str(3), r.str(4), r.i64(5), r.i64(6)});
  return out;
}

std::vector<FeedDeal> Tx::feed_deals(Id org, const std::vector<Id>& reps, const std::string& from, const std::string& to,
                                     const std::optional<FeedKey>& after, int limit) {
  std::vector<FeedDeal> out;
  if (reps.empty() || limit <= 0) return out;
  V p{org};
  for (auto r : reps) p.emplace_back(r);
  p.emplace_back(from);
  p.emplace_back(to);
  std::string cond = after_clause("d.signed_on", "d.created_at", "d.id", after, FeedKey::kDeal, p);
  p.emplace_back(int64_t(limit));
  for (auto& r : c_.query("SELECT d.id, d.org_id, d.company_id, d.rep_id, d.amount, d.signed_on, d.created_at, "
                          "COALESCE(c.name, '') FROM deals d LEFT JOIN companies c ON c.org_id = d.org_id AND c.id = "
                          "d.company_id WHERE d.org_id = ? AND d.rep_id IN (" + placeholders(reps.size()) +
                              ") AND d.signed_on >= ? AND d.signed_on <= ?" + cond +
                              " ORDER BY d.signed_on DESC, d.created_at DESC, d.id DESC LIMIT ?",
                          p)) {
    FeedDeal f;
    f.deal = {r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.str(5), r.i64(6), ""};
    f.company_name = r.str(7);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace tj
