// The HTTP API of SPEC §6: a table of routes over the App, with
// authentication (session cookie or bearer token), CSRF for cookie writes,
// strict JSON parsing, security headers, and the one place where an Error
// becomes a status code. Also serves the embedded web UI and OpenAPI document.
#pragma once
#include <string>
#include <vector>

#include "app/app.h"
#include "http/server.h"

namespace tj::http {

struct ApiOptions {
  std::string web_dir;          // serve the UI from this folder instead of the embedded files
  bool secure_cookies = false;  // add "Secure" to the session cookie (behind HTTPS)
};

struct RouteInfo {
  std::string method, pattern;  // e.g. "PATCH", "/api/v1/companies/{id}"
  bool needs_auth;
  bool heavy = false;  // runs in the expensive lane (always, or with heavy_with given)
  std::string heavy_with;
  std::string min_role;  // "rep" (any user), "manager", "director" or "admin"; "" for a public route
  bool takes_query = false;
  bool idempotent = false;  // honours an Idempotency-Key header
};
// Every API route, for documentation checks and the access matrix tests.
std::vector<RouteInfo> routes();

Handler make_handler(App& app, ApiOptions opts);
// The Prometheus text of http/metrics.h as a response; and a handler that serves only GET
// /metrics, to anyone, for the separate --metrics-listen port (keep that port off the internet).
Response metrics_response();
Handler make_metrics_handler();

// For ServerOptions::upload_auth: checks the credentials of a request's headers
// (bearer token, or session cookie with its X-CSRF-Token) as the handler would,
// and returns "user:<id>" when they are valid, else "". Runs on a worker.
std::function<std::string(const Request&)> make_upload_auth(App& app);
// For ServerOptions::slow_lane: the requests that hash a password (the login).
bool hashes_password(const Request& req);
// For ServerOptions::heavy_lane: the expensive reads, by the route table's flag (the
// organisation-wide views, exports, duplicate scans, company search).
bool is_heavy(const Request& req);
// For ServerOptions::long_lane: the requests with the long deadline (a spreadsheet import, an
// export: a whole organisation's rows).
bool is_long(const Request& req);

int status_of(Err e);

}  // namespace tj::http
