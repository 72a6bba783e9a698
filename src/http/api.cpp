#include "http/api.h"

#include <sodium.h>
#include <spdlog/spdlog.h>
#include <zlib.h>

#include <cctype>
#include <chrono>
#include <thread>
#include <utility>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "app/fields.h"
#include "app/roles.h"
#include "common/log.h"
#include "http/embedded.h"
#include "http/metrics.h"
#include "common/hex.h"

namespace tj::http {

int status_of(Err e) {
  switch (e) {
    case Err::BadRequest: return 400;
    case Err::Unauthorized: return 401;
    case Err::Forbidden: return 403;
    case Err::NotFound: return 404;
    case Err::Conflict: return 409;
    case Err::TooLarge: return 413;
    case Err::TooMany: return 429;
    case Err::Unavailable: return 503;
    case Err::Internal: return 500;
  }
  return 500;
}

namespace {

constexpr const char* kCookie = "tj_session";
// gzip for API answers of at least this size (smaller ones gain little and cost a syscall's worth).
constexpr size_t kGzipMinBytes = 1024;
constexpr int kGzipLevel = 1;

struct Ctx {
  const Request& req;
  App& app;
  Actor actor;
  std::vector<std::string> params;  // path parameters in order
  Query query;
  json body;
  Response* res;  // for Set-Cookie
};

enum class Auth { Public, User };
using Fn = std::function<Result<json>(Ctx&)>;

// Who may call a route: anyone (kPublic: the login), any logged-in user (kUser), or a
// logged-in user of at least a role (at_least(roles::...), app/roles.h: the server answers a
// lower role the rule's 403 before the use case runs).
struct Access {
  Auth auth;
  RoleRule rule;
};
constexpr Access kPublic{Auth::Public, {Role::Rep, nullptr}};
constexpr Access kUser{Auth::User, {Role::Rep, nullptr}};
constexpr Access at_least(const RoleRule& r) { return {Auth::User, r}; }

// What a route takes and how it runs, declared with the route (scripts/openapi/gen_openapi.py
// reads .idempotent and the Access from these declarations).
struct Flags {
  bool query = false;  // its use case reads (and validates) query parameters; else any is a 400
  // A file in or out (the import, the exports): such a route also has the long deadline (is_long).
  bool raw_in = false;   // the body is a file, not JSON (POST /api/v1/imports)
  bool raw_out = false;  // fn sets the response body and type itself (exports)
  // fn sets the response body to JSON text itself (a hot read, written without nlohmann objects);
  // unlike raw_out, an ordinary short JSON answer in every other way.
  bool text_out = false;
  // A create or other non-repeatable write that honours an Idempotency-Key: a replay within a
  // day answers the first answer without doing the work again (issue 15 part 5). Never a route
  // whose body or answer holds a secret (a login, a password, a token, a user's password, a
  // channel's secret): the key row keeps the answer and a hash of the request for a day.
  bool idempotent = false;
  // Expensive (issue 16 point 2): the organisation-wide views, search and exports run in the
  // server's lane for them (ServerOptions::heavy_lane), never on the short reads' threads.
  // heavy_with: only when this query parameter is given (GET /api/v1/companies?q=: a search).
  bool heavy = false;
  const char* heavy_with = nullptr;
  // Open to an account whose password was reset by someone else (issue 17 point 8): until it
  // sets its own, it may read /me and the session, change its password and log out, nothing else.
  bool while_reset = false;
  // Hashes a password (the login): runs in the server's slow lane (ServerOptions::slow_lane).
  bool hashes_password = false;
  // A request with no credentials at all (no Authorization header, no session cookie) is
  // answered 204 instead of 401: "no session" is an answer, not a failure, to GET /session, the
  // first question of a browser that may or may not be logged in (issue 15: the login page
  // makes no failing request). Any credential sent is checked as on every user route.
  bool no_credentials_204 = false;
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segs;
  Access access;
  int ok_status;
  Flags flags;
  Fn fn;
};

std::vector<std::string> split_path(const std::string& p) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 1; i <= p.size(); i++) {
    if (i == p.size() || p[i] == '/') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += p[i];
    }
  }
  return out;
}

Result<Id> id_param(const std::string& s) {
  if (s.empty() || s.size() > 18) return not_found("record");
  for (char c : s)
    if (c < '0' || c > '9') return not_found("record");
  Id v = std::stoll(s);
  if (v < 1) return not_found("record");
  return v;
}

Result<json> no_content(Status st) {
  if (!st.ok()) return st.take_error();
  return json(nullptr);
}

std::string cookie_value(const Request& req, const std::string& name) {
  for (auto& [k, v] : req.headers) {
    if (k != "cookie") continue;
    size_t i = 0;
    while (i < v.size()) {
      while (i < v.size() && (v[i] == ' ' || v[i] == ';')) i++;
      size_t e = v.find(';', i);
      if (e == std::string::npos) e = v.size();
      std::string part = v.substr(i, e - i);
      size_t eq = part.find('=');
      if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
      i = e + 1;
    }
  }
  return "";
}

bool cross_site(const Request& req);

