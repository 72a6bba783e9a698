// Accompanied-visit bookings 陪访预约: the manager's side of the coaching loop
// (16字法则, SPEC §1 and §3). A manager (director, admin) books a visit ahead of
// time with a rep in their scope, at a company the rep owns or may see (their
// own or the public pool), for a time in the organisation's zone, with the
// coaching stage 1-4 and a note. The rep sees their bookings; the manager sees
// the team's and reschedules, cancels or marks them done. Logging the
// accompanied visit (kind accompanied, companion = the manager, that company)
// marks the booking done and links the visit.
#include "app/roles.h"
#include "app/internal.h"
#include "app/notify.h"
#include "method/method.h"

namespace tj {
using namespace detail;

namespace {

constexpr Instant kPastGrace = 60;                // "now" typed a minute ago is still now
constexpr Instant kMaxAhead = 366LL * 86400;      // book at most a year ahead
constexpr Instant kMatchBefore = 30LL * 86400;    // a visit completes a booking up to 30 days after it
constexpr Instant kMatchAfter = 14LL * 86400;     // ... or up to 14 days before it (the visit came early)

const char* kStatuses[] = {"scheduled", "done", "cancelled"};

bool is_status(const std::string& s) {
  for (auto k : kStatuses)
    if (s == k) return true;
  return false;
}

bool two_digits(std::string_view s, size_t i, int lo, int hi, int& out) {
  if (i + 2 > s.size() || s[i] < '0' || s[i] > '9' || s[i + 1] < '0' || s[i + 1] > '9') return false;
  out = (s[i] - '0') * 10 + (s[i + 1] - '0');
  return out >= lo && out <= hi;
}

// "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space may replace the T), a wall-clock
// time in the zone: the UTC instant it names (in a DST gap, the instant an hour later).
std::optional<Instant> parse_local_time(std::string_view s, const TimeZone* tz) {
  if (s.size() != 16 && s.size() != 19) return std::nullopt;
  auto d = parse_date(s.substr(0, 10));
  if (!d || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') return std::nullopt;
  int h = 0, m = 0, sec = 0;
  if (!two_digits(s, 11, 0, 23, h) || !two_digits(s, 14, 0, 59, m)) return std::nullopt;
  if (s.size() == 19 && (s[16] != ':' || !two_digits(s, 17, 0, 59, sec))) return std::nullopt;
  Instant local = days_from_civil(*d) * 86400 + h * 3600 + m * 60 + sec;
  if (!tz) return local;
  Instant t0 = local - tz->offset_at(local);
  return local - tz->offset_at(t0);
}

// `at` of a request: ISO 8601 with an offset, or a local time in the organisation's zone;
// not in the past, at most a year ahead.
Result<Instant> booking_time(const std::string& s, const TimeZone* tz, Instant now) {
  auto t = parse_iso8601(s);
  if (!t) t = parse_local_time(s, tz);
  if (!t)
    return field_error("at", "must be a time like 2026-11-30T14:00 (the organisation's time zone) or ISO 8601 with an "
                             "offset, e.g. 2026-11-30T14:00:00+08:00");
  if (*t < now - kPastGrace) return field_error("at", "must not be in the past");
  if (*t > now + kMaxAhead) return field_error("at", "must be within a year from now");
  return *t;
}

std::string local_day(const TimeZone* tz, Instant t) {
  return tz ? tz->local_date(t) : format_date(civil_from_days(t / 86400));
}

// Whether the caller may see the booking's company name (the company's own visibility rule).
bool company_shown(const Actor& a, const BookingRow& r) {
  if (!r.company_owner || a.scope.kind == Scope::All || *r.company_owner == a.user.id) return true;
  if (a.scope.kind != Scope::Teams || !r.owner_team) return false;
  for (auto t : a.scope.team_ids)
    if (t == *r.owner_team) return true;
  return false;
}

json booking_json(const Actor& a, const BookingRow& r, const std::string& tz) {
  const Booking& b = r.b;
  bool shown = company_shown(a, r);
  return {{"id", b.id},
          {"rep_id", b.rep_id},
          {"rep_name", r.rep_name},
          {"manager_id", b.manager_id},
          {"manager_name", r.manager_name},
          {"company_id", b.company_id},
          {"company_name", shown && !r.company_deleted ? json(r.company_name) : json(nullptr)},
          {"at", opt_iso(b.at, tz)},
          {"day", b.day},
          {"stage", b.stage},
          {"stage_name", method::coaching_stage_name(int(b.stage), a.zh)},
          {"note", b.note},
          {"status", b.status},
          {"visit_id", null_or(b.visit_id)},
          {"done_at", opt_iso(b.done_at, tz)},
          {"created_by", b.created_by},
          {"version", b.version},
          {"created_at", opt_iso(b.created_at, tz)},
          {"updated_at", opt_iso(b.updated_at, tz)}};
}

// The audit form of a booking (no names: ids and facts).
json booking_audit(const Booking& b) {
  return {{"rep_id", b.rep_id},   {"manager_id", b.manager_id}, {"company_id", b.company_id},
          {"at", b.at},           {"day", b.day},               {"stage", b.stage},
          {"note", b.note},       {"status", b.status},         {"visit_id", null_or(b.visit_id)},
          {"version", b.version}};
}

// A booking the caller may see: their own (as rep or as the booking manager), or a rep's in their scope.
Result<BookingRow> visible_booking(Tx& tx, const Actor& a, Id id) {
  auto r = tx.get_booking(a.org(), id);
  if (!r) return not_found("booking");
  if (a.scope.kind == Scope::All || r->b.rep_id == a.user.id || r->b.manager_id == a.user.id) return *r;
  if (a.scope.kind == Scope::Teams) {
    auto rep = tx.get_user(a.org(), r->b.rep_id);
    if (rep && user_in_scope(tx, a, *rep)) return *r;
  }
  return not_found("booking");
}

// A booking the caller may change: visible, and the caller is a manager (or up); a rep only reads.
Result<BookingRow> writable_booking(Tx& tx, const Actor& a, Id id) {
  TRY_ASSIGN(BookingRow r, visible_booking(tx, a, id));
  if (a.user.role == Role::Rep) return forbidden("forbidden", "only the manager changes a booking");
  return r;
}

// The rep a booking is for: an active rep in the caller's scope.
Result<User> bookable_rep(Tx& tx, const Actor& a, Id rep_id) {
  auto u = tx.get_user(a.org(), rep_id);
  if (!u || !u->active || u->role != Role::Rep || u->id == a.user.id || !user_in_scope(tx, a, *u))
    return field_error("rep_id", "must be an active rep in your teams");
  return *u;
}

// The company: one the rep owns, or in the public pool (which every rep may see).
Result<Company> bookable_company(Tx& tx, const User& rep, Id company_id) {
  auto c = tx.get_company(rep.org_id, company_id);
  if (!c || (c->owner_id && *c->owner_id != rep.id))
    return field_error("company_id", "must be a company the rep owns or may see (their own or the public pool)");
  if (c->status == CompanyStatus::Dropped && c->owner_id)
    return field_error("company_id", "the company was dropped");
  return *c;
}

}  // namespace

namespace detail {

std::optional<Id> complete_booking_for_visit(Tx& tx, const Actor& a, const Visit& v, Instant now) {
  if (v.kind != VisitKind::Accompanied || !v.companion_id) return std::nullopt;
  auto b = tx.match_booking(a.org(), v.rep_id, v.company_id, *v.companion_id, v.at - kMatchBefore, v.at + kMatchAfter,
                            v.at);
  if (!b) return std::nullopt;
  json old = booking_audit(*b);
  int64_t ver = b->version;
  b->status = "done";
  b->visit_id = v.id;
  b->done_at = now;
  b->updated_at = now;
  if (!tx.update_booking(*b, ver)) return std::nullopt;  // changed under us: left as it is
  b->version = ver + 1;
  audit(tx, a, now, "complete", "booking", b->id, old, booking_audit(*b));
  return b->id;
}

void reopen_bookings_of_visit(Tx& tx, const Actor& a, Id visit_id, Instant now) {
  for (auto b : tx.bookings_of_visit(a.org(), visit_id)) {
    json old = booking_audit(b);
    int64_t ver = b.version;
    b.status = "scheduled";
    b.visit_id.reset();
    b.done_at.reset();
    b.updated_at = now;
    if (!tx.update_booking(b, ver)) continue;
    b.version = ver + 1;
    audit(tx, a, now, "reopen", "booking", b.id, old, booking_audit(b));
  }
}

}  // namespace detail

Result<json> App::list_bookings(const Actor& a, const Query& q) {
  TRY(q_only(q, {"from", "to", "rep_id", "status", "limit", "cursor"}));
  TRY_ASSIGN(auto from_s, q_date(q, "from"));
  TRY_ASSIGN(auto to_s, q_date(q, "to"));
  TRY_ASSIGN(auto rep, q_int(q, "rep_id", 1, INT64_MAX));
  TRY_ASSIGN(auto limit, q_int(q, "limit", 1, 200));
  BookingQuery bq;
  bq.org_id = a.org();
  bq.limit = int(limit.value_or(50)) + 1;
  std::string status = q.count("status") ? q.at("status") : "";
  if (status.empty()) bq.statuses = {"scheduled", "done"};
  else if (status == "all") bq.statuses = {};
  else if (is_status(status)) bq.statuses = {status};
  else return field_error("status", "must be scheduled, done, cancelled or all");
  if (from_s && to_s && *to_s < *from_s) return field_error("to", "must not be before from");
  if (q.count("cursor") && !q.at("cursor").empty()) {
    auto c = decode_cursor(q.at("cursor"));
    if (!c || !c->is_array() || c->size() != 2 || !(*c)[0].is_number_integer() || !(*c)[1].is_number_integer())
      return field_error("cursor", "is not a cursor this list gave");
    bq.after_at = (*c)[0].get<int64_t>();
    bq.after_id = (*c)[1].get<int64_t>();
  }
  json items = json::array();
  json next = nullptr;
  TRY(store_.read([&](Tx& tx) -> Status {
    std::string tzname = org_tz(tx, a.org());
    auto tz = TimeZone::get(tzname);
    auto day_start = [&](const std::string& d) -> Instant {
      int64_t n = days_from_civil(*parse_date(d));
      return tz ? tz->start_of_local_day(n) : n * 86400;
    };
    if (from_s) bq.from = day_start(*from_s);
    if (to_s) bq.to = tz ? tz->start_of_local_day(days_from_civil(*parse_date(*to_s)) + 1)
                         : (days_from_civil(*parse_date(*to_s)) + 1) * 86400;
    switch (a.scope.kind) {
      case Scope::All: bq.all = true; break;
      case Scope::Teams:
        bq.team_ids = a.scope.team_ids;
        bq.rep_ids = {a.user.id};
        bq.manager_id = a.user.id;
        break;
      case Scope::Self:
        bq.rep_ids = {a.user.id};
        bq.manager_id = a.user.id;
        break;
    }
    if (rep) {
      auto u = tx.get_user(a.org(), *rep);
      if (!u || !user_in_scope(tx, a, *u)) return not_found("rep");
      bq.only_rep = *rep;
    }
    auto rows = tx.list_bookings(bq);
    size_t n = std::min(rows.size(), size_t(bq.limit - 1));
    for (size_t i = 0; i < n; i++) items.push_back(booking_json(a, rows[i], tzname));
    if (rows.size() > n && n > 0) next = encode_cursor(json::array({rows[n - 1].b.at, rows[n - 1].b.id}));
    return ok_status();
  }));
  return json{{"items", std::move(items)}, {"next_cursor", next}};
}

Result<json> App::get_booking(const Actor& a, Id id) {
  json out;
  TRY(store_.read([&](Tx& tx) -> Status {
    TRY_ASSIGN(BookingRow r, visible_booking(tx, a, id));
    out = booking_json(a, r, org_tz(tx, a.org()));
    return ok_status();
  }));
  return out;
}

Result<json> App::create_booking(const Actor& a, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"rep_id", "company_id", "at", "stage", "note"}));
  if (!allows(roles::kBook, a.user.role)) return refusal(roles::kBook);
  TRY_ASSIGN(Id rep_id, f.integer("rep_id", 1, INT64_MAX));
  TRY_ASSIGN(Id company_id, f.integer("company_id", 1, INT64_MAX));
  TRY_ASSIGN(std::string at_s, f.str("at", true, 40));
  TRY_ASSIGN(int64_t stage, f.integer("stage", 1, 4));
  TRY_ASSIGN(std::string note, f.str("note", false, 1000));
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    std::string tzname = org_tz(tx, a.org());
    auto tz = TimeZone::get(tzname);
    TRY_ASSIGN(Instant at, booking_time(at_s, tz.get(), now));
    TRY_ASSIGN(User rep, bookable_rep(tx, a, rep_id));
    TRY(bookable_company(tx, rep, company_id));
    Booking b;
    b.org_id = a.org();
    b.rep_id = rep.id;
    b.manager_id = a.user.id;
    b.company_id = company_id;
    b.at = at;
    b.day = local_day(tz.get(), at);
    b.stage = stage;
    b.note = note;
    b.created_by = a.user.id;
    b.created_at = b.updated_at = now;
    b.id = tx.insert_booking(b);
    auto row = tx.get_booking(a.org(), b.id);
    out = booking_json(a, *row, tzname);
    audit(tx, a, now, "create", "booking", b.id, nullptr, booking_audit(row->b));
    notify::booking_event(tx, a.org(), *row, "booking_created", now);
    return ok_status();
  }));
  return out;
}

