// The HTTP server: Boost.Beast on a few I/O threads, handing each request to a
// bounded worker pool with a read lane and a write lane, and lanes of their own for
// logins (argon2id) and expensive views (handlers block on the database). It knows nothing
// of Tiejun's API: it parses HTTP/1.1, enforces size limits, and calls one
// Handler. Over-limit bodies are answered 413 here; a full worker queue 503.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tj::http {

// A big upload's body (issue 17 point 2): it was streamed to a temporary file (unlinked as
// soon as it was created) and is mapped read-only here, so it costs page cache that the
// kernel can reclaim, not anonymous memory. Unmapped (and the file's space freed) when the
// last Request holding it is gone.
class MappedBody {
 public:
  MappedBody(const char* data, size_t size) : data_(data), size_(size) {}
  ~MappedBody();
  MappedBody(const MappedBody&) = delete;
  MappedBody& operator=(const MappedBody&) = delete;
  std::string_view view() const { return {data_, size_}; }

 private:
  const char* data_;
  size_t size_;
};

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // raw target: path + optional "?query"
  std::string path;     // decoded path, no query
  std::string query;    // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;     // the body, unless it is in mapped_body
  std::shared_ptr<const MappedBody> mapped_body;  // set for big uploads only (body is then empty)
  std::string remote_addr;
  // The body wherever it is: mapped_body's view, or body.
  std::string_view payload() const { return mapped_body ? mapped_body->view() : std::string_view(body); }
  // First header with this lower-case name, or empty.
  std::string header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie may repeat)
  std::string body;
};

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;         // 0 = pick a free port
  int io_threads = 2;
  // Handlers run on worker_threads + write_reserve threads in two lanes: at most
  // worker_threads GET/HEAD requests run at once, so write_reserve threads are
  // always there for writes (POST/PUT/PATCH/DELETE), which are also taken first
  // from the queue: a long export cannot make a visit write wait (issue 7).
  int worker_threads = 4;
  int write_reserve = 2;
  size_t max_queue = 1024;      // pending requests beyond this get 503
  size_t max_body_bytes = 8 * 1024 * 1024;
  // POST /api/v1/imports carries a whole spreadsheet: a million-row CSV is ~90 MB.
  size_t max_upload_bytes = 128 * 1024 * 1024;
  int idle_timeout_s = 60;      // a body or a response that stalls longer is dropped
  // Slow clients are cheap (issue 17 point 4): a request's headers must arrive within
  // header_timeout_s of its first byte; a connection may wait idle_timeout_s for that first
  // byte (a kept-alive client whose event loop was busy still finds its connection open); at
  // most max_conns_per_ip connections per client address are open at once, more are
  // answered 503 too_many_connections and closed.
  int header_timeout_s = 20;
  int max_conns_per_ip = 256;
  // Password hashing has its own lane (issue 17 point 3): requests slow_lane returns true
  // for (the login: argon2id, ~0.3 s and 64 MiB each) run on slow_threads threads of
  // their own, never on the read or write lanes; beyond slow_queue waiting, 503.
  std::function<bool(const Request&)> slow_lane;
  int slow_threads = 2;
  size_t slow_queue = 64;
  // Credentials before a big body (issue 17 point 2): a POST to upload_path whose body may
  // pass max_body_bytes (Content-Length above it, or chunked) is read with the bigger
  // max_upload_bytes limit only once upload_auth (run on a worker, given the headers only)
  // returns the caller's key (e.g. "user:12"); an empty key is answered 401 before the body
  // is read. At most max_uploads_per_key such uploads per key and max_uploads_total in all
  // run at once; more get 429 too_many_uploads. Such a body is streamed to a temporary file
  // in upload_tmp_dir (empty: $TMPDIR, else /tmp), created 0600 and unlinked at once, and
  // reaches the handler as Request::mapped_body: it costs disk (at most max_uploads_total x
  // max_upload_bytes), not memory. No room there: 507 upload_storage.
  std::string upload_path = "/api/v1/imports";
  std::function<std::string(const Request&)> upload_auth;
  int max_uploads_per_key = 1;
  int max_uploads_total = 3;
  std::string upload_tmp_dir;
  // Deadlines (SPEC §8, issue 16 point 2): a request must be answered within
  // request_timeout_ms of being queued. Its handler runs with a deadline::Deadline installed
  // (common/deadline.h): the stores interrupt a query past it and the answer is 503 `timeout`;
  // a request still queued at its deadline is answered so without running. A client that
  // hangs up while its request runs cancels it the same way (the query is interrupted).
  int request_timeout_ms = 10000;
  // Requests long_lane returns true for (a spreadsheet import, an export: a whole
  // organisation's rows) get long_timeout_ms instead.
  std::function<bool(const Request&)> long_lane;
  int long_timeout_ms = 600000;
  // Expensive reads have a lane of their own: requests heavy_lane returns true for (the
  // organisation-wide views, search, exports: a flag of the API's route table) run on
  // heavy_threads threads, never on the read or write lanes, so short reads and writes keep
  // their latency however many are queued; beyond heavy_queue waiting, 503 `overloaded`.
  std::function<bool(const Request&)> heavy_lane;
  int heavy_threads = 2;
  size_t heavy_queue = 512;
};

// Requests waiting for a thread, by lane, for the metrics.
struct QueueDepths {
  size_t read = 0, write = 0, heavy = 0, login = 0;
};

class Server {
 public:
  Server(ServerOptions opts, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Binds and starts the threads; returns the bound port. Throws std::runtime_error if it cannot bind.
  uint16_t start();
  // Blocks until stop() is called or SIGINT/SIGTERM arrives.
  void wait();
  void stop();
  // Thread-safe; zeros before start().
  QueueDepths queue_depths() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace tj::http