std::vector<Route> build_routes() {
  std::vector<Route> r;
  auto add = [&](const char* m, const char* p, Access a, int ok, Flags f, Fn fn) {
    r.push_back({m, p, split_path(p), a, ok, f, std::move(fn)});
  };
  using NK = Tx::NoteKind;
  add("POST", "/api/v1/session", kPublic, 200, {.hashes_password = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(auto lr, c.app.login(c.body, c.req.remote_addr, cookie_value(c.req, kCookie)));
    c.res->headers.emplace_back("Set-Cookie", std::string(kCookie) + "=" + lr.cookie +
                                                  "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                                                  std::to_string(lr.max_age_s));
    return lr.body;
  });
  add("DELETE", "/api/v1/session", kUser, 204, {.while_reset = true}, [](Ctx& c) -> Result<json> {
    c.res->headers.emplace_back("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    return no_content(c.app.logout(c.actor));
  });
  // The session's CSRF token, for a new tab or a restarted app whose cookie is still valid
  // (docs/security.md, "Reading the CSRF token"): only with the cookie, only same-origin.
  add("GET", "/api/v1/session", kUser, 200, {.while_reset = true, .no_credentials_204 = true},
      [](Ctx& c) -> Result<json> {
        if (c.actor.via_token || c.actor.session_hash.empty())
          return bad_request("no_session", "a bearer token has no session and needs no CSRF token");
        std::string sfs = c.req.header("sec-fetch-site");
        if ((!sfs.empty() && sfs != "same-origin" && sfs != "none") || cross_site(c.req))
          return forbidden("cross_site", "the session's CSRF token is given only to this site's own pages");
        TRY_ASSIGN(json me, c.app.me(c.actor));
        return json{{"csrf_token", c.actor.csrf_token}, {"me", std::move(me)}};
      });
  add("POST", "/api/v1/tokens", kUser, 201, {}, [](Ctx& c) { return c.app.create_token(c.actor, c.body); });
  add("GET", "/api/v1/me", kUser, 200, {.while_reset = true}, [](Ctx& c) { return c.app.me(c.actor); });
  add("POST", "/api/v1/me/password", kUser, 200, {.while_reset = true},
      [](Ctx& c) { return c.app.change_own_password(c.actor, c.body); });
  add("GET", "/api/v1/tokens", kUser, 200, {.query = true}, [](Ctx& c) { return c.app.list_tokens(c.actor, c.query); });
  add("DELETE", "/api/v1/tokens/{id}", kUser, 204, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return no_content(c.app.delete_token(c.actor, id));
  });
  add("GET", "/api/v1/teams", kUser, 200, {}, [](Ctx& c) { return c.app.list_teams(c.actor); });
  add("POST", "/api/v1/teams", at_least(roles::kCreateTeam), 201, {.idempotent = true},
      [](Ctx& c) { return c.app.create_team(c.actor, c.body); });
  add("PATCH", "/api/v1/teams/{id}", at_least(roles::kChangeTeam), 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.patch_team(c.actor, id, c.body);
  });
  add("GET", "/api/v1/users", kUser, 200, {.query = true}, [](Ctx& c) { return c.app.list_users(c.actor, c.query); });
  add("POST", "/api/v1/users", at_least(roles::kCreateUser), 201, {},
      [](Ctx& c) { return c.app.create_user(c.actor, c.body); });
  add("GET", "/api/v1/users/{id}", kUser, 200, {.query = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.get_user(c.actor, id);
  });
  add("PATCH", "/api/v1/users/{id}", kUser, 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.patch_user(c.actor, id, c.body);
  });
  add("GET", "/api/v1/companies", kUser, 200, {.query = true, .heavy_with = "q"},
      [](Ctx& c) { return c.app.list_companies(c.actor, c.query); });
  add("POST", "/api/v1/companies", kUser, 201, {.idempotent = true},
      [](Ctx& c) { return c.app.create_company(c.actor, c.body); });
  // 撞单 (duplicates.cpp): before /companies/{id}, which would take "check" for an id
  add("GET", "/api/v1/companies/check", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.check_company_name(c.actor, c.query); });
  add("GET", "/api/v1/companies/duplicates", at_least(roles::kListDuplicates), 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.list_duplicates(c.actor, c.query); });
  add("POST", "/api/v1/companies/{id}/merge", at_least(roles::kMerge), 200, {.idempotent = true},
      [](Ctx& c) -> Result<json> {
        TRY_ASSIGN(Id id, id_param(c.params[0]));
        return c.app.merge_companies(c.actor, id, c.body);
      });
  // The hottest read: its answer is written as text (app/json_text.h), not built as a json object.
  add("GET", "/api/v1/companies/{id}", kUser, 200, {.text_out = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    TRY_ASSIGN(c.res->body, c.app.get_company_text(c.actor, id));
    return json();
  });
  add("PATCH", "/api/v1/companies/{id}", kUser, 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.patch_company(c.actor, id, c.body);
  });
  add("DELETE", "/api/v1/companies/{id}", kUser, 204, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return no_content(c.app.delete_company(c.actor, id));
  });
  add("POST", "/api/v1/companies/{id}/claim", kUser, 200, {.idempotent = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.claim_company(c.actor, id);
  });
  add("GET", "/api/v1/companies/{id}/contacts", kUser, 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.list_contacts(c.actor, id);
  });
  add("POST", "/api/v1/companies/{id}/contacts", kUser, 201, {.idempotent = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.create_contact(c.actor, id, c.body);
  });
  add("PATCH", "/api/v1/contacts/{id}", kUser, 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.patch_contact(c.actor, id, c.body);
  });
  add("GET", "/api/v1/companies/{id}/visits", kUser, 200, {.query = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.list_company_visits(c.actor, id, c.query);
  });
  add("GET", "/api/v1/companies/{id}/deals", kUser, 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.list_company_deals(c.actor, id);
  });
  add("POST", "/api/v1/visits", kUser, 201, {.idempotent = true},
      [](Ctx& c) { return c.app.create_visit(c.actor, c.body); });
  add("DELETE", "/api/v1/visits/{id}", kUser, 204, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return no_content(c.app.delete_visit(c.actor, id));
  });
  add("POST", "/api/v1/deals", kUser, 201, {.idempotent = true},
      [](Ctx& c) { return c.app.create_deal(c.actor, c.body); });
  add("GET", "/api/v1/targets", kUser, 200, {}, [](Ctx& c) { return c.app.list_targets(c.actor); });
  add("PUT", "/api/v1/targets", at_least(roles::kSetTarget), 200, {.idempotent = true},
      [](Ctx& c) { return c.app.put_target(c.actor, c.body); });
  add("GET", "/api/v1/targets/progress", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.targets_progress(c.actor, c.query); });
  add("GET", "/api/v1/settings", kUser, 200, {}, [](Ctx& c) { return c.app.get_settings(c.actor); });
  add("PATCH", "/api/v1/settings", at_least(roles::kChangeSettings), 200, {},
      [](Ctx& c) { return c.app.patch_settings(c.actor, c.body); });
  add("GET", "/api/v1/plans/{date}", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.get_note(c.actor, NK::Plan, c.params[0], c.query); });
  add("PUT", "/api/v1/plans/{date}", kUser, 200, {.idempotent = true},
      [](Ctx& c) { return c.app.put_note(c.actor, NK::Plan, c.params[0], c.body); });
  add("GET", "/api/v1/reviews/{date}", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.get_note(c.actor, NK::Review, c.params[0], c.query); });
  add("PUT", "/api/v1/reviews/{date}", kUser, 200, {.idempotent = true},
      [](Ctx& c) { return c.app.put_note(c.actor, NK::Review, c.params[0], c.body); });
  add("GET", "/api/v1/metrics/reps", kUser, 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.rep_metrics(c.actor, c.query); });
  add("GET", "/api/v1/audit", kUser, 200, {.query = true}, [](Ctx& c) { return c.app.list_audit(c.actor, c.query); });
  // the method engine
  add("GET", "/api/v1/alerts", kUser, 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.alerts(c.actor, c.query); });
  add("GET", "/api/v1/prospects", kUser, 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.prospects(c.actor, c.query); });
  add("GET", "/api/v1/views/today", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.today_view(c.actor, c.query); });
  add("GET", "/api/v1/views/company/{id}", kUser, 200, {.query = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.company_view(c.actor, id, c.query);
  });
  add("GET", "/api/v1/diagnosis", at_least(roles::kDiagnosis), 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.diagnosis(c.actor, c.query); });
  add("GET", "/api/v1/leaderboard", kUser, 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.leaderboard(c.actor, c.query); });
  add("GET", "/api/v1/coaching", kUser, 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.coaching(c.actor, c.query); });
  add("GET", "/api/v1/rhythm", kUser, 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.rhythm_status(c.actor, c.query); });
  // page views: one page's first screen in one answer (src/app/team_view.cpp)
  add("GET", "/api/v1/views/team", at_least(roles::kTeamView), 200, {.query = true},
      [](Ctx& c) { return c.app.team_view(c.actor, c.query); });
  add("GET", "/api/v1/feed", kUser, 200, {.query = true}, [](Ctx& c) { return c.app.feed(c.actor, c.query); });
  add("POST", "/api/v1/feed/{kind}/{id}/comments", kUser, 201, {.idempotent = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[1]));
    return c.app.comment(c.actor, c.params[0], id, c.body);
  });
  add("POST", "/api/v1/feed/{kind}/{id}/like", kUser, 200, {.idempotent = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[1]));
    return c.app.like(c.actor, c.params[0], id);
  });
  add("GET", "/api/v1/insights/discovery", kUser, 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.discovery(c.actor, c.query); });
  add("GET", "/api/v1/insights/conversion", kUser, 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.conversion(c.actor, c.query); });
  add("GET", "/api/v1/companies/{id}/fit", kUser, 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.fit(c.actor, id);
  });
  add("GET", "/api/v1/values", kUser, 200, {.query = true}, [](Ctx& c) { return c.app.list_values(c.actor, c.query); });
  add("POST", "/api/v1/values", at_least(roles::kValues), 201, {.idempotent = true},
      [](Ctx& c) { return c.app.add_values(c.actor, c.body); });
  add("GET", "/api/v1/training", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.list_training(c.actor, c.query); });
  add("POST", "/api/v1/training", at_least(roles::kTraining), 201, {.idempotent = true},
      [](Ctx& c) { return c.app.add_training(c.actor, c.body); });
  add("GET", "/api/v1/talent", at_least(roles::kTalent), 200, {.query = true, .heavy = true},
      [](Ctx& c) { return c.app.talent(c.actor, c.query); });
  // accompanied-visit bookings 陪访预约 (src/app/bookings.cpp)
  add("GET", "/api/v1/bookings", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.list_bookings(c.actor, c.query); });
  add("POST", "/api/v1/bookings", at_least(roles::kBook), 201, {.idempotent = true},
      [](Ctx& c) { return c.app.create_booking(c.actor, c.body); });
  add("GET", "/api/v1/bookings/{id}", kUser, 200, {.query = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.get_booking(c.actor, id);
  });
  add("PATCH", "/api/v1/bookings/{id}", kUser, 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.patch_booking(c.actor, id, c.body);
  });
  add("DELETE", "/api/v1/bookings/{id}", kUser, 204, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return no_content(c.app.cancel_booking(c.actor, id));
  });
  // import / export
  add("POST", "/api/v1/imports", kUser, 200, {.query = true, .raw_in = true}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(auto o, App::import_options(c.query));
    return c.app.import_companies(c.actor, c.req.payload(), o);  // a big upload: its mapped file
  });
  add("GET", "/api/v1/imports/progress", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.import_progress(c.actor, c.query); });
  add("GET", "/api/v1/exports/{kind}", kUser, 200, {.query = true, .raw_out = true, .heavy = true},
      [](Ctx& c) -> Result<json> {
        TRY_ASSIGN(auto f, c.app.export_download(c.actor, c.params[0], c.query));
        c.res->content_type = f.content_type;
        c.res->body = std::move(f.body);
        c.res->headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.filename + "\"");
        c.res->headers.emplace_back("X-Export-Rows", std::to_string(f.rows));
        return json(nullptr);
      });
  // end import / export
  // notifications (SPEC §7): the bell, channels and deliveries (admins), nudges
  add("GET", "/api/v1/notifications", kUser, 200, {.query = true},
      [](Ctx& c) { return c.app.list_notifications(c.actor, c.query); });
  add("POST", "/api/v1/notifications/read", kUser, 204, {},
      [](Ctx& c) { return no_content(c.app.read_notifications(c.actor, c.body)); });
  add("GET", "/api/v1/channels", at_least(roles::kChannels), 200, {.query = true},
      [](Ctx& c) { return c.app.list_channels(c.actor, c.query); });
  add("POST", "/api/v1/channels", at_least(roles::kChannels), 201, {},
      [](Ctx& c) { return c.app.create_channel(c.actor, c.body); });
  add("PATCH", "/api/v1/channels/{id}", at_least(roles::kChannels), 200, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return c.app.patch_channel(c.actor, id, c.body);
  });
  add("DELETE", "/api/v1/channels/{id}", at_least(roles::kChannels), 204, {}, [](Ctx& c) -> Result<json> {
    TRY_ASSIGN(Id id, id_param(c.params[0]));
    return no_content(c.app.delete_channel(c.actor, id));
  });
  add("GET", "/api/v1/deliveries", at_least(roles::kChannels), 200, {.query = true},
      [](Ctx& c) { return c.app.list_deliveries(c.actor, c.query); });
  add("POST", "/api/v1/deliveries/{id}/retry", at_least(roles::kChannels), 200, {.idempotent = true},
      [](Ctx& c) -> Result<json> {
        TRY_ASSIGN(Id id, id_param(c.params[0]));
        return c.app.retry_delivery(c.actor, id);
      });
  add("POST", "/api/v1/alerts/nudge", at_least(roles::kNudge), 200, {.idempotent = true},
      [](Ctx& c) { return c.app.nudge(c.actor, c.body); });
  return r;
}