Result<json> App::patch_booking(const Actor& a, Id id, const json& body) {
  TRY_ASSIGN(auto f, Fields::of(body, {"at", "stage", "note", "status", "visit_id", "version"}));
  TRY_ASSIGN(auto at_s, f.opt_str("at", 40));
  TRY_ASSIGN(auto stage, f.opt_int("stage", 1, 4));
  TRY_ASSIGN(auto note, f.opt_str("note", 1000));
  TRY_ASSIGN(auto status, f.opt_str("status", 20));
  TRY_ASSIGN(auto visit_id, f.opt_int("visit_id", 1, INT64_MAX));
  TRY_ASSIGN(auto version, f.opt_int("version", 1, INT64_MAX));
  if (status && !is_status(*status)) return field_error("status", "must be scheduled, done or cancelled");
  if (visit_id && status != "done") return field_error("visit_id", "links the visit when the status becomes done");
  auto now = clock_.now();
  json out;
  TRY(store_.write([&](Tx& tx) -> Status {
    TRY_ASSIGN(BookingRow r, writable_booking(tx, a, id));
    Booking b = r.b;
    if (version && *version != b.version) return stale("the booking");
    bool changes = at_s || stage || note || (status && *status != b.status);
    if (!changes) {
      out = booking_json(a, r, org_tz(tx, a.org()));
      return ok_status();
    }
    if (b.status != "scheduled")
      return conflict("illegal_transition", "this booking is " + b.status + "; only a scheduled booking can change");
    std::string tzname = org_tz(tx, a.org());
    auto tz = TimeZone::get(tzname);
    json old = booking_audit(b);
    std::string action = "update";
    if (at_s) {
      TRY_ASSIGN(b.at, booking_time(*at_s, tz.get(), now));
      b.day = local_day(tz.get(), b.at);
      if (b.at != r.b.at) action = "reschedule";
    }
    if (stage) b.stage = *stage;
    if (note) b.note = *note;
    if (status && *status == "done") {
      if (visit_id) {
        auto v = tx.get_visit(a.org(), *visit_id);
        if (!v || v->rep_id != b.rep_id || v->company_id != b.company_id || v->kind != VisitKind::Accompanied)
          return field_error("visit_id", "must be an accompanied visit of the booking's rep at its company");
        for (auto& other : tx.bookings_of_visit(a.org(), *visit_id))
          if (other.id != b.id) return field_error("visit_id", "that visit already completed another booking");
        b.visit_id = *visit_id;
      }
      b.status = "done";
      b.done_at = now;
      action = "complete";
    } else if (status && *status == "cancelled") {
      b.status = "cancelled";
      action = "cancel";
    }
    b.updated_at = now;
    if (!tx.update_booking(b, r.b.version)) return stale("the booking");
    auto row = tx.get_booking(a.org(), id);
    out = booking_json(a, *row, tzname);
    audit(tx, a, now, action, "booking", id, old, booking_audit(row->b));
    if (action != "complete")
      notify::booking_event(tx, a.org(), *row, action == "cancel" ? "booking_cancelled" : "booking_changed", now);
    return ok_status();
  }));
  return out;
}

Status App::cancel_booking(const Actor& a, Id id) {
  auto now = clock_.now();
  return store_.write([&](Tx& tx) -> Status {
    TRY_ASSIGN(BookingRow r, writable_booking(tx, a, id));
    Booking b = r.b;
    if (b.status == "cancelled") return ok_status();
    if (b.status == "done") return conflict("illegal_transition", "this booking is done; it cannot be cancelled");
    json old = booking_audit(b);
    b.status = "cancelled";
    b.updated_at = now;
    if (!tx.update_booking(b, r.b.version)) return stale("the booking");
    b.version++;
    audit(tx, a, now, "cancel", "booking", id, old, booking_audit(b));
    BookingRow cancelled = r;
    cancelled.b = b;
    notify::booking_event(tx, a.org(), cancelled, "booking_cancelled", now);
    return ok_status();
  });
}

}  // namespace tj
