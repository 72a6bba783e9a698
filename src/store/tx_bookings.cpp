// Queries of accompanied-visit bookings 陪访预约 (migration 0006). Every query is
// scoped by org_id; lists are keyset-paged by (at, id).
#include "store/rows.h"
#include "store/tx.h"

namespace tj {

using db::Row;
using db::Value;
using V = std::vector<Value>;

namespace {

Booking booking_from(const Row& r) {
  namespace k = booking_col;
  Booking b;
  b.id = r.i64(k::id);
  b.org_id = r.i64(k::org_id);
  b.rep_id = r.i64(k::rep_id);
  b.manager_id = r.i64(k::manager_id);
  b.company_id = r.i64(k::company_id);
  b.at = r.i64(k::at);
  b.day = r.str(k::day);
  b.stage = r.i64(k::stage);
  b.note = r.str(k::note);
  b.status = r.str(k::status);
  b.visit_id = r.opt_i64(k::visit_id);
  b.done_at = r.opt_i64(k::done_at);
  b.created_by = r.i64(k::created_by);
  b.version = r.i64(k::version);
  b.created_at = r.i64(k::created_at);
  b.updated_at = r.i64(k::updated_at);
  return b;
}

// The booking columns, then rep name, manager name, company name, owner, owner's team, deleted.
std::string row_select() {
  return "SELECT " + kBookingColsB +
         ", ru.display_name, mu.display_name, c.name, c.owner_id, ou.team_id, c.deleted "
         "FROM bookings b "
         "JOIN users ru ON ru.org_id = b.org_id AND ru.id = b.rep_id "
         "JOIN users mu ON mu.org_id = b.org_id AND mu.id = b.manager_id "
         "JOIN companies c ON c.org_id = b.org_id AND c.id = b.company_id "
         "LEFT JOIN users ou ON ou.org_id = c.org_id AND ou.id = c.owner_id ";
}

BookingRow row_from(const Row& r) {
  BookingRow o;
  o.b = booking_from(r);
  size_t i = booking_col::count;
  o.rep_name = r.str(i);
  o.manager_name = r.str(i + 1);
  o.company_name = r.str(i + 2);
  o.company_owner = r.opt_i64(i + 3);
  o.owner_team = r.opt_i64(i + 4);
  o.company_deleted = r.b(i + 5);
  return o;
}

}  // namespace

Id Tx::insert_booking(const Booking& b) {
  return c_
      .query_one(
          "INSERT INTO bookings(org_id, rep_id, manager_id, company_id, at, day, stage, note, status, visit_id, done_at, "
          "created_by, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,?,?) RETURNING id",
          {b.org_id, b.rep_id, b.manager_id, b.company_id, b.at, b.day, b.stage, b.note, b.status, db::val(b.visit_id),
           db::val(b.done_at), b.created_by, b.created_at, b.updated_at})
      ->i64(0);
}

std::optional<BookingRow> Tx::get_booking(Id org, Id id) {
  auto r = c_.query_one(row_select() + "WHERE b.org_id = ? AND b.id = ?", {org, id});
  if (!r) return std::nullopt;
  return row_from(*r);
}

bool Tx::update_booking(const Booking& b, int64_t expected_version) {
  return c_.exec("UPDATE bookings SET at=?, day=?, stage=?, note=?, status=?, visit_id=?, done_at=?, updated_at=?, "
                 "version=version+1 WHERE org_id=? AND id=? AND version=?",
                 {b.at, b.day, b.stage, b.note, b.status, db::val(b.visit_id), db::val(b.done_at), b.updated_at,
                  b.org_id, b.id, expected_version}) == 1;
}

std::vector<BookingRow> Tx::list_bookings(const BookingQuery& q) {
  std::string sql = row_select() + "WHERE b.org_id = ?";
  V p{q.org_id};
  if (!q.all) {
    std::string any;
    auto alt = [&](const std::string& s) { any += (any.empty() ? "" : " OR ") + s; };
    if (!q.team_ids.empty()) {
      alt("ru.team_id IN (" + placeholders(q.team_ids.size()) + ")");
      for (auto t : q.team_ids) p.emplace_back(t);
    }
    if (!q.rep_ids.empty()) {
      alt("b.rep_id IN (" + placeholders(q.rep_ids.size()) + ")");
      for (auto r : q.rep_ids) p.emplace_back(r);
    }
    if (q.manager_id) {
      alt("b.manager_id = ?");
      p.emplace_back(*q.manager_id);
    }
    if (any.empty()) return {};
    sql += " AND (" + any + ")";
  }
  if (q.only_rep) {
    sql += " AND b.rep_id = ?";
    p.emplace_back(*q.only_rep);
  }
  if (!q.statuses.empty()) {
    sql += " AND b.status IN (" + placeholders(q.statuses.size()) + ")";
    for (auto& s : q.statuses) p.emplace_back(s);
  }
  if (q.from) {
    sql += " AND b.at >= ?";
    p.emplace_back(*q.from);
  }
  if (q.to) {
    sql += " AND b.at < ?";
    p.emplace_back(*q.to);
  }
  if (q.after_at && q.after_id) {
    sql += " AND (b.at > ? OR (b.at = ? AND b.id > ?))";
    p.emplace_back(*q.after_at);
    p.emplace_back(*q.after_at);
    p.emplace_back(*q.after_id);
  }
  sql += " ORDER BY b.at, b.id LIMIT ?";
  p.emplace_back(int64_t(q.limit));
  std::vector<BookingRow> out;
  for (auto& r : c_.query(sql, p)) out.push_back(row_from(r));
  return out;
}

std::optional<Booking> Tx::match_booking(Id org, Id rep, Id company, Id manager, Instant from, Instant to,
                                         Instant near) {
  auto r = c_.query_one("SELECT " + kBookingColsB +
                            " FROM bookings b WHERE b.org_id = ? AND b.rep_id = ? AND b.company_id = ? AND "
                            "b.status = 'scheduled' AND b.manager_id = ? AND b.at >= ? AND b.at <= ? "
                            "ORDER BY CASE WHEN b.at >= ? THEN b.at - ? ELSE ? - b.at END, b.id LIMIT 1",
                        {org, rep, company, manager, from, to, near, near, near});
  if (!r) return std::nullopt;
  return booking_from(*r);
}

std::vector<Booking> Tx::bookings_of_visit(Id org, Id visit) {
  std::vector<Booking> out;
  for (auto& r :
       c_.query("SELECT " + kBookingColsB + " FROM bookings b WHERE b.org_id = ? AND b.visit_id = ?", {org, visit}))
    out.push_back(booking_from(r));
  return out;
}

}  // namespace tj