const std::vector<Route>& route_table() {
  static const std::vector<Route> r = build_routes();
  return r;
}

// The route of a method and decoded path (HEAD finds GET's), or null; path_matched: some
// route has this path.
const Route* find_route(const std::string& method, const std::string& path, std::vector<std::string>* params,
                        bool* path_matched) {
  auto segs = split_path(path);
  if (!segs.empty() && segs.back().empty()) segs.pop_back();  // tolerate a trailing slash
  for (auto& rt : route_table()) {
    if (rt.segs.size() != segs.size()) continue;
    std::vector<std::string> ps;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; i++) {
      if (rt.segs[i].front() == '{') {
        if (params) ps.push_back(segs[i]);
      } else {
        ok = rt.segs[i] == segs[i];
      }
    }
    if (!ok) continue;
    if (path_matched) *path_matched = true;
    if (rt.method == method || (method == "HEAD" && rt.method == "GET")) {
      if (params) *params = std::move(ps);
      return &rt;
    }
  }
  return nullptr;
}

// Parses a query string; false on bad percent-encoding or invalid UTF-8 or repeats.
bool parse_query(const std::string& q, Query& out, std::string& err) {
  size_t i = 0;
  while (i <= q.size() && !q.empty()) {
    size_t amp = q.find('&', i);
    if (amp == std::string::npos) amp = q.size();
    std::string part = q.substr(i, amp - i);
    i = amp + 1;
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string k = part.substr(0, eq), v = eq == std::string::npos ? "" : part.substr(eq + 1);
      auto decode = [](const std::string& s, std::string& o) {
        for (size_t j = 0; j < s.size(); j++) {
          if (s[j] == '+') o += ' ';
          else if (s[j] == '%') {
            if (j + 2 >= s.size() + 0 && j + 2 > s.size() - 1 + 1) return false;
            if (j + 2 >= s.size() + 1) return false;
            int h = hex::digit(s[j + 1]), l = j + 2 < s.size() ? hex::digit(s[j + 2]) : -1;
            if (h < 0 || l < 0) return false;
            o += char(h * 16 + l);
            j += 2;
          } else o += s[j];
        }
        return true;
      };
      std::string dk, dv;
      if (!decode(k, dk) || !decode(v, dv)) {
        err = "bad percent-encoding in the query string";
        return false;
      }
      if (dk.find('\0') != std::string::npos || dv.find('\0') != std::string::npos || !valid_utf8(dk) ||
          !valid_utf8(dv)) {
        err = "the query string must be valid UTF-8 without NUL";
        return false;
      }
      if (out.count(dk)) {
        err = dk + ": given more than once";
        return false;
      }
      out[dk] = dv;
    }
    if (amp >= q.size()) break;
  }
  return true;
}

