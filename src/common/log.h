// Log lines (SPEC §8, issue 16 point 1): spdlog with one formatter for the whole process, as
// text (default) or one JSON object per line (`serve --log-format json`).
//
// Contract:
// - Every line has the time (UTC, ISO 8601 with milliseconds), the level and the message; a
//   line written while a request is handled (on its worker thread) also carries that request's
//   id (request_id(), set by the HTTP server for the handler's duration), the same id the
//   answer's X-Request-Id header echoes.
// - A line may carry structured fields (the access line: route, method, status, ms, user_id),
//   given as a JSON object's members ("\"status\":200,...") through Fields for one call.
// - Nothing secret: every message goes through redact_secrets() (URL passwords, token=,
//   key=, ...); the access line names the route pattern, never the raw target or a header.
//   Callers must still never log a password, token, cookie or channel secret.
// The thread-local parts are header-only so the HTTP server library can set them.
#pragma once
#include <string>
#include <string_view>

namespace tj::logging {

inline thread_local std::string t_request_id;
inline thread_local const std::string* t_fields = nullptr;

inline const std::string& request_id() { return t_request_id; }

// The request id of this thread for a scope (the handler of one request).
class RequestScope {
 public:
  explicit RequestScope(std::string id) : prev_(std::move(t_request_id)) { t_request_id = std::move(id); }
  ~RequestScope() { t_request_id = std::move(prev_); }
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string prev_;
};

// Structured fields for the log calls made while it lives (one line, usually).
class Fields {
 public:
  explicit Fields(const std::string& members) : prev_(t_fields) { t_fields = &members; }
  ~Fields() { t_fields = prev_; }
  Fields(const Fields&) = delete;
  Fields& operator=(const Fields&) = delete;

 private:
  const std::string* prev_;
};

// Installs the formatter on spdlog's default logger: json = one JSON object per line.
// level: "trace", "debug", "info", "warn", "error", "off". False on an unknown level.
// to_stderr: the default logger writes to stderr from now on (`serve`), else where it did.
bool setup(bool json, const std::string& level = "info", bool to_stderr = false);

// s escaped as the inside of a JSON string.
std::string json_escape(std::string_view s);

}  // namespace tj::logging