void security_headers(Response& r) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                         "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Frame-Options", "DENY");
}

Response error_response(const Error& e) {
  Response r;
  r.status = status_of(e.kind);
  r.body = json{{"error", {{"code", e.code}, {"message", e.message}}}}.dump();
  if (e.kind == Err::TooMany) r.headers.emplace_back("Retry-After", "900");
  return r;
}

bool constant_time_eq(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char d = 0;
  for (size_t i = 0; i < a.size(); i++) d |= static_cast<unsigned char>(a[i] ^ b[i]);
  return d == 0;
}

// Caching headers of the app shell (issue 15 part 5): hashed assets are immutable; the service
// worker script and index.html are revalidated at every load (a new build reaches the phone at its
// next start), and the worker may control the whole site (scope "/").
void shell_cache_headers(const std::string& path, Response& r) {
  if (path.rfind("/assets/", 0) == 0) {
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  } else if (path == "/sw.js") {
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("Service-Worker-Allowed", "/");
  } else if (path == "/index.html" || path == "/manifest.webmanifest") {
    r.headers.emplace_back("Cache-Control", "no-cache");
  }
}

std::optional<Response> static_file(const Request& req, const ApiOptions& opts) {
  std::string path = req.path == "/" ? "/index.html" : req.path;
  if (!opts.web_dir.empty() && path.rfind("/api/", 0) != 0) {
    if (path.find("..") != std::string::npos) return std::nullopt;
    std::ifstream f(opts.web_dir + path, std::ios::binary);
    if (!f && path.find('.') == std::string::npos) {  // a UI route: the app's page, as HTML
      path = "/index.html";
      f.open(opts.web_dir + path, std::ios::binary);
    }
    if (f) {
      std::stringstream ss;
      ss << f.rdbuf();
      Response r;
      r.body = ss.str();
      auto ext = path.substr(path.find_last_of('.') + 1);
      r.content_type = ext == "js"      ? "text/javascript; charset=utf-8"
                       : ext == "css"   ? "text/css; charset=utf-8"
                       : ext == "svg"   ? "image/svg+xml"
                       : ext == "json"  ? "application/json"
                       : ext == "webmanifest" ? "application/manifest+json"
                       : ext == "png"   ? "image/png"
                       : ext == "ico"   ? "image/x-icon"
                       : ext == "woff2" ? "font/woff2"
                       : ext == "html"  ? "text/html; charset=utf-8"
                                        : "application/octet-stream";
      shell_cache_headers(path, r);
      return r;
    }
  }
  const embedded::File* index = nullptr;
  for (const auto* f = embedded::kFiles; f->path; ++f) {
    if (path == f->path) {
      Response r;
      r.content_type = f->content_type;
      if (f->gzip_data && req.header("accept-encoding").find("gzip") != std::string::npos) {
        r.body.assign(f->gzip_data, f->gzip_size);
        r.headers.emplace_back("Content-Encoding", "gzip");
      } else {
        r.body.assign(f->data, f->size);
      }
      if (f->gzip_data) r.headers.emplace_back("Vary", "Accept-Encoding");
      shell_cache_headers(path, r);
      return r;
    }
    if (std::string_view(f->path) == "/index.html") index = f;
  }
  // Single-page app: unknown non-API, non-file paths get index.html.
  if (index && path.rfind("/api/", 0) != 0 && path.find('.') == std::string::npos) {
    Response r;
    r.content_type = index->content_type;
    r.body.assign(index->data, index->size);
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  }
  return std::nullopt;
}

// GET /healthz (the process answers) and GET /readyz (the database answers and the schema is
// current): no authentication, no body, never cached (SPEC §8).
std::optional<Response> health(App& app, const Request& req) {
  if (req.path != "/healthz" && req.path != "/readyz") return std::nullopt;
  if (req.method != "GET" && req.method != "HEAD") {
    Response r = error_response({Err::BadRequest, "method_not_allowed", req.method + " is not allowed here"});
    r.status = 405;
    return r;
  }
  Response r;
  if (req.path == "/healthz") {
    r.body = R"({"status":"ok"})";
  } else {
    auto ready = app.readiness();
    if (!ready.ok()) r = error_response(ready.error());
    else r.body = ready.value().dump();
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// The route label of the request being handled on this thread, for the metrics: a route
// pattern or one of a few fixed names, never text a client chose.
thread_local const char* t_route = "unmatched";
// The authenticated user of the request being handled on this thread (0: none), for the log.
thread_local Id t_user_id = 0;
// Test-only (TIEJUN_TEST_SLOW_QUERY=1 in the server's environment): a request carrying
// X-Tiejun-Test-Slow: 1 first runs a query that never ends by itself, so the tests can show
// that the deadline interrupts it (503 timeout) and that a client hanging up cancels it.
const bool kTestSlowQuery = [] {
  const char* v = std::getenv("TIEJUN_TEST_SLOW_QUERY");
  return v && std::string_view(v) == "1";
}();

// GET /metrics through the API port: an admin's bearer token only (SPEC §6); anyone may read
// the metrics on the separate --metrics-listen port instead.
std::optional<Response> metrics_route(App& app, const Request& req) {
  if (req.path != "/metrics") return std::nullopt;
  t_route = "/metrics";
  if (req.method != "GET" && req.method != "HEAD") {
    Response r = error_response({Err::BadRequest, "method_not_allowed", req.method + " is not allowed here"});
    r.status = 405;
    return r;
  }
  std::string authz = req.header("authorization");
  if (authz.rfind("Bearer ", 0) != 0) return error_response(unauthorized("GET /metrics takes an admin's bearer token"));
  auto a = app.authenticate_token(authz.substr(7));
  if (!a.ok()) return error_response(a.error());
  if (a.value().user.role != Role::Admin) return error_response(forbidden("forbidden", "GET /metrics is for admins"));
  return metrics_response();
}

constexpr size_t kPublicBodyMax = 16 * 1024;  // the login body: a username and a password
constexpr int kJsonMaxDepth = 64;
constexpr size_t kJsonMaxContainers = 20000;   // objects + arrays in one body
constexpr size_t kJsonMaxValues = 200000;      // values in one body (roughly: commas + containers)

// "application/json", any case, optionally with parameters ("; charset=utf-8").
bool is_json_media_type(std::string_view ct) {
  auto semi = ct.find(';');
  std::string_view t = ct.substr(0, semi);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  static constexpr std::string_view kJson = "application/json";
  if (t.size() != kJson.size()) return false;
  for (size_t i = 0; i < t.size(); i++)
    if (char(std::tolower(static_cast<unsigned char>(t[i]))) != kJson[i]) return false;
  return true;
}

// Scheme-less authority of an Origin ("https://a.example:8443" -> "a.example:8443"), lower-cased.
std::string origin_authority(std::string_view origin) {
  auto p = origin.find("://");
  std::string_view a = p == std::string_view::npos ? origin : origin.substr(p + 3);
  a = a.substr(0, a.find('/'));
  std::string out;
  for (char ch : a) out += char(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// A request a browser made on behalf of another site (issue 17 point 9, login CSRF):
// Sec-Fetch-Site says cross-site, or an Origin is sent that is not this host ("null"
// included: a sandboxed or file page). Requests without either header (curl, scripts,
// old browsers) are not cross-site by this rule.
bool cross_site(const Request& req) {
  std::string sfs = req.header("sec-fetch-site");
  if (sfs == "cross-site") return true;
  std::string origin = req.header("origin");
  if (origin.empty()) return false;
  std::string oa = origin_authority(origin);
  if (oa.empty() || origin == "null") return true;
  auto same = [&](std::string host) {
    for (char& ch : host) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    if (host.empty()) return false;
    if (host == oa) return true;
    // Host may omit the default port the Origin names, or the other way round.
    auto strip = [](const std::string& h, std::string_view port) {
      return h.size() > port.size() && h.compare(h.size() - port.size(), port.size(), port) == 0
                 ? h.substr(0, h.size() - port.size()) : h;
    };
    bool https = origin.rfind("https://", 0) == 0;
    std::string_view dp = https ? ":443" : ":80";
    return strip(host, dp) == strip(oa, dp);
  };
  return !(same(req.header("host")) || same(req.header("x-forwarded-host")));
}

// Parses a JSON request body in linear time: a single pass first checks that it
// holds no raw NUL byte, nests at most kJsonMaxDepth deep and holds at most
// kJsonMaxContainers objects/arrays and about kJsonMaxValues values, so the
// parser (nlohmann without a callback: linear) never builds a huge tree. The
// callback parser used before rescanned each parent at every object's end:
// `{"a":[{},{},...]}` cost O(n^2) (issue 17 point 1).
Result<json> parse_json_body(std::string_view body) {
  // JSON never holds a raw NUL byte (in a string it must be \u0000); refuse one anywhere, so
  // no parser can stop at it and ignore what follows (issue 7).
  if (body.find('\0') != std::string_view::npos) return bad_request("invalid_json", "the body holds a NUL byte");
  int depth = 0;
  size_t containers = 0, values = 1;
  bool in_str = false;
  for (size_t i = 0; i < body.size(); i++) {
    char ch = body[i];
    if (in_str) {
      if (ch == '\\') i++;
      else if (ch == '"') in_str = false;
      continue;
    }
    switch (ch) {
      case '"': in_str = true; break;
      case '{': case '[':
        if (++depth > kJsonMaxDepth) return bad_request("invalid_json", "the JSON body is nested too deeply");
        if (++containers > kJsonMaxContainers)
          return bad_request("invalid_json", "the JSON body holds too many objects and arrays (at most " +
                                                 std::to_string(kJsonMaxContainers) + ")");
        break;
      case '}': case ']': depth--; break;
      case ',':
        if (++values > kJsonMaxValues)
          return bad_request("invalid_json", "the JSON body holds too many values (at most " +
                                                 std::to_string(kJsonMaxValues) + ")");
        break;
      default: break;
    }
  }
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return bad_request("invalid_json", "the body is not valid JSON");
  if (!j.is_object()) return bad_request("invalid_body", "the request body must be a JSON object");
  return j;
}

// Runs a matched route's use case and makes its response.
Response call(Ctx& c, const Route& rt) {
  Response& res = *c.res;
  Result<json> out = rt.fn(c);
  if (!out.ok()) {
    Response r = error_response(out.error());
    for (auto& h : res.headers) r.headers.push_back(h);
    return r;
  }
  res.status = rt.ok_status;
  if (res.status != 204 && !rt.flags.raw_out && !rt.flags.text_out)
    res.body = out.value().dump(-1, ' ', false, json::error_handler_t::replace);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

constexpr int64_t kIdempotencyKeepS = 86400;  // a key is remembered for a day
constexpr int64_t kIdempotencyStaleS = 60;    // a key without an answer after this: the answer was lost

// An Idempotency-Key: 1-255 printable ASCII characters without spaces (a UUID fits).
bool valid_idempotency_key(const std::string& k) {
  if (k.empty() || k.size() > 255) return false;
  for (unsigned char ch : k)
    if (ch < 0x21 || ch > 0x7e) return false;
  return true;
}

// SHA-256 (hex) of what makes two requests "the same": method, route, path parameters and the
// body (nlohmann's objects keep their keys sorted, so key order does not matter).
std::string request_hash(const Ctx& c, const Route& rt) {
  std::string text = rt.method + "\n" + rt.pattern + "\n";
  for (auto& p : c.params) text += p + "\n";
  text += c.body.dump(-1, ' ', false, json::error_handler_t::replace);
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : h) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// A create with an Idempotency-Key (issue 15 part 5). The key is the caller's own: rows are
// per user, so another user's key never finds this one. The first request with a key writes
// the key row in its create's own transaction (Store::IdempotencyScope), then records its
// answer; a later request with the key and the same request answers that answer (same status
// and body, header Idempotent-Replayed: true) without running the use case; with another
// request it is refused (422). A request arriving while the first is still answering waits
// for its answer (up to about 3 s, then 409 idempotency_in_progress: retry).
Response idempotent_call(Ctx& c, const Route& rt, const std::string& key) {
  if (!valid_idempotency_key(key))
    return error_response(bad_request("invalid_idempotency_key",
                                      "Idempotency-Key must be 1-255 printable ASCII characters without spaces"));
  const std::string hash = request_hash(c, rt);
  const Id user = c.actor.user.id;
  for (int round = 0;; round++) {
    const Instant now = c.app.clock().now();
    const Instant since = now - kIdempotencyKeepS;
    std::optional<Tx::IdempotencyRow> row;
    Status st = c.app.store().read([&](Tx& tx) -> Status {
      row = tx.get_idempotency_key(user, key, since);
      return ok_status();
    });
    if (!st.ok()) return error_response(st.error());
    if (row) {
      if (row->request_hash != hash) {
        Response r = error_response({Err::BadRequest, "idempotency_key_reused",
                                     "this Idempotency-Key was already used for a different request in the last 24 "
                                     "hours: send a new key for a new request"});
        r.status = 422;
        return r;
      }
      if (row->status) {
        Response r;
        r.status = int(*row->status);
        r.body = row->body;
        r.headers.emplace_back("Cache-Control", "no-store");
        r.headers.emplace_back("Idempotent-Replayed", "true");
        return r;
      }
      if (now - row->created_at > kIdempotencyStaleS)
        return error_response({Err::Conflict, "idempotency_outcome_unknown",
                               "the first request with this Idempotency-Key was saved but its answer was lost: check "
                               "whether it was done before sending it again with a new key"});
      if (round >= 30) {
        Response r = error_response({Err::Conflict, "idempotency_in_progress",
                                     "a request with this Idempotency-Key is still being answered: retry shortly"});
        r.headers.emplace_back("Retry-After", "1");
        return r;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    Response r;
    bool claimed = false, conflict = false;
    {
      Store::IdempotencyScope scope(c.actor.org(), user, key, hash, now, since);
      *c.res = Response{};
      r = call(c, rt);
      claimed = scope.claimed;
      conflict = scope.conflict;
    }
    if (conflict && !claimed) continue;  // another request with the key committed first: answer its answer
    if (claimed) {
      // The create committed with its key: record the answer a replay gives. Should this write
      // fail, the key stays without an answer and a replay is told so (idempotency_outcome_unknown
      // after kIdempotencyStaleS); the create itself is never repeated.
      Status fin = c.app.store().write([&](Tx& tx) -> Status {
        tx.finish_idempotency_key(user, key, r.status, r.body);
        return ok_status();
      });
      if (!fin.ok()) spdlog::warn("the answer of an idempotent request was not recorded: {}", fin.error().message);
    }
    return r;
  }
}

Response handle(App& app, const ApiOptions& opts, const Request& req) {
  t_route = "unmatched";
  t_user_id = 0;
  if (auto r = health(app, req)) {
    t_route = req.path == "/healthz" ? "/healthz" : "/readyz";
    return *r;
  }
  if (auto r = metrics_route(app, req)) return *r;
  if (req.path.rfind("/api/", 0) != 0 || req.path == "/api/v1/openapi.json") {
    t_route = "static";
    if (req.method == "GET" || req.method == "HEAD") {
      if (auto r = static_file(req, opts)) return *r;
    }
    return error_response(not_found("page"));
  }
  bool path_matched = false;
  std::vector<std::string> params;
  const Route* match = find_route(req.method, req.path, &params, &path_matched);
  if (!match) {
    if (path_matched) {
      Response r = error_response({Err::BadRequest, "method_not_allowed", req.method + " is not allowed here"});
      r.status = 405;
      return r;
    }
    return error_response(not_found("route"));
  }
  t_route = match->pattern.c_str();
  Response res;
  Ctx c{req, app, {}, std::move(params), {}, nullptr, &res};
  std::string err;
  if (!parse_query(req.query, c.query, err)) return error_response(bad_request("invalid_query", err));
  if (!match->flags.query && !c.query.empty())
    return error_response(bad_request("unknown_parameter", c.query.begin()->first + ": this route takes no query parameters"));
  bool has_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
  bool json_body = has_body && !match->flags.raw_in && !req.payload().empty();
  if (json_body) {
    // A JSON route takes application/json only (issue 17 point 9): a cross-site <form> can send
    // text/plain, form-urlencoded or multipart without a preflight, never application/json.
    if (!is_json_media_type(req.header("content-type"))) {
      Response r = error_response({Err::BadRequest, "unsupported_media_type",
                                   "send the body as application/json (Content-Type: application/json)"});
      r.status = 415;
      return r;
    }
    // An anonymous caller gets no more than a login's worth of work: the public routes
    // (the login) take a small body.
    if (match->access.auth == Auth::Public && req.payload().size() > kPublicBodyMax)
      return error_response({Err::TooLarge, "body_too_large",
                             "this route takes at most " + std::to_string(kPublicBodyMax) + " bytes"});
  }
  if (match->access.auth == Auth::Public && match->method == "POST" && cross_site(req))
    return error_response(forbidden("cross_site", "a login must come from this site's own pages"));
  if (match->access.auth == Auth::User) {
    std::string authz = req.header("authorization");
    Result<Actor> a = unauthorized("not logged in");
    bool via_cookie = false;
    if (authz.rfind("Bearer ", 0) == 0) {
      a = app.authenticate_token(authz.substr(7));
    } else if (!authz.empty()) {
      a = unauthorized("use Authorization: Bearer <token>");
    } else {
      std::string cv = cookie_value(req, kCookie);
      if (!cv.empty()) {
        a = app.authenticate_session(cv);
        via_cookie = true;
      } else if (match->flags.no_credentials_204) {
        Response r;
        r.status = 204;
        r.headers.emplace_back("Cache-Control", "no-store");
        return r;
      }
    }
    if (!a.ok()) return error_response(a.error());
    c.actor = std::move(a.value());
    t_user_id = c.actor.user.id;
    std::string lang = req.header("accept-language");
    c.actor.zh = !(lang.rfind("en", 0) == 0);
    if (via_cookie && req.method != "GET" && req.method != "HEAD") {
      std::string tok = req.header("x-csrf-token");
      if (tok.empty() || !constant_time_eq(tok, c.actor.csrf_token))
        return error_response(forbidden("csrf", "missing or wrong X-CSRF-Token header"));
    }
    // A password someone else set (an admin's reset) must be replaced first: until then the
    // account may read /me, change its password and log out, nothing else (issue 17, point 8).
    if (c.actor.user.must_change_password) {
      if (!match->flags.while_reset)
        return error_response(forbidden("password_change_required",
                                        "your password was reset: set a new one (POST /api/v1/me/password) first"));
    }
  }
  // The body is parsed only once the caller is known (an anonymous request to a
  // user route never reaches the parser), in linear time (issue 17 point 1).
  if (has_body && !match->flags.raw_in) {
    if (req.payload().empty()) {
      c.body = json::object();
    } else {
      auto parsed = parse_json_body(req.payload());
      if (!parsed.ok()) return error_response(parsed.error());
      c.body = std::move(parsed.value());
    }
  }
  // The route's minimum role (its Access): a lower role gets the rule's 403, nothing runs.
  if (match->access.auth == Auth::User && !allows(match->access.rule, c.actor.user.role))
    return error_response(refusal(match->access.rule));
  // Names the acting user so a replica serves their reads only once it has their writes.
  std::optional<Store::ActingAs> acting;
  if (match->access.auth == Auth::User) acting.emplace(c.actor.user.id);
  if (kTestSlowQuery && req.header("x-tiejun-test-slow") == "1") {
    Status st = app.store().read([](Tx& tx) -> Status {
      tx.conn().scalar(
          "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000000000) "
          "SELECT COUNT(*) FROM c");
      return ok_status();
    });
    if (!st.ok()) return error_response(st.error());
  }
  std::string idem_key = req.header("idempotency-key");
  if (match->flags.idempotent && match->access.auth == Auth::User && !idem_key.empty())
    return idempotent_call(c, *match, idem_key);
  return call(c, *match);
}

}  // namespace

std::vector<RouteInfo> routes() {
  std::vector<RouteInfo> out;
  for (auto& r : route_table())
    out.push_back({r.method, r.pattern, r.access.auth == Auth::User, r.flags.heavy || r.flags.heavy_with,
                   r.flags.heavy_with ? r.flags.heavy_with : "",
                   r.access.auth == Auth::User ? to_string(r.access.rule.min) : "", r.flags.query, r.flags.idempotent});
  return out;
}

std::function<std::string(const Request&)> make_upload_auth(App& app) {
  return [&app](const Request& req) -> std::string {
    std::string authz = req.header("authorization");
    Result<Actor> a = unauthorized("not logged in");
    if (authz.rfind("Bearer ", 0) == 0) {
      a = app.authenticate_token(authz.substr(7));
    } else if (authz.empty()) {
      std::string cv = cookie_value(req, kCookie);
      if (cv.empty()) return "";
      a = app.authenticate_session(cv);
      if (a.ok()) {
        std::string tok = req.header("x-csrf-token");
        if (tok.empty() || !constant_time_eq(tok, a.value().csrf_token)) return "";
      }
    }
    if (!a.ok()) return "";
    return "user:" + std::to_string(a.value().user.id);
  };
}

bool hashes_password(const Request& req) {
  if (req.method != "POST" || req.path.rfind("/api/", 0) != 0) return false;
  const Route* rt = find_route(req.method, req.path, nullptr, nullptr);
  return rt && rt->flags.hashes_password;
}

bool is_heavy(const Request& req) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  if (req.path.rfind("/api/", 0) != 0) return false;
  const Route* rt = find_route(req.method, req.path, nullptr, nullptr);
  if (!rt) return false;
  if (rt->flags.heavy) return true;
  if (!rt->flags.heavy_with) return false;
  // the parameter given with a value (not URL-decoded: a name is plain ASCII)
  std::string_view q = req.query, name = rt->flags.heavy_with;
  size_t i = 0;
  while (i <= q.size()) {
    size_t amp = q.find('&', i);
    if (amp == std::string_view::npos) amp = q.size();
    std::string_view part = q.substr(i, amp - i);
    if (part.size() > name.size() + 1 && part.substr(0, name.size()) == name && part[name.size()] == '=') return true;
    i = amp + 1;
  }
  return false;
}

bool is_long(const Request& req) {
  if (req.path.rfind("/api/", 0) != 0) return false;
  const Route* rt = find_route(req.method, req.path, nullptr, nullptr);
  return rt && (rt->flags.raw_in || rt->flags.raw_out);  // a file in or out: a whole organisation's rows
}

bool accepts_gzip(const Request& req) {
  // "gzip" among the codings, unless given q=0 (e.g. "gzip;q=0")
  std::string ae = req.header("accept-encoding");
  size_t i = 0;
  while (i < ae.size()) {
    size_t comma = ae.find(',', i);
    if (comma == std::string::npos) comma = ae.size();
    std::string part = ae.substr(i, comma - i);
    i = comma + 1;
    size_t b = part.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    part = part.substr(b);
    std::string coding = part.substr(0, part.find_first_of("; \t"));
    for (char& ch : coding) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    if (coding != "gzip" && coding != "x-gzip") continue;
    auto qpos = part.find("q=");
    if (qpos == std::string::npos) return true;
    return std::strtod(part.c_str() + qpos + 2, nullptr) > 0;
  }
  return false;
}

bool gzip_worth(const std::string& content_type) {
  return content_type.rfind("application/json", 0) == 0 || content_type.rfind("text/csv", 0) == 0 ||
         content_type.rfind("text/plain", 0) == 0;
}

// gzip of body at a fast level (the API's JSON shrinks 5-10x at level 1); false on a zlib error.
bool gzip_into(const std::string& body, std::string& out) {
  z_stream zs{};
  if (deflateInit2(&zs, kGzipLevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  out.resize(deflateBound(&zs, body.size()));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  zs.avail_in = uInt(body.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = uInt(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END;
}

// Compresses an API answer when the client takes gzip and the answer is big enough to gain
// (issue 16 point 6); every answer that could be compressed says Vary: Accept-Encoding.
void maybe_gzip(const Request& req, Response& r) {
  if (r.body.size() < kGzipMinBytes || r.status == 204 || !gzip_worth(r.content_type)) return;
  bool vary = false;
  for (auto& [k, v] : r.headers) {
    if (k == "Content-Encoding") return;
    if (k == "Vary") vary = true;
  }
  if (!vary) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (!accepts_gzip(req)) return;
  std::string z;
  if (!gzip_into(r.body, z) || z.size() >= r.body.size()) return;
  r.body = std::move(z);
  r.headers.emplace_back("Content-Encoding", "gzip");
}

// The access line of one request (SPEC §8): route pattern, method, status, latency, user id
// and answer size, with the request id the log formatter adds. Never the target or a header.
void log_request(const Request& req, const Response& r, double seconds) {
  if (!spdlog::should_log(spdlog::level::info)) return;
  std::string f;
  f.reserve(160);
  f += "\"route\":\"";
  f += logging::json_escape(t_route);
  f += "\",\"method\":\"";
  f += logging::json_escape(req.method.size() > 16 ? req.method.substr(0, 16) : req.method);
  f += "\",\"status\":";
  f += std::to_string(r.status);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", seconds * 1000);
  f += ",\"ms\":";
  f += ms;
  f += ",\"user_id\":";
  f += t_user_id ? std::to_string(t_user_id) : "null";
  f += ",\"bytes\":";
  f += std::to_string(r.body.size());
  logging::Fields fields(f);
  spdlog::info("request");
}

Handler make_handler(App& app, ApiOptions opts) {
  return [&app, opts = std::move(opts)](const Request& req) {
    const auto t0 = std::chrono::steady_clock::now();
    Response r;
    try {
      r = handle(app, opts, req);
    } catch (const std::bad_alloc&) {
      r = error_response({Err::Unavailable, "overloaded", "out of memory; retry"});
    }
    security_headers(r);
    if (req.path.rfind("/api/", 0) == 0 && !(req.method == "HEAD")) maybe_gzip(req, r);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Metrics::global().observe_request(t_route, req.method, r.status, secs);
    log_request(req, r, secs);
    return r;
  };
}

Response metrics_response() {
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = Metrics::global().render();
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Handler make_metrics_handler() {
  return [](const Request& req) {
    if (req.path != "/metrics") return error_response(not_found("page"));
    if (req.method != "GET" && req.method != "HEAD") {
      Response r = error_response({Err::BadRequest, "method_not_allowed", req.method + " is not allowed here"});
      r.status = 405;
      return r;
    }
    return metrics_response();
  };
}

}  // namespace tj::http
